/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-quality: how well each way of measuring distance between tracks
 * finds neighbours a listener would accept, on real music, all methods in
 * one run (README.md beside this file). The collections are arguments;
 * nothing of them is in the repository.
 */
#include <float.h>
#include <gst/gst.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "quality-eval.h"
#include "quality-sets.h"
#include "quality-tracks.h"
#include "semblance-blend.h"
#include "semblance-catalog.h"
#include "semblance-confident.h"
#include "semblance-describe.h"
#include "semblance-embedder.h"
#include "semblance-model.h"
#include "semblance-network.h"
#include "semblance-search.h"
#include "semblance-text.h"
#include "semblance-train.h"
#include "semblance-wordnet.h"

#define K 10
/* The games protocol leaves out sound effects and jingles, and games too
 * small to have ten neighbours of their own. */
#define MIN_SECONDS 10.0
#define MIN_GAME_TRACKS 5

/* A method: its distances, or, for one that only answers queries, each
 * track's K nearest others. */
typedef struct
{
  char *name;
  float *d;                     /* n x n, or NULL */
  guint *nb;                    /* n x K, or NULL */
} Row;

static void
row_free (Row *row)
{
  g_free (row->name);
  g_free (row->d);
  g_free (row->nb);
  g_free (row);
}

/* The K nearest others of every track by @row, to free. */
static guint *
row_neighbours (const Row *row, guint n)
{
  return row->nb ? g_memdup2 (row->nb, (gsize) n * K * sizeof (guint))
      : quality_neighbours (row->d, n, K);
}

static void
add_row (GPtrArray *rows, float *d, const char *format, ...)
    G_GNUC_PRINTF (3, 4);

static void
add_row (GPtrArray *rows, float *d, const char *format, ...)
{
  Row *row = g_new0 (Row, 1);
  va_list ap;

  va_start (ap, format);
  row->name = g_strdup_vprintf (format, ap);
  va_end (ap);
  row->d = d;
  g_ptr_array_add (rows, row);
}

/* A collection once analysed: clips[i] and tracks[i] are the same file. */
typedef struct
{
  guint n;
  GPtrArray *clips;             /* QualityClip, owned by the caller */
  GPtrArray *tracks;            /* QualityTrack */
  GPtrArray *dropped;           /* "FILE: reason" */
} Collection;

static void
collection_clear (Collection *c)
{
  g_clear_pointer (&c->clips, g_ptr_array_unref);
  g_clear_pointer (&c->tracks, g_ptr_array_unref);
  g_clear_pointer (&c->dropped, g_ptr_array_unref);
}

static void
collection_analyse (Collection *c, GPtrArray *clips, guint threads)
{
  g_autoptr (GPtrArray) paths = g_ptr_array_new ();
  g_autoptr (GHashTable) clip_of = g_hash_table_new (g_str_hash,
      g_str_equal);
  g_autoptr (GPtrArray) tracks = NULL;
  guint i;

  for (i = 0; i < clips->len; i++) {
    QualityClip *clip = clips->pdata[i];

    g_ptr_array_add (paths, clip->path);
    g_hash_table_insert (clip_of, clip->path, clip);
  }
  c->dropped = g_ptr_array_new_with_free_func (g_free);
  tracks = quality_tracks_analyse (paths, threads, c->dropped);
  c->clips = g_ptr_array_new ();
  c->tracks = g_ptr_array_new_with_free_func ((GDestroyNotify)
      quality_track_free);
  for (i = 0; i < tracks->len; i++) {
    QualityTrack *t = tracks->pdata[i];

    g_ptr_array_add (c->clips, g_hash_table_lookup (clip_of, t->path));
    g_ptr_array_add (c->tracks, t);
  }
  g_ptr_array_set_free_func (tracks, NULL);
  c->n = c->tracks->len;
}

/* Keeps the tracks for which @keep is TRUE; the others join c->dropped
 * with @why. */
static void
collection_filter (Collection *c, const gboolean *keep, const char *why)
{
  guint i, kept = 0;

  for (i = 0; i < c->n; i++) {
    QualityTrack *t = c->tracks->pdata[i];

    if (keep[i]) {
      c->clips->pdata[kept] = c->clips->pdata[i];
      c->tracks->pdata[kept++] = t;
      continue;
    }
    g_ptr_array_add (c->dropped, g_strdup_printf ("%s: %s", t->path, why));
    quality_track_free (t);
  }
  g_ptr_array_set_free_func (c->tracks, NULL);
  g_ptr_array_set_size (c->tracks, kept);
  g_ptr_array_set_free_func (c->tracks, (GDestroyNotify) quality_track_free);
  g_ptr_array_set_size (c->clips, kept);
  c->n = kept;
}

/* The games protocol: tracks of at least MIN_SECONDS, in games with at
 * least MIN_GAME_TRACKS of them. */
static void
games_filter (Collection *c)
{
  g_autofree gboolean *keep = g_new0 (gboolean, MAX (c->n, 1));
  g_autoptr (GHashTable) count = g_hash_table_new (g_str_hash, g_str_equal);
  guint i;

  for (i = 0; i < c->n; i++)
    keep[i] = ((QualityTrack *) c->tracks->pdata[i])->seconds >= MIN_SECONDS;
  collection_filter (c, keep, "shorter than 10 s");
  for (i = 0; i < c->n; i++) {
    const char *game = ((QualityClip *) c->clips->pdata[i])->label;

    g_hash_table_insert (count, (gpointer) game, GUINT_TO_POINTER
        (GPOINTER_TO_UINT (g_hash_table_lookup (count, game)) + 1));
  }
  for (i = 0; i < c->n; i++)
    keep[i] = GPOINTER_TO_UINT (g_hash_table_lookup (count,
            ((QualityClip *) c->clips->pdata[i])->label)) >= MIN_GAME_TRACKS;
  collection_filter (c, keep, "its game has fewer than 5 tracks of 10 s");
}

static float *
features_of (const Collection *c)
{
  float *x = g_new (float, (gsize) c->n * SEMBLANCE_FEATURE_DIM);
  guint i;

  for (i = 0; i < c->n; i++)
    memcpy (x + (gsize) i * SEMBLANCE_FEATURE_DIM,
        ((QualityTrack *) c->tracks->pdata[i])->features,
        SEMBLANCE_FEATURE_DIM * sizeof (float));
  return x;
}

/* Our Musly-grade timbre distances; a pair whose mixture covariance is not
 * positive definite (never seen on real music) gets the largest distance. */
static float *
timbre_distances (const Collection *c)
{
  float *d = g_new0 (float, (gsize) c->n * c->n);
  float largest = 0.0f;
  guint i, j, bad = 0;

  for (i = 0; i < c->n; i++)
    for (j = i + 1; j < c->n; j++) {
      double v = quality_gaussian_distance (&((QualityTrack *)
              c->tracks->pdata[i])->timbre,
          &((QualityTrack *) c->tracks->pdata[j])->timbre);

      d[(gsize) i * c->n + j] = d[(gsize) j * c->n + i] = (float) v;
      if (v >= 0)
        largest = MAX (largest, (float) v);
    }
  for (i = 0; i < (gsize) c->n * c->n; i++)
    if (d[i] < 0.0f) {
      d[i] = largest;
      bad++;
    }
  if (bad)
    g_printerr ("bench-quality: %u timbre distances undefined, set to the "
        "largest\n", bad / 2);
  return d;
}

static gboolean
musly_valid (float d)
{
  return isfinite (d) && d >= 0.0f && d < FLT_MAX;
}

/* Real Musly's raw distances for the tracks of @c, found by path (else by
 * file name, when that is unique in the matrix). The tracks the matrix
 * does not have (files real Musly could not analyse) leave @c, with the
 * reason, so that every row is measured on the same tracks. */
static float *
musly_distances (Collection *c, const char *file, GError **error)
{
  g_autoptr (QualityMatrix) m = quality_matrix_load (file, error);
  g_autoptr (GHashTable) by_path = NULL, by_name = NULL;
  g_autofree guint *row = NULL;
  g_autofree gboolean *keep = NULL;
  g_autofree char *why = NULL;
  float *d, largest = 0.0f;
  guint i, j, kept = 0, bad = 0;

  if (!m)
    return NULL;
  by_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (i = 0; i < m->n; i++) {
    char *base = g_path_get_basename (m->paths[i]);

    g_hash_table_insert (by_path, g_canonicalize_filename (m->paths[i], NULL),
        GUINT_TO_POINTER (i + 1));
    /* G_MAXUINT marks a name that is not unique. */
    g_hash_table_insert (by_name, base, GUINT_TO_POINTER
        (g_hash_table_contains (by_name, base) ? G_MAXUINT : i + 1));
  }
  row = g_new (guint, MAX (c->n, 1));
  keep = g_new (gboolean, MAX (c->n, 1));
  for (i = 0; i < c->n; i++) {
    const char *path = ((QualityTrack *) c->tracks->pdata[i])->path;
    g_autofree char *base = g_path_get_basename (path);
    guint r = GPOINTER_TO_UINT (g_hash_table_lookup (by_path, path));

    if (r == 0)
      r = GPOINTER_TO_UINT (g_hash_table_lookup (by_name, base));
    keep[i] = r != 0 && r != G_MAXUINT;
    if (keep[i])
      row[kept++] = r - 1;
  }
  why = g_strdup_printf ("not in real Musly's matrix %s", file);
  collection_filter (c, keep, why);

  /* Musly gives FLT_MAX for a pair it cannot compare; a track whose model
   * is broken has it with everyone, and would wreck mutual proximity for
   * the whole collection. Such a track is left out too. */
  kept = 0;
  for (i = 0; i < c->n; i++) {
    guint invalid = 0;

    for (j = 0; j < c->n; j++)
      invalid += i != j && !musly_valid (m->d[(gsize) row[i] * m->n
              + row[j]]);
    keep[i] = invalid <= (c->n - 1) / 2;
    if (keep[i])
      row[kept++] = row[i];
  }
  g_free (why);
  why = g_strdup_printf ("real Musly cannot compare it with most tracks "
      "(FLT_MAX in %s)", file);
  collection_filter (c, keep, why);

  d = g_new (float, (gsize) c->n * c->n);
  for (i = 0; i < c->n; i++)
    for (j = 0; j < c->n; j++) {
      float v = m->d[(gsize) row[i] * m->n + row[j]];

      d[(gsize) i * c->n + j] = i == j ? 0.0f : v;
      if (i != j && musly_valid (v))
        largest = MAX (largest, v);
    }
  for (i = 0; i < (gsize) c->n * c->n; i++)
    if (!musly_valid (d[i])) {
      d[i] = largest;
      bad++;
    }
  if (bad)
    g_printerr ("bench-quality: %u of real Musly's distances undefined, set "
        "to the largest\n", bad / 2);
  return d;
}

typedef struct
{
  char **models;                /* files, "default" or "none" */
  char *fold_model;             /* trained on the other 4Q folds, or NULL */
  char *musly;                  /* real Musly's raw matrix, or NULL */
  gboolean model_rows;
} Methods;

/* The neighbours the library's queries give (`semblance similar`, the
 * sidebar): the catalog of the property vectors @p, each track a seed,
 * with its default options (mutual proximity from a sample of the
 * catalog, over a shortlist by distance), blended with the predicted
 * semantic distance as the library blends it, or with @plain by the
 * property distance alone, as `similar` ranked before the blend. */
static void
add_catalog_row (GPtrArray *rows, const Collection *c, const float *p,
                 const SemblanceModel *model, gboolean plain,
                 const char *name)
{
  g_autoptr (SemblanceCatalog) catalog =
      semblance_catalog_new (model->group_out);
  g_autoptr (SemblanceBlend) blend = NULL;
  SemblanceQueryOptions options;
  Row *row = g_new0 (Row, 1);
  guint dim = SEMBLANCE_N_GROUPS * model->group_out, i, j;

  for (i = 0; i < c->n; i++)
    semblance_catalog_add (catalog, i, p + (gsize) i * dim, NULL, NULL, 0.0);
  if (!plain)
    blend = semblance_catalog_blend (catalog, model,
        SEMBLANCE_BLEND_RANK);
  semblance_query_options_init (&options);
  options.n = K;
  row->nb = g_new (guint, (gsize) c->n * K);
  for (i = 0; i < c->n; i++) {
    gint64 seed = i;
    g_autoptr (GArray) found = semblance_catalog_similar (catalog, &seed, 1,
        &options, NULL);

    /* A catalog of more than K tracks always has K results. */
    g_assert (found && found->len == K);
    for (j = 0; j < K; j++)
      row->nb[(gsize) i * K + j] = (guint) g_array_index (found,
          SemblanceMatch, j).id;
  }
  if (plain)
    row->name = g_strdup_printf ("%s, by property distance + MP, as "
        "`similar` ranked before the blend", name);
  else if (blend)
    row->name = g_strdup_printf ("%s, as `similar` ranks (blended, %u "
        "directions holding %.0f %% of the spread)", name,
        semblance_blend_get_rank (blend),
        100.0 * semblance_blend_get_kept (blend));
  else
    row->name = g_strdup_printf ("%s, as `similar` ranks", name);
  g_ptr_array_add (rows, row);
}

/* The chord distances (full n x n matrix) between the tracks' predicted
 * semantic vectors, centred on the collection's mean and at unit length,
 * as `search` compares them, times one scale (which no metric sees): the
 * library's blend keeping every direction, whose values' distances are
 * those chords (semblance-blend.h). NULL for a model without a semantic
 * map. */
static float *
predicted_semantic_distances (const Collection *c, SemblanceEmbedder *embedder,
                              const float *p)
{
  SemblanceModel *model = semblance_embedder_get_model (embedder);
  g_autoptr (SemblanceBlend) blend = semblance_blend_fit
      (model->semantic_map, model->semantic_bias,
      semblance_embedder_get_dim (embedder), model->semantic_dim, p, c->n,
      semblance_blend_default_weight (), model->semantic_dim);
  g_autofree float *values = NULL;

  if (!blend)
    return NULL;
  values = g_new (float, (gsize) c->n * model->semantic_dim);
  semblance_blend_apply (blend, p, c->n, values);
  return quality_euclidean (values, c->n, model->semantic_dim);
}

/* @a and @b (n x n) each over its mean, weighed 1 - @w and @w. */
static float *
blend_distances (const float *a, const float *b, guint n, double w)
{
  gsize cells = (gsize) n * n, t;
  double ma = 0.0, mb = 0.0;
  float *out = g_new (float, cells);

  for (t = 0; t < cells; t++) {
    ma += a[t];
    mb += b[t];
  }
  ma /= cells;
  mb /= cells;
  for (t = 0; t < cells; t++)
    out[t] = (float) ((1.0 - w) * (ma > 0.0 ? a[t] / ma : 0.0)
        + w * (mb > 0.0 ? b[t] / mb : 0.0));
  return out;
}

/* The experiment's rows of a model with a semantic map: the neighbours by
 * the predicted semantic vectors alone, and by those and the property
 * vectors together, weighed as the training loss weighs its semantic and
 * acoustic terms (README, "On real music"). Not what `similar` does. */
static void
add_semantic_rows (GPtrArray *rows, const Collection *c,
                   SemblanceEmbedder *embedder, const float *p,
                   const float *d, const char *name)
{
  float *ds = predicted_semantic_distances (c, embedder, p), *blend;
  double w = semblance_blend_default_weight ();

  if (!ds)
    return;
  blend = blend_distances (d, ds, c->n, w);
  add_row (rows, ds, "%s, predicted semantic vectors", name);
  add_row (rows, quality_mutual_proximity (ds, c->n),
      "%s, predicted semantic vectors + MP", name);
  add_row (rows, blend, "%s, blended with the predicted semantic "
      "distance, %.2g : %.2g", name, 1.0 - w, w);
  add_row (rows, quality_mutual_proximity (blend, c->n), "%s, blended with "
      "the predicted semantic distance, %.2g : %.2g, + MP", name, 1.0 - w, w);
}

/* The rows of one model (@setting: a file or "default"), named @label or,
 * without one, by its card. */
static gboolean
add_model (GPtrArray *rows, const Collection *c, const float *x,
           const char *setting, const char *label, GError **error)
{
  g_autofree char *file = NULL, *base = NULL, *name = NULL;
  g_autoptr (SemblanceEmbedder) embedder = NULL;
  SemblanceModel *model;
  float *p, *d, *mp;
  guint dim;

  file = semblance_model_resolve (setting, TRUE, error);
  if (!file)
    return FALSE;
  embedder = semblance_embedder_new_from_file (file, error);
  if (!embedder)
    return FALSE;
  model = semblance_embedder_get_model (embedder);
  dim = semblance_embedder_get_dim (embedder);
  p = g_new (float, (gsize) c->n * dim);
  semblance_embedder_embed (embedder, x, c->n, p);
  d = quality_euclidean (p, c->n, dim);
  base = g_path_get_basename (file);
  name = g_strdup_printf ("%s (%s, %.8s)", label ? label : model->card.name,
      base, semblance_model_get_id (model));
  mp = quality_mutual_proximity (d, c->n);
  add_row (rows, d, "%s", name);
  add_row (rows, mp, "%s + MP", name);
  if (model->n_groups == SEMBLANCE_N_GROUPS
      && dim == SEMBLANCE_N_GROUPS * model->group_out)
  {
    add_catalog_row (rows, c, p, model, TRUE, name);
    add_catalog_row (rows, c, p, model, FALSE, name);
  }
  add_semantic_rows (rows, c, embedder, p, d, name);
  g_free (p);
  return TRUE;
}

static gboolean
add_model_rows (GPtrArray *rows, const Collection *c, const float *x,
                const Methods *how, GError **error)
{
  const char *fallback[] = { "default", NULL };
  const char *const *names = how->models ?
      (const char *const *) how->models : fallback;
  guint m;

  if (how->fold_model && !add_model (rows, c, x, how->fold_model,
          "trained on the 3 other folds", error))
    return FALSE;
  for (m = 0; names[m]; m++)
    if (strcmp (names[m], "none") != 0
        && !add_model (rows, c, x, names[m], NULL, error))
      return FALSE;
  return TRUE;
}

/* Every method's distances over @c, the baseline (raw z-scored features)
 * second, after random order; what is worth saying of them goes to
 * @notes. */
static GPtrArray *
method_rows (Collection *c, const Methods *how, GString *notes,
             GError **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func
      ((GDestroyNotify) row_free);
  g_autofree float *x = NULL, *z = NULL, *musly = NULL;
  SemblanceNetShape shape;
  float *d;

  /* First, as it may leave tracks out of every row. */
  if (how->musly && !how->model_rows) {
    musly = musly_distances (c, how->musly, error);
    if (!musly)
      return NULL;
  }
  x = features_of (c);
  z = quality_zscore (x, c->n, SEMBLANCE_FEATURE_DIM);

  g_printerr ("bench-quality: distances of %u tracks\n", c->n);
  add_row (rows, quality_random_distances (c->n, 1), "random order");
  d = quality_euclidean (z, c->n, SEMBLANCE_FEATURE_DIM);
  add_row (rows, d, "raw features, z-scored (baseline)");
  add_row (rows, quality_mutual_proximity (d, c->n),
      "raw features, z-scored + MP");
  /* What a model starts from: the same z-scores with every property group
   * weighing the same. */
  semblance_net_shape_init (&shape, 1, 1);
  semblance_net_balance_groups (&shape, z, c->n);
  d = quality_euclidean (z, c->n, SEMBLANCE_FEATURE_DIM);
  add_row (rows, d, "raw features, z-scored, groups balanced");
  add_row (rows, quality_mutual_proximity (d, c->n),
      "raw features, z-scored, groups balanced + MP");
  if (!how->model_rows) {
    d = timbre_distances (c);
    add_row (rows, d, "Musly-grade timbre (ours), JS");
    add_row (rows, quality_mutual_proximity (d, c->n),
        "Musly-grade timbre (ours), JS + MP");
    if (musly) {
      const Row *ours = rows->pdata[rows->len - 2];
      const Row *ours_mp = rows->pdata[rows->len - 1];
      float *mp;

      d = g_steal_pointer (&musly);
      mp = quality_mutual_proximity (d, c->n);
      g_string_append_printf (notes, "Our Musly-grade timbre model against "
          "real Musly, Spearman over all %" G_GSIZE_FORMAT " pairs: %.4f "
          "(JS), %.4f (JS + MP).\n", (gsize) c->n * (c->n - 1) / 2,
          quality_matrix_spearman (ours->d, d, c->n),
          quality_matrix_spearman (ours_mp->d, mp, c->n));
      add_row (rows, d, "Musly (real), JS");
      add_row (rows, mp, "Musly (real), JS + MP");
    }
  }
  if (!add_model_rows (rows, c, x, how, error))
    return NULL;
  return g_steal_pointer (&rows);
}

typedef struct
{
  const char *name;
  gboolean count;               /* an integer */
  double *values;               /* one per row */
} Metric;

static void
print_table (const char *title, GPtrArray *rows, Metric *metrics,
             guint n_metrics)
{
  guint r, m;

  g_print ("\n### %s\n\n| method |", title);
  for (m = 0; m < n_metrics; m++)
    g_print (" %s |", metrics[m].name);
  g_print ("\n| --- |");
  for (m = 0; m < n_metrics; m++)
    g_print (" --- |");
  g_print ("\n");
  for (r = 0; r < rows->len; r++) {
    g_print ("| %s |", ((Row *) rows->pdata[r])->name);
    for (m = 0; m < n_metrics; m++) {
      double v = metrics[m].values[r], base = metrics[m].values[1];

      if (isnan (v)) {
        g_print (" n/a |");
        continue;
      }
      g_print (metrics[m].count ? " %.0f" : " %.3f", v);
      if (base != 0.0)
        g_print (" (%.2f)", v / base);
      g_print (" |");
    }
    g_print ("\n");
  }
  g_print ("\nIn brackets: the ratio to the raw z-scored features of this "
      "run.\n");
}

static void
print_dropped (const Collection *c)
{
  guint i;

  if (c->dropped->len == 0) {
    g_print ("\nNo file was left out.\n");
    return;
  }
  g_print ("\nLeft out (%u):\n\n", c->dropped->len);
  for (i = 0; i < c->dropped->len; i++)
    g_print ("- %s\n", (char *) c->dropped->pdata[i]);
}

/* Hubness columns, shared by both collections. */
static void
hubness_columns (const guint *nb, guint n, Metric *skew, Metric *largest,
                 guint r)
{
  guint top;

  quality_hubness (nb, n, K, &skew->values[r], &top);
  largest->values[r] = top;
}

/* Cosine distances between the semantic vectors of the clips'
 * descriptions. */
static float *
semantic_distances (const Collection *c, GError **error)
{
  g_autoptr (SemblanceTextEncoder) encoder =
      semblance_text_encoder_new_default (error);
  g_autofree float *v = NULL;
  float *d;
  guint dim, i, j, e;

  if (!encoder)
    return NULL;
  dim = semblance_text_encoder_get_dim (encoder);
  v = g_new (float, (gsize) c->n * dim);
  for (i = 0; i < c->n; i++) {
    const QualityClip *clip = c->clips->pdata[i];
    g_autofree char *text = quality_clip_description (clip);
    g_autoptr (GError) local = NULL;

    if (!semblance_text_encoder_embed (encoder, text, v + (gsize) i * dim,
            NULL, &local)) {
      g_set_error (error, local->domain, local->code, "%s: its description "
          "“%s”: %s", clip->path, text, local->message);
      return NULL;
    }
  }
  d = g_new0 (float, (gsize) c->n * c->n);
  for (i = 0; i < c->n; i++)
    for (j = i + 1; j < c->n; j++) {
      double dot = 0.0;

      for (e = 0; e < dim; e++)
        dot += v[(gsize) i * dim + e] * v[(gsize) j * dim + e];
      d[(gsize) i * c->n + j] = d[(gsize) j * c->n + i] = (float) (1.0 - dot);
    }
  return d;
}

/* Text search (issue 12): descriptions as queries, each answered with
 * K tracks by every way of ranking, for every model with a semantic map. */

/* A mood tag is a query when this many of the 900 clips carry it. */
#define MIN_TAG_CLIPS 20

/* Russell's quadrants in words. */
static const char *const quadrant_queries[4] = {
  "happy energetic", "angry aggressive", "sad depressing", "calm relaxing",
};

enum { SEARCH_BEFORE, SEARCH_COSINE, SEARCH_MP, SEARCH_CSLS,
  SEARCH_WHITENED, SEARCH_BALANCED, N_SEARCH_METHODS };
static const char *const search_methods[N_SEARCH_METHODS] = {
  "before: the least-squares inverse of the semantic map, nearest property "
  "vectors + MP",
  "semantic space: predictions centred on the collection, cosine",
  "semantic space: centred + mutual proximity",
  "semantic space: centred + CSLS",
  "semantic space: centred, whitened (p = 0.3) + CSLS of the 5 nearest "
  "words",
  "semantic space: whitened CSLS, less the hub count of the words' own "
  "lists (as `search` ranks)",
};

enum { S_TAG_P, S_TAG_BASE, S_TAG_RATIO, S_QUAD_P, S_Q1, S_Q2, S_Q3, S_Q4,
  S_LARGEST, N_SEARCH_METRICS };
static const char *const search_metrics[N_SEARCH_METRICS] = {
  "tag-query P@10", "tags' base rate", "P@10 / base rate",
  "quadrant-query P@10", "Q1: happy energetic", "Q2: angry aggressive",
  "Q3: sad depressing", "Q4: calm relaxing",
  "largest share of top-10 lists",
};

/* What words_note() counts, so that the folds' words can be pooled. */
typedef struct
{
  guint words, by_moods, by_all;  /* shown; right by mood tags, by tags
                                   * and genres */
  guint judged, right_judged;     /* of them, the words some clip's mood
                                   * tags can confirm; right */
  guint none, clips;              /* clips shown no word, of all */
} WordCounts;

/* The two kinds of shown words describe_note() judges. */
enum { WORDS_NEAREST, WORDS_CONFIDENT, N_WORD_KINDS };

/* The search table's rows, summed over folds. */
typedef struct
{
  GPtrArray *names;             /* char * */
  GArray *values;               /* double, N_SEARCH_METRICS per row */
  WordCounts words[N_WORD_KINDS]; /* the fold models' describing words, as
                                 * describe_note() counts them */
  guint folds;
} SearchSums;

static void
search_sums_clear (SearchSums *sums)
{
  g_clear_pointer (&sums->names, g_ptr_array_unref);
  g_clear_pointer (&sums->values, g_array_unref);
}

/* The queries of a 4Q collection: the mood tags carried by at least
 * MIN_TAG_CLIPS of @all (each with the clips of @c that carry it), then
 * the four quadrants. */
typedef struct
{
  GPtrArray *texts;             /* char * */
  GPtrArray *relevant;          /* gboolean[c->n] per query */
  guint n_tags;
  GString *unknown;             /* the tags the text encoder does not know */
} Queries;

static void
queries_clear (Queries *q)
{
  g_clear_pointer (&q->texts, g_ptr_array_unref);
  g_clear_pointer (&q->relevant, g_ptr_array_unref);
  if (q->unknown)
    g_string_free (g_steal_pointer (&q->unknown), TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Queries, queries_clear)

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
queries_init (Queries *q, GPtrArray *all, const Collection *c,
              GError **error)
{
  g_autoptr (SemblanceTextEncoder) encoder =
      semblance_text_encoder_new_default (error);
  g_autoptr (GHashTable) count = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) tags = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;
  guint i, t;

  if (!encoder)
    return FALSE;
  q->texts = g_ptr_array_new_with_free_func (g_free);
  q->relevant = g_ptr_array_new_with_free_func (g_free);
  q->unknown = g_string_new (NULL);
  for (i = 0; i < all->len; i++) {
    g_auto (GStrv) parts = g_strsplit (((QualityClip *) all->pdata[i])->moods
        ? ((QualityClip *) all->pdata[i])->moods : "", ";", -1);
    guint p;

    for (p = 0; parts[p]; p++) {
      char *name = g_utf8_casefold (g_strstrip (parts[p]), -1);

      if (!name[0]) {
        g_free (name);
        continue;
      }
      value = g_hash_table_lookup (count, name);
      g_hash_table_replace (count, name, GUINT_TO_POINTER
          (GPOINTER_TO_UINT (value) + 1));
    }
  }
  g_hash_table_iter_init (&iter, count);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) >= MIN_TAG_CLIPS)
      g_ptr_array_add (tags, key);
  g_ptr_array_sort (tags, compare_strings);
  for (t = 0; t < tags->len; t++) {
    gboolean *rel, any = FALSE;
    g_autofree float *v = g_new (float, semblance_text_encoder_get_dim
        (encoder));

    if (!semblance_text_encoder_embed (encoder, tags->pdata[t], v, NULL,
            NULL)) {
      g_string_append_printf (q->unknown, "%s%s", q->unknown->len ? ", "
          : "", (const char *) tags->pdata[t]);
      continue;
    }
    rel = g_new0 (gboolean, c->n);

    for (i = 0; i < c->n; i++) {
      g_auto (GStrv) parts = g_strsplit (((QualityClip *)
              c->clips->pdata[i])->moods ? ((QualityClip *)
              c->clips->pdata[i])->moods : "", ";", -1);
      guint p;

      for (p = 0; parts[p] && !rel[i]; p++) {
        g_autofree char *name = g_utf8_casefold (g_strstrip (parts[p]), -1);

        rel[i] = strcmp (name, tags->pdata[t]) == 0;
      }
      any |= rel[i];
    }
    /* A tag none of these clips carries cannot be scored here. */
    if (!any) {
      g_free (rel);
      continue;
    }
    g_ptr_array_add (q->texts, g_strdup (tags->pdata[t]));
    g_ptr_array_add (q->relevant, rel);
  }
  q->n_tags = q->texts->len;
  for (t = 0; t < 4; t++) {
    gboolean *rel = g_new0 (gboolean, c->n);

    for (i = 0; i < c->n; i++)
      rel[i] = ((QualityClip *) c->clips->pdata[i])->label[1] - '1'
          == (int) t;
    g_ptr_array_add (q->texts, g_strdup (quadrant_queries[t]));
    g_ptr_array_add (q->relevant, rel);
  }
  return TRUE;
}

/* The K results of every query by @method: queries x K track indices. */
static guint *
search_lists (guint method, const Queries *q, const float *semantic,
              SemblanceEmbedder *embedder, SemblanceCatalog *catalog,
              SemblanceSearch *search)
{
  guint n_q = q->texts->len, dim = semblance_embedder_get_dim (embedder);
  guint sd = semblance_search_get_dim (search), i, j;
  guint *lists = g_new (guint, (gsize) n_q * K);
  g_autofree float *property = g_new (float, dim);

  for (i = 0; i < n_q; i++) {
    g_autoptr (GArray) found = NULL;

    if (method == SEARCH_BEFORE) {
      SemblanceQueryOptions o;

      semblance_query_options_init (&o);
      o.n = K;
      semblance_embedder_unproject (embedder, semantic + (gsize) i * sd,
          property);
      found = semblance_catalog_nearest (catalog, property, &o);
      g_assert (found->len == K);
      for (j = 0; j < K; j++)
        lists[(gsize) i * K + j] = (guint) g_array_index (found,
            SemblanceMatch, j).id;
    } else {
      SemblanceSearchOptions o;

      semblance_search_options_init (&o);
      o.n = K;
      o.ranking = method == SEARCH_CSLS ? SEMBLANCE_SEARCH_CSLS
          : method == SEARCH_MP ? SEMBLANCE_SEARCH_MP
          : method == SEARCH_WHITENED ? SEMBLANCE_SEARCH_WHITENED
          : method == SEARCH_BALANCED ? SEMBLANCE_SEARCH_BALANCED
          : SEMBLANCE_SEARCH_COSINE;
      found = semblance_search_rank (search, semantic + (gsize) i * sd, &o);
      g_assert (found->len == K);
      for (j = 0; j < K; j++)
        lists[(gsize) i * K + j] = (guint) g_array_index (found,
            SemblanceSearchMatch, j).id;
    }
  }
  return lists;
}

/* Words the sidebar showed for a clip before issue 12
 * (semblance_library_describe): the describer's 3 nearest to its
 * prediction less the prediction of the collection's mean vector. */
#define SHOWN_WORDS 3
/* At most this many confident words, as `describe` shows by default. */
#define CONFIDENT_WORDS 5

/* Adds @word, case-folded, and its WordNet synonyms to @set. */
static void
accept_word (GHashTable *set, const char *word)
{
  g_autofree char *folded = g_utf8_casefold (word, -1);
  g_autoptr (GPtrArray) synonyms = NULL;
  guint s;

  if (!folded[0])
    return;
  synonyms = semblance_wordnet_synonyms (folded);
  for (s = 0; synonyms && s < synonyms->len; s++)
    g_hash_table_add (set, g_utf8_casefold (synonyms->pdata[s], -1));
  g_hash_table_add (set, g_steal_pointer (&folded));
}

/* The words that count as right for @clip: its mood tags and their
 * WordNet synonyms, case-folded; with @genres also its AllMusic genres
 * and their parts ("Pop/Rock": "pop/rock", "pop" and "rock"), so that a
 * genre word the describer says ("rock") can be right at all. */
static GHashTable *
accepted_words (const QualityClip *clip, gboolean genres)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  g_auto (GStrv) tags = g_strsplit (clip->moods ? clip->moods : "", ";", -1);
  g_auto (GStrv) styles = g_strsplit (genres && clip->genres ? clip->genres
      : "", ";", -1);
  guint t, w;

  for (t = 0; tags[t]; t++)
    accept_word (set, g_strstrip (tags[t]));
  for (t = 0; styles[t]; t++) {
    g_auto (GStrv) parts = g_strsplit_set (g_strstrip (styles[t]), "/ ", -1);

    accept_word (set, styles[t]);
    for (w = 0; parts[w]; w++)
      accept_word (set, parts[w]);
  }
  return set;
}

/* Words broken down in a words note: the most often shown. */
#define NOTE_WORDS 8

typedef struct
{
  const char *word;
  guint shown, by_moods, by_all;
} WordTally;

static gint
more_shown (gconstpointer a, gconstpointer b)
{
  const WordTally *x = a, *y = b;

  if (x->shown != y->shown)
    return x->shown > y->shown ? -1 : 1;
  return g_strcmp0 (x->word, y->word);
}

/* Each word of @shown (one NULL-terminated array per clip of @c): how
 * often it is shown, and how often the clip's mood tags (@moods) and its
 * tags and genres (@all) confirm it; most often shown first. */
static GArray *
tally_words (const Collection *c, char ***shown, GHashTable **moods,
             GHashTable **all)
{
  g_autoptr (GHashTable) at = g_hash_table_new (g_str_hash, g_str_equal);
  GArray *tally = g_array_new (FALSE, TRUE, sizeof (WordTally));
  guint i, w;

  for (i = 0; i < c->n; i++)
    for (w = 0; shown[i][w]; w++) {
      gpointer row;
      WordTally *t;

      if (!g_hash_table_lookup_extended (at, shown[i][w], NULL, &row)) {
        WordTally fresh = { shown[i][w], 0, 0, 0 };

        g_array_append_val (tally, fresh);
        row = GUINT_TO_POINTER (tally->len);
        g_hash_table_insert (at, shown[i][w], row);
      }
      t = &g_array_index (tally, WordTally, GPOINTER_TO_UINT (row) - 1);
      t->shown++;
      t->by_moods += g_hash_table_contains (moods[i], shown[i][w]) ? 1 : 0;
      t->by_all += g_hash_table_contains (all[i], shown[i][w]) ? 1 : 0;
    }
  g_array_sort (tally, more_shown);
  return tally;
}

/* The NOTE_WORDS words of @tally shown most often, appended to @notes:
 * which words a precision figure is made of. */
static void
words_breakdown (const GArray *tally, GString *notes)
{
  guint w;

  if (tally->len == 0)
    return;
  g_string_append (notes, "  Most shown (times; right by mood tags, by "
      "tags and genres):");
  for (w = 0; w < MIN (tally->len, NOTE_WORDS); w++) {
    const WordTally *t = &g_array_index (tally, WordTally, w);

    g_string_append_printf (notes, "%s %s %u (%u, %u)", w ? "," : "",
        t->word, t->shown, t->by_moods, t->by_all);
  }
  g_string_append (notes, ".\n");
}

static void
word_counts_add (WordCounts *sum, const WordCounts *add)
{
  sum->words += add->words;
  sum->by_moods += add->by_moods;
  sum->by_all += add->by_all;
  sum->judged += add->judged;
  sum->right_judged += add->right_judged;
  sum->none += add->none;
  sum->clips += add->clips;
}

static void
word_counts_note (const WordCounts *n, const char *what, GString *notes)
{
  g_string_append_printf (notes, "%s: %u words; precision %.3f against "
      "the clip's mood tags and their WordNet synonyms (%.3f of the %u "
      "words that some clip's mood tags can confirm), %.3f against its "
      "mood tags and genres; clips with no word: %.3f.\n", what, n->words,
      n->words ? (double) n->by_moods / n->words : NAN,
      n->judged ? (double) n->right_judged / n->judged : NAN, n->judged,
      n->words ? (double) n->by_all / n->words : NAN,
      n->clips ? (double) n->none / n->clips : NAN);
}

/* How right @shown (one NULL-terminated array per clip of @c) is, as a
 * sentence for @notes; its counts into @counts, when not NULL. */
static void
words_note (const Collection *c, char ***shown, const char *what,
            GString *notes, WordCounts *counts)
{
  GHashTable **moods = g_new0 (GHashTable *, c->n);
  GHashTable **all = g_new0 (GHashTable *, c->n);
  /* The words some clip's mood tags can confirm: a style or an
   * instrument ("rock", "strings") is in no clip's, and the mood tags'
   * precision says nothing of it. */
  g_autoptr (GHashTable) judged = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GArray) tally = NULL;
  WordCounts n = { 0 };
  GHashTableIter it;
  gpointer word;
  guint i;

  for (i = 0; i < c->n; i++) {
    moods[i] = accepted_words (c->clips->pdata[i], FALSE);
    all[i] = accepted_words (c->clips->pdata[i], TRUE);
    g_hash_table_iter_init (&it, moods[i]);
    while (g_hash_table_iter_next (&it, &word, NULL))
      g_hash_table_add (judged, word);
  }
  tally = tally_words (c, shown, moods, all);
  for (i = 0; i < tally->len; i++) {
    const WordTally *t = &g_array_index (tally, WordTally, i);

    if (!g_hash_table_contains (judged, t->word))
      continue;
    n.judged += t->shown;
    n.right_judged += t->by_moods;
  }
  quality_words_count (shown, moods, c->n, &n.by_moods, &n.words, &n.none);
  quality_words_count (shown, all, c->n, &n.by_all, &n.words, &n.none);
  n.clips = c->n;
  word_counts_note (&n, what, notes);
  if (counts)
    *counts = n;
  words_breakdown (tally, notes);
  for (i = 0; i < c->n; i++) {
    g_hash_table_unref (moods[i]);
    g_hash_table_unref (all[i]);
  }
  g_free (moods);
  g_free (all);
}

/* The words shown for the clips of @c by @embedder's model (property
 * vectors @p), and how right they are, into @notes and (when not NULL)
 * @counts: the describer's nearest, and the calibrated words the model is
 * confident of. */
static void
describe_note (const Collection *c, SemblanceEmbedder *embedder,
               SemblanceTextEncoder *encoder,
               const SemblanceDescriber *describer, const float *p,
               const char *name, GString *notes,
               WordCounts counts[N_WORD_KINDS])
{
  const SemblanceModel *model = semblance_embedder_get_model (embedder);
  guint dim = semblance_embedder_get_dim (embedder), i, j;
  guint sd = model->semantic_dim;
  g_autofree double *mean = g_new0 (double, dim);
  g_autofree float *mean_f = g_new (float, dim), *there = g_new (float, sd);
  g_autofree float *here = g_new (float, sd);
  char ***shown = g_new0 (char **, c->n);
  g_autofree char *nearest = g_strdup_printf ("%s: the describer's %u "
      "nearest words (as the sidebar showed them before issue 12)", name,
      SHOWN_WORDS);
  g_autofree char *sure = g_strdup_printf ("%s: the words the sidebar and "
      "`describe` show (at most %u of the model's %u calibrated words, each "
      "at p >= 0.5)", name, CONFIDENT_WORDS, model->calibrations->len);

  for (i = 0; i < c->n; i++)
    for (j = 0; j < dim; j++)
      mean[j] += p[(gsize) i * dim + j] / c->n;
  for (j = 0; j < dim; j++)
    mean_f[j] = (float) mean[j];
  semblance_embedder_project (embedder, mean_f, there);
  for (i = 0; i < c->n; i++) {
    g_autoptr (GPtrArray) words = NULL;

    semblance_embedder_project (embedder, p + (gsize) i * dim, here);
    for (j = 0; j < sd; j++)
      here[j] -= there[j];
    words = semblance_describer_words (describer, here, SHOWN_WORDS);
    g_ptr_array_add (words, NULL);
    shown[i] = g_strdupv ((char **) words->pdata);
  }
  words_note (c, shown, nearest, notes,
      counts ? &counts[WORDS_NEAREST] : NULL);
  for (i = 0; i < c->n; i++) {
    g_autoptr (GArray) words = semblance_confident_words (model, encoder,
        p + (gsize) i * dim, CONFIDENT_WORDS);

    g_strfreev (shown[i]);
    shown[i] = g_new0 (char *, words->len + 1);
    for (j = 0; j < words->len; j++)
      shown[i][j] = g_strdup (g_array_index (words, SemblanceConfidentWord,
              j).word);
  }
  words_note (c, shown, sure, notes,
      counts ? &counts[WORDS_CONFIDENT] : NULL);
  for (i = 0; i < c->n; i++)
    g_strfreev (shown[i]);
  g_free (shown);
}

/* Which clip of @c is in the most of the top-10 @lists of @q (the
 * table's largest share), and in how many of them it belongs: a clip
 * that carries the tag of most of the queries it is listed for answers
 * queries that are alike, where a hub is listed for queries it does not
 * fit. The queries it does not fit are named. */
static void
most_listed_note (const Collection *c, const Queries *q, const guint *lists,
                  const char *name, GString *notes)
{
  guint n_lists = q->texts->len, count, hub, t, j, fits = 0;
  g_autofree char *base = NULL;
  g_autoptr (GString) misfits = g_string_new (NULL);

  if (c->n == 0)
    return;
  hub = quality_most_listed (lists, n_lists, K, c->n, &count);
  if (count == 0)
    return;
  for (t = 0; t < n_lists; t++)
    for (j = 0; j < K; j++)
      if (lists[(gsize) t * K + j] == hub) {
        if (((const gboolean *) q->relevant->pdata[t])[hub])
          fits++;
        else
          g_string_append_printf (misfits, "%s\"%s\"",
              misfits->len ? ", " : "", (const char *) q->texts->pdata[t]);
        break;
      }
  base = g_path_get_basename (((QualityTrack *) c->tracks->pdata[hub])->path);
  g_string_append_printf (notes, "%s, as `search` ranks: the clip in the "
      "most top-10 lists, %s, is in %u of the %u and fits %u of them (carries "
      "the tag, or is in the quadrant)%s%s.\n", name, base, count, n_lists,
      fits, misfits->len ? "; not: " : "", misfits->str);
}

/* The search table's rows for one model (@setting, named @label or by its
 * card), appended to @names and @values; its describing words' counts
 * into @words, when not NULL. */
static gboolean
search_model (const Collection *c, const float *x, const Queries *q,
              const char *setting, const char *label, GPtrArray *names,
              GArray *values, GString *notes,
              WordCounts words[N_WORD_KINDS], GError **error)
{
  g_autofree char *file = NULL, *base = NULL, *name = NULL;
  g_autoptr (SemblanceEmbedder) embedder = NULL;
  g_autoptr (SemblanceTextEncoder) encoder = NULL;
  g_autoptr (SemblanceDescriber) describer = NULL;
  g_autoptr (SemblanceCatalog) catalog = NULL;
  g_autoptr (SemblanceSearch) search = NULL;
  g_autofree float *p = NULL, *s = NULL, *semantic = NULL;
  const float *references;
  SemblanceModel *model;
  guint dim, sd, n_references, i, m, t;

  if (!(file = semblance_model_resolve (setting, TRUE, error))
      || !(embedder = semblance_embedder_new_from_file (file, error))
      || !(encoder = semblance_text_encoder_new_default (error)))
    return FALSE;
  model = semblance_embedder_get_model (embedder);
  base = g_path_get_basename (file);
  name = label ? g_strdup (label) : g_strdup_printf ("%s (%s, %.8s)",
      model->card.name, base, semblance_model_get_id (model));
  sd = model->semantic_dim;
  if (sd != semblance_text_encoder_get_dim (encoder)
      || model->n_groups != SEMBLANCE_N_GROUPS) {
    g_string_append_printf (notes, "%s: no semantic map for the text "
        "encoder, no search rows.\n", name);
    return TRUE;
  }
  dim = semblance_embedder_get_dim (embedder);
  p = g_new (float, (gsize) c->n * dim);
  s = g_new (float, sd);
  semblance_embedder_embed (embedder, x, c->n, p);
  describer = semblance_describer_new (encoder);
  references = semblance_describer_get_vectors (describer, &n_references);
  catalog = semblance_catalog_new (model->group_out);
  search = semblance_search_new (sd, references, n_references);
  for (i = 0; i < c->n; i++) {
    semblance_catalog_add (catalog, i, p + (gsize) i * dim, NULL, NULL, 0.0);
    semblance_embedder_project (embedder, p + (gsize) i * dim, s);
    semblance_search_add (search, i, s,
        ((QualityTrack *) c->tracks->pdata[i])->seconds);
  }
  describe_note (c, embedder, encoder, describer, p, name, notes, words);
  semantic = g_new (float, (gsize) q->texts->len * sd);
  for (t = 0; t < q->texts->len; t++)
    if (!semblance_text_encoder_embed (encoder, q->texts->pdata[t],
            semantic + (gsize) t * sd, NULL, error)) {
      g_prefix_error (error, "the query “%s”: ",
          (const char *) q->texts->pdata[t]);
      return FALSE;
    }
  for (m = 0; m < N_SEARCH_METHODS; m++) {
    g_autofree guint *lists = search_lists (m, q, semantic, embedder,
        catalog, search);
    double v[N_SEARCH_METRICS] = { 0 };

    for (t = 0; t < q->n_tags; t++) {
      const gboolean *rel = q->relevant->pdata[t];
      guint carriers = 0;

      for (i = 0; i < c->n; i++)
        carriers += rel[i] ? 1 : 0;
      v[S_TAG_P] += quality_list_precision (lists, t, K, rel);
      v[S_TAG_BASE] += (double) carriers / c->n;
    }
    v[S_TAG_P] /= MAX (q->n_tags, 1);
    v[S_TAG_BASE] /= MAX (q->n_tags, 1);
    v[S_TAG_RATIO] = v[S_TAG_BASE] > 0.0 ? v[S_TAG_P] / v[S_TAG_BASE] : NAN;
    for (t = 0; t < 4; t++) {
      v[S_Q1 + t] = quality_list_precision (lists, q->n_tags + t, K,
          q->relevant->pdata[q->n_tags + t]);
      v[S_QUAD_P] += v[S_Q1 + t] / 4.0;
    }
    v[S_LARGEST] = quality_largest_share (lists, q->texts->len, K, c->n);
    if (m == SEARCH_BALANCED)
      most_listed_note (c, q, lists, name, notes);
    g_ptr_array_add (names, g_strdup_printf ("%s: %s", name,
            search_methods[m]));
    g_array_append_vals (values, v, N_SEARCH_METRICS);
  }
  return TRUE;
}

static void
print_search_table (const char *title, GPtrArray *names, const double *v,
                    double scale)
{
  guint r, m;

  g_print ("\n### %s\n\n| method |", title);
  for (m = 0; m < N_SEARCH_METRICS; m++)
    g_print (" %s |", search_metrics[m]);
  g_print ("\n| --- |");
  for (m = 0; m < N_SEARCH_METRICS; m++)
    g_print (" --- |");
  g_print ("\n");
  for (r = 0; r < names->len; r++) {
    g_print ("| %s |", (const char *) names->pdata[r]);
    for (m = 0; m < N_SEARCH_METRICS; m++) {
      double x = v[(gsize) r * N_SEARCH_METRICS + m] * scale;

      if (isnan (x))
        g_print (" n/a |");
      else
        g_print (m == S_TAG_RATIO ? " %.2f |" : " %.3f |", x);
    }
    g_print ("\n");
  }
}

/* The text search table of a 4Q collection @c (of the clips @all), for
 * the models of @how; added to @sums when not NULL. */
static gboolean
run_4q_search (const Collection *c, GPtrArray *all, const float *x,
               const Methods *how, const char *title, SearchSums *sums,
               GError **error)
{
  const char *fallback[] = { "default", NULL };
  const char *const *models = how->models ?
      (const char *const *) how->models : fallback;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GString) notes = g_string_new (NULL);
  g_auto (Queries) q = { 0 };
  WordCounts fold_words[N_WORD_KINDS] = { 0 };
  guint i, m;

  if (!queries_init (&q, all, c, error))
    return FALSE;
  if (how->fold_model && !search_model (c, x, &q, how->fold_model,
          "trained on the 3 other folds", names, values, notes, fold_words,
          error))
    return FALSE;
  for (m = 0; models[m]; m++)
    if (strcmp (models[m], "none") != 0 && !search_model (c, x, &q,
            models[m], NULL, names, values, notes, NULL, error))
      return FALSE;
  print_search_table (title, names, (const double *) values->data, 1.0);
  g_print ("\nQueries: %u AllMusic mood tags (those on at least %u of the "
      "900 clips and on one of these), each against the clips that carry "
      "it; the four quadrants in words, each against its quadrant (chance "
      "0.25). Largest share: over all %u queries, the share of the top-10 "
      "lists the most frequent clip is in.\n%s", q.n_tags, MIN_TAG_CLIPS,
      q.texts->len, notes->str);
  if (q.unknown->len)
    g_print ("Tags the text encoder does not know, left out: %s.\n",
        q.unknown->str);
  if (!sums)
    return TRUE;
  if (!sums->names) {
    sums->names = g_ptr_array_ref (names);
    sums->values = g_array_new (FALSE, TRUE, sizeof (double));
    g_array_set_size (sums->values, values->len);
  }
  if (sums->values->len != values->len) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the folds' search "
        "tables have different rows");
    return FALSE;
  }
  for (i = 0; i < values->len; i++)
    g_array_index (sums->values, double, i) += g_array_index (values,
        double, i);
  for (i = 0; i < N_WORD_KINDS; i++)
    word_counts_add (&sums->words[i], &fold_words[i]);
  sums->folds++;
  return TRUE;
}

enum { QUADRANT, AROUSAL, VALENCE, MOODS, GENRE, SPEARMAN, ARTIST, SKEW,
  LARGEST, N_4Q_METRICS };
static const char *const metrics_4q[] = { "quadrant P@10", "arousal P@10",
  "valence P@10", "mood-tag Jaccard@10", "genre P@10", "Spearman vs. tags",
  "same artist@10", "hub skewness", "largest N10" };

static const char note_4q[] = "Genre P@10: a neighbour counts when it "
    "shares one of the query's AllMusic genres. Spearman: over all pairs, "
    "against the cosine distances of the text encoder's vectors of the mood "
    "tags and genres. Same artist@10 is a confound, not a goal.\n";

/* The sums of several folds' tables. */
typedef struct
{
  GPtrArray *rows;              /* Row, names only */
  double *values[N_4Q_METRICS];
  guint folds, clips;
} Sums;

static void
sums_clear (Sums *sums)
{
  guint m;

  g_clear_pointer (&sums->rows, g_ptr_array_unref);
  for (m = 0; m < N_4Q_METRICS; m++)
    g_clear_pointer (&sums->values[m], g_free);
}

/* Adds a fold's table to @sums; FALSE when its rows are not the same. */
static gboolean
sums_add (Sums *sums, GPtrArray *rows, const Metric *metrics)
{
  guint r, m;

  if (!sums->rows) {
    sums->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
    for (r = 0; r < rows->len; r++) {
      const char *name = ((Row *) rows->pdata[r])->name;

      const char *close = strchr (name, ')');

      /* The fold's model has its own file and id in each fold. */
      if (g_str_has_prefix (name, "trained on the 3 other folds") && close)
        add_row (sums->rows, NULL, "trained on the 3 other folds%s",
            close + 1);
      else
        add_row (sums->rows, NULL, "%s", name);
    }
    for (m = 0; m < N_4Q_METRICS; m++)
      sums->values[m] = g_new0 (double, rows->len);
  }
  if (sums->rows->len != rows->len)
    return FALSE;
  for (m = 0; m < N_4Q_METRICS; m++)
    for (r = 0; r < rows->len; r++)
      sums->values[m][r] += metrics[m].values[r];
  sums->folds++;
  return TRUE;
}

/* One 4Q table (all clips, or fold @fold), added to @sums when not NULL. */
static gboolean
run_4q (const char *dir, int fold, const char *folds_dir, guint threads,
        const Methods *how, Sums *sums, SearchSums *search_sums,
        GError **error)
{
  enum { N_METRICS = N_4Q_METRICS };
  const char *const *names = metrics_4q;
  g_autoptr (GPtrArray) all = quality_4q_load (dir, error);
  g_autoptr (GPtrArray) clips = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GHashTable) mood_names = NULL, genre_names = NULL;
  g_autofree QualitySet *moods = NULL, *genres = NULL;
  g_autofree const char **quadrant = NULL, **arousal = NULL, **valence = NULL,
      **artist = NULL;
  g_autofree float *semantic = NULL, *x = NULL;
  g_autofree char *title = NULL, *search_title = NULL;
  g_autoptr (GString) notes = g_string_new (NULL);
  Metric metrics[N_METRICS];
  Collection c = { 0 };
  guint i, r, m;

  if (!all)
    return FALSE;
  if (folds_dir) {
    if (!quality_write_folds (all, folds_dir, error))
      return FALSE;
    g_printerr ("bench-quality: 4 folds by artist written to %s\n",
        folds_dir);
  }
  clips = g_ptr_array_new ();
  for (i = 0; i < all->len; i++)
    if (fold == 0 || ((QualityClip *) all->pdata[i])->fold + 1
        == (guint) fold)
      g_ptr_array_add (clips, all->pdata[i]);
  collection_analyse (&c, clips, threads);
  if (c.n < K + 1) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "%s: only %u clips could be analysed", dir, c.n);
    collection_clear (&c);
    return FALSE;
  }
  rows = method_rows (&c, how, notes, error);
  semantic = rows ? semantic_distances (&c, error) : NULL;
  if (!semantic) {
    collection_clear (&c);
    return FALSE;
  }

  mood_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  genre_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  moods = g_new0 (QualitySet, c.n);
  genres = g_new0 (QualitySet, c.n);
  quadrant = g_new0 (const char *, c.n);
  arousal = g_new0 (const char *, c.n);
  valence = g_new0 (const char *, c.n);
  artist = g_new0 (const char *, c.n);
  for (i = 0; i < c.n; i++) {
    const QualityClip *clip = c.clips->pdata[i];
    guint q = clip->label[1] - '0';

    quality_set_parse (&moods[i], clip->moods, ';', mood_names);
    quality_set_parse (&genres[i], clip->genres, ';', genre_names);
    quadrant[i] = clip->label;
    /* Russell's quadrants: Q1 and Q2 are high arousal, Q1 and Q4 positive
     * valence. */
    arousal[i] = q <= 2 ? "high" : "low";
    valence[i] = q == 1 || q == 4 ? "positive" : "negative";
    artist[i] = clip->artist;
  }
  for (m = 0; m < N_METRICS; m++) {
    metrics[m].name = names[m];
    metrics[m].count = m == LARGEST;
    metrics[m].values = g_new0 (double, rows->len);
  }
  for (r = 0; r < rows->len; r++) {
    const Row *row = rows->pdata[r];
    g_autofree guint *nb = row_neighbours (row, c.n);

    metrics[QUADRANT].values[r] = quality_label_precision (nb, c.n, K,
        quadrant);
    metrics[AROUSAL].values[r] = quality_label_precision (nb, c.n, K,
        arousal);
    metrics[VALENCE].values[r] = quality_label_precision (nb, c.n, K,
        valence);
    metrics[MOODS].values[r] = quality_set_jaccard (nb, c.n, K, moods);
    metrics[GENRE].values[r] = quality_set_precision (nb, c.n, K, genres);
    metrics[SPEARMAN].values[r] = row->d ? quality_matrix_spearman (row->d,
        semantic, c.n) : NAN;
    metrics[ARTIST].values[r] = quality_label_precision (nb, c.n, K, artist);
    hubness_columns (nb, c.n, &metrics[SKEW], &metrics[LARGEST], r);
  }
  title = fold ? g_strdup_printf ("4Q, fold %d of 4 by artist: %u clips",
      fold, c.n) : g_strdup_printf ("4Q: %u clips", c.n);
  print_table (title, rows, metrics, N_METRICS);
  g_print ("%s%s", note_4q, notes->str);
  print_dropped (&c);
  x = features_of (&c);
  search_title = g_strdup_printf ("Text search, %s", title);
  if (!run_4q_search (&c, all, x, how, search_title, search_sums, error))
    g_prefix_error (error, "text search: ");
  if (sums) {
    sums->clips += c.n;
    if (!sums_add (sums, rows, metrics))
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
          "fold %d has other rows than the folds before it", fold);
  }
  for (m = 0; m < N_METRICS; m++)
    g_free (metrics[m].values);
  for (i = 0; i < c.n; i++) {
    quality_set_clear (&moods[i]);
    quality_set_clear (&genres[i]);
  }
  collection_clear (&c);
  return !(error && *error);
}

/* The 4-fold protocol: each fold with the model trained on the other
 * three (@models_dir/fold-K.smodel), then the mean over the folds. */
static gboolean
run_4q_folds (const char *dir, const char *folds_dir, const char *models_dir,
              guint threads, const Methods *how, GError **error)
{
  Sums sums = { 0 };
  SearchSums search = { 0 };
  Metric metrics[N_4Q_METRICS];
  g_autofree char *title = NULL;
  guint k, m, r;

  for (k = 1; k <= QUALITY_N_FOLDS; k++) {
    g_autofree char *name = g_strdup_printf ("fold-%u.smodel", k);
    g_autofree char *file = g_build_filename (models_dir, name, NULL);
    Methods h = *how;

    h.fold_model = file;
    if (!run_4q (dir, (int) k, k == 1 ? folds_dir : NULL, threads, &h,
            &sums, &search, error)) {
      sums_clear (&sums);
      search_sums_clear (&search);
      return FALSE;
    }
  }
  for (m = 0; m < N_4Q_METRICS; m++) {
    metrics[m].name = metrics_4q[m];
    metrics[m].count = FALSE;
    metrics[m].values = sums.values[m];
    for (r = 0; r < sums.rows->len; r++)
      metrics[m].values[r] /= sums.folds;
  }
  title = g_strdup_printf ("4Q, 4 folds by artist, mean over the folds "
      "(%u clips in all)", sums.clips);
  print_table (title, sums.rows, metrics, N_4Q_METRICS);
  g_print ("%sEach fold is scored among its own clips (about 225, so "
      "chance is higher than over 900) with its model, %s/fold-K.smodel, "
      "trained on the other three folds.\n", note_4q, models_dir);
  sums_clear (&sums);
  g_free (title);
  title = g_strdup_printf ("Text search, 4Q, 4 folds by artist, mean over "
      "the folds (%u clips in all)", sums.clips);
  print_search_table (title, search.names, (const double *)
      search.values->data, 1.0 / search.folds);
  g_print ("\nThe mean of the folds' figures, each fold's queries against "
      "its own clips with its own model.\n");
  {
    g_autoptr (GString) notes = g_string_new (NULL);
    g_autofree char *nearest = g_strdup_printf ("trained on the 3 other "
        "folds, pooled over the folds: the describer's %u nearest words",
        SHOWN_WORDS);

    word_counts_note (&search.words[WORDS_NEAREST], nearest, notes);
    word_counts_note (&search.words[WORDS_CONFIDENT], "trained on the 3 "
        "other folds, pooled over the folds: the words the sidebar and "
        "`describe` show", notes);
    g_print ("%s", notes->str);
  }
  search_sums_clear (&search);
  return TRUE;
}

static gboolean
run_games (const char *dir, guint threads, const Methods *how, GError **error)
{
  enum { GAME_P, GAME_SKEW, GAME_LARGEST, N_METRICS };
  static const char *const names[] = { "same-game P@10", "hub skewness",
    "largest N10" };
  g_autoptr (GPtrArray) clips = quality_games_load (dir, error);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GHashTable) games = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree const char **game = NULL;
  g_autofree char *title = NULL;
  g_autoptr (GString) notes = g_string_new (NULL);
  Metric metrics[N_METRICS];
  Collection c = { 0 };
  guint i, r, m;

  if (!clips)
    return FALSE;
  collection_analyse (&c, clips, threads);
  games_filter (&c);
  if (c.n < K + 1) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "%s: only %u tracks are left to evaluate", dir, c.n);
    collection_clear (&c);
    return FALSE;
  }
  rows = method_rows (&c, how, notes, error);
  if (!rows) {
    collection_clear (&c);
    return FALSE;
  }
  game = g_new0 (const char *, c.n);
  for (i = 0; i < c.n; i++) {
    game[i] = ((QualityClip *) c.clips->pdata[i])->label;
    g_hash_table_add (games, (gpointer) game[i]);
  }
  for (m = 0; m < N_METRICS; m++) {
    metrics[m].name = names[m];
    metrics[m].count = m == GAME_LARGEST;
    metrics[m].values = g_new0 (double, rows->len);
  }
  for (r = 0; r < rows->len; r++) {
    const Row *row = rows->pdata[r];
    g_autofree guint *nb = row_neighbours (row, c.n);

    metrics[GAME_P].values[r] = quality_label_precision (nb, c.n, K, game);
    hubness_columns (nb, c.n, &metrics[GAME_SKEW], &metrics[GAME_LARGEST], r);
  }
  title = g_strdup_printf ("Game soundtracks: %u tracks of %u games",
      c.n, g_hash_table_size (games));
  print_table (title, rows, metrics, N_METRICS);
  g_print ("A neighbour counts when it is from the same game (package); "
      "tracks under 10 s and games with fewer than 5 tracks are left "
      "out.\n%s", notes->str);
  print_dropped (&c);
  for (m = 0; m < N_METRICS; m++)
    g_free (metrics[m].values);
  collection_clear (&c);
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *four_q = NULL, *games = NULL, *folds = NULL;
  g_autofree char *fold_models = NULL;
  g_autofree char *musly_4q = NULL, *musly_games = NULL;
  g_auto (GStrv) models = NULL;
  gboolean model_rows = FALSE;
  int fold = 0, threads = (int) g_get_num_processors ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autofree char *command = NULL;
  Methods how = { 0 };
  GOptionEntry entries[] = {
    { "4q", 0, 0, G_OPTION_ARG_FILENAME, &four_q,
      "The 4Q set (its Q1..Q4 folders and metadata table)", "DIR" },
    { "games", 0, 0, G_OPTION_ARG_FILENAME, &games,
      "Game soundtracks, one subfolder per game", "DIR" },
    { "musly-4q", 0, 0, G_OPTION_ARG_FILENAME, &musly_4q,
      "Real Musly's raw distance matrix of the 4Q clips", "FILE" },
    { "musly-games", 0, 0, G_OPTION_ARG_FILENAME, &musly_games,
      "Real Musly's raw distance matrix of the game tracks", "FILE" },
    { "model", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &models,
      "A model to evaluate (repeatable; default: the default model; "
      "\"none\": no model)", "FILE" },
    { "model-rows", 0, 0, G_OPTION_ARG_NONE, &model_rows,
      "Only the models' rows, beside random order and the raw features",
      NULL },
    { "fold", 0, 0, G_OPTION_ARG_INT, &fold,
      "Evaluate on this 4Q fold only (1-4, as --write-folds numbers them)",
      "K" },
    { "write-folds", 0, 0, G_OPTION_ARG_FILENAME, &folds,
      "Write the 4 artist-disjoint folds of 4Q as training tables", "DIR" },
    { "fold-models", 0, 0, G_OPTION_ARG_FILENAME, &fold_models,
      "The 4-fold protocol: fold K with DIR/fold-K.smodel, trained on the "
      "other folds, then the mean over the folds", "DIR" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &threads, "Analysis threads", "N" },
    { NULL }
  };

  command = g_strjoinv (" ", argv);
  gst_init (&argc, &argv);
  context = g_option_context_new ("- real-music quality benchmark");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("bench-quality: %s\n", error->message);
    return 2;
  }
  if ((!four_q && !games) || argc > 1 || fold < 0
      || fold > QUALITY_N_FOLDS || threads < 1
      || ((fold || folds || fold_models) && !four_q)
      || (fold && fold_models)) {
    g_printerr ("bench-quality: give --4q DIR and/or --games DIR (--fold, "
        "--fold-models and --write-folds go with --4q; --fold and "
        "--fold-models not together); see --help\n");
    return 2;
  }
  how.models = models;
  how.model_rows = model_rows;
  g_print ("## bench-quality\n\n`%s`\n", command);
  if (four_q) {
    how.musly = musly_4q;
    if (!(fold_models ? run_4q_folds (four_q, folds, fold_models,
                (guint) threads, &how, &error) : run_4q (four_q, fold, folds,
                (guint) threads, &how, NULL, NULL, &error))) {
      g_printerr ("bench-quality: %s\n", error->message);
      return 1;
    }
  }
  if (games) {
    how.musly = musly_games;
    if (!run_games (games, (guint) threads, &how, &error)) {
      g_printerr ("bench-quality: %s\n", error->message);
      return 1;
    }
  }
  return 0;
}
