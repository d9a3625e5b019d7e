/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Key and mode from a mean chroma vector, by correlation with the
 * Krumhansl-Kessler key profiles of all 24 major and minor keys.
 */
#pragma once

typedef struct
{
  int tonic;        /* pitch class of the tonic: 0 = C ... 11 = B */
  int major;        /* 1 for major, 0 for minor */
  double strength;  /* correlation with the best key's profile, -1 to 1 */
  double mode;      /* best major minus best minor correlation: > 0 major */
} SemblanceKey;

/* Estimates the key of @chroma (12 non-negative values, C first). A flat or
 * empty chroma gives C major with strength 0. */
void semblance_key_estimate (const double chroma[12], SemblanceKey *key);
