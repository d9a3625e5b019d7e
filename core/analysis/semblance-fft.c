/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-fft.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "semblance-clones.h"

/* A real transform of n values is a complex one of m = n / 2 points, the
 * even values as real parts and the odd ones as imaginary parts, and a
 * last pass that splits the two spectra apart. The complex transform is
 * Stockham's radix-2 decimation in time (Van Loan, "Computational
 * Frameworks for the Fast Fourier Transform", 1.7): each stage reads one
 * buffer and writes the other in order, so that no stage reorders bits
 * and every stage is the same loop. Real and imaginary parts are kept in
 * separate arrays, and four butterflies run at once in vector code. */

#define LANES 4

/* Four floats, the baseline's SSE registers: eight, AVX's, made the
 * transform 1.5 times faster in the x86-64-v3 clone, but three times
 * slower than GStreamer's in the baseline one, where GCC splits their
 * shuffles into single floats. The helpers below are always inlined, so
 * that each clone builds them for its processor. */
typedef float Vec __attribute__ ((vector_size (LANES * sizeof (float))));

/* Lanes picked from two vectors (0 to 3 from the first, 4 to 7 from the
 * second): GCC (12 and later) and Clang both have this built-in. */
#define SHUFFLE(a, b, ...) __builtin_shufflevector (a, b, __VA_ARGS__)
#define EVEN 0, 2, 4, 6
#define ODD 1, 3, 5, 7
#define REVERSED 3, 2, 1, 0
#define LOW 0, 4, 1, 5
#define HIGH 2, 6, 3, 7

#define INLINE static inline __attribute__ ((always_inline))

struct _SemblanceFft
{
  size_t m;                     /* points of the complex transform: n / 2 */
  /* exp(-2 pi i k / m) for k < m / 2: the complex transform's twiddles */
  float *twiddle_r, *twiddle_i;
  /* exp(-2 pi i k / n) / 2 for k < m: the split into the real spectrum */
  float *split_r, *split_i;
  /* Two buffers of m + LANES points each, real then imaginary parts */
  float *work;
};

SemblanceFft *
semblance_fft_new (size_t n)
{
  SemblanceFft *self;
  size_t m = n / 2, k;

  /* The first stage and the narrow ones read whole vectors. */
  g_return_val_if_fail (n >= 4 * LANES && (n & (n - 1)) == 0, NULL);
  self = g_new0 (SemblanceFft, 1);
  self->m = m;
  self->twiddle_r = g_new (float, m / 2);
  self->twiddle_i = g_new (float, m / 2);
  self->split_r = g_new (float, m);
  self->split_i = g_new (float, m);
  self->work = g_new0 (float, 4 * (m + LANES));
  /* In double, so that each twiddle is the float nearest its value. */
  for (k = 0; k < m / 2; k++) {
    double a = -2.0 * G_PI * (double) k / (double) m;

    self->twiddle_r[k] = (float) cos (a);
    self->twiddle_i[k] = (float) sin (a);
  }
  for (k = 0; k < m; k++) {
    double a = -2.0 * G_PI * (double) k / (double) n;

    self->split_r[k] = (float) (0.5 * cos (a));
    self->split_i[k] = (float) (0.5 * sin (a));
  }
  return self;
}

void
semblance_fft_free (SemblanceFft *self)
{
  if (!self)
    return;
  g_free (self->twiddle_r);
  g_free (self->twiddle_i);
  g_free (self->split_r);
  g_free (self->split_i);
  g_free (self->work);
  g_free (self);
}

INLINE Vec
load (const float *p)
{
  Vec v;

  memcpy (&v, p, sizeof v);
  return v;
}

INLINE void
store (float *p, Vec v)
{
  memcpy (p, &v, sizeof v);
}

INLINE Vec
broadcast (float x)
{
  return (Vec) { x, x, x, x };
}

/* dst[j] = a + w b and dst[j + half] = a - w b, four points from j. */
INLINE void
butterfly (float *dr, float *di, size_t j, size_t half, Vec ar, Vec ai,
           Vec br, Vec bi, Vec wr, Vec wi)
{
  Vec tr = br * wr - bi * wi, ti = br * wi + bi * wr;

  store (dr + j, ar + tr);
  store (di + j, ai + ti);
  store (dr + j + half, ar - tr);
  store (di + j + half, ai - ti);
}

/* A stage of stride s >= LANES: the points j = q + s p, q < s, combine
 * src[q + 2 s p] with src[q + 2 s p + s] turned by w^(p s), w being
 * exp(-2 pi i / m); four consecutive q share p. */
INLINE void
stage_wide (const SemblanceFft *self, size_t s, const float *sr,
            const float *si, float *dr, float *di)
{
  size_t half = self->m / 2, p, q;

  for (p = 0; p < half / s; p++) {
    Vec wr = broadcast (self->twiddle_r[p * s]);
    Vec wi = broadcast (self->twiddle_i[p * s]);

    for (q = 0; q < s; q += LANES) {
      size_t j = p * s + q, at = j + p * s;

      butterfly (dr, di, j, half, load (sr + at), load (si + at),
          load (sr + at + s), load (si + at + s), wr, wi);
    }
  }
}

/* The same for s = 2 and 1, where four points span several p: their
 * inputs are the eight from 2 j, a and b interleaved in runs of s, and
 * lane l turns by the twiddle of lane (l / s) s. */
#define STAGE_NARROW(name, A, B, W) \
INLINE void \
name (const SemblanceFft *self, const float *sr, const float *si, \
      float *dr, float *di) \
{ \
  size_t half = self->m / 2, j; \
  \
  for (j = 0; j < half; j += LANES) { \
    Vec r0 = load (sr + 2 * j), r1 = load (sr + 2 * j + LANES); \
    Vec i0 = load (si + 2 * j), i1 = load (si + 2 * j + LANES); \
    Vec wr = load (self->twiddle_r + j), wi = load (self->twiddle_i + j); \
    \
    butterfly (dr, di, j, half, \
        SHUFFLE (r0, r1, A), SHUFFLE (i0, i1, A), \
        SHUFFLE (r0, r1, B), SHUFFLE (i0, i1, B), \
        SHUFFLE (wr, wr, W), SHUFFLE (wi, wi, W)); \
  } \
}

#define STRIDE_2_A 0, 1, 4, 5
#define STRIDE_2_B 2, 3, 6, 7
#define STRIDE_2_W 0, 0, 2, 2
#define IDENTITY 0, 1, 2, 3
STAGE_NARROW (stage_2, STRIDE_2_A, STRIDE_2_B, STRIDE_2_W)
STAGE_NARROW (stage_1, EVEN, ODD, IDENTITY)

/* Built for x86-64-v3 too, whose fused products and three-operand
 * instructions make it about 1.4 times faster; static, as
 * semblance-clones.h asks. */
SEMBLANCE_VECTOR_CLONES
static void
forward (SemblanceFft *self, const float *samples, SemblanceComplex *bins)
{
  size_t m = self->m, half = m / 2, stride = m + LANES, s, j, k;
  float *sr = self->work, *si = sr + stride;
  float *dr = si + stride, *di = dr + stride, *zr, *zi, *t;
  float *out = (float *) bins;
  Vec h = broadcast (0.5f);

  /* The first stage, of stride m / 2, turns nothing: it reads the points
   * straight from the samples, point j being samples 2 j and 2 j + 1. */
  for (j = 0; j < half; j += LANES) {
    Vec a0 = load (samples + 2 * j), a1 = load (samples + 2 * j + LANES);
    Vec b0 = load (samples + m + 2 * j);
    Vec b1 = load (samples + m + 2 * j + LANES);
    Vec ar = SHUFFLE (a0, a1, EVEN), ai = SHUFFLE (a0, a1, ODD);
    Vec br = SHUFFLE (b0, b1, EVEN), bi = SHUFFLE (b0, b1, ODD);

    store (sr + j, ar + br);
    store (si + j, ai + bi);
    store (sr + j + half, ar - br);
    store (si + j + half, ai - bi);
  }
  for (s = half / 2; s >= LANES; s /= 2) {
    stage_wide (self, s, sr, si, dr, di);
    t = sr, sr = dr, dr = t;
    t = si, si = di, di = t;
  }
  stage_2 (self, sr, si, dr, di);
  stage_1 (self, dr, di, sr, si);
  zr = sr;
  zi = si;

  /* Z = the m points' spectrum in zr, zi. Bin k of the samples is
   * (Z[k] + conj Z[m - k]) / 2 - i e^(-2 pi i k / n) (Z[k] - conj Z[m - k])
   * / 2, Z[m] being Z[0]: a copy after the end lets the reversed loads
   * of Z[m - k] run over it. */
  zr[m] = zr[0];
  zi[m] = zi[0];
  for (k = 0; k < m; k += LANES) {
    Vec ar = load (zr + k), ai = load (zi + k);
    Vec rz = load (zr + m - k - (LANES - 1));
    Vec iz = load (zi + m - k - (LANES - 1));
    Vec rr = SHUFFLE (rz, rz, REVERSED), ri = SHUFFLE (iz, iz, REVERSED);
    Vec c = load (self->split_r + k), sn = load (self->split_i + k);
    Vec sum_r = ar + rr, diff_r = ar - rr;
    Vec sum_i = ai + ri, diff_i = ai - ri;
    Vec xr = h * sum_r + c * sum_i + sn * diff_r;
    Vec xi = h * diff_i - c * diff_r + sn * sum_i;

    store (out + 2 * k, SHUFFLE (xr, xi, LOW));
    store (out + 2 * k + LANES, SHUFFLE (xr, xi, HIGH));
  }
  bins[m].r = zr[0] - zi[0];
  bins[m].i = 0.0f;
}

void
semblance_fft_forward (SemblanceFft *self, const float *samples,
                       SemblanceComplex *bins)
{
  forward (self, samples, bins);
}

const char *
semblance_fft_backend (void)
{
  return "semblance";
}
