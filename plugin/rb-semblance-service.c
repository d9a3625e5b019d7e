/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rb-semblance-service.h"

#include <lib/rb-debug.h>

#define NAME "org.gnome.Semblance1"
#define PATH "/org/gnome/Semblance1"
#define IFACE "org.gnome.Semblance1"
/* Songs handed over per call, and per main loop iteration. */
#define FEED_SLICE 2000

struct _RBSemblanceService
{
  GObject parent;

  SemblanceLibrary *library;
  SemblanceSidebar *sidebar;
  guint watch;
  GCancellable *cancellable;    /* the proxy's making and the calls */
  GDBusProxy *proxy;            /* while the service serves the database */
  gboolean paused;

  RhythmDB *db;                 /* while feeding */
  GCancellable *feed_cancellable;
  GPtrArray *waiting;           /* song URIs not handed over yet */
  guint idle;
};

enum
{
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_DYNAMIC_TYPE (RBSemblanceService, rb_semblance_service,
                       G_TYPE_OBJECT)

static void
call_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY
      (source), result, &error);

  if (!reply && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Semblance: the service: %s", error->message);
}

static void
send_pause (RBSemblanceService *self)
{
  g_dbus_proxy_call (self->proxy, self->paused ? "Pause" : "Resume", NULL,
      G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, call_done, NULL);
}

void
rb_semblance_service_set_paused (RBSemblanceService *self, gboolean paused)
{
  if (self->paused == !!paused)
    return;
  self->paused = !!paused;
  if (self->proxy)
    send_pause (self);
}

gboolean
rb_semblance_service_get_running (RBSemblanceService *self)
{
  return self->proxy != NULL;
}

/* A batch the service refused because a song's file is gone: again,
 * with the files that are there. */
typedef struct
{
  RBSemblanceService *self;
  GStrv uris;
  gboolean retried;
} Batch;

static void send_batch (Batch *batch);

static void
batch_free (Batch *batch)
{
  g_strfreev (batch->uris);
  g_free (batch);
}

static void
on_indexed (GObject *source, GAsyncResult *result, gpointer data)
{
  Batch *batch = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY
      (source), result, &error);
  g_autofree char *remote = NULL;
  g_autoptr (GStrvBuilder) there = NULL;
  guint i;

  if (reply || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    batch_free (batch);
    return;
  }
  remote = g_dbus_error_get_remote_error (error);
  if (batch->retried || g_strcmp0 (remote,
          "org.gnome.Semblance1.Error.NotFound") != 0) {
    g_warning ("Semblance: the service does not index the library: %s",
        error->message);
    batch_free (batch);
    return;
  }
  there = g_strv_builder_new ();
  for (i = 0; batch->uris[i]; i++) {
    g_autofree char *path = g_filename_from_uri (batch->uris[i], NULL, NULL);

    if (path && g_file_test (path, G_FILE_TEST_EXISTS))
      g_strv_builder_add (there, batch->uris[i]);
  }
  g_strfreev (batch->uris);
  batch->uris = g_strv_builder_end (there);
  batch->retried = TRUE;
  send_batch (batch);
}

static void
send_batch (Batch *batch)
{
  RBSemblanceService *self = batch->self;

  if (!batch->uris[0] || !self->proxy) {
    batch_free (batch);
    return;
  }
  g_dbus_proxy_call (self->proxy, "Index", g_variant_new ("(^as)",
          batch->uris), G_DBUS_CALL_FLAGS_NONE, -1, self->feed_cancellable,
      on_indexed, batch);
}

static gboolean
feed_some (gpointer data)
{
  RBSemblanceService *self = data;
  guint n = MIN (FEED_SLICE, self->waiting->len), i;
  Batch *batch = g_new0 (Batch, 1);

  batch->self = self;
  batch->uris = g_new0 (char *, n + 1);
  for (i = 0; i < n; i++)
    batch->uris[i] = g_steal_pointer
        (&self->waiting->pdata[self->waiting->len - 1 - i]);
  g_ptr_array_set_size (self->waiting, self->waiting->len - n);
  send_batch (batch);
  if (self->waiting->len > 0)
    return G_SOURCE_CONTINUE;
  self->idle = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
is_local_song (RhythmDBEntry *entry)
{
  return rhythmdb_entry_get_entry_type (entry) == RHYTHMDB_ENTRY_TYPE_SONG
      && g_str_has_prefix (rhythmdb_entry_get_string (entry,
              RHYTHMDB_PROP_LOCATION), "file://");
}

static void
queue_entry (RhythmDBEntry *entry, RBSemblanceService *self)
{
  /* A hidden song's file is missing. */
  if (!is_local_song (entry) || rhythmdb_entry_get_boolean (entry,
          RHYTHMDB_PROP_HIDDEN))
    return;
  g_ptr_array_add (self->waiting, rhythmdb_entry_dup_string (entry,
          RHYTHMDB_PROP_LOCATION));
  if (!self->idle)
    self->idle = g_idle_add (feed_some, self);
}

static void
on_entry_added (RhythmDB *db, RhythmDBEntry *entry, RBSemblanceService *self)
{
  queue_entry (entry, self);
}

static void
on_entry_deleted (RhythmDB *db, RhythmDBEntry *entry,
                  RBSemblanceService *self)
{
  if (is_local_song (entry))
    semblance_library_forget_async (self->library, rhythmdb_entry_get_string
        (entry, RHYTHMDB_PROP_LOCATION), self->feed_cancellable, NULL, NULL);
}

void
rb_semblance_service_stop_feed (RBSemblanceService *self)
{
  if (!self->db)
    return;
  g_cancellable_cancel (self->feed_cancellable);
  g_clear_object (&self->feed_cancellable);
  g_clear_handle_id (&self->idle, g_source_remove);
  g_ptr_array_set_size (self->waiting, 0);
  g_signal_handlers_disconnect_by_data (self->db, self);
  g_clear_object (&self->db);
}

gboolean
rb_semblance_service_feed (RBSemblanceService *self, RhythmDB *db)
{
  rb_semblance_service_stop_feed (self);
  if (!self->proxy)
    return FALSE;
  rb_debug ("the library goes to semblanced's indexer");
  self->db = g_object_ref (db);
  self->feed_cancellable = g_cancellable_new ();
  g_signal_connect (db, "entry-added", G_CALLBACK (on_entry_added), self);
  g_signal_connect (db, "entry-deleted", G_CALLBACK (on_entry_deleted),
      self);
  rhythmdb_entry_foreach_by_type (db, RHYTHMDB_ENTRY_TYPE_SONG,
      (RhythmDBEntryForeachFunc) queue_entry, self);
  return TRUE;
}

static void
on_signal (GDBusProxy *proxy, const char *sender, const char *signal,
           GVariant *params, RBSemblanceService *self)
{
  guint done, total;

  if (g_str_equal (signal, "Progress")) {
    g_variant_get (params, "(uu&s)", &done, &total, NULL);
    semblance_sidebar_set_progress (self->sidebar, done, total, TRUE);
  } else if (g_str_equal (signal, "IndexFinished")) {
    semblance_sidebar_set_progress (self->sidebar, 0, 0, FALSE);
    semblance_sidebar_refresh (self->sidebar);
  }
}

static void
set_proxy (RBSemblanceService *self, GDBusProxy *proxy)
{
  if (self->proxy == proxy)
    return;
  if (self->proxy)
    g_signal_handlers_disconnect_by_data (self->proxy, self);
  g_clear_object (&self->proxy);
  self->proxy = proxy;
  if (proxy) {
    g_signal_connect (proxy, "g-signal", G_CALLBACK (on_signal), self);
    if (self->paused)
      send_pause (self);
  } else {
    rb_semblance_service_stop_feed (self);
    semblance_sidebar_set_progress (self->sidebar, 0, 0, FALSE);
  }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNNING]);
}

static gboolean
same_file (const char *a, const char *b)
{
  g_autofree char *ca = g_canonicalize_filename (a, NULL);
  g_autofree char *cb = g_canonicalize_filename (b, NULL);

  return g_str_equal (ca, cb);
}

static void
on_proxy (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusProxy) proxy = g_dbus_proxy_new_finish (result, &error);
  g_autoptr (GVariant) database = NULL, model = NULL;
  RBSemblanceService *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = data;
  if (!proxy) {
    g_warning ("Semblance: the service: %s", error->message);
    return;
  }
  /* Another database is another index, and another model other
   * vectors: that indexer is not this one's. */
  database = g_dbus_proxy_get_cached_property (proxy, "Database");
  model = g_dbus_proxy_get_cached_property (proxy, "Model");
  if (!database || !model || !same_file (g_variant_get_string (database,
              NULL), semblance_library_get_database (self->library))
      || !same_file (g_variant_get_string (model, NULL),
          semblance_library_get_model_path (self->library))) {
    rb_debug ("semblanced indexes %s with %s, not %s with %s: the plugin "
        "indexes itself", database ? g_variant_get_string (database, NULL)
        : "nothing", model ? g_variant_get_string (model, NULL) : "nothing",
        semblance_library_get_database (self->library),
        semblance_library_get_model_path (self->library));
    return;
  }
  set_proxy (self, g_steal_pointer (&proxy));
}

static void
on_appeared (GDBusConnection *connection, const char *name,
             const char *owner, gpointer data)
{
  RBSemblanceService *self = data;

  g_dbus_proxy_new (connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, NULL,
      owner, PATH, IFACE, self->cancellable, on_proxy, self);
}

static void
on_vanished (GDBusConnection *connection, const char *name, gpointer data)
{
  RBSemblanceService *self = data;

  /* A proxy still being made is for the service that went. */
  g_cancellable_cancel (self->cancellable);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_proxy (self, NULL);
}

RBSemblanceService *
rb_semblance_service_new (SemblanceLibrary *library,
                          SemblanceSidebar *sidebar)
{
  RBSemblanceService *self = g_object_new (RB_TYPE_SEMBLANCE_SERVICE, NULL);

  self->library = g_object_ref (library);
  self->sidebar = g_object_ref (sidebar);
  self->watch = g_bus_watch_name (G_BUS_TYPE_SESSION, NAME,
      G_BUS_NAME_WATCHER_FLAGS_NONE, on_appeared, on_vanished, self, NULL);
  return self;
}

static void
rb_semblance_service_get_property (GObject *object, guint prop_id,
                                   GValue *value, GParamSpec *pspec)
{
  switch (prop_id) {
    case PROP_RUNNING:
      g_value_set_boolean (value, RB_SEMBLANCE_SERVICE (object)->proxy
          != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
rb_semblance_service_dispose (GObject *object)
{
  RBSemblanceService *self = RB_SEMBLANCE_SERVICE (object);

  rb_semblance_service_stop_feed (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->watch, g_bus_unwatch_name);
  if (self->proxy)
    g_signal_handlers_disconnect_by_data (self->proxy, self);
  g_clear_object (&self->proxy);
  g_clear_object (&self->library);
  g_clear_object (&self->sidebar);
  G_OBJECT_CLASS (rb_semblance_service_parent_class)->dispose (object);
}

static void
rb_semblance_service_finalize (GObject *object)
{
  RBSemblanceService *self = RB_SEMBLANCE_SERVICE (object);

  g_object_unref (self->cancellable);
  g_ptr_array_unref (self->waiting);
  G_OBJECT_CLASS (rb_semblance_service_parent_class)->finalize (object);
}

static void
rb_semblance_service_class_init (RBSemblanceServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = rb_semblance_service_get_property;
  object_class->dispose = rb_semblance_service_dispose;
  object_class->finalize = rb_semblance_service_finalize;
  props[PROP_RUNNING] = g_param_spec_boolean ("running", "Running",
      "Whether semblanced runs and indexes the plugin's database", FALSE,
      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
rb_semblance_service_class_finalize (RBSemblanceServiceClass *klass)
{
}

static void
rb_semblance_service_init (RBSemblanceService *self)
{
  self->cancellable = g_cancellable_new ();
  self->waiting = g_ptr_array_new_with_free_func (g_free);
}

void
_rb_semblance_service_register_type (GTypeModule *module)
{
  rb_semblance_service_register_type (module);
}
