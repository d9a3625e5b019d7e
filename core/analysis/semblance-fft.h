/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The analysis' real forward FFT, of one length. It is our own
 * (semblance-fft.c), unless the build is configured with -Dfftw=true:
 * then FFTW's single-precision transform (semblance-fft-fftw.c), which
 * is GPL-2.0-or-later, so that such a build of the engine and the element
 * is distributed under the GPL. Both leave the transform unscaled (a
 * constant of 1 gives bin 0 the length) and agree to float rounding
 * (README, "Performance of the analysis").
 *
 * Creating and freeing transforms may happen in any thread; one transform
 * computes in one thread at a time.
 */
#pragma once

#include <stddef.h>

typedef struct
{
  float r, i;
} SemblanceComplex;

typedef struct _SemblanceFft SemblanceFft;

/* @n: the length, a power of two, at least 16. */
SemblanceFft *semblance_fft_new (size_t n);
void semblance_fft_free (SemblanceFft *self);

/* The n/2 + 1 bins of @samples (n values, not modified) into @bins. */
void semblance_fft_forward (SemblanceFft *self, const float *samples,
                            SemblanceComplex *bins);

/* "semblance" or "fftw3": which transform this build computes. */
const char *semblance_fft_backend (void);
