/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The library's database (SQLite): one row per track with its file's size and
 * modification time, tags, analysis state and feature vector, and the
 * property vectors of each model. WAL journal, a generous busy timeout (so
 * that readers and the one writer never meet "database is locked"), a schema
 * version with migrations, prepared statements only.
 *
 * A store is one connection: use one per thread.
 */
#pragma once

#include <glib.h>

#include "semblance-catalog.h"

G_BEGIN_DECLS

#define SEMBLANCE_STORE_SCHEMA_VERSION 1

typedef struct _SemblanceStore SemblanceStore;

typedef enum
{
  SEMBLANCE_TRACK_PENDING,
  SEMBLANCE_TRACK_ANALYSED,
  SEMBLANCE_TRACK_FAILED,
} SemblanceTrackState;

typedef struct
{
  char *uri;
  gint64 size;
  gint64 mtime;               /* seconds since the epoch */
  double duration;            /* seconds, 0 when unknown */
  char *title, *artist, *album, *album_artist, *genre;
  int track_number;           /* 0 when unknown */
} SemblanceTrackInfo;

void semblance_track_info_clear (SemblanceTrackInfo *info);

/* $XDG_DATA_HOME/semblance/library.db, or $SEMBLANCE_DATABASE when set. */
const char *semblance_store_default_path (void);

/* Opens (creating it and its folder if needed) and migrates the database at
 * @path, or the default one when NULL. Errors name the file and say why: not
 * a database, made by a newer Semblance, cannot be written... */
SemblanceStore *semblance_store_open (const char *path, GError **error);

void semblance_store_close (SemblanceStore *store);

/* Groups the writes between them into one transaction. */
gboolean semblance_store_begin (SemblanceStore *store, GError **error);
gboolean semblance_store_commit (SemblanceStore *store, GError **error);
/* Drops the writes since semblance_store_begin(), if a transaction is open. */
void semblance_store_rollback (SemblanceStore *store);

/* Whether the file at @uri, now of @size and @mtime, must be analysed: it
 * is new, or it changed since it was analysed or since it failed. */
gboolean semblance_store_needs_analysis (SemblanceStore *store,
                                         const char *uri, gint64 size,
                                         gint64 mtime);

/* Adds or updates a track's file facts and tags; a changed file goes back to
 * PENDING and loses its vectors. Returns the track's id, or 0 on error. */
gint64 semblance_store_put_track (SemblanceStore *store,
                                  const SemblanceTrackInfo *info,
                                  GError **error);

/* The track's id, or 0 when @uri is not in the store. */
gint64 semblance_store_lookup (SemblanceStore *store, const char *uri);

SemblanceTrackState semblance_store_get_state (SemblanceStore *store,
                                               gint64 id);

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

/* The reason the track failed, or NULL. */
char *semblance_store_get_failure (SemblanceStore *store, gint64 id);

gboolean semblance_store_set_vector (SemblanceStore *store, gint64 id,
                                     const char *model_id, const float *v,
                                     guint dim, GError **error);

float *semblance_store_get_vector (SemblanceStore *store, gint64 id,
                                   const char *model_id, guint *dim);

/* Removes the track and its vectors; FALSE when it was not there. */
gboolean semblance_store_remove (SemblanceStore *store, const char *uri);

typedef void (*SemblanceStoreFunc) (const char *key, const char *value,
                                    gint64 count, gpointer user_data);

/* Calls @func with the URI and reason of every failed track, by URI. */
void semblance_store_foreach_failure (SemblanceStore *store,
                                      SemblanceStoreFunc func,
                                      gpointer user_data);

/* Calls @func with each model id that has vectors, and their number. */
void semblance_store_foreach_model (SemblanceStore *store,
                                    SemblanceStoreFunc func,
                                    gpointer user_data);

/* The tags and file facts of track @id; FALSE when there is none. */
gboolean semblance_store_get_track (SemblanceStore *store, gint64 id,
                                    SemblanceTrackInfo *info);

/* Every analysed track's property vector of model @model_id, with artist,
 * album and duration, as a catalog for queries (@group_out values per
 * property group); vectors of another length are skipped. */
SemblanceCatalog *semblance_store_load_catalog (SemblanceStore *store,
                                                const char *model_id,
                                                guint group_out);

/* The analysed tracks that have no vector of model @model_id: those to
 * re-embed after a model change. */
GArray *semblance_store_missing_vectors (SemblanceStore *store,
                                         const char *model_id);

/* Tracks per state. */
void semblance_store_count (SemblanceStore *store, guint *pending,
                            guint *analysed, guint *failed);

/* A number that changes whenever another connection (the indexer, another
 * process) commits a change: readers compare it to know when to reload. */
gint64 semblance_store_data_version (SemblanceStore *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceStore, semblance_store_close)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SemblanceTrackInfo,
                                  semblance_track_info_clear)

G_END_DECLS
