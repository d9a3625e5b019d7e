/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-network.h"

#include <math.h>
#include <string.h>

#include "semblance-gaussian.h"
#include "semblance-gemm.h"

struct _SemblanceNetWork
{
  guint max_rows;
  float *x_group;               /* rows x largest group input */
  float *hidden[SEMBLANCE_N_GROUPS];    /* rows x hidden, after tanh */
  float *dy_group;              /* rows x group_out */
  float *dh;                    /* rows x hidden */
  float *y_group;               /* rows x group_out */
  guint max_input;
};

typedef struct
{
  const float *w1, *b1, *w2, *b2;
} Layers;

void
semblance_net_shape_init (SemblanceNetShape *shape, guint hidden,
                          guint group_out)
{
  SemblanceGroup g;

  memset (shape, 0, sizeof *shape);
  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    size_t start, length;

    semblance_layout_group_range (g, &start, &length);
    shape->input_offsets[g] = start;
    shape->input_dims[g] = length;
  }
  shape->input_dim = SEMBLANCE_FEATURE_DIM;
  shape->hidden = hidden;
  shape->group_out = group_out;
}

static gsize
group_params (const SemblanceNetShape *shape, guint g)
{
  return (gsize) shape->hidden * shape->input_dims[g] + shape->hidden +
      (gsize) shape->group_out * shape->hidden + shape->group_out;
}

gsize
semblance_net_n_params (const SemblanceNetShape *shape)
{
  gsize n = 0;
  guint g;

  for (g = 0; g < SEMBLANCE_N_GROUPS; g++)
    n += group_params (shape, g);
  return n;
}

guint
semblance_net_output_dim (const SemblanceNetShape *shape)
{
  return SEMBLANCE_N_GROUPS * shape->group_out;
}

static Layers
layers_of (const SemblanceNetShape *shape, const float *params, guint g)
{
  Layers l;
  guint i;

  for (i = 0; i < g; i++)
    params += group_params (shape, i);
  l.w1 = params;
  l.b1 = l.w1 + (gsize) shape->hidden * shape->input_dims[g];
  l.w2 = l.b1 + shape->hidden;
  l.b2 = l.w2 + (gsize) shape->group_out * shape->hidden;
  return l;
}

void
semblance_net_init_params (const SemblanceNetShape *shape, float *params,
                           guint64 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed_array ((const guint32 *) &seed,
      2);
  guint g;

  memset (params, 0, semblance_net_n_params (shape) * sizeof (float));
  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    Layers l = layers_of (shape, params, g);
    double r1 = sqrt (6.0 / (shape->input_dims[g] + shape->hidden));
    double r2 = sqrt (6.0 / (shape->hidden + shape->group_out));
    gsize i;

    for (i = 0; i < (gsize) shape->hidden * shape->input_dims[g]; i++)
      ((float *) l.w1)[i] = (float) g_rand_double_range (rand, -r1, r1);
    for (i = 0; i < (gsize) shape->group_out * shape->hidden; i++)
      ((float *) l.w2)[i] = (float) g_rand_double_range (rand, -r2, r2);
  }
}

/* Pre-activations of this many standard deviations: tanh is then within
 * 8 % of linear for components within four standard deviations. Another
 * collection than the training tracks lies further out (on 4Q, with the
 * game soundtracks' standardisation): at 0.5, within 8 % only up to two,
 * the start ranked 4Q's quadrants below the linear components. */
#define PCA_GAIN 0.25

void
semblance_net_balance_groups (const SemblanceNetShape *shape, float *x,
                              guint rows)
{
  guint i, g, v;

  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    float w = 1.0f / sqrtf ((float) shape->input_dims[g]);

    for (i = 0; i < rows; i++) {
      float *value = x + (gsize) i * shape->input_dim + shape->input_offsets[g];

      for (v = 0; v < shape->input_dims[g]; v++)
        value[v] *= w;
    }
  }
}

void
semblance_net_init_pca (const SemblanceNetShape *shape, float *params,
                        const float *x, guint rows)
{
  guint g;

  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    Layers l = layers_of (shape, params, g);
    guint dim = shape->input_dims[g], off = shape->input_offsets[g];
    guint units = MIN (MIN (shape->hidden, shape->group_out), dim);
    g_autofree double *mean = g_new0 (double, dim);
    g_autofree double *cov = g_new0 (double, (gsize) dim * dim);
    g_autofree double *values = g_new (double, dim);
    g_autofree double *vectors = g_new (double, (gsize) dim * dim);
    g_autofree double *work = g_new (double, (gsize) dim * dim);
    float *w1 = (float *) l.w1, *w2 = (float *) l.w2;
    guint i, a, b, u;

    for (i = 0; i < rows; i++)
      for (a = 0; a < dim; a++)
        mean[a] += x[(gsize) i * shape->input_dim + off + a] / rows;
    for (i = 0; i < rows; i++) {
      const float *row = x + (gsize) i * shape->input_dim + off;

      for (a = 0; a < dim; a++)
        for (b = a; b < dim; b++)
          cov[(gsize) a * dim + b] += (row[a] - mean[a]) * (row[b] - mean[b]) /
              rows;
    }
    for (a = 0; a < dim; a++)
      for (b = 0; b < a; b++)
        cov[(gsize) a * dim + b] = cov[(gsize) b * dim + a];
    semblance_symmetric_eigen (cov, dim, values, vectors, work);

    /* Only the diagonal of W2 carries a component: the other outputs and
     * hidden units start silent, and training gives them a use. */
    memset (w2, 0, (gsize) shape->group_out * shape->hidden * sizeof (float));
    for (u = 0; u < units; u++) {
      guint c = dim - 1 - u;    /* eigenvalues ascend */
      double lambda = values[c], centre = 0.0;

      if (lambda < 1e-9)
        break;
      for (a = 0; a < dim; a++) {
        w1[(gsize) u * dim + a] = (float) (PCA_GAIN / sqrt (lambda) *
            vectors[(gsize) a * dim + c]);
        centre += vectors[(gsize) a * dim + c] * mean[a];
      }
      ((float *) l.b1)[u] = (float) (-PCA_GAIN / sqrt (lambda) * centre);
      w2[(gsize) u * shape->hidden + u] = (float) (sqrt (lambda / dim) /
          PCA_GAIN);
    }
  }
}

SemblanceNetWork *
semblance_net_work_new (const SemblanceNetShape *shape, guint max_rows)
{
  SemblanceNetWork *work = g_new0 (SemblanceNetWork, 1);
  guint g;

  work->max_rows = max_rows;
  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    work->max_input = MAX (work->max_input, shape->input_dims[g]);
    work->hidden[g] = g_new (float, (gsize) max_rows * shape->hidden);
  }
  work->x_group = g_new (float, (gsize) max_rows * work->max_input);
  work->dy_group = g_new (float, (gsize) max_rows * shape->group_out);
  work->y_group = g_new (float, (gsize) max_rows * shape->group_out);
  work->dh = g_new (float, (gsize) max_rows * shape->hidden);
  return work;
}

void
semblance_net_work_free (SemblanceNetWork *work)
{
  guint g;

  if (!work)
    return;
  for (g = 0; g < SEMBLANCE_N_GROUPS; g++)
    g_free (work->hidden[g]);
  g_free (work->x_group);
  g_free (work->dy_group);
  g_free (work->y_group);
  g_free (work->dh);
  g_free (work);
}

/* Copies group @g's columns of @x (rows x input_dim) into a dense block, so
 * that gemm sees a contiguous matrix. */
static const float *
group_inputs (const SemblanceNetShape *shape, const float *x, guint rows,
              guint g, SemblanceNetWork *work)
{
  guint r;

  for (r = 0; r < rows; r++)
    memcpy (work->x_group + (gsize) r * shape->input_dims[g],
        x + (gsize) r * shape->input_dim + shape->input_offsets[g],
        shape->input_dims[g] * sizeof (float));
  return work->x_group;
}

void
semblance_net_forward (const SemblanceNetShape *shape, const float *params,
                       const float *x, guint rows, float *y,
                       SemblanceNetWork *work)
{
  guint out_dim = semblance_net_output_dim (shape), g, r, j;

  g_return_if_fail (rows <= work->max_rows);
  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    Layers l = layers_of (shape, params, g);
    const float *xg = group_inputs (shape, x, rows, g, work);
    float *h = work->hidden[g];

    /* H = tanh (X W1^T + b1) */
    for (r = 0; r < rows; r++)
      memcpy (h + (gsize) r * shape->hidden, l.b1,
          shape->hidden * sizeof (float));
    semblance_gemm (false, true, rows, shape->hidden, shape->input_dims[g],
        1.0f, xg, shape->input_dims[g], l.w1, shape->input_dims[g], 1.0f, h,
        shape->hidden);
    for (j = 0; j < (gsize) rows * shape->hidden; j++)
      h[j] = tanhf (h[j]);

    /* Y_g = H W2^T + b2, written into its columns of Y */
    for (r = 0; r < rows; r++)
      memcpy (work->y_group + (gsize) r * shape->group_out, l.b2,
          shape->group_out * sizeof (float));
    semblance_gemm (false, true, rows, shape->group_out, shape->hidden, 1.0f,
        h, shape->hidden, l.w2, shape->hidden, 1.0f, work->y_group,
        shape->group_out);
    for (r = 0; r < rows; r++)
      memcpy (y + (gsize) r * out_dim + (gsize) g * shape->group_out,
          work->y_group + (gsize) r * shape->group_out,
          shape->group_out * sizeof (float));
  }
}

void
semblance_net_backward (const SemblanceNetShape *shape, const float *params,
                        const float *x, guint rows, const float *dy,
                        SemblanceNetWork *work, float *grad)
{
  guint out_dim = semblance_net_output_dim (shape), g, r, j;
  float *gp = grad;

  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    Layers l = layers_of (shape, params, g);
    const float *xg = group_inputs (shape, x, rows, g, work);
    const float *h = work->hidden[g];
    float *gw1 = gp, *gb1 = gw1 + (gsize) shape->hidden * shape->input_dims[g];
    float *gw2 = gb1 + shape->hidden;
    float *gb2 = gw2 + (gsize) shape->group_out * shape->hidden;

    for (r = 0; r < rows; r++)
      memcpy (work->dy_group + (gsize) r * shape->group_out,
          dy + (gsize) r * out_dim + (gsize) g * shape->group_out,
          shape->group_out * sizeof (float));

    /* dW2 = dY^T H, db2 = column sums of dY */
    semblance_gemm (true, false, shape->group_out, shape->hidden, rows, 1.0f,
        work->dy_group, shape->group_out, h, shape->hidden, 0.0f, gw2,
        shape->hidden);
    memset (gb2, 0, shape->group_out * sizeof (float));
    for (r = 0; r < rows; r++)
      for (j = 0; j < shape->group_out; j++)
        gb2[j] += work->dy_group[(gsize) r * shape->group_out + j];

    /* dZ = (dY W2) * (1 - H^2) */
    semblance_gemm (false, false, rows, shape->hidden, shape->group_out, 1.0f,
        work->dy_group, shape->group_out, l.w2, shape->hidden, 0.0f, work->dh,
        shape->hidden);
    for (j = 0; j < (gsize) rows * shape->hidden; j++)
      work->dh[j] *= 1.0f - h[j] * h[j];

    /* dW1 = dZ^T X, db1 = column sums of dZ */
    semblance_gemm (true, false, shape->hidden, shape->input_dims[g], rows,
        1.0f, work->dh, shape->hidden, xg, shape->input_dims[g], 0.0f, gw1,
        shape->input_dims[g]);
    memset (gb1, 0, shape->hidden * sizeof (float));
    for (r = 0; r < rows; r++)
      for (j = 0; j < shape->hidden; j++)
        gb1[j] += work->dh[(gsize) r * shape->hidden + j];

    gp += group_params (shape, g);
  }
}

void
semblance_net_standardise (const SemblanceNetShape *shape, const float *mean,
                           const float *std, const float *features, guint rows,
                           float *x)
{
  gsize i, n = (gsize) rows * shape->input_dim;

  for (i = 0; i < n; i++) {
    guint d = i % shape->input_dim;

    x[i] = (features[i] - mean[d]) / std[d];
  }
}
