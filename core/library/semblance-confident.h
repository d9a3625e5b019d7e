/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The describer's words that can be trusted of a track: those whose
 * probability, calibrated on held-out tracks when the model was trained
 * (semblance-model.h, format version 2), is at least one half. A wrong
 * word is worse than none: a model without calibrations says nothing.
 */
#pragma once

#include "semblance-export.h"
#include "semblance-model.h"
#include "semblance-text.h"

G_BEGIN_DECLS

typedef struct
{
  char *word;
  double p;             /* the calibrated probability, 0.5 to 1 */
} SemblanceConfidentWord;

/**
 * semblance_confident_words:
 * @model: the model @properties come from
 * @encoder: the text encoder of the model's semantic map
 * @properties: a property vector (semblance_model_get_property_dim()
 *   values)
 * @n: at most this many words
 *
 * Returns: (transfer full): SemblanceConfidentWord, most probable first,
 * each with p >= 0.5; empty when the model has no calibrations or its
 * semantic map is not for @encoder.
 */
SEMBLANCE_EXPORT
GArray *semblance_confident_words (const SemblanceModel *model,
                                   SemblanceTextEncoder *encoder,
                                   const float *properties, guint n);

G_END_DECLS
