/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The model card for people: what `semblance model-info` shows. */
#pragma once

#include "semblance-model.h"

G_BEGIN_DECLS

/* Appends the card of @model (id, card, architecture, training, metrics),
 * one "Label   value" line each, long values indented to match. */
void semblance_cmd_model_card (SemblanceModel *model, GString *out);

G_END_DECLS
