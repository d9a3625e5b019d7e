/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-tempo.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#define MAX_LAG 640
#define RING 1024               /* power of two above MAX_LAG */
#define LOCAL_MEAN 16           /* frames in the moving average removed from the envelope */
#define MIN_BPM SEMBLANCE_TEMPO_MIN_BPM
#define MAX_BPM SEMBLANCE_TEMPO_MAX_BPM
/* The comb is searched a little beyond the range, so that a peak inside
 * it is told from a slope that runs on past its end: only peaks count. */
#define SEARCH_MIN_BPM 30.0
#define SEARCH_MAX_BPM 300.0
#define BPM_STEP 0.5
/* Beats within 5 % of the range's ends are not taken: the refinement moves
 * them by up to 3 %, and the ends themselves are never an estimate. */
#define EDGE_MARGIN 1.05
#define N_GRID ((int) ((SEARCH_MAX_BPM - SEARCH_MIN_BPM) / BPM_STEP) + 1)
#define PRIOR_BPM 120.0
#define PRIOR_OCTAVES 1.0
#define MAX_DOUBLED_BPM 210.0
/* Beats with fewer onsets than this on average are a faster level than
 * the music's: the slower one is taken (a slow piece whose notes ring
 * on, whose envelope still ripples at twice its beat). */
#define MIN_ONSETS_PER_BEAT 0.6
/* A comb peak at 3/2 or 2/3 of the beat at least this strong relative to
 * it is the other grouping of the same pulses (in twos or in threes); the
 * one nearer the prior's centre is where a listener taps. */
#define THREE_TWO_RATIO 0.7
/* Candidates within this ratio of a simple multiple (1/4 to 4) of the
 * beat are its metrical levels, not rivals. */
#define LEVEL_TOLERANCE 0.04
/* Without this much autocorrelation at the beat's period or twice it
 * (a pulse slower than the range is read at twice its tempo, with every
 * other beat empty) there is no clear pulse. The autocorrelation must
 * also stand NOISE_SIGMAS standard errors (1 / sqrt of the frames paired
 * at the lag) above 0, which is what noise reaches on a short signal. */
#define MIN_PULSE 0.05
#define NOISE_SIGMAS 3.0
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

/* The autocorrelation at a period, forgiving a frame's rounding either
 * way. */
static double
pulse_at (const double *r, double period)
{
  return MAX (r_at (r, period), MAX (r_at (r, period - 1),
          r_at (r, period + 1)));
}

static gboolean
clear_pulse (const SemblanceTempo *self, const double *r, double period)
{
  double lag;

  for (lag = period; lag <= 2.0 * period && lag < MAX_LAG; lag += period) {
    double pairs = MAX (self->lag_pairs[(size_t) lag], 1.0);

    if (pulse_at (r, lag) >= MAX (MIN_PULSE, NOISE_SIGMAS / sqrt (pairs)))
      return TRUE;
  }
  return FALSE;
}

static double
prior (double bpm)
{
  double d = log2 (bpm / PRIOR_BPM) / PRIOR_OCTAVES;

  return exp (-0.5 * d * d);
}

static gboolean
metrically_related (double a, double b)
{
  static const double ratios[] = {
    1.0, 2.0, 3.0, 4.0, 0.5, 1.0 / 3.0, 0.25, 1.5, 2.0 / 3.0,
  };
  size_t i;

  for (i = 0; i < G_N_ELEMENTS (ratios); i++)
    if (fabs (a / (b * ratios[i]) - 1.0) <= LEVEL_TOLERANCE)
      return TRUE;
  return FALSE;
}

static gboolean
is_peak (const double *comb_at, int k)
{
  double bpm = SEARCH_MIN_BPM + k * BPM_STEP;

  return k > 0 && k + 1 < N_GRID
      && bpm >= MIN_BPM * EDGE_MARGIN && bpm <= MAX_BPM / EDGE_MARGIN
      && comb_at[k] > comb_at[k - 1] && comb_at[k] >= comb_at[k + 1];
}

/* Pulses grouped in twos and in threes give comb peaks at 3:2 (a 6/8
 * figure, a triplet feel, a hemiola): the prior's broad octave preference
 * hardly tells them apart, so when the other grouping is nearly as strong
 * and has a clear pulse, the one nearer the prior's centre is taken. */
static double
three_two_level (const SemblanceTempo *self, const double *r,
                 const double *comb_at, double best_bpm)
{
  static const double ratios[] = { 1.5, 2.0 / 3.0 };
  double base = comb (r, period_of (self, best_bpm), 4);
  double pick = best_bpm, pick_distance = fabs (log2 (best_bpm / PRIOR_BPM));
  size_t i;
  int k;

  for (i = 0; i < G_N_ELEMENTS (ratios); i++) {
    double target = best_bpm * ratios[i], peak = 0.0, peak_bpm = 0.0;

    for (k = 0; k < N_GRID; k++) {
      double bpm = SEARCH_MIN_BPM + k * BPM_STEP;

      if (fabs (bpm / target - 1.0) <= LEVEL_TOLERANCE
          && is_peak (comb_at, k) && comb_at[k] > peak) {
        peak = comb_at[k];
        peak_bpm = bpm;
      }
    }
    if (peak_bpm > 0.0 && peak >= THREE_TWO_RATIO * base
        && fabs (log2 (peak_bpm / PRIOR_BPM)) < pick_distance
        && clear_pulse (self, r, period_of (self, peak_bpm))) {
      pick = peak_bpm;
      pick_distance = fabs (log2 (peak_bpm / PRIOR_BPM));
    }
  }
  return pick;
}

/* The beat in BPM, 0 without a clear pulse; @confidence gets how far it
 * stands out from the best candidate at no metrical level of it. */
static double
estimate_bpm (const SemblanceTempo *self, const double *r, double onset_rate,
              double *confidence)
{
  double comb_at[N_GRID], bpm, best_bpm = 0.0, best = 0.0, rival = 0.0, lo, hi;
  int k;

  *confidence = 0.0;
  for (k = 0; k < N_GRID; k++)
    comb_at[k] = comb (r, period_of (self, SEARCH_MIN_BPM + k * BPM_STEP), 4);

  /* A pulse at T is also a pulse at 2T: the comb alone cannot tell octaves
   * apart, so a broad prior around 120 BPM picks one. Only the comb's
   * peaks inside the range compete. */
  for (k = 1; k + 1 < N_GRID; k++) {
    double score;

    if (!is_peak (comb_at, k))
      continue;
    bpm = SEARCH_MIN_BPM + k * BPM_STEP;
    score = comb_at[k] * prior (bpm);
    if (score > best) {
      best = score;
      best_bpm = bpm;
    }
  }
  if (best_bpm == 0.0)
    return 0.0;
  best_bpm = three_two_level (self, r, comb_at, best_bpm);

  /* The faster octave wins whenever there is a pulse half-way between
   * the beats... */
  while (best_bpm * 2.0 <= MAX_DOUBLED_BPM) {
    double half = r_at (r, period_of (self, best_bpm) / 2.0);

    if (half < HALF_PULSE_MIN
        || half < HALF_PULSE_RATIO * r_at (r, period_of (self, best_bpm)))
      break;
    best_bpm *= 2.0;
  }
  /* ...unless there are not enough onsets to fill its beats. */
  while (best_bpm / 2.0 >= MIN_BPM * EDGE_MARGIN
      && onset_rate * 60.0 / best_bpm < MIN_ONSETS_PER_BEAT)
    best_bpm /= 2.0;

  /* The confidence: the lead of the beat's level over the best peak that
   * is no metrical level of it. */
  if (!clear_pulse (self, r, period_of (self, best_bpm)))
    return 0.0;
  best = comb (r, period_of (self, best_bpm), 4) * prior (best_bpm);
  for (k = 1; k + 1 < N_GRID; k++) {
    bpm = SEARCH_MIN_BPM + k * BPM_STEP;
    if (comb_at[k] > comb_at[k - 1] && comb_at[k] >= comb_at[k + 1]
        && !metrically_related (bpm, best_bpm))
      rival = MAX (rival, comb_at[k] * prior (bpm));
  }
  /* A rival is often a rhythm of the music across the beat (a dotted or
   * a triplet figure), so a low confidence does not take the tempo away. */
  *confidence = best > 0.0 ? CLAMP (1.0 - rival / best, 0.0, 1.0) : 0.0;

  /* Long lags resolve the period finely: refine over many multiples. */
  lo = best_bpm * 0.97;
  hi = best_bpm * 1.03;
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

  result->bpm = estimate_bpm (self, r, result->onset_rate,
      &result->confidence);
  if (result->bpm > 0.0) {
    double period = period_of (self, result->bpm);

    result->clarity = CLAMP (pulse_at (r, period), 0.0, 1.0);
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
