/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rb-semblance-live.h"

#include <backends/rb-player-gst-filter.h>
#include <gst/gst.h>
#include <lib/rb-debug.h>
#include <string.h>

/* Often enough that a track not yet indexed gets suggestions soon. */
#define INTERVAL (5 * GST_SECOND)
/* A track heard this far describes the whole file. */
#define WHOLE_TRACK 0.9

struct _RBSemblanceLive
{
  GObject parent;

  GObject *player;
  SemblanceLibrary *library;
  GstElement *element;
  GstBus *bus;
  gulong bus_handler, notify_handler;
  GCancellable *cancellable;

  char *playing_uri;
  double playing_duration;
  /* The track the element's messages are about: it changes with the
   * first message of the next track, not when the player says it plays. */
  char *analysed_uri;
  double analysed_duration;
  gboolean last_was_final;
  double last_seconds;
};

enum
{
  SIGNAL_VECTOR,
  SIGNAL_STORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_DYNAMIC_TYPE (RBSemblanceLive, rb_semblance_live, G_TYPE_OBJECT)

/* Reads a GstValueArray of floats into @out (@n values at most). */
static guint
read_floats (const GstStructure *s, const char *field, float *out, guint n)
{
  const GValue *array = gst_structure_get_value (s, field);
  guint i, len;

  if (!array || !GST_VALUE_HOLDS_ARRAY (array))
    return 0;
  len = MIN (gst_value_array_get_size (array), n);
  for (i = 0; i < len; i++)
    out[i] = g_value_get_float (gst_value_array_get_value (array, i));
  return len;
}

typedef struct
{
  RBSemblanceLive *self;        /* valid unless the call was cancelled */
  char *uri;
} Storing;

static void
on_stored (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  Storing *storing = data;
  g_autofree char *uri = storing->uri;
  RBSemblanceLive *self = storing->self;

  g_free (storing);
  if (!semblance_library_store_analysis_finish (SEMBLANCE_LIBRARY (source),
          result, &error)) {
    /* Cancelled: the live analysis is gone (disposal cancels). */
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_warning ("Semblance: the analysis of %s was not stored: %s", uri,
          error->message);
    return;
  }
  rb_debug ("stored the live analysis of %s", uri);
  g_signal_emit (self, signals[SIGNAL_STORED], 0, uri);
}

static void
on_analysis (RBSemblanceLive *self, const SemblanceProperties *props,
             const float *vector, gboolean final)
{
  /* A new track, or the same one again from its start. */
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
      g_signal_emit (self, signals[SIGNAL_VECTOR], 0, vector);
    return;
  }
  /* Only a track heard to the end describes the whole file; the indexer
   * analyses the others. */
  if (g_str_has_prefix (self->analysed_uri, "file://")
      && self->analysed_duration > 0
      && props->seconds >= WHOLE_TRACK * self->analysed_duration) {
    Storing *storing = g_new (Storing, 1);

    storing->self = self;
    storing->uri = g_strdup (self->analysed_uri);
    semblance_library_store_analysis_async (self->library,
        self->analysed_uri, props, self->cancellable, on_stored, storing);
  }
}

static void
on_message (GstBus *bus, GstMessage *message, RBSemblanceLive *self)
{
  const GstStructure *s = gst_message_get_structure (message);
  SemblanceProperties props = { 0 };
  float vector[SEMBLANCE_MODEL_MAX_UNITS * SEMBLANCE_N_GROUPS];
  gboolean final = FALSE;
  guint dim;

  if (GST_MESSAGE_SRC (message) != GST_OBJECT (self->element)
      || !gst_structure_has_name (s, "semblance"))
    return;
  gst_structure_get_boolean (s, "final", &final);
  gst_structure_get_double (s, "seconds", &props.seconds);
  gst_structure_get_uint (s, "layout-version", &props.layout_version);
  dim = read_floats (s, "property-vector", vector, G_N_ELEMENTS (vector));
  if (props.layout_version != SEMBLANCE_LAYOUT_VERSION
      || dim != semblance_library_get_dim (self->library)
      || read_floats (s, "features", props.vector, SEMBLANCE_FEATURE_DIM)
      != SEMBLANCE_FEATURE_DIM)
    return;
  on_analysis (self, &props, vector, final);
}

/* Rhythmbox makes its pipeline, and its bus, when it first plays; the
 * bus emits every message as a signal (its watch calls
 * gst_bus_async_signal_func), which is where element messages arrive. */
static void
on_bus_changed (GObject *player, GParamSpec *pspec, RBSemblanceLive *self)
{
  g_autoptr (GstBus) bus = NULL;

  g_object_get (player, "bus", &bus, NULL);
  if (bus == self->bus)
    return;
  if (self->bus) {
    g_signal_handler_disconnect (self->bus, self->bus_handler);
    g_clear_object (&self->bus);
  }
  if (bus) {
    self->bus = g_object_ref (bus);
    self->bus_handler = g_signal_connect (bus, "message::element",
        G_CALLBACK (on_message), self);
  }
}

void
rb_semblance_live_set_playing (RBSemblanceLive *self, const char *uri,
                               double duration)
{
  g_free (self->playing_uri);
  self->playing_uri = g_strdup (uri);
  self->playing_duration = duration;
}

RBSemblanceLive *
rb_semblance_live_new (GObject *player, SemblanceLibrary *library,
                       GError **error)
{
  RBSemblanceLive *self;
  GstElement *element;

  if (!RB_IS_PLAYER_GST_FILTER (player)
      || !g_object_class_find_property (G_OBJECT_GET_CLASS (player), "bus")) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
        "this player backend takes no filters");
    return NULL;
  }
  element = gst_element_factory_make ("semblance", "semblance-live");
  /* Installed in a prefix GStreamer does not search (a per-user install):
   * the element's own module, where the build put it. */
  if (!element && gst_plugin_load_file (SEMBLANCE_GST_PLUGIN, NULL))
    element = gst_element_factory_make ("semblance", "semblance-live");
  if (!element) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "the GStreamer element “semblance” is not installed (looked for %s)",
        SEMBLANCE_GST_PLUGIN);
    return NULL;
  }
  g_object_set (element, "interval", (guint64) INTERVAL, "model",
      semblance_library_get_model_path (library), NULL);

  self = g_object_new (RB_TYPE_SEMBLANCE_LIVE, NULL);
  self->player = g_object_ref (player);
  self->library = g_object_ref (library);
  self->element = gst_object_ref_sink (element);
  self->cancellable = g_cancellable_new ();
  self->notify_handler = g_signal_connect (player, "notify::bus",
      G_CALLBACK (on_bus_changed), self);
  on_bus_changed (player, NULL, self);
  rb_player_gst_filter_add_filter (RB_PLAYER_GST_FILTER (player),
      self->element);
  return self;
}

static void
rb_semblance_live_dispose (GObject *object)
{
  RBSemblanceLive *self = RB_SEMBLANCE_LIVE (object);
  gboolean waiting;
  gint refs;

  if (self->element) {
    /* Without a bus there is no pipeline yet: the filter was only queued,
     * and removing it, Rhythmbox 3.4 takes a reference it never drops (it
     * expects a floating element). Give that one back. Once inserted, the
     * removal may finish later, from a pad probe: no counting then. */
    waiting = self->bus == NULL;
    g_signal_handler_disconnect (self->player, self->notify_handler);
    if (self->bus) {
      g_signal_handler_disconnect (self->bus, self->bus_handler);
      g_clear_object (&self->bus);
    }
    refs = GST_OBJECT_REFCOUNT_VALUE (self->element);
    rb_player_gst_filter_remove_filter (RB_PLAYER_GST_FILTER (self->player),
        self->element);
    if (waiting && GST_OBJECT_REFCOUNT_VALUE (self->element) > refs)
      gst_object_unref (self->element);
    g_clear_pointer (&self->element, gst_object_unref);
  }
  /* An analysis being stored goes on; its answer is not wanted. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->library);
  g_clear_object (&self->player);
  G_OBJECT_CLASS (rb_semblance_live_parent_class)->dispose (object);
}

static void
rb_semblance_live_finalize (GObject *object)
{
  RBSemblanceLive *self = RB_SEMBLANCE_LIVE (object);

  g_clear_object (&self->cancellable);
  g_free (self->playing_uri);
  g_free (self->analysed_uri);
  G_OBJECT_CLASS (rb_semblance_live_parent_class)->finalize (object);
}

static void
rb_semblance_live_class_init (RBSemblanceLiveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rb_semblance_live_dispose;
  object_class->finalize = rb_semblance_live_finalize;
  signals[SIGNAL_VECTOR] = g_signal_new ("vector", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
      G_TYPE_POINTER);
  signals[SIGNAL_STORED] = g_signal_new ("stored", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
rb_semblance_live_class_finalize (RBSemblanceLiveClass *klass)
{
}

static void
rb_semblance_live_init (RBSemblanceLive *self)
{
}

void
_rb_semblance_live_register_type (GTypeModule *module)
{
  rb_semblance_live_register_type (module);
}
