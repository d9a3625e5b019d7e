/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The store's writes and bulk reads, for the engine's own use: the indexer
 * and the library write tracks, analyses, vectors and failures, and load
 * the vectors of a model into a catalog. Players read the store through
 * semblance-store.h and SemblanceLibrary.
 */
#pragma once

#include "semblance-catalog.h"
#include "semblance-store.h"

G_BEGIN_DECLS

/* Groups the writes between them into one transaction. */
gboolean semblance_store_begin (SemblanceStore *store, GError **error);
gboolean semblance_store_commit (SemblanceStore *store, GError **error);
/* Drops the writes since semblance_store_begin(), if a transaction is open. */
void semblance_store_rollback (SemblanceStore *store);

typedef enum
{
  SEMBLANCE_NEED_NONE,
  /* new, or changed since it was analysed or since it failed */
  SEMBLANCE_NEED_ANALYSIS,
  /* unchanged, but analysed in an older feature layout: its vectors are
   * still served (semblance_store_serving_model()) until it is analysed
   * again */
  SEMBLANCE_NEED_REANALYSIS,
} SemblanceNeed;

/* What the file at @uri, now of @size and @mtime, needs. */
SemblanceNeed semblance_store_needs_analysis (SemblanceStore *store,
                                              const char *uri, gint64 size,
                                              gint64 mtime);

/* The model whose vectors queries of tracks in the library should use,
 * newly allocated: @model_id, unless tracks analysed in an older layout
 * wait to be analysed again and another model has vectors for more tracks
 * (the model the library had before its layout changed). Its vectors are
 * SEMBLANCE_N_GROUPS x *@group_out values (unchanged when it is
 * @model_id). */
char *semblance_store_serving_model (SemblanceStore *store,
                                     const char *model_id, guint *group_out);

/* Adds or updates a track's file facts and tags; a changed file goes back to
 * PENDING and loses its vectors. Returns the track's id, or 0 on error. */
gint64 semblance_store_put_track (SemblanceStore *store,
                                  const SemblanceTrackInfo *info,
                                  GError **error);

/* Stores the feature vector (@dim values of layout @layout_version) and
 * marks the track ANALYSED. */
gboolean semblance_store_set_features (SemblanceStore *store, gint64 id,
                                       guint layout_version,
                                       const float *features, guint dim,
                                       GError **error);

/* A track analysed: its file facts and tags, its features (marking it
 * ANALYSED) and, when @model_id is not NULL, its property vector of that
 * model (@dim values). */
gboolean semblance_store_put_analysis (SemblanceStore *store,
                                       const SemblanceTrackInfo *info,
                                       guint layout_version,
                                       const float *features,
                                       const char *model_id,
                                       const float *vector, guint dim,
                                       GError **error);

/* NULL when the track has no features of @layout_version. */
float *semblance_store_get_features (SemblanceStore *store, gint64 id,
                                     guint layout_version, guint *dim);

/* Marks the track FAILED with @reason, kept until the file changes. */
gboolean semblance_store_set_failure (SemblanceStore *store, gint64 id,
                                      const char *reason, GError **error);

gboolean semblance_store_set_vector (SemblanceStore *store, gint64 id,
                                     const char *model_id, const float *v,
                                     guint dim, GError **error);

float *semblance_store_get_vector (SemblanceStore *store, gint64 id,
                                   const char *model_id, guint *dim);

/* Removes the track and its vectors; FALSE when it was not there. */
gboolean semblance_store_remove (SemblanceStore *store, const char *uri);

/* Every analysed track's property vector of model @model_id, with artist,
 * album and duration, as a catalog for queries (@group_out values per
 * property group); vectors of another length are skipped. */
SemblanceCatalog *semblance_store_load_catalog (SemblanceStore *store,
                                                const char *model_id,
                                                guint group_out);

/* A number that changes whenever what a catalog of any model would hold
 * changes (semblance_store_load_catalog()), or -1 after an error. Read
 * before and after loading a catalog: when the two agree, the catalog is
 * that of this generation. */
gint64 semblance_store_catalog_generation (SemblanceStore *store);

/* The blend fit of @model_id's vectors (semblance_blend_save()) saved in
 * @generation, or NULL. */
GBytes *semblance_store_get_blend (SemblanceStore *store,
                                   const char *model_id, gint64 generation);

/* semblance_store_load_catalog(), with the generation the catalog is of
 * (-1 when the database changed while it was read) in *@generation, and
 * the blend fit saved in that generation, or NULL, in *@saved. When the
 * generation cannot be read (a damaged database), the catalog is empty
 * and the error kept, as for a table that cannot be read. */
SemblanceCatalog *semblance_store_load_catalog_fit (SemblanceStore *store,
                                                    const char *model_id,
                                                    guint group_out,
                                                    gint64 *generation,
                                                    GBytes **saved);

/* Saves @fit as @model_id's blend fit of @generation, if the database can
 * be written at once: a query does not wait for the indexer, nor fail for
 * a database it may only read. A fit of a newer generation, saved
 * already, is kept. Whether the write was made. */
gboolean semblance_store_offer_blend (SemblanceStore *store,
                                      const char *model_id,
                                      gint64 generation, GBytes *fit);

/* The track's Chromaprint fingerprint (semblance-fingerprint.h), kept
 * until its file changes. */
gboolean semblance_store_set_fingerprint (SemblanceStore *store, gint64 id,
                                          const guint32 *items, guint n,
                                          GError **error);

/* NULL when the track has none. */
guint32 *semblance_store_get_fingerprint (SemblanceStore *store, gint64 id,
                                          guint *n);

/* The URI of every track, sorted. */
GPtrArray *semblance_store_list_uris (SemblanceStore *store);

/* The analysed tracks that have no vector of model @model_id: those to
 * re-embed after a model change. */
GArray *semblance_store_missing_vectors (SemblanceStore *store,
                                         const char *model_id);

/* Track @id's property vector of model @model_id mapped into semantic
 * space by the model's semantic map (@dim values): what text search ranks
 * by. Kept until the vector is replaced. */
gboolean semblance_store_set_prediction (SemblanceStore *store, gint64 id,
                                         const char *model_id,
                                         const float *s, guint dim,
                                         GError **error);

typedef void (*SemblancePredictionFunc) (gint64 id, const float *s,
                                         guint dim, double duration,
                                         gpointer user_data);

/* Calls @func for every analysed track with a prediction of @model_id, by
 * id. */
void semblance_store_foreach_prediction (SemblanceStore *store,
                                         const char *model_id,
                                         SemblancePredictionFunc func,
                                         gpointer user_data);

/* The analysed tracks with a vector of @model_id but no prediction: those
 * indexed before predictions were stored, made from their vectors. */
GArray *semblance_store_missing_predictions (SemblanceStore *store,
                                             const char *model_id);

G_END_DECLS
