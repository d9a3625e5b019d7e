/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * For the analyzer, the decoding and their tests: the low-pass filter with
 * which GStreamer's converter halves a rate, which the analyzer's decimator
 * applies instead (semblance-decimator.h), and a tap on the audio the
 * analysis reads.
 */
#pragma once

#include <glib.h>
#include <stddef.h>

#include "semblance-analyzer.h"

/* Whether there is one: GStreamer's filter for 2:1, read off its impulse
 * response once per process, in SEMBLANCE_DECIMATOR_LANES taps or a
 * multiple, for inputs 2j - n / 2 + 1 to 2j + n / 2 of output j. FALSE
 * when this GStreamer's filter is not of that shape. The taps belong to
 * the process. */
gboolean semblance_analysis_halving_taps (const float **taps, size_t *n_taps);

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
