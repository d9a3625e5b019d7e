/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Gaussians of a few dozen dimensions, as timbre models compare them (one
 * full-covariance Gaussian of MFCCs per track, after Mandel and Ellis and
 * Musly): the log-determinant, the symmetric "Jensen-Shannon" divergence of
 * two Gaussians through the moment-matched mixture, the symmetric
 * eigendecomposition that takes a covariance to its matrix logarithm and
 * back, and mutual proximity, which corrects any distance for hubs. Plain C
 * over double arrays; matrices are d x d, row-major, symmetric.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* ln |A| by Cholesky; false when A is not positive definite. @work holds
 * d x d doubles. */
bool semblance_gaussian_logdet (const double *a, size_t d, double *work,
                                double *logdet);

/**
 * semblance_gaussian_js:
 *
 * The distance of Musly's timbre model between N(@mean_a, @cov_a) and
 * N(@mean_b, @cov_b): sqrt (max (0, JS)) with JS = 1/2 ln |S| - 1/4 (ln |A|
 * + ln |B|), S = (A + B) / 2 + delta delta^T, delta = (mean_a - mean_b) / 2:
 * the entropy of the two Gaussians' equal mixture, moment-matched, less
 * their mean entropy. @logdet_a and @logdet_b are ln |A| and ln |B|; @work
 * holds 2 x d x d doubles. Returns -1 when S is not positive definite.
 */
double semblance_gaussian_js (const double *mean_a, const double *cov_a,
                              double logdet_a, const double *mean_b,
                              const double *cov_b, double logdet_b, size_t d,
                              double *work);

/* Eigenvalues (@values, ascending) and eigenvectors (the columns of
 * @vectors, d x d) of the symmetric @a, by cyclic Jacobi rotations, which
 * are exact to rounding for the small matrices of timbre models; @a is not
 * changed. @work holds d x d doubles. */
void semblance_symmetric_eigen (const double *a, size_t d, double *values,
                                double *vectors, double *work);

/* f (A) = V diag (f (lambda)) V^T for the symmetric @a, with f = ln (whose
 * eigenvalues must be positive: values below @floor are raised to it) or
 * exp. @work holds 3 x d x d + d doubles. */
void semblance_symmetric_log (const double *a, size_t d, double floor,
                              double *out, double *work);
void semblance_symmetric_exp (const double *a, size_t d, double *out,
                              double *work);

/* The Gaussian survival function 1 - Phi (z), and its logarithm, which
 * stays finite (and exact enough to rank) far into the tail where the
 * function itself underflows. */
double semblance_normal_sf (double z);
double semblance_normal_log_sf (double z);

/* The inverse of semblance_normal_sf: the z with sf (z) = @p, for @p in
 * (0, 1), to about 1e-14 relative; tails beyond 1e-300 are clamped there.
 * It turns a probability into a score that adds up across kinds of
 * evidence (Stouffer's method). */
double semblance_normal_isf (double p);

/**
 * semblance_mutual_proximity:
 * @d: the distance between x and y
 * @mean_x, @sd_x: the mean and standard deviation of x's distances to the
 *   collection (likewise for y)
 *
 * Gaussian mutual proximity in its independence form (Schnitzer et al.,
 * 2012), as a distance: 1 - P (a track drawn at random is farther from x
 * than y is, and farther from y than x is) = 1 - sf_x (d) sf_y (d), in
 * [0, 1]. A track that is near everything (a hub) has a small mean, and
 * so is near only to what it is much nearer than usual.
 */
double semblance_mutual_proximity (double d, double mean_x, double sd_x,
                                   double mean_y, double sd_y);

/* ln (sf_x (d) sf_y (d)), that is ln (1 - mutual proximity): ranks the same
 * way, closest first when sorted in descending order, and never
 * underflows. */
double semblance_mutual_proximity_log (double d, double mean_x, double sd_x,
                                       double mean_y, double sd_y);

/* One track's term of semblance_mutual_proximity_log: ln sf ((@d - @mean)
 * / @sd), never above 0. The log mutual proximity is exactly (to the last
 * bit) the sum of the two tracks' terms, so one term alone bounds it from
 * above: a query ranks only the candidates whose bound can still place
 * them among its results. */
double semblance_proximity_log_term (double d, double mean, double sd);
