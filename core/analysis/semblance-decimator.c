/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-decimator.h"

#include <glib.h>
#include <string.h>

#include "semblance-clones.h"

#define LANES SEMBLANCE_DECIMATOR_LANES

/* lanes_sum() is written out for eight. */
G_STATIC_ASSERT (LANES == 8);

struct _SemblanceDecimator
{
  size_t max_in, n_taps;
  float *taps;
  /* buf[0] is input 2 next_out - n_taps / 2 + 1. */
  float *buf;
  size_t n_buf;
};

SemblanceDecimator *
semblance_decimator_new (const float *taps, size_t n_taps, size_t max_in)
{
  SemblanceDecimator *self;

  g_return_val_if_fail (n_taps > 0 && n_taps % LANES == 0, NULL);
  self = g_new0 (SemblanceDecimator, 1);
  self->max_in = max_in;
  self->n_taps = n_taps;
  self->taps = g_memdup2 (taps, n_taps * sizeof (float));
  /* What waits between calls is fewer than n_taps samples. */
  self->buf = g_new (float, max_in + n_taps);
  semblance_decimator_reset (self);
  return self;
}

void
semblance_decimator_free (SemblanceDecimator *self)
{
  if (!self)
    return;
  g_free (self->taps);
  g_free (self->buf);
  g_free (self);
}

void
semblance_decimator_reset (SemblanceDecimator *self)
{
  /* Silence before the first sample. */
  self->n_buf = self->n_taps / 2 - 1;
  memset (self->buf, 0, self->n_buf * sizeof (float));
}

/* Eight floats: GCC and Clang compile their arithmetic to one AVX
 * instruction, or two SSE ones. Written out rather than left to the loop
 * vectorizer, which at -O3 made the blocks below five times slower. They
 * never cross a function boundary, whose convention for them would differ
 * between the clones. */
typedef float Vec8 __attribute__ ((vector_size (LANES * sizeof (float))));

#define LOAD8(v, p) memcpy (&(v), (p), sizeof (Vec8))

static inline float
lanes_sum (const float *v)
{
  return ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7]));
}

/* Four outputs at a time: their sums are independent chains of products,
 * so that each need not wait for the last, and they share the loads of the
 * taps. Built for x86-64-v3 too (semblance-clones.h): the products are
 * most of the decimator's time. */
SEMBLANCE_VECTOR_CLONES
static void
filter (const float *restrict taps, size_t n_taps, const float *restrict x,
        size_t n_out, float *restrict out)
{
  float sums[4][LANES];
  size_t j, k;

  for (j = 0; j + 4 <= n_out; j += 4, x += 8) {
    Vec8 a0 = { 0.0f }, a1 = { 0.0f }, a2 = { 0.0f }, a3 = { 0.0f };
    Vec8 t, v0, v1, v2, v3;

    for (k = 0; k < n_taps; k += LANES) {
      LOAD8 (t, taps + k);
      LOAD8 (v0, x + k);
      LOAD8 (v1, x + 2 + k);
      LOAD8 (v2, x + 4 + k);
      LOAD8 (v3, x + 6 + k);
      a0 += t * v0;
      a1 += t * v1;
      a2 += t * v2;
      a3 += t * v3;
    }
    memcpy (sums[0], &a0, sizeof a0);
    memcpy (sums[1], &a1, sizeof a1);
    memcpy (sums[2], &a2, sizeof a2);
    memcpy (sums[3], &a3, sizeof a3);
    out[j] = lanes_sum (sums[0]);
    out[j + 1] = lanes_sum (sums[1]);
    out[j + 2] = lanes_sum (sums[2]);
    out[j + 3] = lanes_sum (sums[3]);
  }
  for (; j < n_out; j++, x += 2) {
    Vec8 a = { 0.0f }, t, v;

    for (k = 0; k < n_taps; k += LANES) {
      LOAD8 (t, taps + k);
      LOAD8 (v, x + k);
      a += t * v;
    }
    memcpy (sums[0], &a, sizeof a);
    out[j] = lanes_sum (sums[0]);
  }
}

size_t
semblance_decimator_process (SemblanceDecimator *self, const float *in,
                             size_t n, float *out)
{
  size_t done;

  g_return_val_if_fail (n <= self->max_in, 0);
  memcpy (self->buf + self->n_buf, in, n * sizeof (float));
  self->n_buf += n;
  /* Output j needs buf[2j .. 2j + n_taps - 1]. */
  done = self->n_buf >= self->n_taps ? (self->n_buf - self->n_taps) / 2 + 1
      : 0;
  filter (self->taps, self->n_taps, self->buf, done, out);
  memmove (self->buf, self->buf + 2 * done, (self->n_buf - 2 * done) *
      sizeof (float));
  self->n_buf -= 2 * done;
  return done;
}
