/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The streaming property extractor: mono float samples at
 * SEMBLANCE_ANALYSIS_RATE in, one feature vector (see semblance-layout.h) and
 * the headline properties of the track out. Memory is fixed at creation;
 * results can be read at any time without disturbing the analysis.
 */
#pragma once

#include <stddef.h>

#include "semblance-layout.h"

#define SEMBLANCE_ANALYSIS_RATE 22050
#define SEMBLANCE_FRAME_SIZE 2048
#define SEMBLANCE_HOP_SIZE 512

/* A frame whose RMS is below this level (dBFS) counts as silent. */
#define SEMBLANCE_SILENCE_DB (-60.0)

/**
 * SemblanceFlags:
 * @SEMBLANCE_FLAG_SILENT: no frame rose above SEMBLANCE_SILENCE_DB; the
 *   vector holds the values of silence (floors and zeros)
 * @SEMBLANCE_FLAG_SHORT: less than one second was analysed; rhythm and
 *   loudness range are not meaningful
 * @SEMBLANCE_FLAG_CLIPPED: at least 0.1% of the samples are at full scale
 * @SEMBLANCE_FLAG_NONFINITE: NaN or infinite samples were replaced by zeros
 * @SEMBLANCE_FLAG_DC_OFFSET: the input has a DC offset above 1% of full
 *   scale; it was removed before analysis
 */
typedef enum
{
  SEMBLANCE_FLAG_SILENT = 1 << 0,
  SEMBLANCE_FLAG_SHORT = 1 << 1,
  SEMBLANCE_FLAG_CLIPPED = 1 << 2,
  SEMBLANCE_FLAG_NONFINITE = 1 << 3,
  SEMBLANCE_FLAG_DC_OFFSET = 1 << 4,
} SemblanceFlags;

typedef struct
{
  unsigned layout_version;   /* SEMBLANCE_LAYOUT_VERSION */
  double seconds;            /* audio analysed */
  unsigned flags;            /* SemblanceFlags */
  double tempo;              /* BPM, 0 without a pulse */
  double pulse_clarity;      /* 0-1 */
  int key;                   /* tonic pitch class, 0 = C */
  int major;                 /* 1 major, 0 minor */
  double key_strength;       /* -1 to 1 */
  double loudness;           /* integrated, LUFS */
  double loudness_range;     /* LU */
  double brightness;         /* mean spectral centroid, Hz */
  float vector[SEMBLANCE_FEATURE_DIM];
} SemblanceProperties;

typedef struct _SemblanceExtractor SemblanceExtractor;

SemblanceExtractor *semblance_extractor_new (void);
void semblance_extractor_free (SemblanceExtractor *self);

/* Starts a new track: every statistic is cleared. */
void semblance_extractor_reset (SemblanceExtractor *self);

/* The signal jumps (a seek or a gap): the partial frame and everything that
 * compares neighbouring frames are dropped, the statistics are kept. */
void semblance_extractor_discont (SemblanceExtractor *self);

/* Analyses @n mono samples at SEMBLANCE_ANALYSIS_RATE. Any float value is
 * accepted: non-finite ones are replaced and flagged. */
void semblance_extractor_push (SemblanceExtractor *self, const float *samples,
                               size_t n);

/* Marks the track as having non-finite input upstream of this extractor. */
void semblance_extractor_flag_nonfinite (SemblanceExtractor *self);

/* Seconds analysed so far. */
double semblance_extractor_get_seconds (const SemblanceExtractor *self);

/* Summarises what was pushed so far into @props. Every value is finite. */
void semblance_extractor_get_properties (const SemblanceExtractor *self,
                                         SemblanceProperties *props);

/* A short text for @flags, such as "silent,short", or "" for none. The
 * buffer must hold at least 64 bytes. */
const char *semblance_flags_to_string (unsigned flags, char *buf, size_t size);
