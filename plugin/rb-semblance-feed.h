/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rhythmbox's library, fed to Semblance's index: every local song now and
 * as songs are added (a slice per main loop iteration, so that a large
 * library does not hold the window), with an indexer run going while any
 * wait; songs deleted from Rhythmbox are forgotten. Files the index
 * already has cost a stat() each.
 */
#pragma once

#include <rhythmdb/rhythmdb.h>

#include "semblance.h"

G_BEGIN_DECLS

#define RB_TYPE_SEMBLANCE_FEED (rb_semblance_feed_get_type ())
G_DECLARE_FINAL_TYPE (RBSemblanceFeed, rb_semblance_feed, RB, SEMBLANCE_FEED,
                      GObject)

void _rb_semblance_feed_register_type (GTypeModule *module);

/* Disposing the feed cancels its runs and calls. */
RBSemblanceFeed *rb_semblance_feed_new (RhythmDB *db,
                                        SemblanceLibrary *library,
                                        SemblanceIndexer *indexer);

G_END_DECLS
