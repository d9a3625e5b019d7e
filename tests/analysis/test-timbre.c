/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Musly's timbre model, streamed: against known signals. (Its agreement
 * with real Musly is measured in bench/quality, which needs Musly.) */
#include <math.h>

#include "semblance-extractor.h"
#include "semblance-timbre.h"
#include "signals.h"

#define D SEMBLANCE_TIMBRE_DIM

static void
model (const float *x, gsize n, double gain, double *mean, double *cov,
       gboolean *ok)
{
  SemblanceTimbre *t = semblance_timbre_new ();
  gsize i;

  if (gain > 0)
    semblance_timbre_set_gain (t, gain);
  for (i = 0; i + SEMBLANCE_TIMBRE_FRAME <= n; i += SEMBLANCE_TIMBRE_HOP)
    semblance_timbre_process (t, x + i);
  g_assert_cmpuint (semblance_timbre_get_frames (t), ==,
      (n - SEMBLANCE_TIMBRE_FRAME) / SEMBLANCE_TIMBRE_HOP + 1);
  *ok = semblance_timbre_gaussian (t, mean, cov);
  semblance_timbre_free (t);
}

/* Silence: ln (1 + 0) = 0 in every band, so the mean is 0 and the
 * covariance is the diagonal load alone. */
static void
test_silence (void)
{
  const gsize n = 3 * SEMBLANCE_ANALYSIS_RATE;
  g_autofree float *x = g_new0 (float, n);
  double mean[D], cov[D * D];
  gboolean ok;
  guint i;

  model (x, n, 0, mean, cov, &ok);
  g_assert_true (ok);
  for (i = 0; i < D; i++)
    g_assert_cmpfloat (fabs (mean[i]), <, 1e-9);
  for (i = 0; i < D * D; i++)
    g_assert_cmpfloat_with_epsilon (cov[i], i % (D + 1) == 0 ? 1e-4 : 0.0,
        1e-12);
}

/* Loud enough that the 1 of ln (1 + x) does not count, twice the amplitude
 * is four times the energy in every band: ln 4 more in each of the 36, so
 * 36 ln 4 / sqrt (36) more in c0 (the DCT is orthonormal) and the same
 * shape in every other coefficient and in the covariance. */
static void
test_gain_moves_c0_only (void)
{
  const gsize n = 5 * SEMBLANCE_ANALYSIS_RATE;
  g_autofree float *quiet = signal_white_noise (SEMBLANCE_ANALYSIS_RATE, n,
      0.1, 7);
  g_autofree float *loud = g_new (float, n);
  double m1[D], c1[D * D], m2[D], c2[D * D];
  gboolean ok1, ok2;
  gsize i;

  for (i = 0; i < n; i++)
    loud[i] = 2.0f * quiet[i];
  model (quiet, n, 0, m1, c1, &ok1);
  model (loud, n, 0, m2, c2, &ok2);
  g_assert_true (ok1 && ok2);
  g_assert_cmpfloat_with_epsilon (m2[0] - m1[0], 6.0 * log (4.0), 1e-3);
  for (i = 1; i < D; i++)
    g_assert_cmpfloat_with_epsilon (m2[i], m1[i], 1e-3);
  for (i = 0; i < D * D; i++)
    g_assert_cmpfloat_with_epsilon (c2[i], c1[i], 1e-3);
}

/* A steady tone has a steady spectrum: its MFCCs barely vary, much less
 * than those of noise; a low and a high tone differ in their shape. */
static void
test_tone_against_noise (void)
{
  const gsize n = 4 * SEMBLANCE_ANALYSIS_RATE;
  g_autofree float *low = signal_sine (SEMBLANCE_ANALYSIS_RATE, n, 220.0,
      0.5);
  g_autofree float *high = signal_sine (SEMBLANCE_ANALYSIS_RATE, n, 3520.0,
      0.5);
  g_autofree float *noise = signal_white_noise (SEMBLANCE_ANALYSIS_RATE, n,
      0.5, 3);
  double ml[D], cl[D * D], mh[D], ch[D * D], mn[D], cn[D * D];
  double tone_var = 0.0, noise_var = 0.0, shape = 0.0;
  gboolean ok;
  guint i;

  model (low, n, 0, ml, cl, &ok);
  model (high, n, 0, mh, ch, &ok);
  model (noise, n, 0, mn, cn, &ok);
  for (i = 0; i < D; i++) {
    tone_var += cl[i * (D + 1)];
    noise_var += cn[i * (D + 1)];
    if (i > 0)
      shape += (ml[i] - mh[i]) * (ml[i] - mh[i]);
  }
  g_test_message ("variance: tone %.4f, noise %.4f; shape distance %.2f",
      tone_var, noise_var, sqrt (shape));
  g_assert_cmpfloat (tone_var, <, 0.2 * noise_var);
  g_assert_cmpfloat (sqrt (shape), >, 5.0);
}

/* A Gaussian needs more frames than dimensions. */
static void
test_too_short (void)
{
  const gsize n = SEMBLANCE_TIMBRE_FRAME + (D - 1) * SEMBLANCE_TIMBRE_HOP;
  g_autofree float *x = signal_white_noise (SEMBLANCE_ANALYSIS_RATE, n, 0.5,
      1);
  double mean[D], cov[D * D];
  gboolean ok;

  model (x, n, 0, mean, cov, &ok);
  g_assert_false (ok);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/timbre/silence", test_silence);
  g_test_add_func ("/timbre/gain-moves-c0-only", test_gain_moves_c0_only);
  g_test_add_func ("/timbre/tone-against-noise", test_tone_against_noise);
  g_test_add_func ("/timbre/too-short", test_too_short);
  return g_test_run ();
}
