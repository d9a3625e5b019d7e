/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-pane-width.h"

typedef struct
{
  GtkWidget *sidebar;
  GSettings *settings;
  char *key;
  GtkPaned *paned;
  gint paned_width;             /* when the position was last set or seen */
  gint handle;
  gboolean placed;
  guint idle;
} Keeper;

static void
keeper_free (Keeper *k)
{
  g_clear_handle_id (&k->idle, g_source_remove);
  if (k->paned) {
    g_signal_handlers_disconnect_by_data (k->paned, k);
    g_object_remove_weak_pointer (G_OBJECT (k->paned), (gpointer *) &k->paned);
  }
  g_object_unref (k->settings);
  g_free (k->key);
  g_free (k);
}

/* The handle's width as drawn: what the pane's width leaves beside its
 * two children (the theme's may differ from the "handle-size" it tells). */
static gint
handle_width (GtkPaned *paned)
{
  GtkWidget *second = gtk_paned_get_child2 (paned);
  gint handle = gtk_widget_get_allocated_width (GTK_WIDGET (paned))
      - gtk_paned_get_position (paned)
      - (second ? gtk_widget_get_allocated_width (second) : 0);

  if (handle < 0 || handle > 64)
    gtk_widget_style_get (GTK_WIDGET (paned), "handle-size", &handle, NULL);
  return handle;
}

/* The position that gives the sidebar @width in a pane @total wide. */
static gint
position_for (gint total, gint handle, guint width)
{
  gint room = total - handle;

  return MAX (room - (gint) MIN (width, (guint) room / 2), room / 2);
}

static gboolean
place (gpointer data)
{
  Keeper *k = data;
  gint total;

  k->idle = 0;
  if (!k->paned)
    return G_SOURCE_REMOVE;
  total = gtk_widget_get_allocated_width (GTK_WIDGET (k->paned));
  k->paned_width = total;
  k->handle = handle_width (k->paned);
  k->placed = TRUE;
  gtk_paned_set_position (k->paned, position_for (total, k->handle,
          g_settings_get_uint (k->settings, k->key)));
  return G_SOURCE_REMOVE;
}

/* A position that moves while the pane keeps its width is the user's
 * drag; one that moves with the pane's width is the window's resize. */
static void
on_position (GtkPaned *paned, GParamSpec *pspec, Keeper *k)
{
  gint total = gtk_widget_get_allocated_width (GTK_WIDGET (paned));
  gint width = total - k->handle - gtk_paned_get_position (paned);

  if (!k->placed || k->idle || total != k->paned_width || width <= 0)
    return;
  if ((guint) width != g_settings_get_uint (k->settings, k->key))
    g_settings_set_uint (k->settings, k->key, (guint) width);
}

static void
on_paned_allocated (GtkWidget *paned, GdkRectangle *allocation, Keeper *k)
{
  /* The first real allocation places the sidebar; later ones (a window
   * resize) only tell the new width. */
  if (!k->placed && !k->idle && allocation->width > 1)
    k->idle = g_idle_add (place, k);
  else if (k->placed)
    k->paned_width = allocation->width;
}

static void
attach (Keeper *k)
{
  GtkWidget *paned = gtk_widget_get_ancestor (k->sidebar, GTK_TYPE_PANED);

  GtkWidget *second = paned ? gtk_paned_get_child2 (GTK_PANED (paned))
      : NULL;

  if (!paned || GTK_PANED (paned) == k->paned || !second
      || (second != k->sidebar && !gtk_widget_is_ancestor (k->sidebar,
              second)))
    return;
  g_clear_handle_id (&k->idle, g_source_remove);
  if (k->paned) {
    g_signal_handlers_disconnect_by_data (k->paned, k);
    g_object_remove_weak_pointer (G_OBJECT (k->paned), (gpointer *) &k->paned);
  }
  k->paned = GTK_PANED (paned);
  g_object_add_weak_pointer (G_OBJECT (paned), (gpointer *) &k->paned);
  k->placed = FALSE;
  g_signal_connect (paned, "size-allocate", G_CALLBACK (on_paned_allocated),
      k);
  g_signal_connect (paned, "notify::position", G_CALLBACK (on_position), k);
  if (gtk_widget_get_allocated_width (paned) > 1)
    k->idle = g_idle_add (place, k);
}

static void
on_hierarchy_changed (GtkWidget *sidebar, GtkWidget *previous, Keeper *k)
{
  attach (k);
}

void
semblance_pane_width_keep (GtkWidget *sidebar, GSettings *settings,
                           const char *key)
{
  Keeper *k = g_new0 (Keeper, 1);

  k->sidebar = sidebar;
  k->settings = g_object_ref (settings);
  k->key = g_strdup (key);
  g_object_set_data_full (G_OBJECT (sidebar), "semblance-pane-width", k,
      (GDestroyNotify) keeper_free);
  g_signal_connect (sidebar, "hierarchy-changed",
      G_CALLBACK (on_hierarchy_changed), k);
  attach (k);
}
