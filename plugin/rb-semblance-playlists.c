/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rb-semblance-playlists.h"

#include <glib/gi18n-lib.h>
#include <lib/rb-debug.h>
#include <shell/rb-playlist-manager.h>
#include <shell/rb-shell-player.h>
#include <sources/rb-static-playlist-source.h>
#include <widgets/rb-entry-view.h>

#include "semblance-ui.h"

typedef struct
{
  RBShell *shell;
  GStrv seeds;
  char *name;
  gboolean queue;
} Request;

static void
request_free (Request *r)
{
  g_object_unref (r->shell);
  g_strfreev (r->seeds);
  g_free (r->name);
  g_free (r);
}

static void
on_found (GObject *source, GAsyncResult *result, gpointer data)
{
  Request *r = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = semblance_library_similar_finish
      (SEMBLANCE_LIBRARY (source), result, &error);
  g_autoptr (GObject) queue = NULL, playlists = NULL;
  RBSource *target;
  guint i;

  if (!found) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_warning ("Semblance: no playlist like %s: %s", r->name,
          error->message);
    request_free (r);
    return;
  }
  if (r->queue) {
    g_object_get (r->shell, "queue-source", &queue, NULL);
    target = RB_SOURCE (queue);
  } else {
    /* TRANSLATORS: the name of a playlist; %s is a track's title */
    g_autofree char *title = g_strdup_printf (_("More like %s"), r->name);

    g_object_get (r->shell, "playlist-manager", &playlists, NULL);
    target = rb_playlist_manager_new_playlist (RB_PLAYLIST_MANAGER
        (playlists), title, FALSE);
  }
  for (i = 0; r->seeds[i]; i++)
    rb_static_playlist_source_add_location (RB_STATIC_PLAYLIST_SOURCE
        (target), r->seeds[i], -1);
  for (i = 0; i < found->len; i++)
    rb_static_playlist_source_add_location (RB_STATIC_PLAYLIST_SOURCE
        (target), ((SemblanceResult *) found->pdata[i])->uri, -1);
  rb_debug ("\"more like this\" for %s: %u tracks", r->seeds[0], found->len);
  request_free (r);
}

/* The track's title as Rhythmbox knows it, else from its file name. */
static char *
track_name (RBShell *shell, const char *uri)
{
  g_autoptr (GObject) db = NULL;
  RhythmDBEntry *entry;

  g_object_get (shell, "db", &db, NULL);
  entry = rhythmdb_entry_lookup_by_location (RHYTHMDB (db), uri);
  return semblance_ui_track_name (uri, entry ?
      rhythmdb_entry_get_string (entry, RHYTHMDB_PROP_TITLE) : NULL);
}

void
rb_semblance_more_like_this (RBShell *shell, SemblanceLibrary *library,
                             GSettings *settings, const char *const *seeds,
                             GCancellable *cancellable)
{
  SemblanceQueryOptions options;
  Request *r;

  if (!library || !seeds || !seeds[0])
    return;
  semblance_query_options_init (&options);
  options.n = g_settings_get_uint (settings, "playlist-length");
  options.exclude_seed_albums = g_settings_get_boolean (settings,
      "exclude-same-album");
  options.max_per_artist = g_settings_get_uint (settings, "max-per-artist");
  options.max_per_album = 1;
  options.min_duration = g_settings_get_uint (settings, "min-duration");

  r = g_new0 (Request, 1);
  r->shell = g_object_ref (shell);
  r->seeds = g_strdupv ((char **) seeds);
  r->name = track_name (shell, seeds[0]);
  r->queue = g_settings_get_enum (settings, "more-like-this-target") == 1;
  semblance_library_similar_async (library, seeds, &options, cancellable,
      on_found, r);
}

void
rb_semblance_enqueue (RBShell *shell, const char *uri)
{
  g_autoptr (GObject) queue = NULL;

  g_object_get (shell, "queue-source", &queue, NULL);
  rb_static_playlist_source_add_location (RB_STATIC_PLAYLIST_SOURCE (queue),
      uri, -1);
}

void
rb_semblance_add_to_playlist (RBShell *shell, const char *name,
                              const char *uri)
{
  g_autoptr (GObject) playlists = NULL;
  g_autoptr (GError) error = NULL;

  g_object_get (shell, "playlist-manager", &playlists, NULL);
  if (!rb_playlist_manager_add_to_playlist (RB_PLAYLIST_MANAGER (playlists),
          name, uri, &error))
    g_warning ("Semblance: %s was not added to “%s”: %s", uri, name,
        error->message);
}

GStrv
rb_semblance_playlist_names (RBShell *shell)
{
  g_autoptr (GObject) manager = NULL;
  GPtrArray *names = g_ptr_array_new ();
  GList *playlists, *l;

  g_object_get (shell, "playlist-manager", &manager, NULL);
  playlists = rb_playlist_manager_get_playlists (RB_PLAYLIST_MANAGER
      (manager));
  for (l = playlists; l; l = l->next) {
    char *name = NULL;

    if (!RB_IS_STATIC_PLAYLIST_SOURCE (l->data))
      continue;
    g_object_get (l->data, "name", &name, NULL);
    g_ptr_array_add (names, name);
  }
  g_list_free (playlists);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (names, FALSE);
}

void
rb_semblance_more_like_selection (RBShell *shell, SemblanceLibrary *library,
                                  GSettings *settings,
                                  GCancellable *cancellable)
{
  g_autoptr (GObject) page = NULL;
  g_autoptr (GPtrArray) seeds = g_ptr_array_new_with_free_func (g_free);
  RBEntryView *view;
  GList *selected, *l;

  g_object_get (shell, "selected-page", &page, NULL);
  if (!RB_IS_SOURCE (page)
      || !(view = rb_source_get_entry_view (RB_SOURCE (page))))
    return;
  selected = rb_entry_view_get_selected_entries (view);
  for (l = selected; l; l = l->next) {
    const char *uri = rhythmdb_entry_get_string (l->data,
        RHYTHMDB_PROP_LOCATION);

    if (rhythmdb_entry_get_entry_type (l->data) == RHYTHMDB_ENTRY_TYPE_SONG
        && g_str_has_prefix (uri, "file://"))
      g_ptr_array_add (seeds, g_strdup (uri));
  }
  g_list_free_full (selected, (GDestroyNotify) rhythmdb_entry_unref);
  g_ptr_array_add (seeds, NULL);
  rb_semblance_more_like_this (shell, library, settings,
      (const char *const *) seeds->pdata, cancellable);
}

void
rb_semblance_play (RBShell *shell, const char *uri)
{
  g_autoptr (GObject) db = NULL, player = NULL;
  RhythmDBEntry *entry;

  g_object_get (shell, "db", &db, "shell-player", &player, NULL);
  entry = rhythmdb_entry_lookup_by_location (RHYTHMDB (db), uri);
  if (entry)
    rb_shell_player_play_entry (RB_SHELL_PLAYER (player), entry, NULL);
  else
    rb_shell_load_uri (shell, uri, TRUE, NULL);
}
