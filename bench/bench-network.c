/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The network's speed: training on 500 and on 10,000 synthetic tracks, and
 * inference per track. (core/semblance-gemm.c keeps BLIS on one thread;
 * it says why.)
 *
 * Usage: bench-network
 */
#include <math.h>

#include "semblance.h"

#define SEM_DIM 4

/* Tracks whose semantic vectors depend non-linearly on three of the
 * features, as in tests/test-network.c. */
static void
synthetic (guint n, float *features, float *semantic)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  guint i, j;

  for (i = 0; i < n; i++) {
    float *f = features + (gsize) i * SEMBLANCE_FEATURE_DIM;
    float *s = semantic + (gsize) i * SEM_DIM;
    double norm = 0.0;

    for (j = 0; j < SEMBLANCE_FEATURE_DIM; j++)
      f[j] = (float) g_rand_double_range (rand, -2, 2);
    s[0] = tanhf (2.0f * f[SEMBLANCE_F_MFCC_MEAN + 1]);
    s[1] = tanhf (f[SEMBLANCE_F_MEL_MEAN + 5]) * tanhf (f[SEMBLANCE_F_MEL_MEAN + 5]);
    s[2] = tanhf (f[SEMBLANCE_F_TEMPO]);
    s[3] = 0.5f;
    for (j = 0; j < SEM_DIM; j++)
      norm += s[j] * s[j];
    for (j = 0; j < SEM_DIM; j++)
      s[j] /= (float) sqrt (norm);
  }
}

static double
time_training (guint n, guint epochs, double *spearman, guint *epochs_run)
{
  g_autofree float *f = g_new (float, (gsize) n * SEMBLANCE_FEATURE_DIM);
  g_autofree float *s = g_new (float, (gsize) n * SEM_DIM);
  g_autoptr (SemblanceModel) model = NULL;
  SemblanceTrainReport r;
  SemblanceTrainOptions o;
  gint64 start;

  synthetic (n, f, s);
  semblance_train_options_init (&o);
  o.epochs = epochs;
  o.patience = epochs;
  start = g_get_monotonic_time ();
  model = semblance_train (f, n, s, SEM_DIM, &o, &r, NULL);
  *spearman = r.val_spearman;
  *epochs_run = r.epochs_run;
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (void)
{
  static const guint sizes[] = { 500, 10000 };
  static const guint epochs[] = { 300, 60 };
  g_autoptr (SemblanceModel) model = semblance_model_new_empty (16, 8, 0);
  g_autoptr (SemblanceEmbedder) embedder = NULL;
  g_autofree float *f = g_new (float, SEMBLANCE_FEATURE_DIM);
  g_autofree float *out = g_new (float, 40);
  const guint runs = 100000;
  gint64 start;
  double one;
  guint i;

  g_print ("training on one core (synthetic tracks, default options, a "
      "fixed number of epochs)\n");
  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    double rho, secs;
    guint run;

    secs = time_training (sizes[i], epochs[i], &rho, &run);
    g_print ("  %5u tracks, %3u epochs: %6.2f s (validation Spearman %.3f)\n",
        sizes[i], run, secs, rho);
  }

  for (i = 0; i < model->n_params; i++)
    model->params[i] = (float) sin (i * 0.37) * 0.3f;
  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++)
    f[i] = (float) cos (i);
  embedder = semblance_embedder_new (g_steal_pointer (&model));
  start = g_get_monotonic_time ();
  for (i = 0; i < runs; i++)
    semblance_embedder_embed (embedder, f, 1, out);
  one = (g_get_monotonic_time () - start) / (double) runs;
  g_print ("inference: %.2f microseconds per track, one at a time (%u "
      "tracks)\n", one, runs);
  return 0;
}
