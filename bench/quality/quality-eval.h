/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How the quality benchmarks score a distance: full n x n matrices of one
 * method over one collection, the K nearest neighbours of every track, and
 * what those lists say (label precision, tag overlap, hubness), plus the
 * transforms every method shares (z-scoring, Euclidean distances, mutual
 * proximity over the whole set).
 */
#pragma once

#include <glib.h>

/* Each feature (column) of @x (n x dim) less its mean over the rows and
 * divided by its standard deviation; a constant feature becomes 0. */
float *quality_zscore (const float *x, guint n, guint dim);

/* Euclidean distances between all rows of @x (n x dim): n x n. */
float *quality_euclidean (const float *x, guint n, guint dim);

/* Gaussian mutual proximity of a whole n x n distance matrix, as Musly
 * applies it: each track's mean and standard deviation over its row (its
 * own 0 included), then for every pair -ln (1 - mutual proximity) (from
 * semblance_mutual_proximity_log), which ranks as mutual proximity does
 * but does not round to 1 in float for the pairs far apart. The diagonal
 * is 0. */
float *quality_mutual_proximity (const float *d, guint n);

/* Symmetric random distances in [0, 1) from @seed: the chance level. */
float *quality_random_distances (guint n, guint64 seed);

/* The @k nearest others of every row of @d (n x n), nearest first, ties by
 * index: n x k. */
guint *quality_neighbours (const float *d, guint n, guint k);

/* A set of items (sorted, without repeats) per track: mood tags, genres. */
typedef struct
{
  guint n;
  guint *items;
} QualitySet;

/* The set of the items of @text separated by @separator, stripped and
 * case-folded, numbered through @names (item -> index + 1, grown as
 * needed). */
void quality_set_parse (QualitySet *set, const char *text, char separator,
                        GHashTable *names);
void quality_set_clear (QualitySet *set);

/* Mean over queries of the share of their @k neighbours (@nb, n x k) with
 * the query's label; queries whose label is NULL are skipped. */
double quality_label_precision (const guint *nb, guint n, guint k,
                                const char *const *labels);

/* The same where a neighbour counts when it shares an item of the query's
 * set; queries with an empty set are skipped. */
double quality_set_precision (const guint *nb, guint n, guint k,
                              const QualitySet *sets);

/* Mean over queries and their @k neighbours of the Jaccard index of the
 * two sets; queries with an empty set are skipped. */
double quality_set_jaccard (const guint *nb, guint n, guint k,
                            const QualitySet *sets);

/* Hubness of the lists: the skewness of the k-occurrence (how many lists
 * each track appears in) and its largest value. */
void quality_hubness (const guint *nb, guint n, guint k, double *skewness,
                      guint *largest);

/* Text queries: @lists holds @n_lists lists of @k track indices (best
 * first), one per query. The share of list @q's tracks for which
 * @relevant (one per track) is TRUE. */
double quality_list_precision (const guint *lists, guint q, guint k,
                               const gboolean *relevant);

/* Which of the @n tracks is in the most of the @n_lists lists of @k
 * (every entry below @n, and @n at least 1), the lowest on a tie; how
 * many lists it is in goes to @count, 0 when there are none. */
guint quality_most_listed (const guint *lists, guint n_lists, guint k,
                           guint n, guint *count);

/* The largest share of the lists that any one of the @n tracks appears
 * in: 1 when a track is in every list. */
double quality_largest_share (const guint *lists, guint n_lists, guint k,
                              guint n);

/* Describing words: @shown holds, for each of @n tracks, the words shown
 * for it (a NULL-terminated array, maybe empty), @accepted the words that
 * count as right for it (a set: GHashTable of strings). Sets @total to the
 * number of shown words, @right to those that are right, and @no_word to
 * the number of tracks shown no word: counts, so that runs can be
 * pooled. */
void quality_words_count (char ***shown, GHashTable **accepted, guint n,
                          guint *right, guint *total, guint *no_word);

/* Spearman's correlation over all pairs i < j of @d and @e (n x n). */
double quality_matrix_spearman (const float *d, const float *e, guint n);
