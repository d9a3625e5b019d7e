/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-loudness.h"

#include <ebur128.h>
#include <glib.h>
#include <math.h>
#include <string.h>

/* Momentary loudness spans 4 steps of 100 ms. */
#define STEPS_MOMENTARY 4
#define STEP_MS 100

/* Histogram of momentary loudness, 0.05 LU wide bins from the absolute
 * gate up, for its spread (libebur128 measures no spread). */
#define HIST_MIN SEMBLANCE_LOUDNESS_FLOOR
#define HIST_STEP 0.05
#define HIST_BINS 2000

struct _SemblanceLoudness
{
  ebur128_state *state;
  unsigned rate, channels;
  SemblanceChannelWeight *weights;
  size_t step_len;              /* libebur128's 100 ms, in frames */
  size_t step_fill;
  double steps[STEPS_MOMENTARY]; /* energies of the last steps */
  guint64 n_steps;
  unsigned momentary_hist[HIST_BINS];
};

static void
open_state (SemblanceLoudness *self)
{
  unsigned c;

  /* The histogram mode keeps memory flat; I for the integrated loudness,
   * LRA for the range (it implies the short-term windows). */
  self->state = ebur128_init (self->channels, self->rate,
      EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_HISTOGRAM);
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
  memset (self->momentary_hist, 0, sizeof self->momentary_hist);
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

static void
hist_add (unsigned *hist, double energy)
{
  double lufs;
  long bin;

  if (!(energy > 0.0))
    return;
  lufs = -0.691 + 10.0 * log10 (energy);
  if (lufs < HIST_MIN)
    return;
  bin = (long) ((lufs - HIST_MIN) / HIST_STEP);
  hist[MIN (bin, HIST_BINS - 1)]++;
}

static void
finish_step (SemblanceLoudness *self)
{
  double lufs, sum = 0.0;
  unsigned i;

  /* The weighted energy of the step just ended, from libebur128's filtered
   * samples; -HUGE_VAL for silence gives 0. */
  ebur128_loudness_window (self->state, STEP_MS, &lufs);
  self->steps[self->n_steps % STEPS_MOMENTARY] =
      pow (10.0, (lufs + 0.691) / 10.0);
  self->n_steps++;
  self->step_fill = 0;
  if (self->n_steps < STEPS_MOMENTARY)
    return;
  for (i = 0; i < STEPS_MOMENTARY; i++)
    sum += self->steps[i];
  hist_add (self->momentary_hist, sum / STEPS_MOMENTARY);
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

void
semblance_loudness_result (const SemblanceLoudness *self,
                           SemblanceLoudnessResult *result)
{
  /* libebur128's queries read the state without changing it. */
  ebur128_state *state = self->state;
  double integrated, range, gate, sum = 0.0, sum2 = 0.0;
  unsigned long count = 0;
  size_t bin;

  memset (result, 0, sizeof *result);
  result->integrated = SEMBLANCE_LOUDNESS_FLOOR;
  if (ebur128_loudness_global (state, &integrated) == EBUR128_SUCCESS
      && integrated > SEMBLANCE_LOUDNESS_FLOOR)
    result->integrated = integrated;
  if (ebur128_loudness_range (state, &range) == EBUR128_SUCCESS
      && range > 0.0)
    result->range = range;

  /* The spread of the blocks the integrated loudness is made of: those
   * above the relative gate. */
  if (ebur128_relative_threshold (state, &gate) != EBUR128_SUCCESS)
    return;
  for (bin = 0; bin < HIST_BINS; bin++) {
    double l = bin_lufs (bin);

    if (self->momentary_hist[bin] == 0 || l < gate)
      continue;
    count += self->momentary_hist[bin];
    sum += self->momentary_hist[bin] * l;
    sum2 += self->momentary_hist[bin] * l * l;
  }
  if (count > 0)
    result->variation = sqrt (MAX (0.0, sum2 / count - (sum / count) *
            (sum / count)));
}
