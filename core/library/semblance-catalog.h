/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The library's property vectors in memory, as one matrix, and the queries
 * on it: "more like this" for one or several seed tracks (with exclusions,
 * a cap per artist and a duration range), the nearest tracks to any vector
 * (text search through a model's semantic map), and paths from one track to
 * another. Distances are Euclidean (in the property vectors extended by
 * the blend's values, when the library extends them): queries scan a
 * compact 8-bit copy of the vectors for the candidates that can be among
 * the best, then compute
 * those candidates' exact distances with BLIS; only the best candidates
 * are sorted. With the mutual_proximity option (the default),
 * the best candidates by distance are ranked again by Gaussian mutual
 * proximity (semblance-gaussian.h), from each track's mean and spread of
 * distances to a fixed sample of the catalog, computed when a query first
 * needs them and kept until tracks are added or the vectors extended.
 */
#pragma once

#include <glib.h>

#include "semblance-blend.h"
#include "semblance-model.h"
#include "semblance-query.h"

G_BEGIN_DECLS

typedef struct _SemblanceCatalog SemblanceCatalog;

typedef struct
{
  gint64 id;
  float distance;             /* Euclidean */
  float proximity;            /* 0-1: mutual proximity to the query, or
                               * without that option a fall-off of the
                               * distance */
  /* Per property group, how close the result is to the query: 1 for the
   * same, falling towards 0 beyond the group's typical distance. */
  float closeness[SEMBLANCE_N_GROUPS];
} SemblanceMatch;

/* A catalog of property vectors of @dim values, @group_out per property
 * group (dim = SEMBLANCE_N_GROUPS x group_out). */
SemblanceCatalog *semblance_catalog_new (guint group_out);

/* Appends @extra values to every track's vector (@values: size x extra,
 * in the order the tracks were added), such as the blend's
 * (semblance-blend.h): they count in every distance, not in the
 * per-group closeness. From then on vectors have dim + extra values,
 * in what add and the queries take and in what get_vector and mean give. */
void semblance_catalog_extend (SemblanceCatalog *catalog, guint extra,
                               const float *values);

/* Fits the blend (semblance-blend.h) to the catalog's vectors, the
 * property vectors of @model, with @model's map, the default weight and
 * @rank directions at most, and extends the catalog with it. Returns the
 * blend, for vectors from elsewhere, or NULL when there is none and the
 * catalog is unchanged. */
SemblanceBlend *semblance_catalog_blend (SemblanceCatalog *catalog,
                                         const SemblanceModel *model,
                                         guint rank);

/* The blend semblance_catalog_blend() fits, without extending the
 * catalog: for a fit to save (semblance_blend_save()). */
SemblanceBlend *semblance_catalog_fit_blend (const SemblanceCatalog *catalog,
                                             const SemblanceModel *model,
                                             guint rank);

/* The same, rebuilding the blend from @saved (semblance_blend_save()),
 * which the caller knows was fitted to these vectors (or NULL), when it
 * was fitted with the same arguments; when a new fit is made instead,
 * *@refitted is set to its saved form. */
SemblanceBlend *semblance_catalog_blend_saved (SemblanceCatalog *catalog,
                                               const SemblanceModel *model,
                                               guint rank, GBytes *saved,
                                               GBytes **refitted);

/* The values of each vector: dim, plus any extended. */
guint semblance_catalog_get_dim (const SemblanceCatalog *catalog);

/* Every vector, in the order the tracks were added (size x get_dim). */
const float *semblance_catalog_get_vectors (const SemblanceCatalog *catalog);

void semblance_catalog_free (SemblanceCatalog *catalog);

/* Adds a track; @artist and @album may be NULL. */
void semblance_catalog_add (SemblanceCatalog *catalog, gint64 id,
                            const float *vector, const char *artist,
                            const char *album, double duration);

guint semblance_catalog_size (const SemblanceCatalog *catalog);

/* With @exhaustive, queries rank every candidate of their shortlist by
 * mutual proximity before filtering, the straightforward way; by default
 * they rank only the candidates that can still reach the results. The
 * results are the same: tests and bench-query compare the two. */
void semblance_catalog_set_exhaustive (SemblanceCatalog *catalog,
                                       gboolean exhaustive);

/* With @compact (the default), queries shortlist by distance from a
 * compact copy of the vectors (8-bit codes, a quarter of the bytes to
 * read) within a proven bound, then compute the exact distances of the
 * rows the bound cannot rule out; without, they compute every exact
 * distance. The results are the same to the last bit: tests and
 * bench-query compare the two. */
void semblance_catalog_set_compact (SemblanceCatalog *catalog,
                                    gboolean compact);

/* Track @id's vector, or NULL when it is not in the catalog. */
const float *semblance_catalog_get_vector (const SemblanceCatalog *catalog,
                                           gint64 id);

/* The mean of all vectors (get_dim values); FALSE when the catalog is
 * empty. */
gboolean semblance_catalog_mean (const SemblanceCatalog *catalog,
                                 float *mean);

/* Bytes of memory per track, for sizing. */
gsize semblance_catalog_bytes_per_track (const SemblanceCatalog *catalog);

/* Tracks like the seeds (their mean vector), best first. Fails with
 * G_IO_ERROR_NOT_FOUND naming a seed that is not in the catalog. */
GArray *semblance_catalog_similar (SemblanceCatalog *catalog,
                                   const gint64 *seeds, guint n_seeds,
                                   const SemblanceQueryOptions *options,
                                   GError **error);

/* Tracks nearest to @vector (get_dim values), best first. */
GArray *semblance_catalog_nearest (SemblanceCatalog *catalog,
                                   const float *vector,
                                   const SemblanceQueryOptions *options);

/* The same, never with the @n_exclude tracks of @exclude among the
 * results (ids not in the catalog are ignored); the catalog knows ids,
 * not the URIs of options->exclude, which it ignores. */
GArray *semblance_catalog_similar_excluding (SemblanceCatalog *catalog,
                                             const gint64 *seeds,
                                             guint n_seeds,
                                             const gint64 *exclude,
                                             guint n_exclude,
                                             const SemblanceQueryOptions *options,
                                             GError **error);
GArray *semblance_catalog_nearest_excluding (SemblanceCatalog *catalog,
                                             const float *vector,
                                             const gint64 *exclude,
                                             guint n_exclude,
                                             const SemblanceQueryOptions *options);

/* @steps tracks leading from @from to @to (both excluded), each the
 * nearest unused track to its point on the straight line between them. */
GArray *semblance_catalog_path (SemblanceCatalog *catalog, gint64 from,
                                gint64 to, guint steps, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceCatalog, semblance_catalog_free)

G_END_DECLS
