/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sidebar and the preferences page on a display (Xvfb in the suite):
 * the list for a known index, its actions, and every empty state. */
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "fixtures.h"
#include "semblance.h"
#include "semblance-pane-width.h"
#include "semblance-preferences.h"
#include "semblance-sidebar.h"

static char *dir, *db;

static GtkWidget *find (GtkWidget *widget, GType type);

/* Runs the main loop until the sidebar has left the busy state. */
static SemblanceSidebarState
settle (SemblanceSidebar *sidebar)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (semblance_sidebar_get_state (sidebar) == SEMBLANCE_SIDEBAR_BUSY
      && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return semblance_sidebar_get_state (sidebar);
}

/* GtkSearchEntry tells of changes after a short delay. */
static void
settle_changed (SemblanceSidebar *sidebar)
{
  gint64 end = g_get_monotonic_time () + 400 * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* The text the list area shows instead of results. */
static const char *
message (GtkWidget *sidebar)
{
  GtkWidget *stack = NULL;
  g_autoptr (GList) children = gtk_container_get_children
      (GTK_CONTAINER (sidebar));
  GList *l;

  for (l = children; l; l = l->next)
    if (GTK_IS_STACK (l->data))
      stack = l->data;
  g_assert_nonnull (stack);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==,
      "message");
  return gtk_label_get_text (GTK_LABEL (gtk_stack_get_visible_child
          (GTK_STACK (stack))));
}

static SemblanceLibrary *
open_library (void)
{
  g_autoptr (GError) error = NULL;
  SemblanceLibrary *lib = semblance_library_new (db, NULL, &error);

  g_assert_no_error (error);
  return lib;
}

/* The first widget of @type (and @name, when given) under @widget. */
static GtkWidget *
find_named (GtkWidget *widget, GType type, const char *name)
{
  g_autoptr (GList) children = NULL;
  GList *l;

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type)
      && (!name || g_str_equal (gtk_widget_get_name (widget), name)))
    return widget;
  if (!GTK_IS_CONTAINER (widget))
    return NULL;
  children = gtk_container_get_children (GTK_CONTAINER (widget));
  for (l = children; l; l = l->next) {
    GtkWidget *found = find_named (l->data, type, name);

    if (found)
      return found;
  }
  return NULL;
}

static GtkWidget *
find (GtkWidget *widget, GType type)
{
  return find_named (widget, type, NULL);
}

/* A search's rows: each says the words of the query its track matches
 * (as the library's search gives them), or nothing of closeness; the bars
 * span the list's query match, full for the best, a fifth for the
 * last. */
static void
assert_search_rows (GtkWidget *sidebar, SemblanceLibrary *lib,
                    const char *text)
{
  GtkTreeModel *model = gtk_tree_view_get_model (GTK_TREE_VIEW (find
          (sidebar, GTK_TYPE_TREE_VIEW)));
  g_autoptr (GPtrArray) expected = NULL;
  g_autoptr (GError) error = NULL;
  SemblanceQueryOptions o;
  GtkTreeIter iter;
  gboolean valid = gtk_tree_model_get_iter_first (model, &iter);
  guint i, matching = 0;
  float s0, last;

  semblance_sidebar_get_query_options (SEMBLANCE_SIDEBAR (sidebar), &o);
  expected = semblance_library_search (lib, text, &o, &error);
  g_assert_no_error (error);
  s0 = ((SemblanceResult *) expected->pdata[0])->similarity;
  last = ((SemblanceResult *) expected->pdata[expected->len - 1])->similarity;
  g_assert_cmpfloat (s0, >, last);
  for (i = 0; valid; i++, valid = gtk_tree_model_iter_next (model, &iter)) {
    SemblanceResult *r = expected->pdata[i];
    g_autofree char *text_markup = NULL;
    g_autofree char *words = g_strjoinv (", ", r->matched);
    int percent;

    gtk_tree_model_get (model, &iter, 1, &text_markup, 2, &percent, -1);
    g_test_message ("search row %u: %s, bar %d", i, text_markup, percent);
    g_assert_null (strstr (text_markup, "close in"));
    if (*words) {
      g_autofree char *says = g_strdup_printf ("matches %s", words);

      g_assert_nonnull (strstr (text_markup, says));
      matching++;
    } else {
      g_assert_null (strstr (text_markup, "matches"));
    }
    g_assert_cmpfloat_with_epsilon (percent, 100.0 - 80.0 * (s0
            - r->similarity) / (s0 - last), 0.51);
  }
  g_assert_cmpuint (i, ==, expected->len);
  g_assert_cmpuint (matching, >, 0);
}

static void
test_results (void)
{
  g_autoptr (SemblanceLibrary) lib = open_library ();
  g_autofree char *sad = demo_uri ("sad.ogg");
  const char *seeds[] = { sad, NULL };
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  GtkWidget *sidebar = semblance_sidebar_new ();
  SemblanceSidebar *s = SEMBLANCE_SIDEBAR (sidebar);
  g_autoptr (GPtrArray) expected = NULL;
  g_auto (GStrv) uris = NULL;
  SemblanceQueryOptions o;
  guint i;

  gtk_container_add (GTK_CONTAINER (window), sidebar);
  gtk_widget_show_all (window);
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_NO_INDEX);
  g_assert_nonnull (strstr (message (sidebar), "no index"));

  semblance_sidebar_set_library (s, lib);
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_NOTHING_PLAYING);
  g_assert_nonnull (strstr (message (sidebar), "Play a track"));

  g_object_set (sidebar, "n-results", 4, NULL);
  semblance_sidebar_set_playing (s, sad, "Sad", "Somebody");
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_SHOWING_RESULTS);
  /* The default model has no calibrated words: no word is confident, and
   * the sidebar shows none rather than a guess. */
  g_assert_false (gtk_widget_get_visible (find_named (sidebar,
              GTK_TYPE_LABEL, "words")));
  semblance_sidebar_get_query_options (s, &o);
  g_assert_cmpuint (o.n, ==, 4);
  g_assert_cmpuint (o.max_per_album, ==, 0);
  g_assert_cmpfloat (o.min_duration, ==, 0);
  /* The demo clips last 20 s: none is left at 21 s and up. */
  g_object_set (sidebar, "max-per-album", 2, "min-duration", 21, NULL);
  semblance_sidebar_get_query_options (s, &o);
  g_assert_cmpuint (o.max_per_album, ==, 2);
  g_assert_cmpfloat (o.min_duration, ==, 21);
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_NO_RESULTS);
  g_object_set (sidebar, "max-per-album", 0, "min-duration", 0, NULL);
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_SHOWING_RESULTS);
  semblance_sidebar_get_query_options (s, &o);
  expected = semblance_library_similar (lib, seeds, &o, NULL);
  uris = semblance_sidebar_dup_result_uris (s);
  g_assert_cmpuint (g_strv_length (uris), ==, 4);
  for (i = 0; i < 4; i++)
    g_assert_cmpstr (uris[i], ==,
        ((SemblanceResult *) expected->pdata[i])->uri);

  /* The bars span the list's similarities, by which it is ranked: full
   * for the first, a fifth for the last, and in proportion between. */
  {
    GtkTreeModel *model = gtk_tree_view_get_model (GTK_TREE_VIEW (find
            (sidebar, GTK_TYPE_TREE_VIEW)));
    float s0 = ((SemblanceResult *) expected->pdata[0])->similarity;
    float s3 = ((SemblanceResult *) expected->pdata[3])->similarity;
    GtkTreeIter iter;
    gboolean valid = gtk_tree_model_get_iter_first (model, &iter);

    g_assert_cmpfloat (s0, >, s3);
    for (i = 0; valid; i++, valid = gtk_tree_model_iter_next (model,
            &iter)) {
      float sim = ((SemblanceResult *) expected->pdata[i])->similarity;
      int percent;

      gtk_tree_model_get (model, &iter, 2, &percent, -1);
      g_test_message ("bar %u: %d (similarity %.4f)", i, percent, sim);
      g_assert_cmpfloat_with_epsilon (percent, 100.0 - 80.0 * (s0 - sim)
          / (s0 - s3), 0.51);
    }
    g_assert_cmpuint (i, ==, 4);
  }

  gtk_widget_destroy (window);
}

static void
on_uri (SemblanceSidebar *sidebar, const char *uri, gpointer data)
{
  g_free (*(char **) data);
  *(char **) data = g_strdup (uri);
}

static void
on_playlist (SemblanceSidebar *sidebar, const char *uri, const char *name,
             gpointer data)
{
  g_free (*(char **) data);
  *(char **) data = g_strconcat (name, " ", uri, NULL);
}


static void
count_call (guint *calls)
{
  (*calls)++;
}

static void
test_actions (void)
{
  g_autoptr (SemblanceLibrary) lib = open_library ();
  g_autofree char *battle = demo_uri ("battle.ogg");
  g_autofree char *played = NULL, *queued = NULL, *listed = NULL;
  g_autofree char *more = NULL, *expected = NULL;
  const char *playlists[] = { "Evening", "Party", NULL };
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  GtkWidget *sidebar = semblance_sidebar_new ();
  SemblanceSidebar *s = SEMBLANCE_SIDEBAR (sidebar);
  GActionGroup *actions;
  GtkTreeView *tree;
  g_autoptr (GtkTreePath) second = gtk_tree_path_new_from_indices (1, -1);
  g_auto (GStrv) uris = NULL;

  gtk_container_add (GTK_CONTAINER (window), sidebar);
  gtk_widget_show_all (window);
  g_signal_connect (sidebar, "play", G_CALLBACK (on_uri), &played);
  g_signal_connect (sidebar, "enqueue", G_CALLBACK (on_uri), &queued);
  g_signal_connect (sidebar, "more-like-this", G_CALLBACK (on_uri), &more);
  g_signal_connect (sidebar, "add-to-playlist", G_CALLBACK (on_playlist),
      &listed);
  semblance_sidebar_set_playlists (s, playlists);
  semblance_sidebar_set_library (s, lib);
  semblance_sidebar_set_playing (s, battle, NULL, NULL);
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_SHOWING_RESULTS);
  uris = semblance_sidebar_dup_result_uris (s);

  /* Double-click: a row activated plays it. */
  tree = GTK_TREE_VIEW (find (sidebar, GTK_TYPE_TREE_VIEW));
  gtk_tree_view_set_cursor (tree, second, NULL, FALSE);
  gtk_tree_view_row_activated (tree, second,
      gtk_tree_view_get_column (tree, 0));
  g_assert_cmpstr (played, ==, uris[1]);

  /* Right-click on the third row, then "Add to Play Queue" in the menu,
   * as GTK does it: the menu closes before the item runs. */
  {
    g_autoptr (GtkTreePath) third = gtk_tree_path_new_from_indices (2, -1);
    GdkEvent *click = gdk_event_new (GDK_BUTTON_PRESS);
    GdkRectangle cell;
    GList *menus, *items, *l;
    GtkWidget *enqueue = NULL;
    guint opened = 0;

    g_signal_connect_swapped (sidebar, "menu-opening",
        G_CALLBACK (count_call), &opened);
    gtk_tree_view_get_cell_area (tree, third, NULL, &cell);
    click->button.window = g_object_ref (gtk_tree_view_get_bin_window
        (tree));
    click->button.button = GDK_BUTTON_SECONDARY;
    click->button.x = cell.x + 4;
    click->button.y = cell.y + cell.height / 2;
    gdk_event_set_device (click, gdk_seat_get_pointer
        (gdk_display_get_default_seat (gdk_display_get_default ())));
    gtk_widget_event (GTK_WIDGET (tree), click);
    gdk_event_free (click);
    g_assert_cmpuint (opened, ==, 1);
    menus = gtk_menu_get_for_attach_widget (GTK_WIDGET (tree));
    g_assert_cmpuint (g_list_length (menus), ==, 1);
    items = gtk_container_get_children (GTK_CONTAINER (menus->data));
    for (l = items; l; l = l->next)
      if (g_str_equal (gtk_menu_item_get_label (l->data),
              "Add to Play _Queue"))
        enqueue = l->data;
    g_assert_nonnull (enqueue);
    gtk_menu_shell_activate_item (GTK_MENU_SHELL (menus->data), enqueue,
        TRUE);
    g_list_free (items);
    g_assert_cmpstr (queued, ==, uris[2]);
  }

  actions = gtk_widget_get_action_group (sidebar, "sidebar");
  gtk_tree_view_set_cursor (tree, second, NULL, FALSE);
  g_action_group_activate_action (actions, "enqueue", NULL);
  g_assert_cmpstr (queued, ==, uris[1]);
  g_action_group_activate_action (actions, "add-to-playlist",
      g_variant_new_string ("Party"));
  expected = g_strconcat ("Party ", uris[1], NULL);
  g_assert_cmpstr (listed, ==, expected);

  gtk_button_clicked (GTK_BUTTON (find_named (sidebar, GTK_TYPE_BUTTON,
              "more-like-this")));
  g_assert_cmpstr (more, ==, battle);

  /* Pausing from the sidebar is a property a player can follow. */
  {
    GtkWidget *toggle = find_named (sidebar, GTK_TYPE_TOGGLE_BUTTON,
      "pause");
    gboolean paused = FALSE;

    guint notified = 0;

    g_signal_connect_swapped (sidebar, "notify::paused",
        G_CALLBACK (count_call), &notified);
    semblance_sidebar_set_progress (s, 120, 5300, TRUE);
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
    g_object_get (sidebar, "paused", &paused, NULL);
    g_assert_true (paused);
    /* Set from outside (a setting), a player hears of it too. */
    g_object_set (sidebar, "paused", FALSE, NULL);
    g_assert_false (gtk_toggle_button_get_active
        (GTK_TOGGLE_BUTTON (toggle)));
    g_assert_cmpuint (notified, ==, 2);
  }
  gtk_widget_destroy (window);
}

/* The indexer's progress: its text, its bar and its pause button on the
 * screen while a run goes on, and gone when it ends. */
static void
test_progress (void)
{
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  GtkWidget *sidebar = semblance_sidebar_new ();
  SemblanceSidebar *s = SEMBLANCE_SIDEBAR (sidebar);
  GtkWidget *bar, *toggle, *label;
  g_autoptr (GList) rows = NULL;
  g_autofree char *text = NULL;

  gtk_container_add (GTK_CONTAINER (window), sidebar);
  gtk_widget_show_all (window);
  bar = find (sidebar, GTK_TYPE_PROGRESS_BAR);
  toggle = find_named (sidebar, GTK_TYPE_TOGGLE_BUTTON,
      "pause");
  /* The text sits above the row of the bar and the button. */
  rows = gtk_container_get_children (GTK_CONTAINER (gtk_widget_get_parent
          (gtk_widget_get_parent (bar))));
  label = rows->data;
  g_assert_false (gtk_widget_is_visible (bar));
  g_assert_false (gtk_widget_is_visible (toggle));

  semblance_sidebar_set_progress (s, 120, 5300, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (gtk_widget_is_visible (bar));
  g_assert_true (gtk_widget_get_mapped (bar));
  g_assert_true (gtk_widget_get_mapped (toggle));
  g_assert_true (gtk_widget_get_mapped (label));
  text = g_strdup_printf ("Analysing your library: %'u of %'u", 120, 5300);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, text);
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction
      (GTK_PROGRESS_BAR (bar)), 120.0 / 5300, 1e-9);

  semblance_sidebar_set_progress (s, 5300, 5300, FALSE);
  g_assert_false (gtk_widget_is_visible (bar));
  g_assert_false (gtk_widget_is_visible (toggle));
  gtk_widget_destroy (window);
}

/* Runs the main loop for @ms milliseconds. */
static void
run_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* A window as a player makes it: a pane with a wide list and the sidebar
 * as its second child. */
static GtkWidget *
paned_window (GSettings *settings, GtkWidget **sidebar, GtkPaned **paned)
{
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  GtkWidget *list = gtk_label_new ("the player's track list");

  *paned = GTK_PANED (gtk_paned_new (GTK_ORIENTATION_HORIZONTAL));
  *sidebar = semblance_sidebar_new ();
  gtk_paned_pack1 (*paned, list, TRUE, TRUE);
  gtk_paned_pack2 (*paned, *sidebar, FALSE, TRUE);
  /* A player's own position, as Rhythmbox's 400 pixels from the left. */
  gtk_paned_set_position (*paned, 400);
  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (*paned));
  semblance_pane_width_keep (*sidebar, settings, "sidebar-width");
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 700);
  gtk_widget_show_all (window);
  run_for (500);
  return window;
}

/* The sidebar opens at the width of its setting, not at what the pane's
 * position leaves it, and keeps the width the user drags it to. */
static void
test_pane_width (void)
{
  g_autoptr (GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr (GSettings) settings = g_settings_new_with_backend
      ("org.gnome.rhythmbox.plugins.semblance", backend);
  GtkWidget *sidebar, *window;
  GtkPaned *paned;
  gint total;

  window = paned_window (settings, &sidebar, &paned);
  total = gtk_widget_get_allocated_width (GTK_WIDGET (paned));
  g_test_message ("pane %d, sidebar %d", total,
      gtk_widget_get_allocated_width (sidebar));
  g_assert_cmpint (total, >=, 1000);
  g_assert_cmpint (gtk_widget_get_allocated_width (sidebar), ==, 320);

  /* The user drags the edge: the setting follows. */
  gtk_paned_set_position (paned, total - 500);
  run_for (200);
  g_assert_cmpuint (g_settings_get_uint (settings, "sidebar-width"), ==,
      (guint) gtk_widget_get_allocated_width (sidebar));
  g_assert_cmpuint (g_settings_get_uint (settings, "sidebar-width"), >, 480);
  g_assert_cmpuint (g_settings_get_uint (settings, "sidebar-width"), <=, 500);
  gtk_widget_destroy (window);

  /* The next time, at that width. */
  window = paned_window (settings, &sidebar, &paned);
  g_assert_cmpint (gtk_widget_get_allocated_width (sidebar), ==,
      (gint) g_settings_get_uint (settings, "sidebar-width"));
  gtk_widget_destroy (window);
}

static void
test_empty_states (void)
{
  g_autoptr (SemblanceLibrary) lib = open_library ();
  g_autofree char *outside = g_build_filename (dir, "new.ogg", NULL);
  g_autofree char *outside_uri = g_filename_to_uri (outside, NULL, NULL);
  g_autofree char *src = g_build_filename (g_getenv ("SEMBLANCE_DEMO_DIR"),
      "nebula.ogg", NULL);
  g_autofree char *data = NULL;
  g_autofree float *v = NULL;
  g_auto (GStrv) uris = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *sidebar = g_object_ref_sink (semblance_sidebar_new ());
  SemblanceSidebar *s = SEMBLANCE_SIDEBAR (sidebar);
  SemblanceProperties props;
  gsize len;

  semblance_sidebar_set_library (s, lib);
  semblance_sidebar_set_playing (s, "http://radio.example/live", "Radio",
      NULL);
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_NOT_LOCAL);
  g_assert_nonnull (strstr (message (sidebar), "radio stream"));

  /* A file the index does not have yet... */
  g_assert_true (g_file_get_contents (src, &data, &len, NULL));
  g_assert_true (g_file_set_contents (outside, data, len, NULL));
  semblance_sidebar_set_playing (s, outside_uri, NULL, NULL);
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_NOT_ANALYSED);
  g_assert_nonnull (strstr (message (sidebar), "not been analysed"));
  /* ...until its live vector arrives: the original comes first. */
  g_assert_true (semblance_analyze_file (outside, SEMBLANCE_DECODER_AUTO,
          NULL, &props, &error));
  v = semblance_library_embed (lib, props.vector);
  semblance_sidebar_set_live_vector (s, v);
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_SHOWING_RESULTS);
  uris = semblance_sidebar_dup_result_uris (s);
  g_assert_true (g_str_has_suffix (uris[0], "/nebula.ogg"));

  /* A description no word of which is known. */
  gtk_entry_set_text (GTK_ENTRY (find (sidebar, GTK_TYPE_SEARCH_ENTRY)),
      "qzxv");
  g_signal_emit_by_name (find (sidebar, GTK_TYPE_SEARCH_ENTRY), "activate");
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_QUERY_FAILED);
  g_assert_nonnull (strstr (message (sidebar), "qzxv"));
  gtk_entry_set_text (GTK_ENTRY (find (sidebar, GTK_TYPE_SEARCH_ENTRY)),
      "slow sad strings");
  g_signal_emit_by_name (find (sidebar, GTK_TYPE_SEARCH_ENTRY), "activate");
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_SHOWING_RESULTS);
  {
    g_auto (GStrv) found = semblance_sidebar_dup_result_uris (s);
    g_auto (GStrv) back = NULL;

    g_assert_cmpuint (g_strv_length (found), ==, 6);
    assert_search_rows (sidebar, lib, "slow sad strings");
    /* Escape: the playing track's list again (it leaves itself out). */
    g_signal_emit_by_name (find (sidebar, GTK_TYPE_SEARCH_ENTRY),
        "stop-search");
    g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (find (sidebar,
                    GTK_TYPE_SEARCH_ENTRY))), ==, "");
    settle_changed (s);
    g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_SHOWING_RESULTS);
    back = semblance_sidebar_dup_result_uris (s);
    g_assert_true (g_strv_equal ((const char *const *) back,
            (const char *const *) uris));
  }

  semblance_sidebar_set_library (s, NULL);
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_NO_INDEX);

  /* A model file that is not there: the reason, not "no index". */
  {
    g_autoptr (GError) failed = NULL;
    g_autoptr (SemblanceLibrary) none = semblance_library_new (db,
        "/nonexistent/wrong.smodel", &failed);

    g_assert_null (none);
    g_assert_nonnull (failed);
    semblance_sidebar_set_library_error (s, failed);
    g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_LIBRARY_FAILED);
    g_test_message ("%s", message (sidebar));
    g_assert_nonnull (strstr (message (sidebar), "wrong.smodel"));
    g_assert_null (strstr (message (sidebar), "no index"));
    /* A library opened after: the reason goes. */
    semblance_sidebar_set_library (s, lib);
    g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_NOT_ANALYSED);
  }
  g_object_unref (sidebar);
  g_remove (outside);
}

/* The list's URIs and their text, row by row. */
static void
assert_rows_are (GtkWidget *sidebar, GPtrArray *expected, const char *says)
{
  GtkTreeModel *model = gtk_tree_view_get_model (GTK_TREE_VIEW (find
          (sidebar, GTK_TYPE_TREE_VIEW)));
  GtkTreeIter iter;
  gboolean valid = gtk_tree_model_get_iter_first (model, &iter);
  guint i;

  for (i = 0; valid; i++, valid = gtk_tree_model_iter_next (model, &iter)) {
    g_autofree char *uri = NULL, *markup = NULL;

    gtk_tree_model_get (model, &iter, 0, &uri, 1, &markup, -1);
    g_test_message ("row %u: %s", i, markup);
    g_assert_cmpuint (i, <, expected->len);
    g_assert_cmpstr (uri, ==, ((SemblanceResult *) expected->pdata[i])->uri);
    if (says) {
      SemblanceResult *r = expected->pdata[i];
      g_autofree char *words = g_strjoinv (", ", r->matched);
      g_autofree char *both = g_strdup_printf ("matches %s, %s", words,
          says);

      /* The words first, which a narrow sidebar's ellipsis spares. */
      g_assert_nonnull (strstr (markup, *words ? both : says));
    } else {
      g_assert_null (strstr (markup, "close in"));
    }
  }
  g_assert_cmpuint (i, ==, expected->len);
}

/* "Like the playing track": the description searches among the tracks most
 * like it, and follows the playing track; with nothing playing, a plain
 * search. */
static void
test_like_playing (void)
{
  g_autoptr (SemblanceLibrary) lib = open_library ();
  g_autofree char *sad = demo_uri ("sad.ogg");
  g_autofree char *battle = demo_uri ("battle.ogg");
  const char *from_sad[] = { sad, NULL }, *from_battle[] = { battle, NULL };
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  GtkWidget *sidebar = semblance_sidebar_new ();
  SemblanceSidebar *s = SEMBLANCE_SIDEBAR (sidebar);
  GtkWidget *entry, *check;
  g_autoptr (GPtrArray) search = NULL, like_sad = NULL, like_battle = NULL;
  SemblanceQueryOptions o;
  guint notified = 0;
  gboolean like;

  gtk_container_add (GTK_CONTAINER (window), sidebar);
  gtk_widget_show_all (window);
  entry = find (sidebar, GTK_TYPE_SEARCH_ENTRY);
  check = find_named (sidebar, GTK_TYPE_CHECK_BUTTON, "like-playing");
  g_signal_connect_swapped (sidebar, "notify::like-playing",
      G_CALLBACK (count_call), &notified);
  semblance_sidebar_set_library (s, lib);
  semblance_sidebar_set_playing (s, sad, "Sad", NULL);
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_SHOWING_RESULTS);
  semblance_sidebar_get_query_options (s, &o);
  search = semblance_library_search (lib, "calm piano", &o, NULL);
  like_sad = semblance_library_similar_like (lib, from_sad, "calm piano", &o,
      NULL);
  like_battle = semblance_library_similar_like (lib, from_battle,
      "calm piano", &o, NULL);

  gtk_entry_set_text (GTK_ENTRY (entry), "calm piano");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_SHOWING_RESULTS);
  assert_rows_are (sidebar, search, NULL);

  g_assert_true (gtk_widget_get_sensitive (check));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (check), TRUE);
  g_object_get (sidebar, "like-playing", &like, NULL);
  g_assert_true (like);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (gtk_entry_get_placeholder_text (GTK_ENTRY (entry)), ==,
      "Like this, but…");
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_SHOWING_RESULTS);
  assert_rows_are (sidebar, like_sad, "close in");

  semblance_sidebar_set_playing (s, battle, "Battle", NULL);
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_SHOWING_RESULTS);
  assert_rows_are (sidebar, like_battle, "close in");

  semblance_sidebar_set_playing (s, NULL, NULL, NULL);
  g_assert_cmpint (settle (s), ==, SEMBLANCE_SIDEBAR_SHOWING_RESULTS);
  g_assert_false (gtk_widget_get_sensitive (check));
  assert_rows_are (sidebar, search, NULL);

  g_object_set (sidebar, "like-playing", FALSE, NULL);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (check)));
  g_assert_cmpuint (notified, ==, 2);
  gtk_widget_destroy (window);
}

/* A query still running when the sidebar goes: nothing touches it after. */
static void
test_destroy_while_busy (void)
{
  g_autoptr (SemblanceLibrary) lib = open_library ();
  g_autofree char *sad = demo_uri ("sad.ogg");
  guint i;

  for (i = 0; i < 20; i++) {
    GtkWidget *sidebar = g_object_ref_sink (semblance_sidebar_new ());

    semblance_sidebar_set_library (SEMBLANCE_SIDEBAR (sidebar), lib);
    semblance_sidebar_set_playing (SEMBLANCE_SIDEBAR (sidebar), sad, NULL,
        NULL);
    gtk_widget_destroy (sidebar);
    g_object_unref (sidebar);
  }
  for (i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_usleep (200000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_preferences (void)
{
  g_autoptr (GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr (GSettings) settings = g_settings_new_with_backend
      ("org.gnome.rhythmbox.plugins.semblance", backend);
  GtkWidget *prefs = g_object_ref_sink (semblance_preferences_new (settings));
  GtkWidget *spin = find_named (prefs, GTK_TYPE_SPIN_BUTTON,
      "n-suggestions");
  GtkWidget *combo = find_named (prefs, GTK_TYPE_COMBO_BOX,
      "more-like-this-target");

  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==,
      10);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 25);
  g_assert_cmpuint (g_settings_get_uint (settings, "n-suggestions"), ==, 25);
  /* The schema's range: at least one suggestion. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 0);
  g_assert_cmpuint (g_settings_get_uint (settings, "n-suggestions"), ==, 1);
  g_assert_cmpstr (gtk_combo_box_get_active_id (GTK_COMBO_BOX (combo)), ==,
      "playlist");
  /* The caps and the shortest track a listener may set. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_named (prefs,
              GTK_TYPE_SPIN_BUTTON, "max-per-album")), 2);
  g_assert_cmpuint (g_settings_get_uint (settings, "max-per-album"), ==, 2);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_named (prefs,
              GTK_TYPE_SPIN_BUTTON, "min-duration")), 45);
  g_assert_cmpuint (g_settings_get_uint (settings, "min-duration"), ==, 45);
  g_settings_set_enum (settings, "more-like-this-target", 1);
  g_assert_cmpstr (gtk_combo_box_get_active_id (GTK_COMBO_BOX (combo)), ==,
      "queue");
  /* No model chosen: the default model's file is shown, not "(None)",
   * and the setting stays empty. */
  {
    GtkWidget *chooser = find_named (prefs, GTK_TYPE_FILE_CHOOSER_BUTTON,
        "model-file");
    g_autofree char *shown = gtk_file_chooser_get_filename
        (GTK_FILE_CHOOSER (chooser));
    g_autofree char *setting = g_settings_get_string (settings,
        "model-file");
    g_autofree char *expected = g_canonicalize_filename (g_getenv
        ("SEMBLANCE_MODEL"), NULL);

    g_assert_nonnull (shown);
    g_assert_cmpstr (shown, ==, expected);
    g_assert_cmpstr (setting, ==, "");
  }
  gtk_widget_destroy (prefs);
  g_object_unref (prefs);
}

int
main (int argc, char **argv)
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("semblance-test-sidebar-XXXXXX", NULL);
  db = g_build_filename (dir, "library.db", NULL);
  index_demo (db);
  g_test_add_func ("/sidebar/results", test_results);
  g_test_add_func ("/sidebar/actions", test_actions);
  g_test_add_func ("/sidebar/progress", test_progress);
  g_test_add_func ("/sidebar/pane-width", test_pane_width);
  g_test_add_func ("/sidebar/empty-states", test_empty_states);
  g_test_add_func ("/sidebar/like-playing", test_like_playing);
  g_test_add_func ("/sidebar/destroy-while-busy", test_destroy_while_busy);
  g_test_add_func ("/sidebar/preferences", test_preferences);
  status = g_test_run ();
  remove_tree (dir);
  return status;
}
