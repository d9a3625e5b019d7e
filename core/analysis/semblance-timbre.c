/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-timbre.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "semblance-extractor.h"
#include "semblance-fft.h"

#define N_BINS (SEMBLANCE_TIMBRE_FRAME / 2 + 1)
#define MIN_HZ 20.0
#define MAX_HZ (SEMBLANCE_ANALYSIS_RATE / 2.0)
#define DIAGONAL_LOAD 1e-4

typedef struct
{
  size_t first, count;
  float weights[N_BINS];
} Filter;

struct _SemblanceTimbre
{
  SemblanceFft *fft;
  float window[SEMBLANCE_TIMBRE_FRAME];
  float windowed[SEMBLANCE_TIMBRE_FRAME];
  SemblanceComplex spectrum[N_BINS];
  float power[N_BINS];
  Filter filters[SEMBLANCE_TIMBRE_BANDS];
  float dct[SEMBLANCE_TIMBRE_DIM][SEMBLANCE_TIMBRE_BANDS];
  double gain;

  size_t frames;
  double sum[SEMBLANCE_TIMBRE_DIM];
  double sum2[SEMBLANCE_TIMBRE_DIM * SEMBLANCE_TIMBRE_DIM];
};

static double
hz_to_mel (double hz)
{
  return 1127.01048 * log (1.0 + hz / 700.0);
}

static double
mel_to_hz (double mel)
{
  return 700.0 * (exp (mel / 1127.01048) - 1.0);
}

/* Musly's filter bank: band edges evenly spaced in mel from mel 1 to the
 * Nyquist frequency, each snapped to a grid of 11,005 frequencies from
 * 20 Hz to the Nyquist frequency (so the lowest edge is 20 Hz); triangles
 * of unit area, open at the left edge, closed at the centre, open at the
 * right edge. */
static void
init_filters (SemblanceTimbre *self)
{
  const size_t grid = 11005, points = SEMBLANCE_TIMBRE_BANDS + 2;
  const double step = (MAX_HZ - MIN_HZ) / (grid - 1);
  const double hi = hz_to_mel (MAX_HZ), bin_hz = (double) SEMBLANCE_ANALYSIS_RATE /
      SEMBLANCE_TIMBRE_FRAME;
  double edge[SEMBLANCE_TIMBRE_BANDS + 2];
  size_t b, k;

  for (b = 0; b < points; b++) {
    double hz = mel_to_hz (1.0 + (hi - 1.0) * b / (points - 1));
    double g = round ((hz - MIN_HZ) / step);

    edge[b] = MIN_HZ + CLAMP (g, 0.0, (double) (grid - 1)) * step;
  }
  for (b = 0; b < SEMBLANCE_TIMBRE_BANDS; b++) {
    Filter *f = &self->filters[b];
    double left = edge[b], centre = edge[b + 1], right = edge[b + 2];
    double height = 2.0 / (right - left);

    f->first = N_BINS;
    f->count = 0;
    for (k = 0; k < N_BINS; k++) {
      double hz = k * bin_hz, w = 0.0;

      if (hz > left && hz <= centre)
        w = height * (hz - left) / (centre - left);
      else if (hz > centre && hz < right)
        w = height * (right - hz) / (right - centre);
      if (w <= 0.0)
        continue;
      if (f->first == N_BINS)
        f->first = k;
      f->weights[k - f->first] = (float) w;
      f->count = k - f->first + 1;
    }
  }
}

SemblanceTimbre *
semblance_timbre_new (void)
{
  SemblanceTimbre *self = g_new0 (SemblanceTimbre, 1);
  size_t i, k;

  self->fft = semblance_fft_new (SEMBLANCE_TIMBRE_FRAME);
  /* The symmetric Hann window, as Musly's: zero at both ends. */
  for (i = 0; i < SEMBLANCE_TIMBRE_FRAME; i++)
    self->window[i] = (float) (0.5 * (1.0 - cos (2.0 * G_PI * i /
                (SEMBLANCE_TIMBRE_FRAME - 1))));
  init_filters (self);
  for (k = 0; k < SEMBLANCE_TIMBRE_DIM; k++)
    for (i = 0; i < SEMBLANCE_TIMBRE_BANDS; i++)
      self->dct[k][i] = (float) (sqrt (2.0 / SEMBLANCE_TIMBRE_BANDS) *
          cos (G_PI * k * (2.0 * i + 1.0) / (2.0 * SEMBLANCE_TIMBRE_BANDS)) *
          (k == 0 ? M_SQRT1_2 : 1.0));
  self->gain = SEMBLANCE_TIMBRE_PEAK * SEMBLANCE_TIMBRE_PEAK;
  return self;
}

void
semblance_timbre_free (SemblanceTimbre *self)
{
  if (!self)
    return;
  semblance_fft_free (self->fft);
  g_free (self);
}

void
semblance_timbre_reset (SemblanceTimbre *self)
{
  self->frames = 0;
  memset (self->sum, 0, sizeof self->sum);
  memset (self->sum2, 0, sizeof self->sum2);
}

void
semblance_timbre_set_gain (SemblanceTimbre *self, double gain)
{
  self->gain = gain;
}

void
semblance_timbre_process (SemblanceTimbre *self, const float *samples)
{
  double mfcc[SEMBLANCE_TIMBRE_DIM];
  float logmel[SEMBLANCE_TIMBRE_BANDS];
  size_t i, j, k;

  for (i = 0; i < SEMBLANCE_TIMBRE_FRAME; i++)
    self->windowed[i] = samples[i] * self->window[i];
  semblance_fft_forward (self->fft, self->windowed, self->spectrum);
  for (k = 0; k < N_BINS; k++)
    self->power[k] = self->spectrum[k].r * self->spectrum[k].r +
        self->spectrum[k].i * self->spectrum[k].i;
  for (i = 0; i < SEMBLANCE_TIMBRE_BANDS; i++) {
    const Filter *f = &self->filters[i];
    float e = 0.0f;

    for (k = 0; k < f->count; k++)
      e += f->weights[k] * self->power[f->first + k];
    logmel[i] = (float) log1p (self->gain * e);
  }
  for (k = 0; k < SEMBLANCE_TIMBRE_DIM; k++) {
    float c = 0.0f;

    for (i = 0; i < SEMBLANCE_TIMBRE_BANDS; i++)
      c += self->dct[k][i] * logmel[i];
    mfcc[k] = c;
  }
  for (i = 0; i < SEMBLANCE_TIMBRE_DIM; i++) {
    self->sum[i] += mfcc[i];
    for (j = i; j < SEMBLANCE_TIMBRE_DIM; j++)
      self->sum2[i * SEMBLANCE_TIMBRE_DIM + j] += mfcc[i] * mfcc[j];
  }
  self->frames++;
}

size_t
semblance_timbre_get_frames (const SemblanceTimbre *self)
{
  return self->frames;
}

bool
semblance_timbre_gaussian (const SemblanceTimbre *self, double *mean,
                           double *cov)
{
  const size_t d = SEMBLANCE_TIMBRE_DIM;
  double n = (double) self->frames;
  size_t i, j;

  memset (mean, 0, d * sizeof (double));
  memset (cov, 0, d * d * sizeof (double));
  if (self->frames < d + 1)
    return false;
  for (i = 0; i < d; i++)
    mean[i] = self->sum[i] / n;
  /* Unbiased, from the sums: (sum x x^T - n m m^T) / (n - 1). */
  for (i = 0; i < d; i++)
    for (j = i; j < d; j++) {
      double c = (self->sum2[i * d + j] - n * mean[i] * mean[j]) / (n - 1.0);

      cov[i * d + j] = cov[j * d + i] = c;
    }
  for (i = 0; i < d; i++)
    cov[i * d + i] += DIAGONAL_LOAD;
  return true;
}
