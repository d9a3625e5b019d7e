/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-sidebar.h"

#include <glib/gi18n-lib.h>

#include "semblance-error.h"
#include "semblance-ui.h"

enum
{
  COL_URI,
  COL_TEXT,       /* title and artist, as markup */
  COL_PERCENT,    /* the bar: closeness within the list, 0-100 */
  N_COLS
};

enum
{
  PROP_0,
  PROP_N_RESULTS,
  PROP_EXCLUDE_SAME_ALBUM,
  PROP_MAX_PER_ARTIST,
  PROP_MAX_PER_ALBUM,
  PROP_MIN_DURATION,
  PROP_PAUSED,
  PROP_LIKE_PLAYING,
  PROP_STATE,
  N_PROPS
};

enum
{
  SIGNAL_PLAY,
  SIGNAL_ENQUEUE,
  SIGNAL_ADD_TO_PLAYLIST,
  SIGNAL_MORE_LIKE_THIS,
  SIGNAL_MENU_OPENING,
  N_SIGNALS
};

/* The property groups, in layout order (semblance-layout.h). */
static const char *const group_names[SEMBLANCE_N_GROUPS] = {
  N_("timbre"), N_("spectral shape"), N_("rhythm"), N_("tonality"),
  N_("dynamics"),
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

struct _SemblanceSidebar
{
  GtkBox parent;

  SemblanceLibrary *library;
  char *uri;                    /* the playing track */
  float *live_vector;
  char *search_text;            /* a search replaces the playing track's list */
  gboolean like_playing;        /* the search starts from the playing track */
  char *library_error;          /* why there is no library, when known */
  GCancellable *cancellable;    /* the running query */
  SemblanceSidebarState state;
  guint n_results;
  gboolean exclude_same_album;
  guint max_per_artist, max_per_album;
  guint min_duration;           /* seconds */
  gboolean paused;
  GStrv playlists;

  GtkWidget *playing_label, *words_label, *search_entry, *like_check, *stack;
  GtkWidget *empty_label, *tree, *more_button, *menu;
  GtkWidget *progress_box, *progress_label, *progress_bar, *pause_button;
  GtkListStore *store;
  GSimpleActionGroup *actions;
};

G_DEFINE_FINAL_TYPE (SemblanceSidebar, semblance_sidebar, GTK_TYPE_BOX)

G_DEFINE_ENUM_TYPE (SemblanceSidebarState, semblance_sidebar_state,
    G_DEFINE_ENUM_VALUE (SEMBLANCE_SIDEBAR_SHOWING_RESULTS, "showing-results"),
    G_DEFINE_ENUM_VALUE (SEMBLANCE_SIDEBAR_NO_INDEX, "no-index"),
    G_DEFINE_ENUM_VALUE (SEMBLANCE_SIDEBAR_NOTHING_PLAYING, "nothing-playing"),
    G_DEFINE_ENUM_VALUE (SEMBLANCE_SIDEBAR_NOT_LOCAL, "not-local"),
    G_DEFINE_ENUM_VALUE (SEMBLANCE_SIDEBAR_NOT_ANALYSED, "not-analysed"),
    G_DEFINE_ENUM_VALUE (SEMBLANCE_SIDEBAR_NO_RESULTS, "no-results"),
    G_DEFINE_ENUM_VALUE (SEMBLANCE_SIDEBAR_QUERY_FAILED, "query-failed"),
    G_DEFINE_ENUM_VALUE (SEMBLANCE_SIDEBAR_BUSY, "busy"),
    G_DEFINE_ENUM_VALUE (SEMBLANCE_SIDEBAR_LIBRARY_FAILED, "library-failed"))

static void
set_state (SemblanceSidebar *self, SemblanceSidebarState state,
           const char *message)
{
  if (state == SEMBLANCE_SIDEBAR_SHOWING_RESULTS) {
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "results");
  } else {
    gtk_label_set_text (GTK_LABEL (self->empty_label), message);
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "message");
  }
  gtk_widget_set_sensitive (self->more_button, self->library && self->uri
      && !self->search_text && state == SEMBLANCE_SIDEBAR_SHOWING_RESULTS);
  if (self->state != state) {
    self->state = state;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
  }
}

static void
cancel_query (SemblanceSidebar *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

/* A result's bar, 0-100. A query's similarities lie close together
 * (mutual proximity gave 3 to 6 % to every result of one list): the bars
 * span the list's own similarities instead, full for the best result, a
 * fifth for the last, linear in between, so that a gap between two results
 * shows as one. Similarity, not distance: it is what the list is ranked
 * by, so that no bar is longer than one above it. */
#define SHORTEST_BAR 20.0

static int
bar_length (GPtrArray *found, guint i)
{
  float best = -G_MAXFLOAT, worst = G_MAXFLOAT, s;
  guint j;

  for (j = 0; j < found->len; j++) {
    s = ((SemblanceResult *) found->pdata[j])->similarity;
    best = MAX (best, s);
    worst = MIN (worst, s);
  }
  if (!(best > worst))
    return 100;
  s = ((SemblanceResult *) found->pdata[i])->similarity;
  return (int) (100.0 - (100.0 - SHORTEST_BAR) * (best - s)
      / (best - worst) + 0.5);
}

static gboolean
close_to_something (const SemblanceResult *r)
{
  guint g;

  for (g = 0; g < SEMBLANCE_N_GROUPS; g++)
    if (r->closeness[g] > 0.0f)
      return TRUE;
  return FALSE;
}

static void
show_results (SemblanceSidebar *self, GPtrArray *found)
{
  guint i;

  gtk_list_store_clear (self->store);
  for (i = 0; i < found->len; i++) {
    SemblanceResult *r = found->pdata[i];
    g_autofree char *name = NULL, *markup = NULL, *why = NULL;
    guint first, second;

    name = semblance_ui_track_name (r->uri, r->title);
    /* A search alone is close to no track (its closeness is all 0);
     * "like this, but …" is. */
    if (!r->matched || close_to_something (r)) {
      semblance_closeness_top2 (r->closeness, &first, &second);
      /* TRANSLATORS: why a track is similar: two property groups, such as
       * "close in rhythm and timbre" */
      why = g_strdup_printf (_("close in %s and %s"), _(group_names[first]),
          _(group_names[second]));
    }
    if (r->matched && r->matched[0]) {
      g_autofree char *words = g_strjoinv (", ", r->matched);
      g_autofree char *close = g_steal_pointer (&why);

      /* A result that matches the words only together says nothing of
       * them. */
      /* The words first: they are what the user asked for, and what an
       * ellipsis of a narrow sidebar would cut. */
      if (close)
        /* TRANSLATORS: a result like the playing track and towards a
         * description: "matches calm, close in rhythm and timbre" */
        why = g_strdup_printf (_("matches %s, %s"), words, close);
      else
        /* TRANSLATORS: the words of a search that a result matches, such
         * as "matches calm, piano" */
        why = g_strdup_printf (_("matches %s"), words);
    }
    if (r->artist && why)
      markup = g_markup_printf_escaped ("<b>%s</b>\n<small>%s · %s</small>",
          name, r->artist, why);
    else if (r->artist)
      markup = g_markup_printf_escaped ("<b>%s</b>\n<small>%s</small>", name,
          r->artist);
    else if (why)
      markup = g_markup_printf_escaped ("<b>%s</b>\n<small>%s</small>", name,
          why);
    else
      markup = g_markup_printf_escaped ("<b>%s</b>", name);
    gtk_list_store_insert_with_values (self->store, NULL, -1,
        COL_URI, r->uri, COL_TEXT, markup,
        COL_PERCENT, bar_length (found, i), -1);
  }
}

static void
show_words (SemblanceSidebar *self, GStrv words)
{
  g_autofree char *joined = NULL;

  if (!words || !words[0]) {
    gtk_widget_hide (self->words_label);
    return;
  }
  joined = g_strjoinv (", ", words);
  gtk_label_set_text (GTK_LABEL (self->words_label), joined);
  gtk_widget_show (self->words_label);
}

/* An answer failed: why, in the list's place. */
static void
show_failure (SemblanceSidebar *self, const GError *error)
{
  g_autofree char *text = NULL;

  if ((!self->search_text || self->like_playing) && g_error_matches (error,
          G_IO_ERROR, G_IO_ERROR_NOT_FOUND)) {
    set_state (self, SEMBLANCE_SIDEBAR_NOT_ANALYSED,
        _("This track has not been analysed yet. Similar tracks appear "
          "after a few seconds of listening."));
    return;
  }
  if (g_error_matches (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_EMPTY))
    text = g_strdup_printf (_("Semblance knows none of the words of "
            "“%s”. Try words for a mood, a pace, instruments or a "
            "style."), self->search_text);
  set_state (self, SEMBLANCE_SIDEBAR_QUERY_FAILED,
      text ? text : error->message);
}

static void
show_answer (SemblanceSidebar *self, GPtrArray *found, GStrv words)
{
  g_clear_object (&self->cancellable);
  show_words (self, words);
  show_results (self, found);
  if (found->len == 0)
    set_state (self, SEMBLANCE_SIDEBAR_NO_RESULTS,
        _("No similar tracks in your library yet."));
  else
    set_state (self, SEMBLANCE_SIDEBAR_SHOWING_RESULTS, NULL);
}

/* The callbacks of the library's _async() calls: a cancelled query (a newer
 * one, or the widget disposed) finishes with CANCELLED, and then @data
 * may be gone. */
static void
on_suggestions (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceSuggestions) s = semblance_library_suggest_finish
      (SEMBLANCE_LIBRARY (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!s) {
    g_clear_object (&SEMBLANCE_SIDEBAR (data)->cancellable);
    show_failure (data, error);
    return;
  }
  show_answer (data, s->results, s->words);
}

static void
on_list (gpointer data, GPtrArray *found, const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!found) {
    g_clear_object (&SEMBLANCE_SIDEBAR (data)->cancellable);
    show_failure (data, error);
    return;
  }
  show_answer (data, found, NULL);
}

static void
on_search_results (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = semblance_library_search_finish
      (SEMBLANCE_LIBRARY (source), result, &error);

  on_list (data, found, error);
}

static void
on_like_results (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = semblance_library_similar_like_finish
      (SEMBLANCE_LIBRARY (source), result, &error);

  on_list (data, found, error);
}

void
semblance_sidebar_get_query_options (SemblanceSidebar *self,
                                     SemblanceQueryOptions *options)
{
  semblance_query_options_init (options);
  options->n = self->n_results;
  options->exclude_seed_albums = self->exclude_same_album;
  options->max_per_artist = self->max_per_artist;
  options->max_per_album = self->max_per_album;
  options->min_duration = self->min_duration;
}

void
semblance_sidebar_refresh (SemblanceSidebar *self)
{
  SemblanceQueryOptions options;

  g_return_if_fail (SEMBLANCE_IS_SIDEBAR (self));
  cancel_query (self);
  gtk_list_store_clear (self->store);
  show_words (self, NULL);
  if (!self->library && self->library_error) {
    g_autofree char *text = NULL;

    /* TRANSLATORS: %s is the reason, such as "/home/me/x.smodel: no such
     * file" */
    text = g_strdup_printf (_("Semblance cannot open your library: %s"),
        self->library_error);
    set_state (self, SEMBLANCE_SIDEBAR_LIBRARY_FAILED, text);
    return;
  }
  if (!self->library) {
    set_state (self, SEMBLANCE_SIDEBAR_NO_INDEX,
        _("There is no index of your library yet. Similar tracks appear "
          "here once Semblance has analysed your music."));
    return;
  }
  /* The check box counts only when there is a track to start from. */
  gtk_widget_set_sensitive (self->like_check, self->uri
      && g_str_has_prefix (self->uri, "file:"));
  if (!self->search_text && !self->uri) {
    set_state (self, SEMBLANCE_SIDEBAR_NOTHING_PLAYING,
        _("Play a track to see the music of your library that is most "
          "like it."));
    return;
  }
  if (!self->search_text && !g_str_has_prefix (self->uri, "file:")) {
    set_state (self, SEMBLANCE_SIDEBAR_NOT_LOCAL,
        _("This is a radio stream or a podcast. Semblance suggests music "
          "like the tracks of your own library."));
    return;
  }
  semblance_sidebar_get_query_options (self, &options);
  self->cancellable = g_cancellable_new ();
  set_state (self, SEMBLANCE_SIDEBAR_BUSY, self->search_text ?
      _("Searching…") : _("Looking for similar tracks…"));
  if (self->search_text && self->like_playing
      && gtk_widget_get_sensitive (self->like_check)) {
    const char *seeds[] = { self->uri, NULL };

    semblance_library_similar_like_async (self->library, seeds,
        self->search_text, &options, self->cancellable, on_like_results,
        self);
  } else if (self->search_text) {
    semblance_library_search_async (self->library, self->search_text,
        &options, self->cancellable, on_search_results, self);
  }
  else
    semblance_library_suggest_async (self->library, self->uri,
        self->live_vector, 3, &options, self->cancellable, on_suggestions,
        self);
}

void
semblance_sidebar_set_library (SemblanceSidebar *self,
                               SemblanceLibrary *library)
{
  g_return_if_fail (SEMBLANCE_IS_SIDEBAR (self));
  if (!g_set_object (&self->library, library) && !self->library_error)
    return;
  g_clear_pointer (&self->library_error, g_free);
  /* A live vector belongs to the model that made it. */
  g_clear_pointer (&self->live_vector, g_free);
  semblance_sidebar_refresh (self);
}

void
semblance_sidebar_set_library_error (SemblanceSidebar *self,
                                     const GError *error)
{
  g_return_if_fail (SEMBLANCE_IS_SIDEBAR (self));
  g_return_if_fail (error != NULL);
  semblance_sidebar_set_library (self, NULL);
  self->library_error = g_strdup (error->message);
  semblance_sidebar_refresh (self);
}

void
semblance_sidebar_set_playing (SemblanceSidebar *self, const char *uri,
                               const char *title, const char *artist)
{
  g_autofree char *name = NULL, *markup = NULL;

  g_return_if_fail (SEMBLANCE_IS_SIDEBAR (self));
  g_free (self->uri);
  self->uri = g_strdup (uri);
  g_clear_pointer (&self->live_vector, g_free);
  if (uri) {
    name = semblance_ui_track_name (uri, title);
    markup = artist ? g_markup_printf_escaped ("<b>%s</b>\n%s", name, artist)
        : g_markup_printf_escaped ("<b>%s</b>", name);
    gtk_label_set_markup (GTK_LABEL (self->playing_label), markup);
  } else {
    gtk_label_set_text (GTK_LABEL (self->playing_label), _("Not playing"));
  }
  if (!self->search_text || self->like_playing)
    semblance_sidebar_refresh (self);
}

void
semblance_sidebar_set_live_vector (SemblanceSidebar *self,
                                   const float *vector)
{
  g_return_if_fail (SEMBLANCE_IS_SIDEBAR (self));
  if (!self->library || !self->uri)
    return;
  g_free (self->live_vector);
  self->live_vector = g_memdup2 (vector,
      semblance_library_get_dim (self->library) * sizeof (float));
  /* An analysed track keeps its list; the live vector is for the others. */
  if (!self->search_text && self->state != SEMBLANCE_SIDEBAR_SHOWING_RESULTS)
    semblance_sidebar_refresh (self);
}

void
semblance_sidebar_set_progress (SemblanceSidebar *self, guint done,
                                guint total, gboolean running)
{
  g_autofree char *text = NULL;

  g_return_if_fail (SEMBLANCE_IS_SIDEBAR (self));
  gtk_widget_set_visible (self->progress_box, running && total > 0);
  if (!running || total == 0)
    return;
  /* TRANSLATORS: the indexer's progress, such as "Analysing your library:
   * 120 of 5,300" */
  text = g_strdup_printf (_("Analysing your library: %'u of %'u"), done,
      total);
  gtk_label_set_text (GTK_LABEL (self->progress_label), text);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar),
      (double) done / total);
}

void
semblance_sidebar_set_playlists (SemblanceSidebar *self,
                                 const char *const *names)
{
  g_return_if_fail (SEMBLANCE_IS_SIDEBAR (self));
  g_strfreev (self->playlists);
  self->playlists = g_strdupv ((GStrv) names);
}

SemblanceSidebarState
semblance_sidebar_get_state (SemblanceSidebar *self)
{
  g_return_val_if_fail (SEMBLANCE_IS_SIDEBAR (self), 0);
  return self->state;
}

GStrv
semblance_sidebar_dup_result_uris (SemblanceSidebar *self)
{
  GPtrArray *uris = g_ptr_array_new ();
  GtkTreeIter iter;
  gboolean valid;

  valid = gtk_tree_model_get_iter_first (GTK_TREE_MODEL (self->store), &iter);
  while (valid) {
    char *uri;

    gtk_tree_model_get (GTK_TREE_MODEL (self->store), &iter, COL_URI, &uri,
        -1);
    g_ptr_array_add (uris, uri);
    valid = gtk_tree_model_iter_next (GTK_TREE_MODEL (self->store), &iter);
  }
  g_ptr_array_add (uris, NULL);
  return (GStrv) g_ptr_array_free (uris, FALSE);
}

/* The selected result's URI, or NULL. */
static char *
selected_uri (SemblanceSidebar *self)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection
      (GTK_TREE_VIEW (self->tree));
  GtkTreeModel *model;
  GtkTreeIter iter;
  char *uri = NULL;

  if (gtk_tree_selection_get_selected (selection, &model, &iter))
    gtk_tree_model_get (model, &iter, COL_URI, &uri, -1);
  return uri;
}

static void
on_play (GSimpleAction *action, GVariant *param, gpointer data)
{
  SemblanceSidebar *self = data;
  g_autofree char *uri = selected_uri (self);

  if (uri)
    g_signal_emit (self, signals[SIGNAL_PLAY], 0, uri);
}

static void
on_enqueue (GSimpleAction *action, GVariant *param, gpointer data)
{
  SemblanceSidebar *self = data;
  g_autofree char *uri = selected_uri (self);

  if (uri)
    g_signal_emit (self, signals[SIGNAL_ENQUEUE], 0, uri);
}

static void
on_add_to_playlist (GSimpleAction *action, GVariant *param, gpointer data)
{
  SemblanceSidebar *self = data;
  g_autofree char *uri = selected_uri (self);

  if (uri)
    g_signal_emit (self, signals[SIGNAL_ADD_TO_PLAYLIST], 0, uri,
        g_variant_get_string (param, NULL));
}

static void
on_row_activated (GtkTreeView *tree, GtkTreePath *path,
                  GtkTreeViewColumn *column, SemblanceSidebar *self)
{
  g_action_group_activate_action (G_ACTION_GROUP (self->actions), "play",
      NULL);
}

static GMenuModel *
context_menu_model (SemblanceSidebar *self)
{
  GMenu *menu = g_menu_new ();
  g_autoptr (GMenu) playlists = g_menu_new ();
  guint i;

  g_menu_append (menu, _("_Play"), "sidebar.play");
  g_menu_append (menu, _("Add to Play _Queue"), "sidebar.enqueue");
  for (i = 0; self->playlists && self->playlists[i]; i++) {
    g_autoptr (GMenuItem) item = g_menu_item_new (self->playlists[i], NULL);

    g_menu_item_set_action_and_target (item, "sidebar.add-to-playlist", "s",
        self->playlists[i]);
    g_menu_append_item (playlists, item);
  }
  if (i > 0)
    g_menu_append_submenu (menu, _("Add to P_laylist"),
        G_MENU_MODEL (playlists));
  return G_MENU_MODEL (menu);
}

static gboolean
on_button_press (GtkWidget *tree, GdkEventButton *event,
                 SemblanceSidebar *self)
{
  g_autoptr (GtkTreePath) path = NULL;
  g_autoptr (GMenuModel) model = NULL;

  if (!gdk_event_triggers_context_menu ((GdkEvent *) event))
    return FALSE;
  if (!gtk_tree_view_get_path_at_pos (GTK_TREE_VIEW (tree), event->x,
          event->y, &path, NULL, NULL, NULL))
    return FALSE;
  gtk_tree_selection_select_path (gtk_tree_view_get_selection
      (GTK_TREE_VIEW (tree)), path);
  g_signal_emit (self, signals[SIGNAL_MENU_OPENING], 0);
  model = context_menu_model (self);
  /* A menu destroyed when it closes would lose its items' actions before
   * they run (GTK deactivates a menu before activating the item): the
   * previous one goes when the next one opens, or with the tree. */
  if (self->menu)
    gtk_widget_destroy (self->menu);
  self->menu = gtk_menu_new_from_model (model);
  g_object_add_weak_pointer (G_OBJECT (self->menu), (gpointer *) &self->menu);
  gtk_menu_attach_to_widget (GTK_MENU (self->menu), tree, NULL);
  gtk_menu_popup_at_pointer (GTK_MENU (self->menu), (GdkEvent *) event);
  return TRUE;
}

static void
on_more_like_this (GtkButton *button, SemblanceSidebar *self)
{
  if (self->uri)
    g_signal_emit (self, signals[SIGNAL_MORE_LIKE_THIS], 0, self->uri);
}

static void
on_search (GtkSearchEntry *entry, SemblanceSidebar *self)
{
  const char *text = gtk_entry_get_text (GTK_ENTRY (entry));

  g_clear_pointer (&self->search_text, g_free);
  if (text && *text)
    self->search_text = g_strdup (text);
  semblance_sidebar_refresh (self);
}

/* Escape empties the field; an empty field (Escape, the clear icon, or
 * deleting the text) goes back to the playing track. A search itself
 * waits for Enter. */
static void
on_stop_search (GtkSearchEntry *entry, SemblanceSidebar *self)
{
  gtk_entry_set_text (GTK_ENTRY (entry), "");
}

static void
on_search_changed (GtkSearchEntry *entry, SemblanceSidebar *self)
{
  if (*gtk_entry_get_text (GTK_ENTRY (entry)) == '\0' && self->search_text)
    on_search (entry, self);
}

static void
semblance_sidebar_set_property (GObject *object, guint id,
                                const GValue *value, GParamSpec *pspec)
{
  SemblanceSidebar *self = SEMBLANCE_SIDEBAR (object);

  switch (id) {
    case PROP_N_RESULTS:
      self->n_results = g_value_get_uint (value);
      break;
    case PROP_EXCLUDE_SAME_ALBUM:
      self->exclude_same_album = g_value_get_boolean (value);
      break;
    case PROP_MAX_PER_ARTIST:
      self->max_per_artist = g_value_get_uint (value);
      break;
    case PROP_MAX_PER_ALBUM:
      self->max_per_album = g_value_get_uint (value);
      break;
    case PROP_MIN_DURATION:
      self->min_duration = g_value_get_uint (value);
      break;
    case PROP_PAUSED:
      /* The toggle's handler records the change and notifies. */
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->pause_button),
          g_value_get_boolean (value));
      return;
    case PROP_LIKE_PLAYING:
      /* Likewise. */
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->like_check),
          g_value_get_boolean (value));
      return;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
      return;
  }
  semblance_sidebar_refresh (self);
}

static void
semblance_sidebar_get_property (GObject *object, guint id, GValue *value,
                                GParamSpec *pspec)
{
  SemblanceSidebar *self = SEMBLANCE_SIDEBAR (object);

  switch (id) {
    case PROP_N_RESULTS:
      g_value_set_uint (value, self->n_results);
      break;
    case PROP_EXCLUDE_SAME_ALBUM:
      g_value_set_boolean (value, self->exclude_same_album);
      break;
    case PROP_MAX_PER_ARTIST:
      g_value_set_uint (value, self->max_per_artist);
      break;
    case PROP_MAX_PER_ALBUM:
      g_value_set_uint (value, self->max_per_album);
      break;
    case PROP_MIN_DURATION:
      g_value_set_uint (value, self->min_duration);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_LIKE_PLAYING:
      g_value_set_boolean (value, self->like_playing);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
      break;
  }
}

static void
on_pause_toggled (GtkToggleButton *button, SemblanceSidebar *self)
{
  gboolean active = gtk_toggle_button_get_active (button);

  gtk_button_set_image (GTK_BUTTON (button), gtk_image_new_from_icon_name
      (active ? "media-playback-start-symbolic" :
          "media-playback-pause-symbolic", GTK_ICON_SIZE_BUTTON));
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), active ?
      _("Resume the analysis") : _("Pause the analysis"));
  if (self->paused == active)
    return;
  self->paused = active;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PAUSED]);
}

static void
on_like_toggled (GtkToggleButton *button, SemblanceSidebar *self)
{
  gboolean active = gtk_toggle_button_get_active (button);

  gtk_entry_set_placeholder_text (GTK_ENTRY (self->search_entry), active ?
      _("Like this, but…") : _("Describe music…"));
  if (self->like_playing == active)
    return;
  self->like_playing = active;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LIKE_PLAYING]);
  if (self->search_text)
    semblance_sidebar_refresh (self);
}

static void
semblance_sidebar_dispose (GObject *object)
{
  SemblanceSidebar *self = SEMBLANCE_SIDEBAR (object);

  cancel_query (self);
  g_clear_object (&self->library);
  g_clear_object (&self->actions);
  G_OBJECT_CLASS (semblance_sidebar_parent_class)->dispose (object);
}

static void
semblance_sidebar_finalize (GObject *object)
{
  SemblanceSidebar *self = SEMBLANCE_SIDEBAR (object);

  g_free (self->uri);
  g_free (self->live_vector);
  g_free (self->search_text);
  g_free (self->library_error);
  g_strfreev (self->playlists);
  G_OBJECT_CLASS (semblance_sidebar_parent_class)->finalize (object);
}

static void
semblance_sidebar_class_init (SemblanceSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  semblance_ui_init_i18n ();
  object_class->set_property = semblance_sidebar_set_property;
  object_class->get_property = semblance_sidebar_get_property;
  object_class->dispose = semblance_sidebar_dispose;
  object_class->finalize = semblance_sidebar_finalize;

  props[PROP_N_RESULTS] = g_param_spec_uint ("n-results", "Results",
      "How many similar tracks to list", 1, 500, 10,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_EXCLUDE_SAME_ALBUM] = g_param_spec_boolean ("exclude-same-album",
      "Exclude same album", "Leave out the playing track's album", TRUE,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_MAX_PER_ARTIST] = g_param_spec_uint ("max-per-artist",
      "Tracks per artist", "At most this many results per artist (0: any)",
      0, 500, 0,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_MAX_PER_ALBUM] = g_param_spec_uint ("max-per-album",
      "Tracks per album", "At most this many results per album (0: any)",
      0, 500, 0,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_MIN_DURATION] = g_param_spec_uint ("min-duration",
      "Shortest track", "No result shorter than this many seconds (0: any)",
      0, 36000, 0,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_PAUSED] = g_param_spec_boolean ("paused", "Paused",
      "Whether the user paused the analysis of the library", FALSE,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_LIKE_PLAYING] = g_param_spec_boolean ("like-playing",
      "Like the playing track", "Whether a description searches among the "
      "tracks most like the playing one (\"like this, but calmer\")",
      FALSE,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_STATE] = g_param_spec_enum ("state", "State",
      "What the list shows", semblance_sidebar_state_get_type (),
      SEMBLANCE_SIDEBAR_NO_INDEX, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_PLAY] = g_signal_new ("play", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_ENQUEUE] = g_signal_new ("enqueue",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_ADD_TO_PLAYLIST] = g_signal_new ("add-to-playlist",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_MORE_LIKE_THIS] = g_signal_new ("more-like-this",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_MENU_OPENING] = g_signal_new ("menu-opening",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass),
      "semblance-sidebar");
}

static GtkWidget *
dim_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (label),
      "dim-label");
  return label;
}

static void
build_list (SemblanceSidebar *self)
{
  GtkCellRenderer *text = gtk_cell_renderer_text_new ();
  GtkCellRenderer *bar = gtk_cell_renderer_progress_new ();
  GtkTreeViewColumn *column = gtk_tree_view_column_new ();

  self->store = gtk_list_store_new (N_COLS, G_TYPE_STRING, G_TYPE_STRING,
      G_TYPE_INT);
  self->tree = gtk_tree_view_new_with_model (GTK_TREE_MODEL (self->store));
  g_object_unref (self->store);
  gtk_tree_view_set_headers_visible (GTK_TREE_VIEW (self->tree), FALSE);
  g_object_set (text, "ellipsize", PANGO_ELLIPSIZE_END, NULL);
  g_object_set (bar, "text", "", "ypad", 6, NULL);
  gtk_tree_view_column_pack_start (column, text, TRUE);
  gtk_tree_view_column_add_attribute (column, text, "markup", COL_TEXT);
  gtk_tree_view_column_set_expand (column, TRUE);
  gtk_tree_view_append_column (GTK_TREE_VIEW (self->tree), column);
  column = gtk_tree_view_column_new_with_attributes (NULL, bar, "value",
      COL_PERCENT, NULL);
  gtk_tree_view_column_set_fixed_width (column, 48);
  gtk_tree_view_column_set_sizing (column, GTK_TREE_VIEW_COLUMN_FIXED);
  gtk_tree_view_append_column (GTK_TREE_VIEW (self->tree), column);
  g_signal_connect (self->tree, "row-activated",
      G_CALLBACK (on_row_activated), self);
  g_signal_connect (self->tree, "button-press-event",
      G_CALLBACK (on_button_press), self);
}

static void
semblance_sidebar_init (SemblanceSidebar *self)
{
  static const GActionEntry entries[] = {
    { "play", on_play, NULL, NULL, NULL },
    { "enqueue", on_enqueue, NULL, NULL, NULL },
    { "add-to-playlist", on_add_to_playlist, "s", NULL, NULL },
  };
  GtkWidget *heading, *scrolled, *progress_row;

  self->n_results = 10;
  self->exclude_same_album = TRUE;
  self->state = SEMBLANCE_SIDEBAR_NO_INDEX;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self),
      GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  gtk_container_set_border_width (GTK_CONTAINER (self), 6);

  heading = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (heading), _("<b>Similar tracks</b>"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0.0f);
  gtk_box_pack_start (GTK_BOX (self), heading, FALSE, FALSE, 0);

  self->playing_label = gtk_label_new (_("Not playing"));
  gtk_label_set_xalign (GTK_LABEL (self->playing_label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (self->playing_label),
      PANGO_ELLIPSIZE_END);
  gtk_box_pack_start (GTK_BOX (self), self->playing_label, FALSE, FALSE, 0);
  self->words_label = dim_label ();
  gtk_widget_set_name (self->words_label, "words");
  gtk_widget_set_no_show_all (self->words_label, TRUE);
  gtk_box_pack_start (GTK_BOX (self), self->words_label, FALSE, FALSE, 0);

  self->search_entry = gtk_search_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->search_entry),
      _("Describe music…"));
  g_signal_connect (self->search_entry, "activate", G_CALLBACK (on_search),
      self);
  g_signal_connect (self->search_entry, "stop-search",
      G_CALLBACK (on_stop_search), self);
  g_signal_connect (self->search_entry, "search-changed",
      G_CALLBACK (on_search_changed), self);
  gtk_box_pack_start (GTK_BOX (self), self->search_entry, FALSE, FALSE, 0);
  self->like_check = gtk_check_button_new_with_mnemonic
      (_("_Like the playing track"));
  gtk_widget_set_name (self->like_check, "like-playing");
  gtk_widget_set_tooltip_text (self->like_check, _("Look for the "
          "description among the tracks most like the playing one: “like "
          "this, but calmer”"));
  g_signal_connect (self->like_check, "toggled",
      G_CALLBACK (on_like_toggled), self);
  gtk_box_pack_start (GTK_BOX (self), self->like_check, FALSE, FALSE, 0);

  build_list (self);
  scrolled = gtk_scrolled_window_new (NULL, NULL);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
      GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_shadow_type (GTK_SCROLLED_WINDOW (scrolled),
      GTK_SHADOW_IN);
  gtk_container_add (GTK_CONTAINER (scrolled), self->tree);
  self->empty_label = dim_label ();
  gtk_label_set_justify (GTK_LABEL (self->empty_label), GTK_JUSTIFY_CENTER);
  gtk_label_set_xalign (GTK_LABEL (self->empty_label), 0.5f);
  gtk_label_set_max_width_chars (GTK_LABEL (self->empty_label), 30);
  self->stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled, "results");
  gtk_stack_add_named (GTK_STACK (self->stack), self->empty_label, "message");
  gtk_box_pack_start (GTK_BOX (self), self->stack, TRUE, TRUE, 0);

  self->more_button = gtk_button_new_with_mnemonic (_("_More like this"));
  gtk_widget_set_name (self->more_button, "more-like-this");
  gtk_widget_set_tooltip_text (self->more_button,
      _("Make a playlist of the tracks most like the playing one"));
  g_signal_connect (self->more_button, "clicked",
      G_CALLBACK (on_more_like_this), self);
  gtk_box_pack_start (GTK_BOX (self), self->more_button, FALSE, FALSE, 0);

  self->progress_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  self->progress_label = dim_label ();
  gtk_box_pack_start (GTK_BOX (self->progress_box), self->progress_label,
      FALSE, FALSE, 0);
  progress_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->progress_bar = gtk_progress_bar_new ();
  gtk_widget_set_valign (self->progress_bar, GTK_ALIGN_CENTER);
  gtk_box_pack_start (GTK_BOX (progress_row), self->progress_bar, TRUE, TRUE,
      0);
  self->pause_button = gtk_toggle_button_new ();
  gtk_widget_set_name (self->pause_button, "pause");
  gtk_button_set_relief (GTK_BUTTON (self->pause_button), GTK_RELIEF_NONE);
  g_signal_connect (self->pause_button, "toggled",
      G_CALLBACK (on_pause_toggled), self);
  on_pause_toggled (GTK_TOGGLE_BUTTON (self->pause_button), self);
  gtk_box_pack_start (GTK_BOX (progress_row), self->pause_button, FALSE,
      FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self->progress_box), progress_row, FALSE,
      FALSE, 0);
  gtk_box_pack_end (GTK_BOX (self), self->progress_box, FALSE, FALSE, 0);
  /* Its children shown now, the box itself only while a run goes on: a
   * player's show_all must not show it, and show_all stops at a widget
   * marked no-show-all, so the mark comes after. */
  gtk_widget_show_all (self->progress_box);
  gtk_widget_hide (self->progress_box);
  gtk_widget_set_no_show_all (self->progress_box, TRUE);

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries,
      G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "sidebar",
      G_ACTION_GROUP (self->actions));

  /* A stack shows only visible children: show them before choosing. */
  gtk_widget_show_all (GTK_WIDGET (self));
  semblance_sidebar_refresh (self);
}

GtkWidget *
semblance_sidebar_new (void)
{
  return g_object_new (SEMBLANCE_TYPE_SIDEBAR, NULL);
}
