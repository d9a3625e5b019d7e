/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The property network: gradients against finite differences, and learning
 * a known semantic distance from synthetic features. */
#include <math.h>
#include <string.h>

#include "random-rows.h"
#include "semblance.h"
#include "semblance-metrics.h"
#include "semblance-platt.h"
#include "semblance-train-private.h"

#define ROWS 6
#define SEM_DIM 5

/* Relative error of the analytic gradient of one block of parameters. */
static const float log_scales[2] = { 0.3f, -0.2f };

static double
block_error (const SemblanceNetShape *shape, float *params, gsize first,
             gsize count, const float *analytic, const float *x,
             const float *target, const float *sem,
             const SemblanceTrainOptions *o, SemblanceNetWork *work,
             double *fd_norm, double *an_norm)
{
  const float h = 5e-3f;
  double diff = 0.0, norm_fd = 0.0, norm_an = 0.0;
  gsize i;

  for (i = first; i < first + count; i++) {
    float keep = params[i];
    double up, down, fd;

    params[i] = keep + h;
    up = semblance_train_batch_loss (shape, params, log_scales, x, target,
        sem, ROWS, SEM_DIM, o, work, NULL, NULL);
    params[i] = keep - h;
    down = semblance_train_batch_loss (shape, params, log_scales, x, target,
        sem, ROWS, SEM_DIM, o, work, NULL, NULL);
    params[i] = keep;
    fd = (up - down) / (2.0 * h);
    diff += (fd - analytic[i]) * (fd - analytic[i]);
    norm_fd += fd * fd;
    norm_an += (double) analytic[i] * analytic[i];
  }
  *fd_norm = sqrt (norm_fd);
  *an_norm = sqrt (norm_an);
  return sqrt (diff) / MAX (sqrt (MAX (norm_fd, norm_an)), 1e-12);
}

static void
check_gradients (gboolean extreme)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  SemblanceNetShape shape;
  SemblanceTrainOptions o;
  g_autofree float *params = NULL, *grad = NULL;
  g_autofree float *x = g_new (float, ROWS * SEMBLANCE_FEATURE_DIM);
  g_autofree float *target = g_new (float, ROWS * SEMBLANCE_FEATURE_DIM);
  g_autofree float *sem = g_new (float, ROWS * SEM_DIM);
  g_autoptr (SemblanceNetWork) work = NULL;
  float g_log[2];
  gsize offset = 0, i;
  guint g, which;

  semblance_train_options_init (&o);
  o.extreme_pairs = extreme;
  o.extreme_m = 2;
  /* Both terms, neither dominant. */
  o.acoustic_weight = 0.4;
  semblance_net_shape_init (&shape, 4, 3);
  params = g_new (float, semblance_net_n_params (&shape));
  grad = g_new (float, semblance_net_n_params (&shape));
  semblance_net_init_params (&shape, params, 9);
  /* Non-zero biases, so that their gradients are exercised fully. */
  for (i = 0; i < semblance_net_n_params (&shape); i++)
    params[i] += (float) g_rand_double_range (rand, -0.1, 0.1);
  for (i = 0; i < ROWS * SEMBLANCE_FEATURE_DIM; i++) {
    x[i] = (float) g_rand_double_range (rand, -1.5, 1.5);
    /* The target is the input before the training noise. */
    target[i] = x[i] + (float) g_rand_double_range (rand, -0.3, 0.3);
  }
  random_unit_rows (rand, sem, ROWS, SEM_DIM);
  /* A track without a description (the contrastive variant needs them
   * all). */
  if (!extreme)
    memset (sem + 2 * SEM_DIM, 0, SEM_DIM * sizeof (float));
  work = semblance_net_work_new (&shape, ROWS);
  semblance_train_batch_loss (&shape, params, log_scales, x, target, sem,
      ROWS, SEM_DIM, &o, work, grad, g_log);

  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    gsize sizes[4] = {
      (gsize) shape.hidden * shape.input_dims[g], shape.hidden,
      (gsize) shape.group_out * shape.hidden, shape.group_out,
    };
    const char *names[4] = { "W1", "b1", "W2", "b2" };
    int layer;

    double w2_norm = 0.0;

    for (layer = 0; layer < 4; layer++) {
      double fd_norm, an_norm, err = block_error (&shape, params, offset,
          sizes[layer], grad, x, target, sem, &o, work, &fd_norm,
          &an_norm);

      g_test_message ("%s group %u %s: relative error %.2e (norm %.3g)",
          extreme ? "extreme pairs" : "regression", g, names[layer], err,
          an_norm);
      if (layer == 3) {
        /* Distances ignore a shift of all outputs: the output biases get
         * no gradient, analytically or numerically. */
        g_assert_cmpfloat (an_norm, <, 1e-5 * w2_norm);
        g_assert_cmpfloat (fd_norm, <, 1e-3 * w2_norm);
      } else {
        g_assert_cmpfloat (err, <, 1e-3);
      }
      if (layer == 2)
        w2_norm = an_norm;
      offset += sizes[layer];
    }
  }
  g_assert_cmpuint (offset, ==, semblance_net_n_params (&shape));

  /* Both log scales (the contrastive variant learns no semantic one). */
  for (which = extreme ? 1 : 0; which < 2; which++) {
    float up[2], down[2];
    double fd;

    memcpy (up, log_scales, sizeof up);
    memcpy (down, log_scales, sizeof down);
    up[which] += 5e-3f;
    down[which] -= 5e-3f;
    fd = (semblance_train_batch_loss (&shape, params, up, x, target, sem,
            ROWS, SEM_DIM, &o, work, NULL, NULL) -
        semblance_train_batch_loss (&shape, params, down, x, target, sem,
            ROWS, SEM_DIM, &o, work, NULL, NULL)) / 1e-2;
    g_test_message ("log scale %u: analytic %.4g, numeric %.4g", which,
        g_log[which], fd);
    g_assert_cmpfloat (fabs (g_log[which]), >, 1e-6);
    g_assert_cmpfloat (fabs (fd - g_log[which]) / fabs (g_log[which]), <,
        1e-3);
  }
}

static void
test_gradients (void)
{
  check_gradients (FALSE);
}

static void
test_gradients_extreme (void)
{
  check_gradients (TRUE);
}

/* Semantic vectors that depend, non-linearly, on three features (two of
 * timbre, one of rhythm) and on nothing else. */
#define USED_A (SEMBLANCE_F_MFCC_MEAN + 1)
#define USED_B (SEMBLANCE_F_MEL_MEAN + 5)
#define USED_C SEMBLANCE_F_TEMPO
static const guint ignored_features[] = {
  SEMBLANCE_F_MFCC_MEAN + 4, SEMBLANCE_F_MEL_MEAN + 30,
  SEMBLANCE_F_CENTROID_MEAN, SEMBLANCE_F_CONTRAST_MEAN + 2,
  SEMBLANCE_F_PULSE_CLARITY, SEMBLANCE_F_PERIODICITY + 3,
  SEMBLANCE_F_CHROMA + 5, SEMBLANCE_F_MODE, SEMBLANCE_F_LOUDNESS,
  SEMBLANCE_F_CREST,
};

static void
synthetic (guint n, guint64 seed, float *features, float *semantic)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed ((guint32) seed);
  guint i, j;

  for (i = 0; i < n; i++) {
    float *f = features + (gsize) i * SEMBLANCE_FEATURE_DIM;
    float *s = semantic + (gsize) i * 4;
    double norm = 0.0;

    for (j = 0; j < SEMBLANCE_FEATURE_DIM; j++)
      f[j] = (float) (g_rand_double_range (rand, -1, 1) * (1 + j % 7) + j);
    s[0] = tanhf (2.0f * (f[USED_A] - USED_A));
    s[1] = tanhf (0.5f * (f[USED_B] - USED_B)) * tanhf (0.5f * (f[USED_B] -
            USED_B));
    s[2] = tanhf (1.5f * (f[USED_C] - USED_C) / (1 + USED_C % 7));
    s[3] = 0.5f;
    for (j = 0; j < 4; j++)
      norm += s[j] * s[j];
    for (j = 0; j < 4; j++)
      s[j] /= (float) sqrt (norm);
  }
}

static double
held_out_spearman (const SemblanceModel *r, const float *features,
                   const float *semantic, guint n)
{
  guint k = semblance_model_get_property_dim (r);
  gsize pairs = (gsize) n * (n - 1) / 2;
  g_autofree float *y = g_new (float, (gsize) n * k);
  g_autofree float *a = g_new (float, pairs);
  g_autofree float *b = g_new (float, pairs);

  semblance_model_embed (r, features, n, y);
  semblance_pair_distances (y, n, k, a);
  semblance_pair_cosine_distances (semantic, n, 4, b);
  return semblance_spearman (a, b, pairs);
}

static double
raw_spearman (const SemblanceModel *r, const float *features,
              const float *semantic, guint n)
{
  gsize pairs = (gsize) n * (n - 1) / 2;
  g_autofree float *x = g_new (float, (gsize) n * SEMBLANCE_FEATURE_DIM);
  g_autofree float *a = g_new (float, pairs);
  g_autofree float *b = g_new (float, pairs);

  semblance_model_standardise (r, features, n, x);
  semblance_pair_distances (x, n, SEMBLANCE_FEATURE_DIM, a);
  semblance_pair_cosine_distances (semantic, n, 4, b);
  return semblance_spearman (a, b, pairs);
}

/* Mean change of the property vector when feature @index moves by one
 * standard deviation. */
static double
sensitivity (const SemblanceModel *r, const float *features, guint n,
             guint index)
{
  guint k = semblance_model_get_property_dim (r), i, j;
  g_autofree float *moved = g_memdup2 (features, (gsize) n *
      SEMBLANCE_FEATURE_DIM * sizeof (float));
  g_autofree float *y0 = g_new (float, (gsize) n * k);
  g_autofree float *y1 = g_new (float, (gsize) n * k);
  double sum = 0.0;

  for (i = 0; i < n; i++)
    moved[(gsize) i * SEMBLANCE_FEATURE_DIM + index] += r->std[index];
  semblance_model_embed (r, features, n, y0);
  semblance_model_embed (r, moved, n, y1);
  for (i = 0; i < n; i++) {
    double d = 0.0;

    for (j = 0; j < k; j++)
      d += (y1[i * k + j] - y0[i * k + j]) * (y1[i * k + j] - y0[i * k + j]);
    sum += sqrt (d);
  }
  return sum / n;
}

static void
test_learns_semantic_distance (void)
{
  const guint n = 2000, test_n = 400;
  g_autofree float *features = g_new (float, (gsize) n * SEMBLANCE_FEATURE_DIM);
  g_autofree float *semantic = g_new (float, (gsize) n * 4);
  g_autofree float *test_f = g_new (float, (gsize) test_n * SEMBLANCE_FEATURE_DIM);
  g_autofree float *test_s = g_new (float, (gsize) test_n * 4);
  g_autoptr (SemblanceModel) r = NULL;
  SemblanceTrainReport report;
  g_autoptr (GError) error = NULL;
  SemblanceTrainOptions o;
  double trained, raw, used = 0.0, ignored = 0.0;
  gsize i;

  synthetic (n, 1, features, semantic);
  synthetic (test_n, 2, test_f, test_s);
  semblance_train_options_init (&o);
  /* The descriptions alone: the features' own distances say nothing of
   * them here. */
  o.acoustic_weight = 0.0;
  r = semblance_train (features, n, semantic, 4, &o, &report, &error);
  g_assert_nonnull (r);
  g_assert_no_error (error);

  trained = held_out_spearman (r, test_f, test_s, test_n);
  raw = raw_spearman (r, test_f, test_s, test_n);
  used = (sensitivity (r, test_f, test_n, USED_A) +
      sensitivity (r, test_f, test_n, USED_B) +
      sensitivity (r, test_f, test_n, USED_C)) / 3.0;
  for (i = 0; i < G_N_ELEMENTS (ignored_features); i++)
    ignored += sensitivity (r, test_f, test_n, ignored_features[i]) /
        G_N_ELEMENTS (ignored_features);
  g_test_message ("held-out Spearman: network %.3f, raw features %.3f "
      "(validation %.3f at epoch %u of %u); sensitivity used %.3f, "
      "ignored %.3f; scale %.3f", trained, raw, report.val_spearman,
      report.best_epoch, report.epochs_run, used, ignored, r->scale);
  g_assert_cmpfloat (trained, >, 0.9);
  g_assert_cmpfloat (raw, <, 0.5);
  /* An untrained network moves about as much for any feature; trained,
   * it barely moves for the ignored ones (measured: 0.14 of the used). */
  g_assert_cmpfloat (ignored, <, 0.2 * used);
}

/* Words calibrated on held-out tracks: one that the semantic map
 * predicts, one mentioned where its cosine is low (its probability would
 * fall with the cosine: dropped), one mentioned too rarely (dropped), and
 * one mentioned by only a third of the tracks of its direction: its
 * probability rises with the cosine, but held out it never reaches one
 * half, so it would never be said rightly (dropped by the check). */
static void
test_word_calibration (void)
{
  const guint n = 300;
  const char *const words[] = { "calm", "dark", "sad", "quiet" };
  const float vectors[] = { 1, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0,
                            1, 0, 0, 0 };
  g_autofree float *features = g_new (float, (gsize) n * SEMBLANCE_FEATURE_DIM);
  g_autofree float *semantic = g_new (float, (gsize) n * 4);
  g_autofree guint8 *labels = g_new0 (guint8, (gsize) n * 4);
  g_autoptr (SemblanceModel) plain = NULL;
  g_autoptr (SemblanceModel) model = NULL;
  const SemblanceWordCalibration *c;
  SemblanceTrainReport report;
  SemblanceTrainOptions o;
  guint i, sad = 0;

  synthetic (n, 5, features, semantic);
  for (i = 0; i < n; i++) {
    labels[i * 4] = semantic[i * 4] > 0.3f;
    labels[i * 4 + 1] = semantic[i * 4] > 0.3f;
    labels[i * 4 + 2] = sad < 3 && semantic[i * 4 + 1] > 0.5f;
    labels[i * 4 + 3] = semantic[i * 4] > 0.3f && i % 3 == 0;
    sad += labels[i * 4 + 2];
  }
  semblance_train_options_init (&o);
  o.epochs = 20;
  o.acoustic_weight = 0.0;
  plain = semblance_train (features, n, semantic, 4, &o, NULL, NULL);
  g_assert_cmpuint (plain->calibrations->len, ==, 0);

  o.n_words = G_N_ELEMENTS (words);
  o.words = words;
  o.word_vectors = vectors;
  o.word_labels = labels;
  model = semblance_train (features, n, semantic, 4, &o, &report, NULL);
  g_assert_cmpuint (model->calibrations->len, ==, 1);
  g_assert_cmpuint (report.words_failed_check, ==, 1);
  c = &g_array_index (model->calibrations, SemblanceWordCalibration, 0);
  g_test_message ("calm: a %.3f, b %.3f", c->a, c->b);
  g_assert_cmpstr (c->word, ==, "calm");
  g_assert_cmpfloat (c->a, >, 0);
  g_assert_cmpfloat (semblance_platt_probability (c->a, c->b, 1.0), >, 0.7);
  g_assert_cmpfloat (semblance_platt_probability (c->a, c->b, -1.0), <, 0.3);
  /* The network and the map do not depend on the words. */
  g_assert_cmpmem (plain->params, plain->n_params * sizeof (float),
      model->params, model->n_params * sizeof (float));
}

static void
test_reproducible (void)
{
  const guint n = 200;
  g_autofree float *features = g_new (float, (gsize) n * SEMBLANCE_FEATURE_DIM);
  g_autofree float *semantic = g_new (float, (gsize) n * 4);
  g_autoptr (SemblanceModel) a = NULL;
  g_autoptr (SemblanceModel) b = NULL;
  SemblanceTrainReport ra, rb;
  SemblanceTrainOptions o;

  synthetic (n, 3, features, semantic);
  semblance_train_options_init (&o);
  o.epochs = 5;
  o.input_noise = 0.3;
  a = semblance_train (features, n, semantic, 4, &o, &ra, NULL);
  b = semblance_train (features, n, semantic, 4, &o, &rb, NULL);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpmem (a->params, a->n_params * sizeof (float),
      b->params, b->n_params * sizeof (float));
  g_assert_cmpfloat (ra.val_spearman, ==, rb.val_spearman);
}

/* Validation holds out whole groups: at least the share asked for, and
 * never part of a group. */
static void
test_validation_groups (void)
{
  const guint n = 200;
  g_autofree float *features = g_new (float, (gsize) n * SEMBLANCE_FEATURE_DIM);
  g_autofree float *semantic = g_new (float, (gsize) n * 4);
  g_autofree guint *groups = g_new (guint, n);
  g_autoptr (SemblanceModel) model = NULL;
  SemblanceTrainReport r;
  g_autoptr (GError) error = NULL;
  SemblanceTrainOptions o;
  guint i;

  synthetic (n, 4, features, semantic);
  /* Six groups of 30 tracks and one of 20. */
  for (i = 0; i < n; i++)
    groups[i] = i / 30;
  semblance_train_options_init (&o);
  o.epochs = 3;
  o.groups = groups;
  model = semblance_train (features, n, semantic, 4, &o, &r, &error);
  g_assert_nonnull (model);
  g_assert_no_error (error);
  g_assert_cmpuint (r.n_val, >=, 40);
  g_assert_true (r.n_val == 50 || r.n_val == 60);
  g_assert_cmpuint (r.n_train + r.n_val, ==, n);
}

static void
test_too_few (void)
{
  float f[4 * SEMBLANCE_FEATURE_DIM] = { 0 }, s[4 * 4] = { 0 };
  g_autoptr (SemblanceModel) r = NULL;
  g_autoptr (GError) error = NULL;
  SemblanceTrainOptions o;

  semblance_train_options_init (&o);
  r = semblance_train (f, 4, s, 4, &o, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_EMPTY);
}

/* Features driven by three hidden factors per group, as real features are
 * by a few properties of the sound; with no description at all. */
static void
factored (guint n, guint64 seed, float *features)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed ((guint32) seed);
  g_autoptr (GRand) mix = g_rand_new_with_seed (77);
  float a[SEMBLANCE_FEATURE_DIM][3];
  guint i, j, c;

  for (j = 0; j < SEMBLANCE_FEATURE_DIM; j++)
    for (c = 0; c < 3; c++)
      a[j][c] = (float) g_rand_double_range (mix, -1, 1) * (1 + j % 5);
  for (i = 0; i < n; i++) {
    float z[SEMBLANCE_N_GROUPS][3];
    guint g;

    for (g = 0; g < SEMBLANCE_N_GROUPS; g++)
      for (c = 0; c < 3; c++)
        z[g][c] = (float) g_rand_double_range (rand, -1, 1);
    for (j = 0; j < SEMBLANCE_FEATURE_DIM; j++) {
      float v = 0.05f * (float) g_rand_double_range (rand, -1, 1);

      g = semblance_layout_group_of (j);
      for (c = 0; c < 3; c++)
        v += a[j][c] * z[g][c];
      features[(gsize) i * SEMBLANCE_FEATURE_DIM + j] = v + j;
    }
  }
}

/* Spearman of the model's property distances with the distances of the
 * standardised features, every group weighing the same (the acoustic
 * target). */
static double
acoustic_spearman (const SemblanceModel *r, const float *features, guint n)
{
  SemblanceNetShape shape;
  guint k = semblance_model_get_property_dim (r);
  gsize pairs = (gsize) n * (n - 1) / 2;
  g_autofree float *x = g_new (float, (gsize) n * SEMBLANCE_FEATURE_DIM);
  g_autofree float *y = g_new (float, (gsize) n * k);
  g_autofree float *a = g_new (float, pairs);
  g_autofree float *b = g_new (float, pairs);

  semblance_model_embed (r, features, n, y);
  semblance_model_standardise (r, features, n, x);
  semblance_net_shape_init (&shape, r->hidden, r->group_out);
  semblance_net_balance_groups (&shape, x, n);
  semblance_pair_distances (y, n, k, a);
  semblance_pair_distances (x, n, SEMBLANCE_FEATURE_DIM, b);
  return semblance_spearman (a, b, pairs);
}

/* Two vectors apart by one in every value: after balancing, each group
 * adds 1 to their squared distance, whatever its number of values. */
static void
test_balance_groups (void)
{
  SemblanceNetShape shape;
  float x[2 * SEMBLANCE_FEATURE_DIM];
  guint g, v;

  semblance_net_shape_init (&shape, 8, 8);
  for (v = 0; v < SEMBLANCE_FEATURE_DIM; v++) {
    x[v] = 2.0f;
    x[SEMBLANCE_FEATURE_DIM + v] = 3.0f;
  }
  semblance_net_balance_groups (&shape, x, 2);
  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    double sq = 0.0;

    for (v = 0; v < shape.input_dims[g]; v++) {
      guint i = shape.input_offsets[g] + v;
      double d = x[SEMBLANCE_FEATURE_DIM + i] - x[i];

      sq += d * d;
    }
    g_assert_cmpfloat_with_epsilon (sq, 1.0, 1e-5);
  }
}

/* With no description, the network trains on the audio alone: it starts
 * at the groups' principal components, which rank as the group-balanced
 * features do,
 * and never ends below its start. */
static void
test_audio_alone (void)
{
  const guint n = 400, test_n = 200;
  g_autofree float *features = g_new (float, (gsize) n * SEMBLANCE_FEATURE_DIM);
  g_autofree float *test_f = g_new (float, (gsize) test_n *
      SEMBLANCE_FEATURE_DIM);
  g_autofree float *semantic = g_new0 (float, (gsize) n * 4);
  g_autoptr (SemblanceModel) start = NULL;
  g_autoptr (SemblanceModel) trained = NULL;
  g_autoptr (SemblanceModel) refused = NULL;
  g_autoptr (GError) error = NULL;
  SemblanceTrainReport r0, r1;
  SemblanceTrainOptions o;
  double at_start, after;
  guint i;

  factored (n, 1, features);
  factored (test_n, 2, test_f);
  semblance_train_options_init (&o);

  /* Descriptions are asked for unless the audio alone is. */
  refused = semblance_train (features, n, semantic, 4, &o, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_EMPTY);

  o.acoustic_weight = 1.0;
  o.epochs = 0;
  start = semblance_train (features, n, semantic, 4, &o, &r0, NULL);
  g_assert_nonnull (start);
  o.epochs = 40;
  trained = semblance_train (features, n, semantic, 4, &o, &r1, NULL);
  g_assert_nonnull (trained);
  at_start = acoustic_spearman (start, test_f, test_n);
  after = acoustic_spearman (trained, test_f, test_n);
  g_test_message ("held-out acoustic Spearman: start %.3f, trained %.3f "
      "(validation %.3f, then %.3f at epoch %u)", at_start, after,
      r0.val_acoustic_spearman, r1.val_acoustic_spearman, r1.best_epoch);
  g_assert_cmpfloat (at_start, >, 0.95);
  g_assert_cmpfloat (r1.val_acoustic_spearman, >=, r0.val_acoustic_spearman);
  g_assert_cmpfloat (after, >, 0.95);
  /* Nothing described: the semantic map says nothing. */
  for (i = 0; i < semblance_model_get_property_dim (trained) * 4; i++)
    g_assert_cmpfloat (trained->semantic_map[i], ==, 0.0f);
}

static void
record_best_semantic (guint epoch, guint epochs, double loss,
                      double val_spearman, double seconds_left,
                      gpointer user_data)
{
  double *best = user_data;

  *best = MAX (*best, val_spearman);
}

/* Early stopping keeps the epoch its score says: with no acoustic share,
 * the one whose distances follow the held-out descriptions best, however
 * much the loss keeps the acoustic neighbourhood; by default, the loss's
 * mix, which here keeps an epoch below that. */
static void
test_validation_weight (void)
{
  const guint n = 600;
  g_autofree float *features = g_new (float, (gsize) n * SEMBLANCE_FEATURE_DIM);
  g_autofree float *semantic = g_new (float, (gsize) n * 4);
  g_autoptr (SemblanceModel) mixed = NULL;
  g_autoptr (SemblanceModel) semantic_only = NULL;
  SemblanceTrainReport rm, rs;
  SemblanceTrainOptions o;
  double best_mixed = -2.0, best_semantic = -2.0;

  synthetic (n, 7, features, semantic);
  semblance_train_options_init (&o);
  o.acoustic_weight = 0.7;
  o.epochs = 30;
  o.patience = 30;
  o.progress = record_best_semantic;
  o.user_data = &best_mixed;
  mixed = semblance_train (features, n, semantic, 4, &o, &rm, NULL);
  g_assert_nonnull (mixed);
  o.validation_acoustic_weight = 0.0;
  o.user_data = &best_semantic;
  semantic_only = semblance_train (features, n, semantic, 4, &o, &rs, NULL);
  g_assert_nonnull (semantic_only);
  g_test_message ("validation semantic Spearman: kept %.3f (epoch %u) of "
      "at best %.3f by the loss's mix; kept %.3f (epoch %u) of %.3f with no "
      "acoustic share", rm.val_spearman, rm.best_epoch, best_mixed,
      rs.val_spearman, rs.best_epoch, best_semantic);
  /* The same runs (same seed, same loss), scored differently. */
  g_assert_cmpfloat (best_semantic, ==, best_mixed);
  g_assert_cmpfloat (rs.val_spearman, >=, best_semantic);
  g_assert_cmpfloat (rm.val_spearman, <, best_mixed);
  g_assert_cmpfloat (rs.val_acoustic_spearman, <=, rm.val_acoustic_spearman);
}

/* Half the tracks described: both kinds train together, and the
 * descriptions are learnt as well as from the described half alone. */
static void
test_some_described (void)
{
  const guint n = 1200, test_n = 300;
  g_autofree float *features = g_new (float, (gsize) n * SEMBLANCE_FEATURE_DIM);
  g_autofree float *semantic = g_new (float, (gsize) n * 4);
  g_autofree float *test_f = g_new (float, (gsize) test_n *
      SEMBLANCE_FEATURE_DIM);
  g_autofree float *test_s = g_new (float, (gsize) test_n * 4);
  g_autoptr (SemblanceModel) r = NULL;
  g_autoptr (GError) error = NULL;
  SemblanceTrainReport report;
  SemblanceTrainOptions o;
  double trained, raw;
  guint i;

  synthetic (n, 5, features, semantic);
  synthetic (test_n, 6, test_f, test_s);
  for (i = 0; i < n; i += 2)
    memset (semantic + (gsize) i * 4, 0, 4 * sizeof (float));
  semblance_train_options_init (&o);
  o.acoustic_weight = 0.2;
  o.epochs = 150;
  r = semblance_train (features, n, semantic, 4, &o, &report, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  trained = held_out_spearman (r, test_f, test_s, test_n);
  raw = raw_spearman (r, test_f, test_s, test_n);
  g_test_message ("half described: held-out Spearman %.3f, raw features "
      "%.3f; validation semantic %.3f, acoustic %.3f at epoch %u", trained,
      raw, report.val_spearman, report.val_acoustic_spearman,
      report.best_epoch);
  g_assert_cmpfloat (trained, >, raw + 0.2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/network/gradients", test_gradients);
  g_test_add_func ("/network/gradients-extreme-pairs", test_gradients_extreme);
  g_test_add_func ("/network/learns-semantic-distance",
      test_learns_semantic_distance);
  g_test_add_func ("/network/reproducible", test_reproducible);
  g_test_add_func ("/network/word-calibration", test_word_calibration);
  g_test_add_func ("/network/balance-groups", test_balance_groups);
  g_test_add_func ("/network/audio-alone", test_audio_alone);
  g_test_add_func ("/network/some-described", test_some_described);
  g_test_add_func ("/network/validation-weight", test_validation_weight);
  g_test_add_func ("/network/validation-groups", test_validation_groups);
  g_test_add_func ("/network/too-few", test_too_few);
  return g_test_run ();
}
