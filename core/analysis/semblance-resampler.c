/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-resampler.h"

#include <glib.h>
#include <string.h>

#include "semblance-clones.h"

#define LANES SEMBLANCE_RESAMPLER_LANES

/* lanes_sum() is written out for eight. */
G_STATIC_ASSERT (LANES == 8);

struct _SemblanceResampler
{
  size_t max_in, n_taps;
  unsigned up, down;
  float *taps;
  int first_start;
  /* advance[φ]: from the first input of an output of phase φ to that of
   * the next output. */
  size_t *advance;
  float *buf;
  size_t n_buf;
  /* The next output: its phase and its first input, in buf. */
  unsigned phase;
  size_t at;
  /* For one call: the first input and the row of its first output of
   * each phase. */
  size_t *firsts, *rows;
};

SemblanceResampler *
semblance_resampler_new (const float *taps, const int *start, size_t n_taps,
                         unsigned up, unsigned down, size_t max_in)
{
  SemblanceResampler *self;
  unsigned p;

  if (n_taps == 0 || n_taps % LANES != 0 || up == 0 || down == 0
      || start[0] > 0 || -(gssize) start[0] >= (gssize) n_taps
      || start[up - 1] - start[0] > (int) down
      || (gssize) down + start[0] - start[up - 1] > (gssize) n_taps)
    return NULL;
  /* No output starts past the inputs the one before it read, which is
   * what bounds the samples that wait. */
  for (p = 1; p < up; p++)
    if (start[p] < start[p - 1] || start[p] - start[p - 1] > (int) n_taps)
      return NULL;

  self = g_new0 (SemblanceResampler, 1);
  self->max_in = max_in;
  self->n_taps = n_taps;
  self->up = up;
  self->down = down;
  self->taps = g_memdup2 (taps, (gsize) up * n_taps * sizeof (float));
  self->first_start = start[0];
  self->advance = g_new (size_t, up);
  for (p = 0; p < up; p++)
    self->advance[p] = p + 1 < up ? (size_t) (start[p + 1] - start[p])
        : (size_t) ((int) down + start[0] - start[up - 1]);
  /* After a call, fewer than n_taps samples wait for the next. */
  self->buf = g_new (float, max_in + n_taps);
  self->firsts = g_new (size_t, up);
  self->rows = g_new (size_t, up);
  semblance_resampler_reset (self);
  return self;
}

void
semblance_resampler_free (SemblanceResampler *self)
{
  if (!self)
    return;
  g_free (self->taps);
  g_free (self->advance);
  g_free (self->buf);
  g_free (self->firsts);
  g_free (self->rows);
  g_free (self);
}

size_t
semblance_resampler_max_out (const SemblanceResampler *self, size_t n)
{
  /* Fewer than n_taps inputs wait, so the outputs that complete start
   * within the first n of the buffer, and those of a period of down inputs
   * are up. */
  return n / self->down * self->up + self->up;
}

void
semblance_resampler_reset (SemblanceResampler *self)
{
  /* Silence before the first sample. */
  self->n_buf = (size_t) -self->first_start;
  memset (self->buf, 0, self->n_buf * sizeof (float));
  self->phase = 0;
  self->at = 0;
}

/* Eight floats: GCC and Clang compile their arithmetic to one AVX
 * instruction, or two SSE ones. Written out rather than left to the loop
 * vectorizer, which at -O3 made the blocks below five times slower. They
 * never cross a function boundary, whose convention for them would differ
 * between the clones: the helper that takes one is always inlined, also
 * without optimisation (at -O0 a call to it read garbage from the AVX2
 * clone). */
typedef float Vec8 __attribute__ ((vector_size (LANES * sizeof (float))));

#define LOAD8(v, p) memcpy (&(v), (p), sizeof (Vec8))

G_ALWAYS_INLINE static inline float
lanes_sum (Vec8 a)
{
  float v[LANES];

  memcpy (v, &a, sizeof v);
  return ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7]));
}

/* The outputs of one phase, @n_out of them: row @taps times the inputs
 * from @x on, @step apart, each written @stride after the last. Four at a
 * time: their sums are independent chains of products, so that each need
 * not wait for the last, and they share the loads of the taps. Built for
 * x86-64-v3 too (semblance-clones.h): the products are most of the
 * resampler's time. */
SEMBLANCE_VECTOR_CLONES
static void
filter_phase (const float *restrict taps, size_t n_taps,
              const float *restrict x, size_t step, size_t n_out,
              float *restrict out, size_t stride)
{
  size_t j, k;

  for (j = 0; j + 4 <= n_out; j += 4, x += 4 * step) {
    Vec8 a0 = { 0.0f }, a1 = { 0.0f }, a2 = { 0.0f }, a3 = { 0.0f };
    Vec8 t, v0, v1, v2, v3;

    for (k = 0; k < n_taps; k += LANES) {
      LOAD8 (t, taps + k);
      LOAD8 (v0, x + k);
      LOAD8 (v1, x + step + k);
      LOAD8 (v2, x + 2 * step + k);
      LOAD8 (v3, x + 3 * step + k);
      a0 += t * v0;
      a1 += t * v1;
      a2 += t * v2;
      a3 += t * v3;
    }
    out[j * stride] = lanes_sum (a0);
    out[(j + 1) * stride] = lanes_sum (a1);
    out[(j + 2) * stride] = lanes_sum (a2);
    out[(j + 3) * stride] = lanes_sum (a3);
  }
  for (; j < n_out; j++, x += step) {
    Vec8 a = { 0.0f }, t, v;

    for (k = 0; k < n_taps; k += LANES) {
      LOAD8 (t, taps + k);
      LOAD8 (v, x + k);
      a += t * v;
    }
    out[j * stride] = lanes_sum (a);
  }
}

static inline gboolean
next_complete (const SemblanceResampler *self)
{
  return self->at + self->n_taps <= self->n_buf;
}

static inline void
step (SemblanceResampler *self)
{
  self->at += self->advance[self->phase];
  self->phase = self->phase + 1 == self->up ? 0 : self->phase + 1;
}

size_t
semblance_resampler_process (SemblanceResampler *self, const float *in,
                             size_t n, float *out)
{
  size_t done = 0, p;

  g_return_val_if_fail (n <= self->max_in, 0);
  memcpy (self->buf + self->n_buf, in, n * sizeof (float));
  self->n_buf += n;
  /* The outputs whose inputs have all come: the first period's one by
   * one, to see where each phase starts, then whole periods of down
   * inputs at once, then the rest. */
  while (done < self->up && next_complete (self)) {
    self->firsts[done] = self->at;
    self->rows[done] = self->phase * self->n_taps;
    done++;
    step (self);
  }
  if (done == self->up && next_complete (self)) {
    size_t periods = (self->n_buf - self->n_taps - self->at) / self->down;

    done += periods * self->up;
    self->at += periods * self->down;
  }
  while (next_complete (self)) {
    done++;
    step (self);
  }
  /* Phase by phase: the outputs of a phase read the same taps, one
   * period (down inputs) apart. */
  for (p = 0; p < MIN (done, self->up); p++)
    filter_phase (self->taps + self->rows[p], self->n_taps,
        self->buf + self->firsts[p], self->down,
        (done - p + self->up - 1) / self->up, out + p, self->up);
  /* Later outputs read from the next one's first input on. */
  memmove (self->buf, self->buf + self->at, (self->n_buf - self->at) *
      sizeof (float));
  self->n_buf -= self->at;
  self->at = 0;
  return done;
}
