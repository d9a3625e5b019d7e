/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Follows music folders for changes (one GFileMonitor per folder and
 * subfolder) and hands them over in batches: files added or changed, and
 * files or folders gone, once nothing has changed for a moment. Runs in the
 * thread-default main context of semblance_watcher_new().
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SemblanceWatcher SemblanceWatcher;

/* @changed and @removed: file names; the function takes neither. */
typedef void (*SemblanceWatcherFunc) (GPtrArray *changed, GPtrArray *removed,
                                      gpointer data);

/* @settle_ms: how long the folders must rest before a batch goes out. */
SemblanceWatcher *semblance_watcher_new (guint settle_ms,
                                         SemblanceWatcherFunc func,
                                         gpointer data);

void semblance_watcher_free (SemblanceWatcher *self);

/* Watches @folder and its subfolders (not hidden ones, not through symbolic
 * links); a folder that cannot be watched is reported as a warning. */
void semblance_watcher_add_folder (SemblanceWatcher *self,
                                   const char *folder);

/* While held, batches wait; on release, what gathered goes out. */
void semblance_watcher_hold (SemblanceWatcher *self, gboolean hold);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceWatcher, semblance_watcher_free)

G_END_DECLS
