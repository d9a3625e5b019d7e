/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Tempo, pulse clarity, onset rate and periodicity from an onset strength
 * envelope, one value per analysis frame. The envelope's autocorrelation is
 * accumulated over a bounded range of lags (up to about 14 s), so memory does
 * not grow with the length of the track.
 */
#pragma once

#include "semblance-layout.h"

typedef struct _SemblanceTempo SemblanceTempo;

typedef struct
{
  double bpm;           /* 0 when there is no periodic pulse */
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
