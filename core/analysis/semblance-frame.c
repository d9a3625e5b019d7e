/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-frame.h"

#include <glib.h>
#include <gst/fft/gstfftf32.h>
#include <math.h>
#include <string.h>

#define MEL_MIN_HZ 20.0
#define ROLLOFF_SHARE 0.85
#define CONTRAST_SHARE 0.2
#define CONTRAST_STRIDE 4
#define CHROMA_MIN_HZ 100.0
#define CHROMA_MAX_HZ 5000.0
#define POWER_EPS 1e-10f
/* Onsets are measured over this range below the frame's loudest band:
 * further down, the window's side lobes move with the phase of steady
 * tones and would look like onsets. */
#define ONSET_RANGE_DB 60.0f

static const double contrast_edges[SEMBLANCE_N_CONTRAST + 1] = {
  0, 200, 400, 800, 1600, 3200, 6400, 1e9,
};

typedef struct
{
  size_t first;                 /* first FFT bin */
  size_t count;
  float *weights;
} MelFilter;

struct _SemblanceFrameAnalyzer
{
  double rate;
  size_t size, n_bins;
  GstFFTF32 *fft;
  float *window;
  float *windowed;
  GstFFTF32Complex *spectrum;
  float *power, *magnitude, *prev_norm_magnitude, *scratch;
  MelFilter mel[SEMBLANCE_N_MEL];
  float dct[SEMBLANCE_N_MFCC][SEMBLANCE_N_MEL];
  size_t contrast_first[SEMBLANCE_N_CONTRAST + 1];
  signed char *bin_pitch_class; /* -1 outside the chroma range */
  float prev_onset_db[SEMBLANCE_N_MEL];
  gboolean have_prev;
  guint64 n_frames;
  double power_scale;
};

static double
hz_to_mel (double hz)
{
  return 2595.0 * log10 (1.0 + hz / 700.0);
}

static double
mel_to_hz (double mel)
{
  return 700.0 * (pow (10.0, mel / 2595.0) - 1.0);
}

static void
init_mel (SemblanceFrameAnalyzer *self)
{
  double lo = hz_to_mel (MEL_MIN_HZ), hi = hz_to_mel (self->rate / 2.0);
  double bin_hz = self->rate / self->size;
  size_t b, k;

  for (b = 0; b < SEMBLANCE_N_MEL; b++) {
    double left = mel_to_hz (lo + (hi - lo) * b / (SEMBLANCE_N_MEL + 1));
    double centre = mel_to_hz (lo + (hi - lo) * (b + 1) / (SEMBLANCE_N_MEL + 1));
    double right = mel_to_hz (lo + (hi - lo) * (b + 2) / (SEMBLANCE_N_MEL + 1));
    size_t first = (size_t) ceil (left / bin_hz);
    size_t last = MIN ((size_t) floor (right / bin_hz), self->n_bins - 1);
    MelFilter *f = &self->mel[b];

    /* Narrow low bands may fall between two bins: they take the nearest. */
    if (last < first) {
      first = last = (size_t) lround (centre / bin_hz);
    }
    f->first = first;
    f->count = last - first + 1;
    f->weights = g_new0 (float, f->count);
    for (k = first; k <= last; k++) {
      double hz = k * bin_hz;
      double w = hz <= centre ? (hz - left) / (centre - left)
          : (right - hz) / (right - centre);

      f->weights[k - first] = f->count == 1 ? 1.0f : (float) MAX (w, 0.0);
    }
  }

  for (k = 0; k < SEMBLANCE_N_MFCC; k++)
    for (b = 0; b < SEMBLANCE_N_MEL; b++)
      self->dct[k][b] = (float) (sqrt ((k ? 2.0 : 1.0) / SEMBLANCE_N_MEL)
          * cos (G_PI * k * (b + 0.5) / SEMBLANCE_N_MEL));
}

static void
init_bins (SemblanceFrameAnalyzer *self)
{
  double bin_hz = self->rate / self->size;
  size_t k, band;

  for (band = 0; band <= SEMBLANCE_N_CONTRAST; band++)
    self->contrast_first[band] = MIN ((size_t) ceil (contrast_edges[band] /
            bin_hz), self->n_bins);

  self->bin_pitch_class = g_new (signed char, self->n_bins);
  for (k = 0; k < self->n_bins; k++) {
    double hz = k * bin_hz;

    self->bin_pitch_class[k] = -1;
    if (hz >= CHROMA_MIN_HZ && hz <= CHROMA_MAX_HZ) {
      long midi = lround (69.0 + 12.0 * log2 (hz / 440.0));

      self->bin_pitch_class[k] = (signed char) (midi % 12);
    }
  }
}

SemblanceFrameAnalyzer *
semblance_frame_analyzer_new (double rate, size_t size)
{
  SemblanceFrameAnalyzer *self = g_new0 (SemblanceFrameAnalyzer, 1);
  double window_sum = 0.0;
  size_t i;

  self->rate = rate;
  self->size = size;
  self->n_bins = size / 2 + 1;
  self->fft = gst_fft_f32_new ((gint) size, FALSE);
  self->windowed = g_new (float, size);
  self->window = g_new (float, size);
  self->spectrum = g_new (GstFFTF32Complex, self->n_bins);
  self->power = g_new (float, self->n_bins);
  self->magnitude = g_new (float, self->n_bins);
  self->prev_norm_magnitude = g_new0 (float, self->n_bins);
  self->scratch = g_new (float, self->n_bins);

  /* Scale power so that a sine of amplitude A peaks near A^2/4 in its bin,
   * whatever the frame length. */
  /* The Hann window of GstFFT, computed once: gst_fft_f32_window() would
   * call cos() for every sample of every frame. */
  for (i = 0; i < size; i++) {
    self->window[i] = (float) (0.5 * (1.0 - cos (2.0 * G_PI * i / size)));
    window_sum += self->window[i];
  }
  self->power_scale = 1.0 / (window_sum * window_sum);

  init_mel (self);
  init_bins (self);
  return self;
}

void
semblance_frame_analyzer_free (SemblanceFrameAnalyzer *self)
{
  size_t b;

  if (!self)
    return;
  for (b = 0; b < SEMBLANCE_N_MEL; b++)
    g_free (self->mel[b].weights);
  gst_fft_f32_free (self->fft);
  g_free (self->windowed);
  g_free (self->window);
  g_free (self->spectrum);
  g_free (self->power);
  g_free (self->magnitude);
  g_free (self->prev_norm_magnitude);
  g_free (self->scratch);
  g_free (self->bin_pitch_class);
  g_free (self);
}

void
semblance_frame_analyzer_discont (SemblanceFrameAnalyzer *self)
{
  self->have_prev = FALSE;
  self->n_frames = 0;
}

/* Reorders @v[0..n) so that v[k] is its k-th smallest value, with nothing
 * larger before it and nothing smaller after it (Hoare's selection). */
static void
select_kth (float *v, ptrdiff_t n, ptrdiff_t k)
{
  ptrdiff_t lo = 0, hi = n - 1;

  while (lo < hi) {
    float pivot = v[lo + (hi - lo) / 2];
    ptrdiff_t i = lo, j = hi;

    while (i <= j) {
      while (v[i] < pivot)
        i++;
      while (v[j] > pivot)
        j--;
      if (i <= j) {
        float t = v[i];

        v[i++] = v[j];
        v[j--] = t;
      }
    }
    if (k <= j)
      hi = j;
    else if (k >= i)
      lo = i;
    else
      return;
  }
}

static float
band_contrast (SemblanceFrameAnalyzer *self, size_t first, size_t end)
{
  ptrdiff_t n = (ptrdiff_t) (end - first), k, i;
  double peak = 0.0, valley = 0.0;

  if (n < 2)
    return 0.0f;
  k = CLAMP ((ptrdiff_t) (CONTRAST_SHARE * n), 1, n / 2);
  memcpy (self->scratch, self->power + first, n * sizeof (float));
  select_kth (self->scratch, n, k - 1);
  for (i = 0; i < k; i++)
    valley += self->scratch[i];
  select_kth (self->scratch + k, n - k, n - 2 * k);
  for (i = n - k; i < n; i++)
    peak += self->scratch[i];
  return (float) (10.0 * log10 ((peak / k + POWER_EPS) /
          (valley / k + POWER_EPS)));
}

static void
time_domain (const float *x, size_t n, SemblanceFrame *frame)
{
  double energy = 0.0;
  size_t i, crossings = 0;

  for (i = 0; i < n; i++) {
    energy += (double) x[i] * x[i];
    if (i > 0 && (x[i] >= 0.0f) != (x[i - 1] >= 0.0f))
      crossings++;
  }
  frame->rms_db = (float) MAX (10.0 * log10 (energy / n + 1e-30),
      SEMBLANCE_DB_FLOOR);
  frame->zcr = (float) crossings / (n - 1);
}

void
semblance_frame_analyzer_process (SemblanceFrameAnalyzer *self,
                                  const float *samples, SemblanceFrame *frame)
{
  double bin_hz = self->rate / self->size;
  double mag_sum = 0.0, weighted = 0.0, spread = 0.0, cumulative;
  double log_sum = 0.0, power_sum = 0.0, norm = 0.0, flux = 0.0, onset = 0.0;
  double chroma_sum = 0.0;
  float loudest = SEMBLANCE_DB_FLOOR;
  size_t k, b, i;

  time_domain (samples, self->size, frame);

  for (i = 0; i < self->size; i++)
    self->windowed[i] = samples[i] * self->window[i];
  gst_fft_f32_fft (self->fft, self->windowed, self->spectrum);

  for (k = 0; k < self->n_bins; k++) {
    float re = self->spectrum[k].r, im = self->spectrum[k].i;
    float p = (float) ((re * re + im * im) * self->power_scale);

    self->power[k] = p;
    self->magnitude[k] = sqrtf (p);
    mag_sum += self->magnitude[k];
    weighted += self->magnitude[k] * k * bin_hz;
    power_sum += p;
    log_sum += logf (p + POWER_EPS);
    norm += p;
  }

  frame->centroid = mag_sum > 0.0 ? (float) (weighted / mag_sum) : 0.0f;
  frame->bandwidth = 0.0f;
  frame->rolloff = 0.0f;
  if (mag_sum > 0.0) {
    for (k = 0; k < self->n_bins; k++) {
      double d = k * bin_hz - frame->centroid;

      spread += self->magnitude[k] * d * d;
    }
    frame->bandwidth = (float) sqrt (spread / mag_sum);
    cumulative = 0.0;
    for (k = 0; k < self->n_bins; k++) {
      cumulative += self->magnitude[k];
      if (cumulative >= ROLLOFF_SHARE * mag_sum)
        break;
    }
    frame->rolloff = (float) (MIN (k, self->n_bins - 1) * bin_hz);
  }
  frame->flatness_db = (float) (10.0 * (log_sum / self->n_bins
          - log (power_sum / self->n_bins + POWER_EPS)) / G_LN10);

  /* Flux of the spectrum's shape, not its level: both frames are scaled to
   * unit length first. */
  norm = sqrt (norm);
  for (k = 0; k < self->n_bins; k++) {
    float m = norm > 0.0 ? (float) (self->magnitude[k] / norm) : 0.0f;
    float d = m - self->prev_norm_magnitude[k];

    flux += d * d;
    self->prev_norm_magnitude[k] = m;
  }

  for (b = 0; b < SEMBLANCE_N_MEL; b++) {
    const MelFilter *f = &self->mel[b];
    double e = 0.0;

    for (i = 0; i < f->count; i++)
      e += f->weights[i] * self->power[f->first + i];
    frame->mel_db[b] = (float) MAX (10.0 * log10 (e + POWER_EPS),
        SEMBLANCE_DB_FLOOR);
    loudest = MAX (loudest, frame->mel_db[b]);
  }
  for (b = 0; b < SEMBLANCE_N_MEL; b++) {
    float level = MAX (frame->mel_db[b], loudest - ONSET_RANGE_DB);

    if (self->have_prev)
      onset += MAX (0.0f, level - self->prev_onset_db[b]);
    self->prev_onset_db[b] = level;
  }
  frame->flux = self->have_prev ? (float) sqrt (flux) : 0.0f;
  frame->onset = (float) (onset / SEMBLANCE_N_MEL);
  self->have_prev = TRUE;

  for (k = 0; k < SEMBLANCE_N_MFCC; k++) {
    double c = 0.0;

    for (b = 0; b < SEMBLANCE_N_MEL; b++)
      c += self->dct[k][b] * frame->mel_db[b];
    frame->mfcc[k] = (float) c;
  }

  /* Contrast sorts each band: measured on every CONTRAST_STRIDE-th frame
   * only, it still has ten frames a second for its mean. */
  frame->has_contrast = self->n_frames % CONTRAST_STRIDE == 0;
  for (b = 0; b < SEMBLANCE_N_CONTRAST && frame->has_contrast; b++)
    frame->contrast[b] = band_contrast (self, self->contrast_first[b],
        self->contrast_first[b + 1]);
  self->n_frames++;

  memset (frame->chroma, 0, sizeof frame->chroma);
  for (k = 0; k < self->n_bins; k++) {
    if (self->bin_pitch_class[k] < 0)
      continue;
    frame->chroma[self->bin_pitch_class[k]] += self->power[k];
    chroma_sum += self->power[k];
  }
  for (i = 0; i < 12; i++)
    frame->chroma[i] = chroma_sum > 0.0 ? (float) (frame->chroma[i] /
        chroma_sum) : 0.0f;
}
