/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The training loss itself, for the gradient checks of the tests. */
#pragma once

#include "semblance-network.h"
#include "semblance-train.h"

G_BEGIN_DECLS

/* The loss of one batch of standardised inputs @x and semantic vectors
 * @semantic, and, when @grad is not NULL, its gradient with respect to the
 * parameters and to log s. */
double semblance_train_batch_loss (const SemblanceNetShape *shape,
                                   const float *params, float log_scale,
                                   const float *x, const float *semantic,
                                   guint rows, guint semantic_dim,
                                   const SemblanceTrainOptions *options,
                                   SemblanceNetWork *work, float *grad,
                                   float *grad_log_scale);

G_END_DECLS
