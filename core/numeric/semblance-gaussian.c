/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-gaussian.h"

#include <math.h>
#include <string.h>

#include "semblance-eigen.h"

#define JACOBI_SWEEPS 60
#define SD_FLOOR 1e-9
#define SQRT2 1.41421356237309504880

/* In place: the lower triangle of @a becomes its Cholesky factor L. */
static bool
cholesky (double *a, size_t d)
{
  size_t i, j, k;

  for (j = 0; j < d; j++) {
    double s = a[j * d + j];

    for (k = 0; k < j; k++)
      s -= a[j * d + k] * a[j * d + k];
    if (!(s > 0.0))
      return false;
    a[j * d + j] = sqrt (s);
    for (i = j + 1; i < d; i++) {
      double t = a[i * d + j];

      for (k = 0; k < j; k++)
        t -= a[i * d + k] * a[j * d + k];
      a[i * d + j] = t / a[j * d + j];
    }
  }
  return true;
}

bool
semblance_gaussian_logdet (const double *a, size_t d, double *work,
                           double *logdet)
{
  double sum = 0.0;
  size_t i;

  memcpy (work, a, d * d * sizeof (double));
  if (!cholesky (work, d))
    return false;
  for (i = 0; i < d; i++)
    sum += log (work[i * d + i]);
  *logdet = 2.0 * sum;
  return true;
}

double
semblance_gaussian_js (const double *mean_a, const double *cov_a,
                       double logdet_a, const double *mean_b,
                       const double *cov_b, double logdet_b, size_t d,
                       double *work)
{
  double *s = work, *delta = work + d * d, logdet_s, js;
  size_t i, j;

  for (i = 0; i < d; i++)
    delta[i] = 0.5 * (mean_a[i] - mean_b[i]);
  for (i = 0; i < d; i++)
    for (j = 0; j < d; j++)
      s[i * d + j] = 0.5 * (cov_a[i * d + j] + cov_b[i * d + j]) +
          delta[i] * delta[j];
  if (!semblance_gaussian_logdet (s, d, s, &logdet_s))
    return -1.0;
  js = 0.5 * logdet_s - 0.25 * (logdet_a + logdet_b);
  return sqrt (fmax (0.0, js));
}

void
semblance_symmetric_eigen (const double *a, size_t d, double *values,
                           double *vectors, double *w)
{
  size_t i, j, k, sweep;

  memcpy (w, a, d * d * sizeof (double));
  for (i = 0; i < d; i++)
    for (j = 0; j < d; j++)
      vectors[i * d + j] = i == j;

  for (sweep = 0; sweep < JACOBI_SWEEPS; sweep++) {
    double off = 0.0, total = 0.0;

    for (i = 0; i < d; i++)
      for (j = 0; j < d; j++) {
        double v = w[i * d + j] * w[i * d + j];

        total += v;
        if (i != j)
          off += v;
      }
    if (off <= 1e-30 * total)
      break;
    for (i = 0; i < d; i++)
      for (j = i + 1; j < d; j++) {
        double apq = w[i * d + j], app, aqq, theta, t, c, s;

        if (fabs (apq) < 1e-300)
          continue;
        app = w[i * d + i];
        aqq = w[j * d + j];
        theta = (aqq - app) / (2.0 * apq);
        t = (theta >= 0 ? 1.0 : -1.0) / (fabs (theta) + sqrt (theta * theta
                + 1.0));
        c = 1.0 / sqrt (t * t + 1.0);
        s = t * c;
        /* Rotate rows and columns i and j of w, and columns of V. */
        for (k = 0; k < d; k++) {
          double wki = w[k * d + i], wkj = w[k * d + j];

          w[k * d + i] = c * wki - s * wkj;
          w[k * d + j] = s * wki + c * wkj;
        }
        for (k = 0; k < d; k++) {
          double wik = w[i * d + k], wjk = w[j * d + k];

          w[i * d + k] = c * wik - s * wjk;
          w[j * d + k] = s * wik + c * wjk;
        }
        for (k = 0; k < d; k++) {
          double vki = vectors[k * d + i], vkj = vectors[k * d + j];

          vectors[k * d + i] = c * vki - s * vkj;
          vectors[k * d + j] = s * vki + c * vkj;
        }
      }
  }
  for (i = 0; i < d; i++)
    values[i] = w[i * d + i];
  semblance_eigen_sort (values, vectors, d);
}

/* out = V diag (f) V^T */
static void
compose (const double *vectors, const double *f, size_t d, double *out)
{
  size_t i, j, k;

  for (i = 0; i < d; i++)
    for (j = i; j < d; j++) {
      double s = 0.0;

      for (k = 0; k < d; k++)
        s += vectors[i * d + k] * f[k] * vectors[j * d + k];
      out[i * d + j] = out[j * d + i] = s;
    }
}

void
semblance_symmetric_log (const double *a, size_t d, double floor,
                         double *out, double *work)
{
  double *vectors = work, *values = work + 2 * d * d;
  size_t i;

  semblance_symmetric_eigen (a, d, values, vectors, work + d * d);
  for (i = 0; i < d; i++)
    values[i] = log (fmax (values[i], floor));
  compose (vectors, values, d, out);
}

void
semblance_symmetric_exp (const double *a, size_t d, double *out,
                         double *work)
{
  double *vectors = work, *values = work + 2 * d * d;
  size_t i;

  semblance_symmetric_eigen (a, d, values, vectors, work + d * d);
  for (i = 0; i < d; i++)
    values[i] = exp (values[i]);
  compose (vectors, values, d, out);
}

double
semblance_normal_sf (double z)
{
  return 0.5 * erfc (z / SQRT2);
}

double
semblance_normal_log_sf (double z)
{
  double z2;

  /* erfc itself is exact down to 1e-300, past z = 30. */
  if (z < 30.0)
    return log (semblance_normal_sf (z));
  /* Beyond, the asymptotic series of Mills's ratio: ln sf (z) = -z^2/2 -
   * ln z - ln sqrt (2 pi) + ln (1 - 1/z^2 + 3/z^4 - ...), exact to 1e-9
   * there. */
  z2 = z * z;
  return -0.5 * z2 - log (z) - 0.91893853320467274 + log1p (-1.0 / z2 +
      3.0 / (z2 * z2) - 15.0 / (z2 * z2 * z2));
}

double
semblance_normal_isf (double p)
{
  /* The upper tail only, where sf (z) - q keeps its precision; the lower
   * by symmetry. */
  double q = fmax (fmin (p, 1.0 - p), 1e-300), t, z;
  int i;

  /* A start within 4.5e-4 (Abramowitz and Stegun 26.2.23), then Halley's
   * steps on sf (z) - q, whose derivatives are -phi (z) and z phi (z):
   * each step cubes the error. */
  t = sqrt (-2.0 * log (q));
  z = t - (2.515517 + t * (0.802853 + t * 0.010328))
      / (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
  for (i = 0; i < 3; i++) {
    double phi = exp (-0.5 * z * z) * 0.39894228040143268;
    double u = (semblance_normal_sf (z) - q) / phi;

    z += u / (1.0 - 0.5 * z * u);
  }
  return p > 0.5 ? -z : z;
}

double
semblance_proximity_log_term (double d, double mean, double sd)
{
  return semblance_normal_log_sf ((d - mean) / fmax (sd, SD_FLOOR));
}

double
semblance_mutual_proximity_log (double d, double mean_x, double sd_x,
                                double mean_y, double sd_y)
{
  return semblance_proximity_log_term (d, mean_x, sd_x) +
      semblance_proximity_log_term (d, mean_y, sd_y);
}

double
semblance_mutual_proximity (double d, double mean_x, double sd_x,
                            double mean_y, double sd_y)
{
  double sx = semblance_normal_sf ((d - mean_x) / fmax (sd_x, SD_FLOOR));
  double sy = semblance_normal_sf ((d - mean_y) / fmax (sd_y, SD_FLOOR));

  return 1.0 - sx * sy;
}
