/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-file-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <sndfile.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "semblance-album-artist.h"
#include "semblance-analyzer.h"
#include "semblance-error.h"
#include "semblance-lazy.h"

#define SNDFILE_CHUNK 8192
#define PULL_TIMEOUT (100 * GST_MSECOND)
/* A file is cut short when it ends this much before what its header
 * announces: more than a frame of any codec, less than audible. */
#define TRUNCATION_SLACK 0.05

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

/* Why @mode is not a regular file, or NULL when it is one. */
static const char *
not_regular (mode_t mode)
{
  if (S_ISREG (mode))
    return NULL;
  if (S_ISDIR (mode))
    return "is a folder, not a file";
  if (S_ISFIFO (mode))
    return "is a named pipe (FIFO), not a file: refused, since reading it "
        "may wait for ever";
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return "is a device, not a file: refused";
  return "is not a regular file: refused";
}

/* Opens @path for reading without waiting (a FIFO would block open()) and
 * refuses what is not a regular file: the check is on what was opened,
 * symbolic links followed. Returns the descriptor, or -1. */
static int
open_regular (const char *path, const char *display, GError **error)
{
  int fd = g_open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
  const char *why = NULL;
  GStatBuf st;

  if (fd < 0) {
    int saved = errno;

    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_OPEN, "%s: %s",
        display, g_strerror (saved));
    return -1;
  }
  if (fstat (fd, &st) != 0 || (why = not_regular (st.st_mode))) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_OPEN, "%s: %s",
        display, why ? why : g_strerror (errno));
    close (fd);
    return -1;
  }
  /* Reads from a regular file never block: back to plain reads. */
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

/* libsndfile reports a file that ends before its header says only in its
 * log ("data : N (should be M)" with N > M for RIFF and AIFF sizes, "ended
 * unexpectedly" for Ogg), or by decoding fewer frames than it announced.
 * A header that announces less than the file holds (a WAV beyond 4 GB) is
 * no truncation. */
static gboolean
sndfile_truncated (SNDFILE *file, const SF_INFO *sfinfo, sf_count_t decoded)
{
  char log[4096];
  const char *p;

  /* An MP3's frame count is an estimate (from its size and bit rate when
   * it has no Xing header): a quarter of the 4Q set's clips decode 0.1 to
   * 0.9 s short of it, whole. An Ogg's is its last granule position, which
   * libsndfile's Vorbis decoding may fall short of on whole files (0.13 s
   * of Wesnoth's "Northerners", which ffmpeg decodes to the end); a cut
   * Ogg has no end-of-stream page, which its log says. */
  if (sfinfo->frames > 0 && sfinfo->frames != SF_COUNT_MAX
      && (sfinfo->format & SF_FORMAT_TYPEMASK) != SF_FORMAT_MPEG
      && (sfinfo->format & SF_FORMAT_TYPEMASK) != SF_FORMAT_OGG
      && decoded < sfinfo->frames - TRUNCATION_SLACK * sfinfo->samplerate)
    return TRUE;
  sf_command (file, SFC_GET_LOG_INFO, log, sizeof log);
  if (strstr (log, "ended unexpectedly"))
    return TRUE;
  for (p = strstr (log, "data : "); p; p = strstr (p + 1, "data : ")) {
    guint64 announced, present;

    if (sscanf (p, "data : %" G_GUINT64_FORMAT " (should be %" G_GUINT64_FORMAT
            ")", &announced, &present) == 2 && announced > present)
      return TRUE;
  }
  return FALSE;
}

/* Sets @final when the verdict is final: the file cannot be opened at
 * all, or libsndfile recognised it (it may misreport files it does not
 * read). */
static GstAudioChannelPosition
position_of_sndfile (int map)
{
  switch (map) {
    case SF_CHANNEL_MAP_MONO: return GST_AUDIO_CHANNEL_POSITION_MONO;
    case SF_CHANNEL_MAP_LEFT:
    case SF_CHANNEL_MAP_FRONT_LEFT: return GST_AUDIO_CHANNEL_POSITION_FRONT_LEFT;
    case SF_CHANNEL_MAP_RIGHT:
    case SF_CHANNEL_MAP_FRONT_RIGHT: return GST_AUDIO_CHANNEL_POSITION_FRONT_RIGHT;
    case SF_CHANNEL_MAP_CENTER:
    case SF_CHANNEL_MAP_FRONT_CENTER: return GST_AUDIO_CHANNEL_POSITION_FRONT_CENTER;
    case SF_CHANNEL_MAP_REAR_CENTER: return GST_AUDIO_CHANNEL_POSITION_REAR_CENTER;
    case SF_CHANNEL_MAP_REAR_LEFT: return GST_AUDIO_CHANNEL_POSITION_REAR_LEFT;
    case SF_CHANNEL_MAP_REAR_RIGHT: return GST_AUDIO_CHANNEL_POSITION_REAR_RIGHT;
    case SF_CHANNEL_MAP_LFE: return GST_AUDIO_CHANNEL_POSITION_LFE1;
    case SF_CHANNEL_MAP_FRONT_LEFT_OF_CENTER: return GST_AUDIO_CHANNEL_POSITION_FRONT_LEFT_OF_CENTER;
    case SF_CHANNEL_MAP_FRONT_RIGHT_OF_CENTER: return GST_AUDIO_CHANNEL_POSITION_FRONT_RIGHT_OF_CENTER;
    case SF_CHANNEL_MAP_SIDE_LEFT: return GST_AUDIO_CHANNEL_POSITION_SIDE_LEFT;
    case SF_CHANNEL_MAP_SIDE_RIGHT: return GST_AUDIO_CHANNEL_POSITION_SIDE_RIGHT;
    case SF_CHANNEL_MAP_TOP_CENTER: return GST_AUDIO_CHANNEL_POSITION_TOP_CENTER;
    case SF_CHANNEL_MAP_TOP_FRONT_LEFT: return GST_AUDIO_CHANNEL_POSITION_TOP_FRONT_LEFT;
    case SF_CHANNEL_MAP_TOP_FRONT_RIGHT: return GST_AUDIO_CHANNEL_POSITION_TOP_FRONT_RIGHT;
    case SF_CHANNEL_MAP_TOP_FRONT_CENTER: return GST_AUDIO_CHANNEL_POSITION_TOP_FRONT_CENTER;
    case SF_CHANNEL_MAP_TOP_REAR_LEFT: return GST_AUDIO_CHANNEL_POSITION_TOP_REAR_LEFT;
    case SF_CHANNEL_MAP_TOP_REAR_RIGHT: return GST_AUDIO_CHANNEL_POSITION_TOP_REAR_RIGHT;
    case SF_CHANNEL_MAP_TOP_REAR_CENTER: return GST_AUDIO_CHANNEL_POSITION_TOP_REAR_CENTER;
    default: return GST_AUDIO_CHANNEL_POSITION_NONE;
  }
}

/* The positions of a file's channels, for the loudness weights and the
 * downmix: the file's own channel map when libsndfile reads one (WAV's
 * channel mask, CAF), else the order the format defines for its channel
 * count (Vorbis and Opus put the centre second and LFE last; WAV and FLAC
 * follow the WAVE mask order, GStreamer's fallback). FALSE when nothing
 * is known: the channels are then unpositioned and count alike. */
static gboolean
sndfile_positions (SNDFILE *file, const SF_INFO *sfinfo,
                   GstAudioChannelPosition *positions)
{
  static const GstAudioChannelPosition vorbis[8][8] = {
#define P(x) GST_AUDIO_CHANNEL_POSITION_##x
    { P (MONO) },
    { P (FRONT_LEFT), P (FRONT_RIGHT) },
    { P (FRONT_LEFT), P (FRONT_CENTER), P (FRONT_RIGHT) },
    { P (FRONT_LEFT), P (FRONT_RIGHT), P (REAR_LEFT), P (REAR_RIGHT) },
    { P (FRONT_LEFT), P (FRONT_CENTER), P (FRONT_RIGHT), P (REAR_LEFT),
      P (REAR_RIGHT) },
    { P (FRONT_LEFT), P (FRONT_CENTER), P (FRONT_RIGHT), P (REAR_LEFT),
      P (REAR_RIGHT), P (LFE1) },
    { P (FRONT_LEFT), P (FRONT_CENTER), P (FRONT_RIGHT), P (SIDE_LEFT),
      P (SIDE_RIGHT), P (REAR_CENTER), P (LFE1) },
    { P (FRONT_LEFT), P (FRONT_CENTER), P (FRONT_RIGHT), P (SIDE_LEFT),
      P (SIDE_RIGHT), P (REAR_LEFT), P (REAR_RIGHT), P (LFE1) },
#undef P
  };
  int channels = sfinfo->channels, c;
  g_autofree int *map = g_new0 (int, channels);

  if (channels <= 2)
    return FALSE;               /* GStreamer's defaults for mono and stereo */
  if (sf_command (file, SFC_GET_CHANNEL_MAP_INFO, map,
          channels * (int) sizeof (int)) == SF_TRUE) {
    for (c = 0; c < channels; c++)
      positions[c] = position_of_sndfile (map[c]);
  } else if (channels <= 8
      && (sfinfo->format & SF_FORMAT_TYPEMASK) == SF_FORMAT_OGG) {
    memcpy (positions, vorbis[channels - 1], channels * sizeof *positions);
  } else if (channels <= 8) {
    gst_audio_channel_positions_from_mask (channels,
        gst_audio_channel_get_fallback_mask (channels), positions);
  } else {
    return FALSE;
  }
  return gst_audio_check_valid_channel_positions (positions, channels, FALSE);
}

/* A tag's text as UTF-8, or NULL when it is empty. Vorbis comments and
 * ID3v2 are UTF-8 by then, but the text chunks of WAV and AIFF are bytes
 * in no declared encoding: those that are not UTF-8 are read as Latin-1,
 * which takes any bytes, as GStreamer's tag readers fall back to. */
static char *
tag_text (const char *s)
{
  if (!s || !*s)
    return NULL;
  if (g_utf8_validate (s, -1, NULL))
    return g_strdup (s);
  return g_convert (s, -1, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
}

/* The tags libsndfile read while opening @file, the album artist, which
 * it has not, from TagLib (through @fd, the file's descriptor, once the
 * decoding is done: a fraction of a millisecond), and the length of the
 * @decoded frames. */
static GstTagList *
sndfile_tags (int fd, SNDFILE *file, const SF_INFO *sfinfo,
              sf_count_t decoded)
{
  static const struct
  {
    int id;
    const char *tag;
  } strings[] = {
    { SF_STR_TITLE, GST_TAG_TITLE },
    { SF_STR_ARTIST, GST_TAG_ARTIST },
    { SF_STR_ALBUM, GST_TAG_ALBUM },
    { SF_STR_GENRE, GST_TAG_GENRE },
  };
  GstTagList *tags = gst_tag_list_new_empty ();
  const char *number = sf_get_string (file, SF_STR_TRACKNUMBER);
  g_autofree char *album_artist = semblance_read_album_artist (fd);
  guint64 n;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (strings); i++) {
    g_autofree char *text = tag_text (sf_get_string (file, strings[i].id));

    if (text)
      gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE, strings[i].tag, text,
          NULL);
  }
  if (album_artist && g_utf8_validate (album_artist, -1, NULL))
    gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE, GST_TAG_ALBUM_ARTIST,
        album_artist, NULL);
  /* "7" or "7/12" */
  if (number && (n = g_ascii_strtoull (number, NULL, 10)) > 0
      && n <= G_MAXUINT)
    gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE, GST_TAG_TRACK_NUMBER,
        (guint) n, NULL);
  gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE, GST_TAG_DURATION,
      gst_util_uint64_scale ((guint64) decoded, GST_SECOND,
          (guint64) sfinfo->samplerate), NULL);
  return tags;
}

/* Who else sees the audio the analysis reads
 * (semblance_analyze_file_tagged()). */
typedef struct
{
  SemblanceAudioTap func;
  gpointer data;
} Tap;

static void
set_tap (SemblanceAnalyzer *analyzer, const Tap *tap)
{
  if (tap)
    semblance_analyzer_set_tap (analyzer, tap->func, tap->data);
}

static gboolean
analyze_sndfile (const char *path, const char *display,
                 GCancellable *cancellable, const Tap *tap,
                 SemblanceProperties *props, GstTagList **tags,
                 gboolean *final, GError **error)
{
  g_autoptr (SNDFILE) file = NULL;
  g_autoptr (SemblanceAnalyzer) analyzer = NULL;
  g_autofree float *buf = NULL;
  g_autoptr (GError) local = NULL;
  GstAudioInfo info;
  GstAudioChannelPosition positions[64];
  SF_INFO sfinfo = { 0 };
  sf_count_t got, decoded = 0;
  int fd;

  fd = open_regular (path, display, error);
  *final = fd < 0;
  if (fd < 0)
    return FALSE;
  file = sf_open_fd (fd, SFM_READ, &sfinfo, TRUE);
  *final = file != NULL;
  if (!file) {
    int code = sf_error (NULL);

    g_set_error (error, SEMBLANCE_ERROR, code == SF_ERR_SYSTEM
        ? SEMBLANCE_ERROR_OPEN : SEMBLANCE_ERROR_FORMAT,
        "%s: %s", display, code == SF_ERR_UNRECOGNISED_FORMAT
        ? "libsndfile does not read this format" : sf_error_number (code));
    return FALSE;
  }

  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_F32, sfinfo.samplerate,
      sfinfo.channels, sfinfo.channels <= 64
      && sndfile_positions (file, &sfinfo, positions) ? positions : NULL);
  analyzer = semblance_analyzer_new (&info, &local);
  if (!analyzer) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT, "%s: %s",
        display, local->message);
    return FALSE;
  }
  set_tap (analyzer, tap);

  buf = g_new (float, (gsize) SNDFILE_CHUNK * sfinfo.channels);
  while ((got = sf_readf_float (file, buf, SNDFILE_CHUNK)) > 0) {
    if (!check_cancel (cancellable, display, error))
      return FALSE;
    semblance_analyzer_push (analyzer, buf, (gsize) got);
    decoded += got;
  }
  if (sf_error (file) != SF_ERR_NO_ERROR) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_DECODE,
        "%s: decoding failed after %.1f s: %s", display,
        semblance_analyzer_get_seconds (analyzer), sf_strerror (file));
    return FALSE;
  }
  if (sndfile_truncated (file, &sfinfo, decoded)) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_DECODE,
        "%s: truncated: the file ends after %.1f s of audio, before the "
        "end its header announces", display,
        semblance_analyzer_get_seconds (analyzer));
    return FALSE;
  }
  if (!finish (analyzer, display, props, error))
    return FALSE;
  if (tags)
    *tags = sndfile_tags (fd, file, &sfinfo, decoded);
  return TRUE;
}

/* Decoding threads of the pipeline's own, one per streaming task: they
 * take the priority of the thread that analyses (an indexer lowers it), and
 * none of them goes back to GLib's shared pool, where a player's streaming
 * thread could pick it up. GLib's shared pool would also give every thread
 * the scheduling of the first thread that made a shared pool, which fails,
 * with a GLib-CRITICAL, from a thread of lowered priority. */
#define SEMBLANCE_TYPE_TASK_POOL (semblance_task_pool_get_type ())
G_DECLARE_FINAL_TYPE (SemblanceTaskPool, semblance_task_pool, SEMBLANCE,
                      TASK_POOL, GstTaskPool)

struct _SemblanceTaskPool
{
  GstTaskPool parent;
};

G_DEFINE_FINAL_TYPE (SemblanceTaskPool, semblance_task_pool,
                     GST_TYPE_TASK_POOL)

typedef struct
{
  GstTaskPoolFunction func;
  gpointer data;
} TaskStart;

static gpointer
run_task (gpointer data)
{
  TaskStart start = *(TaskStart *) data;

  g_free (data);
  start.func (start.data);
  return NULL;
}

static void
task_pool_prepare (GstTaskPool *pool, GError **error)
{
}

static void
task_pool_cleanup (GstTaskPool *pool)
{
}

static gpointer
task_pool_push (GstTaskPool *pool, GstTaskPoolFunction func, gpointer data,
                GError **error)
{
  TaskStart *start = g_new (TaskStart, 1);
  GThread *thread;

  start->func = func;
  start->data = data;
  thread = g_thread_try_new ("semblance-dec", run_task, start, error);
  if (!thread)
    g_free (start);
  return thread;
}

static void
task_pool_join (GstTaskPool *pool, gpointer id)
{
  g_thread_join (id);
}

static void
task_pool_dispose_handle (GstTaskPool *pool, gpointer id)
{
  g_thread_unref (id);
}

static void
semblance_task_pool_class_init (SemblanceTaskPoolClass *klass)
{
  GstTaskPoolClass *pool_class = GST_TASK_POOL_CLASS (klass);

  pool_class->prepare = task_pool_prepare;
  pool_class->cleanup = task_pool_cleanup;
  pool_class->push = task_pool_push;
  pool_class->join = task_pool_join;
  pool_class->dispose_handle = task_pool_dispose_handle;
}

static void
semblance_task_pool_init (SemblanceTaskPool *self)
{
}

typedef struct
{
  GstElement *pipeline;
  GstElement *convert;
  gboolean linked;
  GstTaskPool *pool;
  GMutex lock;
  GPtrArray *tasks;             /* every streaming task, under the lock */
  GstTagList *tags;             /* the tag messages', under the lock */
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

/* In the thread that posts: a new streaming task runs on the pipeline's
 * own threads, and is watched; tags are gathered, the first value of each
 * kept (a stream's own tags come after its container's). Only errors are
 * read from the bus. */
static GstBusSyncReply
on_sync_message (GstBus *bus, GstMessage *msg, gpointer data)
{
  Decoding *d = data;
  GstStreamStatusType type;
  GstElement *owner;
  const GValue *object;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    return GST_BUS_PASS;
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_TAG) {
    g_autoptr (GstTagList) tags = NULL;

    gst_message_parse_tag (msg, &tags);
    g_mutex_lock (&d->lock);
    gst_tag_list_insert (d->tags, tags, GST_TAG_MERGE_KEEP);
    g_mutex_unlock (&d->lock);
  }
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_STREAM_STATUS) {
    gst_message_parse_stream_status (msg, &type, &owner);
    object = gst_message_get_stream_status_object (msg);
    if (type == GST_STREAM_STATUS_TYPE_CREATE && object
        && G_VALUE_HOLDS (object, GST_TYPE_TASK)) {
      GstTask *task = g_value_get_object (object);

      gst_task_set_pool (task, d->pool);
      g_mutex_lock (&d->lock);
      g_ptr_array_add (d->tasks, gst_object_ref (task));
      g_mutex_unlock (&d->lock);
    }
  }
  return GST_BUS_DROP;
}

/* Whether any streaming thread is at work: when none is and no audio
 * comes, nothing will come. */
static gboolean
any_task_started (Decoding *d)
{
  gboolean started = FALSE;
  guint i;

  g_mutex_lock (&d->lock);
  for (i = 0; i < d->tasks->len && !started; i++)
    started = gst_task_get_state (d->tasks->pdata[i]) == GST_TASK_STARTED;
  g_mutex_unlock (&d->lock);
  return started;
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
             GstAudioInfo *info, const Tap *tap, const char *display,
             GError **error)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  g_autoptr (GError) local = NULL;
  GstAudioInfo sample_info;
  GstMapInfo map;
  gsize n_frames;

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
    set_tap (*analyzer, tap);
  } else if (!gst_audio_info_is_equal (info, &sample_info)) {
    /* Chained streams (an Ogg file joined from two) may change rate or
     * channels: they are not one track. */
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT,
        "%s: the audio format changes within the file", display);
    return FALSE;
  }
  if (!buffer || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return TRUE;
  n_frames = map.size / GST_AUDIO_INFO_BPF (info);
  semblance_analyzer_push (*analyzer, map.data, n_frames);
  gst_buffer_unmap (buffer, &map);
  return TRUE;
}

const SemblanceDecodeLimits semblance_decode_limits_default = {
  /* A streaming thread at work can be slow (the indexer's threads have the
   * lowest priority), but never this slow. */
  .stall_timeout = 30 * G_TIME_SPAN_SECOND,
  /* With no streaming thread left at work, audio that has not come will
   * not come: decodebin may drop a demuxer's error (seen on Ogg files with
   * a damaged header) and never finish. Threads hand over between stages
   * (typefinding, then demuxing) with none started for a moment, which a
   * loaded machine stretches (250 ms proved too short under the
   * sanitizers): the idle time must last this long without a break. */
  .idle_timeout = 1 * G_TIME_SPAN_SECOND,
  /* Local files decode at hundreds of times real time: a minute, plus a
   * second for every 64 KiB, is ample for any that makes progress. */
  .overall_base = 60 * G_TIME_SPAN_SECOND,
  .overall_bytes_per_second = 64 * 1024,
};

static gboolean
analyze_gstreamer (const char *path, const char *display, goffset size,
                   const SemblanceDecodeLimits *limits,
                   GCancellable *cancellable, const Tap *tap,
                   SemblanceProperties *props, GstTagList **tags,
                   GError **error)
{
  g_autoptr (GstElement) pipeline = gst_pipeline_new ("semblance-decode");
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (SemblanceAnalyzer) analyzer = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (GstTaskPool) pool = g_object_new (SEMBLANCE_TYPE_TASK_POOL,
      NULL);
  g_autoptr (GPtrArray) tasks = g_ptr_array_new_with_free_func
      (gst_object_unref);
  g_autoptr (GstTagList) found = gst_tag_list_new_empty ();
  g_autofree char *uri = NULL;
  GstElement *src, *convert, *sink;
  GstAudioInfo info;
  Decoding d = { 0 };
  gboolean ok = FALSE, eos = FALSE;
  gint64 start, last_progress, busy, deadline, announced = -1;

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
  d.pool = pool;
  d.tasks = tasks;
  d.tags = found;
  g_mutex_init (&d.lock);
  g_signal_connect (src, "pad-added", G_CALLBACK (on_pad_added), &d);
  g_signal_connect (src, "no-more-pads", G_CALLBACK (on_no_more_pads), &d);
  gst_bus_set_sync_handler (bus, on_sync_message, &d, NULL);

  start = last_progress = busy = g_get_monotonic_time ();
  deadline = start + limits->overall_base
      + size / MAX (limits->overall_bytes_per_second, 1) * G_TIME_SPAN_SECOND;
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE) {
    g_autoptr (GstMessage) msg = gst_bus_pop_filtered (bus,
        GST_MESSAGE_ERROR);

    if (msg)
      set_bus_error (msg, display, error);
    else
      g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_DECODE,
          "%s: GStreamer cannot start decoding the file", display);
    goto out;
  }
  while (!eos) {
    g_autoptr (GstSample) sample = NULL;
    g_autoptr (GstMessage) msg = NULL;
    gint64 now, quiet;
    double seconds;

    if (!check_cancel (cancellable, display, error))
      goto out;
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    if (msg) {
      set_bus_error (msg, display, error);
      goto out;
    }
    sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), PULL_TIMEOUT);
    now = g_get_monotonic_time ();
    seconds = analyzer ? semblance_analyzer_get_seconds (analyzer) : 0.0;
    if (now > deadline) {
      g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_DECODE,
          "%s: decoding took more than %.0f s, the bound for a file of %"
          G_GOFFSET_FORMAT " bytes (%.1f s of audio by then)", display,
          (double) (deadline - start) / G_TIME_SPAN_SECOND, size, seconds);
      goto out;
    }
    if (!sample) {
      eos = gst_app_sink_is_eos (GST_APP_SINK (sink));
      quiet = now - last_progress;
      if (any_task_started (&d))
        busy = now;
      if (!eos && quiet > limits->idle_timeout
          && now - busy > limits->idle_timeout) {
        g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_DECODE,
            "%s: decoding stopped after %.1f s of audio without an end or "
            "an error: the file is damaged or not what its name says",
            display, seconds);
        goto out;
      }
      if (!eos && quiet > limits->stall_timeout) {
        g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_DECODE,
            "%s: decoding stalled: no audio for %.0f s (after %.1f s of "
            "audio)", display, (double) quiet / G_TIME_SPAN_SECOND, seconds);
        goto out;
      }
      continue;
    }
    last_progress = now;
    if (!push_sample (sample, &analyzer, &info, tap, display, error))
      goto out;
    /* What the header announces, once the pipeline knows. */
    if (announced < 0)
      gst_element_query_duration (pipeline, GST_FORMAT_TIME, &announced);
  }
  if (!analyzer) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_EMPTY,
        "%s: the file holds no audio samples", display);
    goto out;
  }
  if (announced > 0 && semblance_analyzer_get_seconds (analyzer)
      < (double) announced / GST_SECOND - TRUNCATION_SLACK) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_DECODE,
        "%s: truncated: the file ends after %.1f s of audio, where its "
        "header announces %.1f s", display,
        semblance_analyzer_get_seconds (analyzer),
        (double) announced / GST_SECOND);
    goto out;
  }
  ok = finish (analyzer, display, props, error);

out:
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (ok && tags) {
    /* No streaming thread is left: the tags are all there. */
    gst_tag_list_add (found, GST_TAG_MERGE_REPLACE, GST_TAG_DURATION,
        announced > 0 ? (guint64) announced
        : (guint64) (semblance_analyzer_get_seconds (analyzer) * GST_SECOND),
        NULL);
    *tags = g_steal_pointer (&found);
  }
  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  g_mutex_clear (&d.lock);
  return ok;
}

static gboolean
init_gstreamer (const char *display, GError **error)
{
  g_autoptr (GError) local = NULL;

  if (gst_is_initialized () || gst_init_check (NULL, NULL, &local))
    return TRUE;
  g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_DECODE,
      "%s: cannot initialise GStreamer: %s", display, local->message);
  return FALSE;
}

static gboolean
analyze_file (const char *path, SemblanceDecoder decoder,
              const SemblanceDecodeLimits *limits, GCancellable *cancellable,
              const Tap *tap, SemblanceProperties *props, GstTagList **tags,
              GError **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr (GError) local = NULL;
  const char *why;
  GStatBuf st;

  /* Refused before anything opens them: opening a FIFO waits for a
   * writer, and a device never ends. stat() follows symbolic links. */
  if (g_stat (path, &st) != 0) {
    int saved = errno;

    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_OPEN, "%s: %s",
        display, saved == ENOENT ? "no such file" : g_strerror (saved));
    return FALSE;
  }
  if ((why = not_regular (st.st_mode))) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_OPEN, "%s: %s",
        display, why);
    return FALSE;
  }

  /* A tag list needs GStreamer's tags registered, on either path. */
  if (tags && !init_gstreamer (display, error))
    return FALSE;
  if (decoder != SEMBLANCE_DECODER_GSTREAMER) {
    gboolean final;

    if (analyze_sndfile (path, display, cancellable, tap, props, tags,
            &final, &local))
      return TRUE;
    if (final || decoder == SEMBLANCE_DECODER_SNDFILE) {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
    g_clear_error (&local);
  }
  if (!init_gstreamer (display, error))
    return FALSE;
  return analyze_gstreamer (path, display, st.st_size, limits, cancellable,
      tap, props, tags, error);
}

gboolean
semblance_analyze_file_with_limits (const char *path,
                                    SemblanceDecoder decoder,
                                    const SemblanceDecodeLimits *limits,
                                    GCancellable *cancellable,
                                    SemblanceProperties *props,
                                    GError **error)
{
  return analyze_file (path, decoder, limits, cancellable, NULL, props,
      NULL, error);
}

gboolean
semblance_analyze_file_tagged (const char *path, SemblanceDecoder decoder,
                               GCancellable *cancellable,
                               SemblanceAudioTap tap, gpointer tap_data,
                               SemblanceProperties *props, GstTagList **tags,
                               GError **error)
{
  Tap t = { tap, tap_data };

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (tags != NULL, FALSE);

  return analyze_file (path, decoder, &semblance_decode_limits_default,
      cancellable, &t, props, tags, error);
}

gboolean
semblance_analyze_file (const char *path, SemblanceDecoder decoder,
                        GCancellable *cancellable, SemblanceProperties *props,
                        GError **error)
{
  g_return_val_if_fail (path != NULL, FALSE);

  return semblance_analyze_file_with_limits (path, decoder,
      &semblance_decode_limits_default, cancellable, props, error);
}
