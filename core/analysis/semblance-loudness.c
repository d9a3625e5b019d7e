/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-loudness.h"

#include <ebur128.h>
#include <glib.h>
#include <math.h>
#include <string.h>

#include "semblance-lazy.h"

/* libebur128 K-weights the channels and gives the energy of each 100 ms
 * step; the gated measures are made here from those steps, as BS.1770-4
 * and EBU Tech 3342 build them: blocks of 400 ms every step (momentary,
 * for the integrated loudness) and of 3 s every 10 steps (short-term, for
 * the range). libebur128 would make the same blocks again from its
 * filtered samples, summing each sample 7 more times: 40 % of its cost. */
#define STEP_MS 100
#define STEPS_MOMENTARY 4
#define STEPS_SHORT_TERM 30
#define SHORT_TERM_EVERY 10
/* BS.1770-4's relative gate, and EBU Tech 3342's with its percentiles. */
#define INTEGRATED_GATE_LU (-10.0)
#define RANGE_GATE_LU (-20.0)
#define RANGE_LOW 0.10
#define RANGE_HIGH 0.95

/* Histograms of block loudness, 0.05 LU wide bins from the absolute gate
 * up: the percentiles of the range and the spread of momentary loudness
 * come from them, and memory stays the same whatever the length. Each bin
 * also sums its blocks' energies, so that the gates and the integrated
 * loudness are exact but for the blocks in the gate's own bin. */
#define HIST_MIN SEMBLANCE_LOUDNESS_FLOOR
#define HIST_STEP 0.05
#define HIST_BINS 2000

typedef struct
{
  unsigned count[HIST_BINS];
  double energy[HIST_BINS];
} Histogram;

struct _SemblanceLoudness
{
  ebur128_state *state;
  unsigned rate, channels;
  SemblanceChannelWeight *weights;
  size_t step_len;              /* libebur128's 100 ms, in frames */
  size_t step_fill;
  double steps[STEPS_SHORT_TERM]; /* energies of the last steps */
  guint64 n_steps;
  Histogram momentary, short_term;
};

static void
open_state (SemblanceLoudness *self)
{
  unsigned c;

  /* The momentary mode: the filters and a window of 400 ms, of which
   * the steps read the last 100 ms. */
  self->state = ebur128_init (self->channels, self->rate, EBUR128_MODE_M);
  if (!self->state)
    g_error ("libebur128 cannot allocate a loudness meter");
  for (c = 0; c < self->channels; c++) {
    /* libebur128 gives +1.5 dB to its surround positions and 1 to the
     * front ones; it keeps a filter state per channel, so positions may
     * repeat. */
    int value = self->weights[c] == SEMBLANCE_CHANNEL_UNUSED ? EBUR128_UNUSED
        : self->weights[c] == SEMBLANCE_CHANNEL_SURROUND
        ? EBUR128_LEFT_SURROUND : EBUR128_CENTER;

    ebur128_set_channel (self->state, c, value);
  }
  self->step_fill = 0;
  self->n_steps = 0;
  memset (&self->momentary, 0, sizeof self->momentary);
  memset (&self->short_term, 0, sizeof self->short_term);
}

SemblanceLoudness *
semblance_loudness_new (unsigned rate, unsigned channels,
                        const SemblanceChannelWeight *weights)
{
  SemblanceLoudness *self;
  unsigned c;

  g_return_val_if_fail (rate >= 16 && rate <= 2822400, NULL);
  g_return_val_if_fail (channels >= 1 && channels <= 64, NULL);

  self = g_new0 (SemblanceLoudness, 1);
  self->rate = rate;
  self->channels = channels;
  self->weights = g_new (SemblanceChannelWeight, channels);
  for (c = 0; c < channels; c++)
    self->weights[c] = weights ? weights[c] : SEMBLANCE_CHANNEL_FRONT;
  /* libebur128's own rounding of 100 ms, so that the steps end where its
   * gating blocks do. */
  self->step_len = (rate + 5) / 10;
  open_state (self);
  return self;
}

void
semblance_loudness_free (SemblanceLoudness *self)
{
  if (!self)
    return;
  ebur128_destroy (&self->state);
  g_free (self->weights);
  g_free (self);
}

void
semblance_loudness_reset (SemblanceLoudness *self)
{
  ebur128_destroy (&self->state);
  open_state (self);
}

static double
energy_lufs (double energy)
{
  return -0.691 + 10.0 * log10 (energy);
}

static void
hist_add (Histogram *hist, double energy)
{
  double lufs;
  long bin;

  if (!(energy > 0.0))
    return;
  lufs = energy_lufs (energy);
  if (lufs < HIST_MIN)
    return;
  bin = MIN ((long) ((lufs - HIST_MIN) / HIST_STEP), HIST_BINS - 1);
  hist->count[bin]++;
  hist->energy[bin] += energy;
}

/* The mean energy of the last @n steps. */
static double
recent_energy (const SemblanceLoudness *self, unsigned n)
{
  double sum = 0.0;
  unsigned i;

  for (i = 1; i <= n; i++)
    sum += self->steps[(self->n_steps - i) % STEPS_SHORT_TERM];
  return sum / n;
}

static void
finish_step (SemblanceLoudness *self)
{
  double lufs;

  /* The weighted energy of the step just ended, from libebur128's filtered
   * samples; -HUGE_VAL for silence gives 0. */
  ebur128_loudness_window (self->state, STEP_MS, &lufs);
  self->steps[self->n_steps % STEPS_SHORT_TERM] =
      pow (10.0, (lufs + 0.691) / 10.0);
  self->n_steps++;
  self->step_fill = 0;
  if (self->n_steps >= STEPS_MOMENTARY)
    hist_add (&self->momentary, recent_energy (self, STEPS_MOMENTARY));
  if (self->n_steps >= STEPS_SHORT_TERM
      && (self->n_steps - STEPS_SHORT_TERM) % SHORT_TERM_EVERY == 0)
    hist_add (&self->short_term, recent_energy (self, STEPS_SHORT_TERM));
}

void
semblance_loudness_process (SemblanceLoudness *self, const float *frames,
                            size_t n_frames)
{
  while (n_frames > 0) {
    size_t take = MIN (n_frames, self->step_len - self->step_fill);

    ebur128_add_frames_float (self->state, frames, take);
    frames += take * self->channels;
    n_frames -= take;
    self->step_fill += take;
    if (self->step_fill == self->step_len)
      finish_step (self);
  }
}

static double
bin_lufs (size_t bin)
{
  return HIST_MIN + (bin + 0.5) * HIST_STEP;
}

/* The relative gate, @gate_lu below the mean energy of every block above
 * the absolute gate (the histogram holds only those): into *@first the
 * bin it falls in, and into *@share the share of that bin above it (its
 * blocks taken as spread evenly). FALSE when no block passes. */
static gboolean
relative_gate (const Histogram *hist, double gate_lu, size_t *first,
               double *share)
{
  double energy = 0.0, gate, pos;
  guint64 count = 0;
  size_t bin;

  for (bin = 0; bin < HIST_BINS; bin++) {
    count += hist->count[bin];
    energy += hist->energy[bin];
  }
  if (count == 0)
    return FALSE;
  gate = energy_lufs (energy / count) + gate_lu;
  pos = CLAMP ((gate - HIST_MIN) / HIST_STEP, 0.0, HIST_BINS - 1.0);
  *first = (size_t) pos;
  *share = 1.0 - (pos - *first);
  return TRUE;
}

/* The bin of the @rank-th block (from 0) counted up from bin @first. */
static size_t
bin_of_rank (const Histogram *hist, size_t first, guint64 rank)
{
  guint64 seen = 0;
  size_t bin;

  for (bin = first; bin < HIST_BINS; bin++) {
    seen += hist->count[bin];
    if (seen > rank)
      return bin;
  }
  return HIST_BINS - 1;
}

void
semblance_loudness_result (const SemblanceLoudness *self,
                           SemblanceLoudnessResult *result)
{
  const Histogram *m = &self->momentary, *st = &self->short_term;
  double share, count = 0.0, energy = 0.0, sum = 0.0, sum2 = 0.0;
  size_t first, bin;

  memset (result, 0, sizeof *result);
  result->integrated = SEMBLANCE_LOUDNESS_FLOOR;

  /* Integrated loudness: the mean energy of the momentary blocks above
   * the relative gate; and the spread of their loudness. */
  if (relative_gate (m, INTEGRATED_GATE_LU, &first, &share)) {
    for (bin = first; bin < HIST_BINS; bin++) {
      double w = bin == first ? share : 1.0, l = bin_lufs (bin);

      count += w * m->count[bin];
      energy += w * m->energy[bin];
      sum += w * m->count[bin] * l;
      sum2 += w * m->count[bin] * l * l;
    }
    if (count > 0.0 && energy > 0.0) {
      result->integrated = MAX (energy_lufs (energy / count),
          SEMBLANCE_LOUDNESS_FLOOR);
      result->variation = sqrt (MAX (0.0, sum2 / count - (sum / count) *
              (sum / count)));
    }
  }

  /* Loudness range: from the 10th to the 95th percentile of the
   * short-term blocks above their relative gate (in whole bins, as
   * libebur128 counts them). */
  if (relative_gate (st, RANGE_GATE_LU, &first, &share)) {
    guint64 n = 0;

    for (bin = first; bin < HIST_BINS; bin++)
      n += st->count[bin];
    if (n > 0) {
      size_t low = bin_of_rank (st, first,
          (guint64) ((n - 1) * RANGE_LOW + 0.5));
      size_t high = bin_of_rank (st, first,
          (guint64) ((n - 1) * RANGE_HIGH + 0.5));

      result->range = bin_lufs (high) - bin_lufs (low);
    }
  }
}
