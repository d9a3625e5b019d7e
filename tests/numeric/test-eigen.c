/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The tridiagonal QL eigensolver: against closed forms, Jacobi's rotations
 * and the identities every decomposition must keep. */
#include <glib.h>
#include <math.h>

#include "semblance-eigen.h"
#include "semblance-gaussian.h"

/* The largest error of V diag (values) V^T against @a, relative to the
 * largest entry of @a, and the largest departure of V^T V from I. */
static void
check_decomposition (const double *a, size_t d, const double *values,
                     const double *v, double tolerance)
{
  double err = 0.0, orth = 0.0, largest = 0.0;
  size_t i, j, k;

  for (i = 0; i + 1 < d; i++)
    g_assert_cmpfloat (values[i], <=, values[i + 1]);
  for (i = 0; i < d * d; i++)
    largest = MAX (largest, fabs (a[i]));
  for (i = 0; i < d; i++)
    for (j = 0; j < d; j++) {
      double s = 0.0, dot = 0.0;

      for (k = 0; k < d; k++) {
        s += v[i * d + k] * values[k] * v[j * d + k];
        dot += v[k * d + i] * v[k * d + j];
      }
      err = MAX (err, fabs (s - a[i * d + j]));
      orth = MAX (orth, fabs (dot - (i == j)));
    }
  g_assert_cmpfloat (err, <=, tolerance * MAX (largest, 1.0));
  g_assert_cmpfloat (orth, <, tolerance);
}

/* A covariance of @d values from @n random rows, as the blend makes one:
 * correlated, eigenvalues over several decades, the last few near 0 when
 * @n is small. */
static void
random_covariance (GRand *rand, double *a, size_t d, size_t n)
{
  g_autofree double *x = g_new (double, n * d);
  size_t i, j, k;

  for (i = 0; i < n; i++)
    for (j = 0; j < d; j++)
      x[i * d + j] = g_rand_double_range (rand, -1, 1) / (1.0 + j)
          + (j > 0 ? 0.5 * x[i * d + j - 1] : 0.0);
  for (i = 0; i < d; i++)
    for (j = 0; j <= i; j++) {
      double s = 0.0;

      for (k = 0; k < n; k++)
        s += x[k * d + i] * x[k * d + j];
      a[i * d + j] = a[j * d + i] = s / n;
    }
}

static void
test_closed_forms (void)
{
  /* [[2, 1], [1, 2]]: 1 along (1, -1), 3 along (1, 1). */
  double a[4] = { 2, 1, 1, 2 }, v[4], values[2], work[2];
  double diag[9] = { 3, 0, 0, 0, -1, 0, 0, 0, 2 }, v3[9], values3[3];
  double one = 7, v1, value1, work3[3];

  semblance_eigen_symmetric (a, 2, values, v, work);
  g_assert_cmpfloat_with_epsilon (values[0], 1.0, 1e-14);
  g_assert_cmpfloat_with_epsilon (values[1], 3.0, 1e-14);
  g_assert_cmpfloat_with_epsilon (fabs (v[0]), G_SQRT2 / 2, 1e-14);
  g_assert_cmpfloat_with_epsilon (v[0] * v[2], -0.5, 1e-14);
  g_assert_cmpfloat_with_epsilon (v[1] * v[3], 0.5, 1e-14);

  /* A diagonal matrix: its entries, sorted, along the axes. */
  semblance_eigen_symmetric (diag, 3, values3, v3, work3);
  g_assert_cmpfloat (values3[0], ==, -1.0);
  g_assert_cmpfloat (values3[1], ==, 2.0);
  g_assert_cmpfloat (values3[2], ==, 3.0);
  g_assert_cmpfloat (fabs (v3[1 * 3 + 0]), ==, 1.0);
  g_assert_cmpfloat (fabs (v3[2 * 3 + 1]), ==, 1.0);
  g_assert_cmpfloat (fabs (v3[0 * 3 + 2]), ==, 1.0);

  semblance_eigen_symmetric (&one, 1, &value1, &v1, work3);
  g_assert_cmpfloat (value1, ==, 7.0);
  g_assert_cmpfloat (fabs (v1), ==, 1.0);
}

/* Repeated eigenvalues and a zero matrix: any orthonormal basis of each
 * eigenspace will do, and none may come out as NaN. NaN input ends. */
static void
test_degenerate (void)
{
  enum { D = 12 };
  double zero[D * D] = { 0 }, ones[D * D], v[D * D], values[D], work[D];
  size_t i;

  semblance_eigen_symmetric (zero, D, values, v, work);
  check_decomposition (zero, D, values, v, 1e-14);
  for (i = 0; i < D; i++)
    g_assert_cmpfloat (values[i], ==, 0.0);

  /* The all-ones matrix: D once, 0 eleven times. */
  for (i = 0; i < D * D; i++)
    ones[i] = 1.0;
  semblance_eigen_symmetric (ones, D, values, v, work);
  check_decomposition (ones, D, values, v, 1e-13);
  g_assert_cmpfloat_with_epsilon (values[D - 1], D, 1e-12);
  for (i = 0; i + 1 < D; i++)
    g_assert_cmpfloat (fabs (values[i]), <, 1e-12);

  /* A NaN, as a broken covariance would carry: it returns. */
  ones[3 * D + 1] = NAN;
  semblance_eigen_symmetric (ones, D, values, v, work);
}

/* On covariances of the blend's size, the same eigenvalues as Jacobi's
 * rotations, the same leading directions (up to sign), and the
 * decomposition's identities; the lower triangle is all it reads. */
static void
test_against_jacobi (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  const size_t sizes[] = { 3, 25, 100 }, rows[] = { 1000, 40, 60 };
  size_t t;

  for (t = 0; t < G_N_ELEMENTS (sizes); t++) {
    size_t d = sizes[t], i, j, k;
    g_autofree double *a = g_new (double, d * d);
    g_autofree double *lower = g_new (double, d * d);
    g_autofree double *v = g_new (double, d * d);
    g_autofree double *vj = g_new (double, d * d);
    g_autofree double *values = g_new (double, d);
    g_autofree double *values_j = g_new (double, d);
    g_autofree double *work = g_new (double, d * d);

    random_covariance (rand, a, d, rows[t]);
    for (i = 0; i < d; i++)
      for (j = 0; j < d; j++)
        lower[i * d + j] = j <= i ? a[i * d + j] : NAN;
    semblance_eigen_symmetric (lower, d, values, v, work);
    check_decomposition (a, d, values, v, 1e-12);
    semblance_symmetric_eigen (a, d, values_j, vj, work);
    for (i = 0; i < d; i++)
      g_assert_cmpfloat (fabs (values[i] - values_j[i]), <=,
          1e-12 * values_j[d - 1]);
    /* The leading directions, where the eigenvalues stand apart. */
    for (k = d - 1; k > 0 && k + 8 >= d; k--) {
      double dot = 0.0;

      if (values[k] - values[k - 1] < 1e-3 * values[d - 1])
        continue;
      for (i = 0; i < d; i++)
        dot += v[i * d + k] * vj[i * d + k];
      g_assert_cmpfloat_with_epsilon (fabs (dot), 1.0, 1e-9);
    }
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/eigen/closed-forms", test_closed_forms);
  g_test_add_func ("/eigen/degenerate", test_degenerate);
  g_test_add_func ("/eigen/against-jacobi", test_against_jacobi);
  return g_test_run ();
}
