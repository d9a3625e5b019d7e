/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "semblance-eigen.h"
#include "semblance-gemm.h"
#include "semblance-store-private.h"

/* CSLS's neighbourhood among the reference descriptions. */
#define K_REFERENCES 10
/* SEMBLANCE_SEARCH_WHITENED's: the power p of (λ / λmax)^(-p/2), the
 * least λ / λmax it scales by, and its neighbourhood. */
#define WHITEN_POWER 0.3
#define WHITEN_FLOOR 1e-3
#define K_WHITENED_REFERENCES 5
/* Rows of the track-by-reference products computed at once. */
#define BLOCK_ROWS 1024

struct _SemblanceSearch
{
  guint dim;
  GArray *ids;                  /* gint64 */
  GArray *durations;            /* double */
  GArray *predictions;          /* float, n x dim, as added */
  float *references;            /* n_references x dim, as given: not
                                 * centred, see prepare() */
  guint n_references;
  float *centre;                /* dim: the references' mean, where every
                                 * query is centred */
  GHashTable *row_of;           /* id -> row + 1 */
  /* Made by prepare() when a query needs them, dropped by an add. */
  float *unit;                  /* n x dim: centred, unit length */
  float *penalty;               /* n: the mean cosine to the nearest
                                 * references */
  float *ref_mean, *ref_sd;     /* n: mean and spread of the cosines to all
                                 * references, for mutual proximity */
  /* SEMBLANCE_SEARCH_WHITENED's, made by prepare_whitened() when a query
   * needs them, dropped by an add. */
  float *white_unit;            /* n x dim */
  float *white_penalty;         /* n */
  /* SEMBLANCE_SEARCH_BALANCED's, made by prepare_balanced(), dropped by an
   * add. */
  float *hub_penalty;           /* n */
};

SemblanceSearch *
semblance_search_new (guint dim, const float *references, guint n_references)
{
  SemblanceSearch *self = g_new0 (SemblanceSearch, 1);
  guint r, j;

  g_return_val_if_fail (dim > 0, NULL);
  self->dim = dim;
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->durations = g_array_new (FALSE, FALSE, sizeof (double));
  self->predictions = g_array_new (FALSE, FALSE, sizeof (float));
  self->references = g_memdup2 (references, (gsize) n_references * dim
      * sizeof (float));
  self->n_references = n_references;
  self->centre = g_new0 (float, dim);
  for (r = 0; r < n_references; r++)
    for (j = 0; j < dim; j++)
      self->centre[j] += references[(gsize) r * dim + j] / n_references;
  self->row_of = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
      NULL);
  return self;
}

void
semblance_search_free (SemblanceSearch *self)
{
  if (!self)
    return;
  g_array_unref (self->ids);
  g_array_unref (self->durations);
  g_array_unref (self->predictions);
  g_hash_table_unref (self->row_of);
  g_free (self->references);
  g_free (self->centre);
  g_free (self->unit);
  g_free (self->penalty);
  g_free (self->ref_mean);
  g_free (self->ref_sd);
  g_free (self->white_unit);
  g_free (self->white_penalty);
  g_free (self->hub_penalty);
  g_free (self);
}

void
semblance_search_add (SemblanceSearch *self, gint64 id,
                      const float *prediction, double duration)
{
  g_array_append_val (self->ids, id);
  g_array_append_val (self->durations, duration);
  g_array_append_vals (self->predictions, prediction, self->dim);
  g_hash_table_insert (self->row_of, g_memdup2 (&id, sizeof id),
      GUINT_TO_POINTER (self->ids->len));
  g_clear_pointer (&self->unit, g_free);
  g_clear_pointer (&self->penalty, g_free);
  g_clear_pointer (&self->ref_mean, g_free);
  g_clear_pointer (&self->ref_sd, g_free);
  g_clear_pointer (&self->white_unit, g_free);
  g_clear_pointer (&self->white_penalty, g_free);
  g_clear_pointer (&self->hub_penalty, g_free);
}

guint
semblance_search_size (const SemblanceSearch *self)
{
  return self->ids->len;
}

guint
semblance_search_get_dim (const SemblanceSearch *self)
{
  return self->dim;
}

void
semblance_search_options_init (SemblanceSearchOptions *options)
{
  memset (options, 0, sizeof *options);
  options->n = 20;
  options->ranking = SEMBLANCE_SEARCH_BALANCED;
}

/* Puts @row, of @score, into the list @top_score, @top_row (@filled of
 * @k, best first; ties go to the lower row, as in a ranking) if it
 * belongs there. Rows come in ascending order, so a row that ties the
 * last one stays out. */
static void
keep_best (float *top_score, guint *top_row, guint *filled, guint k,
           float score, guint row)
{
  guint at;

  if (*filled == k && score <= top_score[k - 1])
    return;
  at = *filled < k ? (*filled)++ : k - 1;
  for (; at > 0 && top_score[at - 1] < score; at--) {
    top_score[at] = top_score[at - 1];
    top_row[at] = top_row[at - 1];
  }
  top_score[at] = score;
  top_row[at] = row;
}

/* The mean of the @k (at most K_REFERENCES) largest of @v (@n values),
 * kept in a short list as they come: sorting all of a track's cosines to
 * the references was the largest cost of a search after the start of the
 * process (perf). */
static float
mean_of_largest (const float *v, guint n, guint k)
{
  float top[K_REFERENCES];
  guint row[K_REFERENCES], filled = 0, i;
  double sum = 0.0;

  g_assert (k <= K_REFERENCES);
  k = MIN (k, n);
  for (i = 0; i < n && k > 0; i++)
    keep_best (top, row, &filled, k, v[i], i);
  for (i = 0; i < filled; i++)
    sum += top[i];
  return filled ? (float) (sum / filled) : 0.0f;
}

/* For each of the tracks' @unit vectors (n x dim), the mean cosine to its
 * @k nearest references into @penalty, and, when @mean is not NULL, the
 * mean and spread of its cosines to all of them. */
static void
reference_cosines (const SemblanceSearch *self, const float *unit, guint k,
                   float *penalty, float *mean, float *sd)
{
  guint n = self->ids->len, nr = self->n_references, i, j, r;
  g_autofree float *block = g_new (float, (gsize) BLOCK_ROWS * nr);

  for (i = 0; i < n; i += BLOCK_ROWS) {
    guint rows = MIN (BLOCK_ROWS, n - i);

    semblance_gemm (false, true, rows, nr, self->dim, 1.0f,
        unit + (gsize) i * self->dim, self->dim, self->references,
        self->dim, 0.0f, block, nr);
    for (r = 0; r < rows; r++) {
      float *c = block + (gsize) r * nr;
      double sum = 0.0, sum2 = 0.0, m_r;

      for (j = 0; j < nr; j++) {
        sum += c[j];
        sum2 += (double) c[j] * c[j];
      }
      m_r = sum / nr;
      if (mean) {
        mean[i + r] = (float) m_r;
        sd[i + r] = (float) sqrt (MAX (sum2 / nr - m_r * m_r, 1e-12));
      }
      penalty[i + r] = mean_of_largest (c, nr, k);
    }
  }
}

/* The predictions less their mean, into @out (n x dim). */
static void
centre_predictions (const SemblanceSearch *self, float *out)
{
  guint n = self->ids->len, dim = self->dim, i, j;
  const float *p = (const float *) self->predictions->data;
  g_autofree double *mean = g_new0 (double, dim);

  for (i = 0; i < n; i++)
    for (j = 0; j < dim; j++)
      mean[j] += p[(gsize) i * dim + j];
  for (j = 0; j < dim && n > 0; j++)
    mean[j] /= n;
  for (i = 0; i < n; i++)
    for (j = 0; j < dim; j++)
      out[(gsize) i * dim + j] = (float) (p[(gsize) i * dim + j] - mean[j]);
}

/* Each of @n rows of @x (@dim values) at unit length, in place. A track
 * at the mean says nothing: it stays at 0, cosine 0. */
static void
unit_rows (float *x, guint n, guint dim)
{
  guint i, j;

  for (i = 0; i < n; i++) {
    float *u = x + (gsize) i * dim;
    double norm = 0.0;

    for (j = 0; j < dim; j++)
      norm += (double) u[j] * u[j];
    norm = sqrt (norm);
    for (j = 0; j < dim && norm > 0.0; j++)
      u[j] = (float) (u[j] / norm);
  }
}

/* The centred unit predictions, not whitened, and their CSLS penalties:
 * what SEMBLANCE_SEARCH_CSLS, _COSINE and _MP rank by, and what a word's
 * or a query's z-scores are of. */
static void
prepare (SemblanceSearch *self)
{
  guint n = self->ids->len, dim = self->dim;

  if (self->unit)
    return;
  self->unit = g_new (float, MAX ((gsize) n * dim, 1));
  self->penalty = g_new0 (float, MAX (n, 1));
  self->ref_mean = g_new0 (float, MAX (n, 1));
  self->ref_sd = g_new0 (float, MAX (n, 1));
  centre_predictions (self, self->unit);
  unit_rows (self->unit, n, dim);
  if (self->n_references == 0)
    return;
  /* The penalties, and mutual proximity's statistics, are of the cosines
   * to the references as given, though queries are centred: they then
   * also count how far a track lies along the direction that every
   * description shares, which is what made hubs before queries were
   * centred. Centring the references as the queries are was measured
   * (bench-quality, 4Q, 2026-12-04) and is worse: with seed 1's fold
   * models, tag queries 2.19 against 2.34 times the base rate and the
   * largest share of the lists 0.172 against 0.163 (seeds 2 and 3 alike);
   * the default model's tag queries 1.56 against 1.85. */
  reference_cosines (self, self->unit, K_REFERENCES, self->penalty,
      self->ref_mean, self->ref_sd);
}

/* The whitened unit predictions and their CSLS penalties: the
 * predictions centred as prepare() centres them, then each principal
 * direction of their spread scaled by (λ / λmax)^(-WHITEN_POWER / 2), so
 * that the directions of least spread weigh more and the few tracks far
 * along the main ones top fewer lists (it lowered the fold models' hubs:
 * README, "On real music"); then at unit length. */
static void
prepare_whitened (SemblanceSearch *self)
{
  guint n = self->ids->len, dim = self->dim, i, j, k;
  g_autofree double *cov_d = NULL, *values = NULL, *vectors = NULL;
  g_autofree double *work = NULL;
  g_autofree float *x = NULL, *cov = NULL, *w = NULL, *v = NULL, *vs = NULL;

  if (self->white_unit)
    return;
  self->white_unit = g_new0 (float, MAX ((gsize) n * dim, 1));
  self->white_penalty = g_new0 (float, MAX (n, 1));
  if (n == 0)
    return;
  x = g_new (float, (gsize) n * dim);
  centre_predictions (self, x);
  cov = g_new (float, (gsize) dim * dim);
  semblance_gemm (true, false, dim, dim, n, 1.0f / n, x, dim, x, dim, 0.0f,
      cov, dim);
  cov_d = g_new (double, (gsize) dim * dim);
  for (j = 0; j < dim * dim; j++)
    cov_d[j] = cov[j];
  values = g_new (double, dim);
  vectors = g_new (double, (gsize) dim * dim);
  work = g_new (double, dim);
  semblance_eigen_symmetric (cov_d, dim, values, vectors, work);
  /* W = (V S) V^T, symmetric: x W is each centred prediction whitened. */
  v = g_new (float, (gsize) dim * dim);
  vs = g_new (float, (gsize) dim * dim);
  for (k = 0; k < dim; k++) {
    float scale = values[dim - 1] > 0.0 ? (float) pow (MAX (values[k],
            WHITEN_FLOOR * values[dim - 1]) / values[dim - 1],
        -WHITEN_POWER / 2) : 1.0f;

    for (i = 0; i < dim; i++) {
      v[(gsize) i * dim + k] = (float) vectors[(gsize) i * dim + k];
      vs[(gsize) i * dim + k] = v[(gsize) i * dim + k] * scale;
    }
  }
  w = g_new (float, (gsize) dim * dim);
  semblance_gemm (false, true, dim, dim, dim, 1.0f, vs, dim, v, dim, 0.0f, w,
      dim);
  semblance_gemm (false, false, n, dim, dim, 1.0f, x, dim, w, dim, 0.0f,
      self->white_unit, dim);
  unit_rows (self->white_unit, n, dim);
  if (self->n_references > 0)
    reference_cosines (self, self->white_unit, K_WHITENED_REFERENCES,
        self->white_penalty, NULL, NULL);
}

/* The score by which CSLS ranks track @row, of @cosine to the query. The
 * penalty weighs 1, as in CSLS: other weights (0.5 to 3, README) each
 * helped either the fold models or the default model, never both. A soft
 * maximum over all the words (inverted softmax) instead of the mean of the
 * nearest was no better (README, 2026-12-06). */
static inline float
csls (const SemblanceSearch *self, guint row, float cosine)
{
  return 2.0f * cosine - self->penalty[row];
}

/* @query less the references' mean, at unit length, into @out: what the
 * tracks' centred predictions are compared with. Every description of
 * music shares a direction (the mood tags of a benchmark all lean one
 * way), and a track far along it would top every query; centring the
 * queries as the predictions are centred leaves what sets one description
 * apart from the others. The query is not whitened by the spread of the
 * describer's words: that raised the fold models' hubs (README). A query
 * at the centre says nothing: it stays at 0, cosine 0 to every track. */
static void
centre_query (const SemblanceSearch *self, const float *query, float *out)
{
  double norm = 0.0;
  guint j;

  for (j = 0; j < self->dim; j++) {
    out[j] = query[j] - self->centre[j];
    norm += (double) out[j] * out[j];
  }
  norm = sqrt (norm);
  for (j = 0; j < self->dim && norm > 0.0; j++)
    out[j] = (float) (out[j] / norm);
}

static inline float
whitened_csls (const SemblanceSearch *self, guint row, float cosine)
{
  return 2.0f * cosine - self->white_penalty[row];
}

/* What SEMBLANCE_SEARCH_BALANCED ranks by (prepare_balanced() made). */
static inline float
balanced_score (const SemblanceSearch *self, guint row, float cosine)
{
  return whitened_csls (self, row, cosine) - self->hub_penalty[row];
}

static gboolean
is_short (const SemblanceSearch *self, guint row)
{
  double d = g_array_index (self->durations, double, row);

  return d > 0.0 && d < SEMBLANCE_SEARCH_SHORT_SECONDS;
}

/* SEMBLANCE_SEARCH_BALANCED's penalties: every reference description,
 * centred as a query is, ranks the m tracks that a query ranks by default
 * (not the short clips) by their whitened CSLS scores; a track in c of
 * those top-k lists, where k n_references / m is every track's fair share,
 * loses SEMBLANCE_SEARCH_HUB_WEIGHT ln (1 + c m / (k n_references)). The
 * log keeps a track that a few descriptions rightly favour close to
 * where it was and weighs most on the track that tops the lists of
 * descriptions with nothing in common. */
static void
prepare_balanced (SemblanceSearch *self)
{
  guint n = self->ids->len, nr = self->n_references, dim = self->dim;
  guint i, r, k, listed = 0;
  g_autofree float *bank = NULL, *block = NULL, *top_score = NULL;
  g_autofree guint *top_row = NULL, *filled = NULL, *count = NULL;

  if (self->hub_penalty)
    return;
  prepare_whitened (self);
  self->hub_penalty = g_new0 (float, MAX (n, 1));
  for (i = 0; i < n; i++)
    listed += is_short (self, i) ? 0 : 1;
  k = MIN (SEMBLANCE_SEARCH_HUB_LIST, listed);
  if (k == 0 || nr == 0)
    return;
  bank = g_new (float, (gsize) nr * dim);
  for (r = 0; r < nr; r++)
    centre_query (self, self->references + (gsize) r * dim,
        bank + (gsize) r * dim);
  block = g_new (float, (gsize) BLOCK_ROWS * nr);
  top_score = g_new (float, (gsize) nr * k);
  top_row = g_new (guint, (gsize) nr * k);
  filled = g_new0 (guint, nr);
  for (i = 0; i < n; i += BLOCK_ROWS) {
    guint rows = MIN (BLOCK_ROWS, n - i), b;

    semblance_gemm (false, true, rows, nr, dim, 1.0f,
        self->white_unit + (gsize) i * dim, dim, bank, dim, 0.0f, block, nr);
    for (b = 0; b < rows; b++) {
      if (is_short (self, i + b))
        continue;
      for (r = 0; r < nr; r++)
        keep_best (top_score + (gsize) r * k, top_row + (gsize) r * k,
            &filled[r], k, whitened_csls (self, i + b,
                block[(gsize) b * nr + r]), i + b);
    }
  }
  count = g_new0 (guint, n);
  for (r = 0; r < nr; r++)
    for (i = 0; i < filled[r]; i++)
      count[top_row[(gsize) r * k + i]]++;
  for (i = 0; i < n; i++)
    self->hub_penalty[i] = (float) (SEMBLANCE_SEARCH_HUB_WEIGHT
        * log1p ((double) count[i] * listed / ((double) k * nr)));
}

/* ln Φ(z), without underflow far in the lower tail. */
static double
log_cdf (double z)
{
  double p = 0.5 * erfc (-z / G_SQRT2);

  return p > 1e-300 ? log (p) : -0.5 * z * z - log (-z) - 0.5 * log (2.0
      * G_PI);
}

static gboolean
eligible (const SemblanceSearch *self, guint row,
          const SemblanceSearchOptions *o)
{
  double d = g_array_index (self->durations, double, row);

  if (!o->include_short && is_short (self, row))
    return FALSE;
  if (o->min_duration > 0.0 && d < o->min_duration)
    return FALSE;
  return !(o->max_duration > 0.0 && d > o->max_duration);
}

typedef struct
{
  float score;
  guint row;
} Scored;

static int
compare_scored (const void *a, const void *b)
{
  const Scored *x = a, *y = b;

  if (x->score != y->score)
    return (x->score < y->score) - (x->score > y->score);
  return (x->row > y->row) - (x->row < y->row);
}

GArray *
semblance_search_rank (SemblanceSearch *self, const float *query,
                       const SemblanceSearchOptions *options)
{
  SemblanceSearchOptions defaults;
  const SemblanceSearchOptions *o = options;
  GArray *out = g_array_new (FALSE, FALSE, sizeof (SemblanceSearchMatch));
  guint n = self->ids->len, i, k, m = 0;
  g_autofree float *cosine = NULL, *centred = NULL;
  g_autofree Scored *scored = NULL;
  g_autoptr (GHashTable) excluded = g_hash_table_new (g_int64_hash,
      g_int64_equal);
  float best, median;
  double q_mean = 0.0, q_sd = 1.0;
  gboolean whitened;

  if (!o) {
    semblance_search_options_init (&defaults);
    o = &defaults;
  }
  if (n == 0)
    return out;
  whitened = o->ranking == SEMBLANCE_SEARCH_WHITENED
      || o->ranking == SEMBLANCE_SEARCH_BALANCED;
  if (o->ranking == SEMBLANCE_SEARCH_BALANCED)
    prepare_balanced (self);
  else if (whitened)
    prepare_whitened (self);
  else
    prepare (self);
  for (i = 0; i < o->n_exclude; i++)
    g_hash_table_add (excluded, (gpointer) &o->exclude[i]);
  cosine = g_new (float, n);
  centred = g_new (float, self->dim);
  centre_query (self, query, centred);
  semblance_gemv (n, self->dim, 1.0f, whitened ? self->white_unit
      : self->unit, self->dim, centred, 0.0f, cosine);
  if (o->ranking == SEMBLANCE_SEARCH_MP) {
    double sum = 0.0, sum2 = 0.0;

    for (i = 0; i < n; i++) {
      sum += cosine[i];
      sum2 += (double) cosine[i] * cosine[i];
    }
    q_mean = sum / n;
    q_sd = sqrt (MAX (sum2 / n - q_mean * q_mean, 1e-12));
  }
  scored = g_new (Scored, n);
  for (i = 0; i < n; i++) {
    if (!eligible (self, i, o))
      continue;
    scored[m].row = i;
    switch (o->ranking) {
      case SEMBLANCE_SEARCH_CSLS:
        scored[m++].score = csls (self, i, cosine[i]);
        break;
      case SEMBLANCE_SEARCH_WHITENED:
        scored[m++].score = whitened_csls (self, i, cosine[i]);
        break;
      case SEMBLANCE_SEARCH_BALANCED:
        scored[m++].score = balanced_score (self, i, cosine[i]);
        break;
      case SEMBLANCE_SEARCH_MP:
        /* log P(a track's cosine to the query < c) + log P(a reference's
         * cosine to the track < c): both sides find the pair close. */
        scored[m++].score = (float) (log_cdf ((cosine[i] - q_mean) / q_sd)
            + log_cdf ((cosine[i] - self->ref_mean[i]) / self->ref_sd[i]));
        break;
      default:
        scored[m++].score = cosine[i];
        break;
    }
  }
  if (m == 0)
    return out;
  qsort (scored, m, sizeof (Scored), compare_scored);
  best = scored[0].score;
  median = scored[m / 2].score;
  for (k = 0; k < m && out->len < o->n; k++) {
    SemblanceSearchMatch match;
    gint64 id = g_array_index (self->ids, gint64, scored[k].row);

    if (g_hash_table_contains (excluded, &id))
      continue;
    match.id = id;
    match.cosine = cosine[scored[k].row];
    match.score = scored[k].score;
    match.similarity = best > median ? CLAMP ((match.score - median)
        / (best - median), 0.0f, 1.0f) : 1.0f;
    g_array_append_val (out, match);
  }
  return out;
}

/* @value (one per track of the index) as z-scores over the index, for
 * the @n_ids tracks @ids; NAN for an id not in the index. */
static void
z_of_ids (const SemblanceSearch *self, const float *value, const gint64 *ids,
          guint n_ids, float *z)
{
  guint n = self->ids->len, i;
  double sum = 0.0, sum2 = 0.0, mean, sd;

  for (i = 0; i < n; i++) {
    sum += value[i];
    sum2 += (double) value[i] * value[i];
  }
  mean = sum / n;
  sd = sqrt (MAX (sum2 / n - mean * mean, 0.0));
  for (i = 0; i < n_ids; i++) {
    guint row = GPOINTER_TO_UINT (g_hash_table_lookup (self->row_of,
            &ids[i]));

    z[i] = !row ? NAN : sd > 0.0 ? (float) ((value[row - 1] - mean) / sd)
        : 0.0f;
  }
}

/* The cosines of @query, centred, to every track's centred prediction
 * (@whitened: whitened as SEMBLANCE_SEARCH_BALANCED ranks, with its
 * penalties made), or NULL for an empty index. */
static float *
cosines (SemblanceSearch *self, const float *query, gboolean whitened)
{
  guint n = self->ids->len;
  g_autofree float *centred = NULL;
  float *cosine;

  if (n == 0)
    return NULL;
  if (whitened)
    prepare_balanced (self);
  else
    prepare (self);
  centred = g_new (float, self->dim);
  centre_query (self, query, centred);
  cosine = g_new (float, n);
  semblance_gemv (n, self->dim, 1.0f, whitened ? self->white_unit
      : self->unit, self->dim, centred, 0.0f, cosine);
  return cosine;
}

void
semblance_search_word_z (SemblanceSearch *self, const float *word,
                         const gint64 *ids, guint n_ids, float *z)
{
  g_autofree float *cosine = cosines (self, word, FALSE);
  guint i;

  if (!cosine) {
    for (i = 0; i < n_ids; i++)
      z[i] = NAN;
    return;
  }
  z_of_ids (self, cosine, ids, n_ids, z);
}

void
semblance_search_score_z (SemblanceSearch *self, const float *query,
                          const gint64 *ids, guint n_ids, float *z)
{
  g_autofree float *score = cosines (self, query, TRUE);
  guint i;

  if (!score) {
    for (i = 0; i < n_ids; i++)
      z[i] = NAN;
    return;
  }
  for (i = 0; i < self->ids->len; i++)
    score[i] = balanced_score (self, i, score[i]);
  z_of_ids (self, score, ids, n_ids, z);
}

gboolean
semblance_search_store_prediction (SemblanceStore *store,
                                   SemblanceEmbedder *embedder, gint64 id,
                                   const float *vector, GError **error)
{
  SemblanceModel *m = semblance_embedder_get_model (embedder);
  g_autofree float *s = NULL;

  if (m->semantic_dim == 0)
    return TRUE;
  s = g_new (float, m->semantic_dim);
  semblance_embedder_project (embedder, vector, s);
  return semblance_store_set_prediction (store, id,
      semblance_model_get_id (m), s, m->semantic_dim, error);
}

gboolean
semblance_search_fill_predictions (SemblanceStore *store,
                                   SemblanceEmbedder *embedder,
                                   GError **error)
{
  SemblanceModel *m = semblance_embedder_get_model (embedder);
  const char *model_id = semblance_model_get_id (m);
  g_autoptr (GArray) ids = NULL;
  guint dim = semblance_embedder_get_dim (embedder), i;

  if (m->semantic_dim == 0)
    return TRUE;
  ids = semblance_store_missing_predictions (store, model_id);
  if (ids->len == 0)
    return semblance_store_take_error (store, error);
  if (!semblance_store_begin (store, error))
    return FALSE;
  for (i = 0; i < ids->len; i++) {
    gint64 id = g_array_index (ids, gint64, i);
    guint n = 0;
    g_autofree float *v = semblance_store_get_vector (store, id, model_id,
        &n);

    if (!v || n != dim)
      continue;
    if (!semblance_search_store_prediction (store, embedder, id, v, error)) {
      semblance_store_rollback (store);
      return FALSE;
    }
  }
  return semblance_store_take_error (store, error)
      && semblance_store_commit (store, error);
}
