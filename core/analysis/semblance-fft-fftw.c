/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* semblance-fft.h with FFTW's single-precision transform, for builds with
 * -Dfftw=true (GPL-2.0-or-later: such a build is distributed under the
 * GPL). */
#include "semblance-fft.h"

#include <fftw3.h>
#include <glib.h>
#include <string.h>

#include "semblance-lazy.h"

/* The transform runs on arrays of FFTW's own alignment, planned once: the
 * copies in and out cost a few percent of a transform, and no caller need
 * know FFTW's allocator. */
struct _SemblanceFft
{
  size_t n;
  float *in;
  fftwf_complex *out;
  fftwf_plan plan;
};

/* FFTW's planner is not thread-safe; its transforms are. */
static GMutex planner;

SemblanceFft *
semblance_fft_new (size_t n)
{
  SemblanceFft *self;

  g_return_val_if_fail (n >= 16 && (n & (n - 1)) == 0, NULL);
  self = g_new0 (SemblanceFft, 1);
  self->n = n;
  g_mutex_lock (&planner);
  self->in = fftwf_alloc_real (n);
  self->out = fftwf_alloc_complex (n / 2 + 1);
  /* Estimated, not measured: the same plan in every process, made in
   * microseconds, and as fast for these lengths. */
  self->plan = fftwf_plan_dft_r2c_1d ((int) n, self->in, self->out,
      FFTW_ESTIMATE);
  g_mutex_unlock (&planner);
  if (!self->in || !self->out || !self->plan)
    g_error ("FFTW cannot plan a transform of %zu values", n);
  return self;
}

void
semblance_fft_free (SemblanceFft *self)
{
  if (!self)
    return;
  g_mutex_lock (&planner);
  fftwf_destroy_plan (self->plan);
  fftwf_free (self->in);
  fftwf_free (self->out);
  g_mutex_unlock (&planner);
  g_free (self);
}

void
semblance_fft_forward (SemblanceFft *self, const float *samples,
                       SemblanceComplex *bins)
{
  G_STATIC_ASSERT (sizeof (SemblanceComplex) == sizeof (fftwf_complex));

  memcpy (self->in, samples, self->n * sizeof (float));
  fftwf_execute (self->plan);
  memcpy (bins, self->out, (self->n / 2 + 1) * sizeof (SemblanceComplex));
}

const char *
semblance_fft_backend (void)
{
  return "fftw3";
}
