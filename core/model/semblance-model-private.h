/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the model file and the embedder share inside the engine. */
#pragma once

#include "semblance-model.h"

G_BEGIN_DECLS

/* Standardised features as the finiteness contract wants them: within
 * ±SEMBLANCE_MODEL_INPUT_BOUND, NaN as 0 (semblance-model.h). */
void semblance_model_clamp_inputs (float *x, gsize n);

/* semblance_model_load(), and whether it computed the file's digests,
 * which it does once per file identity (semblance-digest-cache.h). */
SemblanceModel *semblance_model_load_file (const char *path,
                                           gboolean *digest_computed,
                                           GError **error);

G_END_DECLS
