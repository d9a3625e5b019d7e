/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-loudness.h"

#include <glib.h>
#include <math.h>
#include <string.h>

/* 100 ms steps: momentary loudness spans 4 of them, short-term 30. */
#define STEPS_MOMENTARY 4
#define STEPS_SHORT_TERM 30

/* Histogram of block loudness, 0.05 LU wide bins from the absolute gate up. */
#define HIST_MIN SEMBLANCE_LOUDNESS_FLOOR
#define HIST_STEP 0.05
#define HIST_BINS 2000

typedef struct
{
  double b0, b1, b2, a1, a2;
  double x1, x2, y1, y2;
} Biquad;

struct _SemblanceLoudness
{
  Biquad shelf, highpass;
  size_t step_len;
  size_t step_fill;
  double step_energy;
  double steps[STEPS_SHORT_TERM];
  size_t n_steps; /* steps completed since the last discontinuity */
  unsigned momentary_hist[HIST_BINS];
  unsigned short_term_hist[HIST_BINS];
};

/* The two K-weighting stages are specified at 48 kHz; their analogue
 * prototypes (a high shelf near 1.7 kHz, a high-pass near 38 Hz) are mapped
 * to the actual rate with the bilinear transform, so any rate is exact. */
static void
design_k_weighting (SemblanceLoudness *self, double rate)
{
  const double shelf_f0 = 1681.974450955533;
  const double shelf_gain_db = 3.999843853973347;
  const double shelf_q = 0.7071752369554196;
  const double hp_f0 = 38.13547087602444;
  const double hp_q = 0.5003270373238773;
  double k, vh, vb, a0;

  k = tan (G_PI * shelf_f0 / rate);
  vh = pow (10.0, shelf_gain_db / 20.0);
  vb = pow (vh, 0.4996667741545416);
  a0 = 1.0 + k / shelf_q + k * k;
  self->shelf.b0 = (vh + vb * k / shelf_q + k * k) / a0;
  self->shelf.b1 = 2.0 * (k * k - vh) / a0;
  self->shelf.b2 = (vh - vb * k / shelf_q + k * k) / a0;
  self->shelf.a1 = 2.0 * (k * k - 1.0) / a0;
  self->shelf.a2 = (1.0 - k / shelf_q + k * k) / a0;

  k = tan (G_PI * hp_f0 / rate);
  a0 = 1.0 + k / hp_q + k * k;
  self->highpass.b0 = 1.0;
  self->highpass.b1 = -2.0;
  self->highpass.b2 = 1.0;
  self->highpass.a1 = 2.0 * (k * k - 1.0) / a0;
  self->highpass.a2 = (1.0 - k / hp_q + k * k) / a0;
}

static inline double
biquad_run (Biquad *f, double x)
{
  double y = f->b0 * x + f->b1 * f->x1 + f->b2 * f->x2 - f->a1 * f->y1
      - f->a2 * f->y2;

  f->x2 = f->x1;
  f->x1 = x;
  f->y2 = f->y1;
  f->y1 = y;
  return y;
}

static double
energy_to_lufs (double energy)
{
  return -0.691 + 10.0 * log10 (energy);
}

static double
lufs_to_energy (double lufs)
{
  return pow (10.0, (lufs + 0.691) / 10.0);
}

static double
bin_lufs (size_t bin)
{
  return HIST_MIN + (bin + 0.5) * HIST_STEP;
}

static void
hist_add (unsigned *hist, double energy)
{
  double lufs;
  long bin;

  if (!(energy > 0.0))
    return;
  lufs = energy_to_lufs (energy);
  if (lufs < HIST_MIN)
    return;
  bin = (long) ((lufs - HIST_MIN) / HIST_STEP);
  hist[MIN (bin, HIST_BINS - 1)]++;
}

SemblanceLoudness *
semblance_loudness_new (double rate)
{
  SemblanceLoudness *self = g_new0 (SemblanceLoudness, 1);

  design_k_weighting (self, rate);
  self->step_len = (size_t) lround (rate / 10.0);
  return self;
}

void
semblance_loudness_free (SemblanceLoudness *self)
{
  g_free (self);
}

void
semblance_loudness_discont (SemblanceLoudness *self)
{
  self->shelf.x1 = self->shelf.x2 = self->shelf.y1 = self->shelf.y2 = 0.0;
  self->highpass.x1 = self->highpass.x2 = 0.0;
  self->highpass.y1 = self->highpass.y2 = 0.0;
  self->step_fill = 0;
  self->step_energy = 0.0;
  self->n_steps = 0;
}

void
semblance_loudness_reset (SemblanceLoudness *self)
{
  semblance_loudness_discont (self);
  memset (self->momentary_hist, 0, sizeof self->momentary_hist);
  memset (self->short_term_hist, 0, sizeof self->short_term_hist);
}

static double
mean_of_last_steps (const SemblanceLoudness *self, size_t count)
{
  double sum = 0.0;
  size_t i;

  for (i = 0; i < count; i++)
    sum += self->steps[(self->n_steps - 1 - i) % STEPS_SHORT_TERM];
  return sum / count;
}

static void
finish_step (SemblanceLoudness *self)
{
  self->steps[self->n_steps % STEPS_SHORT_TERM] =
      self->step_energy / self->step_len;
  self->n_steps++;
  self->step_fill = 0;
  self->step_energy = 0.0;

  if (self->n_steps >= STEPS_MOMENTARY)
    hist_add (self->momentary_hist, mean_of_last_steps (self, STEPS_MOMENTARY));
  if (self->n_steps >= STEPS_SHORT_TERM)
    hist_add (self->short_term_hist,
              mean_of_last_steps (self, STEPS_SHORT_TERM));
}

void
semblance_loudness_process (SemblanceLoudness *self, const float *samples,
                            size_t n)
{
  size_t i;

  for (i = 0; i < n; i++) {
    double y = biquad_run (&self->highpass,
                           biquad_run (&self->shelf, samples[i]));

    self->step_energy += y * y;
    if (++self->step_fill == self->step_len)
      finish_step (self);
  }
}

/* Mean energy, as loudness, of the bins at or above @gate_lufs. */
static double
gated_mean (const unsigned *hist, double gate_lufs, unsigned long *count)
{
  double energy = 0.0;
  size_t bin;

  *count = 0;
  for (bin = 0; bin < HIST_BINS; bin++) {
    if (hist[bin] == 0 || bin_lufs (bin) < gate_lufs)
      continue;
    energy += hist[bin] * lufs_to_energy (bin_lufs (bin));
    *count += hist[bin];
  }
  return *count ? energy_to_lufs (energy / *count) : SEMBLANCE_LOUDNESS_FLOOR;
}

static double
percentile (const unsigned *hist, double gate_lufs, unsigned long count,
            double p)
{
  unsigned long target = (unsigned long) ceil (p * count), seen = 0;
  size_t bin;

  for (bin = 0; bin < HIST_BINS; bin++) {
    if (bin_lufs (bin) < gate_lufs)
      continue;
    seen += hist[bin];
    if (seen >= MAX (target, 1))
      return bin_lufs (bin);
  }
  return bin_lufs (HIST_BINS - 1);
}

void
semblance_loudness_result (const SemblanceLoudness *self,
                           SemblanceLoudnessResult *result)
{
  unsigned long count;
  double ungated, gate, sum = 0.0, sum2 = 0.0;
  size_t bin;

  ungated = gated_mean (self->momentary_hist, HIST_MIN, &count);
  result->integrated = SEMBLANCE_LOUDNESS_FLOOR;
  result->variation = 0.0;
  if (count) {
    gate = ungated - 10.0;
    result->integrated = gated_mean (self->momentary_hist, gate, &count);
    for (bin = 0; bin < HIST_BINS; bin++) {
      if (bin_lufs (bin) < gate)
        continue;
      sum += self->momentary_hist[bin] * bin_lufs (bin);
      sum2 += self->momentary_hist[bin] * bin_lufs (bin) * bin_lufs (bin);
    }
    result->variation = sqrt (MAX (0.0, sum2 / count - (sum / count) *
            (sum / count)));
  }

  result->range = 0.0;
  ungated = gated_mean (self->short_term_hist, HIST_MIN, &count);
  if (count) {
    gate = ungated - 20.0;
    gated_mean (self->short_term_hist, gate, &count);
    result->range = percentile (self->short_term_hist, gate, count, 0.95) -
        percentile (self->short_term_hist, gate, count, 0.10);
  }
}
