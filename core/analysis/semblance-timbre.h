/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The timbre of a track as one Gaussian of its MFCCs, as Musly's "timbre"
 * method models it (Schnitzer, after Mandel and Ellis): 1024-sample
 * symmetric Hann frames every 512 samples at SEMBLANCE_ANALYSIS_RATE, the
 * power spectrum through 36 triangular mel filters of unit area from 20 Hz
 * to 11,025 Hz, ln (1 + gain x energy), an orthonormal DCT-II of which 25
 * coefficients are kept; then their mean and unbiased full covariance
 * (plus 1e-4 on the diagonal). The sums are kept as they come, so memory
 * does not grow with the track.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define SEMBLANCE_TIMBRE_FRAME 1024
#define SEMBLANCE_TIMBRE_HOP 512
#define SEMBLANCE_TIMBRE_BANDS 36
#define SEMBLANCE_TIMBRE_DIM 25
/* What Musly scales a track's peak sample to before the logarithm: 96 dB
 * above the 16-bit step. A full-scale peak in float is 1. */
#define SEMBLANCE_TIMBRE_PEAK 63095.734448019

typedef struct _SemblanceTimbre SemblanceTimbre;

SemblanceTimbre *semblance_timbre_new (void);
void semblance_timbre_free (SemblanceTimbre *self);

/* Forgets the sums: a new track. */
void semblance_timbre_reset (SemblanceTimbre *self);

/* Power gain before the logarithm: SEMBLANCE_TIMBRE_PEAK^2 (the default)
 * for a signal whose peak is at full scale; Musly divides by the square of
 * the actual peak, which a stream does not know in advance. */
void semblance_timbre_set_gain (SemblanceTimbre *self, double gain);

/* Adds the frame of SEMBLANCE_TIMBRE_FRAME samples at @samples. */
void semblance_timbre_process (SemblanceTimbre *self, const float *samples);

size_t semblance_timbre_get_frames (const SemblanceTimbre *self);

/* The mean (SEMBLANCE_TIMBRE_DIM values) and covariance (its square,
 * row-major); false, with both zero, before SEMBLANCE_TIMBRE_DIM + 1
 * frames. */
bool semblance_timbre_gaussian (const SemblanceTimbre *self, double *mean,
                                double *cov);
