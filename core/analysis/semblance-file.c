/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-file.h"

#include <gst/app/gstappsink.h>
#include <sndfile.h>

#include "semblance-analyzer.h"
#include "semblance-error.h"

#define SNDFILE_CHUNK 8192
#define PULL_TIMEOUT (100 * GST_MSECOND)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SNDFILE, sf_close)

gboolean
semblance_decoder_from_string (const char *name, SemblanceDecoder *decoder)
{
  if (g_strcmp0 (name, "auto") == 0)
    *decoder = SEMBLANCE_DECODER_AUTO;
  else if (g_strcmp0 (name, "sndfile") == 0)
    *decoder = SEMBLANCE_DECODER_SNDFILE;
  else if (g_strcmp0 (name, "gstreamer") == 0)
    *decoder = SEMBLANCE_DECODER_GSTREAMER;
  else
    return FALSE;
  return TRUE;
}

static gboolean
check_cancel (GCancellable *cancellable, const char *display, GError **error)
{
  g_autoptr (GError) local = NULL;

  if (!g_cancellable_set_error_if_cancelled (cancellable, &local))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
      "%s: analysis cancelled", display);
  return FALSE;
}

static gboolean
finish (SemblanceAnalyzer *analyzer, const char *display,
        SemblanceProperties *props, GError **error)
{
  if (semblance_analyzer_get_seconds (analyzer) <= 0.0) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_EMPTY,
        "%s: the file holds no audio samples", display);
    return FALSE;
  }
  semblance_analyzer_get_properties (analyzer, props);
  return TRUE;
}

/* Sets @opened when libsndfile recognised and opened the file: only then
 * is its verdict final, since it may misreport files it does not read. */
static gboolean
analyze_sndfile (const char *path, const char *display,
                 GCancellable *cancellable, SemblanceProperties *props,
                 gboolean *opened, GError **error)
{
  g_autoptr (SNDFILE) file = NULL;
  g_autoptr (SemblanceAnalyzer) analyzer = NULL;
  g_autofree float *buf = NULL;
  g_autoptr (GError) local = NULL;
  GstAudioInfo info;
  SF_INFO sfinfo = { 0 };
  sf_count_t got;

  file = sf_open (path, SFM_READ, &sfinfo);
  *opened = file != NULL;
  if (!file) {
    int code = sf_error (NULL);

    g_set_error (error, SEMBLANCE_ERROR, code == SF_ERR_SYSTEM
        ? SEMBLANCE_ERROR_OPEN : SEMBLANCE_ERROR_FORMAT,
        "%s: %s", display, code == SF_ERR_UNRECOGNISED_FORMAT
        ? "libsndfile does not read this format" : sf_error_number (code));
    return FALSE;
  }

  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_F32, sfinfo.samplerate,
      sfinfo.channels, NULL);
  analyzer = semblance_analyzer_new (&info, &local);
  if (!analyzer) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT, "%s: %s",
        display, local->message);
    return FALSE;
  }

  buf = g_new (float, (gsize) SNDFILE_CHUNK * sfinfo.channels);
  while ((got = sf_readf_float (file, buf, SNDFILE_CHUNK)) > 0) {
    if (!check_cancel (cancellable, display, error))
      return FALSE;
    semblance_analyzer_push (analyzer, buf, (gsize) got);
  }
  if (sf_error (file) != SF_ERR_NO_ERROR) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_DECODE,
        "%s: decoding failed after %.1f s: %s", display,
        semblance_analyzer_get_seconds (analyzer), sf_strerror (file));
    return FALSE;
  }
  return finish (analyzer, display, props, error);
}

typedef struct
{
  GstElement *pipeline;
  GstElement *convert;
  gboolean linked;
} Decoding;

static void
on_pad_added (GstElement *decodebin, GstPad *pad, Decoding *d)
{
  g_autoptr (GstCaps) caps = gst_pad_get_current_caps (pad);
  g_autoptr (GstPad) sink = NULL;
  const char *name;

  if (!caps)
    caps = gst_pad_query_caps (pad, NULL);
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (d->linked || !g_str_has_prefix (name, "audio/x-raw"))
    return;
  sink = gst_element_get_static_pad (d->convert, "sink");
  d->linked = gst_pad_link (pad, sink) == GST_PAD_LINK_OK;
}

static void
on_no_more_pads (GstElement *decodebin, Decoding *d)
{
  if (d->linked)
    return;
  gst_element_post_message (d->pipeline,
      gst_message_new_error (GST_OBJECT (decodebin),
          g_error_new_literal (SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT,
              "no audio stream in the file"), NULL));
}

static void
set_bus_error (GstMessage *msg, const char *display, GError **error)
{
  g_autoptr (GError) gerr = NULL;
  g_autofree char *debug = NULL;
  int code = SEMBLANCE_ERROR_DECODE;

  gst_message_parse_error (msg, &gerr, &debug);
  if (gerr->domain == SEMBLANCE_ERROR)
    code = gerr->code;
  else if (gerr->domain == GST_STREAM_ERROR
      && (gerr->code == GST_STREAM_ERROR_TYPE_NOT_FOUND
          || gerr->code == GST_STREAM_ERROR_WRONG_TYPE
          || gerr->code == GST_STREAM_ERROR_CODEC_NOT_FOUND))
    code = SEMBLANCE_ERROR_FORMAT;
  else if (gerr->domain == GST_RESOURCE_ERROR)
    code = SEMBLANCE_ERROR_OPEN;
  g_set_error (error, SEMBLANCE_ERROR, code, "%s: %s", display,
      gerr->message);
}

static gboolean
push_sample (GstSample *sample, SemblanceAnalyzer **analyzer,
             GstAudioInfo *info, const char *display, GError **error)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  g_autoptr (GError) local = NULL;
  GstAudioInfo sample_info;
  GstMapInfo map;

  if (!gst_audio_info_from_caps (&sample_info, gst_sample_get_caps (sample))) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT,
        "%s: the decoder produced audio of an unknown format", display);
    return FALSE;
  }
  if (!*analyzer) {
    *info = sample_info;
    *analyzer = semblance_analyzer_new (info, &local);
    if (!*analyzer) {
      g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT, "%s: %s",
          display, local->message);
      return FALSE;
    }
  } else if (!gst_audio_info_is_equal (info, &sample_info)) {
    /* Chained streams (an Ogg file joined from two) may change rate or
     * channels: they are not one track. */
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT,
        "%s: the audio format changes within the file", display);
    return FALSE;
  }
  if (!buffer || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return TRUE;
  semblance_analyzer_push (*analyzer, map.data,
      map.size / GST_AUDIO_INFO_BPF (info));
  gst_buffer_unmap (buffer, &map);
  return TRUE;
}

static gboolean
analyze_gstreamer (const char *path, const char *display,
                   GCancellable *cancellable, SemblanceProperties *props,
                   GError **error)
{
  g_autoptr (GstElement) pipeline = gst_pipeline_new ("semblance-decode");
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (SemblanceAnalyzer) analyzer = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *uri = NULL;
  GstElement *src, *convert, *sink;
  GstAudioInfo info;
  Decoding d = { 0 };
  gboolean ok = FALSE, eos = FALSE;

  uri = gst_filename_to_uri (path, &local);
  if (!uri) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_OPEN, "%s: %s",
        display, local->message);
    return FALSE;
  }

  src = gst_element_factory_make ("uridecodebin", NULL);
  convert = gst_element_factory_make ("audioconvert", NULL);
  sink = gst_element_factory_make ("appsink", NULL);
  if (!src || !convert || !sink) {
    g_clear_object (&src);
    g_clear_object (&convert);
    g_clear_object (&sink);
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_DECODE,
        "%s: GStreamer's base plugins (uridecodebin, audioconvert, appsink) "
        "are not installed", display);
    return FALSE;
  }
  /* Any rate and channel count: the analyzer converts them, exactly as on the
   * libsndfile path. */
  caps = gst_caps_from_string ("audio/x-raw,format=" GST_AUDIO_NE (F32)
      ",layout=interleaved");
  g_object_set (src, "uri", uri, NULL);
  g_object_set (sink, "caps", caps, "sync", FALSE, "max-buffers", 8,
      NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, convert, sink, NULL);
  gst_element_link (convert, sink);
  d.pipeline = pipeline;
  d.convert = convert;
  g_signal_connect (src, "pad-added", G_CALLBACK (on_pad_added), &d);
  g_signal_connect (src, "no-more-pads", G_CALLBACK (on_no_more_pads), &d);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (!eos) {
    g_autoptr (GstSample) sample = NULL;
    g_autoptr (GstMessage) msg = NULL;

    if (!check_cancel (cancellable, display, error))
      goto out;
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    if (msg) {
      set_bus_error (msg, display, error);
      goto out;
    }
    sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), PULL_TIMEOUT);
    if (!sample) {
      eos = gst_app_sink_is_eos (GST_APP_SINK (sink));
      continue;
    }
    if (!push_sample (sample, &analyzer, &info, display, error))
      goto out;
  }
  if (!analyzer) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_EMPTY,
        "%s: the file holds no audio samples", display);
    goto out;
  }
  ok = finish (analyzer, display, props, error);

out:
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return ok;
}

gboolean
semblance_analyze_file (const char *path, SemblanceDecoder decoder,
                        GCancellable *cancellable, SemblanceProperties *props,
                        GError **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_OPEN,
        "%s: no such file", display);
    return FALSE;
  }
  if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_OPEN,
        "%s: is a folder, not a file", display);
    return FALSE;
  }

  if (decoder != SEMBLANCE_DECODER_GSTREAMER) {
    gboolean opened;

    if (analyze_sndfile (path, display, cancellable, props, &opened, &local))
      return TRUE;
    if (opened || decoder == SEMBLANCE_DECODER_SNDFILE) {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
    g_clear_error (&local);
  }

  if (!gst_is_initialized () && !gst_init_check (NULL, NULL, &local)) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_DECODE,
        "%s: cannot initialise GStreamer: %s", display, local->message);
    return FALSE;
  }
  return analyze_gstreamer (path, display, cancellable, props, error);
}
