/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Rhythmbox plugin: the "similar tracks" sidebar, Rhythmbox's library
 * fed to Semblance's indexer, live analysis of the playing track, and "More
 * like this" playlists. The engine's asynchronous calls do the work, the
 * widgets of ui/ show it, rb-semblance-live.c and rb-semblance-playlists.c
 * tie them to the player; this file activates them, binds the settings and
 * connects the signals.
 */
#include <glib/gi18n-lib.h>
#include <libpeas-gtk/peas-gtk.h>
#include <lib/rb-debug.h>
#include <plugins/rb-plugin-macros.h>
#include <shell/rb-application.h>
#include <shell/rb-shell.h>
#include <shell/rb-shell-player.h>
#include <widgets/rb-entry-view.h>

#include "rb-semblance-feed.h"
#include "rb-semblance-live.h"
#include "rb-semblance-playlists.h"
#include "rb-semblance-service.h"
#include "semblance.h"
#include "semblance-pane-width.h"
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
  GSettings *settings;
  GtkWidget *sidebar;
  GSimpleAction *action;

  /* The engine, opened again when the model setting changes; cancelling
   * drops every answer still to come. */
  GCancellable *cancellable;
  SemblanceLibrary *library;
  SemblanceIndexer *indexer;
  RBSemblanceFeed *feed;
  RBSemblanceService *service;  /* semblanced's indexer, when it runs */
  RBSemblanceLive *live;
  guint reopen_timeout;

  gboolean playing, user_paused;
  char *playing_uri;
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

/* The analysis waits while music plays if the user wants it so, and
 * whenever the user paused it. */
static void
update_pause (RBSemblancePlugin *self)
{
  gboolean paused = self->user_paused || (self->playing
      && g_settings_get_boolean (self->settings, "pause-during-playback"));

  if (self->indexer)
    semblance_indexer_set_paused (self->indexer, paused);
  if (self->service)
    rb_semblance_service_set_paused (self->service, paused);
}

static void
on_index_progress (SemblanceIndexer *indexer, RBSemblancePlugin *self)
{
  semblance_sidebar_set_progress (SEMBLANCE_SIDEBAR (self->sidebar),
      semblance_indexer_get_done (indexer),
      semblance_indexer_get_total (indexer), TRUE);
}

static void
on_index_running (SemblanceIndexer *indexer, GParamSpec *pspec,
                  RBSemblancePlugin *self)
{
  if (semblance_indexer_get_running (indexer))
    return;
  semblance_sidebar_set_progress (SEMBLANCE_SIDEBAR (self->sidebar), 0, 0,
      FALSE);
  semblance_sidebar_refresh (SEMBLANCE_SIDEBAR (self->sidebar));
}

static void
on_live_vector (RBSemblanceLive *live, const float *vector,
                RBSemblancePlugin *self)
{
  semblance_sidebar_set_live_vector (SEMBLANCE_SIDEBAR (self->sidebar),
      vector);
}

static void
on_live_stored (RBSemblanceLive *live, const char *uri,
                RBSemblancePlugin *self)
{
  semblance_sidebar_refresh (SEMBLANCE_SIDEBAR (self->sidebar));
}

static void
on_song_changed (RBShellPlayer *player, RhythmDBEntry *entry,
                 RBSemblancePlugin *self)
{
  const char *title = NULL, *artist = NULL;
  double duration = 0;

  g_clear_pointer (&self->playing_uri, g_free);
  if (entry) {
    self->playing_uri = rhythmdb_entry_dup_string (entry,
        RHYTHMDB_PROP_LOCATION);
    duration = rhythmdb_entry_get_ulong (entry, RHYTHMDB_PROP_DURATION);
    title = rhythmdb_entry_get_string (entry, RHYTHMDB_PROP_TITLE);
    artist = rhythmdb_entry_get_string (entry, RHYTHMDB_PROP_ARTIST);
  }
  if (self->live)
    rb_semblance_live_set_playing (self->live, self->playing_uri, duration);
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
  rb_semblance_play (self->shell, uri);
}

static void
on_enqueue (SemblanceSidebar *sidebar, const char *uri,
            RBSemblancePlugin *self)
{
  rb_semblance_enqueue (self->shell, uri);
}

static void
on_add_to_playlist (SemblanceSidebar *sidebar, const char *uri,
                    const char *name, RBSemblancePlugin *self)
{
  rb_semblance_add_to_playlist (self->shell, name, uri);
}

static void
on_menu_opening (SemblanceSidebar *sidebar, RBSemblancePlugin *self)
{
  g_auto (GStrv) names = rb_semblance_playlist_names (self->shell);

  semblance_sidebar_set_playlists (sidebar, (const char *const *) names);
}

static void
on_more_like_this (SemblanceSidebar *sidebar, const char *uri,
                   RBSemblancePlugin *self)
{
  const char *seeds[] = { uri, NULL };

  rb_semblance_more_like_this (self->shell, self->library, self->settings,
      seeds, self->cancellable);
}

/* "More like this" in the track list's menu. */
static void
on_action (GSimpleAction *action, GVariant *param, RBSemblancePlugin *self)
{
  rb_semblance_more_like_selection (self->shell, self->library,
      self->settings, self->cancellable);
}

static void
stop_indexer (RBSemblancePlugin *self)
{
  if (self->service)
    rb_semblance_service_stop_feed (self->service);
  g_clear_object (&self->feed);
  if (self->indexer) {
    g_signal_handlers_disconnect_by_data (self->indexer, self);
    g_clear_object (&self->indexer);
  }
}

/* The indexer, for the library's database and model, fed the whole
 * library. */
static void
start_indexer (RBSemblancePlugin *self)
{
  stop_indexer (self);
  /* One indexer per database: semblanced's, when it runs. */
  if (self->service && rb_semblance_service_feed (self->service, self->db))
    return;
  self->indexer = semblance_indexer_new (semblance_library_get_database
      (self->library), semblance_library_get_model_path (self->library),
      g_settings_get_uint (self->settings, "analysis-threads"));
  g_signal_connect (self->indexer, "progress",
      G_CALLBACK (on_index_progress), self);
  g_signal_connect (self->indexer, "notify::running",
      G_CALLBACK (on_index_running), self);
  update_pause (self);
  self->feed = rb_semblance_feed_new (self->db, self->library,
      self->indexer);
}

static void
stop_engine (RBSemblancePlugin *self)
{
  /* Runs and queries under way stop on their own and call back with
   * CANCELLED, which touches nothing of the plugin. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->live) {
    g_signal_handlers_disconnect_by_data (self->live, self);
    g_clear_object (&self->live);
  }
  stop_indexer (self);
  if (self->service) {
    g_signal_handlers_disconnect_by_data (self->service, self);
    g_clear_object (&self->service);
  }
  g_clear_object (&self->library);
  semblance_sidebar_set_library (SEMBLANCE_SIDEBAR (self->sidebar), NULL);
}

static void
on_library_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceLibrary) library = semblance_library_new_finish
      (result, &error);
  g_autoptr (GObject) player = NULL;
  RBSemblancePlugin *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = data;
  if (!library) {
    g_warning ("Semblance: %s", error->message);
    semblance_sidebar_set_library_error (SEMBLANCE_SIDEBAR (self->sidebar),
        error);
    return;
  }
  self->library = g_steal_pointer (&library);
  semblance_sidebar_set_library (SEMBLANCE_SIDEBAR (self->sidebar),
      self->library);
  self->service = rb_semblance_service_new (self->library,
      SEMBLANCE_SIDEBAR (self->sidebar));
  g_signal_connect_swapped (self->service, "notify::running",
      G_CALLBACK (start_indexer), self);
  update_pause (self);
  start_indexer (self);
  g_object_get (self->shell_player, "player", &player, NULL);
  self->live = rb_semblance_live_new (player, self->library, &error);
  if (!self->live) {
    g_warning ("Semblance: no live analysis: %s", error->message);
    return;
  }
  g_signal_connect (self->live, "vector", G_CALLBACK (on_live_vector), self);
  g_signal_connect (self->live, "stored", G_CALLBACK (on_live_stored), self);
  {
    RhythmDBEntry *entry = rb_shell_player_get_playing_entry
        (self->shell_player);

    on_song_changed (self->shell_player, entry, self);
    if (entry)
      rhythmdb_entry_unref (entry);
  }
}

/* The library, the indexer and the live analysis follow the model
 * setting; the library opens on a worker thread. */
static void
open_engine (RBSemblancePlugin *self)
{
  g_autofree char *model = g_settings_get_string (self->settings,
      "model-file");

  stop_engine (self);
  self->cancellable = g_cancellable_new ();
  semblance_library_new_async (NULL, model[0] ? model : NULL,
      self->cancellable, on_library_opened, self);
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
    start_indexer (self);
  } else if (g_str_equal (key, "pause-during-playback")) {
    update_pause (self);
  }
}

static void
add_sidebar (RBSemblancePlugin *self)
{
  static const char *const bound[][2] = {
    { "n-suggestions", "n-results" },
    { "exclude-same-album", "exclude-same-album" },
    { "max-per-artist", "max-per-artist" },
    { "max-per-album", "max-per-album" },
    { "min-duration", "min-duration" },
  };
  guint i;

  self->sidebar = g_object_ref_sink (semblance_sidebar_new ());
  for (i = 0; i < G_N_ELEMENTS (bound); i++)
    g_settings_bind (self->settings, bound[i][0], self->sidebar, bound[i][1],
        G_SETTINGS_BIND_GET);
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
  g_signal_connect (self->sidebar, "menu-opening",
      G_CALLBACK (on_menu_opening), self);
  rb_shell_add_widget (self->shell, self->sidebar,
      RB_SHELL_UI_LOCATION_RIGHT_SIDEBAR, TRUE, TRUE);
  semblance_pane_width_keep (self->sidebar, self->settings, "sidebar-width");
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
      &self->db, NULL);
  self->settings = g_settings_new (SCHEMA);
  add_sidebar (self);

  g_signal_connect_object (self->settings, "changed",
      G_CALLBACK (on_setting_changed), self, 0);
  g_signal_connect_object (self->shell_player, "playing-song-changed",
      G_CALLBACK (on_song_changed), self, 0);
  g_signal_connect_object (self->shell_player, "playing-changed",
      G_CALLBACK (on_playing_changed), self, 0);

  self->action = g_simple_action_new (ACTION, NULL);
  g_signal_connect (self->action, "activate", G_CALLBACK (on_action), self);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (self->action));
  item = g_menu_item_new (_("More Like This"), "app." ACTION);
  rb_application_add_plugin_menu_item (RB_APPLICATION (app), "browser-popup",
      ACTION, item);

  rb_shell_player_get_playing (self->shell_player, &self->playing, NULL);
  open_engine (self);
  {
    RhythmDBEntry *entry = rb_shell_player_get_playing_entry
        (self->shell_player);

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
  g_clear_handle_id (&self->reopen_timeout, g_source_remove);
  stop_engine (self);

  g_signal_handlers_disconnect_by_data (self->settings, self);
  g_signal_handlers_disconnect_by_data (self->shell_player, self);
  g_signal_handlers_disconnect_by_data (self->sidebar, self);
  g_settings_unbind (self->sidebar, "n-results");
  g_settings_unbind (self->sidebar, "exclude-same-album");
  g_settings_unbind (self->sidebar, "max-per-artist");
  g_settings_unbind (self->sidebar, "max-per-album");
  g_settings_unbind (self->sidebar, "min-duration");
  g_settings_unbind (self->sidebar, "paused");
  rb_shell_remove_widget (self->shell, self->sidebar,
      RB_SHELL_UI_LOCATION_RIGHT_SIDEBAR);
  gtk_widget_destroy (self->sidebar);
  g_clear_object (&self->sidebar);

  g_clear_object (&self->settings);
  g_clear_object (&self->db);
  g_clear_object (&self->shell_player);
  g_clear_object (&self->shell);
  g_clear_pointer (&self->playing_uri, g_free);
  rb_debug ("deactivated in %.1f ms", (g_get_monotonic_time () - start) /
      1e3);
}

G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  rb_semblance_plugin_register_type (G_TYPE_MODULE (module));
  _rb_semblance_feed_register_type (G_TYPE_MODULE (module));
  _rb_semblance_live_register_type (G_TYPE_MODULE (module));
  _rb_semblance_service_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, PEAS_TYPE_ACTIVATABLE,
      RB_TYPE_SEMBLANCE_PLUGIN);
  peas_object_module_register_extension_type (module,
      PEAS_GTK_TYPE_CONFIGURABLE, RB_TYPE_SEMBLANCE_PLUGIN);
}
