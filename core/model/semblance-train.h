/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pairwise training of the property network. The loss of a batch has two
 * terms. The acoustic one, with weight w (acoustic_weight), takes every
 * pair: (||f(x_i) - f(x_j)|| - a d_ac(i, j))^2, d_ac being the distance of
 * the standardised feature vectors with every property group weighing the
 * same (semblance_net_balance_groups), so that the network keeps what the
 * audio says. The semantic one, with weight 1 - w, takes the pairs of
 * described tracks: (||f(x_i) - f(x_j)|| - s d_sem(i, j))^2, d_sem being
 * the Euclidean (chord) distance of their unit semantic vectors, a
 * monotone function of their cosine distance; or, with extreme_pairs, each
 * track's extreme_m semantically nearest tracks in the batch are pulled
 * close (d^2) and its extreme_m farthest pushed beyond a margin of 1
 * (max (0, 1 - d)^2). a and s are learned scales. A track whose semantic
 * vector is zero has no description and trains through the acoustic term
 * alone, so a whole library trains.
 *
 * With an acoustic term, the network starts at each group's principal
 * components (semblance_net_init_pca), which rank as the group-balanced
 * features do; without, from random weights.
 * Adam with decoupled weight decay; a seeded validation split with early
 * stopping on the Spearman correlations of property distances with both
 * targets, weighted as the loss weighs them (or by
 * validation_acoustic_weight), the start included: training never returns
 * a network that scores below its start by that score. Then a ridge
 * regression from property space to semantic space on the described
 * training tracks, and, when asked, calibrated words on the described
 * validation tracks.
 */
#pragma once

#include <gio/gio.h>

#include "semblance-export.h"
#include "semblance-model.h"

G_BEGIN_DECLS

typedef void (*SemblanceTrainProgress) (guint epoch, guint epochs,
                                        double loss, double val_spearman,
                                        double seconds_left,
                                        gpointer user_data);

typedef struct
{
  guint hidden;            /* units per group's hidden layer (12) */
  guint group_out;         /* outputs per group (12) */
  guint epochs;            /* at most (300) */
  guint batch_size;        /* tracks per batch (64) */
  guint patience;          /* epochs without a better validation score (150) */
  double learning_rate;    /* Adam (0.003) */
  double weight_decay;     /* decoupled, per step, times the rate (0.1) */
  double val_fraction;     /* held out for early stopping (0.3) */
  guint64 seed;            /* split, initialisation and batches (1) */
  gboolean extreme_pairs;  /* the contrastive variant (FALSE) */
  guint extreme_m;         /* pairs at each extreme per track (3) */
  double ridge_lambda;     /* of the semantic map (1.0) */
  double input_noise;      /* Gaussian noise added to the standardised
                            * inputs while training, in standard
                            * deviations (0) */
  const guint *groups;     /* optional, one per track: validation then
                            * holds out whole groups (games, albums), so
                            * that early stopping looks for what carries
                            * over to music not trained on (NULL) */
  double acoustic_weight;  /* share of the loss, and of the validation
                            * score, that keeps the property distances
                            * those of the group-balanced standardised
                            * features, over all
                            * pairs; the rest follows the descriptions,
                            * over the described pairs (0.7) */
  double validation_acoustic_weight;  /* share of the acoustic Spearman in
                            * the score early stopping keeps the best
                            * epoch by; negative: acoustic_weight (-1).
                            * The loss still keeps the acoustic
                            * neighbourhood; 0 keeps the epoch whose
                            * distances follow the held-out descriptions
                            * best */
  /* Word calibration (optional): @n_words of the describer's words
   * (semblance_text_describer_words()), their unit semantic vectors
   * (n_words x semantic_dim), and, for each track, which of them its
   * description mentions (n x n_words bytes, nonzero: mentioned). After
   * the semantic map is fitted, the described tracks' predicted semantic
   * vectors are made as for tracks the map has not seen: the validation
   * tracks' through the map, each training track's through a map fitted
   * without its fifth of them (the network has seen those). Each word
   * mentioned by at least 5 of those tracks is calibrated on them (Platt
   * scaling of the cosine of their predictions with the word's) and kept
   * when its probability rises with the cosine and it passes a held-out
   * check: each fifth of the validation tracks scored by a fit on all the
   * other tracks, the word reaches SEMBLANCE_WORD_MIN_PROBABILITY on at
   * least 5 of them, and they mention it often enough that the lower end
   * of a one-sigma Wilson interval of that precision is at least one half
   * (NULL, 0) */
  guint n_words;
  const char *const *words;
  const float *word_vectors;
  const guint8 *word_labels;
  SemblanceTrainProgress progress;
  gpointer user_data;
  GCancellable *cancellable;
} SemblanceTrainOptions;

SEMBLANCE_EXPORT
void semblance_train_options_init (SemblanceTrainOptions *options);

/* How a training run went. */
typedef struct
{
  guint n_train, n_val;       /* tracks trained on, held out for stopping */
  guint epochs_run, best_epoch;
  double val_spearman;        /* of the network, at the best epoch */
  double val_raw_spearman;    /* of the group-balanced standardised
                               * features */
  double train_loss;          /* at the best epoch */
  double val_acoustic_spearman;  /* of the network against the standardised
                                  * features' distances, at the best epoch */
  guint words_failed_check;   /* words fitted but left out: on held-out
                               * validation tracks they were not said
                               * rightly often enough */
} SemblanceTrainReport;

/**
 * semblance_train:
 * @features: @n feature vectors (n x SEMBLANCE_FEATURE_DIM)
 * @semantic: @n semantic vectors (n x @semantic_dim), of unit length, or
 *   zero for a track without a description
 * @report: (out) (optional): how the run went
 *
 * Returns: (transfer full): the trained model, its card empty but for the
 * number of training tracks and the validation figures (its license must
 * be set before it can be saved). Fails with SEMBLANCE_ERROR_EMPTY when
 * there are too few tracks (at least 8, so that both splits have pairs),
 * or G_IO_ERROR_CANCELLED.
 */
SEMBLANCE_EXPORT
SemblanceModel *semblance_train (const float *features, guint n,
                                 const float *semantic, guint semantic_dim,
                                 const SemblanceTrainOptions *options,
                                 SemblanceTrainReport *report,
                                 GError **error);

G_END_DECLS
