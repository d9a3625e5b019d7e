/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How well distances in one space follow distances in another. */
#pragma once

#include <glib.h>

#include "semblance-export.h"

G_BEGIN_DECLS

/* Writes to @order the indices 0..n-1 sorted by ascending @values (ties by
 * index, so the order is deterministic). */
SEMBLANCE_EXPORT
void semblance_argsort (const float *values, guint n, guint *order);

/* Spearman's rank correlation of @a and @b (@n values each; ties get their
 * mean rank). 0 when either is constant. */
SEMBLANCE_EXPORT
double semblance_spearman (const float *a, const float *b, gsize n);

/* Euclidean distances between all pairs of @rows vectors of @dim values,
 * in the order (0,1), (0,2), ... (1,2), ...: rows (rows - 1) / 2 values. */
SEMBLANCE_EXPORT
void semblance_pair_distances (const float *x, guint rows, guint dim,
                               float *out);

/* Cosine distances (1 - cos) between all pairs of unit vectors, in the same
 * order. */
SEMBLANCE_EXPORT
void semblance_pair_cosine_distances (const float *x, guint rows, guint dim,
                                      float *out);

/* Mean over queries of the share of each query's @k nearest others (by
 * @dist, a rows x rows matrix) that carry the query's label. Queries whose
 * label is NULL or unique are skipped. */
SEMBLANCE_EXPORT
double semblance_precision_at_k (const float *dist, guint rows,
                                 const char *const *labels, guint k);

/* Mean NDCG@k of the ranking by @dist, the gain of a result being its
 * semantic similarity to the query, 1 - @sem_dist / 2 (both rows x rows). */
SEMBLANCE_EXPORT
double semblance_ndcg_at_k (const float *dist, const float *sem_dist,
                            guint rows, guint k);

G_END_DECLS
