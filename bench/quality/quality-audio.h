/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the quality benchmarks share: decoding a file as Musly does, and
 * Musly's timbre model of it. */
#pragma once

#include <glib.h>

#include "semblance-timbre.h"

/* The whole file as mono float at SEMBLANCE_ANALYSIS_RATE (GStreamer's
 * decoders, converter and resampler; for MP3, FFmpeg's float decoder when
 * it is there, as Musly's libav decoding has it); NULL with @error on
 * failure. */
float *quality_decode (const char *path, gsize *n, GError **error);

/* Musly's excerpt of a track of @n samples: all of it up to 30 s, else 30 s
 * starting at min (48 s, the middle less 15 s). */
void quality_musly_excerpt (gsize n, gsize *start, gsize *length);

typedef struct
{
  double mean[SEMBLANCE_TIMBRE_DIM];
  double cov[SEMBLANCE_TIMBRE_DIM * SEMBLANCE_TIMBRE_DIM];
  double logdet;
} QualityGaussian;

/* Musly's timbre model of @samples: its peak scaled to
 * SEMBLANCE_TIMBRE_PEAK, frames from the first sample. FALSE when too
 * short. */
gboolean quality_musly_gaussian (const float *samples, gsize n,
                                 QualityGaussian *g);

/* The raw distance of Musly's timbre model (semblance_gaussian_js). */
double quality_gaussian_distance (const QualityGaussian *a,
                                  const QualityGaussian *b);

/* A matrix as /work's Musly scripts write it, and as the benchmarks read
 * it: a line with N, N lines of paths, N lines of N numbers. */
typedef struct
{
  guint n;
  char **paths;
  float *d;                     /* n x n */
} QualityMatrix;

QualityMatrix *quality_matrix_load (const char *path, GError **error);
void quality_matrix_free (QualityMatrix *m);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QualityMatrix, quality_matrix_free)
