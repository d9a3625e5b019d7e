/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The same music in different raw formats gives the same features. */
#include <math.h>
#include <sndfile.h>

#include "signals.h"

typedef struct
{
  float *x;                     /* interleaved stereo */
  gsize frames;
  int rate;
} Music;

static void
music_load (Music *m, const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("SEMBLANCE_DEMO_DIR"),
      name, NULL);
  SF_INFO info = { 0 };
  SNDFILE *f = sf_open (path, SFM_READ, &info);

  g_assert_nonnull (f);
  g_assert_cmpint (info.channels, ==, 2);
  m->rate = info.samplerate;
  m->x = g_new (float, info.frames * 2);
  m->frames = (gsize) sf_readf_float (f, m->x, info.frames);
  sf_close (f);
}

static gpointer
convert (gconstpointer data, gsize in_frames, const GstAudioInfo *in,
         const GstAudioInfo *out, gsize *out_frames)
{
  GstAudioConverter *conv;
  gpointer result, inp[1], outp[1];

  conv = gst_audio_converter_new (0, (GstAudioInfo *) in,
      (GstAudioInfo *) out, NULL);
  g_assert_nonnull (conv);
  *out_frames = gst_audio_converter_get_out_frames (conv, in_frames);
  result = g_malloc0 (*out_frames * GST_AUDIO_INFO_BPF (out));
  inp[0] = (gpointer) data;
  outp[0] = result;
  g_assert_true (gst_audio_converter_samples (conv, 0, inp, in_frames, outp,
          *out_frames));
  gst_audio_converter_free (conv);
  return result;
}

/* The music in @info's format. More than two channels carry the stereo
 * mix in every channel, without positions: their equal-weight mix is the
 * same mono signal again. */
static gpointer
music_convert (const Music *m, const GstAudioInfo *info, gsize *frames)
{
  g_autofree float *mono = NULL;
  g_autofree float *spread = NULL;
  GstAudioInfo stereo, mono_info, spread_info;
  int channels = GST_AUDIO_INFO_CHANNELS (info), c;
  gsize i;

  gst_audio_info_set_format (&stereo, GST_AUDIO_FORMAT_F32, m->rate, 2, NULL);
  if (channels <= 2)
    return convert (m->x, m->frames, &stereo, info, frames);

  gst_audio_info_set_format (&mono_info, GST_AUDIO_FORMAT_F32,
      GST_AUDIO_INFO_RATE (info), 1, NULL);
  mono = convert (m->x, m->frames, &stereo, &mono_info, frames);
  spread = g_new (float, *frames * channels);
  for (i = 0; i < *frames; i++)
    for (c = 0; c < channels; c++)
      spread[i * channels + c] = mono[i];
  gst_audio_info_set_format (&spread_info, GST_AUDIO_FORMAT_F32,
      GST_AUDIO_INFO_RATE (info), channels, NULL);
  return convert (spread, *frames, &spread_info, info, frames);
}

static void
analyze_as (const Music *m, GstAudioFormat format, int rate, int channels,
            SemblanceProperties *props)
{
  g_autoptr (SemblanceAnalyzer) analyzer = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gpointer data = NULL;
  GstAudioInfo info;
  gsize frames, done, chunk = 1000;

  gst_audio_info_set_format (&info, format, rate, channels, NULL);
  data = music_convert (m, &info, &frames);
  analyzer = semblance_analyzer_new (&info, &error);
  g_assert_no_error (error);
  /* Uneven pieces, as a decoder hands them out. */
  for (done = 0; done < frames; done += chunk, chunk = chunk * 7 % 4093 + 1)
    semblance_analyzer_push (analyzer, (guint8 *) data + done *
        GST_AUDIO_INFO_BPF (&info), MIN (chunk, frames - done));
  semblance_analyzer_get_properties (analyzer, props);
  assert_properties_finite (props);
}

/* Largest difference over the vector, each value scaled by its magnitude in
 * the reference (at least 1, so that values near 0 compare absolutely).
 * Loudness is left out: it sums the channels, so the variants below differ
 * in it by design (test_formats_agree checks by how much). */
static double
max_scaled_difference (const SemblanceProperties *a,
                       const SemblanceProperties *b, gsize *where)
{
  double worst = 0.0;
  gsize i;

  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++) {
    double d;

    if (i == SEMBLANCE_F_LOUDNESS || i == SEMBLANCE_F_LOUDNESS_RANGE
        || i == SEMBLANCE_F_LOUDNESS_VARIATION)
      continue;
    d = fabs (a->vector[i] - b->vector[i]) / MAX (1.0,
        fabs (a->vector[i]));

    if (d > worst) {
      worst = d;
      *where = i;
    }
  }
  return worst;
}

typedef struct
{
  const char *name;
  GstAudioFormat format;
  int rate;
  int channels;
} Variant;

static void
test_formats_agree (void)
{
  static const Variant variants[] = {
    { "S16 44.1 kHz stereo", GST_AUDIO_FORMAT_S16, 44100, 2 },
    { "F32 22.05 kHz mono", GST_AUDIO_FORMAT_F32, 22050, 1 },
    /* Mixed to mono by the analyzer itself, not GStreamer. */
    { "F32 44.1 kHz stereo", GST_AUDIO_FORMAT_F32, 44100, 2 },
    { "S24 48 kHz stereo", GST_AUDIO_FORMAT_S24, 48000, 2 },
    { "S32 96 kHz 6 channels", GST_AUDIO_FORMAT_S32, 96000, 6 },
    { "F64 192 kHz 8 channels", GST_AUDIO_FORMAT_F64, 192000, 8 },
  };
  const char *const names[] = { "battle.ogg", "love-theme.ogg" };
  gsize n, v;

  for (n = 0; n < G_N_ELEMENTS (names); n++) {
    Music m;
    SemblanceProperties ref;

    SemblanceProperties mono = { 0 };

    music_load (&m, names[n]);
    analyze_as (&m, variants[0].format, variants[0].rate,
        variants[0].channels, &ref);
    for (v = 1; v < G_N_ELEMENTS (variants); v++) {
      SemblanceProperties p;
      char name[SEMBLANCE_VALUE_NAME_MAX];
      gsize where = 0;
      double d;

      analyze_as (&m, variants[v].format, variants[v].rate,
          variants[v].channels, &p);
      d = max_scaled_difference (&ref, &p, &where);
      semblance_layout_value_name (where, name);
      g_test_message ("%s, %s against %s: largest difference %.4f (%s: %.4f "
          "vs %.4f), tempo %.2f vs %.2f", names[n], variants[v].name,
          variants[0].name, d, name, ref.vector[where], p.vector[where],
          ref.tempo, p.tempo);
      g_assert_cmpfloat (d, <, 0.05);
      g_assert_cmpfloat_with_epsilon (p.tempo, ref.tempo, 0.5);
      g_assert_cmpint (p.key, ==, ref.key);
      g_assert_cmpint (p.major, ==, ref.major);
      /* Loudness sums the channels' energies: the stereo variants read
       * alike; N unpositioned copies of the mono mix read 10 log10 N LU
       * above the mono variant, with its range. */
      if (variants[v].channels == 1)
        mono = p;
      else if (variants[v].channels == 2)
        g_assert_cmpfloat_with_epsilon (p.loudness, ref.loudness, 0.1);
      else
        g_assert_cmpfloat_with_epsilon (p.loudness, mono.loudness +
            10.0 * log10 (variants[v].channels), 0.1);
      if (variants[v].channels > 2)
        g_assert_cmpfloat_with_epsilon (p.loudness_range,
            mono.loudness_range, 0.2);
      g_assert_cmpfloat_with_epsilon (p.brightness, ref.brightness,
          0.005 * ref.brightness);
      /* The test's own resampling to this variant drops a few ms at the end. */
      g_assert_cmpfloat_with_epsilon (p.seconds, ref.seconds, 0.01);
    }
    g_free (m.x);
  }
}

static void
test_rejects_unsupported (void)
{
  g_autoptr (GError) error = NULL;
  GstAudioInfo info;

  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_S16, 4000, 2, NULL);
  g_assert_null (semblance_analyzer_new (&info, &error));
  g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT);
  g_clear_error (&error);

  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_S16, 44100, 64, NULL);
  g_assert_null (semblance_analyzer_new (&info, &error));
  g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT);
  g_clear_error (&error);

  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_S16, 800000, 2, NULL);
  g_assert_null (semblance_analyzer_new (&info, &error));
  g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT);
}

/* What a player's decoder may give and the converter reduces: more than
 * eight channels, rates above 192 kHz. */
static void
test_accepts_wide_formats (void)
{
  const int formats[][2] = { { 44100, 10 }, { 384000, 2 }, { 48000, 63 } };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (SemblanceAnalyzer) a = NULL;
    g_autofree gint16 *zeros = g_new0 (gint16, 4096 * formats[i][1]);
    SemblanceProperties p;
    GstAudioInfo info;

    gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_S16, formats[i][0],
        formats[i][1], NULL);
    a = semblance_analyzer_new (&info, &error);
    g_assert_no_error (error);
    semblance_analyzer_push (a, zeros, 4096);
    semblance_analyzer_get_properties (a, &p);
    assert_properties_finite (&p);
    g_assert_cmpfloat_with_epsilon (p.seconds, 4096.0 / formats[i][0], 1e-9);
  }
}

static void
test_low_rate_is_defined (void)
{
  gsize n = 8000 * 5;
  g_autofree float *x = signal_sine (8000, n, 440.0, 0.5);
  SemblanceProperties p;

  signal_analyze (x, n, 8000, &p);
  assert_properties_finite (&p);
  /* A steady tone: no pulse, nothing else to flag. */
  g_assert_cmpuint (p.flags, ==, SEMBLANCE_FLAG_NO_PULSE);
  g_assert_cmpfloat_with_epsilon (p.brightness, 440.0, 5.0);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/analyzer/formats-agree", test_formats_agree);
  g_test_add_func ("/analyzer/rejects-unsupported", test_rejects_unsupported);
  g_test_add_func ("/analyzer/accepts-wide-formats", test_accepts_wide_formats);
  g_test_add_func ("/analyzer/low-rate", test_low_rate_is_defined);
  return g_test_run ();
}
