/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-key.h"

#include <math.h>
#include <string.h>

#include "semblance-fft.h"
#include "semblance-resampler.h"

/* Temperley's key profiles (2005), from the Kostka-Payne corpus: how often
 * each scale degree sounds in a piece, tonic first. They chose the key of
 * more of the labelled pieces of bench/analysis-accuracy than Krumhansl
 * and Kessler's probe-tone ratings, Aarden's or Temperley's older ones,
 * and preferred no key over the others. */
static const double major_notes[12] = {
  0.748, 0.060, 0.488, 0.082, 0.670, 0.460, 0.096, 0.715, 0.104, 0.366,
  0.057, 0.400,
};

static const double minor_notes[12] = {
  0.712, 0.084, 0.474, 0.618, 0.049, 0.460, 0.105, 0.747, 0.404, 0.067,
  0.133, 0.330,
};

/* A played note also sounds its harmonics: the 2nd and 4th on its own
 * pitch class, the 3rd a fifth up. The profiles are for notes, the chroma
 * of audio: each degree also lends 0.6^(h-1) of its weight to where its
 * harmonic h falls (as Gomez's polyphonic profiles do). */
#define HARMONIC_SLOPE 0.6

/* A chroma flatter than this (standard deviation over mean of the 12
 * values) whose shape also matches no key profile better than
 * MIN_FLAT_STRENGTH has no key. In bench/analysis-accuracy the rendered
 * drum pieces stay below a spread of 0.40 and a strength of 0.53, the
 * pitched pieces above 0.46 and 0.68; noise reads a strength near 0.3.
 * A flat chroma that still matches a key well is tonal music under loud
 * percussion (the demo's battle.ogg: spread 0.18, strength 0.68). A
 * diatonic scale of equal notes is at a spread of 0.85. */
#define MIN_CHROMA_SPREAD 0.43
#define MIN_FLAT_STRENGTH 0.6

/* The signal at half its rate: 4096 samples are 0.37 s at 11,025 Hz, bins
 * 2.7 Hz apart, a semitone from 65 Hz up. Frames do not overlap: the
 * chroma is a whole-track average, and a second FFT per hop would cost
 * more than it tells. */
#define DECIMATION 2
#define TAPS 16
/* Inputs halved per call. */
#define PUSH_CHUNK 1024
#define FRAME 4096
#define MIN_HZ 65.0
#define MAX_HZ 2100.0
/* Peaks further below the frame's strongest are side lobes and noise. */
#define PEAK_RANGE 1e-6
/* Frames quieter than -60 dBFS are silence. */
#define GATE_POWER 1e-6
#define FINE 10                 /* circle bins per semitone */
#define CIRCLE (12 * FINE)

static double major_profile[12], minor_profile[12];

static void
harmonic_profile (const double *notes, double *profile)
{
  static const int fifths[4] = { 0, 0, 7, 0 };   /* harmonics 1 to 4 */
  double weight;
  int n, h;

  memset (profile, 0, 12 * sizeof (double));
  for (n = 0; n < 12; n++)
    for (h = 0, weight = 1.0; h < 4; h++, weight *= HARMONIC_SLOPE)
      profile[(n + fifths[h]) % 12] += weight * notes[n];
}

static void
init_profiles (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    harmonic_profile (major_notes, major_profile);
    harmonic_profile (minor_notes, minor_profile);
    g_once_init_leave (&done, 1);
  }
}

struct _SemblanceKeyFinder
{
  double rate;
  /* Halves the rate through a low-pass filter, in vector code. */
  SemblanceResampler *halve;
  float halved[PUSH_CHUNK / DECIMATION + 1]; /* semblance_resampler_max_out() */
  SemblanceFft *fft;
  float window[FRAME];
  float frame[FRAME];
  size_t fill;
  SemblanceComplex spectrum[FRAME / 2 + 1];
  float power[FRAME / 2 + 1];
  double circle[CIRCLE];        /* peak weight per 10-cent bin, C first */
  guint64 frames;
};

static double
correlate (const double *chroma, const double *profile, int tonic)
{
  double mc = 0.0, mp = 0.0, sxy = 0.0, sxx = 0.0, syy = 0.0;
  int i;

  for (i = 0; i < 12; i++) {
    mc += chroma[(i + tonic) % 12] / 12.0;
    mp += profile[i] / 12.0;
  }
  for (i = 0; i < 12; i++) {
    double x = chroma[(i + tonic) % 12] - mc, y = profile[i] - mp;

    sxy += x * y;
    sxx += x * x;
    syy += y * y;
  }
  if (!(sxx > 1e-20))
    return 0.0;
  return sxy / sqrt (sxx * syy);
}

void
semblance_key_estimate (const double chroma[12], SemblanceKey *key)
{
  double best_major = -2.0, best_minor = -2.0;
  int tonic, major_tonic = 0, minor_tonic = 0;

  init_profiles ();
  for (tonic = 0; tonic < 12; tonic++) {
    double c = correlate (chroma, major_profile, tonic);

    if (c > best_major) {
      best_major = c;
      major_tonic = tonic;
    }
    c = correlate (chroma, minor_profile, tonic);
    if (c > best_minor) {
      best_minor = c;
      minor_tonic = tonic;
    }
  }

  key->major = best_major >= best_minor;
  key->tonic = key->major ? major_tonic : minor_tonic;
  key->strength = key->major ? best_major : best_minor;
  key->mode = best_major - best_minor;
}

SemblanceKeyFinder *
semblance_key_finder_new (double rate)
{
  SemblanceKeyFinder *self;
  double cutoff, sum = 0.0;
  float taps[TAPS];
  /* Output j is the last TAPS inputs when input 2j + 1 comes, oldest
   * first. */
  const int start = -(TAPS - DECIMATION);
  size_t i;

  g_return_val_if_fail (rate >= 16000.0, NULL);
  self = g_new0 (SemblanceKeyFinder, 1);
  self->rate = rate;
  self->fft = semblance_fft_new (FRAME);
  for (i = 0; i < FRAME; i++)
    self->window[i] = (float) (0.5 * (1.0 - cos (2.0 * G_PI * i / FRAME)));
  /* A Hann-windowed sinc low-pass at 4 kHz (0.18 of a 22,050 Hz rate):
   * what folds back below MAX_HZ comes from above 9 kHz, where 16 taps
   * take it down by 40 dB. */
  cutoff = 4000.0 / rate;
  for (i = 0; i < TAPS; i++) {
    double m = i - (TAPS - 1) / 2.0;
    double w = 0.5 * (1.0 - cos (2.0 * G_PI * (i + 1) / (TAPS + 1)));

    taps[i] = (float) (w * sin (2.0 * G_PI * cutoff * m) / (G_PI * m));
    sum += taps[i];
  }
  for (i = 0; i < TAPS; i++)
    taps[i] = (float) (taps[i] / sum);
  self->halve = semblance_resampler_new (taps, &start, TAPS, 1, DECIMATION,
      PUSH_CHUNK);
  return self;
}

void
semblance_key_finder_free (SemblanceKeyFinder *self)
{
  if (!self)
    return;
  semblance_fft_free (self->fft);
  semblance_resampler_free (self->halve);
  g_free (self);
}

void
semblance_key_finder_discont (SemblanceKeyFinder *self)
{
  semblance_resampler_reset (self->halve);
  self->fill = 0;
}

void
semblance_key_finder_reset (SemblanceKeyFinder *self)
{
  semblance_key_finder_discont (self);
  memset (self->circle, 0, sizeof self->circle);
  self->frames = 0;
}

static void
analyse_frame (SemblanceKeyFinder *self)
{
  double bin_hz = self->rate / DECIMATION / FRAME, energy = 0.0, total = 0.0;
  float loudest = 0.0f;
  size_t k, first, last, i;
  double weights[CIRCLE];
  gboolean any = FALSE;

  for (i = 0; i < FRAME; i++) {
    energy += (double) self->frame[i] * self->frame[i];
    self->frame[i] *= self->window[i];
  }
  if (energy / FRAME < GATE_POWER)
    return;
  semblance_fft_forward (self->fft, self->frame, self->spectrum);

  first = (size_t) floor (MIN_HZ / bin_hz);
  last = (size_t) ceil (MAX_HZ / bin_hz);
  for (k = first - 1; k <= last + 1; k++) {
    self->power[k] = self->spectrum[k].r * self->spectrum[k].r +
        self->spectrum[k].i * self->spectrum[k].i;
    loudest = MAX (loudest, self->power[k]);
  }
  memset (weights, 0, sizeof weights);
  for (k = first; k <= last; k++) {
    float a = self->power[k - 1], b = self->power[k], c = self->power[k + 1];
    double la, lb, lc, delta, hz, pitch, pos, frac;
    long bin;

    if (!(b > a && b >= c && b > loudest * PEAK_RANGE))
      continue;
    /* The peak of a parabola through the log powers: the frequency to a
     * tenth of a bin, for which float logs are ample. */
    la = logf (a + 1e-30f);
    lb = logf (b);
    lc = logf (c + 1e-30f);
    delta = 0.5 * (la - lc) / (la - 2.0 * lb + lc);
    hz = (k + CLAMP (delta, -0.5, 0.5)) * bin_hz;
    if (hz < MIN_HZ || hz > MAX_HZ)
      continue;
    /* Semitones above C, on the circle; the peak's magnitude shared
     * between its two nearest bins. */
    pitch = 12.0 * log2 (hz / 440.0) + 9.0;
    pos = fmod (pitch * FINE, CIRCLE);
    if (pos < 0.0)
      pos += CIRCLE;
    bin = (long) floor (pos);
    frac = pos - bin;
    weights[bin % CIRCLE] += (1.0 - frac) * sqrt (b);
    weights[(bin + 1) % CIRCLE] += frac * sqrt (b);
    total += sqrt (b);
    any = TRUE;
  }
  if (!any)
    return;
  /* Every frame that sounds counts the same, loud or soft. */
  for (i = 0; i < CIRCLE; i++)
    self->circle[i] += weights[i] / total;
  self->frames++;
}

void
semblance_key_finder_push (SemblanceKeyFinder *self, const float *x, size_t n)
{
  while (n > 0) {
    size_t take = MIN (n, PUSH_CHUNK);
    size_t got = semblance_resampler_process (self->halve, x, take,
        self->halved), i = 0;

    while (i < got) {
      size_t copy = MIN (got - i, FRAME - self->fill);

      memcpy (self->frame + self->fill, self->halved + i,
          copy * sizeof (float));
      self->fill += copy;
      i += copy;
      if (self->fill == FRAME) {
        analyse_frame (self);
        self->fill = 0;
      }
    }
    x += take;
    n -= take;
  }
}

void
semblance_key_finder_result (const SemblanceKeyFinder *self,
                             SemblanceKey *key)
{
  double s = 0.0, c = 0.0, total = 0.0, spread = 0.0;
  int i, pc;

  memset (key, 0, sizeof *key);
  key->major = 1;
  key->keyless = TRUE;
  if (self->frames == 0)
    return;

  /* The tuning: the circular mean of the peaks' offsets within a
   * semitone. */
  for (i = 0; i < CIRCLE; i++) {
    double angle = 2.0 * G_PI * (i % FINE) / FINE;

    s += self->circle[i] * sin (angle);
    c += self->circle[i] * cos (angle);
  }
  key->tuning = atan2 (s, c) / (2.0 * G_PI);

  /* Each circle bin goes to the two pitch classes around it, by cos^2 of
   * its distance from them (they sum to 1): a flat circle folds into a
   * flat chroma. */
  for (i = 0; i < CIRCLE; i++) {
    double pos = (double) i / FINE - key->tuning, frac;
    long below;

    below = (long) floor (pos);
    frac = pos - below;
    pc = (int) (((below % 12) + 12) % 12);
    key->chroma[pc] += self->circle[i] * cos (G_PI / 2.0 * frac) *
        cos (G_PI / 2.0 * frac);
    key->chroma[(pc + 1) % 12] += self->circle[i] * sin (G_PI / 2.0 * frac) *
        sin (G_PI / 2.0 * frac);
  }
  for (pc = 0; pc < 12; pc++)
    total += key->chroma[pc];
  for (pc = 0; pc < 12; pc++) {
    key->chroma[pc] /= total;
    spread += (key->chroma[pc] - 1.0 / 12.0) * (key->chroma[pc] - 1.0 / 12.0);
  }
  spread = sqrt (spread / 12.0) * 12.0;

  semblance_key_estimate (key->chroma, key);
  key->keyless = spread < MIN_CHROMA_SPREAD
      && key->strength < MIN_FLAT_STRENGTH;
}
