/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Programme loudness after ITU-R BS.1770-4 and EBU R128, on interleaved
 * float frames of any channel count: libebur128 K-weights every channel
 * and weights it by its position before the channels are summed, as the
 * standard asks (a mono downmix reads a stereo track 3 to 5 LU low), and
 * gives the energy of every 100 ms; the gated measures are built here from
 * those: integrated loudness, loudness range (EBU Tech 3342) and the spread
 * of momentary loudness. Block loudness goes into histograms of 0.05 LU
 * bins, so memory is fixed at creation whatever the length of the signal.
 */
#pragma once

#include <stddef.h>

typedef struct _SemblanceLoudness SemblanceLoudness;

/* Loudness of silence, and the absolute gate of BS.1770. */
#define SEMBLANCE_LOUDNESS_FLOOR (-70.0)

/* How a channel counts, after BS.1770-4 table 3. */
typedef enum
{
  SEMBLANCE_CHANNEL_UNUSED,   /* left out: low-frequency effects */
  SEMBLANCE_CHANNEL_FRONT,    /* weight 1: left, right, centre, mono */
  SEMBLANCE_CHANNEL_SURROUND, /* weight 1.41 (+1.5 dB): side and rear */
} SemblanceChannelWeight;

typedef struct
{
  double integrated; /* LUFS; SEMBLANCE_LOUDNESS_FLOOR when nothing passes the gate */
  double range;      /* LU, 0 when shorter than one short-term window */
  double variation;  /* standard deviation of gated momentary loudness, LU */
} SemblanceLoudnessResult;

/* @rate: 16 Hz to 2.8 MHz; @channels: 1 to 64; @weights: one per channel,
 * or NULL for all SEMBLANCE_CHANNEL_FRONT. */
SemblanceLoudness *semblance_loudness_new (unsigned rate, unsigned channels,
                                           const SemblanceChannelWeight *weights);
void semblance_loudness_free (SemblanceLoudness *self);

/* Forgets everything: a new signal starts. */
void semblance_loudness_reset (SemblanceLoudness *self);

/* Measures @n_frames interleaved frames (full scale is 1.0). A signal that
 * jumps (a seek) needs no call of its own: the cut falls into four of the
 * 400 ms blocks and moves a track's loudness by hundredths of a LU. */
void semblance_loudness_process (SemblanceLoudness *self, const float *frames,
                                 size_t n_frames);

void semblance_loudness_result (const SemblanceLoudness *self,
                                SemblanceLoudnessResult *result);
