/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The loudness meter on interleaved multichannel signals: against ffmpeg's
 * ebur128 filter, and against what BS.1770-4 says of sines; and the
 * analyzer and the file decoders, which must hand it every channel. */
#include <ebur128.h>
#include <glib/gstdio.h>
#include <gst/audio/audio.h>
#include <math.h>
#include <sndfile.h>
#include <string.h>

#include "semblance-analyzer.h"
#include "semblance-channel-weights.h"
#include "semblance-file.h"
#include "semblance-loudness.h"

#define RATE 48000

/* A sine at 1 kHz with a peak of -20 dBFS reads -23.01 LUFS in one front
 * channel: BS.1770 calibrates K-weighting so that a 0 dBFS 1 kHz sine
 * reads -3.01. */
#define SINE_LUFS (-23.01)

/* The signals of ffmpeg's figures below, as ffmpeg's aevalsrc makes them:
 * in every channel but LFE, a level 14 dB lower after 12 s. */
typedef struct
{
  double amplitude, hz, amplitude2, hz2;
  gboolean steady;              /* no level change */
} Tone;

static float *
render (const Tone *tones, int channels, double seconds)
{
  gsize n = (gsize) (seconds * RATE), i;
  float *x = g_new (float, n * channels);
  int c;

  for (i = 0; i < n; i++) {
    double t = (double) i / RATE;

    for (c = 0; c < channels; c++) {
      const Tone *tone = &tones[c];
      double g = tone->steady || t < 12.0 ? 1.0 : 0.2;

      x[i * channels + c] = (float) (g * (tone->amplitude *
              sin (2.0 * G_PI * tone->hz * t) + tone->amplitude2 *
              sin (2.0 * G_PI * tone->hz2 * t)));
    }
  }
  return x;
}

static void
measure (const float *x, gsize n_frames, int channels,
         const SemblanceChannelWeight *weights, SemblanceLoudnessResult *r)
{
  SemblanceLoudness *l = semblance_loudness_new (RATE, channels, weights);
  gsize i, chunk = 1000;

  /* Uneven chunks, so that steps end inside them. */
  for (i = 0; i < n_frames; i += chunk)
    semblance_loudness_process (l, x + i * channels, MIN (chunk, n_frames - i));
  semblance_loudness_result (l, r);
  semblance_loudness_free (l);
}

static void
info_5_1 (GstAudioInfo *info)
{
  static const GstAudioChannelPosition positions[] = {
    GST_AUDIO_CHANNEL_POSITION_FRONT_LEFT,
    GST_AUDIO_CHANNEL_POSITION_FRONT_RIGHT,
    GST_AUDIO_CHANNEL_POSITION_FRONT_CENTER,
    GST_AUDIO_CHANNEL_POSITION_LFE1,
    GST_AUDIO_CHANNEL_POSITION_REAR_LEFT,
    GST_AUDIO_CHANNEL_POSITION_REAR_RIGHT,
  };

  gst_audio_info_set_format (info, GST_AUDIO_FORMAT_F32, RATE, 6, positions);
}

/* The figures are ffmpeg 5.1's (lavfi.r128.I and .LRA of the last frame):
 *   G='if(lt(t\,12)\,1\,0.2)'
 *   ffmpeg -f lavfi -i "aevalsrc=exprs=$G*(0.3*sin(2*PI*997*t)+0.1*sin(2*PI*4001*t))|$G*(0.4*sin(2*PI*211*t)+0.05*sin(2*PI*7919*t)):s=48000:d=20:c=stereo" \
 *     -af ebur128=metadata=1,ametadata=print:file=- -f null -
 * ffmpeg keeps 0.01 LU bins and libebur128 0.1 LU bins: they agree to
 * 0.05 LU. */
static const Tone stereo_tones[] = {
  { 0.3, 997, 0.1, 4001, FALSE }, { 0.4, 211, 0.05, 7919, FALSE },
};

static void
test_stereo_ffmpeg (void)
{
  GstAudioInfo info;
  SemblanceChannelWeight weights[2];
  g_autofree float *x = render (stereo_tones, 2, 20.0);
  SemblanceLoudnessResult r;

  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_F32, RATE, 2, NULL);
  semblance_channel_weights_from_info (&info, weights);
  measure (x, 20 * RATE, 2, weights, &r);
  g_test_message ("stereo: %.3f LUFS, LRA %.3f LU", r.integrated, r.range);
  g_assert_cmpfloat_with_epsilon (r.integrated, -9.160, 0.06);
  g_assert_cmpfloat_with_epsilon (r.range, 13.98, 0.15);
}

/* Same, with c=5.1 and the exprs
 *   $G*0.3*sin(2*PI*997*t)|$G*0.25*sin(2*PI*1499*t)|$G*0.2*sin(2*PI*3001*t)|
 *   0.9*sin(2*PI*50*t)|$G*0.2*sin(2*PI*499*t)|$G*0.15*sin(2*PI*6007*t)
 * (FL FR FC LFE BL BR): a loud LFE that must not count, surrounds that
 * count 1.5 dB more. */
static const Tone tones_5_1[] = {
  { 0.3, 997, 0, 0, FALSE }, { 0.25, 1499, 0, 0, FALSE },
  { 0.2, 3001, 0, 0, FALSE }, { 0.9, 50, 0, 0, TRUE },
  { 0.2, 499, 0, 0, FALSE }, { 0.15, 6007, 0, 0, FALSE },
};

static void
test_5_1_ffmpeg (void)
{
  GstAudioInfo info;
  SemblanceChannelWeight weights[6];
  g_autofree float *x = render (tones_5_1, 6, 20.0);
  SemblanceLoudnessResult r;

  info_5_1 (&info);
  semblance_channel_weights_from_info (&info, weights);
  measure (x, 20 * RATE, 6, weights, &r);
  g_test_message ("5.1: %.3f LUFS, LRA %.3f LU", r.integrated, r.range);
  g_assert_cmpfloat_with_epsilon (r.integrated, -7.340, 0.06);
  g_assert_cmpfloat_with_epsilon (r.range, 13.97, 0.15);
}

/* One 1 kHz sine in one channel of 5.1 at a time: front channels read
 * SINE_LUFS, the rear ones 10 log10 1.41 = 1.49 LU more, LFE nothing; in
 * both channels of stereo, 3.01 LU more than in one. */
static void
test_channel_weights (void)
{
  static const double expected[6] = {
    SINE_LUFS, SINE_LUFS, SINE_LUFS, SEMBLANCE_LOUDNESS_FLOOR,
    SINE_LUFS + 1.49, SINE_LUFS + 1.49,
  };
  GstAudioInfo info;
  SemblanceChannelWeight weights[6];
  Tone tones[6] = { { 0 } };
  SemblanceLoudnessResult r;
  int c;

  info_5_1 (&info);
  semblance_channel_weights_from_info (&info, weights);
  for (c = 0; c < 6; c++) {
    g_autofree float *x = NULL;

    memset (tones, 0, sizeof tones);
    tones[c] = (Tone) { 0.1, 1000, 0, 0, TRUE };
    x = render (tones, 6, 5.0);
    measure (x, 5 * RATE, 6, weights, &r);
    g_test_message ("5.1 channel %d alone: %.3f LUFS", c, r.integrated);
    g_assert_cmpfloat_with_epsilon (r.integrated, expected[c], 0.06);
  }

  {
    Tone both[2] = { { 0.1, 1000, 0, 0, TRUE }, { 0.1, 1000, 0, 0, TRUE } };
    g_autofree float *x = render (both, 2, 5.0);
    g_autofree float *mono = render (both, 1, 5.0);

    measure (x, 5 * RATE, 2, NULL, &r);
    g_assert_cmpfloat_with_epsilon (r.integrated, SINE_LUFS + 3.01, 0.06);
    measure (mono, 5 * RATE, 1, NULL, &r);
    g_assert_cmpfloat_with_epsilon (r.integrated, SINE_LUFS, 0.06);
  }
}

static void
test_weights_from_positions (void)
{
  static const GstAudioChannelPosition pos_7_1[] = {
    GST_AUDIO_CHANNEL_POSITION_FRONT_LEFT,
    GST_AUDIO_CHANNEL_POSITION_FRONT_RIGHT,
    GST_AUDIO_CHANNEL_POSITION_FRONT_CENTER,
    GST_AUDIO_CHANNEL_POSITION_LFE1,
    GST_AUDIO_CHANNEL_POSITION_REAR_LEFT,
    GST_AUDIO_CHANNEL_POSITION_REAR_RIGHT,
    GST_AUDIO_CHANNEL_POSITION_SIDE_LEFT,
    GST_AUDIO_CHANNEL_POSITION_SIDE_RIGHT,
  };
  static const SemblanceChannelWeight want_7_1[] = {
    SEMBLANCE_CHANNEL_FRONT, SEMBLANCE_CHANNEL_FRONT, SEMBLANCE_CHANNEL_FRONT,
    SEMBLANCE_CHANNEL_UNUSED, SEMBLANCE_CHANNEL_SURROUND,
    SEMBLANCE_CHANNEL_SURROUND, SEMBLANCE_CHANNEL_SURROUND,
    SEMBLANCE_CHANNEL_SURROUND,
  };
  GstAudioInfo info;
  SemblanceChannelWeight w[8];
  int c;

  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_F32, RATE, 8, pos_7_1);
  semblance_channel_weights_from_info (&info, w);
  for (c = 0; c < 8; c++)
    g_assert_cmpint (w[c], ==, want_7_1[c]);

  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_S16, RATE, 1, NULL);
  semblance_channel_weights_from_info (&info, w);
  g_assert_cmpint (w[0], ==, SEMBLANCE_CHANNEL_FRONT);

  /* Channels without positions all count once, even a fourth one that
   * GStreamer's default 4.0 layout would call rear. */
  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_S16, RATE, 4, NULL);
  info.flags |= GST_AUDIO_FLAG_UNPOSITIONED;
  semblance_channel_weights_from_info (&info, w);
  for (c = 0; c < 4; c++)
    g_assert_cmpint (w[c], ==, SEMBLANCE_CHANNEL_FRONT);
}

/* 10 s at -33 LUFS then 10 s at -23: both pass the relative gate, so the
 * momentary loudness spreads by half their difference. */
static void
test_variation_and_reset (void)
{
  gsize half = 10 * RATE, i;
  g_autofree float *x = g_new (float, 2 * half);
  SemblanceLoudness *l = semblance_loudness_new (RATE, 1, NULL);
  SemblanceLoudnessResult first, again;

  for (i = 0; i < 2 * half; i++)
    x[i] = (float) ((i < half ? 0.0316228 : 0.1) *
        sin (2.0 * G_PI * 1000.0 * i / RATE));
  semblance_loudness_process (l, x, 2 * half);
  semblance_loudness_result (l, &first);
  g_test_message ("two levels: %.3f LUFS, LRA %.2f, variation %.3f",
      first.integrated, first.range, first.variation);
  g_assert_cmpfloat_with_epsilon (first.variation, 5.0, 0.25);
  g_assert_cmpfloat_with_epsilon (first.range, 10.0, 0.5);

  semblance_loudness_reset (l);
  semblance_loudness_result (l, &again);
  g_assert_cmpfloat (again.integrated, ==, SEMBLANCE_LOUDNESS_FLOOR);
  g_assert_cmpfloat (again.range, ==, 0.0);
  g_assert_cmpfloat (again.variation, ==, 0.0);
  semblance_loudness_process (l, x, 2 * half);
  semblance_loudness_result (l, &again);
  g_assert_cmpfloat (again.integrated, ==, first.integrated);
  g_assert_cmpfloat (again.variation, ==, first.variation);
  semblance_loudness_free (l);
}

/* The gated measures, made here from libebur128's 100 ms energies, against
 * libebur128's own, which keep every block (no histogram) and so are
 * exact: on 90 s of stereo noise whose level wanders over 40 dB, with
 * silences under the absolute gate and passages between the relative
 * gates. */
static void
test_gates_as_libebur128 (void)
{
  const gsize n = 90 * RATE;
  g_autofree float *x = g_new (float, 2 * n);
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  ebur128_state *reference = ebur128_init (2, RATE,
      EBUR128_MODE_I | EBUR128_MODE_LRA);
  SemblanceLoudnessResult r;
  double integrated, range;
  gsize i;

  for (i = 0; i < n; i++) {
    double t = (double) i / RATE;
    /* -45 to -5 dBFS, silent from 20 to 25 s and from 60 to 61.5 s. */
    double db = -25.0 + 20.0 * sin (2.0 * G_PI * t / 17.0)
        * cos (2.0 * G_PI * t / 41.0);
    double g = (t >= 20.0 && t < 25.0) || (t >= 60.0 && t < 61.5) ? 0.0
        : pow (10.0, db / 20.0);

    x[2 * i] = (float) (g * g_rand_double_range (rand, -1.0, 1.0));
    x[2 * i + 1] = (float) (g * 0.5 * g_rand_double_range (rand, -1.0, 1.0));
  }
  measure (x, n, 2, NULL, &r);
  g_assert_cmpint (ebur128_add_frames_float (reference, x, n), ==,
      EBUR128_SUCCESS);
  g_assert_cmpint (ebur128_loudness_global (reference, &integrated), ==,
      EBUR128_SUCCESS);
  g_assert_cmpint (ebur128_loudness_range (reference, &range), ==,
      EBUR128_SUCCESS);
  ebur128_destroy (&reference);
  g_test_message ("wandering noise: %.3f LUFS, LRA %.3f LU; libebur128 "
      "%.3f LUFS, LRA %.3f LU", r.integrated, r.range, integrated, range);
  g_assert_cmpfloat (range, >, 10.0);
  /* Of the gate's own bin (0.05 LU) a share counts: here it holds 3
   * blocks, each 0.008 LU of the mean; libebur128's own histogram mode,
   * of 0.1 LU bins, is 0.026 LU off on this signal. */
  g_assert_cmpfloat_with_epsilon (r.integrated, integrated, 0.03);
  g_assert_cmpfloat_with_epsilon (r.range, range, 0.1);
}

/* @x (F32) through a SemblanceAnalyzer in @format, in uneven chunks. */
static void
analyze_as (const float *x, gsize n_frames, const GstAudioInfo *f32_info,
            GstAudioFormat format, SemblanceProperties *props)
{
  int channels = GST_AUDIO_INFO_CHANNELS (f32_info);
  GstAudioInfo info = *f32_info;
  g_autoptr (SemblanceAnalyzer) a = NULL;
  g_autofree guint8 *data = NULL;
  gsize i, chunk = 3001;

  info.finfo = gst_audio_format_get_info (format);
  info.bpf = channels * GST_AUDIO_FORMAT_INFO_WIDTH (info.finfo) / 8;
  if (format == GST_AUDIO_FORMAT_F32) {
    data = g_memdup2 (x, n_frames * info.bpf);
  } else {
    GstAudioConverter *conv = gst_audio_converter_new (0,
        (GstAudioInfo *) f32_info, &info, NULL);
    gpointer in[1] = { (gpointer) x }, out[1];

    data = g_malloc (n_frames * info.bpf);
    out[0] = data;
    g_assert_true (gst_audio_converter_samples (conv, 0, in, n_frames, out,
            n_frames));
    gst_audio_converter_free (conv);
  }
  a = semblance_analyzer_new (&info, NULL);
  g_assert_nonnull (a);
  for (i = 0; i < n_frames; i += chunk)
    semblance_analyzer_push (a, data + i * info.bpf, MIN (chunk, n_frames - i));
  semblance_analyzer_get_properties (a, props);
}

/* The analyzer measures before its downmix to mono: ffmpeg's figures of
 * the signals above, in float and in 16-bit samples. */
static void
test_analyzer_channels (void)
{
  g_autofree float *stereo = render (stereo_tones, 2, 20.0);
  g_autofree float *surround = render (tones_5_1, 6, 20.0);
  GstAudioInfo info;
  SemblanceProperties p;

  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_F32, RATE, 2, NULL);
  analyze_as (stereo, 20 * RATE, &info, GST_AUDIO_FORMAT_F32, &p);
  g_test_message ("analyzer, stereo F32: %.3f LUFS, LRA %.3f LU",
      p.loudness, p.loudness_range);
  g_assert_cmpfloat_with_epsilon (p.loudness, -9.160, 0.06);
  g_assert_cmpfloat_with_epsilon (p.loudness_range, 13.98, 0.15);
  g_assert_cmpfloat (p.vector[SEMBLANCE_F_LOUDNESS], ==, (float) p.loudness);
  analyze_as (stereo, 20 * RATE, &info, GST_AUDIO_FORMAT_S16, &p);
  g_test_message ("analyzer, stereo S16: %.3f LUFS", p.loudness);
  g_assert_cmpfloat_with_epsilon (p.loudness, -9.160, 0.06);

  info_5_1 (&info);
  analyze_as (surround, 20 * RATE, &info, GST_AUDIO_FORMAT_F32, &p);
  g_test_message ("analyzer, 5.1 F32: %.3f LUFS, LRA %.3f LU", p.loudness,
      p.loudness_range);
  g_assert_cmpfloat_with_epsilon (p.loudness, -7.340, 0.06);
  g_assert_cmpfloat_with_epsilon (p.loudness_range, 13.97, 0.15);
  analyze_as (surround, 20 * RATE, &info, GST_AUDIO_FORMAT_S32, &p);
  g_assert_cmpfloat_with_epsilon (p.loudness, -7.340, 0.06);
}

/* A 5.1 FLAC file, whose channel order the format defines (FL FR FC LFE
 * BL BR) and whose header names no positions: both decoders give the
 * channels their positions, so the LFE is left out and the surrounds
 * weigh more. */
static void
test_file_5_1 (void)
{
  g_autofree float *x = render (tones_5_1, 6, 20.0);
  g_autofree char *dir = g_dir_make_tmp ("semblance-loudness-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "surround.flac", NULL);
  SF_INFO sfinfo = { .samplerate = RATE, .channels = 6,
    .format = SF_FORMAT_FLAC | SF_FORMAT_PCM_24 };
  SNDFILE *f = sf_open (path, SFM_WRITE, &sfinfo);
  SemblanceDecoder decoders[] = {
    SEMBLANCE_DECODER_SNDFILE, SEMBLANCE_DECODER_GSTREAMER,
  };
  int i;

  g_assert_nonnull (f);
  g_assert_cmpint (sf_writef_float (f, x, 20 * RATE), ==, 20 * RATE);
  sf_close (f);
  for (i = 0; i < 2; i++) {
    g_autoptr (GError) error = NULL;
    SemblanceProperties p;

    g_assert_true (semblance_analyze_file (path, decoders[i], NULL, &p,
            &error));
    g_assert_no_error (error);
    g_test_message ("5.1 FLAC, decoder %d: %.3f LUFS", i, p.loudness);
    g_assert_cmpfloat_with_epsilon (p.loudness, -7.340, 0.06);
  }
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/loudness/stereo-ffmpeg", test_stereo_ffmpeg);
  g_test_add_func ("/loudness/5.1-ffmpeg", test_5_1_ffmpeg);
  g_test_add_func ("/loudness/channel-weights", test_channel_weights);
  g_test_add_func ("/loudness/weights-from-positions",
      test_weights_from_positions);
  g_test_add_func ("/loudness/variation-and-reset", test_variation_and_reset);
  g_test_add_func ("/loudness/gates-as-libebur128", test_gates_as_libebur128);
  g_test_add_func ("/loudness/analyzer-channels", test_analyzer_channels);
  g_test_add_func ("/loudness/file-5.1", test_file_5_1);
  return g_test_run ();
}
