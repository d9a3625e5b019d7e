/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The training loss itself, for the gradient checks of the tests. */
#pragma once

#include "semblance-network.h"
#include "semblance-train.h"

G_BEGIN_DECLS

/* The loss of one batch of standardised inputs @x (noise added, when
 * training adds it), their acoustic target @target (the same without the
 * noise) and semantic vectors @semantic, and, when @grad is not NULL, its
 * gradient with respect to the parameters and to the log scales of the
 * semantic and the acoustic target (@log_scale and @grad_log_scale, two
 * each). */
double semblance_train_batch_loss (const SemblanceNetShape *shape,
                                   const float *params,
                                   const float log_scale[2],
                                   const float *x, const float *target,
                                   const float *semantic,
                                   guint rows, guint semantic_dim,
                                   const SemblanceTrainOptions *options,
                                   SemblanceNetWork *work, float *grad,
                                   float grad_log_scale[2]);

G_END_DECLS
