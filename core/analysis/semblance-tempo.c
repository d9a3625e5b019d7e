/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-tempo.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#define MAX_LAG 640
#define RING 1024               /* power of two above MAX_LAG */
#define LOCAL_MEAN 16           /* frames in the moving average removed from the envelope */
#define MIN_BPM 40.0
#define MAX_BPM 240.0
#define PRIOR_BPM 120.0
#define PRIOR_OCTAVES 1.0
#define MAX_DOUBLED_BPM 210.0
/* A pulse half-way between beats must be this strong, absolutely and
 * relative to the beat, to double the tempo. */
#define HALF_PULSE_MIN 0.2
#define HALF_PULSE_RATIO 0.5
#define MIN_ONSET_GAP 3         /* frames between two counted onsets */
/* Rises below this (dB per mel band) are the ripple of a steady sound
 * against the frame grid, not onsets: without a floor, the normalised
 * autocorrelation would find a confident pulse in a pure tone. */
#define ONSET_FLOOR 0.01

const double semblance_tempo_band_edges[SEMBLANCE_N_TEMPO_BANDS + 1] = {
  30, 60, 80, 100, 120, 140, 170, 210, 300,
};

struct _SemblanceTempo
{
  double frame_rate;
  float raw[LOCAL_MEAN];
  double raw_sum;
  float ring[RING];
  size_t filled;                /* frames since the last discontinuity */
  size_t frames;                /* frames in all */
  double lag_sum[MAX_LAG + 1];
  double lag_pairs[MAX_LAG + 1];
  double sum, sum2;
  /* onset counting */
  float prev1, prev2;
  size_t since_onset;
  size_t onsets;
};

SemblanceTempo *
semblance_tempo_new (double frame_rate)
{
  SemblanceTempo *self = g_new0 (SemblanceTempo, 1);

  self->frame_rate = frame_rate;
  semblance_tempo_reset (self);
  return self;
}

void
semblance_tempo_free (SemblanceTempo *self)
{
  g_free (self);
}

void
semblance_tempo_discont (SemblanceTempo *self)
{
  memset (self->raw, 0, sizeof self->raw);
  self->raw_sum = 0.0;
  self->filled = 0;
  self->prev1 = self->prev2 = 0.0f;
  self->since_onset = MIN_ONSET_GAP;
}

void
semblance_tempo_reset (SemblanceTempo *self)
{
  semblance_tempo_discont (self);
  memset (self->lag_sum, 0, sizeof self->lag_sum);
  memset (self->lag_pairs, 0, sizeof self->lag_pairs);
  self->sum = self->sum2 = 0.0;
  self->frames = 0;
  self->onsets = 0;
}

void
semblance_tempo_push (SemblanceTempo *self, float onset)
{
  size_t pos = self->filled % LOCAL_MEAN, lag, max_lag, n_local;
  double local_mean, x, mean, var;

  /* Remove the slowly varying part of the envelope (crescendos, sustained
   * notes), so the autocorrelation sees the pulses. */
  self->raw_sum += onset - self->raw[pos];
  self->raw[pos] = onset;
  n_local = MIN (self->filled + 1, LOCAL_MEAN);
  local_mean = self->raw_sum / n_local;
  x = onset - local_mean;
  if (x < ONSET_FLOOR)
    x = 0.0;

  self->ring[self->filled % RING] = (float) x;
  max_lag = MIN (self->filled, MAX_LAG);
  for (lag = 0; lag <= max_lag; lag++) {
    self->lag_sum[lag] += x * self->ring[(self->filled - lag) % RING];
    self->lag_pairs[lag] += 1.0;
  }
  self->sum += x;
  self->sum2 += x * x;
  self->filled++;
  self->frames++;

  /* An onset is a local maximum of the detrended envelope that stands out
   * from its running statistics. */
  mean = self->sum / self->frames;
  var = MAX (0.0, self->sum2 / self->frames - mean * mean);
  if (self->prev1 > self->prev2 && self->prev1 >= x
      && self->prev1 > mean + 0.5 * sqrt (var)
      && self->since_onset >= MIN_ONSET_GAP) {
    self->onsets++;
    self->since_onset = 0;
  } else {
    self->since_onset++;
  }
  self->prev2 = self->prev1;
  self->prev1 = (float) x;
}

/* Normalised autocorrelation (autocovariance over variance) per lag. */
static gboolean
normalised_autocorrelation (const SemblanceTempo *self, double *r)
{
  double mean, var;
  size_t lag;

  if (self->frames < 2)
    return FALSE;
  mean = self->sum / self->frames;
  var = self->lag_sum[0] / self->lag_pairs[0] - mean * mean;
  if (!(var > 1e-12))
    return FALSE;
  for (lag = 0; lag <= MAX_LAG; lag++)
    r[lag] = self->lag_pairs[lag] > 0.0
        ? (self->lag_sum[lag] / self->lag_pairs[lag] - mean * mean) / var
        : 0.0;
  return TRUE;
}

static double
r_at (const double *r, double lag)
{
  size_t i = (size_t) lag;
  double frac = lag - i;

  if (lag < 0.0 || i >= MAX_LAG)
    return 0.0;
  return r[i] * (1.0 - frac) + r[i + 1] * frac;
}

/* Evidence for a beat period: the autocorrelation at its first multiples. */
static double
comb (const double *r, double period, unsigned max_multiples)
{
  double score = 0.0;
  unsigned k, used = 0;

  for (k = 1; k <= max_multiples && k * period <= MAX_LAG; k++, used++)
    score += r_at (r, k * period);
  return used ? score / used : 0.0;
}

static double
period_of (const SemblanceTempo *self, double bpm)
{
  return 60.0 * self->frame_rate / bpm;
}

static double
estimate_bpm (const SemblanceTempo *self, const double *r)
{
  double bpm, best_bpm = 0.0, best = 0.0, lo, hi;

  /* A pulse at T is also a pulse at 2T: the comb alone cannot tell octaves
   * apart, so a broad prior around 120 BPM picks one... */
  for (bpm = MIN_BPM; bpm <= MAX_BPM; bpm += 0.5) {
    double d = log2 (bpm / PRIOR_BPM) / PRIOR_OCTAVES;
    double score = comb (r, period_of (self, bpm), 4) * exp (-0.5 * d * d);

    if (score > best) {
      best = score;
      best_bpm = bpm;
    }
  }
  if (best_bpm == 0.0)
    return 0.0;

  /* ...and the faster octave wins whenever there is a pulse half-way between
   * the beats. */
  while (best_bpm * 2.0 <= MAX_DOUBLED_BPM) {
    double half = r_at (r, period_of (self, best_bpm) / 2.0);

    if (half < HALF_PULSE_MIN
        || half < HALF_PULSE_RATIO * r_at (r, period_of (self, best_bpm)))
      break;
    best_bpm *= 2.0;
  }

  /* Long lags resolve the period finely: refine over many multiples. */
  lo = MAX (best_bpm * 0.97, MIN_BPM);
  hi = MIN (best_bpm * 1.03, MAX_BPM);
  best = -1.0;
  for (bpm = lo; bpm <= hi; bpm += 0.01) {
    double score = comb (r, period_of (self, bpm), 16);

    if (score > best) {
      best = score;
      best_bpm = bpm;
    }
  }
  return best_bpm;
}

void
semblance_tempo_result (const SemblanceTempo *self,
                        SemblanceTempoResult *result)
{
  double r[MAX_LAG + 1];
  size_t band, lag;

  memset (result, 0, sizeof *result);
  if (self->frames > 0)
    result->onset_rate = self->onsets * self->frame_rate / self->frames;
  if (!normalised_autocorrelation (self, r))
    return;

  result->bpm = estimate_bpm (self, r);
  if (result->bpm > 0.0) {
    double period = period_of (self, result->bpm);

    result->clarity = CLAMP (MAX (r_at (r, period), MAX (r_at (r, period - 1),
                r_at (r, period + 1))), 0.0, 1.0);
  }

  for (band = 0; band < SEMBLANCE_N_TEMPO_BANDS; band++) {
    size_t first = (size_t) ceil (period_of (self,
            semblance_tempo_band_edges[band + 1]));
    size_t last = (size_t) floor (period_of (self,
            semblance_tempo_band_edges[band]));
    double peak = 0.0;

    for (lag = MAX (first, 1); lag <= MIN (last, MAX_LAG); lag++)
      peak = MAX (peak, r[lag]);
    result->periodicity[band] = CLAMP (peak, 0.0, 1.0);
  }
}
