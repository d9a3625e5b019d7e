/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-preferences.h"

#include <glib/gi18n-lib.h>

#include "semblance-ui.h"
#include "semblance.h"

/* The next free row of the grid. */
static int
next_row (GtkWidget *grid)
{
  int row = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (grid), "row"));

  g_object_set_data (G_OBJECT (grid), "row", GINT_TO_POINTER (row + 1));
  return row;
}

static void
attach (GtkWidget *grid, const char *mnemonic, GtkWidget *control)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);
  int row = next_row (grid);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), control);
  gtk_widget_set_hexpand (control, TRUE);
  gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), control, 1, row, 1, 1);
}

/* The keys are unsigned; a spin button's value is a double. */
static gboolean
uint_to_value (GValue *value, GVariant *variant, gpointer data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant));
  return TRUE;
}

static GVariant *
value_to_uint (const GValue *value, const GVariantType *type, gpointer data)
{
  return g_variant_new_uint32 ((guint32) MAX (0.0, g_value_get_double (value)));
}

/* A spin button over the key's range in the schema. */
static GtkWidget *
spin (GSettings *settings, const char *key)
{
  g_autoptr (GSettingsSchema) schema = NULL;
  g_autoptr (GSettingsSchemaKey) schema_key = NULL;
  g_autoptr (GVariant) range = NULL;
  GVariant *limits;
  guint32 min, max;
  GtkWidget *button;

  g_object_get (settings, "settings-schema", &schema, NULL);
  schema_key = g_settings_schema_get_key (schema, key);
  range = g_settings_schema_key_get_range (schema_key);
  g_variant_get (range, "(sv)", NULL, &limits);
  g_variant_get (limits, "(uu)", &min, &max);
  g_variant_unref (limits);
  button = gtk_spin_button_new_with_range (min, max, 1);

  gtk_widget_set_name (button, key);
  g_settings_bind_with_mapping (settings, key, button, "value",
      G_SETTINGS_BIND_DEFAULT, uint_to_value, value_to_uint, NULL, NULL);
  return button;
}

static void
check (GtkWidget *grid, GSettings *settings, const char *key,
       const char *mnemonic)
{
  GtkWidget *button = gtk_check_button_new_with_mnemonic (mnemonic);

  g_settings_bind (settings, key, button, "active", G_SETTINGS_BIND_DEFAULT);
  gtk_grid_attach (GTK_GRID (grid), button, 0, next_row (grid), 2, 1);
}

static void
on_model_chosen (GtkFileChooserButton *button, GSettings *settings)
{
  g_autofree char *path = gtk_file_chooser_get_filename
      (GTK_FILE_CHOOSER (button));

  g_settings_set_string (settings, "model-file", path ? path : "");
}

/* Shows the model the setting names, or the default model's file when it
 * names none: the button would say "(None)" while the default model is
 * in use. Only the user's choice writes the setting ("file-set"). */
static void
show_model (GtkFileChooser *chooser, const char *setting)
{
  g_autofree char *path = semblance_model_resolve (setting && *setting
      ? setting : NULL, FALSE, NULL);

  if (path)
    gtk_file_chooser_set_filename (chooser, path);
  else
    gtk_file_chooser_unselect_all (chooser);
}

static void
on_default_model (GtkButton *button, GtkFileChooser *chooser)
{
  GSettings *settings = g_object_get_data (G_OBJECT (chooser), "settings");

  g_settings_reset (settings, "model-file");
  show_model (chooser, NULL);
}

GtkWidget *
semblance_preferences_new (GSettings *settings)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *target, *chooser, *reset, *model_row;
  g_autofree char *model = g_settings_get_string (settings, "model-file");
  GtkFileFilter *filter = gtk_file_filter_new ();

  semblance_ui_init_i18n ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_container_set_border_width (GTK_CONTAINER (grid), 12);

  attach (grid, _("_Suggestions in the sidebar:"),
      spin (settings, "n-suggestions"));
  attach (grid, _("_Tracks in a “More like this” playlist:"),
      spin (settings, "playlist-length"));
  check (grid, settings, "exclude-same-album",
      _("Leave out tracks of the same _album"));
  attach (grid, _("At most this many tracks per a_rtist (0: any):"),
      spin (settings, "max-per-artist"));
  attach (grid, _("At most this many tracks per al_bum (0: any):"),
      spin (settings, "max-per-album"));
  attach (grid, _("Leave out tracks shorter than (seconds, 0: _none):"),
      spin (settings, "min-duration"));

  target = gtk_combo_box_text_new ();
  gtk_widget_set_name (target, "more-like-this-target");
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (target), "playlist",
      _("a new playlist named after the track"));
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (target), "queue",
      _("the play queue"));
  g_settings_bind (settings, "more-like-this-target", target, "active-id",
      G_SETTINGS_BIND_DEFAULT);
  attach (grid, _("“More like this” _fills:"), target);

  chooser = gtk_file_chooser_button_new (_("Choose a Semblance model"),
      GTK_FILE_CHOOSER_ACTION_OPEN);
  gtk_file_filter_set_name (filter, _("Semblance models"));
  gtk_file_filter_add_pattern (filter, "*.smodel");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_widget_set_name (chooser, "model-file");
  show_model (GTK_FILE_CHOOSER (chooser), model);
  g_object_set_data_full (G_OBJECT (chooser), "settings",
      g_object_ref (settings), g_object_unref);
  g_signal_connect_object (chooser, "file-set", G_CALLBACK (on_model_chosen),
      settings, 0);
  reset = gtk_button_new_with_mnemonic (_("_Default"));
  gtk_widget_set_tooltip_text (reset, _("Use the model installed with "
          "Semblance"));
  g_signal_connect_object (reset, "clicked", G_CALLBACK (on_default_model),
      chooser, 0);
  model_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_pack_start (GTK_BOX (model_row), chooser, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (model_row), reset, FALSE, FALSE, 0);
  attach (grid, _("_Model:"), model_row);

  attach (grid, _("Analysis _threads (0: one less than the cores):"),
      spin (settings, "analysis-threads"));
  check (grid, settings, "pause-during-playback",
      _("_Pause the analysis while music plays"));

  gtk_widget_show_all (grid);
  return grid;
}
