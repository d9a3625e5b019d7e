/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * semblanced, the session's Semblance service, as the plugin uses it: when
 * it runs on the session bus and indexes the plugin's database, the plugin
 * hands Rhythmbox's library to the service's indexer (org.gnome.Semblance1
 * Index, Pause, Resume) and shows the service's progress in the sidebar,
 * instead of running an indexer of its own: two players never index the
 * same database twice. The name is watched, never activated: without a
 * running service the plugin keeps its own engine.
 *
 * Property "running": whether the service runs and serves the database.
 */
#pragma once

#include <rhythmdb/rhythmdb.h>

#include "semblance.h"
#include "semblance-sidebar.h"

G_BEGIN_DECLS

#define RB_TYPE_SEMBLANCE_SERVICE (rb_semblance_service_get_type ())
G_DECLARE_FINAL_TYPE (RBSemblanceService, rb_semblance_service, RB,
                      SEMBLANCE_SERVICE, GObject)

void _rb_semblance_service_register_type (GTypeModule *module);

/* Watches the bus for the service, for the database of @library, and
 * shows its progress in @sidebar. */
RBSemblanceService *rb_semblance_service_new (SemblanceLibrary *library,
                                              SemblanceSidebar *sidebar);

gboolean rb_semblance_service_get_running (RBSemblanceService *self);

/* While the service runs, feeds it Rhythmbox's local songs, now and as
 * they are added (songs deleted are forgotten through @library). FALSE,
 * doing nothing, when the service does not run. */
gboolean rb_semblance_service_feed (RBSemblanceService *self, RhythmDB *db);

/* Stops feeding. */
void rb_semblance_service_stop_feed (RBSemblanceService *self);

/* Holds the service's analysis, or lets it go on. */
void rb_semblance_service_set_paused (RBSemblanceService *self,
                                      gboolean paused);

G_END_DECLS
