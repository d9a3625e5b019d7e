/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-extremes.h"

#include <string.h>

#define DIGIT_BITS 8
#define DIGITS (1u << DIGIT_BITS)
#define TOP_SHIFT (32 - DIGIT_BITS)
/* Candidates left few enough to sort. */
#define FEW 24

static uint32_t
digit (uint32_t key, int shift)
{
  return (key >> shift) & (DIGITS - 1);
}

/* The digit of rank @rank among @count's, and @rank within it. */
static uint32_t
digit_of_rank (const uint32_t *count, size_t *rank)
{
  uint32_t d = 0;

  while (count[d] <= *rank)
    *rank -= count[d++];
  return d;
}

/* Keeps in @cand those of @src[0..m) whose digit at @shift is @d, without
 * a branch: every candidate is written, and the end moves on past those
 * that stay. @cand may be @src. Returns their number. */
static size_t
keep_digit (const uint32_t *src, size_t m, int shift, uint32_t d,
            uint32_t *cand)
{
  size_t i, kept = 0;

  for (i = 0; i < m; i++) {
    uint32_t x = src[i];

    cand[kept] = x;
    kept += digit (x, shift) == d;
  }
  return kept;
}

/* The key of rank @rank (0: the smallest) of the @m keys in @cand, which
 * share their digits above @shift: a digit at a time, each pass counting
 * the candidates' digits and keeping those whose digit holds the rank,
 * until few are left to sort. */
static uint32_t
key_of_rank (uint32_t *cand, size_t m, size_t rank, int shift)
{
  size_t i, j;

  for (; shift >= 0 && m > FEW; shift -= DIGIT_BITS) {
    uint32_t count[DIGITS] = { 0 }, d;

    for (i = 0; i < m; i++)
      count[digit (cand[i], shift)]++;
    d = digit_of_rank (count, &rank);
    if (count[d] != m)
      m = keep_digit (cand, m, shift, d, cand);
  }
  for (i = 1; i < m; i++) {
    uint32_t x = cand[i];

    for (j = i; j > 0 && cand[j - 1] > x; j--)
      cand[j] = cand[j - 1];
    cand[j] = x;
  }
  return cand[rank];
}

static float
key_value (uint32_t key)
{
  float f;

  memcpy (&f, &key, sizeof f);
  return f;
}

void
semblance_extreme_sums (const float *v, size_t n, size_t k,
                        uint32_t *scratch, double *smallest, double *largest)
{
  uint32_t *keys = scratch, *cand = scratch + n, count[DIGITS] = { 0 };
  uint32_t lo, hi, d;
  double below = 0.0, above = 0.0;
  size_t n_below = 0, n_above = 0, i, rank, m;

  /* One count of the top digits serves both order statistics. */
  memcpy (keys, v, n * sizeof (float));
  for (i = 0; i < n; i++)
    count[digit (keys[i], TOP_SHIFT)]++;
  rank = k - 1;
  d = digit_of_rank (count, &rank);
  m = keep_digit (keys, n, TOP_SHIFT, d, cand);
  lo = key_of_rank (cand, m, rank, TOP_SHIFT - DIGIT_BITS);
  rank = n - k;
  d = digit_of_rank (count, &rank);
  m = keep_digit (keys, n, TOP_SHIFT, d, cand);
  hi = key_of_rank (cand, m, rank, TOP_SHIFT - DIGIT_BITS);

  for (i = 0; i < n; i++) {
    below += keys[i] < lo ? v[i] : 0.0f;
    n_below += keys[i] < lo;
    above += keys[i] > hi ? v[i] : 0.0f;
    n_above += keys[i] > hi;
  }
  /* Values equal to an order statistic fill the rest of its k. */
  *smallest = below + (double) (k - n_below) * key_value (lo);
  *largest = above + (double) (k - n_above) * key_value (hi);
}
