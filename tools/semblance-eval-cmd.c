/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* semblance eval: a model against raw features and random vectors, on
 * held-out tracks, in one run. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "semblance-blend.h"
#include "semblance-cmd.h"
#include "semblance-output.h"
#include "semblance-dataset.h"

typedef struct
{
  const char *name;
  double spearman, precision, ndcg;
} Row;

/* Full distance matrix (rows x rows) of @v, and its upper triangle; NULL
 * when there is not the memory. */
static float *
distance_matrix (const float *v, guint rows, guint dim, float *pairs)
{
  float *d = g_try_new0 (float, (gsize) rows * rows);
  gsize p = 0;
  guint i, j;

  if (!d)
    return NULL;
  semblance_pair_distances (v, rows, dim, pairs);
  for (i = 0; i < rows; i++)
    for (j = i + 1; j < rows; j++, p++)
      d[(gsize) i * rows + j] = d[(gsize) j * rows + i] = pairs[p];
  return d;
}

/* The matrices of @n tracks, in bytes: the semantic one, its pairs, and
 * a model's distances and their pairs while it is scored. */
static double
matrix_bytes (guint n)
{
  return 4.0 * 3 * n * (double) n;
}

static double
memory_bytes (void)
{
  return (double) sysconf (_SC_PHYS_PAGES) * sysconf (_SC_PAGESIZE);
}

static gboolean
score (Row *row, const float *v, guint dim, const SemblanceDataset *set,
       const float *sem_matrix, const float *sem_pairs, guint k)
{
  guint n = set->n;
  gsize pairs = (gsize) n * (n - 1) / 2;
  g_autofree float *dp = g_try_new (float, pairs);
  g_autofree float *d = dp ? distance_matrix (v, n, dim, dp) : NULL;

  if (!d)
    return FALSE;
  row->spearman = semblance_spearman (dp, sem_pairs, pairs);
  row->precision = semblance_precision_at_k (d, n,
      (const char *const *) set->labels, k);
  row->ndcg = semblance_ndcg_at_k (d, sem_matrix, n, k);
  return TRUE;
}

/* @n property vectors (@dim values) extended by the blend with their
 * predicted semantic distance, fitted to them as a library of these
 * tracks would fit it (semblance-blend.h); without a semantic map, the
 * property vectors themselves. */
static float *
blend_vectors (const SemblanceModel *m, const float *property, guint n,
               guint dim, guint *out_dim)
{
  g_autoptr (SemblanceBlend) blend = semblance_blend_fit (m->semantic_map,
      m->semantic_bias, dim, m->semantic_dim, property, n,
      semblance_blend_default_weight (), SEMBLANCE_BLEND_RANK);
  guint extra = blend ? semblance_blend_get_rank (blend) : 0, i;
  g_autofree float *values = g_new (float, (gsize) n * MAX (extra, 1));
  float *out = g_new (float, (gsize) n * (dim + extra));

  if (blend)
    semblance_blend_apply (blend, property, n, values);
  for (i = 0; i < n; i++) {
    memcpy (out + (gsize) i * (dim + extra), property + (gsize) i * dim,
        dim * sizeof (float));
    memcpy (out + (gsize) i * (dim + extra) + dim, values + (gsize) i *
        extra, extra * sizeof (float));
  }
  *out_dim = dim + extra;
  return out;
}

int
semblance_cmd_eval (int argc, char **argv)
{
  g_autofree char *model_path = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceDataset) set = NULL;
  g_autoptr (SemblanceEmbedder) embedder = NULL;
  g_autoptr (GRand) rand = NULL;
  g_autofree float *features = NULL, *property = NULL, *raw = NULL;
  g_autofree float *random = NULL, *sem_matrix = NULL, *sem_pairs = NULL;
  g_autofree float *blended = NULL;
  gboolean json = FALSE;
  gint k = 10;
  gint64 seed = 1;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path,
      "Model to evaluate (default: the default model)", "MODEL" },
    { "k", 'k', 0, G_OPTION_ARG_INT, &k, "Neighbours for precision and NDCG "
      "(10)", "K" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the random vectors",
      "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL,
      NULL },
    { NULL }
  };
  Row rows[4] = {
    { "trained model" }, { "blended" }, { "raw features" },
    { "random vectors" },
  };
  guint n, dim, blended_dim, i, j;
  gsize p = 0;

  context = g_option_context_new ("LABELS.tsv - evaluate a model on "
      "labelled tracks (held out from its training, for figures that mean "
      "anything)");
  g_option_context_set_description (context,
      "LABELS.tsv: one track per line: path, TAB, label, TAB, and a "
      "description or a semantic vector. Prints, for the model (its "
      "property vectors, then blended with their predicted semantic "
      "distance as `similar` ranks), the "
      "standardised raw features (Euclidean) and random vectors: the "
      "Spearman correlation of their distances with the semantic distances "
      "over all pairs, precision@K for the label, and NDCG@K with semantic "
      "similarity as the gain.\n");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("semblance eval: %s\n", error->message);
    return 2;
  }
  if (!args || !args[0] || args[1] || k < 1) {
    g_printerr ("semblance eval: give one LABELS.tsv\n");
    return 2;
  }

  embedder = semblance_embedder_new_from_file (model_path, &error);
  if (embedder)
    set = semblance_dataset_load (args[0], TRUE, &error);
  /* Before hours of analysis: the table may be too large to compare. */
  if (set && matrix_bytes (set->n) > memory_bytes () / 2) {
    g_printerr ("semblance eval: %u tracks need %.1f GB for the distances "
        "of every pair, more than half of this machine's memory: evaluate "
        "fewer tracks\n", set->n, matrix_bytes (set->n) / 1e9);
    return 1;
  }
  if (set)
    features = semblance_dataset_features (set, TRUE, &error);
  if (!features) {
    g_printerr ("semblance eval: %s\n", error->message);
    return 1;
  }
  n = set->n;
  if (n < 3) {
    g_printerr ("semblance eval: %u tracks are too few\n", n);
    return 1;
  }
  dim = semblance_embedder_get_dim (embedder);

  property = g_new (float, (gsize) n * dim);
  semblance_embedder_embed (embedder, features, n, property);
  raw = g_new (float, (gsize) n * SEMBLANCE_FEATURE_DIM);
  semblance_model_standardise (semblance_embedder_get_model (embedder),
      features, n, raw);
  rand = g_rand_new_with_seed ((guint32) seed);
  random = g_new (float, (gsize) n * dim);
  for (i = 0; i < n * dim; i++)
    random[i] = (float) g_rand_double (rand);

  /* Every pair is compared: n² floats, which a large table cannot have
   * (the kernel may promise more memory than it can give: half of it at
   * most). */
  if (matrix_bytes (n) <= memory_bytes () / 2) {
    sem_matrix = g_try_new0 (float, (gsize) n * n);
    sem_pairs = sem_matrix ? g_try_new (float, (gsize) n * (n - 1) / 2)
        : NULL;
  }
  if (!sem_pairs) {
    g_printerr ("semblance eval: %u tracks need %.1f GB for the distances "
        "of every pair, more than there is: evaluate fewer tracks\n", n,
        matrix_bytes (n) / 1e9);
    return 1;
  }
  for (i = 0; i < n; i++)
    for (j = i + 1; j < n; j++) {
      double dot = 0.0;
      guint c;

      for (c = 0; c < set->semantic_dim; c++)
        dot += (double) set->semantic[(gsize) i * set->semantic_dim + c] *
            set->semantic[(gsize) j * set->semantic_dim + c];
      sem_matrix[(gsize) i * n + j] = sem_matrix[(gsize) j * n + i] =
          (float) (1.0 - dot);
      sem_pairs[p++] = (float) (1.0 - dot);
    }

  blended = blend_vectors (semblance_embedder_get_model (embedder), property,
      n, dim, &blended_dim);
  if (!score (&rows[0], property, dim, set, sem_matrix, sem_pairs, k)
      || !score (&rows[1], blended, blended_dim, set, sem_matrix, sem_pairs,
          k)
      || !score (&rows[2], raw, SEMBLANCE_FEATURE_DIM, set, sem_matrix,
          sem_pairs, k)
      || !score (&rows[3], random, dim, set, sem_matrix, sem_pairs, k)) {
    g_printerr ("semblance eval: %u tracks need %.1f GB for the distances "
        "of every pair, more than there is: evaluate fewer tracks\n", n,
        matrix_bytes (n) / 1e9);
    return 1;
  }

  if (json) {
    g_autoptr (JsonBuilder) b = json_builder_new ();
    g_autoptr (JsonNode) root = NULL;
    g_autofree char *text = NULL;

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "model");
    json_builder_add_string_value (b, semblance_model_get_id
        (semblance_embedder_get_model (embedder)));
    json_builder_set_member_name (b, "tracks");
    json_builder_add_int_value (b, n);
    json_builder_set_member_name (b, "k");
    json_builder_add_int_value (b, k);
    for (i = 0; i < G_N_ELEMENTS (rows); i++) {
      json_builder_set_member_name (b, rows[i].name);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "spearman");
      semblance_json_add_number (b, rows[i].spearman);
      json_builder_set_member_name (b, "precision");
      semblance_json_add_number (b, rows[i].precision);
      json_builder_set_member_name (b, "ndcg");
      semblance_json_add_number (b, rows[i].ndcg);
      json_builder_end_object (b);
    }
    json_builder_end_object (b);
    root = json_builder_get_root (b);
    text = semblance_json_to_string (root);
    g_print ("%s\n", text);
    return 0;
  }

  /* The model does not know its training tracks by name: whether these
   * are held out is for the user to say. */
  g_print ("%u tracks, model %.12s (trained on %u tracks: the figures are "
      "held-out figures only if these were not among them)\n\n", n,
      semblance_model_get_id (semblance_embedder_get_model (embedder)),
      semblance_embedder_get_model (embedder)->card.training_tracks);
  g_print ("%-16s %9s %14s %9s\n", "", "Spearman", "precision@K", "NDCG@K");
  for (i = 0; i < G_N_ELEMENTS (rows); i++)
    g_print ("%-16s %9.3f %14.3f %9.3f\n", rows[i].name, rows[i].spearman,
        rows[i].precision, rows[i].ndcg);
  g_print ("\n(K = %d; Spearman between distances and semantic distances "
      "over all %" G_GSIZE_FORMAT " pairs)\n", k, p);
  return 0;
}
