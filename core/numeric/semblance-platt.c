/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-platt.h"

#include <math.h>
#include <stdlib.h>

#define MAX_ITERATIONS 100
#define MIN_STEP 1e-10
#define SIGMA 1e-12
#define EPSILON 1e-5

double
semblance_platt_probability (double a, double b, double score)
{
  double f = a * score + b;

  /* exp of a negative number only: never overflows. */
  if (f >= 0)
    return 1.0 / (1.0 + exp (-f));
  return exp (f) / (1.0 + exp (f));
}

static void
targets (const unsigned char *labels, size_t n, double *hi, double *lo)
{
  size_t i, positives = 0;

  for (i = 0; i < n; i++)
    positives += labels[i] != 0;
  *hi = (positives + 1.0) / (positives + 2.0);
  *lo = 1.0 / (n - positives + 2.0);
}

/* Cross-entropy with f = a s + b, in the form that is stable for either
 * sign of f: -t f + log (1 + exp (f)) = (1 - t) f + log (1 + exp (-f)). */
static double
loss_with (const double *scores, const unsigned char *labels, size_t n,
           double a, double b, double hi, double lo)
{
  double sum = 0.0;
  size_t i;

  for (i = 0; i < n; i++) {
    double t = labels[i] ? hi : lo, f = a * scores[i] + b;

    if (f >= 0)
      sum += (1.0 - t) * f + log1p (exp (-f));
    else
      sum += -t * f + log1p (exp (f));
  }
  return sum;
}

double
semblance_platt_loss (const double *scores, const unsigned char *labels,
                      size_t n, double a, double b)
{
  double hi, lo;

  targets (labels, n, &hi, &lo);
  return loss_with (scores, labels, n, a, b, hi, lo);
}

bool
semblance_platt_fit (const double *scores, const unsigned char *labels,
                     size_t n, double *a_out, double *b_out)
{
  size_t i, positives = 0;
  double hi, lo, a = 0.0, b, loss;
  int iteration;

  for (i = 0; i < n; i++) {
    if (!isfinite (scores[i]))
      return false;
    positives += labels[i] != 0;
  }
  if (positives == 0 || positives == n)
    return false;
  targets (labels, n, &hi, &lo);
  /* Platt's start: the sigmoid flat at the prior odds. */
  b = log ((positives + 1.0) / (n - positives + 1.0));
  loss = loss_with (scores, labels, n, a, b, hi, lo);
  for (iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    /* Gradient and Hessian (regularised by SIGMA, as Lin et al. do, to
     * keep it invertible) of the loss in (a, b). */
    double h11 = SIGMA, h22 = SIGMA, h21 = 0.0, g1 = 0.0, g2 = 0.0;
    double det, da, db, gd, step;

    for (i = 0; i < n; i++) {
      double t = labels[i] ? hi : lo;
      double p = semblance_platt_probability (a, b, scores[i]);
      double d2 = p * (1.0 - p), d1 = p - t;

      h11 += scores[i] * scores[i] * d2;
      h22 += d2;
      h21 += scores[i] * d2;
      g1 += scores[i] * d1;
      g2 += d1;
    }
    if (fabs (g1) < EPSILON && fabs (g2) < EPSILON) {
      *a_out = a;
      *b_out = b;
      return true;
    }
    det = h11 * h22 - h21 * h21;
    da = -(h22 * g1 - h21 * g2) / det;
    db = -(-h21 * g1 + h11 * g2) / det;
    gd = g1 * da + g2 * db;
    for (step = 1.0; step >= MIN_STEP; step /= 2.0) {
      double na = a + step * da, nb = b + step * db;
      double nloss = loss_with (scores, labels, n, na, nb, hi, lo);

      /* Armijo's sufficient decrease. */
      if (nloss < loss + 1e-4 * step * gd) {
        a = na;
        b = nb;
        loss = nloss;
        break;
      }
    }
    /* No step decreases the loss any more: the gradient is as small as
     * rounding lets it be, which is the optimum to the precision there
     * is. */
    if (step < MIN_STEP) {
      *a_out = a;
      *b_out = b;
      return true;
    }
  }
  return false;
}

bool
semblance_platt_cross_check (const double *scores,
                             const unsigned char *labels, size_t n,
                             size_t n_judged, size_t k, double threshold,
                             size_t *shown, size_t *right)
{
  double *fs = calloc (n, sizeof *fs);
  unsigned char *fl = calloc (n, 1);
  bool ok = fs && fl && k >= 2 && k <= n_judged && n_judged <= n;
  size_t part, i;

  *shown = *right = 0;
  for (part = 0; ok && part < k; part++) {
    size_t m = 0;
    double a, b;

    for (i = 0; i < n; i++)
      if (i >= n_judged || i % k != part) {
        fs[m] = scores[i];
        fl[m++] = labels[i];
      }
    ok = semblance_platt_fit (fs, fl, m, &a, &b) && a > 0.0;
    for (i = part; ok && i < n_judged; i += k)
      if (semblance_platt_probability (a, b, scores[i]) >= threshold) {
        (*shown)++;
        *right += labels[i] != 0;
      }
  }
  free (fs);
  free (fl);
  return ok;
}

double
semblance_wilson_lower (size_t right, size_t n, double z)
{
  double p, z2n, centre, half;

  if (n == 0)
    return 0.0;
  p = (double) right / n;
  z2n = z * z / n;
  centre = p + z2n / 2.0;
  half = z * sqrt (p * (1.0 - p) / n + z2n / (4.0 * n));
  return (centre - half) / (1.0 + z2n);
}
