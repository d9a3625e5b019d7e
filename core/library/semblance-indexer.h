/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The library indexer: finds the music in folders (and files given one by
 * one), analyses what is new or changed on a pool of low-priority threads,
 * and writes features, tags, property vectors and failures to the store
 * from one writer, in batches. Files that did not change since they were
 * analysed, or since they failed, are not analysed again; an interrupted
 * run leaves the database consistent and the next run finishes the job.
 *
 * Properties: "done", "total", "failures" (since the run started),
 * "current-file", "paused". The "progress" signal is emitted, on the
 * thread that called semblance_indexer_run(), after every file.
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

/* Adds folders (searched recursively) or files to index. */
SEMBLANCE_EXPORT
void semblance_indexer_add_path (SemblanceIndexer *self, const char *path);

/* Indexes what was added; returns when done, cancelled or failed (the
 * database cannot be opened or written; a track that cannot be analysed is
 * a failure recorded in the store, not an error). */
SEMBLANCE_EXPORT
gboolean semblance_indexer_run (SemblanceIndexer *self,
                                GCancellable *cancellable, GError **error);

/* Follows the folders added: files added, changed, moved or deleted, and
 * new subfolders, are indexed (or forgotten) a second after they settle,
 * by runs in a background thread. Needs the thread-default main context to
 * run; "progress" is then emitted from that background thread. Stops when
 * the indexer is disposed. */
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

G_END_DECLS
