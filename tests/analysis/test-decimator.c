/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The 2:1 decimator: against direct sums with known filters, the same
 * output whether it is fed whole or in uneven pieces, and with the filter
 * read off GStreamer's resampler, the samples and the features that
 * GStreamer's converter gives. */
#include <glib.h>
#include <gst/audio/audio.h>
#include <math.h>

#include "semblance-analyzer-private.h"
#include "semblance-decimator.h"
#include "signals.h"

#define IN_RATE 44100
#define OUT_NYQUIST (IN_RATE / 4.0)

/* Decimates @x in pieces of 1 to @max_piece samples; returns the outputs. */
static float *
decimate (const float *taps, gsize n_taps, const float *x, gsize n,
          gsize max_piece, gsize *n_out)
{
  SemblanceDecimator *d = semblance_decimator_new (taps, n_taps, max_piece);
  float *out = g_new (float, n / 2 + 1);
  gsize done = 0, piece = 1;

  *n_out = 0;
  while (done < n) {
    gsize take = MIN (piece, n - done);

    *n_out += semblance_decimator_process (d, x + done, take, out + *n_out);
    done += take;
    piece = piece * 7 % max_piece + 1;
  }
  semblance_decimator_free (d);
  return out;
}

/* Output j is the taps times inputs 2j - n / 2 + 1 onwards, silence before
 * the first; every output whose inputs have all come is given. */
static void
test_direct_sums (void)
{
  const gsize n = 1001, lengths[] = { 8, 16, 96 };
  g_autofree float *x = signal_white_noise (IN_RATE, n, 0.5, 3);
  gsize l;

  for (l = 0; l < G_N_ELEMENTS (lengths); l++) {
    gsize n_taps = lengths[l], n_out, j, k;
    /* Any taps: noise. */
    g_autofree float *taps = signal_white_noise (IN_RATE, n_taps, 1.0, 5 + l);
    g_autofree float *y = NULL;

    y = decimate (taps, n_taps, x, n, 64, &n_out);
    g_assert_cmpuint (n_out, ==, (n + n_taps / 2 - 1 - n_taps) / 2 + 1);
    for (j = 0; j < n_out; j++) {
      double sum = 0.0;

      for (k = 0; k < n_taps; k++) {
        gssize i = (gssize) (2 * j + k) - (gssize) (n_taps / 2 - 1);

        if (i >= 0)
          sum += (double) taps[k] * x[i];
      }
      g_assert_cmpfloat_with_epsilon (y[j], sum, 1e-5);
    }
  }
}

static void
test_pieces_and_reset (void)
{
  const gsize n = 20011, n_taps = 32;
  g_autofree float *x = signal_white_noise (IN_RATE, n, 0.5, 7);
  g_autofree float *whole = g_new (float, n / 2 + 1);
  g_autofree float *again = g_new (float, n / 2 + 1);
  g_autofree float *pieces = NULL;
  g_autofree float *taps = signal_white_noise (IN_RATE, n_taps, 1.0, 9);
  SemblanceDecimator *d;
  gsize n_whole, n_pieces, n_again, j;

  d = semblance_decimator_new (taps, n_taps, n);
  n_whole = semblance_decimator_process (d, x, n, whole);
  pieces = decimate (taps, n_taps, x, n, 333, &n_pieces);
  g_assert_cmpuint (n_pieces, ==, n_whole);
  for (j = 0; j < n_whole; j++)
    g_assert_cmpfloat (pieces[j], ==, whole[j]);

  /* After a reset, the filter starts from silence again. */
  semblance_decimator_process (d, x, n / 2, again);
  semblance_decimator_reset (d);
  n_again = semblance_decimator_process (d, x, n, again);
  g_assert_cmpuint (n_again, ==, n_whole);
  for (j = 0; j < n_whole; j++)
    g_assert_cmpfloat (again[j], ==, whole[j]);
  semblance_decimator_free (d);
}

/* |H(f)| in dB. */
static double
response_db (const float *h, gsize n, double hz)
{
  double w = 2.0 * G_PI * hz / IN_RATE, re = 0.0, im = 0.0;
  gsize i;

  for (i = 0; i < n; i++) {
    re += h[i] * cos (w * i);
    im += h[i] * sin (w * i);
  }
  return 10.0 * log10 (re * re + im * im + 1e-300);
}

/* What was read off GStreamer is a low-pass filter for halving the rate:
 * flat to 0.7 of the new Nyquist frequency (GStreamer 1.22's is -6 dB at
 * 0.85), 80 dB down above it. */
static void
test_gstreamer_filter (void)
{
  const float *taps;
  gsize n_taps;
  double pass = 0.0, stop = -1000.0, hz;

  g_assert_true (semblance_analysis_halving_taps (&taps, &n_taps));
  for (hz = 0.0; hz <= 0.7 * OUT_NYQUIST; hz += 5.0)
    pass = MAX (pass, fabs (response_db (taps, n_taps, hz)));
  for (hz = OUT_NYQUIST; hz <= IN_RATE / 2.0; hz += 5.0)
    stop = MAX (stop, response_db (taps, n_taps, hz));
  g_test_message ("%" G_GSIZE_FORMAT " taps: passband ripple %.4f dB, "
      "stopband %.1f dB", n_taps, pass, stop);
  g_assert_cmpfloat (pass, <, 0.01);
  g_assert_cmpfloat (stop, <, -80.0);
}

/* What GStreamer's converter makes of @x, mono float at IN_RATE. */
static float *
gstreamer_halves (const float *x, gsize n, gsize *n_out)
{
  GstAudioInfo info;
  GstAudioConverter *conv;
  gpointer in[1] = { (gpointer) x }, out[1];
  float *y;

  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_F32, IN_RATE, 1, NULL);
  conv = semblance_analysis_converter_new (&info);
  g_assert_nonnull (conv);
  *n_out = gst_audio_converter_get_out_frames (conv, n);
  y = g_new (float, *n_out);
  out[0] = y;
  g_assert_true (gst_audio_converter_samples (conv,
          GST_AUDIO_CONVERTER_FLAG_NONE, in, n, out, *n_out));
  gst_audio_converter_free (conv);
  return y;
}

static float *
test_music (gsize n)
{
  const double tones[] = { 440.0, 9000.0, 10500.0, 13000.0 };
  float *x = signal_white_noise (IN_RATE, n, 0.3, 11);
  gsize i, j;

  for (i = 0; i < G_N_ELEMENTS (tones); i++) {
    g_autofree float *tone = signal_sine (IN_RATE, n, tones[i], 0.15);

    for (j = 0; j < n; j++)
      x[j] += tone[j];
  }
  return x;
}

/* The same samples as GStreamer's converter, at the same times. */
static void
test_as_gstreamer (void)
{
  const gsize n = 30011;
  g_autofree float *x = test_music (n);
  g_autofree float *ours = NULL, *theirs = NULL;
  const float *taps;
  double worst = 0.0;
  gsize n_taps, n_ours, n_theirs, j;

  g_assert_true (semblance_analysis_halving_taps (&taps, &n_taps));
  ours = decimate (taps, n_taps, x, n, 4096, &n_ours);
  theirs = gstreamer_halves (x, n, &n_theirs);
  g_assert_cmpuint (n_ours, ==, n_theirs);
  for (j = 0; j < n_ours; j++)
    worst = MAX (worst, fabs (ours[j] - theirs[j]));
  g_test_message ("largest difference from GStreamer's %.2e", worst);
  g_assert_cmpfloat (worst, <, 1e-6);
}

/* The analyzer halves 44.1 kHz itself: its features are those of the same
 * music halved by GStreamer first. Loudness is measured before either, at
 * the input's rate, so it is left out. */
static void
test_same_features (void)
{
  const gsize n = 10 * IN_RATE;
  g_autofree float *x = test_music (n);
  g_autofree float *half = NULL;
  SemblanceProperties ours, theirs;
  double worst = 0.0;
  gsize n_half, i;

  half = gstreamer_halves (x, n, &n_half);
  signal_analyze (x, n, IN_RATE, &ours);
  signal_analyze (half, n_half, IN_RATE / 2, &theirs);
  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++)
    if (i != SEMBLANCE_F_LOUDNESS && i != SEMBLANCE_F_LOUDNESS_RANGE
        && i != SEMBLANCE_F_LOUDNESS_VARIATION)
      worst = MAX (worst, fabs (ours.vector[i] - theirs.vector[i]) / MAX (1.0,
            fabs (theirs.vector[i])));
  g_test_message ("largest scaled feature difference %.2e", worst);
  g_assert_cmpfloat (worst, <, 1e-4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);
  g_test_add_func ("/decimator/direct-sums", test_direct_sums);
  g_test_add_func ("/decimator/pieces-and-reset", test_pieces_and_reset);
  g_test_add_func ("/decimator/gstreamer-filter", test_gstreamer_filter);
  g_test_add_func ("/decimator/as-gstreamer", test_as_gstreamer);
  g_test_add_func ("/decimator/same-features", test_same_features);
  return g_test_run ();
}
