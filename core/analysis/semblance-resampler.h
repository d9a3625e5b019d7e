/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Mono float from one rate to another whose ratio is @up / @down in lowest
 * terms, streamed, through a given polyphase FIR filter: output j = φ +
 * k·up (phase φ < up) is row φ of the taps times inputs k·down + start[φ]
 * onwards. The analysis gives it the filters of GStreamer's resampler,
 * read off its impulse responses (semblance-analyzer-private.h), so that
 * it gives the samples GStreamer's converter gives, to float rounding, in
 * a fraction of its time: GStreamer interpolates its taps from a table for
 * every output of a rational ratio, and the products here run in vector
 * code for the processor, chosen when the library loads.
 *
 * Inputs before the first are silence, as GStreamer's resampler starts;
 * the inputs the next outputs read are held back until more come.
 */
#pragma once

#include <stddef.h>

/* The number of taps per row is a multiple of this. */
#define SEMBLANCE_RESAMPLER_LANES 8

typedef struct _SemblanceResampler SemblanceResampler;

/* @taps: @up rows of @n_taps values; @start: @up offsets in order, none
 * more than @n_taps past the one before, the last at most @down past the
 * first, and the next period's first (@down + start[0]) at most @n_taps
 * past the last, so that each output reads from where the last one did or
 * later; start[0] in (-@n_taps, 0]; @max_in: the most samples one call to
 * semblance_resampler_process() takes. NULL for arguments outside these
 * bounds. */
SemblanceResampler *semblance_resampler_new (const float *taps,
                                             const int *start, size_t n_taps,
                                             unsigned up, unsigned down,
                                             size_t max_in);
void semblance_resampler_free (SemblanceResampler *self);

/* The most outputs one call gives for @n inputs. */
size_t semblance_resampler_max_out (const SemblanceResampler *self, size_t n);

/* Filters @n (at most max_in) samples and writes the outputs that are
 * complete, at most semblance_resampler_max_out(), to @out. Returns their
 * number. */
size_t semblance_resampler_process (SemblanceResampler *self, const float *in,
                                    size_t n, float *out);

/* A seek or a new track: the filter forgets what came before. */
void semblance_resampler_reset (SemblanceResampler *self);
