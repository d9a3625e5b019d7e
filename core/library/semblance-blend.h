/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The distance that "more like this" ranks by: the property distance
 * blended with the distance between the tracks' predicted semantic
 * vectors (the model's semantic map, centred on the library's mean and at
 * unit length, as text search compares them). Each squared distance is
 * divided by its mean over the library and the two are weighed as the
 * training loss weighs its acoustic and semantic terms (exactly so when
 * every direction is kept; with fewer, the kept share of it), so the blend
 * is
 * the Euclidean distance between property vectors with a few values
 * appended: the predictions' main directions over the library, scaled.
 * The catalog ranks those longer vectors unchanged (compact scan, mutual
 * proximity: semblance_catalog_blend()), and a vector from elsewhere (a
 * track heard live) is extended the same way. Plain C over float arrays.
 */
#pragma once

#include <glib.h>

#include "semblance-export.h"

G_BEGIN_DECLS

typedef struct _SemblanceBlend SemblanceBlend;

/* Fits the blend to a library's @n property vectors (@dim values each)
 * through the semantic map @map (dim x @semantic_dim, row-major) and
 * @bias, with @weight (0 to 1) the semantic term's share, keeping @rank
 * directions at most. NULL when the blend would be the property distance
 * itself: no map, a weight of 0, fewer than two tracks, or predictions
 * that do not vary. */
SEMBLANCE_EXPORT
SemblanceBlend *semblance_blend_fit (const float *map, const float *bias,
                                     guint dim, guint semantic_dim,
                                     const float *vectors, guint n,
                                     double weight, guint rank);

SEMBLANCE_EXPORT
void semblance_blend_free (SemblanceBlend *blend);

/* What semblance_blend_restore() rebuilds @blend from: the arguments it
 * was fitted with, its centre and its basis. The fit is half of a
 * "similar"'s instructions; the library keeps this in its database while
 * the vectors it was fitted to stay unchanged. */
SEMBLANCE_EXPORT
GBytes *semblance_blend_save (const SemblanceBlend *blend);

/* The blend semblance_blend_fit() returned, rebuilt from @saved,
 * identical value for value, given the map and the bias it was fitted
 * through; the caller vouches for the @n vectors. NULL when @saved was
 * fitted with other arguments or is not a saved blend: then fit again. */
SEMBLANCE_EXPORT
SemblanceBlend *semblance_blend_restore (GBytes *saved, const float *map,
                                         const float *bias, guint dim,
                                         guint semantic_dim, guint n,
                                         double weight, guint rank);

/* The values appended to each property vector. */
SEMBLANCE_EXPORT
guint semblance_blend_get_rank (const SemblanceBlend *blend);

/* The share of the centred unit predictions' spread (their total
 * variance) that the kept directions hold, 0 to 1. */
SEMBLANCE_EXPORT
double semblance_blend_get_kept (const SemblanceBlend *blend);

/* The appended values (n x rank) of @n property vectors (n x dim). */
SEMBLANCE_EXPORT
void semblance_blend_apply (const SemblanceBlend *blend, const float *vectors,
                            guint n, float *out);

/* The weight the library blends with: the semantic term's share of the
 * training loss by training's defaults (1 - acoustic_weight). */
SEMBLANCE_EXPORT
double semblance_blend_default_weight (void);

/* Directions kept by the library's queries: of the default model's 100,
 * those that hold most of the predictions' spread (README, "On real
 * music"). */
#define SEMBLANCE_BLEND_RANK 16

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceBlend, semblance_blend_free)

G_END_DECLS
