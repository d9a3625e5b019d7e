/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-train-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "semblance-error.h"
#include "semblance-gemm.h"
#include "semblance-metrics.h"
#include "semblance-platt.h"

#define MIN_TRACKS 8
#define DISTANCE_EPS 1e-8
#define MARGIN 1.0
#define ADAM_B1 0.9
#define ADAM_B2 0.999
#define ADAM_EPS 1e-8
/* Validation pairs beyond this are not needed for a stable Spearman. */
#define MAX_VAL_TRACKS 700
#define EMBED_CHUNK 256
#define MAX_BATCH 512
/* A semantic vector shorter than this is no description: the track trains
 * through the acoustic term alone. */
#define DESCRIBED_NORM2 0.25
#define DEFAULT_ACOUSTIC_WEIGHT 0.7

void
semblance_train_options_init (SemblanceTrainOptions *o)
{
  memset (o, 0, sizeof *o);
  /* The options data/model/train-default.sh chose on its leave-games-out
   * folds and bench/quality's 4Q table (see there). */
  o->hidden = 12;
  o->group_out = 12;
  o->epochs = 300;
  o->batch_size = 64;
  o->patience = 150;
  o->learning_rate = 0.003;
  o->weight_decay = 0.1;
  o->val_fraction = 0.3;
  o->seed = 1;
  o->extreme_m = 3;
  /* Measured against 0.03 to 10 (README, "On real music"): weaker helps
   * models of some 500 described tracks and costs those of about 100. */
  o->ridge_lambda = 1.0;
  o->acoustic_weight = DEFAULT_ACOUSTIC_WEIGHT;
  o->validation_acoustic_weight = -1.0;
}

/* A run under way: the network being trained and its standardisation. */
typedef struct
{
  SemblanceNetShape shape;
  float *params;
  float *mean, *std;        /* input standardisation, input_dim each */
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->params, g_free);
  g_clear_pointer (&r->mean, g_free);
  g_clear_pointer (&r->std, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static gboolean
is_described (const float *semantic, guint dim)
{
  double n2 = 0.0;
  guint i;

  for (i = 0; i < dim; i++)
    n2 += semantic[i] * semantic[i];
  return n2 > DESCRIBED_NORM2;
}

/* Fills @coef (rows x rows, symmetric) with dL/dd_ij / d_ij and returns the
 * loss; adds dL/d(log s) of the semantic and the acoustic scale to dlog[0]
 * and dlog[1]. @sem holds chord distances between described tracks, @ac
 * the acoustic distances between all. */
static double
pair_terms (const float *d, const float *sem, const float *ac,
            const gboolean *described, guint rows, const float scale[2],
            const SemblanceTrainOptions *o, float *coef, double dlog[2])
{
  double loss = 0.0, w_ac = o->acoustic_weight, w_sem = 1.0 - w_ac;
  double pairs = rows * (rows - 1) / 2.0, sem_pairs = 0.0;
  guint i, j, n_desc = 0;

  memset (coef, 0, (gsize) rows * rows * sizeof (float));
  for (i = 0; i < rows; i++)
    n_desc += described[i] != FALSE;
  sem_pairs = n_desc * (n_desc - 1.0) / 2.0;

  /* The acoustic term: every pair, described or not. */
  if (w_ac > 0.0)
    for (i = 0; i < rows; i++)
      for (j = i + 1; j < rows; j++) {
        gsize ij = (gsize) i * rows + j;
        double t = scale[1] * ac[ij], diff = d[ij] - t;

        loss += w_ac * diff * diff / pairs;
        coef[ij] += (float) (w_ac * 2.0 * diff / pairs / d[ij]);
        coef[(gsize) j * rows + i] = coef[ij];
        dlog[1] += -w_ac * 2.0 * diff * t / pairs;
      }

  if (w_sem <= 0.0 || sem_pairs < 1.0) {
    /* Nothing semantic in the batch. */
  } else if (!o->extreme_pairs) {
    for (i = 0; i < rows; i++)
      for (j = i + 1; j < rows; j++) {
        gsize ij = (gsize) i * rows + j;
        double t, diff;

        if (!described[i] || !described[j])
          continue;
        t = scale[0] * sem[ij];
        diff = d[ij] - t;
        loss += w_sem * diff * diff / sem_pairs;
        coef[ij] += (float) (w_sem * 2.0 * diff / sem_pairs / d[ij]);
        coef[(gsize) j * rows + i] = coef[ij];
        dlog[0] += -w_sem * 2.0 * diff * t / sem_pairs;
      }
  } else {
    g_autofree guint *order = g_new (guint, rows);
    guint m = MIN (o->extreme_m, (rows - 1) / 2), labelled = rows * 2 * m;

    /* Every track is described here (semblance_train checks). */
    for (i = 0; i < rows && m > 0; i++) {
      guint k;

      /* The diagonal is negative: the track itself sorts first. */
      semblance_argsort (sem + (gsize) i * rows, rows, order);
      for (k = 0; k < 2 * m; k++) {
        guint other = k < m ? order[1 + k] : order[rows - 1 - (k - m)];
        gsize ij = (gsize) i * rows + other;
        double dist = d[ij], g;

        if (k < m) {
          loss += w_sem * dist * dist / labelled;
          g = w_sem * 2.0 * dist / labelled;
        } else if (dist < MARGIN) {
          loss += w_sem * (MARGIN - dist) * (MARGIN - dist) / labelled;
          g = -w_sem * 2.0 * (MARGIN - dist) / labelled;
        } else {
          continue;
        }
        coef[ij] += (float) (g / dist);
        coef[(gsize) other * rows + i] += (float) (g / dist);
      }
    }
  }
  return loss;
}

/* Euclidean distances (rows x rows) of the rows of @v (rows x dim), divided
 * by sqrt (@norm), through their Gram matrix. */
static void
pair_distance_matrix (const float *v, guint rows, guint dim, double norm,
                      float *gram, float *out)
{
  guint i, j;

  semblance_gemm (false, true, rows, rows, dim, 1.0f, v, dim, v, dim, 0.0f,
      gram, rows);
  for (i = 0; i < rows; i++)
    for (j = 0; j < rows; j++) {
      gsize ij = (gsize) i * rows + j;
      double sq = gram[(gsize) i * rows + i] + gram[(gsize) j * rows + j] -
          2.0 * gram[ij];

      out[ij] = (float) sqrt (MAX (sq, 0.0) / norm + DISTANCE_EPS);
    }
}

double
semblance_train_batch_loss (const SemblanceNetShape *shape,
                            const float *params, const float log_scale[2],
                            const float *x, const float *target,
                            const float *semantic, guint rows,
                            guint semantic_dim,
                            const SemblanceTrainOptions *o,
                            SemblanceNetWork *work, float *grad,
                            float grad_log_scale[2])
{
  guint k = semblance_net_output_dim (shape), i, j;
  gsize rr = (gsize) rows * rows;
  g_autofree float *y = g_new (float, (gsize) rows * k);
  g_autofree float *gram = g_new (float, rr);
  g_autofree float *sem = g_new (float, rr);
  g_autofree float *ac = g_new (float, rr);
  g_autofree float *d = g_new (float, rr);
  g_autofree float *coef = g_new (float, rr);
  g_autofree gboolean *described = g_new (gboolean, rows);
  float scale[2] = { expf (log_scale[0]), expf (log_scale[1]) };
  double loss, dlog[2] = { 0.0, 0.0 };

  semblance_net_forward (shape, params, x, rows, y, work);
  pair_distance_matrix (y, rows, k, 1.0, gram, d);
  /* The acoustic target: the group-balanced features' distance, per
   * group, so that its scale is that of the chords below. */
  pair_distance_matrix (target, rows, shape->input_dim, SEMBLANCE_N_GROUPS,
      gram, ac);
  for (i = 0; i < rows; i++)
    described[i] = is_described (semantic + (gsize) i * semantic_dim,
        semantic_dim);
  semblance_gemm (false, true, rows, rows, semantic_dim, 1.0f, semantic,
      semantic_dim, semantic, semantic_dim, 0.0f, sem, rows);
  for (i = 0; i < rows; i++)
    for (j = 0; j < rows; j++) {
      gsize ij = (gsize) i * rows + j;

      /* The chord between the unit semantic vectors, sqrt (2 (1 - cos)): a
       * Euclidean distance, which a Euclidean property space can match
       * (the cosine distance is its square, which it cannot). */
      sem[ij] = i == j ? -1.0f
          : (float) sqrt (MAX (2.0 * (1.0 - sem[ij]), 0.0));
    }

  loss = pair_terms (d, sem, ac, described, rows, scale, o, coef, dlog);
  if (!grad)
    return loss;

  /* dL/dy_i = sum_j c_ij (y_i - y_j) = y_i sum_j c_ij - (C Y)_i */
  {
    g_autofree float *dy = g_new (float, (gsize) rows * k);

    semblance_gemm (false, false, rows, k, rows, -1.0f, coef, rows, y, k,
        0.0f, dy, k);
    for (i = 0; i < rows; i++) {
      double rowsum = 0.0;

      for (j = 0; j < rows; j++)
        rowsum += coef[(gsize) i * rows + j];
      for (j = 0; j < k; j++)
        dy[(gsize) i * k + j] += (float) (rowsum * y[(gsize) i * k + j]);
    }
    semblance_net_backward (shape, params, x, rows, dy, work, grad);
  }
  if (grad_log_scale) {
    grad_log_scale[0] = (float) dlog[0];
    grad_log_scale[1] = (float) dlog[1];
  }
  return loss;
}

/* The property vectors of @rows feature vectors through the network. */
static void
run_embed (const Run *r, const float *features, guint rows, float *out)
{
  g_autoptr (SemblanceNetWork) work = semblance_net_work_new (&r->shape,
      EMBED_CHUNK);
  g_autofree float *x = g_new (float, (gsize) EMBED_CHUNK *
      r->shape.input_dim);
  guint k = semblance_net_output_dim (&r->shape), done;

  for (done = 0; done < rows; done += EMBED_CHUNK) {
    guint n = MIN (EMBED_CHUNK, rows - done);

    semblance_net_standardise (&r->shape, r->mean, r->std, features +
        (gsize) done * r->shape.input_dim, n, x);
    semblance_net_forward (&r->shape, r->params, x, n, out + (gsize) done * k,
        work);
  }
}

/* The semantic map: ridge regression, with centred inputs and outputs, from
 * the property vectors @p (rows x k) to the semantic vectors @s. */
static void
fit_semantic_map (const float *p, const float *s, guint rows, guint k,
                  guint sd, double lambda, float *map, float *bias)
{
  g_autofree float *pc = g_new (float, (gsize) rows * k);
  g_autofree float *sc = g_new (float, (gsize) rows * sd);
  g_autofree float *ptp = g_new (float, (gsize) k * k);
  g_autofree float *pts = g_new (float, (gsize) k * sd);
  g_autofree double *a = g_new (double, (gsize) k * k);
  g_autofree double *b = g_new (double, (gsize) k * sd);
  g_autofree double *mp = g_new0 (double, k);
  g_autofree double *ms = g_new0 (double, sd);
  guint i, j;

  for (i = 0; i < rows; i++) {
    for (j = 0; j < k; j++)
      mp[j] += p[(gsize) i * k + j] / rows;
    for (j = 0; j < sd; j++)
      ms[j] += s[(gsize) i * sd + j] / rows;
  }
  for (i = 0; i < rows; i++) {
    for (j = 0; j < k; j++)
      pc[(gsize) i * k + j] = (float) (p[(gsize) i * k + j] - mp[j]);
    for (j = 0; j < sd; j++)
      sc[(gsize) i * sd + j] = (float) (s[(gsize) i * sd + j] - ms[j]);
  }
  semblance_gemm (true, false, k, k, rows, 1.0f, pc, k, pc, k, 0.0f, ptp, k);
  semblance_gemm (true, false, k, sd, rows, 1.0f, pc, k, sc, sd, 0.0f, pts,
      sd);
  for (i = 0; i < k * k; i++)
    a[i] = ptp[i];
  for (i = 0; i < k * sd; i++)
    b[i] = pts[i];
  semblance_solve_ridge (a, k, lambda, b, sd);
  for (i = 0; i < k * sd; i++)
    map[i] = (float) b[i];
  for (j = 0; j < sd; j++) {
    double v = ms[j];

    for (i = 0; i < k; i++)
      v -= mp[i] * b[(gsize) i * sd + j];
    bias[j] = (float) v;
  }
}

static void
shuffle (guint *v, guint n, GRand *rand)
{
  guint i;

  for (i = n; i > 1; i--) {
    guint j = g_rand_int_range (rand, 0, i), t = v[i - 1];

    v[i - 1] = v[j];
    v[j] = t;
  }
}

/* Reorders @order (already shuffled) so that it starts with whole groups,
 * in shuffled order, until at least @want tracks; returns their count. */
static guint
split_by_group (guint *order, guint n, const guint *groups, guint want)
{
  g_autoptr (GHashTable) chosen = g_hash_table_new (NULL, NULL);
  g_autofree guint *copy = g_memdup2 (order, n * sizeof (guint));
  guint i, picked = 0, front = 0;

  /* The shuffled tracks name the groups in a random order. */
  for (i = 0; i < n && picked < want; i++) {
    gpointer g = GUINT_TO_POINTER (groups[copy[i]] + 1);
    guint j;

    if (g_hash_table_contains (chosen, g))
      continue;
    g_hash_table_add (chosen, g);
    for (j = 0; j < n; j++)
      picked += groups[j] + 1 == GPOINTER_TO_UINT (g);
  }
  for (i = 0; i < n; i++)
    if (g_hash_table_contains (chosen, GUINT_TO_POINTER (groups[copy[i]] + 1)))
      order[front++] = copy[i];
  for (i = 0; i < n; i++)
    if (!g_hash_table_contains (chosen, GUINT_TO_POINTER (groups[copy[i]] + 1)))
      order[front++] = copy[i];
  return picked;
}

/* Adds Gaussian noise of standard deviation @sigma (Box and Muller). */
static void
add_noise (float *x, gsize n, double sigma, GRand *rand)
{
  gsize i;

  for (i = 0; i < n; i++) {
    double u = g_rand_double_range (rand, 1e-12, 1.0), v = g_rand_double (rand);

    x[i] += (float) (sigma * sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v));
  }
}

static void
gather (const float *src, const guint *rows, guint n, guint dim, float *dst)
{
  guint i;

  for (i = 0; i < n; i++)
    memcpy (dst + (gsize) i * dim, src + (gsize) rows[i] * dim,
        dim * sizeof (float));
}

static void
standardisation (const float *features, const guint *rows, guint n, guint dim,
                 float *mean, float *std)
{
  guint i, d;

  for (d = 0; d < dim; d++) {
    double s = 0.0, s2 = 0.0, m, var;

    for (i = 0; i < n; i++) {
      double v = features[(gsize) rows[i] * dim + d];

      s += v;
      s2 += v * v;
    }
    m = s / n;
    var = MAX (s2 / n - m * m, 0.0);
    mean[d] = (float) m;
    /* A constant feature carries nothing: scale 1 keeps it at zero. */
    std[d] = var > 1e-12 ? (float) sqrt (var) : 1.0f;
  }
}

typedef struct
{
  float *m, *v;
  guint64 t;
} Adam;

static void
adam_step (Adam *adam, float *p, const float *g, gsize n, double lr,
           double decay)
{
  double c1, c2;
  gsize i;

  adam->t++;
  c1 = 1.0 - pow (ADAM_B1, adam->t);
  c2 = 1.0 - pow (ADAM_B2, adam->t);
  for (i = 0; i < n; i++) {
    adam->m[i] = (float) (ADAM_B1 * adam->m[i] + (1 - ADAM_B1) * g[i]);
    adam->v[i] = (float) (ADAM_B2 * adam->v[i] + (1 - ADAM_B2) * g[i] * g[i]);
    p[i] -= (float) (lr * ((adam->m[i] / c1) / (sqrt (adam->v[i] / c2) +
                ADAM_EPS) + decay * p[i]));
  }
}

/* The validation tracks' scores: the Spearman correlation of the
 * property distances (or, with @raw, the standardised features') with the
 * acoustic target over all pairs and with the semantic distances over the
 * described pairs (-2 when fewer than 3 are described). */
typedef struct
{
  double acoustic, semantic;
} Scores;

static Scores
validation_scores (const Run *r, const float *features,
                   const float *semantic, const guint *val, guint n_val,
                   guint sd, gboolean raw)
{
  guint n = MIN (n_val, MAX_VAL_TRACKS), dim = r->shape.input_dim,
      k = raw ? dim : semblance_net_output_dim (&r->shape), i, described = 0;
  g_autofree float *f = g_new (float, (gsize) n * dim);
  g_autofree float *x = g_new (float, (gsize) n * dim);
  g_autofree float *s = g_new (float, (gsize) n * sd);
  g_autofree float *v = g_new (float, (gsize) n * k);
  gsize pairs = (gsize) n * (n - 1) / 2;
  g_autofree float *a = g_new (float, pairs);
  g_autofree float *b = g_new (float, pairs);
  Scores scores = { -2.0, -2.0 };

  gather (features, val, n, dim, f);
  semblance_net_standardise (&r->shape, r->mean, r->std, f, n, x);
  semblance_net_balance_groups (&r->shape, x, n);
  if (raw)
    memcpy (v, x, (gsize) n * dim * sizeof (float));
  else
    run_embed (r, f, n, v);
  semblance_pair_distances (v, n, k, a);
  semblance_pair_distances (x, n, dim, b);
  scores.acoustic = semblance_spearman (a, b, pairs);

  /* The described tracks, moved to the front. */
  for (i = 0; i < n; i++)
    if (is_described (semantic + (gsize) val[i] * sd, sd)) {
      memmove (v + (gsize) described * k, v + (gsize) i * k, k * sizeof (float));
      memcpy (s + (gsize) described * sd, semantic + (gsize) val[i] * sd,
          sd * sizeof (float));
      described++;
    }
  if (described >= 3) {
    pairs = (gsize) described * (described - 1) / 2;
    semblance_pair_distances (v, described, k, a);
    semblance_pair_cosine_distances (s, described, sd, b);
    scores.semantic = semblance_spearman (a, b, pairs);
  }
  return scores;
}

/* What early stopping maximises: the two scores weighted as the loss
 * weighs its terms, unless validation_acoustic_weight says otherwise. */
static double
combined_score (const Scores *s, const SemblanceTrainOptions *o)
{
  double w = o->validation_acoustic_weight >= 0.0 ?
      o->validation_acoustic_weight : o->acoustic_weight;

  if (s->semantic < -1.5)
    return s->acoustic;
  return w * s->acoustic + (1.0 - w) * s->semantic;
}

static void
add_metric (SemblanceModelCard *card, const char *name, double value)
{
  g_ptr_array_add (card->metric_names, g_strdup (name));
  g_array_append_val (card->metric_values, value);
}

/* Fewer mentions than this among the calibration's tracks calibrate
 * nothing worth trusting. */
#define MIN_WORD_POSITIVES 5
/* A calibration fitted and judged on the same tracks flatters itself, and
 * a wrong word is worse than none: a word is kept only when, each fifth of
 * the validation tracks scored by a fit on all the other calibration
 * tracks, it would be said of at least MIN_WORD_POSITIVES of them and
 * they carry it often enough that the lower end of a one-sigma Wilson
 * interval of that precision still reaches one half. Only the validation
 * tracks are judged: the network was trained on the others, so their
 * cosines may be more telling than a new track's. */
#define WORD_CHECK_PARTS 5
#define WORD_CHECK_Z 1.0
#define WORD_MIN_PRECISION 0.5

/* The unit predicted semantic vectors s = p M + bias of the @m property
 * vectors @prop (m x k), into @out (m x sd). */
static void
predict_unit (const float *prop, guint m, guint k, guint sd,
              const float *map, const float *bias, double *out)
{
  guint i, c, j;

  for (i = 0; i < m; i++) {
    double *s = out + (gsize) i * sd, n2 = 0.0;

    for (c = 0; c < sd; c++) {
      s[c] = bias[c];
      for (j = 0; j < k; j++)
        s[c] += (double) prop[(gsize) i * k + j] * map[(gsize) j * sd + c];
      n2 += s[c] * s[c];
    }
    for (c = 0; c < sd && n2 > 0.0; c++)
      s[c] /= sqrt (n2);
  }
}

/* The described rows of @from (@n of them) into @rows; returns how many. */
static guint
described_rows (const float *semantic, guint sd, const guint *from, guint n,
                guint *rows)
{
  guint i, m = 0;

  for (i = 0; i < n; i++)
    if (is_described (semantic + (gsize) from[i] * sd, sd))
      rows[m++] = from[i];
  return m;
}

/* The training tracks are scored for the calibration by maps fitted
 * without their fifth of them. */
#define CALIBRATION_PARTS 5

/* Into @predicted (m x sd), the unit predicted semantic vectors of the
 * @m training tracks whose property vectors are @prop and semantic vectors
 * @sem, each through a map fitted on the other parts: what the map says of
 * a track it has not seen. */
static void
predict_held_out (const float *prop, const float *sem, guint m, guint k,
                  guint sd, double lambda, double *predicted)
{
  g_autofree float *fp = g_new (float, (gsize) m * k);
  g_autofree float *fs = g_new (float, (gsize) m * sd);
  g_autofree float *map = g_new (float, (gsize) k * sd);
  g_autofree float *bias = g_new (float, sd);
  guint part, i, n;

  for (part = 0; part < CALIBRATION_PARTS; part++) {
    for (i = 0, n = 0; i < m; i++)
      if (i % CALIBRATION_PARTS != part) {
        memcpy (fp + (gsize) n * k, prop + (gsize) i * k, k * sizeof (float));
        memcpy (fs + (gsize) n * sd, sem + (gsize) i * sd,
            sd * sizeof (float));
        n++;
      }
    fit_semantic_map (fp, fs, n, k, sd, lambda, map, bias);
    for (i = part; i < m; i += CALIBRATION_PARTS)
      predict_unit (prop + (gsize) i * k, 1, k, sd, map, bias,
          predicted + (gsize) i * sd);
  }
}

/* The calibrated words of semblance-train.h, once the model's semantic map
 * is fitted: on the described validation tracks through that map, and on
 * the described training tracks through maps that have not seen them
 * (in a 4Q fold, 840 tracks instead of 190; the network has seen them).
 * Returns how many words were fitted but left out by the held-out
 * check. */
static guint
calibrate_words (SemblanceModel *model, const Run *r, const float *features,
                 const float *semantic, const guint *train, guint n_train,
                 const guint *val, guint n_val,
                 const SemblanceTrainOptions *o)
{
  guint sd = model->semantic_dim, k = semblance_model_get_property_dim (model);
  guint dim = r->shape.input_dim, m, m_val, m_train, i, w, c, failed = 0;
  g_autofree guint *rows = g_new (guint, MAX (n_val + n_train, 1));
  g_autofree float *f = NULL, *prop = NULL, *sem = NULL;
  g_autofree double *predicted = NULL, *scores = NULL;
  g_autofree guint8 *labels = NULL;

  m_val = described_rows (semantic, sd, val, n_val, rows);
  m_train = described_rows (semantic, sd, train, n_train, rows + m_val);
  /* Too few training tracks to leave parts out: the validation's only. */
  if (m_train < CALIBRATION_PARTS)
    m_train = 0;
  m = m_val + m_train;
  if (m == 0)
    return 0;
  f = g_new (float, (gsize) m * dim);
  prop = g_new (float, (gsize) m * k);
  gather (features, rows, m, dim, f);
  run_embed (r, f, m, prop);
  predicted = g_new (double, (gsize) m * sd);
  predict_unit (prop, m_val, k, sd, model->semantic_map,
      model->semantic_bias, predicted);
  if (m_train > 0) {
    sem = g_new (float, (gsize) m_train * sd);
    gather (semantic, rows + m_val, m_train, sd, sem);
    predict_held_out (prop + (gsize) m_val * k, sem, m_train, k, sd,
        o->ridge_lambda, predicted + (gsize) m_val * sd);
  }
  scores = g_new (double, m);
  labels = g_new (guint8, m);
  for (w = 0; w < o->n_words; w++) {
    const float *v = o->word_vectors + (gsize) w * sd;
    SemblanceWordCalibration cal = { NULL, 0.0, 0.0 };
    guint positives = 0;
    size_t shown, right;

    for (i = 0; i < m; i++) {
      double dot = 0.0;

      for (c = 0; c < sd; c++)
        dot += predicted[(gsize) i * sd + c] * v[c];
      scores[i] = dot;
      labels[i] = o->word_labels[(gsize) rows[i] * o->n_words + w] != 0;
      positives += labels[i];
    }
    if (positives < MIN_WORD_POSITIVES
        || !semblance_platt_fit (scores, labels, m, &cal.a, &cal.b)
        || !(cal.a > 0.0))
      continue;
    if (m_val < WORD_CHECK_PARTS
        || !semblance_platt_cross_check (scores, labels, m, m_val,
            WORD_CHECK_PARTS, SEMBLANCE_WORD_MIN_PROBABILITY, &shown, &right)
        || shown < MIN_WORD_POSITIVES
        || semblance_wilson_lower (right, shown, WORD_CHECK_Z)
        < WORD_MIN_PRECISION) {
      failed++;
      continue;
    }
    cal.word = g_strdup (o->words[w]);
    g_array_append_val (model->calibrations, cal);
  }
  return failed;
}

SemblanceModel *
semblance_train (const float *features, guint n, const float *semantic,
                 guint sd, const SemblanceTrainOptions *o,
                 SemblanceTrainReport *report, GError **error)
{
  g_auto (Run) run = { 0 };
  Run *r = &run;
  SemblanceTrainReport local;
  SemblanceModel *model;
  g_autoptr (GRand) rand = g_rand_new_with_seed_array ((const guint32 *)
      &o->seed, 2);
  g_autofree guint *order = g_new (guint, n);
  g_autofree float *best = NULL, *grad = NULL, *xb = NULL, *fb = NULL,
      *sb = NULL, *tb = NULL, *prop = NULL;
  g_autoptr (SemblanceNetWork) work = NULL;
  Adam adam = { 0 }, adam_s = { 0 };
  /* The log scales of the semantic and the acoustic target. */
  float log_scale[2] = { 0.0f, 0.0f }, best_log_scale[2] = { 0.0f, 0.0f },
      g_log_scale[2], m_s[2] = { 0 }, v_s[2] = { 0 };
  double best_score = -G_MAXDOUBLE;
  Scores scores;
  guint *train, *val, n_train, n_val, epoch, since_best = 0, k, b, described;
  gsize n_params;
  gint64 start = g_get_monotonic_time ();
  guint i;

  if (!report)
    report = &local;
  memset (report, 0, sizeof *report);
  n_val = (guint) MAX (2.0, floor (n * o->val_fraction));
  if (n < MIN_TRACKS || n_val + 4 > n) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_EMPTY,
        "%u tracks are too few to train on (at least %d)", n, MIN_TRACKS);
    return NULL;
  }
  for (i = 0, described = 0; i < n; i++)
    described += is_described (semantic + (gsize) i * sd, sd);
  if (o->extreme_pairs && described < n) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_EMPTY,
        "%u of %u tracks have no description: the contrastive variant "
        "(extreme pairs) needs one for every track", n - described, n);
    return NULL;
  }
  if (described < 2 && o->acoustic_weight < 1.0) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_EMPTY,
        "%u of %u tracks have a description: too few to learn from them "
        "(train on the audio alone with an acoustic weight of 1)",
        described, n);
    return NULL;
  }
  for (i = 0; i < n; i++)
    order[i] = i;
  shuffle (order, n, rand);
  if (o->groups)
    n_val = split_by_group (order, n, o->groups, n_val);
  if (n_val < 2 || n_val + 4 > n) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_EMPTY,
        "the groups leave %u of %u tracks for validation: too few to split",
        n_val, n);
    return NULL;
  }
  val = order;
  train = order + n_val;
  n_train = n - n_val;

  semblance_net_shape_init (&r->shape, o->hidden, o->group_out);
  n_params = semblance_net_n_params (&r->shape);
  k = semblance_net_output_dim (&r->shape);
  report->n_train = n_train;
  report->n_val = n_val;
  r->params = g_new (float, n_params);
  r->mean = g_new (float, r->shape.input_dim);
  r->std = g_new (float, r->shape.input_dim);
  semblance_net_init_params (&r->shape, r->params, o->seed);
  standardisation (features, train, n_train, r->shape.input_dim, r->mean,
      r->std);
  /* Keeping the acoustic neighbourhood, the network starts where it
   * holds; on descriptions alone, from random weights. */
  if (o->acoustic_weight > 0.0) {
    g_autofree float *f = g_new (float, (gsize) n_train * r->shape.input_dim);
    g_autofree float *x = g_new (float, (gsize) n_train * r->shape.input_dim);

    gather (features, train, n_train, r->shape.input_dim, f);
    semblance_net_standardise (&r->shape, r->mean, r->std, f, n_train, x);
    semblance_net_init_pca (&r->shape, r->params, x, n_train);
  }

  best = g_memdup2 (r->params, n_params * sizeof (float));
  grad = g_new (float, n_params);
  adam.m = g_new0 (float, n_params);
  adam.v = g_new0 (float, n_params);
  adam_s.m = m_s;
  adam_s.v = v_s;
  b = CLAMP (o->batch_size, 2, MIN (n_train, MAX_BATCH));
  work = semblance_net_work_new (&r->shape, b);
  xb = g_new (float, (gsize) b * r->shape.input_dim);
  fb = g_new (float, (gsize) b * r->shape.input_dim);
  sb = g_new (float, (gsize) b * sd);
  tb = g_new (float, (gsize) b * r->shape.input_dim);

  scores = validation_scores (r, features, semantic, val, n_val, sd, TRUE);
  report->val_raw_spearman = scores.semantic;
  report->val_spearman = -2.0;
  /* Epoch 0 is the start, the groups' principal components: training
   * keeps a later epoch only when it scores higher. */
  for (epoch = 0; epoch <= o->epochs; epoch++) {
    double loss = 0.0, score;
    guint batches = 0, first;

    if (g_cancellable_set_error_if_cancelled (o->cancellable, error)) {
      g_free (adam.m);
      g_free (adam.v);
      return NULL;
    }
    shuffle (train, n_train, rand);
    /* Batches of equal size: the last one borrows from the start. */
    for (first = 0; epoch > 0 && first < n_train; first += b) {
      guint rows[MAX_BATCH], j;

      for (j = 0; j < b; j++)
        rows[j] = train[(first + j) % n_train];
      gather (features, rows, b, r->shape.input_dim, fb);
      gather (semantic, rows, b, sd, sb);
      semblance_net_standardise (&r->shape, r->mean, r->std, fb, b, tb);
      memcpy (xb, tb, (gsize) b * r->shape.input_dim * sizeof (float));
      if (o->input_noise > 0)
        add_noise (xb, (gsize) b * r->shape.input_dim, o->input_noise, rand);
      semblance_net_balance_groups (&r->shape, tb, b);
      loss += semblance_train_batch_loss (&r->shape, r->params, log_scale, xb,
          tb, sb, b, sd, o, work, grad, g_log_scale);
      adam_step (&adam, r->params, grad, n_params, o->learning_rate,
          o->weight_decay);
      if (o->extreme_pairs)
        g_log_scale[0] = 0.0f;
      adam_step (&adam_s, log_scale, g_log_scale, 2, o->learning_rate, 0.0);
      batches++;
    }
    loss /= MAX (batches, 1);

    scores = validation_scores (r, features, semantic, val, n_val, sd, FALSE);
    score = combined_score (&scores, o);
    if (score > best_score) {
      best_score = score;
      report->val_spearman = scores.semantic;
      report->val_acoustic_spearman = scores.acoustic;
      report->best_epoch = epoch;
      report->train_loss = loss;
      memcpy (best, r->params, n_params * sizeof (float));
      memcpy (best_log_scale, log_scale, sizeof log_scale);
      since_best = 0;
    } else {
      since_best++;
    }
    report->epochs_run = epoch;
    if (o->progress && epoch > 0) {
      double per_epoch = (g_get_monotonic_time () - start) / 1e6 / epoch;

      o->progress (epoch, o->epochs, loss, scores.semantic, per_epoch *
          (o->epochs - epoch), o->user_data);
    }
    if (since_best >= o->patience)
      break;
  }
  g_free (adam.m);
  g_free (adam.v);

  model = semblance_model_new_empty (o->hidden, o->group_out, sd);
  memcpy (model->params, best, n_params * sizeof (float));
  memcpy (r->params, best, n_params * sizeof (float));
  memcpy (model->mean, r->mean, r->shape.input_dim * sizeof (float));
  memcpy (model->std, r->std, r->shape.input_dim * sizeof (float));
  model->scale = expf (best_log_scale[0]);

  /* The semantic map, on the described training tracks. */
  {
    g_autofree guint *rows = g_new (guint, n_train);
    g_autofree float *f = NULL, *s = NULL;
    guint m = 0;

    for (i = 0; i < n_train; i++)
      if (is_described (semantic + (gsize) train[i] * sd, sd))
        rows[m++] = train[i];
    if (m == 0) {
      /* Trained on audio alone: the map sends everything to the mean
       * description, which is none. */
      memset (model->semantic_map, 0, (gsize) k * sd * sizeof (float));
      memset (model->semantic_bias, 0, sd * sizeof (float));
    } else {
      f = g_new (float, (gsize) m * r->shape.input_dim);
      s = g_new (float, (gsize) m * sd);
      prop = g_new (float, (gsize) m * k);
      gather (features, rows, m, r->shape.input_dim, f);
      gather (semantic, rows, m, sd, s);
      run_embed (r, f, m, prop);
      fit_semantic_map (prop, s, m, k, sd, o->ridge_lambda,
          model->semantic_map, model->semantic_bias);
    }
  }

  if (o->n_words > 0 && sd > 0)
    report->words_failed_check =
        calibrate_words (model, r, features, semantic, train, n_train, val,
            n_val, o);

  model->card.training_tracks = n;
  add_metric (&model->card, "validation Spearman, model",
      report->val_spearman);
  add_metric (&model->card, "validation Spearman, raw features",
      report->val_raw_spearman);
  add_metric (&model->card, "validation acoustic Spearman, model",
      report->val_acoustic_spearman);
  return model;
}
