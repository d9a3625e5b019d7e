/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The resampler: against direct sums with known filters, the same output
 * whether it is fed whole or in uneven pieces, and with the filters read
 * off GStreamer's resampler, the samples and the features that
 * GStreamer's converter gives, at the rates music comes in. Built once
 * more without optimisation and without GStreamer
 * (SEMBLANCE_RESAMPLER_ALONE), so that the vector code's clones are also
 * run as a debug build compiles them. */
#include <glib.h>
#include <math.h>

#include "semblance-resampler.h"

#ifndef SEMBLANCE_RESAMPLER_ALONE
#include <gst/audio/audio.h>

#include "semblance-analyzer-private.h"
#include "signals.h"

/* Rates read off GStreamer: CD, video and DAT, broadcast, high-resolution
 * and three below the analysis rate, which it raises or keeps. */
static const int rates[] = {
  44100, 48000, 32000, 96000, 88200, 192000, 24000, 16000, 11025, 8000,
};
#endif

/* @n values evenly spread in [-@amplitude, @amplitude), reproducibly:
 * signals.c's noise comes with the engine, which the -O0 build leaves
 * out. */
static float *
noise (gsize n, double amplitude, guint32 seed)
{
  float *x = g_new (float, n);
  GRand *rand = g_rand_new_with_seed (seed);
  gsize i;

  for (i = 0; i < n; i++)
    x[i] = (float) g_rand_double_range (rand, -amplitude, amplitude);
  g_rand_free (rand);
  return x;
}

/* Ratios of 3 to 4 and of 3 to 2, with phases that start unevenly, as
 * GStreamer's do. */
static const int uneven_start[] = { -7, -6, -4 };
static const int rising_start[] = { -7, -7, -6 };

/* Resamples @x in pieces of 1 to @max_piece samples; returns the outputs. */
static float *
resample (const float *taps, const int *start, gsize n_taps, unsigned up,
          unsigned down, const float *x, gsize n, gsize max_piece,
          gsize *n_out)
{
  SemblanceResampler *r = semblance_resampler_new (taps, start, n_taps, up,
      down, max_piece);
  float *out = g_new (float, (n + n_taps) * up / down + 2 * up);
  gsize done = 0, piece = 1;

  g_assert_nonnull (r);
  *n_out = 0;
  while (done < n) {
    gsize take = MIN (piece, n - done), got;

    got = semblance_resampler_process (r, x + done, take, out + *n_out);
    g_assert_cmpuint (got, <=, semblance_resampler_max_out (r, take));
    *n_out += got;
    done += take;
    piece = piece * 7 % max_piece + 1;
  }
  semblance_resampler_free (r);
  return out;
}

static gssize
first_input (const int *start, unsigned up, unsigned down, gsize j)
{
  return (gssize) (j / up * down) + start[j % up];
}

/* Output j is its phase's taps times the inputs from its first on, silence
 * before input 0; every output whose inputs have all come is given. */
static void
check_direct_sums (const int *start, unsigned up, unsigned down,
                   gsize n_taps, guint32 seed)
{
  const gsize n = 1001;
  g_autofree float *x = noise (n, 0.5, 3);
  /* Any taps: noise. */
  g_autofree float *taps = noise (up * n_taps, 1.0, seed);
  g_autofree float *y = NULL;
  gsize n_out, j, k, expected = 0;

  y = resample (taps, start, n_taps, up, down, x, n, 64, &n_out);
  while (first_input (start, up, down, expected) + (gssize) n_taps
      <= (gssize) n)
    expected++;
  g_assert_cmpuint (n_out, ==, expected);
  for (j = 0; j < n_out; j++) {
    const float *row = taps + j % up * n_taps;
    double sum = 0.0;

    for (k = 0; k < n_taps; k++) {
      gssize i = first_input (start, up, down, j) + (gssize) k;

      if (i >= 0)
        sum += (double) row[k] * x[i];
    }
    g_assert_cmpfloat_with_epsilon (y[j], sum, 1e-5);
  }
}

static void
test_direct_sums (void)
{
  const gsize lengths[] = { 8, 16, 96 };
  gsize l;

  for (l = 0; l < G_N_ELEMENTS (lengths); l++) {
    int halving = -(int) (lengths[l] / 2 - 1);

    check_direct_sums (&halving, 1, 2, lengths[l], 5 + l);
  }
  check_direct_sums (uneven_start, 3, 4, 16, 8);
  check_direct_sums (rising_start, 3, 2, 16, 9);
}

static void
check_pieces_and_reset (const int *start, unsigned up, unsigned down)
{
  const gsize n = 20011, n_taps = 32;
  g_autofree float *x = noise (n, 0.5, 7);
  g_autofree float *whole = NULL, *pieces = NULL, *again = NULL;
  g_autofree float *taps = noise (up * n_taps, 1.0, 9);
  SemblanceResampler *r;
  gsize n_whole, n_pieces, n_again, j;

  r = semblance_resampler_new (taps, start, n_taps, up, down, n);
  whole = g_new (float, semblance_resampler_max_out (r, n));
  again = g_new (float, semblance_resampler_max_out (r, n));
  n_whole = semblance_resampler_process (r, x, n, whole);
  pieces = resample (taps, start, n_taps, up, down, x, n, 333, &n_pieces);
  g_assert_cmpuint (n_pieces, ==, n_whole);
  for (j = 0; j < n_whole; j++)
    g_assert_cmpfloat (pieces[j], ==, whole[j]);

  /* After a reset, the filter starts from silence and phase 0 again. */
  semblance_resampler_process (r, x, n / 2 + 1, again);
  semblance_resampler_reset (r);
  n_again = semblance_resampler_process (r, x, n, again);
  g_assert_cmpuint (n_again, ==, n_whole);
  for (j = 0; j < n_whole; j++)
    g_assert_cmpfloat (again[j], ==, whole[j]);
  semblance_resampler_free (r);
}

static void
test_pieces_and_reset (void)
{
  const int halving = -15;

  check_pieces_and_reset (&halving, 1, 2);
  check_pieces_and_reset (uneven_start, 3, 4);
}

/* What the resampler cannot follow is refused. */
static void
test_refused (void)
{
  const float taps[3 * 16] = { 0.0f };
  const int backwards[] = { -7, -8, -4 }, late[] = { 1 }, early[] = { -16 };
  const int wide[] = { -7, -6, 2 };

  g_assert_null (semblance_resampler_new (taps, uneven_start, 12, 3, 4, 64));
  g_assert_null (semblance_resampler_new (taps, backwards, 16, 3, 4, 64));
  g_assert_null (semblance_resampler_new (taps, late, 16, 1, 2, 64));
  g_assert_null (semblance_resampler_new (taps, early, 16, 1, 2, 64));
  /* The last phase starts further from the first than a period. */
  g_assert_null (semblance_resampler_new (taps, wide, 16, 3, 4, 64));
  /* The next period's first starts more than the taps past the last. */
  g_assert_null (semblance_resampler_new (taps, uneven_start, 16, 3, 24,
          64));
}

#ifndef SEMBLANCE_RESAMPLER_ALONE
/* |H(f)| in dB, for a filter at @rate. */
static double
response_db (const float *h, gsize n, double rate, double hz)
{
  double w = 2.0 * G_PI * hz / rate, re = 0.0, im = 0.0;
  gsize i;

  for (i = 0; i < n; i++) {
    re += h[i] * cos (w * i);
    im += h[i] * sin (w * i);
  }
  return 10.0 * log10 (re * re + im * im + 1e-300);
}

/* What was read off GStreamer is a low-pass filter: each phase flat to
 * 0.7 of the lower Nyquist frequency (GStreamer 1.22's are -6 dB at about
 * 0.85 of it when lowering the rate) and, lowering it, 80 dB down above
 * the analysis rate's. */
static void
test_gstreamer_filters (void)
{
  const double nyquist = SEMBLANCE_ANALYSIS_RATE / 2.0;
  gsize r;

  for (r = 0; r < G_N_ELEMENTS (rates); r++) {
    const SemblanceResampling *f = semblance_analysis_resampling (rates[r]);
    const double in_nyquist = rates[r] / 2.0;
    const double cut = MIN (nyquist, in_nyquist);
    double pass = 0.0, stop = -1000.0, hz;
    unsigned p;

    g_assert_nonnull (f);
    g_assert_cmpuint (f->up * rates[r], ==, f->down * SEMBLANCE_ANALYSIS_RATE);
    for (p = 0; p < f->up; p += MAX (1, f->up / 7)) {
      const float *row = f->taps + p * f->n_taps;

      for (hz = 0.0; hz <= 0.7 * cut; hz += 25.0)
        pass = MAX (pass, fabs (response_db (row, f->n_taps, rates[r], hz)));
      /* Lowering the rate, what would alias; raising it, the input has
       * nothing above its Nyquist frequency to stop. */
      if (rates[r] > SEMBLANCE_ANALYSIS_RATE)
        for (hz = nyquist; hz <= in_nyquist; hz += 25.0)
          stop = MAX (stop, response_db (row, f->n_taps, rates[r], hz));
    }
    g_test_message ("%d Hz: %u/%u, %" G_GSIZE_FORMAT " taps per phase: "
        "passband ripple %.4f dB, stopband %.1f dB", rates[r], f->up, f->down,
        f->n_taps, pass, stop);
    g_assert_cmpfloat (pass, <, 0.01);
    if (rates[r] > SEMBLANCE_ANALYSIS_RATE)
      g_assert_cmpfloat (stop, <, -80.0);
  }
  g_assert_null (semblance_analysis_resampling (SEMBLANCE_ANALYSIS_RATE));
  /* 2:1 is a single phase. */
  g_assert_cmpuint (semblance_analysis_resampling (44100)->up, ==, 1);
}

/* What GStreamer's converter makes of @x, mono float at @rate. */
static float *
gstreamer_resamples (const float *x, gsize n, int rate, gsize *n_out)
{
  GstAudioInfo info;
  GstAudioConverter *conv;
  gpointer in[1] = { (gpointer) x }, out[1];
  float *y;

  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_F32, rate, 1, NULL);
  conv = semblance_analysis_converter_new (&info);
  g_assert_nonnull (conv);
  *n_out = gst_audio_converter_get_out_frames (conv, n);
  y = g_new (float, MAX (*n_out, 1));
  out[0] = y;
  g_assert_true (gst_audio_converter_samples (conv,
          GST_AUDIO_CONVERTER_FLAG_NONE, in, n, out, *n_out));
  gst_audio_converter_free (conv);
  return y;
}

/* Noise and tones up to the input's highs, where aliasing would show. */
static float *
test_music (int rate, gsize n)
{
  const double tones[] = { 440.0, 3000.0, 9000.0, 10500.0, 13000.0 };
  float *x = signal_white_noise (rate, n, 0.3, 11);
  gsize i, j;

  for (i = 0; i < G_N_ELEMENTS (tones); i++) {
    g_autofree float *tone = NULL;

    if (tones[i] >= rate / 2.0)
      continue;
    tone = signal_sine (rate, n, tones[i], 0.15);
    for (j = 0; j < n; j++)
      x[j] += tone[j];
  }
  return x;
}

/* The same samples as GStreamer's converter, at the same times: the
 * outputs that it has given by the end, of those the resampler has. */
static void
test_as_gstreamer (void)
{
  gsize r;

  for (r = 0; r < G_N_ELEMENTS (rates); r++) {
    const SemblanceResampling *f = semblance_analysis_resampling (rates[r]);
    const gsize n = 30011;
    g_autofree float *x = test_music (rates[r], n);
    g_autofree float *ours = NULL, *theirs = NULL;
    double worst = 0.0;
    gsize n_ours, n_theirs, j;

    ours = resample (f->taps, f->start, f->n_taps, f->up, f->down, x, n,
        4096, &n_ours);
    theirs = gstreamer_resamples (x, n, rates[r], &n_theirs);
    /* GStreamer gives what its latency allows; we what the taps reach. */
    g_assert_cmpuint (n_ours, >=, n_theirs - f->up);
    g_assert_cmpuint (n_ours, <=, n_theirs + f->up);
    for (j = 0; j < MIN (n_ours, n_theirs); j++)
      worst = MAX (worst, fabs (ours[j] - theirs[j]));
    g_test_message ("%d Hz: %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT
        " outputs, largest difference from GStreamer's %.2e", rates[r],
        n_ours, n_theirs, worst);
    g_assert_cmpfloat (worst, <, 1e-6);
  }
}

/* The analyzer resamples itself: its features are those of the same
 * music resampled by GStreamer first. Loudness is measured before either,
 * at the input's rate, so it is left out. */
static void
test_same_features (void)
{
  const int feature_rates[] = { 44100, 48000, 32000 };
  gsize r;

  for (r = 0; r < G_N_ELEMENTS (feature_rates); r++) {
    const int rate = feature_rates[r];
    const gsize n = 10 * rate;
    g_autofree float *x = test_music (rate, n);
    g_autofree float *converted = NULL;
    SemblanceProperties ours, theirs;
    double worst = 0.0;
    gsize n_converted, i;

    converted = gstreamer_resamples (x, n, rate, &n_converted);
    signal_analyze (x, n, rate, &ours);
    signal_analyze (converted, n_converted, SEMBLANCE_ANALYSIS_RATE, &theirs);
    for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++)
      if (i != SEMBLANCE_F_LOUDNESS && i != SEMBLANCE_F_LOUDNESS_RANGE
          && i != SEMBLANCE_F_LOUDNESS_VARIATION)
        worst = MAX (worst, fabs (ours.vector[i] - theirs.vector[i])
            / MAX (1.0, fabs (theirs.vector[i])));
    g_test_message ("%d Hz: largest scaled feature difference %.2e", rate,
        worst);
    g_assert_cmpfloat (worst, <, 1e-4);
  }
}

#endif

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/resampler/direct-sums", test_direct_sums);
  g_test_add_func ("/resampler/pieces-and-reset", test_pieces_and_reset);
  g_test_add_func ("/resampler/refused", test_refused);
#ifndef SEMBLANCE_RESAMPLER_ALONE
  gst_init (NULL, NULL);
  g_test_add_func ("/resampler/gstreamer-filters", test_gstreamer_filters);
  g_test_add_func ("/resampler/as-gstreamer", test_as_gstreamer);
  g_test_add_func ("/resampler/same-features", test_same_features);
#endif
  return g_test_run ();
}
