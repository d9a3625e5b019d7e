/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The "similar tracks" sidebar: the playing track and a few words for it,
 * the tracks of the library most like it (title, artist, a similarity bar,
 * the property groups that make each close), a "More like this" button, a
 * "Describe music…" search, which with "Like the playing track" (the
 * "like-playing" property) looks for the description among the tracks
 * most like the playing one, and the indexer's progress with pause. It
 * knows no player: a player places it and answers its signals.
 *
 * Queries run on a worker thread (SemblanceLibrary's _async calls); a new
 * request cancels the one before.
 *
 * Signals (each with the track's URI):
 *   "play" — a result was double-clicked or "Play" chosen;
 *   "enqueue" — "Add to Play Queue" chosen;
 *   "add-to-playlist" (uri, playlist name) — a playlist chosen;
 *   "more-like-this" — the button, for the playing track;
 *   "menu-opening" (no arguments) — a result's context menu is about to
 *   open: the moment to call semblance_sidebar_set_playlists().
 * Actions, in the "sidebar" group on the widget: "play", "enqueue" (the
 * selected result) and "add-to-playlist" (a playlist name), the same as the
 * context menu.
 */
#pragma once

#include <gtk/gtk.h>

#include "semblance-library.h"

G_BEGIN_DECLS

#define SEMBLANCE_TYPE_SIDEBAR (semblance_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (SemblanceSidebar, semblance_sidebar, SEMBLANCE, SIDEBAR,
                      GtkBox)

/* What the list area shows instead of results, or SHOWING_RESULTS. */
typedef enum
{
  SEMBLANCE_SIDEBAR_SHOWING_RESULTS,
  SEMBLANCE_SIDEBAR_NO_INDEX,       /* no library yet */
  SEMBLANCE_SIDEBAR_NOTHING_PLAYING,
  SEMBLANCE_SIDEBAR_NOT_LOCAL,      /* a radio stream or a podcast */
  SEMBLANCE_SIDEBAR_NOT_ANALYSED,   /* the track is waiting for analysis */
  SEMBLANCE_SIDEBAR_NO_RESULTS,
  SEMBLANCE_SIDEBAR_QUERY_FAILED,   /* a search, or the index, failed */
  SEMBLANCE_SIDEBAR_BUSY,           /* a query is running */
  SEMBLANCE_SIDEBAR_LIBRARY_FAILED, /* the library could not be opened */
} SemblanceSidebarState;

GType semblance_sidebar_state_get_type (void);

GtkWidget *semblance_sidebar_new (void);

/* The library to query; NULL shows the "no index yet" state. */
void semblance_sidebar_set_library (SemblanceSidebar *self,
                                    SemblanceLibrary *library);

/* The library could not be opened (a model file that is not there, a
 * damaged database): shows why, in @error's words, instead of the "no
 * index yet" state, and forgets the library set before. */
void semblance_sidebar_set_library_error (SemblanceSidebar *self,
                                          const GError *error);

/* The playing track: NULL when nothing plays. @title and @artist are shown
 * as given (the player knows them best). */
void semblance_sidebar_set_playing (SemblanceSidebar *self, const char *uri,
                                    const char *title, const char *artist);

/* The playing track's property vector, measured while it plays: used when
 * the index does not have the track yet. */
void semblance_sidebar_set_live_vector (SemblanceSidebar *self,
                                        const float *vector);

/* Queries again (the index changed). */
void semblance_sidebar_refresh (SemblanceSidebar *self);

/* The indexer's progress; the bar hides when @running is FALSE. */
void semblance_sidebar_set_progress (SemblanceSidebar *self, guint done,
                                     guint total, gboolean running);

/* The playlists offered by "Add to Playlist". */
void semblance_sidebar_set_playlists (SemblanceSidebar *self,
                                      const char *const *names);

SemblanceSidebarState semblance_sidebar_get_state (SemblanceSidebar *self);

/* The results shown, as URIs, best first. */
GStrv semblance_sidebar_dup_result_uris (SemblanceSidebar *self);

/* Query options from the properties "n-results", "exclude-same-album",
 * "max-per-artist", "max-per-album" and "min-duration". */
void semblance_sidebar_get_query_options (SemblanceSidebar *self,
                                          SemblanceQueryOptions *options);

G_END_DECLS
