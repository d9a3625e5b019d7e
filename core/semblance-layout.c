/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-layout.h"

#include <assert.h>
#include <stdio.h>

static const size_t group_start[SEMBLANCE_N_GROUPS + 1] = {
  SEMBLANCE_F_MFCC_MEAN,
  SEMBLANCE_F_CENTROID_MEAN,
  SEMBLANCE_F_TEMPO,
  SEMBLANCE_F_CHROMA,
  SEMBLANCE_F_LOUDNESS,
  SEMBLANCE_FEATURE_DIM,
};

static const char *const group_names[SEMBLANCE_N_GROUPS] = {
  "timbre", "spectral", "rhythm", "tonality", "dynamics",
};

void
semblance_layout_group_range (SemblanceGroup group, size_t *start,
                              size_t *length)
{
  assert (group < SEMBLANCE_N_GROUPS);
  *start = group_start[group];
  *length = group_start[group + 1] - group_start[group];
}

SemblanceGroup
semblance_layout_group_of (size_t index)
{
  SemblanceGroup g;

  assert (index < SEMBLANCE_FEATURE_DIM);
  for (g = 0; g + 1 < SEMBLANCE_N_GROUPS; g++)
    if (index < group_start[g + 1])
      break;
  return g;
}

const char *
semblance_layout_group_name (SemblanceGroup group)
{
  assert (group < SEMBLANCE_N_GROUPS);
  return group_names[group];
}

/* Arrays of values are described once, with the name of their first element. */
static const struct
{
  size_t index;
  size_t count;
  const char *name;
} value_names[] = {
  { SEMBLANCE_F_MFCC_MEAN, SEMBLANCE_N_MFCC, "mfcc_mean" },
  { SEMBLANCE_F_MFCC_SD, SEMBLANCE_N_MFCC, "mfcc_sd" },
  { SEMBLANCE_F_MEL_MEAN, SEMBLANCE_N_MEL, "mel_mean" },
  { SEMBLANCE_F_CENTROID_MEAN, 1, "centroid_mean" },
  { SEMBLANCE_F_CENTROID_SD, 1, "centroid_sd" },
  { SEMBLANCE_F_BANDWIDTH_MEAN, 1, "bandwidth_mean" },
  { SEMBLANCE_F_BANDWIDTH_SD, 1, "bandwidth_sd" },
  { SEMBLANCE_F_ROLLOFF_MEAN, 1, "rolloff_mean" },
  { SEMBLANCE_F_ROLLOFF_SD, 1, "rolloff_sd" },
  { SEMBLANCE_F_FLATNESS_MEAN, 1, "flatness_mean" },
  { SEMBLANCE_F_FLATNESS_SD, 1, "flatness_sd" },
  { SEMBLANCE_F_FLUX_MEAN, 1, "flux_mean" },
  { SEMBLANCE_F_FLUX_SD, 1, "flux_sd" },
  { SEMBLANCE_F_ZCR_MEAN, 1, "zcr_mean" },
  { SEMBLANCE_F_ZCR_SD, 1, "zcr_sd" },
  { SEMBLANCE_F_CONTRAST_MEAN, SEMBLANCE_N_CONTRAST, "contrast_mean" },
  { SEMBLANCE_F_TEMPO, 1, "tempo" },
  { SEMBLANCE_F_PULSE_CLARITY, 1, "pulse_clarity" },
  { SEMBLANCE_F_ONSET_RATE, 1, "onset_rate" },
  { SEMBLANCE_F_ONSET_MEAN, 1, "onset_mean" },
  { SEMBLANCE_F_ONSET_SD, 1, "onset_sd" },
  { SEMBLANCE_F_PERIODICITY, SEMBLANCE_N_TEMPO_BANDS, "periodicity" },
  { SEMBLANCE_F_CHROMA, 12, "chroma" },
  { SEMBLANCE_F_KEY_STRENGTH, 1, "key_strength" },
  { SEMBLANCE_F_MODE, 1, "mode" },
  { SEMBLANCE_F_KEY_SIN, 1, "key_sin" },
  { SEMBLANCE_F_KEY_COS, 1, "key_cos" },
  { SEMBLANCE_F_CHROMA_ENTROPY, 1, "chroma_entropy" },
  { SEMBLANCE_F_LOUDNESS, 1, "loudness" },
  { SEMBLANCE_F_LOUDNESS_RANGE, 1, "loudness_range" },
  { SEMBLANCE_F_RMS_MEAN, 1, "rms_mean" },
  { SEMBLANCE_F_RMS_SD, 1, "rms_sd" },
  { SEMBLANCE_F_CREST, 1, "crest" },
  { SEMBLANCE_F_SILENT_FRACTION, 1, "silent_fraction" },
  { SEMBLANCE_F_LOUDNESS_VARIATION, 1, "loudness_variation" },
};

void
semblance_layout_value_name (size_t index, char buf[SEMBLANCE_VALUE_NAME_MAX])
{
  size_t i;

  assert (index < SEMBLANCE_FEATURE_DIM);
  for (i = 0; i < sizeof value_names / sizeof value_names[0]; i++) {
    size_t first = value_names[i].index;

    if (index < first || index >= first + value_names[i].count)
      continue;
    if (value_names[i].count == 1)
      snprintf (buf, SEMBLANCE_VALUE_NAME_MAX, "%s", value_names[i].name);
    else
      snprintf (buf, SEMBLANCE_VALUE_NAME_MAX, "%s_%zu", value_names[i].name,
                index - first);
    return;
  }
  assert (!"layout table incomplete");
}
