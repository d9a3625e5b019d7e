/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-eigen.h"

#include <float.h>
#include <math.h>

/* QL iterations for one eigenvalue before it is taken as it stands, so
 * that NaN input ends: the blend's covariances take under two on average. */
#define MAX_QL_ITERATIONS 60

/*
 * Householder reduction of @v (d x d, symmetric, row-major, in place) to
 * tridiagonal form: on return @diag and @off (off[i] couples rows i - 1 and
 * i; off[0] = 0) hold the tridiagonal matrix, and @v the orthogonal Q with
 * A = Q T Q^T. Row i is annihilated left of its subdiagonal, from the last
 * row up; the reflectors are then multiplied together from the first.
 */
static void
tridiagonalise (double *v, size_t d, double *diag, double *off)
{
  size_t i, j, k;

  for (j = 0; j < d; j++)
    diag[j] = v[(d - 1) * d + j];
  for (i = d - 1; i > 0; i--) {
    double scale = 0.0, h = 0.0;

    for (k = 0; k < i; k++)
      scale += fabs (diag[k]);
    if (scale == 0.0) {
      /* Already reduced: nothing to reflect. */
      off[i] = diag[i - 1];
      for (j = 0; j < i; j++) {
        diag[j] = v[(i - 1) * d + j];
        v[i * d + j] = 0.0;
        v[j * d + i] = 0.0;
      }
    } else {
      double f, g, hh;

      /* The reflector u = x - |x| e, scaled against overflow. */
      for (k = 0; k < i; k++) {
        diag[k] /= scale;
        h += diag[k] * diag[k];
      }
      f = diag[i - 1];
      g = f > 0.0 ? -sqrt (h) : sqrt (h);
      off[i] = scale * g;
      h -= f * g;
      diag[i - 1] = f - g;
      for (j = 0; j < i; j++)
        off[j] = 0.0;
      /* p = A u / h, from the lower triangle, kept in off[]. */
      for (j = 0; j < i; j++) {
        f = diag[j];
        v[j * d + i] = f;
        g = off[j] + v[j * d + j] * f;
        for (k = j + 1; k < i; k++) {
          g += v[k * d + j] * diag[k];
          off[k] += v[k * d + j] * f;
        }
        off[j] = g;
      }
      f = 0.0;
      for (j = 0; j < i; j++) {
        off[j] /= h;
        f += off[j] * diag[j];
      }
      /* q = p - (u.p / 2h) u, then A := A - u q^T - q u^T. */
      hh = f / (h + h);
      for (j = 0; j < i; j++)
        off[j] -= hh * diag[j];
      for (j = 0; j < i; j++) {
        f = diag[j];
        g = off[j];
        for (k = j; k < i; k++)
          v[k * d + j] -= f * off[k] + g * diag[k];
        diag[j] = v[(i - 1) * d + j];
        v[i * d + j] = 0.0;
      }
    }
    diag[i] = h;
  }

  /* Q, the product of the reflectors stored in the columns above. */
  for (i = 0; i + 1 < d; i++) {
    double h = diag[i + 1];

    v[(d - 1) * d + i] = v[i * d + i];
    v[i * d + i] = 1.0;
    if (h != 0.0) {
      for (k = 0; k <= i; k++)
        diag[k] = v[k * d + i + 1] / h;
      for (j = 0; j <= i; j++) {
        double g = 0.0;

        for (k = 0; k <= i; k++)
          g += v[k * d + i + 1] * v[k * d + j];
        for (k = 0; k <= i; k++)
          v[k * d + j] -= g * diag[k];
      }
    }
    for (k = 0; k <= i; k++)
      v[k * d + i + 1] = 0.0;
  }
  for (j = 0; j < d; j++) {
    diag[j] = v[(d - 1) * d + j];
    v[(d - 1) * d + j] = 0.0;
  }
  v[(d - 1) * d + d - 1] = 1.0;
  off[0] = 0.0;
}

/*
 * The implicit QL algorithm on the tridiagonal (@diag, @off), accumulating
 * its rotations into the eigenvectors, which are the rows of @rows (Q
 * transposed): each rotation then combines two contiguous rows, which
 * vectorises, where it would combine two strided columns of Q. Each
 * eigenvalue in turn, from the top, is deflated once its coupling falls
 * below rounding of the largest entry seen. Wilkinson's shift makes the
 * convergence cubic.
 */
static void
ql_implicit (double *rows, size_t d, double *diag, double *off)
{
  double shift = 0.0, largest = 0.0;
  size_t i, k, l, m;

  for (i = 1; i < d; i++)
    off[i - 1] = off[i];
  off[d - 1] = 0.0;
  for (l = 0; l < d; l++) {
    int iterations = 0;

    largest = fmax (largest, fabs (diag[l]) + fabs (off[l]));
    for (m = l; m < d - 1; m++)
      if (fabs (off[m]) <= DBL_EPSILON * largest)
        break;
    while (m > l && iterations++ < MAX_QL_ITERATIONS) {
      double g = diag[l], p, r, dl1, h, c = 1.0, c2 = 1.0, c3 = 1.0;
      double el1 = off[l + 1], s = 0.0, s2 = 0.0;

      /* The shift: the eigenvalue of the leading 2 x 2 nearer diag[l]. */
      p = (diag[l + 1] - g) / (2.0 * off[l]);
      r = hypot (p, 1.0);
      if (p < 0.0)
        r = -r;
      diag[l] = off[l] / (p + r);
      diag[l + 1] = off[l] * (p + r);
      dl1 = diag[l + 1];
      h = g - diag[l];
      for (i = l + 2; i < d; i++)
        diag[i] -= h;
      shift += h;

      /* Chase the bulge from row m up to row l with Givens rotations. */
      p = diag[m];
      for (i = m; i-- > l;) {
        c3 = c2;
        c2 = c;
        s2 = s;
        g = c * off[i];
        h = c * p;
        r = hypot (p, off[i]);
        off[i + 1] = s * r;
        s = off[i] / r;
        c = p / r;
        p = c * diag[i] - s * g;
        diag[i + 1] = h + s * (c * g + s * diag[i]);
        for (k = 0; k < d; k++) {
          double x = rows[i * d + k], y = rows[(i + 1) * d + k];

          rows[(i + 1) * d + k] = s * x + c * y;
          rows[i * d + k] = c * x - s * y;
        }
      }
      p = -s * s2 * c3 * el1 * off[l] / dl1;
      off[l] = s * p;
      diag[l] = c * p;
      if (fabs (off[l]) <= DBL_EPSILON * largest)
        break;
    }
    diag[l] += shift;
    off[l] = 0.0;
  }
}

static void
transpose (double *m, size_t d)
{
  size_t i, j;

  for (i = 0; i < d; i++)
    for (j = i + 1; j < d; j++) {
      double t = m[i * d + j];

      m[i * d + j] = m[j * d + i];
      m[j * d + i] = t;
    }
}

void
semblance_eigen_symmetric (const double *a, size_t d, double *values,
                           double *vectors, double *work)
{
  size_t i, j;

  if (d == 0)
    return;
  for (i = 0; i < d; i++)
    for (j = 0; j <= i; j++)
      vectors[i * d + j] = vectors[j * d + i] = a[i * d + j];
  tridiagonalise (vectors, d, values, work);
  transpose (vectors, d);
  ql_implicit (vectors, d, values, work);
  transpose (vectors, d);
  semblance_eigen_sort (values, vectors, d);
}

void
semblance_eigen_sort (double *values, double *vectors, size_t d)
{
  size_t i, j, k;

  /* Selection: d^2 comparisons beside the decomposition's d^3. */
  for (i = 0; i + 1 < d; i++) {
    size_t best = i;
    double t;

    for (j = i + 1; j < d; j++)
      if (values[j] < values[best])
        best = j;
    if (best == i)
      continue;
    t = values[i];
    values[i] = values[best];
    values[best] = t;
    for (k = 0; k < d; k++) {
      t = vectors[k * d + i];
      vectors[k * d + i] = vectors[k * d + best];
      vectors[k * d + best] = t;
    }
  }
}
