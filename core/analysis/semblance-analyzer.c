/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-analyzer.h"

#include <math.h>
#include <string.h>

#include "semblance-channel-weights.h"
#include "semblance-error.h"
#include "semblance-extractor-private.h"
#include "semblance-lazy.h"

/* Input frames converted per call: bounds the scratch buffers. */
#define CHUNK_FRAMES 4096

struct _SemblanceAnalyzer
{
  GstAudioInfo in_info;
  GstAudioConverter *converter;
  /* Float stereo is mixed to mono here, CHUNK_FRAMES frames at a time, and
   * converter then only resamples: GStreamer's channel mixer cost more
   * than its resampler. NULL for other input. */
  float *mono;
  SemblanceExtractor *extractor;
  gpointer clean;               /* float input with non-finite values replaced */
  float *out;
  gsize out_capacity;
  /* Loudness is measured on every channel at the input's rate, before the
   * downmix: BS.1770 sums the channels' energies, and a mono mix of a
   * stereo track reads 3 to 5 LU low. */
  SemblanceLoudness *meter;
  GstAudioConverter *to_float;  /* to interleaved F32, NULL for F32 input */
  float *meter_in;              /* CHUNK_FRAMES frames */
  guint64 in_frames;
};

/* GStreamer mixes positioned channels to mono by their positions (and
 * leaves out LFE); channels without positions get equal weights. */
static void
set_equal_mix (GstStructure *config, int channels)
{
  GValue matrix = G_VALUE_INIT, row = G_VALUE_INIT, weight = G_VALUE_INIT;
  int i;

  g_value_init (&matrix, GST_TYPE_ARRAY);
  g_value_init (&row, GST_TYPE_ARRAY);
  g_value_init (&weight, G_TYPE_FLOAT);
  g_value_set_float (&weight, 1.0f / channels);
  for (i = 0; i < channels; i++)
    gst_value_array_append_value (&row, &weight);
  gst_value_array_append_and_take_value (&matrix, &row);
  gst_structure_take_value (config, GST_AUDIO_CONVERTER_OPT_MIX_MATRIX,
      &matrix);
  g_value_unset (&weight);
}

GstAudioConverter *
semblance_analysis_converter_new (const GstAudioInfo *info)
{
  GstAudioInfo out_info;
  GstStructure *config;

  gst_audio_info_set_format (&out_info, GST_AUDIO_FORMAT_F32,
      SEMBLANCE_ANALYSIS_RATE, 1, NULL);
  /* Dithering and noise shaping only matter when reducing to integers; the
   * default Kaiser resampler is kept for its low aliasing. */
  config = gst_structure_new ("config",
      GST_AUDIO_CONVERTER_OPT_DITHER_METHOD, GST_TYPE_AUDIO_DITHER_METHOD,
      GST_AUDIO_DITHER_NONE, NULL);
  if (GST_AUDIO_INFO_IS_UNPOSITIONED (info) && GST_AUDIO_INFO_CHANNELS (info) > 1)
    set_equal_mix (config, GST_AUDIO_INFO_CHANNELS (info));
  return gst_audio_converter_new (GST_AUDIO_CONVERTER_FLAG_NONE,
      (GstAudioInfo *) info, &out_info, config);
}

/* Float stereo that GStreamer would mix with equal weights: front left and
 * right (its channel mixer gives each 1/2), or no positions (see
 * set_equal_mix()). */
static gboolean
is_equal_stereo (const GstAudioInfo *info)
{
  return GST_AUDIO_INFO_FORMAT (info) == GST_AUDIO_FORMAT_F32
      && GST_AUDIO_INFO_CHANNELS (info) == 2
      && (GST_AUDIO_INFO_IS_UNPOSITIONED (info)
          || (info->position[0] == GST_AUDIO_CHANNEL_POSITION_FRONT_LEFT
              && info->position[1] == GST_AUDIO_CHANNEL_POSITION_FRONT_RIGHT));
}

/* The same sums as GStreamer's mixer: both products are exact, the one
 * addition rounds. */
static void
mix_stereo (const float *in, gsize n_frames, float *out)
{
  gsize i;

  for (i = 0; i < n_frames; i++)
    out[i] = 0.5f * in[2 * i] + 0.5f * in[2 * i + 1];
}

static gboolean
open_meter (SemblanceAnalyzer *self, GError **error)
{
  const GstAudioInfo *info = &self->in_info;
  int channels = GST_AUDIO_INFO_CHANNELS (info);
  g_autofree SemblanceChannelWeight *weights =
      g_new (SemblanceChannelWeight, channels);

  semblance_channel_weights_from_info (info, weights);
  self->meter = semblance_loudness_new (GST_AUDIO_INFO_RATE (info), channels,
      weights);
  if (GST_AUDIO_INFO_FORMAT (info) == GST_AUDIO_FORMAT_F32)
    return TRUE;

  {
    GstAudioInfo float_info = *info;

    /* The same rate, channels and positions: only the sample format
     * changes, which needs no dithering. */
    float_info.finfo = gst_audio_format_get_info (GST_AUDIO_FORMAT_F32);
    float_info.bpf = channels * 4;
    self->to_float = gst_audio_converter_new (GST_AUDIO_CONVERTER_FLAG_NONE,
        (GstAudioInfo *) info, &float_info, gst_structure_new ("config",
            GST_AUDIO_CONVERTER_OPT_DITHER_METHOD,
            GST_TYPE_AUDIO_DITHER_METHOD, GST_AUDIO_DITHER_NONE, NULL));
  }
  if (!self->to_float) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT,
        "cannot convert %s audio with %d channels to float",
        gst_audio_format_to_string (GST_AUDIO_INFO_FORMAT (info)), channels);
    return FALSE;
  }
  self->meter_in = g_new (float, (gsize) CHUNK_FRAMES * channels);
  return TRUE;
}

SemblanceAnalyzer *
semblance_analyzer_new (const GstAudioInfo *info, GError **error)
{
  g_autoptr (SemblanceAnalyzer) self = NULL;

  if (GST_AUDIO_INFO_FORMAT (info) == GST_AUDIO_FORMAT_UNKNOWN
      || GST_AUDIO_INFO_RATE (info) < SEMBLANCE_MIN_RATE
      || GST_AUDIO_INFO_RATE (info) > SEMBLANCE_MAX_RATE
      || GST_AUDIO_INFO_CHANNELS (info) < 1
      || GST_AUDIO_INFO_CHANNELS (info) > SEMBLANCE_MAX_CHANNELS
      || GST_AUDIO_INFO_LAYOUT (info) != GST_AUDIO_LAYOUT_INTERLEAVED) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT,
        "unsupported audio format (%s, %d Hz, %d channels): supported are "
        "%d to %d Hz with 1 to %d interleaved channels",
        gst_audio_format_to_string (GST_AUDIO_INFO_FORMAT (info)),
        GST_AUDIO_INFO_RATE (info), GST_AUDIO_INFO_CHANNELS (info),
        SEMBLANCE_MIN_RATE, SEMBLANCE_MAX_RATE, SEMBLANCE_MAX_CHANNELS);
    return NULL;
  }

  self = g_new0 (SemblanceAnalyzer, 1);
  self->in_info = *info;
  if (is_equal_stereo (info)) {
    GstAudioInfo mono_info;

    gst_audio_info_set_format (&mono_info, GST_AUDIO_FORMAT_F32,
        GST_AUDIO_INFO_RATE (info), 1, NULL);
    self->converter = semblance_analysis_converter_new (&mono_info);
    self->mono = g_new (float, CHUNK_FRAMES);
  } else {
    self->converter = semblance_analysis_converter_new (&self->in_info);
  }
  if (!self->converter) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT,
        "cannot convert %s audio with %d channels at %d Hz",
        gst_audio_format_to_string (GST_AUDIO_INFO_FORMAT (info)),
        GST_AUDIO_INFO_CHANNELS (info), GST_AUDIO_INFO_RATE (info));
    return NULL;
  }
  self->extractor = semblance_extractor_new_unmetered ();
  if (GST_AUDIO_FORMAT_INFO_IS_FLOAT (self->in_info.finfo))
    self->clean = g_malloc ((gsize) CHUNK_FRAMES * GST_AUDIO_INFO_BPF (info));
  if (!open_meter (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
semblance_analyzer_free (SemblanceAnalyzer *self)
{
  if (!self)
    return;
  if (self->converter)
    gst_audio_converter_free (self->converter);
  semblance_extractor_free (self->extractor);
  semblance_loudness_free (self->meter);
  if (self->to_float)
    gst_audio_converter_free (self->to_float);
  g_free (self->meter_in);
  g_free (self->clean);
  g_free (self->mono);
  g_free (self->out);
  g_free (self);
}

/* Whether any of @n floats is infinite or NaN (all exponent bits set): a
 * loop without an early exit, which the compiler turns into vector code. */
static gboolean
any_nonfinite (const float *x, gsize n)
{
  guint32 bad = 0, bits;
  gsize i;

  for (i = 0; i < n; i++) {
    memcpy (&bits, x + i, sizeof bits);
    bad |= (bits & 0x7f800000u) == 0x7f800000u;
  }
  return bad != 0;
}

/* Resampling spreads a NaN over its neighbours, so float input is cleaned
 * before conversion. Returns the data to convert. */
static gconstpointer
clean_floats (SemblanceAnalyzer *self, gconstpointer data, gsize n_frames)
{
  gsize n = n_frames * GST_AUDIO_INFO_CHANNELS (&self->in_info), i;
  gboolean found = FALSE;

  if (GST_AUDIO_INFO_FORMAT (&self->in_info) == GST_AUDIO_FORMAT_F32) {
    const float *in = data;

    found = any_nonfinite (in, n);
    if (found) {
      float *out = self->clean;

      for (i = 0; i < n; i++)
        out[i] = isfinite (in[i]) ? in[i] : 0.0f;
    }
  } else if (GST_AUDIO_INFO_FORMAT (&self->in_info) == GST_AUDIO_FORMAT_F64) {
    const double *in = data;

    for (i = 0; i < n && !found; i++)
      found = !isfinite (in[i]);
    if (found) {
      double *out = self->clean;

      for (i = 0; i < n; i++)
        out[i] = isfinite (in[i]) ? in[i] : 0.0;
    }
  } else {
    /* Other float layouts (byte-swapped) are converted first: the extractor
     * then replaces whatever non-finite values come through. */
    return data;
  }
  if (!found)
    return data;
  semblance_extractor_flag_nonfinite (self->extractor);
  return self->clean;
}

static void
measure (SemblanceAnalyzer *self, gconstpointer data, gsize n_frames)
{
  gpointer in[1] = { (gpointer) data }, out[1] = { self->meter_in };

  if (!self->to_float) {
    semblance_loudness_process (self->meter, data, n_frames);
    return;
  }
  if (gst_audio_converter_samples (self->to_float,
          GST_AUDIO_CONVERTER_FLAG_NONE, in, n_frames, out, n_frames))
    semblance_loudness_process (self->meter, self->meter_in, n_frames);
}

void
semblance_analyzer_push (SemblanceAnalyzer *self, gconstpointer data,
                         gsize n_frames)
{
  const guint8 *p = data;
  gsize bpf = GST_AUDIO_INFO_BPF (&self->in_info);

  self->in_frames += n_frames;
  while (n_frames > 0) {
    gsize take = MIN (n_frames, CHUNK_FRAMES);
    gsize out_frames = gst_audio_converter_get_out_frames (self->converter,
        take);
    gpointer in[1], out[1];

    in[0] = (gpointer) p;
    if (self->clean)
      in[0] = (gpointer) clean_floats (self, p, take);
    /* The resampler's output per chunk varies with its phase and its
     * start-up delay, within a bound set by the rates. */
    if (out_frames > self->out_capacity) {
      self->out_capacity = out_frames;
      self->out = g_renew (float, self->out, self->out_capacity);
    }
    out[0] = self->out;
    measure (self, in[0], take);
    if (self->mono) {
      mix_stereo (in[0], take, self->mono);
      in[0] = self->mono;
    }
    if (gst_audio_converter_samples (self->converter,
            GST_AUDIO_CONVERTER_FLAG_NONE, in, take, out, out_frames))
      semblance_extractor_push (self->extractor, self->out, out_frames);
    p += take * bpf;
    n_frames -= take;
  }
}

void
semblance_analyzer_discont (SemblanceAnalyzer *self)
{
  gst_audio_converter_reset (self->converter);
  semblance_extractor_discont (self->extractor);
}

void
semblance_analyzer_reset (SemblanceAnalyzer *self)
{
  gst_audio_converter_reset (self->converter);
  semblance_extractor_reset (self->extractor);
  semblance_loudness_reset (self->meter);
  self->in_frames = 0;
}

double
semblance_analyzer_get_seconds (const SemblanceAnalyzer *self)
{
  return (double) self->in_frames / GST_AUDIO_INFO_RATE (&self->in_info);
}

void
semblance_analyzer_get_properties (const SemblanceAnalyzer *self,
                                   SemblanceProperties *props)
{
  SemblanceLoudnessResult loud;

  semblance_extractor_get_properties (self->extractor, props);
  semblance_loudness_result (self->meter, &loud);
  semblance_properties_set_loudness (props, &loud);
  /* The resampler holds back a few milliseconds: report what came in. */
  props->seconds = semblance_analyzer_get_seconds (self);
}
