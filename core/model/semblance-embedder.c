/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-embedder.h"

#include <math.h>

#include "semblance-error.h"
#include "semblance-gemm.h"
#include "semblance-model-private.h"
#include "semblance-network.h"

/* Rows per forward pass: bounds the buffers. */
#define CHUNK 128

struct _SemblanceEmbedder
{
  SemblanceModel *model;
  SemblanceNetShape shape;
  SemblanceNetWork *work;
  float *x;
};

SemblanceEmbedder *
semblance_embedder_new (SemblanceModel *model)
{
  SemblanceEmbedder *self = g_new0 (SemblanceEmbedder, 1);

  self->model = model;
  semblance_net_shape_init (&self->shape, model->hidden, model->group_out);
  self->work = semblance_net_work_new (&self->shape, CHUNK);
  self->x = g_new (float, (gsize) CHUNK * self->shape.input_dim);
  return self;
}

SemblanceEmbedder *
semblance_embedder_new_from_file (const char *path, GError **error)
{
  SemblanceModel *model = semblance_model_load (path ? path :
      semblance_model_default_path (), error);

  return model ? semblance_embedder_new (model) : NULL;
}

void
semblance_embedder_free (SemblanceEmbedder *self)
{
  if (!self)
    return;
  semblance_model_free (self->model);
  semblance_net_work_free (self->work);
  g_free (self->x);
  g_free (self);
}

SemblanceModel *
semblance_embedder_get_model (SemblanceEmbedder *self)
{
  return self->model;
}

guint
semblance_embedder_get_dim (const SemblanceEmbedder *self)
{
  return semblance_net_output_dim (&self->shape);
}

void
semblance_embedder_embed (SemblanceEmbedder *self, const float *features,
                          guint rows, float *out)
{
  guint k = semblance_net_output_dim (&self->shape), done;

  for (done = 0; done < rows; done += CHUNK) {
    guint n = MIN (CHUNK, rows - done);

    semblance_net_standardise (&self->shape, self->model->mean,
        self->model->std, features + (gsize) done * self->shape.input_dim, n,
        self->x);
    semblance_model_clamp_inputs (self->x, (gsize) n * self->shape.input_dim);
    semblance_net_forward (&self->shape, self->model->params, self->x, n,
        out + (gsize) done * k, self->work);
  }
}

gboolean
semblance_embedder_embed_checked (SemblanceEmbedder *self,
                                  const float *features, guint rows,
                                  float *out, GError **error)
{
  gsize n = (gsize) rows * self->shape.input_dim, i;

  for (i = 0; i < n; i++)
    if (!isfinite (features[i])) {
      g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_NOT_FINITE,
          "feature %zu of vector %zu is %g, not a finite number",
          i % self->shape.input_dim, i / self->shape.input_dim, features[i]);
      return FALSE;
    }
  semblance_embedder_embed (self, features, rows, out);
  return TRUE;
}

gboolean
semblance_embedder_project (SemblanceEmbedder *self, const float *property,
                            float *semantic)
{
  const SemblanceModel *m = self->model;
  guint sd = m->semantic_dim, i;
  double norm = 0.0;

  if (sd == 0)
    return FALSE;
  for (i = 0; i < sd; i++)
    semantic[i] = m->semantic_bias[i];
  semblance_gemm (false, false, 1, sd, semblance_embedder_get_dim (self),
      1.0f, property, semblance_embedder_get_dim (self), m->semantic_map, sd,
      1.0f, semantic, sd);
  for (i = 0; i < sd; i++)
    norm += (double) semantic[i] * semantic[i];
  norm = sqrt (norm);
  for (i = 0; i < sd && norm > 0; i++)
    semantic[i] = (float) (semantic[i] / norm);
  return TRUE;
}

/* Keeps the inverse stable where the map is nearly flat. */
#define UNPROJECT_LAMBDA 1e-3

gboolean
semblance_embedder_unproject (SemblanceEmbedder *self, const float *semantic,
                              float *property)
{
  const SemblanceModel *m = self->model;
  guint k = semblance_embedder_get_dim (self), sd = m->semantic_dim, i, c;
  g_autofree float *mmt_f = NULL, *centred = NULL, *rhs_f = NULL;
  g_autofree double *mmt = NULL, *rhs = NULL;

  if (sd == 0)
    return FALSE;
  /* p M = s - b in the least-squares sense: (M M^T) p^T = M (s - b)^T. */
  mmt_f = g_new (float, (gsize) k * k);
  centred = g_new (float, sd);
  rhs_f = g_new (float, k);
  semblance_gemm (false, true, k, k, sd, 1.0f, m->semantic_map, sd,
      m->semantic_map, sd, 0.0f, mmt_f, k);
  for (c = 0; c < sd; c++)
    centred[c] = semantic[c] - m->semantic_bias[c];
  semblance_gemv (k, sd, 1.0f, m->semantic_map, sd, centred, 0.0f, rhs_f);
  mmt = g_new (double, (gsize) k * k);
  rhs = g_new (double, k);
  for (i = 0; i < k * k; i++)
    mmt[i] = mmt_f[i];
  for (i = 0; i < k; i++)
    rhs[i] = rhs_f[i];
  semblance_solve_ridge (mmt, k, UNPROJECT_LAMBDA, rhs, 1);
  /* A nearly flat map can ask for far-off points: they stay where a
   * model's outputs can be, and distances to them finite. */
  for (i = 0; i < k; i++)
    property[i] = isnan (rhs[i]) ? 0.0f : (float) CLAMP (rhs[i],
        -SEMBLANCE_MODEL_OUTPUT_BOUND, SEMBLANCE_MODEL_OUTPUT_BOUND);
  return TRUE;
}
