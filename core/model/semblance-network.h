/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The property network: one small perceptron per property group (timbre,
 * spectral shape, rhythm, tonality, dynamics), each mapping its group's
 * standardised features through a tanh hidden layer to a few outputs; the
 * outputs, concatenated, are the property vector. Plain C over float arrays;
 * every matrix product is a BLIS gemm.
 *
 * The parameters are one float array: for each group in layout order, W1
 * (hidden x inputs, row-major), b1 (hidden), W2 (outputs x hidden), b2
 * (outputs).
 */
#pragma once

#include <glib.h>

#include "semblance-layout.h"

G_BEGIN_DECLS

typedef struct
{
  guint input_dims[SEMBLANCE_N_GROUPS];
  guint input_offsets[SEMBLANCE_N_GROUPS];  /* of each group in a feature vector */
  guint input_dim;                          /* SEMBLANCE_FEATURE_DIM */
  guint hidden;
  guint group_out;
} SemblanceNetShape;

/* The shape for the current feature layout. */
void semblance_net_shape_init (SemblanceNetShape *shape, guint hidden,
                               guint group_out);

gsize semblance_net_n_params (const SemblanceNetShape *shape);

/* Length of the property vector: SEMBLANCE_N_GROUPS x group_out. */
guint semblance_net_output_dim (const SemblanceNetShape *shape);

/* Glorot-uniform weights and zero biases, from @seed. */
void semblance_net_init_params (const SemblanceNetShape *shape, float *params,
                                guint64 seed);

/* Scales each group's values of @rows standardised feature vectors by
 * 1 / sqrt (its number of values), in place: every group then weighs the
 * same in a Euclidean distance. Weighed per value, timbre's 66 values
 * would outweigh the four other groups together; weighed halfway (by the
 * fourth root), 4Q's mood tags gain and the games' descriptions lose
 * (README, "On real music"). */
void semblance_net_balance_groups (const SemblanceNetShape *shape, float *x,
                                   guint rows);

/* Starts each group's branch at its principal components: hidden unit u
 * sees the group's u-th component of @x (@rows standardised feature
 * vectors), scaled into tanh's nearly linear range, and output u gives it
 * back at its scale in the group-balanced features
 * (semblance_net_balance_groups). The property vector then starts as the
 * leading components of every group, whose distances follow the
 * group-balanced features', and training moves on from there. Other weights are left as
 * they are (call semblance_net_init_params first), but for the rest of W2,
 * which is zero. */
void semblance_net_init_pca (const SemblanceNetShape *shape, float *params,
                             const float *x, guint rows);

/* Buffers for a batch of up to @max_rows tracks, kept between the forward
 * pass and the backward pass. */
typedef struct _SemblanceNetWork SemblanceNetWork;

SemblanceNetWork *semblance_net_work_new (const SemblanceNetShape *shape,
                                          guint max_rows);
void semblance_net_work_free (SemblanceNetWork *work);

/* @x: @rows standardised feature vectors (rows x input_dim); @y: rows x
 * output_dim. */
void semblance_net_forward (const SemblanceNetShape *shape,
                            const float *params, const float *x, guint rows,
                            float *y, SemblanceNetWork *work);

/* Gradient of a loss with respect to the parameters, given its gradient
 * @dy with respect to the outputs of the last forward pass on @x. @grad
 * (n_params values) is overwritten. */
void semblance_net_backward (const SemblanceNetShape *shape,
                             const float *params, const float *x, guint rows,
                             const float *dy, SemblanceNetWork *work,
                             float *grad);

/* Standardises @features with @mean and @std (input_dim each) into @x. */
void semblance_net_standardise (const SemblanceNetShape *shape,
                                const float *mean, const float *std,
                                const float *features, guint rows, float *x);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceNetWork, semblance_net_work_free)

G_END_DECLS
