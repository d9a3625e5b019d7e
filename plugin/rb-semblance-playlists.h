/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Playlists and the play queue: "More like this", a playlist named after
 * a track (or the play queue) of the seed tracks and the tracks of the
 * library most like them, made with the options the user set; and the
 * sidebar's "Add to Play Queue" and "Add to Playlist".
 */
#pragma once

#include <shell/rb-shell.h>

#include "semblance.h"

G_BEGIN_DECLS

/**
 * rb_semblance_more_like_this:
 * @library: (nullable): the library, or NULL while it opens (nothing
 *   happens then)
 * @seeds: the tracks' URIs (NULL-terminated); the playlist is named after
 *   the first
 * @settings: the plugin's settings: playlist length, same album, tracks
 *   per artist, playlist or queue
 * @cancellable: cancelling it drops the playlist not made yet
 *
 * Asks the library, then fills the playlist on the main thread.
 */
void rb_semblance_more_like_this (RBShell *shell, SemblanceLibrary *library,
                                  GSettings *settings,
                                  const char *const *seeds,
                                  GCancellable *cancellable);

/* The same for the local songs selected in the track list shown. */
void rb_semblance_more_like_selection (RBShell *shell,
                                       SemblanceLibrary *library,
                                       GSettings *settings,
                                       GCancellable *cancellable);

/* Plays @uri: its entry in the library, or the file as it is. */
void rb_semblance_play (RBShell *shell, const char *uri);

/* Adds @uri to the play queue. */
void rb_semblance_enqueue (RBShell *shell, const char *uri);

/* Adds @uri to the static playlist @name; a warning when it cannot. */
void rb_semblance_add_to_playlist (RBShell *shell, const char *name,
                                   const char *uri);

/* The names of the playlists a track can be added to (not the automatic
 * ones). */
GStrv rb_semblance_playlist_names (RBShell *shell);

G_END_DECLS
