/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The streaming property extractor: mono float samples at
 * SEMBLANCE_ANALYSIS_RATE in, one feature vector (see semblance-layout.h) and
 * the headline properties of the track out. Memory is fixed at creation;
 * results can be read at any time without disturbing the analysis.
 */
#pragma once

#include <stddef.h>

#include "semblance-export.h"
#include "semblance-properties.h"

#define SEMBLANCE_ANALYSIS_RATE 22050
#define SEMBLANCE_FRAME_SIZE 2048
#define SEMBLANCE_HOP_SIZE 512

/* A frame whose RMS is below this level (dBFS) counts as silent. */
#define SEMBLANCE_SILENCE_DB (-60.0)

G_BEGIN_DECLS

typedef struct _SemblanceExtractor SemblanceExtractor;

SEMBLANCE_EXPORT
SemblanceExtractor *semblance_extractor_new (void);
SEMBLANCE_EXPORT
void semblance_extractor_free (SemblanceExtractor *self);

/* Starts a new track: every statistic is cleared. */
SEMBLANCE_EXPORT
void semblance_extractor_reset (SemblanceExtractor *self);

/* The signal jumps (a seek or a gap): the partial frame and everything that
 * compares neighbouring frames are dropped, the statistics are kept. */
SEMBLANCE_EXPORT
void semblance_extractor_discont (SemblanceExtractor *self);

/* Analyses @n mono samples at SEMBLANCE_ANALYSIS_RATE. Any float value is
 * accepted: non-finite ones are replaced and flagged. */
SEMBLANCE_EXPORT
void semblance_extractor_push (SemblanceExtractor *self, const float *samples,
                               size_t n);

/* Marks the track as having non-finite input upstream of this extractor. */
SEMBLANCE_EXPORT
void semblance_extractor_flag_nonfinite (SemblanceExtractor *self);

/* Seconds analysed so far. */
SEMBLANCE_EXPORT
double semblance_extractor_get_seconds (const SemblanceExtractor *self);

/* Summarises what was pushed so far into @props. Every value is finite. */
SEMBLANCE_EXPORT
void semblance_extractor_get_properties (const SemblanceExtractor *self,
                                         SemblanceProperties *props);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceExtractor, semblance_extractor_free)

G_END_DECLS
