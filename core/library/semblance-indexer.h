/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The library indexer: finds the music in folders (and files given one by
 * one), analyses what is new or changed on a pool of low-priority threads,
 * and writes features, tags, property vectors and failures to the store
 * from one writer, in batches. Files that did not change since they were
 * analysed, or since they failed, are not analysed again; an interrupted
 * run leaves the database consistent and the next run finishes the job.
 *
 * Properties: "done", "total", "failures", "forgotten" (since the run
 * started), "current-file", "paused", "running".
 *
 * A run also forgets the tracks of its files and folders whose files are
 * gone (deleted or moved away, not even a dangling link left) from a folder
 * that is there (the folder indexed, or the file's own), and counts them
 * in "forgotten"; a folder that is missing itself (a disk not mounted)
 * keeps its tracks. The "progress" signal is emitted
 * after every file (at most once per main loop iteration for an
 * asynchronous run): on the thread that called semblance_indexer_run(), or
 * in the thread-default main context of semblance_indexer_run_async().
 */
#pragma once

#include <gio/gio.h>

#include "semblance-export.h"

G_BEGIN_DECLS

#define SEMBLANCE_TYPE_INDEXER (semblance_indexer_get_type ())
SEMBLANCE_EXPORT GType semblance_indexer_get_type (void);
G_DECLARE_FINAL_TYPE (SemblanceIndexer, semblance_indexer, SEMBLANCE,
                      INDEXER, GObject)

/**
 * semblance_indexer_new:
 * @database: (nullable): the store's file, or the default one
 * @model: (nullable): model for property vectors: NULL for the default
 *   model when one is installed, "" for none
 * @threads: analysis threads, 0 for the number of cores less one (at
 *   least one)
 */
SEMBLANCE_EXPORT
SemblanceIndexer *semblance_indexer_new (const char *database,
                                         const char *model, guint threads);

/* Adds folders (searched recursively) or files to the next run; while a run
 * is under way, to that run. */
SEMBLANCE_EXPORT
void semblance_indexer_add_path (SemblanceIndexer *self, const char *path);

/* Indexes what was added, and what is added meanwhile; returns when done,
 * cancelled or failed (the database cannot be opened or written; a track
 * that cannot be analysed is a failure recorded in the store, not an
 * error). One run at a time: G_IO_ERROR_PENDING otherwise. */
SEMBLANCE_EXPORT
gboolean semblance_indexer_run (SemblanceIndexer *self,
                                GCancellable *cancellable, GError **error);

/* The same on worker threads of the engine; "progress" and the callback
 * come in the caller's thread-default main context. A cancelled run stops
 * between two files (what was analysed is kept) and finishes with
 * G_IO_ERROR_CANCELLED, even if the caller has gone. */
SEMBLANCE_EXPORT
void semblance_indexer_run_async (SemblanceIndexer *self,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
SEMBLANCE_EXPORT
gboolean semblance_indexer_run_finish (SemblanceIndexer *self,
                                       GAsyncResult *result, GError **error);

/* Forgets the tracks whose files are gone, as a run does, without
 * analysing anything: among the files and folders added, or, when none
 * were added, the tracks of the whole store missing from a folder that is
 * there (a folder gone may be a disk not mounted). The number forgotten is then
 * semblance_indexer_get_forgotten(). Not during a run: G_IO_ERROR_PENDING. */
SEMBLANCE_EXPORT
gboolean semblance_indexer_prune (SemblanceIndexer *self,
                                  GCancellable *cancellable, GError **error);

/* Whether a run is under way. */
SEMBLANCE_EXPORT
gboolean semblance_indexer_get_running (SemblanceIndexer *self);

/* Follows the folders added: files added, changed, moved or deleted, and
 * new subfolders, are indexed (or forgotten) a second after they settle,
 * by asynchronous runs. Needs the thread-default main context to run, where
 * "progress" is then emitted. Stops when the indexer is disposed. */
SEMBLANCE_EXPORT
void semblance_indexer_watch (SemblanceIndexer *self);

/* Holds the analysis threads between files, or lets them go on. */
SEMBLANCE_EXPORT
void semblance_indexer_set_paused (SemblanceIndexer *self, gboolean paused);

SEMBLANCE_EXPORT
guint semblance_indexer_get_done (SemblanceIndexer *self);
SEMBLANCE_EXPORT
guint semblance_indexer_get_total (SemblanceIndexer *self);
SEMBLANCE_EXPORT
guint semblance_indexer_get_failures (SemblanceIndexer *self);
SEMBLANCE_EXPORT
guint semblance_indexer_get_forgotten (SemblanceIndexer *self);

G_END_DECLS
