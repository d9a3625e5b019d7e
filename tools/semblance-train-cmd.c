/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* semblance train: a model from tracks and their descriptions. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "semblance-cmd.h"
#include "semblance-dataset.h"

/* Fewer validation tracks than this cannot judge early stopping: 10 tracks
 * give 45 pairs for the Spearman correlation. */
#define MIN_VALIDATION_TRACKS 10

typedef struct
{
  gboolean tty;
  guint last_printed;
} Progress;

static void
on_progress (guint epoch, guint epochs, double loss, double val_spearman,
             double seconds_left, gpointer user_data)
{
  Progress *p = user_data;

  /* On a terminal one line that updates; elsewhere a line every 10 epochs. */
  if (!p->tty && epoch % 10 != 0 && epoch != epochs)
    return;
  /* Below -1: too few described tracks to correlate with. */
  if (val_spearman < -1.5)
    fprintf (stderr, "%sepoch %u/%u  loss %.4f  %.0f s left%s",
        p->tty ? "\r" : "", epoch, epochs, loss, seconds_left,
        p->tty ? "   " : "\n");
  else
    fprintf (stderr, "%sepoch %u/%u  loss %.4f  validation Spearman %.3f  "
        "%.0f s left%s", p->tty ? "\r" : "", epoch, epochs, loss,
        val_spearman, seconds_left, p->tty ? "   " : "\n");
  p->last_printed = epoch;
}

/* Numbers the top-level folders (below the table's folder) of the tracks. */
static guint *
folder_groups (const char *table, const SemblanceDataset *set)
{
  g_autofree char *dir = g_path_get_dirname (table);
  g_autofree char *root = g_canonicalize_filename (dir, NULL);
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  guint *groups = g_new (guint, set->n), i;

  for (i = 0; i < set->n; i++) {
    const char *path = set->paths[i];
    g_autofree char *top = NULL;
    const char *slash;
    gpointer id;

    if (g_str_has_prefix (path, root) && path[strlen (root)] == '/')
      path += strlen (root) + 1;
    slash = strchr (path, '/');
    top = slash ? g_strndup (path, slash - path) : g_strdup ("");
    if (!g_hash_table_lookup_extended (ids, top, NULL, &id)) {
      id = GUINT_TO_POINTER (g_hash_table_size (ids));
      g_hash_table_insert (ids, g_steal_pointer (&top), id);
    }
    groups[i] = GPOINTER_TO_UINT (id);
  }
  return groups;
}

static void
add_metric (SemblanceModelCard *card, const char *name, double value)
{
  g_ptr_array_add (card->metric_names, g_strdup (name));
  g_array_append_val (card->metric_values, value);
}

/* "--metric NAME=VALUE": figures measured outside this run (for example a
 * leave-games-out evaluation) that the card should carry. */
static gboolean
parse_metric (const char *option, char **name, double *value, GError **error)
{
  const char *eq = strrchr (option, '=');
  char *end = NULL;

  if (eq && eq != option) {
    *value = g_ascii_strtod (eq + 1, &end);
    if (end != eq + 1 && *end == '\0' && isfinite (*value)) {
      *name = g_strndup (option, eq - option);
      return TRUE;
    }
  }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
      "--metric takes NAME=NUMBER, not \"%s\"", option);
  return FALSE;
}

/* A share option (0 to 1) given as @value, negative when not given: into
 * @out, or FALSE with the reason on stderr. */
static gboolean
take_share (const char *name, double value, double *out)
{
  if (value < 0)
    return TRUE;
  if (value > 1) {
    g_printerr ("semblance train: --%s takes 0 to 1, not %g\n", name, value);
    return FALSE;
  }
  *out = value;
  return TRUE;
}

int
semblance_cmd_train (int argc, char **argv)
{
  g_autofree char *output = NULL, *name = NULL, *license = NULL;
  g_autofree char *description = NULL, *authors = NULL, *data_text = NULL;
  g_autofree char *data_licenses = NULL;
  g_auto (GStrv) args = NULL, metrics = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceDataset) set = NULL;
  g_autoptr (SemblanceModel) model = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autofree float *features = NULL;
  SemblanceTrainReport result;
  SemblanceTrainOptions o;
  Progress progress = { isatty (STDERR_FILENO), 0 };
  gint epochs = -1, patience = -1, hidden = -1, group_out = -1, batch = -1, extreme_m = -1;
  gint64 seed = -1;
  gboolean extreme = FALSE;
  double val_fraction = -1, learning_rate = -1, weight_decay = -1;
  double input_noise = -1, acoustic_weight = -1, validation_weight = -1;
  gboolean by_folder = FALSE;
  g_autofree guint *groups = NULL;
  g_autoptr (GPtrArray) extra_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) extra_values = g_array_new (FALSE, FALSE, sizeof (double));
  guint i;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Model file to write (required)", "MODEL" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Name of the model", "NAME" },
    { "license", 0, 0, G_OPTION_ARG_STRING, &license,
      "SPDX license of the model (default NOASSERTION)", "SPDX" },
    { "description", 0, 0, G_OPTION_ARG_STRING, &description,
      "What the model is for", "TEXT" },
    { "authors", 0, 0, G_OPTION_ARG_STRING, &authors, "Who made it", "TEXT" },
    { "training-data", 0, 0, G_OPTION_ARG_STRING, &data_text,
      "What the training material is", "TEXT" },
    { "training-licenses", 0, 0, G_OPTION_ARG_STRING, &data_licenses,
      "Licenses of the training material", "TEXT" },
    { "epochs", 0, 0, G_OPTION_ARG_INT, &epochs, "At most this many epochs",
      "N" },
    { "patience", 0, 0, G_OPTION_ARG_INT, &patience,
      "Stop after this many epochs without a better validation score", "N" },
    { "hidden", 0, 0, G_OPTION_ARG_INT, &hidden,
      "Hidden units per property group", "N" },
    { "group-out", 0, 0, G_OPTION_ARG_INT, &group_out,
      "Outputs per property group", "N" },
    { "batch-size", 0, 0, G_OPTION_ARG_INT, &batch, "Tracks per batch", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the run", "N" },
    { "val-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &val_fraction,
      "Share of tracks held out for early stopping", "F" },
    { "learning-rate", 0, 0, G_OPTION_ARG_DOUBLE, &learning_rate,
      "Adam's learning rate", "F" },
    { "weight-decay", 0, 0, G_OPTION_ARG_DOUBLE, &weight_decay,
      "Decoupled weight decay", "F" },
    { "input-noise", 0, 0, G_OPTION_ARG_DOUBLE, &input_noise,
      "Gaussian noise on the standardised features while training", "F" },
    { "validation-by-folder", 0, 0, G_OPTION_ARG_NONE, &by_folder,
      "Hold out whole top-level folders of the table (games, albums) for "
      "validation", NULL },
    { "acoustic-weight", 0, 0, G_OPTION_ARG_DOUBLE, &acoustic_weight,
      "Share of the loss that keeps the distances of the standardised "
      "features, over all pairs (0 to 1; the rest follows the descriptions)",
      "W" },
    { "validation-acoustic-weight", 0, 0, G_OPTION_ARG_DOUBLE,
      &validation_weight,
      "Share of the acoustic Spearman in the score by which early stopping "
      "keeps the best epoch (0 to 1; default: the acoustic weight; 0: the "
      "epoch that follows the held-out descriptions best)", "W" },
    { "extreme-pairs", 0, 0, G_OPTION_ARG_NONE, &extreme,
      "Train on the nearest and farthest pairs only", NULL },
    { "extreme-m", 0, 0, G_OPTION_ARG_INT, &extreme_m,
      "Pairs at each extreme per track", "M" },
    { "metric", 0, 0, G_OPTION_ARG_STRING_ARRAY, &metrics,
      "A held-out figure measured elsewhere, for the model card (repeatable)",
      "NAME=VALUE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL,
      NULL },
    { NULL }
  };

  context = g_option_context_new ("DATA.tsv - train a model");
  g_option_context_set_description (context,
      "DATA.tsv: one track per line, its path (relative to the file's "
      "folder), a TAB, and either a description in words or a semantic "
      "vector (numbers separated by TABs). A line with a path alone is a "
      "track without a description: it trains through the acoustic term. "
      "Feature vectors are cached, so a second run does not decode "
      "again.\n");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("semblance train: %s\n", error->message);
    return 2;
  }
  if (!args || !args[0] || args[1] || !output) {
    g_printerr ("semblance train: give one DATA.tsv and -o MODEL\n");
    return 2;
  }

  for (i = 0; metrics && metrics[i]; i++) {
    char *metric_name;
    double value;

    if (!parse_metric (metrics[i], &metric_name, &value, &error)) {
      g_printerr ("semblance train: %s\n", error->message);
      return 2;
    }
    g_ptr_array_add (extra_names, metric_name);
    g_array_append_val (extra_values, value);
  }

  semblance_train_options_init (&o);
  if (epochs > 0)
    o.epochs = epochs;
  if (patience > 0)
    o.patience = patience;
  if (hidden > 0)
    o.hidden = MIN (hidden, SEMBLANCE_MODEL_MAX_UNITS);
  if (group_out > 0)
    o.group_out = MIN (group_out, SEMBLANCE_MODEL_MAX_UNITS);
  if (batch > 1)
    o.batch_size = batch;
  if (seed >= 0)
    o.seed = (guint64) seed;
  if (val_fraction > 0 && val_fraction < 1)
    o.val_fraction = val_fraction;
  if (extreme_m > 0)
    o.extreme_m = extreme_m;
  if (learning_rate > 0)
    o.learning_rate = learning_rate;
  if (weight_decay >= 0)
    o.weight_decay = weight_decay;
  if (input_noise > 0)
    o.input_noise = input_noise;
  if (!take_share ("acoustic-weight", acoustic_weight, &o.acoustic_weight) ||
      !take_share ("validation-acoustic-weight", validation_weight,
          &o.validation_acoustic_weight))
    return 2;
  o.extreme_pairs = extreme;
  o.progress = on_progress;
  o.user_data = &progress;

  set = semblance_dataset_load (args[0], FALSE, &error);
  if (set)
    features = semblance_dataset_features (set, TRUE, &error);
  if (!features) {
    g_printerr ("semblance train: %s\n", error->message);
    return 1;
  }
  if (by_folder) {
    groups = folder_groups (args[0], set);
    o.groups = groups;
  } else {
    /* The split semblance_train() makes. A Spearman over a handful of
     * tracks is noise: early stopping on it ends a run at random. */
    guint n_val = (guint) MAX (2.0, floor (set->n * o.val_fraction));

    if (n_val < MIN_VALIDATION_TRACKS) {
      g_printerr ("semblance train: %u of %u tracks for validation "
          "(--val-fraction %g): too few for early stopping, which %s\n",
          n_val, set->n, o.val_fraction, patience > 0 ? "--patience keeps"
          : "is off: every epoch runs");
      if (patience <= 0)
        o.patience = o.epochs;
    }
  }
  o.n_words = set->n_words;
  o.words = set->words;
  o.word_vectors = set->word_vectors;
  o.word_labels = set->mentions;
  model = semblance_train (features, set->n, set->semantic,
      set->semantic_dim, &o, &result, &error);
  if (!model) {
    g_printerr ("%ssemblance train: %s\n", progress.tty ? "\n" : "",
        error->message);
    return 1;
  }
  if (progress.tty)
    fputc ('\n', stderr);

  now = g_date_time_new_now_utc ();
#define SET(field, value) \
  G_STMT_START { g_free (model->card.field); \
    model->card.field = g_strdup (value); } G_STMT_END
  SET (name, name ? name : "unnamed model");
  SET (description, description ? description : "");
  SET (license, license ? license : "NOASSERTION");
  SET (authors, authors ? authors : "");
  SET (training_data, data_text ? data_text : args[0]);
  SET (training_licenses, data_licenses ? data_licenses : "");
  SET (text_encoder, set->semantic_source);
#undef SET
  g_free (model->card.created);
  model->card.created = g_date_time_format_iso8601 (now);
  g_free (model->card.training_list_sha256);
  model->card.training_list_sha256 = g_compute_checksum_for_bytes
      (G_CHECKSUM_SHA256, set->contents);
  for (i = 0; i < extra_names->len; i++)
    add_metric (&model->card, extra_names->pdata[i],
        g_array_index (extra_values, double, i));

  if (!semblance_model_save (model, output, &error)) {
    g_printerr ("semblance train: %s\n", error->message);
    return 1;
  }
  g_print ("%s: %u tracks (%u for validation), best epoch %u of %u, ",
      output, set->n, result.n_val, result.best_epoch, result.epochs_run);
  if (result.val_spearman < -1.5)
    g_print ("acoustic Spearman %.3f (too few described tracks for the "
        "semantic one)\n", result.val_acoustic_spearman);
  else
    g_print ("validation Spearman %.3f (raw features %.3f)\n",
        result.val_spearman, result.val_raw_spearman);
  if (set->n_words > 0)
    g_print ("%u of %u describer words calibrated (%u more left out: on "
        "held-out tracks they were not said rightly often enough)\n",
        model->calibrations->len, set->n_words, result.words_failed_check);
  g_print ("model id %s\n", semblance_model_get_id (model));
  return 0;
}
