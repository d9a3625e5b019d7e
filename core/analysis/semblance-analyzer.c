/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-analyzer.h"
#include "semblance-analyzer-private.h"

#include <math.h>
#include <string.h>

#include "semblance-channel-weights.h"
#include "semblance-error.h"
#include "semblance-extractor-private.h"
#include "semblance-lazy.h"
#include "semblance-resampler.h"

/* Input frames converted per call: bounds the scratch buffers. */
#define CHUNK_FRAMES 4096

struct _SemblanceAnalyzer
{
  GstAudioInfo in_info;
  /* To mono float at the analysis rate, or at the input's rate when
   * resampler changes it. NULL when neither the format nor the channels
   * need GStreamer, and resampler does the rest. */
  GstAudioConverter *converter;
  /* Float stereo is mixed to mono here, CHUNK_FRAMES frames at a time:
   * GStreamer's channel mixer cost more than its resampler. NULL for other
   * input. */
  float *mono;
  /* Input at 44.1, 48, 32 kHz and most other rates is resampled with
   * GStreamer's filter in our vector code: the conversion takes 0.43 of
   * its time at 44.1 kHz, and about half at 32 kHz, where GStreamer
   * interpolates every output's taps (bench-analysis). NULL for rates
   * without a filter (semblance_analysis_resampling()). */
  SemblanceResampler *resampler;
  float *mono_in;               /* the converter's output for resampler */
  SemblanceExtractor *extractor;
  SemblanceAudioTap tap;        /* NULL without one */
  gpointer tap_data;
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

/* From @info to mono float at @rate. */
static GstAudioConverter *
mono_converter_new (const GstAudioInfo *info, int rate)
{
  GstAudioInfo out_info;
  GstStructure *config;

  gst_audio_info_set_format (&out_info, GST_AUDIO_FORMAT_F32, rate, 1, NULL);
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

GstAudioConverter *
semblance_analysis_converter_new (const GstAudioInfo *info)
{
  return mono_converter_new (info, SEMBLANCE_ANALYSIS_RATE);
}

/* Room either side of GStreamer's nominal window, where the read taps
 * are looked for: interpolating its table moves some phases' taps one
 * input out. */
#define WINDOW_MARGIN 8
/* Bounds on the ratio and the table (up rows of taps), beyond which the
 * converter is used. */
#define MAX_UP 2048
#define MAX_DOWN 4096
#define MAX_TABLE (256 * 1024)
/* Rates whose filters a process keeps (up to 1 MB each): music comes at a
 * few; a service fed many odd ones converts the rest with GStreamer. */
#define MAX_RATES 16

static unsigned
gcd (unsigned a, unsigned b)
{
  while (b) {
    unsigned t = a % b;

    a = b;
    b = t;
  }
  return a;
}

/* The first input that GStreamer centres output j on. */
static gssize
centre (const SemblanceResampling *r, gsize j)
{
  return (gssize) ((guint64) j * r->down / r->up);
}

/* GStreamer's resampler, for a ratio up / down, gives output j from the
 * inputs around j·down / up through taps that depend on j mod up alone:
 * one of its filter's phases, interpolated from its table. The converter's
 * output for a train of impulses, far enough apart that no output sees two
 * and at every offset modulo down, holds every phase's taps; each is read
 * into a window wider than the filter, then all are cut to the span their
 * taps take. FALSE when the converter is not of that shape: an output
 * responds outside the window, two outputs of a phase disagree, or a tap
 * is never seen. */
static gboolean
read_phases (GstAudioConverter *conv, SemblanceResampling *r, size_t n)
{
  const gssize lo = -(gssize) (n / 2) + 1 - WINDOW_MARGIN;
  const gsize width = n + 2 * WINDOW_MARGIN, lead = width;
  gsize spacing = width, len, n_out, j, k, phase;
  g_autofree float *x = NULL, *y = NULL, *wide = NULL;
  g_autofree guint8 *seen = NULL;
  g_autofree float *taps = NULL;
  g_autofree int *start = NULL;
  gpointer in[1], out[1];
  gssize first = G_MAXSSIZE, last = G_MINSSIZE;

  while (gcd (spacing, r->down) != 1)
    spacing++;
  len = lead + r->down * spacing + width;
  in[0] = x = g_new0 (float, len);
  for (k = 0; k < r->down; k++)
    x[lead + k * spacing] = 1.0f;
  n_out = gst_audio_converter_get_out_frames (conv, len);
  out[0] = y = g_new (float, MAX (n_out, 1));
  gst_audio_converter_reset (conv);
  if (!gst_audio_converter_samples (conv, GST_AUDIO_CONVERTER_FLAG_NONE, in,
          len, out, n_out))
    return FALSE;

  wide = g_new (float, r->up * width);
  seen = g_new0 (guint8, r->up * width);
  for (j = 0; j < n_out; j++) {
    gssize c = centre (r, j), rel;
    gdouble nearest = ((gdouble) c - lead) / spacing;

    k = (gsize) CLAMP (nearest + 0.5, 0.0, r->down - 1.0);
    rel = (gssize) (lead + k * spacing) - c - lo;
    phase = j % r->up;
    if (rel < 0 || rel >= (gssize) width) {
      if (y[j] != 0.0f)
        return FALSE;
      continue;
    }
    if (seen[phase * width + rel] && wide[phase * width + rel] != y[j])
      return FALSE;
    seen[phase * width + rel] = 1;
    wide[phase * width + rel] = y[j];
  }
  for (j = 0; j < r->up * width; j++) {
    if (!seen[j])
      return FALSE;
    if (wide[j] != 0.0f) {
      first = MIN (first, (gssize) (j % width));
      last = MAX (last, (gssize) (j % width));
    }
  }
  if (first > last)
    return FALSE;

  /* One span for all phases keeps each output's first input at or after
   * the last one's. */
  r->n_taps = ((gsize) (last - first) + SEMBLANCE_RESAMPLER_LANES)
      / SEMBLANCE_RESAMPLER_LANES * SEMBLANCE_RESAMPLER_LANES;
  if (first + (gssize) r->n_taps > (gssize) width)
    first = (gssize) width - (gssize) r->n_taps;
  if (first < 0)
    return FALSE;
  taps = g_new (float, r->up * r->n_taps);
  start = g_new (int, r->up);
  for (phase = 0; phase < r->up; phase++) {
    double sum = 0.0;

    memcpy (taps + phase * r->n_taps, wide + phase * width + first,
        r->n_taps * sizeof (float));
    for (k = 0; k < r->n_taps; k++)
      sum += taps[phase * r->n_taps + k];
    /* A constant keeps its level through a low-pass filter. */
    if (fabs (sum - 1.0) > 1e-3)
      return FALSE;
    start[phase] = (int) (centre (r, phase) + lo + first);
  }
  if (start[0] > 0 || -start[0] >= (int) r->n_taps)
    return FALSE;
  r->taps = g_steal_pointer (&taps);
  r->start = g_steal_pointer (&start);
  return TRUE;
}

static SemblanceResampling *
read_resampling (int rate)
{
  g_autofree SemblanceResampling *r = g_new0 (SemblanceResampling, 1);
  GstAudioConverter *conv;
  GstAudioInfo info;
  unsigned g = gcd ((unsigned) rate, SEMBLANCE_ANALYSIS_RATE);
  size_t n;
  gboolean ok;

  r->up = SEMBLANCE_ANALYSIS_RATE / g;
  r->down = (unsigned) rate / g;
  if (rate == SEMBLANCE_ANALYSIS_RATE || r->up > MAX_UP || r->down > MAX_DOWN)
    return NULL;
  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_F32, rate, 1, NULL);
  conv = semblance_analysis_converter_new (&info);
  if (!conv)
    return NULL;
  n = 2 * gst_audio_converter_get_max_latency (conv);
  ok = n > 0 && r->up * (n + 2 * WINDOW_MARGIN) <= MAX_TABLE
      && read_phases (conv, r, n);
  gst_audio_converter_free (conv);
  return ok ? g_steal_pointer (&r) : NULL;
}

const SemblanceResampling *
semblance_analysis_resampling (int rate)
{
  /* Filters of the process, one per input rate, read on first use; a rate
   * without one maps to NULL. */
  static GMutex lock;
  static GHashTable *filters;
  gpointer found = NULL;

  g_mutex_lock (&lock);
  if (!filters)
    filters = g_hash_table_new (NULL, NULL);
  if (!g_hash_table_lookup_extended (filters, GINT_TO_POINTER (rate), NULL,
          &found) && g_hash_table_size (filters) < MAX_RATES) {
    found = read_resampling (rate);
    g_hash_table_insert (filters, GINT_TO_POINTER (rate), found);
  }
  g_mutex_unlock (&lock);
  return found;
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
is_float_mono (const GstAudioInfo *info)
{
  return GST_AUDIO_INFO_FORMAT (info) == GST_AUDIO_FORMAT_F32
      && GST_AUDIO_INFO_CHANNELS (info) == 1;
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
  const SemblanceResampling *rs;

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
  rs = semblance_analysis_resampling (GST_AUDIO_INFO_RATE (info));
  if (rs)
    self->resampler = semblance_resampler_new (rs->taps, rs->start,
        rs->n_taps, rs->up, rs->down, CHUNK_FRAMES);
  if (is_equal_stereo (info) || is_float_mono (info)) {
    GstAudioInfo mono_info;

    if (is_equal_stereo (info))
      self->mono = g_new (float, CHUNK_FRAMES);
    gst_audio_info_set_format (&mono_info, GST_AUDIO_FORMAT_F32,
        GST_AUDIO_INFO_RATE (info), 1, NULL);
    if (!self->resampler)
      self->converter = semblance_analysis_converter_new (&mono_info);
  } else if (self->resampler) {
    self->converter = mono_converter_new (info, GST_AUDIO_INFO_RATE (info));
    self->mono_in = g_new (float, CHUNK_FRAMES);
  } else {
    self->converter = semblance_analysis_converter_new (&self->in_info);
  }
  if (!self->converter && !self->resampler) {
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
  semblance_resampler_free (self->resampler);
  g_free (self->mono_in);
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
semblance_analyzer_set_tap (SemblanceAnalyzer *self, SemblanceAudioTap tap,
                            gpointer user_data)
{
  self->tap = tap;
  self->tap_data = user_data;
}

/* @n samples of mono float at the analysis rate, to the tap and the
 * features. */
static void
extract (SemblanceAnalyzer *self, const float *samples, gsize n)
{
  if (self->tap)
    self->tap (samples, n, self->tap_data);
  semblance_extractor_push (self->extractor, samples, n);
}

/* Mono float at the input's rate, @n frames, to the analysis rate. */
static void
resample (SemblanceAnalyzer *self, const float *mono, gsize n)
{
  gsize out_frames = semblance_resampler_process (self->resampler, mono, n,
      self->out);

  extract (self, self->out, out_frames);
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
    gsize out_frames = self->resampler
        ? semblance_resampler_max_out (self->resampler, take)
        : gst_audio_converter_get_out_frames (self->converter, take);
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
    if (self->resampler && !self->converter) {
      resample (self, in[0], take);
    } else if (self->resampler) {
      out[0] = self->mono_in;
      if (gst_audio_converter_samples (self->converter,
              GST_AUDIO_CONVERTER_FLAG_NONE, in, take, out, take))
        resample (self, self->mono_in, take);
    } else if (gst_audio_converter_samples (self->converter,
            GST_AUDIO_CONVERTER_FLAG_NONE, in, take, out, out_frames)) {
      extract (self, self->out, out_frames);
    }
    p += take * bpf;
    n_frames -= take;
  }
}

static void
reset_conversion (SemblanceAnalyzer *self)
{
  if (self->converter)
    gst_audio_converter_reset (self->converter);
  if (self->resampler)
    semblance_resampler_reset (self->resampler);
}

void
semblance_analyzer_discont (SemblanceAnalyzer *self)
{
  reset_conversion (self);
  semblance_extractor_discont (self->extractor);
}

void
semblance_analyzer_reset (SemblanceAnalyzer *self)
{
  reset_conversion (self);
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
  /* GStreamer's resampler or ours holds back a few milliseconds: report
   * what came in. */
  props->seconds = semblance_analyzer_get_seconds (self);
}
