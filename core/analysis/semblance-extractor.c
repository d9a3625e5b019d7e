/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-extractor-private.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "semblance-frame.h"
#include "semblance-key.h"
#include "semblance-loudness.h"
#include "semblance-tempo.h"

/* Louder than this is a float signal gone wrong; clamping keeps every
 * derived value finite. */
#define SAMPLE_LIMIT 8.0f
#define CLIP_LEVEL 0.999f
#define CLIP_SHARE 0.001
#define DC_LEVEL 0.01
#define SHORT_SECONDS 1.0
/* One-pole DC blocker, corner near 9 Hz at the analysis rate. */
#define DC_POLE 0.9975
#define CHUNK 1024

typedef struct
{
  double sum, sum2;
} Stat;

enum
{
  S_MFCC = 0,
  S_CENTROID = S_MFCC + SEMBLANCE_N_MFCC,
  S_BANDWIDTH,
  S_ROLLOFF,
  S_FLATNESS,
  S_FLUX,
  S_ZCR,
  S_RMS,
  S_ONSET,
  N_STATS
};

struct _SemblanceExtractor
{
  SemblanceFrameAnalyzer *frames;
  SemblanceLoudness *loudness;
  SemblanceTempo *tempo;
  SemblanceKeyFinder *keys;

  float frame[SEMBLANCE_FRAME_SIZE];
  size_t fill;
  double dc_x1, dc_y1;

  /* whole-track accumulators */
  guint64 samples, clipped;
  double raw_sum, energy, peak;
  gboolean nonfinite;
  guint64 n_frames, n_voiced;
  Stat stats[N_STATS];
  double mel_sum[SEMBLANCE_N_MEL];
  double contrast_sum[SEMBLANCE_N_CONTRAST];
  guint64 n_contrast;
  double entropy_sum;
};

SemblanceExtractor *
semblance_extractor_new_unmetered (void)
{
  SemblanceExtractor *self = g_new0 (SemblanceExtractor, 1);

  self->frames = semblance_frame_analyzer_new (SEMBLANCE_ANALYSIS_RATE,
      SEMBLANCE_FRAME_SIZE);
  self->tempo = semblance_tempo_new ((double) SEMBLANCE_ANALYSIS_RATE /
      SEMBLANCE_HOP_SIZE);
  self->keys = semblance_key_finder_new (SEMBLANCE_ANALYSIS_RATE);
  return self;
}

SemblanceExtractor *
semblance_extractor_new (void)
{
  SemblanceExtractor *self = semblance_extractor_new_unmetered ();

  /* Mono is all this extractor sees: it counts as one front channel. */
  self->loudness = semblance_loudness_new (SEMBLANCE_ANALYSIS_RATE, 1, NULL);
  return self;
}

void
semblance_extractor_free (SemblanceExtractor *self)
{
  if (!self)
    return;
  semblance_frame_analyzer_free (self->frames);
  semblance_loudness_free (self->loudness);
  semblance_tempo_free (self->tempo);
  semblance_key_finder_free (self->keys);
  g_free (self);
}

void
semblance_extractor_discont (SemblanceExtractor *self)
{
  self->fill = 0;
  self->dc_x1 = self->dc_y1 = 0.0;
  semblance_frame_analyzer_discont (self->frames);
  semblance_tempo_discont (self->tempo);
  semblance_key_finder_discont (self->keys);
}

void
semblance_extractor_reset (SemblanceExtractor *self)
{
  SemblanceFrameAnalyzer *frames = self->frames;
  SemblanceLoudness *loudness = self->loudness;
  SemblanceTempo *tempo = self->tempo;
  SemblanceKeyFinder *keys = self->keys;

  memset (self, 0, sizeof *self);
  self->frames = frames;
  self->loudness = loudness;
  self->tempo = tempo;
  self->keys = keys;
  semblance_frame_analyzer_discont (frames);
  if (loudness)
    semblance_loudness_reset (loudness);
  semblance_tempo_reset (tempo);
  semblance_key_finder_reset (keys);
}

void
semblance_extractor_flag_nonfinite (SemblanceExtractor *self)
{
  self->nonfinite = TRUE;
}

double
semblance_extractor_get_seconds (const SemblanceExtractor *self)
{
  return (double) self->samples / SEMBLANCE_ANALYSIS_RATE;
}

static void
stat_add (Stat *s, double x)
{
  s->sum += x;
  s->sum2 += x * x;
}

static void
analyse_frame (SemblanceExtractor *self)
{
  SemblanceFrame f;
  double entropy = 0.0;
  size_t i;

  semblance_frame_analyzer_process (self->frames, self->frame, &f);
  self->n_frames++;
  semblance_tempo_push (self->tempo, f.onset);
  stat_add (&self->stats[S_ONSET], f.onset);
  if (f.rms_db < SEMBLANCE_SILENCE_DB)
    return;

  self->n_voiced++;
  for (i = 0; i < SEMBLANCE_N_MFCC; i++)
    stat_add (&self->stats[S_MFCC + i], f.mfcc[i]);
  stat_add (&self->stats[S_CENTROID], f.centroid);
  stat_add (&self->stats[S_BANDWIDTH], f.bandwidth);
  stat_add (&self->stats[S_ROLLOFF], f.rolloff);
  stat_add (&self->stats[S_FLATNESS], f.flatness_db);
  stat_add (&self->stats[S_FLUX], f.flux);
  stat_add (&self->stats[S_ZCR], f.zcr);
  stat_add (&self->stats[S_RMS], f.rms_db);
  for (i = 0; i < SEMBLANCE_N_MEL; i++)
    self->mel_sum[i] += f.mel_db[i];
  if (f.has_contrast) {
    self->n_contrast++;
    for (i = 0; i < SEMBLANCE_N_CONTRAST; i++)
      self->contrast_sum[i] += f.contrast[i];
  }
  /* Float logs, as the chroma are floats: twelve a frame. */
  for (i = 0; i < 12; i++) {
    if (f.chroma[i] > 0.0f)
      entropy -= f.chroma[i] * logf (f.chroma[i]);
  }
  self->entropy_sum += entropy / log (12.0);
}

static void
push_chunk (SemblanceExtractor *self, float *x, size_t n)
{
  size_t i, take;

  for (i = 0; i < n; i++) {
    float v = x[i];
    double y;

    if (!isfinite (v)) {
      v = 0.0f;
      self->nonfinite = TRUE;
    }
    v = CLAMP (v, -SAMPLE_LIMIT, SAMPLE_LIMIT);
    self->raw_sum += v;
    if (fabsf (v) >= CLIP_LEVEL)
      self->clipped++;

    y = v - self->dc_x1 + DC_POLE * self->dc_y1;
    self->dc_x1 = v;
    self->dc_y1 = y;
    x[i] = (float) y;
    self->energy += y * y;
    self->peak = MAX (self->peak, fabs (y));
  }
  self->samples += n;
  if (self->loudness)
    semblance_loudness_process (self->loudness, x, n);
  semblance_key_finder_push (self->keys, x, n);

  while (n > 0) {
    take = MIN (n, SEMBLANCE_FRAME_SIZE - self->fill);
    memcpy (self->frame + self->fill, x, take * sizeof (float));
    self->fill += take;
    x += take;
    n -= take;
    if (self->fill == SEMBLANCE_FRAME_SIZE) {
      analyse_frame (self);
      memmove (self->frame, self->frame + SEMBLANCE_HOP_SIZE,
          (SEMBLANCE_FRAME_SIZE - SEMBLANCE_HOP_SIZE) * sizeof (float));
      self->fill = SEMBLANCE_FRAME_SIZE - SEMBLANCE_HOP_SIZE;
    }
  }
}

void
semblance_extractor_push (SemblanceExtractor *self, const float *samples,
                          size_t n)
{
  float chunk[CHUNK];

  while (n > 0) {
    size_t take = MIN (n, CHUNK);

    memcpy (chunk, samples, take * sizeof (float));
    push_chunk (self, chunk, take);
    samples += take;
    n -= take;
  }
}

static double
stat_mean (const Stat *s, double n)
{
  return s->sum / n;
}

static double
stat_sd (const Stat *s, double n)
{
  double mean = s->sum / n;

  return sqrt (MAX (0.0, s->sum2 / n - mean * mean));
}

static void
fill_silence (float *v)
{
  size_t i;

  for (i = 0; i < SEMBLANCE_N_MEL; i++)
    v[SEMBLANCE_F_MEL_MEAN + i] = SEMBLANCE_DB_FLOOR;
  v[SEMBLANCE_F_FLATNESS_MEAN] = 0.0f;
  v[SEMBLANCE_F_RMS_MEAN] = SEMBLANCE_DB_FLOOR;
}

static void
fill_voiced (const SemblanceExtractor *self, SemblanceProperties *props)
{
  float *v = props->vector;
  double n = (double) self->n_voiced;
  SemblanceKey key;
  int relative_major, fifths;
  size_t i;

  for (i = 0; i < SEMBLANCE_N_MFCC; i++) {
    v[SEMBLANCE_F_MFCC_MEAN + i] = stat_mean (&self->stats[S_MFCC + i], n);
    v[SEMBLANCE_F_MFCC_SD + i] = stat_sd (&self->stats[S_MFCC + i], n);
  }
  for (i = 0; i < SEMBLANCE_N_MEL; i++)
    v[SEMBLANCE_F_MEL_MEAN + i] = self->mel_sum[i] / n;

  for (i = 0; i < 6; i++) {
    v[SEMBLANCE_F_CENTROID_MEAN + 2 * i] =
        stat_mean (&self->stats[S_CENTROID + i], n);
    v[SEMBLANCE_F_CENTROID_MEAN + 2 * i + 1] =
        stat_sd (&self->stats[S_CENTROID + i], n);
  }
  for (i = 0; i < SEMBLANCE_N_CONTRAST && self->n_contrast > 0; i++)
    v[SEMBLANCE_F_CONTRAST_MEAN + i] = self->contrast_sum[i] / self->n_contrast;

  /* The key finder's tuned chroma, relative to the nearest key's tonic
   * even when there is no key: it still tells how the pitches spread. */
  semblance_key_finder_result (self->keys, &key);
  for (i = 0; i < 12; i++)
    v[SEMBLANCE_F_CHROMA + i] = key.chroma[(i + key.tonic) % 12];
  v[SEMBLANCE_F_KEY_STRENGTH] = key.strength;
  if (!key.keyless) {
    v[SEMBLANCE_F_MODE] = key.mode;
    /* Relative keys share their notes: place both at the major's position
     * on the circle of fifths. Music without a key sits at its centre. */
    relative_major = key.major ? key.tonic : (key.tonic + 3) % 12;
    fifths = (relative_major * 7) % 12;
    v[SEMBLANCE_F_KEY_SIN] = sin (2.0 * G_PI * fifths / 12.0);
    v[SEMBLANCE_F_KEY_COS] = cos (2.0 * G_PI * fifths / 12.0);
  } else {
    props->flags |= SEMBLANCE_FLAG_NO_KEY;
  }
  v[SEMBLANCE_F_CHROMA_ENTROPY] = self->entropy_sum / n;

  v[SEMBLANCE_F_RMS_MEAN] = stat_mean (&self->stats[S_RMS], n);
  v[SEMBLANCE_F_RMS_SD] = stat_sd (&self->stats[S_RMS], n);

  props->key = key.tonic;
  props->major = key.major;
  props->key_strength = key.strength;
  props->brightness = v[SEMBLANCE_F_CENTROID_MEAN];
}

void
semblance_properties_set_loudness (SemblanceProperties *props,
                                   const SemblanceLoudnessResult *loud)
{
  props->vector[SEMBLANCE_F_LOUDNESS] = loud->integrated;
  props->vector[SEMBLANCE_F_LOUDNESS_RANGE] = loud->range;
  props->vector[SEMBLANCE_F_LOUDNESS_VARIATION] = loud->variation;
  props->loudness = loud->integrated;
  props->loudness_range = loud->range;
}

void
semblance_extractor_get_properties (const SemblanceExtractor *self,
                                    SemblanceProperties *props)
{
  float *v = props->vector;
  SemblanceLoudnessResult loud;
  SemblanceTempoResult tempo;
  double total = MAX ((double) self->samples, 1.0);
  size_t i;

  memset (props, 0, sizeof *props);
  props->layout_version = SEMBLANCE_LAYOUT_VERSION;
  props->seconds = semblance_extractor_get_seconds (self);

  if (self->n_voiced > 0)
    fill_voiced (self, props);
  else
    fill_silence (v);

  semblance_tempo_result (self->tempo, &tempo);
  if (self->n_voiced == 0)
    memset (&tempo, 0, sizeof tempo);
  v[SEMBLANCE_F_TEMPO] = tempo.bpm;
  v[SEMBLANCE_F_PULSE_CLARITY] = tempo.clarity;
  v[SEMBLANCE_F_ONSET_RATE] = tempo.onset_rate;
  if (self->n_frames > 0) {
    v[SEMBLANCE_F_ONSET_MEAN] = stat_mean (&self->stats[S_ONSET],
        self->n_frames);
    v[SEMBLANCE_F_ONSET_SD] = stat_sd (&self->stats[S_ONSET], self->n_frames);
  }
  for (i = 0; i < SEMBLANCE_N_TEMPO_BANDS; i++)
    v[SEMBLANCE_F_PERIODICITY + i] = tempo.periodicity[i];
  props->tempo = tempo.bpm;
  props->tempo_confidence = tempo.confidence;
  props->pulse_clarity = tempo.clarity;

  if (self->loudness) {
    semblance_loudness_result (self->loudness, &loud);
  } else {
    memset (&loud, 0, sizeof loud);
    loud.integrated = SEMBLANCE_LOUDNESS_FLOOR;
  }
  semblance_properties_set_loudness (props, &loud);
  v[SEMBLANCE_F_SILENT_FRACTION] = self->n_frames > 0
      ? (double) (self->n_frames - self->n_voiced) / self->n_frames : 1.0;
  if (self->peak > 0.0 && self->energy > 0.0)
    v[SEMBLANCE_F_CREST] = 20.0 * log10 (self->peak) -
        10.0 * log10 (self->energy / total);

  if (self->n_voiced == 0)
    props->flags |= SEMBLANCE_FLAG_SILENT;
  else if (tempo.bpm == 0.0)
    props->flags |= SEMBLANCE_FLAG_NO_PULSE;
  if (props->seconds < SHORT_SECONDS)
    props->flags |= SEMBLANCE_FLAG_SHORT;
  if (self->samples > 0 && self->clipped >= CLIP_SHARE * self->samples)
    props->flags |= SEMBLANCE_FLAG_CLIPPED;
  if (self->nonfinite)
    props->flags |= SEMBLANCE_FLAG_NONFINITE;
  if (fabs (self->raw_sum / total) > DC_LEVEL)
    props->flags |= SEMBLANCE_FLAG_DC_OFFSET;
}
