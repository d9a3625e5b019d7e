/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Gaussians and mutual proximity: against closed forms and identities. */
#include <glib.h>
#include <math.h>

#include "semblance-gaussian.h"

#define D 25

static void
random_spd (GRand *rand, double *a, size_t d)
{
  g_autofree double *m = g_new (double, d * d);
  size_t i, j, k;

  for (i = 0; i < d * d; i++)
    m[i] = g_rand_double_range (rand, -1, 1);
  /* M M^T + d/10 I: positive definite, eigenvalues spread over decades. */
  for (i = 0; i < d; i++)
    for (j = 0; j < d; j++) {
      double s = i == j ? d / 10.0 : 0.0;

      for (k = 0; k < d; k++)
        s += m[i * d + k] * m[j * d + k];
      a[i * d + j] = s;
    }
}

static void
test_logdet (void)
{
  double a[9] = { 2, 0, 0, 0, 3, 0, 0, 0, 5 }, work[9], logdet = 0;
  double not_pd[4] = { 1, 2, 2, 1 };

  g_assert_true (semblance_gaussian_logdet (a, 3, work, &logdet));
  g_assert_cmpfloat_with_epsilon (logdet, log (30.0), 1e-12);
  g_assert_false (semblance_gaussian_logdet (not_pd, 2, work, &logdet));
}

/* With diagonal covariances and means apart in the first dimension only,
 * the mixture's covariance is diagonal too: JS is a sum of closed forms. */
static void
test_js_closed_form (void)
{
  double ma[3] = { 1, 0, 0 }, mb[3] = { -1, 0, 0 };
  double ca[9] = { 1, 0, 0, 0, 2, 0, 0, 0, 4 };
  double cb[9] = { 3, 0, 0, 0, 2, 0, 0, 0, 1 };
  double work[18], la, lb, js, expected = 0.0;
  int i;

  semblance_gaussian_logdet (ca, 3, work, &la);
  semblance_gaussian_logdet (cb, 3, work, &lb);
  for (i = 0; i < 3; i++) {
    double delta = 0.5 * (ma[i] - mb[i]);
    double s = 0.5 * (ca[i * 4] + cb[i * 4]) + delta * delta;

    expected += 0.5 * log (s) - 0.25 * (log (ca[i * 4]) + log (cb[i * 4]));
  }
  js = semblance_gaussian_js (ma, ca, la, mb, cb, lb, 3, work);
  g_assert_cmpfloat_with_epsilon (js, sqrt (expected), 1e-12);
  g_assert_cmpfloat_with_epsilon (semblance_gaussian_js (mb, cb, lb, ma, ca,
          la, 3, work), js, 1e-12);
  g_assert_cmpfloat_with_epsilon (semblance_gaussian_js (ma, ca, la, ma, ca,
          la, 3, work), 0.0, 1e-7);
}

/* The eigendecomposition reconstructs the matrix, its vectors are
 * orthonormal, and exp undoes log. */
static void
test_eigen_log_exp (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  double a[D * D], v[D * D], values[D], work[3 * D * D + D], l[D * D];
  double back[D * D], err = 0.0, orth = 0.0;
  size_t i, j, k;

  random_spd (rand, a, D);
  semblance_symmetric_eigen (a, D, values, v, work);
  for (i = 0; i + 1 < D; i++)
    g_assert_cmpfloat (values[i], <=, values[i + 1]);
  for (i = 0; i < D; i++)
    for (j = 0; j < D; j++) {
      double s = 0.0, dot = 0.0;

      for (k = 0; k < D; k++) {
        s += v[i * D + k] * values[k] * v[j * D + k];
        dot += v[k * D + i] * v[k * D + j];
      }
      err = MAX (err, fabs (s - a[i * D + j]));
      orth = MAX (orth, fabs (dot - (i == j)));
    }
  g_assert_cmpfloat (err, <, 1e-9);
  g_assert_cmpfloat (orth, <, 1e-10);

  semblance_symmetric_log (a, D, 1e-12, l, work);
  semblance_symmetric_exp (l, D, back, work);
  for (err = 0.0, i = 0; i < D * D; i++)
    err = MAX (err, fabs (back[i] - a[i]) / fabs (a[i]) * (fabs (a[i]) >
            1e-6));
  g_assert_cmpfloat (err, <, 1e-8);
}

static void
test_mutual_proximity (void)
{
  double z;

  /* At both means, each track is farther than half the collection. */
  g_assert_cmpfloat_with_epsilon (semblance_mutual_proximity (2.0, 2.0, 0.5,
          2.0, 1.0), 0.75, 1e-12);
  /* Much nearer than usual for both: close to 0; farther: close to 1. */
  g_assert_cmpfloat (semblance_mutual_proximity (0.1, 2.0, 0.3, 2.0, 0.3),
      <, 1e-6);
  g_assert_cmpfloat (semblance_mutual_proximity (5.0, 2.0, 0.3, 2.0, 0.3),
      >, 1.0 - 1e-12);
  for (z = -3.0; z < 36.0; z += 0.25)
    g_assert_cmpfloat_with_epsilon (semblance_normal_log_sf (z),
        log (0.5 * erfc (z / sqrt (2.0))), 1e-6);
  /* Far beyond where the function itself underflows. */
  g_assert_true (isfinite (semblance_normal_log_sf (60.0)));
  g_assert_cmpfloat (semblance_normal_log_sf (60.0), <,
      semblance_normal_log_sf (40.0));
  g_assert_cmpfloat_with_epsilon (semblance_mutual_proximity_log (2.5, 2.0,
          0.5, 3.0, 1.0), log (1.0 - semblance_mutual_proximity (2.5, 2.0,
              0.5, 3.0, 1.0)), 1e-9);
}

static void
test_normal_isf (void)
{
  /* Quantiles of the normal distribution (the last by bisection on
   * erfc). */
  static const struct
  {
    double p, z;
  } known[] = {
    { 0.5, 0.0 },
    { 0.025, 1.959963984540054 },
    { 0.975, -1.959963984540054 },
    { 0.1, 1.2815515655446004 },
    { 1e-10, 6.361340902404056 },
    { 1e-300, 37.0470962993612 },
  };
  double p;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (known); i++)
    g_assert_cmpfloat_with_epsilon (semblance_normal_isf (known[i].p),
        known[i].z, 1e-12);
  /* The inverse everywhere: from the lower tail to the far upper tail. */
  for (p = 1.0 - 1e-9; p > 1e-290; p *= 0.37)
    g_assert_cmpfloat_with_epsilon (semblance_normal_sf (
            semblance_normal_isf (p)) / p, 1.0, 1e-11);
  /* Outside (0, 1): the ends, not NaN. */
  g_assert_cmpfloat (semblance_normal_isf (0.0), ==,
      semblance_normal_isf (1e-300));
  g_assert_true (isfinite (semblance_normal_isf (1.0)));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gaussian/logdet", test_logdet);
  g_test_add_func ("/gaussian/js-closed-form", test_js_closed_form);
  g_test_add_func ("/gaussian/eigen-log-exp", test_eigen_log_exp);
  g_test_add_func ("/gaussian/mutual-proximity", test_mutual_proximity);
  g_test_add_func ("/gaussian/normal-isf", test_normal_isf);
  return g_test_run ();
}
