/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Platt scaling: a sigmoid p = 1 / (1 + exp (-(a s + b))) that turns a raw
 * score s into a probability, fitted to held-out scores and their 0/1
 * labels. The fit is the one of Lin, Lin and Weng ("A note on Platt's
 * probabilistic outputs for support vector machines", 2007): Newton's
 * method with a backtracking line search on the cross-entropy, against
 * Platt's smoothed targets (N+ + 1) / (N+ + 2) and 1 / (N- + 2) rather than
 * 1 and 0, so that separable data still has a finite optimum and a handful
 * of examples does not claim certainty. Plain C over double arrays.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Fits @a and @b to the @n @scores and @labels (nonzero: positive).
 * Returns false (and leaves @a and @b alone) when there are no positives
 * or no negatives, when a score is not finite, or when Newton's method has
 * not converged in 100 iterations. */
bool semblance_platt_fit (const double *scores, const unsigned char *labels,
                          size_t n, double *a, double *b);

/* The sigmoid at @score, computed without overflow for any finite
 * argument. */
double semblance_platt_probability (double a, double b, double score);

/* How often a calibration's probability reaches @threshold on examples it
 * was not fitted on, and how often it is then right. The first @n_judged of
 * the @n examples are judged: dealt into @k parts (example i into part
 * i % k, 2 <= @k <= @n_judged <= @n), each part is scored by a fit on all
 * the other examples (the unjudged ones always among them), and of its
 * examples whose probability reaches @threshold, *@shown are counted and
 * *@right of them are positive. Returns false when a part's fit fails, its
 * probability does not rise with the score, or memory runs out. */
bool semblance_platt_cross_check (const double *scores,
                                  const unsigned char *labels, size_t n,
                                  size_t n_judged, size_t k, double threshold,
                                  size_t *shown, size_t *right);

/* The lower end of Wilson's score interval for a proportion of @right in
 * @n at @z standard deviations: a precision that @n trials support with
 * that confidence. 0 when @n is 0. */
double semblance_wilson_lower (size_t right, size_t n, double z);

/* The objective semblance_platt_fit minimises at (@a, @b): the
 * cross-entropy of the sigmoid against the smoothed targets, summed over
 * the examples. Exposed for tests that check the optimum independently. */
double semblance_platt_loss (const double *scores,
                             const unsigned char *labels, size_t n, double a,
                             double b);
