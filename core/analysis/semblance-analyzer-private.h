/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * For the analyzer, the decoding and their tests: the filters with which
 * GStreamer's converter changes a rate to the analysis rate, which the
 * analyzer's resampler applies instead (semblance-resampler.h), and a tap
 * on the audio the analysis reads.
 */
#pragma once

#include <glib.h>
#include <stddef.h>

#include "semblance-analyzer.h"

/* GStreamer's filter from a rate to SEMBLANCE_ANALYSIS_RATE, for
 * semblance_resampler_new(): the ratio in lowest terms, and a row of taps
 * per phase, read off the converter's impulse responses once per process
 * and rate. */
typedef struct
{
  const float *taps;
  const int *start;
  size_t n_taps;
  unsigned up, down;
} SemblanceResampling;

/* NULL for SEMBLANCE_ANALYSIS_RATE itself, for ratios whose table would be
 * large (more than 2,048 phases, a denominator over 4,096 or more than
 * 256 Ki taps: 768 kHz among them), once a process holds the filters of
 * 16 rates, and when this GStreamer's converter is not of that shape (the
 * analysis then uses the converter). From twice the analysis rate it is
 * the filter for any 2:1 (up 1, down 2). The filters belong to the
 * process. */
const SemblanceResampling *semblance_analysis_resampling (int rate);

/* Sees the audio as the analysis reads it: @n mono float samples at
 * SEMBLANCE_ANALYSIS_RATE, after the conversion and before the features,
 * so that what else is measured of the same audio needs no mixing and
 * resampling of its own. */
typedef void (*SemblanceAudioTap) (const float *samples, gsize n,
                                   gpointer user_data);

/* @tap (nullable) is given every piece of @self's converted audio from now
 * on, in order. */
void semblance_analyzer_set_tap (SemblanceAnalyzer *self, SemblanceAudioTap tap,
                                 gpointer user_data);
