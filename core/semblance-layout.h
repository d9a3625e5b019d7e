/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The feature vector layout: which number sits where, grouped by property.
 *
 * The layout is a contract between the extractor, stored feature vectors, the
 * network (one branch per group) and the user interface (which explains a
 * match group by group). Any change to the order, meaning or units of a value
 * must bump SEMBLANCE_LAYOUT_VERSION.
 *
 * Version 2, 122 values, in the order and units of version 1:
 *
 *   timbre (66)          MFCC 0-12 mean, MFCC 0-12 standard deviation,
 *                        log-mel band 0-39 mean (dB)
 *   spectral shape (19)  centroid, bandwidth, roll-off (Hz) mean and sd,
 *                        flatness (dB) mean and sd, flux mean and sd,
 *                        zero-crossing rate (per sample) mean and sd,
 *                        octave-band contrast 0-6 mean (dB)
 *   rhythm (13)          tempo (BPM), pulse clarity (0-1), onset rate (per s),
 *                        onset strength mean and sd, periodicity in eight
 *                        tempo bands (0-1)
 *   tonality (17)        chroma mean relative to the tonic (12, sums to 1),
 *                        key strength, mode (> 0 major, < 0 minor), key on the
 *                        circle of fifths (sin, cos), chroma entropy (0-1)
 *   dynamics (7)         integrated loudness (LUFS), loudness range (LU),
 *                        RMS mean and sd (dBFS), crest factor (dB),
 *                        silent fraction (0-1), loudness variation (LU)
 *
 * Version 2 measures with the analysis of issue 13: loudness, its range and
 * its variation per BS.1770 on every channel before the downmix (stereo
 * reads 3 to 5 LU above version 1's mono mix); tempo 0 and pulse clarity 0
 * without a clear pulse, and other octave decisions; the chroma, key
 * strength, mode and key position from the key finder's tuned peak chroma,
 * with mode and position 0 for music without a key. Stored features of
 * version 1 are analysed again (semblance_store_count_stale).
 */
#pragma once

#include <stddef.h>

#include "semblance-export.h"

#define SEMBLANCE_LAYOUT_VERSION 2

#define SEMBLANCE_N_MFCC 13
#define SEMBLANCE_N_MEL 40
#define SEMBLANCE_N_CONTRAST 7
#define SEMBLANCE_N_TEMPO_BANDS 8

typedef enum
{
  SEMBLANCE_GROUP_TIMBRE,
  SEMBLANCE_GROUP_SPECTRAL,
  SEMBLANCE_GROUP_RHYTHM,
  SEMBLANCE_GROUP_TONALITY,
  SEMBLANCE_GROUP_DYNAMICS,
  SEMBLANCE_N_GROUPS
} SemblanceGroup;

/* Offsets of single values and of the first element of arrays. */
enum
{
  SEMBLANCE_F_MFCC_MEAN = 0,
  SEMBLANCE_F_MFCC_SD = SEMBLANCE_F_MFCC_MEAN + SEMBLANCE_N_MFCC,
  SEMBLANCE_F_MEL_MEAN = SEMBLANCE_F_MFCC_SD + SEMBLANCE_N_MFCC,

  SEMBLANCE_F_CENTROID_MEAN = SEMBLANCE_F_MEL_MEAN + SEMBLANCE_N_MEL,
  SEMBLANCE_F_CENTROID_SD,
  SEMBLANCE_F_BANDWIDTH_MEAN,
  SEMBLANCE_F_BANDWIDTH_SD,
  SEMBLANCE_F_ROLLOFF_MEAN,
  SEMBLANCE_F_ROLLOFF_SD,
  SEMBLANCE_F_FLATNESS_MEAN,
  SEMBLANCE_F_FLATNESS_SD,
  SEMBLANCE_F_FLUX_MEAN,
  SEMBLANCE_F_FLUX_SD,
  SEMBLANCE_F_ZCR_MEAN,
  SEMBLANCE_F_ZCR_SD,
  SEMBLANCE_F_CONTRAST_MEAN,

  SEMBLANCE_F_TEMPO = SEMBLANCE_F_CONTRAST_MEAN + SEMBLANCE_N_CONTRAST,
  SEMBLANCE_F_PULSE_CLARITY,
  SEMBLANCE_F_ONSET_RATE,
  SEMBLANCE_F_ONSET_MEAN,
  SEMBLANCE_F_ONSET_SD,
  SEMBLANCE_F_PERIODICITY,

  SEMBLANCE_F_CHROMA = SEMBLANCE_F_PERIODICITY + SEMBLANCE_N_TEMPO_BANDS,
  SEMBLANCE_F_KEY_STRENGTH = SEMBLANCE_F_CHROMA + 12,
  SEMBLANCE_F_MODE,
  SEMBLANCE_F_KEY_SIN,
  SEMBLANCE_F_KEY_COS,
  SEMBLANCE_F_CHROMA_ENTROPY,

  SEMBLANCE_F_LOUDNESS,
  SEMBLANCE_F_LOUDNESS_RANGE,
  SEMBLANCE_F_RMS_MEAN,
  SEMBLANCE_F_RMS_SD,
  SEMBLANCE_F_CREST,
  SEMBLANCE_F_SILENT_FRACTION,
  SEMBLANCE_F_LOUDNESS_VARIATION,

  SEMBLANCE_FEATURE_DIM
};

/**
 * semblance_layout_group_range:
 * @group: a group
 * @start: (out): index of the group's first value
 * @length: (out): number of values in the group
 */
SEMBLANCE_EXPORT
void semblance_layout_group_range (SemblanceGroup group, size_t *start,
                                   size_t *length);

/* The group that holds value @index (which must be below SEMBLANCE_FEATURE_DIM). */
SEMBLANCE_EXPORT
SemblanceGroup semblance_layout_group_of (size_t index);

/* Machine name of a group: "timbre", "spectral", "rhythm", "tonality", "dynamics". */
SEMBLANCE_EXPORT
const char *semblance_layout_group_name (SemblanceGroup group);

#define SEMBLANCE_VALUE_NAME_MAX 32

/* Writes the stable machine name of value @index, for example "mfcc_sd_3" or
 * "tempo", into @buf. */
SEMBLANCE_EXPORT
void semblance_layout_value_name (size_t index,
                                  char buf[SEMBLANCE_VALUE_NAME_MAX]);
