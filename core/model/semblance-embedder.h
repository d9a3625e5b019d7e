/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A trained model at work: feature vectors in, property vectors out, and
 * property vectors into the text encoder's semantic space through the
 * model's semantic map.
 */
#pragma once

#include "semblance-export.h"
#include "semblance-model.h"

G_BEGIN_DECLS

typedef struct _SemblanceEmbedder SemblanceEmbedder;

/* Takes ownership of @model. An embedder keeps buffers: use one per thread. */
SEMBLANCE_EXPORT
SemblanceEmbedder *semblance_embedder_new (SemblanceModel *model);

/* Loads @path, or the default model when @path is NULL (see
 * semblance_model_default_path()). */
SEMBLANCE_EXPORT
SemblanceEmbedder *semblance_embedder_new_from_file (const char *path,
                                                     GError **error);

SEMBLANCE_EXPORT
void semblance_embedder_free (SemblanceEmbedder *self);

SEMBLANCE_EXPORT
SemblanceModel *semblance_embedder_get_model (SemblanceEmbedder *self);

/* K, the length of a property vector. */
SEMBLANCE_EXPORT
guint semblance_embedder_get_dim (const SemblanceEmbedder *self);

/* @rows feature vectors (rows x SEMBLANCE_FEATURE_DIM) to property vectors
 * (rows x K). The outputs are finite whatever the input (the finiteness
 * contract of semblance-model.h): a feature that is not finite counts as
 * the model's mean. */
SEMBLANCE_EXPORT
void semblance_embedder_embed (SemblanceEmbedder *self, const float *features,
                               guint rows, float *out);

/* The same, refusing with SEMBLANCE_ERROR_NOT_FINITE (naming the row and
 * the value) feature vectors that hold a value that is not finite. */
SEMBLANCE_EXPORT
gboolean semblance_embedder_embed_checked (SemblanceEmbedder *self,
                                           const float *features, guint rows,
                                           float *out, GError **error);

/* A property vector to the semantic space (semantic_dim values, unit
 * length). FALSE when the model has no semantic map. */
SEMBLANCE_EXPORT
gboolean semblance_embedder_project (SemblanceEmbedder *self,
                                     const float *property, float *semantic);

/* The property vector whose image through the semantic map is nearest to
 * @semantic (semantic_dim values): the least-squares inverse of the map,
 * lightly regularised, within ±SEMBLANCE_MODEL_OUTPUT_BOUND. FALSE when
 * the model has no semantic map. */
SEMBLANCE_EXPORT
gboolean semblance_embedder_unproject (SemblanceEmbedder *self,
                                       const float *semantic,
                                       float *property);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceEmbedder, semblance_embedder_free)

G_END_DECLS
