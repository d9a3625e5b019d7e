/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Rhythmbox plugin: the "similar tracks" sidebar, the library fed to
 * Semblance's indexer, live analysis of the playing track, and "More like
 * this" playlists. The work is done by libsemblance and the widgets of
 * ui/; this file wires them to Rhythmbox.
 */
#include <glib/gi18n-lib.h>
#include <libpeas-gtk/peas-gtk.h>
#include <lib/rb-debug.h>
#include <plugins/rb-plugin-macros.h>
#include <shell/rb-application.h>
#include <shell/rb-playlist-manager.h>
#include <shell/rb-shell.h>
#include <shell/rb-shell-player.h>
#include <sources/rb-static-playlist-source.h>
#include <widgets/rb-entry-view.h>

#include "rb-semblance-feeder.h"
#include "rb-semblance-live.h"
#include "semblance.h"
#include "semblance-preferences.h"
#include "semblance-sidebar.h"
#include "semblance-ui.h"

#define SCHEMA "org.gnome.rhythmbox.plugins.semblance"
#define ACTION "semblance-more-like-this"

#define RB_TYPE_SEMBLANCE_PLUGIN (rb_semblance_plugin_get_type ())
G_DECLARE_FINAL_TYPE (RBSemblancePlugin, rb_semblance_plugin, RB,
                      SEMBLANCE_PLUGIN, PeasExtensionBase)

struct _RBSemblancePlugin
{
  PeasExtensionBase parent;

  RBShell *shell;
  RBShellPlayer *shell_player;
  RhythmDB *db;
  RBPlaylistManager *playlists;
  GSettings *settings;

  SemblanceLibrary *library;
  GtkWidget *sidebar;
  RbSemblanceLive *live;
  RbSemblanceFeeder *feeder;
  GCancellable *cancellable;    /* the plugin's own tasks */
  GCancellable *opening;        /* the library being opened */
  GPtrArray *to_feed;           /* song entries waiting for the feeder */
  guint feed_idle, reopen_timeout;
  GSimpleAction *action;

  gboolean playing;
  gboolean user_paused;
  char *playing_uri;
  double playing_duration;
  /* The track the element's messages are about: it changes with the
   * first message of the next track, not when Rhythmbox says it plays. */
  char *analysed_uri;
  double analysed_duration;
  gboolean last_was_final;
  double last_seconds;
};

static void peas_gtk_configurable_iface_init
    (PeasGtkConfigurableInterface *iface);

RB_DEFINE_PLUGIN (RB_TYPE_SEMBLANCE_PLUGIN, RBSemblancePlugin,
    rb_semblance_plugin,
    (G_IMPLEMENT_INTERFACE_DYNAMIC (PEAS_GTK_TYPE_CONFIGURABLE,
        peas_gtk_configurable_iface_init)))

static void
rb_semblance_plugin_init (RBSemblancePlugin *self)
{
}

static GtkWidget *
impl_create_configure_widget (PeasGtkConfigurable *configurable)
{
  g_autoptr (GSettings) settings = g_settings_new (SCHEMA);

  return semblance_preferences_new (settings);
}

static void
peas_gtk_configurable_iface_init (PeasGtkConfigurableInterface *iface)
{
  iface->create_configure_widget = impl_create_configure_widget;
}

/* The model file the settings name, or NULL for the default one. */
static char *
model_path (RBSemblancePlugin *self)
{
  g_autofree char *path = g_settings_get_string (self->settings,
      "model-file");

  return path && *path ? g_steal_pointer (&path) : NULL;
}

static gboolean
is_local_song (RhythmDBEntry *entry)
{
  return rhythmdb_entry_get_entry_type (entry) == RHYTHMDB_ENTRY_TYPE_SONG
      && g_str_has_prefix (rhythmdb_entry_get_string (entry,
              RHYTHMDB_PROP_LOCATION), "file://");
}

/* The analysis waits while music plays if the user wants it so, and
 * whenever the user paused it. */
static void
update_pause (RBSemblancePlugin *self)
{
  gboolean paused = self->user_paused || (self->playing
      && g_settings_get_boolean (self->settings, "pause-during-playback"));

  if (self->feeder)
    rb_semblance_feeder_set_paused (self->feeder, paused);
}

static void
on_index_progress (guint done, guint total, gboolean running, gpointer data)
{
  RBSemblancePlugin *self = data;

  semblance_sidebar_set_progress (SEMBLANCE_SIDEBAR (self->sidebar), done,
      total, running);
  if (!running)
    semblance_sidebar_refresh (SEMBLANCE_SIDEBAR (self->sidebar));
}

static void
feed_entry (RhythmDBEntry *entry, RBSemblancePlugin *self)
{
  g_autofree char *path = NULL;

  if (!self->feeder || !is_local_song (entry))
    return;
  path = g_filename_from_uri (rhythmdb_entry_get_string (entry,
          RHYTHMDB_PROP_LOCATION), NULL, NULL);
  if (path)
    rb_semblance_feeder_add (self->feeder, path);
}

static void
on_entry_added (RhythmDB *db, RhythmDBEntry *entry, RBSemblancePlugin *self)
{
  feed_entry (entry, self);
}

/* A large library is fed a slice per main loop iteration, so that the
 * window stays responsive. */
#define FEED_SLICE 2000

static gboolean
feed_some (gpointer data)
{
  RBSemblancePlugin *self = data;
  guint n = MIN (FEED_SLICE, self->to_feed->len), i;

  for (i = 0; i < n; i++)
    feed_entry (self->to_feed->pdata[self->to_feed->len - 1 - i], self);
  g_ptr_array_set_size (self->to_feed, self->to_feed->len - n);
  if (self->to_feed->len > 0)
    return G_SOURCE_CONTINUE;
  self->feed_idle = 0;
  return G_SOURCE_REMOVE;
}

static void
collect_entry (RhythmDBEntry *entry, GPtrArray *entries)
{
  g_ptr_array_add (entries, rhythmdb_entry_ref (entry));
}

static void
feed_library (RBSemblancePlugin *self)
{
  rhythmdb_entry_foreach_by_type (self->db, RHYTHMDB_ENTRY_TYPE_SONG,
      (RhythmDBEntryForeachFunc) collect_entry, self->to_feed);
  if (!self->feed_idle && self->to_feed->len > 0)
    self->feed_idle = g_idle_add (feed_some, self);
}

static void
forget (GTask *task, gpointer source, gpointer data, GCancellable *cancel)
{
  semblance_library_forget (source, data);
  g_task_return_boolean (task, TRUE);
}

static void
on_entry_deleted (RhythmDB *db, RhythmDBEntry *entry,
                  RBSemblancePlugin *self)
{
  g_autoptr (GTask) task = NULL;

  if (!self->library || !is_local_song (entry))
    return;
  task = g_task_new (self->library, self->cancellable, NULL, NULL);
  g_task_set_task_data (task, rhythmdb_entry_dup_string (entry,
          RHYTHMDB_PROP_LOCATION), g_free);
  g_task_run_in_thread (task, forget);
}

typedef struct
{
  char *uri;
  SemblanceProperties props;
} Analysis;

static void
analysis_free (Analysis *a)
{
  g_free (a->uri);
  g_free (a);
}

static void
store_analysis (GTask *task, gpointer source, gpointer data,
                GCancellable *cancel)
{
  Analysis *a = data;
  GError *error = NULL;

  if (semblance_library_store_analysis (source, a->uri, &a->props, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
analysis_stored (GObject *source, GAsyncResult *result, gpointer data)
{
  Analysis *a = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  RBSemblancePlugin *self;

  if (!g_task_propagate_boolean (G_TASK (result), &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_warning ("Semblance: the analysis of %s was not stored: %s", a->uri,
          error->message);
    return;
  }
  self = data;
  rb_debug ("stored the live analysis of %s (%.1f s)", a->uri,
      a->props.seconds);
  semblance_sidebar_refresh (SEMBLANCE_SIDEBAR (self->sidebar));
}

static void
on_live (const SemblanceProperties *props, const float *vector, guint dim,
         gboolean final, gpointer data)
{
  RBSemblancePlugin *self = data;

  if (!self->library || dim != semblance_library_get_dim (self->library))
    return;
  if (!self->analysed_uri || self->last_was_final
      || props->seconds < self->last_seconds) {
    g_free (self->analysed_uri);
    self->analysed_uri = g_strdup (self->playing_uri);
    self->analysed_duration = self->playing_duration;
  }
  self->last_was_final = final;
  self->last_seconds = props->seconds;
  if (!self->analysed_uri)
    return;

  if (!final) {
    if (g_strcmp0 (self->analysed_uri, self->playing_uri) == 0)
      semblance_sidebar_set_live_vector (SEMBLANCE_SIDEBAR (self->sidebar),
          vector);
    return;
  }
  /* Only a track heard to the end describes the whole file; the indexer
   * analyses the others. */
  if (g_str_has_prefix (self->analysed_uri, "file://")
      && self->analysed_duration > 0
      && props->seconds >= 0.9 * self->analysed_duration) {
    g_autoptr (GTask) task = g_task_new (self->library, self->cancellable,
        analysis_stored, self);
    Analysis *a = g_new0 (Analysis, 1);

    a->uri = g_strdup (self->analysed_uri);
    a->props = *props;
    g_task_set_task_data (task, a, (GDestroyNotify) analysis_free);
    g_task_run_in_thread (task, store_analysis);
  }
}

static void
on_song_changed (RBShellPlayer *player, RhythmDBEntry *entry,
                 RBSemblancePlugin *self)
{
  const char *title = NULL, *artist = NULL;

  g_clear_pointer (&self->playing_uri, g_free);
  self->playing_duration = 0;
  if (entry) {
    self->playing_uri = rhythmdb_entry_dup_string (entry,
        RHYTHMDB_PROP_LOCATION);
    self->playing_duration = rhythmdb_entry_get_ulong (entry,
        RHYTHMDB_PROP_DURATION);
    title = rhythmdb_entry_get_string (entry, RHYTHMDB_PROP_TITLE);
    artist = rhythmdb_entry_get_string (entry, RHYTHMDB_PROP_ARTIST);
  }
  semblance_sidebar_set_playing (SEMBLANCE_SIDEBAR (self->sidebar),
      self->playing_uri, title, artist);
}

static void
on_playing_changed (RBShellPlayer *player, gboolean playing,
                    RBSemblancePlugin *self)
{
  self->playing = playing;
  update_pause (self);
}

static void
on_sidebar_state (SemblanceSidebar *sidebar, GParamSpec *pspec,
                  RBSemblancePlugin *self)
{
  g_auto (GStrv) uris = NULL;

  if (semblance_sidebar_get_state (sidebar) !=
      SEMBLANCE_SIDEBAR_SHOWING_RESULTS)
    return;
  uris = semblance_sidebar_dup_result_uris (sidebar);
  rb_debug ("%u similar tracks for %s, first %s", g_strv_length (uris),
      self->playing_uri, uris[0]);
}

static void
on_paused (SemblanceSidebar *sidebar, GParamSpec *pspec,
           RBSemblancePlugin *self)
{
  g_object_get (sidebar, "paused", &self->user_paused, NULL);
  update_pause (self);
}

static void
on_play (SemblanceSidebar *sidebar, const char *uri, RBSemblancePlugin *self)
{
  RhythmDBEntry *entry = rhythmdb_entry_lookup_by_location (self->db, uri);

  if (entry)
    rb_shell_player_play_entry (self->shell_player, entry, NULL);
  else
    rb_shell_load_uri (self->shell, uri, TRUE, NULL);
}

static void
on_enqueue (SemblanceSidebar *sidebar, const char *uri,
            RBSemblancePlugin *self)
{
  g_autoptr (GObject) queue = NULL;

  g_object_get (self->shell, "queue-source", &queue, NULL);
  rb_static_playlist_source_add_location (RB_STATIC_PLAYLIST_SOURCE (queue),
      uri, -1);
}

static void
on_add_to_playlist (SemblanceSidebar *sidebar, const char *uri,
                    const char *name, RBSemblancePlugin *self)
{
  g_autoptr (GError) error = NULL;

  if (!rb_playlist_manager_add_to_playlist (self->playlists, name, uri,
          &error))
    g_warning ("Semblance: %s was not added to “%s”: %s", uri, name,
        error->message);
}

/* The playlists tracks can be added to (not the automatic ones), read each
 * time the sidebar's menu opens. */
static void
update_playlist_names (RBSemblancePlugin *self)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GList *playlists = rb_playlist_manager_get_playlists (self->playlists), *l;

  for (l = playlists; l; l = l->next) {
    char *name = NULL;

    if (!RB_IS_STATIC_PLAYLIST_SOURCE (l->data))
      continue;
    g_object_get (l->data, "name", &name, NULL);
    g_ptr_array_add (names, name);
  }
  g_list_free (playlists);
  g_ptr_array_add (names, NULL);
  semblance_sidebar_set_playlists (SEMBLANCE_SIDEBAR (self->sidebar),
      (const char *const *) names->pdata);
}

typedef struct
{
  GStrv seeds;
  char *name;
  SemblanceQueryOptions options;
  gboolean queue;
} MoreLikeThis;

static void
more_like_this_free (MoreLikeThis *m)
{
  g_strfreev (m->seeds);
  g_free (m->name);
  g_free (m);
}

static void
find_more (GTask *task, gpointer source, gpointer data, GCancellable *cancel)
{
  MoreLikeThis *m = data;
  GError *error = NULL;
  GPtrArray *found = semblance_library_similar (source,
      (const char *const *) m->seeds, &m->options, &error);

  if (found)
    g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static void
found_more (GObject *source, GAsyncResult *result, gpointer data)
{
  MoreLikeThis *m = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = g_task_propagate_pointer (G_TASK (result),
      &error);
  g_autoptr (GObject) queue = NULL;
  RBSemblancePlugin *self;
  RBSource *target;
  guint i;

  if (!found) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_warning ("Semblance: no playlist like %s: %s", m->name,
          error->message);
    return;
  }
  self = data;
  if (m->queue) {
    g_object_get (self->shell, "queue-source", &queue, NULL);
    target = RB_SOURCE (queue);
  } else {
    /* TRANSLATORS: the name of a playlist; %s is a track's title */
    g_autofree char *name = g_strdup_printf (_("More like %s"), m->name);

    target = rb_playlist_manager_new_playlist (self->playlists, name, FALSE);
  }
  for (i = 0; m->seeds[i]; i++)
    rb_static_playlist_source_add_location (RB_STATIC_PLAYLIST_SOURCE
        (target), m->seeds[i], -1);
  for (i = 0; i < found->len; i++)
    rb_static_playlist_source_add_location (RB_STATIC_PLAYLIST_SOURCE
        (target), ((SemblanceResult *) found->pdata[i])->uri, -1);
  rb_debug ("\"more like this\" for %s: %u tracks", m->seeds[0],
      found->len);
}

/* A playlist (or the queue) of the seeds and the tracks most like them. */
static void
more_like_this (RBSemblancePlugin *self, GStrv seeds, const char *name)
{
  g_autoptr (GTask) task = NULL;
  MoreLikeThis *m;

  if (!self->library || !seeds || !seeds[0]) {
    g_strfreev (seeds);
    return;
  }
  m = g_new0 (MoreLikeThis, 1);
  m->seeds = seeds;
  m->name = g_strdup (name);
  semblance_query_options_init (&m->options);
  m->options.n = g_settings_get_uint (self->settings, "playlist-length");
  m->options.exclude_seed_albums = g_settings_get_boolean (self->settings,
      "exclude-same-album");
  m->options.max_per_artist = g_settings_get_uint (self->settings,
      "max-per-artist");
  m->options.max_per_album = 1;
  m->queue = g_settings_get_enum (self->settings,
      "more-like-this-target") == 1;
  task = g_task_new (self->library, self->cancellable, found_more, self);
  g_task_set_task_data (task, m, (GDestroyNotify) more_like_this_free);
  g_task_run_in_thread (task, find_more);
}

static char *
entry_name (RhythmDB *db, const char *uri)
{
  RhythmDBEntry *entry = rhythmdb_entry_lookup_by_location (db, uri);

  return semblance_ui_track_name (uri, entry ?
      rhythmdb_entry_get_string (entry, RHYTHMDB_PROP_TITLE) : NULL);
}

static void
on_more_like_this (SemblanceSidebar *sidebar, const char *uri,
                   RBSemblancePlugin *self)
{
  g_autofree char *name = entry_name (self->db, uri);
  GStrv seeds = g_new0 (char *, 2);

  seeds[0] = g_strdup (uri);
  more_like_this (self, seeds, name);
}

/* "More like this" in the track list's menu: the selected tracks. */
static void
on_action (GSimpleAction *action, GVariant *param, RBSemblancePlugin *self)
{
  g_autoptr (GObject) page = NULL;
  g_autoptr (GPtrArray) seeds = g_ptr_array_new ();
  g_autofree char *name = NULL;
  RBEntryView *view;
  GList *selected, *l;

  g_object_get (self->shell, "selected-page", &page, NULL);
  if (!RB_IS_SOURCE (page)
      || !(view = rb_source_get_entry_view (RB_SOURCE (page))))
    return;
  selected = rb_entry_view_get_selected_entries (view);
  for (l = selected; l; l = l->next)
    if (is_local_song (l->data))
      g_ptr_array_add (seeds, rhythmdb_entry_dup_string (l->data,
              RHYTHMDB_PROP_LOCATION));
  g_list_free_full (selected, (GDestroyNotify) rhythmdb_entry_unref);
  if (seeds->len == 0)
    return;
  name = entry_name (self->db, seeds->pdata[0]);
  g_ptr_array_add (seeds, NULL);
  more_like_this (self, (GStrv) g_ptr_array_free (g_steal_pointer (&seeds),
          FALSE), name);
}

static void
start_feeder (RBSemblancePlugin *self)
{
  g_clear_pointer (&self->feeder, rb_semblance_feeder_free);
  self->feeder = rb_semblance_feeder_new (semblance_library_get_database
      (self->library), semblance_library_get_model_path (self->library),
      g_settings_get_uint (self->settings, "analysis-threads"),
      on_index_progress, self);
  update_pause (self);
  feed_library (self);
}

static void
open_library (GTask *task, gpointer source, gpointer data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  SemblanceLibrary *library = semblance_library_new (NULL, data, &error);

  if (library)
    g_task_return_pointer (task, library, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
library_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceLibrary) library = g_task_propagate_pointer
      (G_TASK (result), &error);
  g_autoptr (GObject) player = NULL;
  RBSemblancePlugin *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = data;
  g_clear_object (&self->opening);
  if (!library) {
    g_warning ("Semblance: %s", error->message);
    return;
  }
  self->library = g_steal_pointer (&library);
  semblance_sidebar_set_library (SEMBLANCE_SIDEBAR (self->sidebar),
      self->library);
  start_feeder (self);
  g_object_get (self->shell_player, "player", &player, NULL);
  self->live = rb_semblance_live_new (player,
      semblance_library_get_model_path (self->library), on_live, self,
      &error);
  if (!self->live)
    g_warning ("Semblance: no live analysis: %s", error->message);
}

/* The library, the analysis and the element follow the model setting. The
 * model and the database are opened on a worker thread. */
static void
open_engine (RBSemblancePlugin *self)
{
  g_autoptr (GTask) task = NULL;

  g_cancellable_cancel (self->opening);
  g_clear_object (&self->opening);
  g_clear_pointer (&self->live, rb_semblance_live_free);
  g_clear_pointer (&self->feeder, rb_semblance_feeder_free);
  g_clear_object (&self->library);
  semblance_sidebar_set_library (SEMBLANCE_SIDEBAR (self->sidebar), NULL);

  self->opening = g_cancellable_new ();
  task = g_task_new (NULL, self->opening, library_opened, self);
  g_task_set_task_data (task, model_path (self), g_free);
  g_task_run_in_thread (task, open_library);
}

static gboolean
reopen (gpointer data)
{
  RBSemblancePlugin *self = data;

  self->reopen_timeout = 0;
  open_engine (self);
  return G_SOURCE_REMOVE;
}

static void
on_setting_changed (GSettings *settings, const char *key,
                    RBSemblancePlugin *self)
{
  /* A spin button writes every step: act once it rests. */
  if (g_str_equal (key, "model-file")) {
    g_clear_handle_id (&self->reopen_timeout, g_source_remove);
    self->reopen_timeout = g_timeout_add (500, reopen, self);
  } else if (g_str_equal (key, "analysis-threads") && self->library) {
    start_feeder (self);
  } else if (g_str_equal (key, "pause-during-playback")) {
    update_pause (self);
  }
}

static void
impl_activate (PeasActivatable *activatable)
{
  RBSemblancePlugin *self = RB_SEMBLANCE_PLUGIN (activatable);
  GApplication *app = g_application_get_default ();
  g_autoptr (GMenuItem) item = NULL;
  gint64 start = g_get_monotonic_time ();

  semblance_ui_init_i18n ();
  g_object_get (self, "object", &self->shell, NULL);
  g_object_get (self->shell, "shell-player", &self->shell_player, "db",
      &self->db, "playlist-manager", &self->playlists, NULL);
  self->settings = g_settings_new (SCHEMA);
  self->cancellable = g_cancellable_new ();
  self->to_feed = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rhythmdb_entry_unref);

  self->sidebar = g_object_ref_sink (semblance_sidebar_new ());
  g_settings_bind (self->settings, "n-suggestions", self->sidebar,
      "n-results", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "exclude-same-album", self->sidebar,
      "exclude-same-album", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "max-per-artist", self->sidebar,
      "max-per-artist", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "paused", self->sidebar, "paused",
      G_SETTINGS_BIND_DEFAULT);
  g_object_get (self->sidebar, "paused", &self->user_paused, NULL);
  g_signal_connect (self->sidebar, "notify::paused", G_CALLBACK (on_paused),
      self);
  g_signal_connect (self->sidebar, "notify::state",
      G_CALLBACK (on_sidebar_state), self);
  g_signal_connect (self->sidebar, "play", G_CALLBACK (on_play), self);
  g_signal_connect (self->sidebar, "enqueue", G_CALLBACK (on_enqueue), self);
  g_signal_connect (self->sidebar, "add-to-playlist",
      G_CALLBACK (on_add_to_playlist), self);
  g_signal_connect (self->sidebar, "more-like-this",
      G_CALLBACK (on_more_like_this), self);
  rb_shell_add_widget (self->shell, self->sidebar,
      RB_SHELL_UI_LOCATION_RIGHT_SIDEBAR, TRUE, TRUE);

  g_signal_connect_object (self->settings, "changed",
      G_CALLBACK (on_setting_changed), self, 0);
  g_signal_connect_object (self->db, "entry-added",
      G_CALLBACK (on_entry_added), self, 0);
  g_signal_connect_object (self->db, "entry-deleted",
      G_CALLBACK (on_entry_deleted), self, 0);
  g_signal_connect_object (self->shell_player, "playing-song-changed",
      G_CALLBACK (on_song_changed), self, 0);
  g_signal_connect_object (self->shell_player, "playing-changed",
      G_CALLBACK (on_playing_changed), self, 0);
  g_signal_connect_swapped (self->sidebar, "menu-opening",
      G_CALLBACK (update_playlist_names), self);

  self->action = g_simple_action_new (ACTION, NULL);
  g_signal_connect (self->action, "activate", G_CALLBACK (on_action), self);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (self->action));
  item = g_menu_item_new (_("More Like This"), "app." ACTION);
  rb_application_add_plugin_menu_item (RB_APPLICATION (app), "browser-popup",
      ACTION, item);

  open_engine (self);
  {
    RhythmDBEntry *entry = rb_shell_player_get_playing_entry
        (self->shell_player);

    rb_shell_player_get_playing (self->shell_player, &self->playing, NULL);
    on_song_changed (self->shell_player, entry, self);
    if (entry)
      rhythmdb_entry_unref (entry);
  }
  rb_debug ("activated in %.1f ms", (g_get_monotonic_time () - start) / 1e3);
}

static void
impl_deactivate (PeasActivatable *activatable)
{
  RBSemblancePlugin *self = RB_SEMBLANCE_PLUGIN (activatable);
  GApplication *app = g_application_get_default ();
  gint64 start = g_get_monotonic_time ();

  rb_application_remove_plugin_menu_item (RB_APPLICATION (app),
      "browser-popup", ACTION);
  g_action_map_remove_action (G_ACTION_MAP (app), ACTION);
  g_clear_object (&self->action);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->opening);
  g_clear_object (&self->opening);
  g_clear_handle_id (&self->reopen_timeout, g_source_remove);
  g_clear_handle_id (&self->feed_idle, g_source_remove);
  g_clear_pointer (&self->to_feed, g_ptr_array_unref);
  g_clear_pointer (&self->live, rb_semblance_live_free);
  g_clear_pointer (&self->feeder, rb_semblance_feeder_free);

  g_signal_handlers_disconnect_by_data (self->settings, self);
  g_signal_handlers_disconnect_by_data (self->db, self);
  g_signal_handlers_disconnect_by_data (self->shell_player, self);
  g_signal_handlers_disconnect_by_data (self->sidebar, self);
  g_settings_unbind (self->sidebar, "n-results");
  g_settings_unbind (self->sidebar, "exclude-same-album");
  g_settings_unbind (self->sidebar, "max-per-artist");
  g_settings_unbind (self->sidebar, "paused");
  rb_shell_remove_widget (self->shell, self->sidebar,
      RB_SHELL_UI_LOCATION_RIGHT_SIDEBAR);
  gtk_widget_destroy (self->sidebar);
  g_clear_object (&self->sidebar);

  g_clear_object (&self->library);
  g_clear_object (&self->settings);
  g_clear_object (&self->playlists);
  g_clear_object (&self->db);
  g_clear_object (&self->shell_player);
  g_clear_object (&self->shell);
  g_clear_pointer (&self->playing_uri, g_free);
  g_clear_pointer (&self->analysed_uri, g_free);
  self->last_was_final = FALSE;
  self->last_seconds = 0;
  rb_debug ("deactivated in %.1f ms", (g_get_monotonic_time () - start) /
      1e3);
}

G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  /* Threads of the plugin (the index run, queries) may outlive its
   * deactivation: the module stays loaded. */
  g_type_module_use (G_TYPE_MODULE (module));
  rb_semblance_plugin_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, PEAS_TYPE_ACTIVATABLE,
      RB_TYPE_SEMBLANCE_PLUGIN);
  peas_object_module_register_extension_type (module,
      PEAS_GTK_TYPE_CONFIGURABLE, RB_TYPE_SEMBLANCE_PLUGIN);
}
