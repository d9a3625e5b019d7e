/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Programme loudness of a mono signal after ITU-R BS.1770-4 (K-weighting,
 * 400 ms gated blocks) and loudness range after EBU Tech 3342 (3 s short-term
 * windows, 10th to 95th percentile). Block loudness goes into fixed
 * histograms, so memory does not grow with the length of the signal.
 */
#pragma once

#include <stddef.h>

typedef struct _SemblanceLoudness SemblanceLoudness;

/* Loudness of silence, and the absolute gate of BS.1770. */
#define SEMBLANCE_LOUDNESS_FLOOR (-70.0)

typedef struct
{
  double integrated; /* LUFS; SEMBLANCE_LOUDNESS_FLOOR when nothing passes the gate */
  double range;      /* LU, 0 when shorter than one short-term window */
  double variation;  /* standard deviation of gated momentary loudness, LU */
} SemblanceLoudnessResult;

SemblanceLoudness *semblance_loudness_new (double rate);
void semblance_loudness_free (SemblanceLoudness *self);

/* Forgets everything: a new signal starts. */
void semblance_loudness_reset (SemblanceLoudness *self);

/* The signal jumps (a seek): filter state and the blocks under way are dropped,
 * the measurements so far are kept. */
void semblance_loudness_discont (SemblanceLoudness *self);

void semblance_loudness_process (SemblanceLoudness *self, const float *samples,
                                 size_t n);

void semblance_loudness_result (const SemblanceLoudness *self,
                                SemblanceLoudnessResult *result);
