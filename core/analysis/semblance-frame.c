/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-frame.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "semblance-extremes.h"
#include "semblance-fft.h"

#define MEL_MIN_HZ 20.0
#define ROLLOFF_SHARE 0.85
#define CONTRAST_SHARE 0.2
#define CONTRAST_STRIDE 4
#define CHROMA_MIN_HZ 100.0
#define CHROMA_MAX_HZ 5000.0
#define POWER_EPS 1e-10f
/* Semitones from CHROMA_MIN_HZ to CHROMA_MAX_HZ, with room to spare. */
#define CHROMA_NOTES 72
/* Independent sums and products, so that each need not wait for the last. */
#define LANES 4
/* Lanes of the float sums, which the compiler turns into vector code. */
#define SUM_LANES 8
/* Powers per product in the geometric mean: 16 powers of at least
 * POWER_EPS multiply to no less than 1e-160, well inside a double. */
#define PRODUCT_BINS 16
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
  SemblanceFft *fft;
  float *window;
  float *windowed;
  SemblanceComplex *spectrum;
  float *power, *magnitude, *prev_norm_magnitude;
  uint32_t *keys;               /* room for semblance_extreme_sums() */
  float *bin_hz, *bin_hz2;      /* each bin's frequency and its square */
  MelFilter mel[SEMBLANCE_N_MEL];
  float dct[SEMBLANCE_N_MFCC][SEMBLANCE_N_MEL];
  size_t contrast_first[SEMBLANCE_N_CONTRAST + 1];
  /* The chroma range as runs of bins of one semitone each. */
  size_t n_notes;
  size_t note_first[CHROMA_NOTES + 1];
  signed char note_class[CHROMA_NOTES];
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
  long note = -1;

  for (band = 0; band <= SEMBLANCE_N_CONTRAST; band++)
    self->contrast_first[band] = MIN ((size_t) ceil (contrast_edges[band] /
            bin_hz), self->n_bins);

  /* A bin belongs to its nearest semitone: the notes of the range are
   * runs of consecutive bins. */
  self->n_notes = 0;
  for (k = 0; k < self->n_bins; k++) {
    double hz = k * bin_hz;
    long midi;

    if (hz < CHROMA_MIN_HZ || hz > CHROMA_MAX_HZ)
      continue;
    midi = lround (69.0 + 12.0 * log2 (hz / 440.0));
    if (midi != note) {
      g_assert (self->n_notes < CHROMA_NOTES);
      self->note_first[self->n_notes] = k;
      self->note_class[self->n_notes++] = (signed char) (midi % 12);
      note = midi;
    }
    self->note_first[self->n_notes] = k + 1;
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
  self->fft = semblance_fft_new (size);
  self->windowed = g_new (float, size);
  self->window = g_new (float, size);
  self->spectrum = g_new (SemblanceComplex, self->n_bins);
  self->power = g_new (float, self->n_bins);
  self->magnitude = g_new (float, self->n_bins);
  self->prev_norm_magnitude = g_new0 (float, self->n_bins);
  self->bin_hz = g_new (float, self->n_bins);
  self->bin_hz2 = g_new (float, self->n_bins);
  for (i = 0; i < self->n_bins; i++) {
    self->bin_hz[i] = (float) (i * rate / size);
    self->bin_hz2[i] = self->bin_hz[i] * self->bin_hz[i];
  }
  self->keys = g_new (uint32_t, 2 * self->n_bins);

  /* Scale power so that a sine of amplitude A peaks near A^2/4 in its bin,
   * whatever the frame length. */
  /* The periodic Hann window, GStreamer's gst_fft_f32_window() (the
   * features were first computed with it), computed once. */
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
  semblance_fft_free (self->fft);
  g_free (self->windowed);
  g_free (self->window);
  g_free (self->spectrum);
  g_free (self->power);
  g_free (self->magnitude);
  g_free (self->prev_norm_magnitude);
  g_free (self->bin_hz);
  g_free (self->bin_hz2);
  g_free (self->keys);
  g_free (self);
}

void
semblance_frame_analyzer_discont (SemblanceFrameAnalyzer *self)
{
  self->have_prev = FALSE;
  self->n_frames = 0;
}

static float
band_contrast (SemblanceFrameAnalyzer *self, size_t first, size_t end)
{
  size_t n = end - first, k;
  double peak, valley;

  if (n < 2)
    return 0.0f;
  k = CLAMP ((size_t) (CONTRAST_SHARE * n), 1, n / 2);
  semblance_extreme_sums (self->power + first, n, k, self->keys, &valley,
      &peak);
  return (float) (10.0 * log10 ((peak / k + POWER_EPS) /
          (valley / k + POWER_EPS)));
}

/* The samples' level and zero crossings, and the windowed frame, in loops
 * the compiler turns into vector code: float sums in SUM_LANES lanes
 * (2,048 squares lose less than 1e-5 dB that way). */
static void
time_domain (SemblanceFrameAnalyzer *self, const float *x,
             SemblanceFrame *frame)
{
  size_t n = self->size, i, j;
  float energy[SUM_LANES] = { 0.0f };
  double total = 0.0;
  unsigned crossings = 0;

  for (i = 0; i < n; i += SUM_LANES)
    for (j = 0; j < SUM_LANES; j++)
      energy[j] += x[i + j] * x[i + j];
  for (i = 0; i < n; i++)
    self->windowed[i] = x[i] * self->window[i];
  for (i = 1; i < n; i++)
    crossings += (x[i] >= 0.0f) != (x[i - 1] >= 0.0f);
  for (j = 0; j < SUM_LANES; j++)
    total += energy[j];
  frame->rms_db = (float) MAX (10.0 * log10 (total / n + 1e-30),
      SEMBLANCE_DB_FLOOR);
  frame->zcr = (float) crossings / (n - 1);
}

typedef struct
{
  double mag, mag_hz, mag_hz2, power, log_power;
} BinSums;

/* Power and magnitude per bin, and the sums that centroid, bandwidth and
 * flatness are made of. The geometric mean takes a log per PRODUCT_BINS
 * bins, of their product; the other sums are float, in SUM_LANES lanes
 * (1,025 bins lose less than 1e-5 of their sum that way). */
static void
spectrum_sums (SemblanceFrameAnalyzer *self, BinSums *sums)
{
  const float scale = (float) self->power_scale;
  float mag[SUM_LANES] = { 0.0f }, mag_hz[SUM_LANES] = { 0.0f };
  float mag_hz2[SUM_LANES] = { 0.0f }, power[SUM_LANES] = { 0.0f };
  const float *m = self->magnitude, *p = self->power;
  double log_power = 0.0;
  size_t n = self->n_bins, k, j;

  for (k = 0; k < n; k++) {
    float re = self->spectrum[k].r, im = self->spectrum[k].i;
    float pk = (re * re + im * im) * scale;

    self->power[k] = pk;
    self->magnitude[k] = sqrtf (pk);
  }
  /* Bin i into lane i mod LANES, in the order of the bins: whole blocks
   * in vector code, the last one bin by bin. */
  for (k = 0; k < n; k += LANES * PRODUCT_BINS) {
    double product[LANES] = { 1.0, 1.0, 1.0, 1.0 };
    size_t i;

    if (k + LANES * PRODUCT_BINS <= n) {
      for (i = 0; i < PRODUCT_BINS; i++)
        for (j = 0; j < LANES; j++)
          product[j] *= p[k + i * LANES + j] + POWER_EPS;
    } else {
      for (i = k; i < n; i++)
        product[i % LANES] *= p[i] + POWER_EPS;
    }
    for (j = 0; j < LANES; j++)
      log_power += log (product[j]);
  }
  for (k = 0; k + SUM_LANES <= n; k += SUM_LANES)
    for (j = 0; j < SUM_LANES; j++) {
      mag[j] += m[k + j];
      mag_hz[j] += m[k + j] * self->bin_hz[k + j];
      mag_hz2[j] += m[k + j] * self->bin_hz2[k + j];
      power[j] += p[k + j];
    }
  for (j = 0; k < n; k++, j++) {
    mag[j] += m[k];
    mag_hz[j] += m[k] * self->bin_hz[k];
    mag_hz2[j] += m[k] * self->bin_hz2[k];
    power[j] += p[k];
  }
  memset (sums, 0, sizeof *sums);
  for (j = 0; j < SUM_LANES; j++) {
    sums->mag += mag[j];
    sums->mag_hz += mag_hz[j];
    sums->mag_hz2 += mag_hz2[j];
    sums->power += power[j];
  }
  sums->log_power = log_power;
}

/* The lanes are added up below as eight. */
G_STATIC_ASSERT (SUM_LANES == 8);

/* The sum of @w times @p over @n values, in SUM_LANES float lanes, which
 * the compiler turns into vector code: in one chain, each addition waited
 * on the last. For the mel bands (up to 90 bins) and the cepstrum. */
static float
weighted_sum (const float *restrict w, const float *restrict p, size_t n)
{
  float acc[SUM_LANES] = { 0.0f };
  size_t i, j;

  for (i = 0; i + SUM_LANES <= n; i += SUM_LANES)
    for (j = 0; j < SUM_LANES; j++)
      acc[j] += w[i + j] * p[i + j];
  for (j = 0; i < n; i++, j++)
    acc[j] += w[i] * p[i];
  return ((acc[0] + acc[4]) + (acc[1] + acc[5]))
      + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
}

/* The change of the spectrum's shape, not its level: the distance of the
 * magnitudes scaled to unit length from the last frame's. Keeps this
 * frame's for the next. */
static double
shape_flux (SemblanceFrameAnalyzer *self, double norm)
{
  const float scale = norm > 0.0 ? (float) (1.0 / norm) : 0.0f;
  float *prev = self->prev_norm_magnitude, acc[SUM_LANES] = { 0.0f };
  const float *m = self->magnitude;
  size_t n = self->n_bins, k, j;
  double flux = 0.0;

  for (k = 0; k + SUM_LANES <= n; k += SUM_LANES)
    for (j = 0; j < SUM_LANES; j++) {
      float x = m[k + j] * scale, d = x - prev[k + j];

      acc[j] += d * d;
      prev[k + j] = x;
    }
  for (j = 0; k < n; k++, j++) {
    float x = m[k] * scale, d = x - prev[k];

    acc[j] += d * d;
    prev[k] = x;
  }
  for (j = 0; j < SUM_LANES; j++)
    flux += acc[j];
  return flux;
}

/* The lowest bin at which the magnitude summed from 0 Hz reaches
 * ROLLOFF_SHARE of its total. */
static size_t
rolloff_bin (const SemblanceFrameAnalyzer *self, double mag_sum)
{
  double cumulative = 0.0, target = ROLLOFF_SHARE * mag_sum;
  size_t k;

  for (k = 0; k < self->n_bins; k++) {
    cumulative += self->magnitude[k];
    if (cumulative >= target)
      break;
  }
  return MIN (k, self->n_bins - 1);
}

void
semblance_frame_analyzer_process (SemblanceFrameAnalyzer *self,
                                  const float *samples, SemblanceFrame *frame)
{
  double bin_hz = self->rate / self->size;
  double flux, onset = 0.0, chroma_sum = 0.0;
  float loudest = SEMBLANCE_DB_FLOOR;
  BinSums sums;
  size_t k, b, i;

  time_domain (self, samples, frame);
  semblance_fft_forward (self->fft, self->windowed, self->spectrum);
  spectrum_sums (self, &sums);

  frame->centroid = 0.0f;
  frame->bandwidth = 0.0f;
  frame->rolloff = 0.0f;
  if (sums.mag > 0.0) {
    double centroid = sums.mag_hz / sums.mag;

    frame->centroid = (float) centroid;
    /* sum m (f - c)^2 = sum m f^2 - c sum m f, as c sum m = sum m f. */
    frame->bandwidth = (float) sqrt (MAX (0.0,
            (sums.mag_hz2 - centroid * sums.mag_hz) / sums.mag));
    frame->rolloff = (float) (rolloff_bin (self, sums.mag) * bin_hz);
  }
  frame->flatness_db = (float) (10.0 * (sums.log_power / self->n_bins
          - log (sums.power / self->n_bins + POWER_EPS)) / G_LN10);

  flux = shape_flux (self, sqrt (sums.power));

  for (b = 0; b < SEMBLANCE_N_MEL; b++) {
    const MelFilter *f = &self->mel[b];
    float e = weighted_sum (f->weights, self->power + f->first, f->count);

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

  for (k = 0; k < SEMBLANCE_N_MFCC; k++)
    frame->mfcc[k] = weighted_sum (self->dct[k], frame->mel_db,
        SEMBLANCE_N_MEL);

  /* Contrast sorts each band: measured on every CONTRAST_STRIDE-th frame
   * only, it still has ten frames a second for its mean. */
  frame->has_contrast = self->n_frames % CONTRAST_STRIDE == 0;
  for (b = 0; b < SEMBLANCE_N_CONTRAST && frame->has_contrast; b++)
    frame->contrast[b] = band_contrast (self, self->contrast_first[b],
        self->contrast_first[b + 1]);
  self->n_frames++;

  memset (frame->chroma, 0, sizeof frame->chroma);
  for (i = 0; i < self->n_notes; i++) {
    float e = 0.0f;

    for (k = self->note_first[i]; k < self->note_first[i + 1]; k++)
      e += self->power[k];
    frame->chroma[self->note_class[i]] += e;
    chroma_sum += e;
  }
  for (i = 0; i < 12; i++)
    frame->chroma[i] = chroma_sum > 0.0 ? (float) (frame->chroma[i] /
        chroma_sum) : 0.0f;
}
