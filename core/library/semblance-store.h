/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The library's database (SQLite): one row per track with its file's size and
 * modification time, tags, analysis state and feature vector, and the
 * property vectors of each model. WAL journal, a generous busy timeout (so
 * that readers and the one writer never meet "database is locked"), a schema
 * version with migrations, prepared statements only.
 *
 * A store is one connection: use one per thread.
 *
 * Errors are SEMBLANCE_ERROR, told apart (semblance-error.h): CORRUPT for
 * a damaged database or not one, BUSY, READ_ONLY, FULL, OPEN when the file
 * cannot be opened or read. Every step of every query is checked: the
 * functions below that take no GError keep the first error they meet,
 * which semblance_store_take_error() hands over, so that a damaged
 * database never reads as an empty one.
 */
#pragma once

#include <glib.h>

#include "semblance-export.h"
#include "semblance-layout.h"

G_BEGIN_DECLS

#define SEMBLANCE_STORE_SCHEMA_VERSION 4

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

SEMBLANCE_EXPORT
void semblance_track_info_clear (SemblanceTrackInfo *info);

/* $XDG_DATA_HOME/semblance/library.db, or $SEMBLANCE_DATABASE when set. */
SEMBLANCE_EXPORT
const char *semblance_store_default_path (void);

/* Opens (creating it and its folder if needed) and migrates the database at
 * @path, or the default one when NULL. Errors name the file and say why: not
 * a database, made by a newer Semblance, cannot be written... A database
 * that exists and that this process may not write (the file or its folder
 * is read-only) is opened as semblance_store_open_readonly() does. */
SEMBLANCE_EXPORT
SemblanceStore *semblance_store_open (const char *path, GError **error);

/* Opens the database at @path (or the default one) for reading only
 * (SQLITE_OPEN_READONLY): nothing is created, migrated or changed, so that
 * it works on a read-only folder. A database of an older schema is an
 * error that says to run "semblance index"; writes fail with
 * SEMBLANCE_ERROR_READ_ONLY. */
SEMBLANCE_EXPORT
SemblanceStore *semblance_store_open_readonly (const char *path,
                                               GError **error);

/* FALSE, with the first error met since the last call by a function of
 * this header that takes no GError (a lookup, a count, a foreach...),
 * which then returned what it had read until then; TRUE when there was
 * none. */
SEMBLANCE_EXPORT
gboolean semblance_store_take_error (SemblanceStore *store, GError **error);

/* Reads every page of the database (PRAGMA quick_check): FALSE with
 * SEMBLANCE_ERROR_CORRUPT and SQLite's first finding when it is damaged. */
SEMBLANCE_EXPORT
gboolean semblance_store_check (SemblanceStore *store, GError **error);

SEMBLANCE_EXPORT
void semblance_store_close (SemblanceStore *store);

/* The track's id, or 0 when @uri is not in the store. */
SEMBLANCE_EXPORT
gint64 semblance_store_lookup (SemblanceStore *store, const char *uri);

SEMBLANCE_EXPORT
SemblanceTrackState semblance_store_get_state (SemblanceStore *store,
                                               gint64 id);

/* The reason the track failed, or NULL. */
SEMBLANCE_EXPORT
char *semblance_store_get_failure (SemblanceStore *store, gint64 id);

typedef void (*SemblanceStoreFunc) (const char *key, const char *value,
                                    gint64 count, gpointer user_data);

/* Calls @func with the URI and reason of every failed track, by URI. */
SEMBLANCE_EXPORT
void semblance_store_foreach_failure (SemblanceStore *store,
                                      SemblanceStoreFunc func,
                                      gpointer user_data);

/* Calls @func with each model id that has vectors, and their number. */
SEMBLANCE_EXPORT
void semblance_store_foreach_model (SemblanceStore *store,
                                    SemblanceStoreFunc func,
                                    gpointer user_data);

/* The tags and file facts of track @id; FALSE when there is none. */
SEMBLANCE_EXPORT
gboolean semblance_store_get_track (SemblanceStore *store, gint64 id,
                                    SemblanceTrackInfo *info);

/* Tracks per state. */
SEMBLANCE_EXPORT
void semblance_store_count (SemblanceStore *store, guint *pending,
                            guint *analysed, guint *failed);

/* Analysed tracks whose features are of an older layout than this
 * program's (SEMBLANCE_LAYOUT_VERSION): the indexer analyses them again,
 * after new and changed files. */
SEMBLANCE_EXPORT
guint semblance_store_count_stale (SemblanceStore *store);

/* A number that changes whenever another connection (the indexer, another
 * process) commits a change: readers compare it to know when to reload. */
SEMBLANCE_EXPORT
gint64 semblance_store_data_version (SemblanceStore *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceStore, semblance_store_close)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SemblanceTrackInfo,
                                  semblance_track_info_clear)

G_END_DECLS
