/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Tempo, pulse clarity, onset rate and periodicity from an onset strength
 * envelope, one value per analysis frame. The envelope's autocorrelation is
 * accumulated over a bounded range of lags (up to about 14 s), so memory does
 * not grow with the length of the track.
 *
 * The beat is a peak of a comb over the autocorrelation (its first four
 * multiples), weighed by a prior around 120 BPM; of two groupings of the
 * same pulses at 3:2 (in twos and in threes) that are nearly as strong,
 * the one nearer 120 BPM; the faster metrical level
 * is taken when there is a pulse half-way between beats, the slower one
 * when the beats would have fewer onsets than 0.6 each. A peak at the
 * range's ends is no estimate, and without a clear pulse (noise, free
 * time, a steady sound: the autocorrelation at the beat is within what
 * noise reaches) the tempo is 0. The confidence tells how far the beat
 * stands out from the best candidate at no metrical level of it.
 */
#pragma once

#include "semblance-layout.h"

typedef struct _SemblanceTempo SemblanceTempo;

/* The range searched for the beat. */
#define SEMBLANCE_TEMPO_MIN_BPM 40.0
#define SEMBLANCE_TEMPO_MAX_BPM 240.0

typedef struct
{
  double bpm;           /* 0 when there is no clear periodic pulse */
  double confidence;    /* 0-1: the beat's lead over its best rival that is
                         * no metrical level of it; 0 without a pulse */
  double clarity;       /* normalised autocorrelation at the beat period, 0-1 */
  double onset_rate;    /* onsets per second */
  double periodicity[SEMBLANCE_N_TEMPO_BANDS]; /* strongest pulse per tempo band, 0-1 */
} SemblanceTempoResult;

/* Edges of the periodicity bands in BPM: band i spans edges[i] to edges[i+1]. */
extern const double semblance_tempo_band_edges[SEMBLANCE_N_TEMPO_BANDS + 1];

SemblanceTempo *semblance_tempo_new (double frame_rate);
void semblance_tempo_free (SemblanceTempo *self);
void semblance_tempo_reset (SemblanceTempo *self);

/* The envelope jumps (a seek): no lag product spans the cut. */
void semblance_tempo_discont (SemblanceTempo *self);

void semblance_tempo_push (SemblanceTempo *self, float onset_strength);

void semblance_tempo_result (const SemblanceTempo *self,
                             SemblanceTempoResult *result);
