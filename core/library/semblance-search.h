/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Text search in semantic space. Each track's property vector is mapped
 * once, at index time, through its model's semantic map to a predicted
 * semantic vector (its prediction, kept in the store); a description's
 * semantic vector is compared with those predictions, never taken back
 * into property space, where short and odd tracks are everybody's
 * nearest neighbour.
 *
 * Four corrections keep a few tracks from winning every query (hubs). The
 * predictions are centred on the library's mean, so that what every track
 * shares counts for none, and each principal direction of their spread is
 * scaled by (λ / λmax)^-0.15, so that the directions of least spread weigh
 * more and the few tracks far along the main ones top fewer lists; then
 * they are scaled to unit length. Queries (and the words whose matches are
 * counted) are centred likewise, on the mean of the reference descriptions,
 * so that what every description shares counts for none either. Then the
 * cosine is locally scaled (CSLS, Conneau et al., 2018): a track's score
 * is twice its cosine to the query less its mean cosine to the 5
 * descriptions nearest to it among a fixed set of reference descriptions
 * (the describer's words), so that a track near every description gains
 * nothing by that alone. The query's own term of CSLS is the same for
 * every track and left out. Last, the reference descriptions are asked as
 * queries themselves: a track in more of their top SEMBLANCE_SEARCH_HUB_LIST
 * lists than its fair share loses SEMBLANCE_SEARCH_HUB_WEIGHT times the log
 * of 1 + its count over that share, which catches the hubs that CSLS's
 * mean of nearest descriptions misses (README, "On real music").
 *
 * Short clips (jingles, effects: under SEMBLANCE_SEARCH_SHORT_SECONDS,
 * which takes in every track the analysis flags `short`) are ranked only
 * when asked for.
 */
#pragma once

#include <glib.h>

#include "semblance-embedder.h"
#include "semblance-store.h"

G_BEGIN_DECLS

/* Tracks shorter than this (seconds, by their tags) are short clips. */
#define SEMBLANCE_SEARCH_SHORT_SECONDS 10.0

/* A track matches a word of a query when its cosine to the word is this
 * many standard deviations above the library's mean cosine to it: about
 * the best sixth of the library, for a word on its own. */
#define SEMBLANCE_SEARCH_MATCH_Z 1.0

/* The length of the reference descriptions' lists in which hubs are
 * counted, and the weight of a track's count (see above). */
#define SEMBLANCE_SEARCH_HUB_LIST 10
#define SEMBLANCE_SEARCH_HUB_WEIGHT 0.05

typedef enum
{
  SEMBLANCE_SEARCH_CSLS,      /* centred, then CSLS of the 10 nearest
                               * references, not whitened (benchmark) */
  SEMBLANCE_SEARCH_COSINE,    /* centred cosine alone (for the benchmark) */
  SEMBLANCE_SEARCH_MP,        /* centred, then Gaussian mutual proximity of
                               * the query's cosines to the tracks and each
                               * track's to the references (benchmark) */
  SEMBLANCE_SEARCH_WHITENED,  /* centred, each principal direction of the
                               * predictions scaled by (λ / λmax)^-0.15,
                               * then CSLS with the 5 nearest references,
                               * without the hub count (benchmark) */
  SEMBLANCE_SEARCH_BALANCED,  /* all four corrections: what the library
                               * uses */
} SemblanceSearchRanking;

typedef struct
{
  guint n;                    /* results wanted */
  SemblanceSearchRanking ranking;
  gboolean include_short;     /* rank the short clips too */
  double min_duration;        /* seconds; 0: no bound */
  double max_duration;        /* seconds; 0: no bound */
  const gint64 *exclude;      /* never among the results */
  guint n_exclude;
} SemblanceSearchOptions;

typedef struct
{
  gint64 id;
  float cosine;               /* of the query and the centred prediction
                               * (whitened, but for SEMBLANCE_SEARCH_CSLS,
                               * _COSINE and _MP) */
  float score;                /* what ranks */
  /* 0-1: how far above a typical track of the library the score is: 0 at
   * the median score of the tracks that could be results, 1 at the
   * best. */
  float similarity;
} SemblanceSearchMatch;

typedef struct _SemblanceSearch SemblanceSearch;

/* An empty index of predictions of @dim values, with @n_references
 * reference descriptions (@dim values each, unit length) for CSLS and, by
 * their mean, for centring queries; they are copied. */
SemblanceSearch *semblance_search_new (guint dim, const float *references,
                                       guint n_references);

void semblance_search_free (SemblanceSearch *self);

/* Adds a track; @duration in seconds, 0 when unknown (not short). */
void semblance_search_add (SemblanceSearch *self, gint64 id,
                           const float *prediction, double duration);

guint semblance_search_size (const SemblanceSearch *self);

guint semblance_search_get_dim (const SemblanceSearch *self);

void semblance_search_options_init (SemblanceSearchOptions *options);

/* The best options->n tracks for @query (dim values, unit length), best
 * first (SemblanceSearchMatch). */
GArray *semblance_search_rank (SemblanceSearch *self, const float *query,
                               const SemblanceSearchOptions *options);

/* For each of the @n_ids tracks @ids, how many standard deviations its
 * cosine to @word (dim values) lies above the library's mean cosine to
 * it; NAN for an id not in the index. */
void semblance_search_word_z (SemblanceSearch *self, const float *word,
                              const gint64 *ids, guint n_ids, float *z);

/* The same for how @query (dim values, unit length) ranks the tracks:
 * each one's score by the library's ranking (SEMBLANCE_SEARCH_BALANCED),
 * as standard deviations above the library's mean score over all its
 * tracks, for combining with other evidence. */
void semblance_search_score_z (SemblanceSearch *self, const float *query,
                               const gint64 *ids, guint n_ids, float *z);

/* Stores track @id's prediction: @vector, its property vector of
 * @embedder's model, through the model's semantic map. A model without a
 * semantic map has no predictions: TRUE, nothing stored. */
gboolean semblance_search_store_prediction (SemblanceStore *store,
                                            SemblanceEmbedder *embedder,
                                            gint64 id, const float *vector,
                                            GError **error);

/* Gives every analysed track that has a property vector of @embedder's
 * model but no prediction (one indexed before predictions were stored)
 * its prediction, from the stored vector: no audio is decoded. */
gboolean semblance_search_fill_predictions (SemblanceStore *store,
                                            SemblanceEmbedder *embedder,
                                            GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceSearch, semblance_search_free)

G_END_DECLS
