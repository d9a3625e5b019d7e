/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rb-semblance-live.h"

#include <backends/rb-player-gst-filter.h>
#include <gst/gst.h>
#include <string.h>

/* Often enough that a track not yet indexed gets suggestions soon. */
#define INTERVAL (5 * GST_SECOND)

struct _RbSemblanceLive
{
  GObject *player;
  GstElement *element;
  GstBus *bus;
  gulong bus_handler, notify_handler;
  RbSemblanceLiveFunc func;
  gpointer data;
};

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

static void
on_message (GstBus *bus, GstMessage *message, RbSemblanceLive *self)
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
  if (props.layout_version != SEMBLANCE_LAYOUT_VERSION || dim == 0
      || read_floats (s, "features", props.vector, SEMBLANCE_FEATURE_DIM)
      != SEMBLANCE_FEATURE_DIM)
    return;
  self->func (&props, vector, dim, final, self->data);
}

/* Rhythmbox makes its pipeline, and its bus, when it first plays; the
 * bus emits every message as a signal (its watch calls
 * gst_bus_async_signal_func), which is where element messages arrive. */
static void
on_bus_changed (GObject *player, GParamSpec *pspec, RbSemblanceLive *self)
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

RbSemblanceLive *
rb_semblance_live_new (GObject *player, const char *model,
                       RbSemblanceLiveFunc func, gpointer data,
                       GError **error)
{
  RbSemblanceLive *self;
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
  g_object_set (element, "interval", (guint64) INTERVAL, "model", model,
      NULL);

  self = g_new0 (RbSemblanceLive, 1);
  self->player = g_object_ref (player);
  self->element = gst_object_ref_sink (element);
  self->func = func;
  self->data = data;
  self->notify_handler = g_signal_connect (player, "notify::bus",
      G_CALLBACK (on_bus_changed), self);
  on_bus_changed (player, NULL, self);
  rb_player_gst_filter_add_filter (RB_PLAYER_GST_FILTER (player),
      self->element);
  return self;
}

void
rb_semblance_live_free (RbSemblanceLive *self)
{
  gboolean waiting;
  gint refs;

  if (!self)
    return;
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
  gst_object_unref (self->element);
  g_object_unref (self->player);
  g_free (self);
}
