/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Feeds files to the indexer: paths collect on the main thread, and a
 * background thread indexes them, one run after another, while the main
 * loop goes on. Progress and the end of each run come back on the main
 * thread.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RbSemblanceFeeder RbSemblanceFeeder;

/* @running is FALSE once a run ends, when the index has changed. */
typedef void (*RbSemblanceFeederFunc) (guint done, guint total,
                                       gboolean running, gpointer data);

/* @model: NULL for the default model. @threads: 0 for cores less one. */
RbSemblanceFeeder *rb_semblance_feeder_new (const char *database,
                                            const char *model, guint threads,
                                            RbSemblanceFeederFunc func,
                                            gpointer data);

/* Stops the running analysis between two files (what is analysed is kept),
 * without waiting for it: the run's thread finishes on its own. */
void rb_semblance_feeder_free (RbSemblanceFeeder *self);

/* Queues a local file or folder; unchanged files cost a stat(). */
void rb_semblance_feeder_add (RbSemblanceFeeder *self, const char *path);

void rb_semblance_feeder_set_paused (RbSemblanceFeeder *self,
                                     gboolean paused);

G_END_DECLS
