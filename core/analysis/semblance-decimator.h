/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Mono float to exactly half its rate, streamed, through a given FIR
 * low-pass filter. The analysis gives it the filter of GStreamer's
 * resampler for 2:1 (semblance-analyzer-private.h): 44.1 kHz music is
 * twice the analysis rate, and there this gives the samples GStreamer's
 * converter gives, to float rounding, in a fraction of its time (the
 * products run in vector code for the processor, chosen when the library
 * loads).
 *
 * Output j is centred on input 2j, with silence before the first input,
 * as GStreamer's resampler starts; the last n_taps / 2 inputs are held
 * back until more come.
 */
#pragma once

#include <stddef.h>

/* The number of taps is a multiple of this. */
#define SEMBLANCE_DECIMATOR_LANES 8

typedef struct _SemblanceDecimator SemblanceDecimator;

/* @taps: @n_taps values, for inputs 2j - n_taps / 2 + 1 to 2j + n_taps / 2
 * of output j; @max_in: the most samples one call to
 * semblance_decimator_process() takes. */
SemblanceDecimator *semblance_decimator_new (const float *taps, size_t n_taps,
                                             size_t max_in);
void semblance_decimator_free (SemblanceDecimator *self);

/* Filters @n (at most max_in) samples and writes the outputs that are
 * complete, at most n / 2 + 1, to @out. Returns their number. */
size_t semblance_decimator_process (SemblanceDecimator *self, const float *in,
                                    size_t n, float *out);

/* A seek or a new track: the filter forgets what came before. */
void semblance_decimator_reset (SemblanceDecimator *self);
