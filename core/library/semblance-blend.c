/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-blend.h"

#include <math.h>
#include <string.h>

#include "semblance-eigen.h"
#include "semblance-gemm.h"
#include "semblance-train.h"

/* Tracks the fit measures the library's mean prediction and main
 * directions on, evenly spaced through it: enough for a 100 x 100
 * covariance, and a bounded cost however large the library. */
#define FIT_SAMPLE 16384
/* Rows predicted at a time (400 KB of predictions). */
#define BLOCK_ROWS 1024

struct _SemblanceBlend
{
  guint dim, semantic_dim, rank;
  float *map, *bias;            /* the model's, copied */
  float *centre;                /* semantic_dim: the mean prediction */
  float *basis;                 /* rank x semantic_dim, scaled */
  float *offset;                /* rank: the basis times the mean unit
                                 * direction, so that the values appended
                                 * are centred */
  double kept;
};

/* @v (@n values) at unit length; a zero vector stays at 0. */
static void
unit_length (float *v, guint n)
{
  double norm = 0.0;
  guint j;

  for (j = 0; j < n; j++)
    norm += (double) v[j] * v[j];
  norm = sqrt (norm);
  for (j = 0; j < n && norm > 0.0; j++)
    v[j] = (float) (v[j] / norm);
}

/* The map's output at unit length (semblance_embedder_project) of @rows
 * property vectors, into @out (rows x semantic_dim). */
static void
project (const SemblanceBlend *b, const float *vectors, guint rows,
         float *out)
{
  guint sd = b->semantic_dim, i;

  for (i = 0; i < rows; i++)
    memcpy (out + (gsize) i * sd, b->bias, sd * sizeof (float));
  semblance_gemm (false, false, rows, sd, b->dim, 1.0f, vectors, b->dim,
      b->map, sd, 1.0f, out, sd);
  for (i = 0; i < rows; i++)
    unit_length (out + (gsize) i * sd, sd);
}

/* In place, @rows projections less the library's mean prediction, at unit
 * length again: the centred unit predictions, as text search compares
 * them. A track at the centre stays at 0. Only the direction from the
 * centre counts, as in text search: what a track's description is like,
 * not how far it is from the library's typical one. */
static void
centre (const SemblanceBlend *b, guint rows, float *s)
{
  guint sd = b->semantic_dim, i, j;

  for (i = 0; i < rows; i++) {
    for (j = 0; j < sd; j++)
      s[(gsize) i * sd + j] -= b->centre[j];
    unit_length (s + (gsize) i * sd, sd);
  }
}

/* The total variance (sum over values) of @n rows of @dim values. */
static double
total_variance (const float *x, guint n, guint dim, double *mean)
{
  double total = 0.0;
  guint i, j;

  memset (mean, 0, dim * sizeof (double));
  for (i = 0; i < n; i++)
    for (j = 0; j < dim; j++)
      mean[j] += x[(gsize) i * dim + j];
  for (j = 0; j < dim; j++)
    mean[j] /= n;
  for (i = 0; i < n; i++)
    for (j = 0; j < dim; j++) {
      double d = x[(gsize) i * dim + j] - mean[j];

      total += d * d;
    }
  return total / n;
}

SemblanceBlend *
semblance_blend_fit (const float *map, const float *bias, guint dim,
                     guint semantic_dim, const float *vectors, guint n,
                     double weight, guint rank)
{
  g_autoptr (SemblanceBlend) b = NULL;
  guint m = MIN (n, FIT_SAMPLE), sd = semantic_dim, i, j, k;
  g_autofree float *sample = NULL, *u = NULL, *cov = NULL;
  g_autofree double *mean = NULL, *mean_u = NULL, *cov_d = NULL;
  g_autofree double *values = NULL, *eigen = NULL, *work = NULL;
  double var_p, var_u, top = 0.0, scale;

  g_return_val_if_fail (weight >= 0.0 && weight < 1.0, NULL);
  if (!map || sd == 0 || dim == 0 || weight == 0.0 || rank == 0 || n < 2)
    return NULL;
  b = g_new0 (SemblanceBlend, 1);
  b->dim = dim;
  b->semantic_dim = sd;
  b->rank = MIN (rank, sd);
  b->map = g_memdup2 (map, (gsize) dim * sd * sizeof (float));
  b->bias = g_memdup2 (bias, sd * sizeof (float));
  b->centre = g_new (float, sd);

  sample = g_new (float, (gsize) m * dim);
  for (i = 0; i < m; i++)
    memcpy (sample + (gsize) i * dim,
        vectors + (gsize) ((guint64) i * n / m) * dim, dim * sizeof (float));
  mean = g_new (double, MAX (dim, sd));
  var_p = total_variance (sample, m, dim, mean);

  u = g_new (float, (gsize) m * sd);
  project (b, sample, m, u);
  total_variance (u, m, sd, mean);
  for (j = 0; j < sd; j++)
    b->centre[j] = (float) mean[j];
  centre (b, m, u);
  mean_u = g_new (double, sd);
  var_u = total_variance (u, m, sd, mean_u);
  if (!(var_p > 0.0) || !(var_u > 1e-12))
    return NULL;

  /* The covariance of the unit directions, whose main axes keep the most
   * of their distances in the fewest values. */
  for (i = 0; i < m; i++)
    for (j = 0; j < sd; j++)
      u[(gsize) i * sd + j] -= (float) mean_u[j];
  cov = g_new (float, (gsize) sd * sd);
  semblance_gemm (true, false, sd, sd, m, 1.0f / m, u, sd, u, sd, 0.0f, cov,
      sd);
  cov_d = g_new (double, (gsize) sd * sd);
  for (j = 0; j < (gsize) sd * sd; j++)
    cov_d[j] = cov[j];
  values = g_new (double, sd);
  eigen = g_new (double, (gsize) sd * sd);
  work = g_new (double, sd);
  semblance_eigen_symmetric (cov_d, sd, values, eigen, work);

  /* Squared distances over their means, which are twice the total
   * variances: scaled so, the appended values' squared distance is
   * weight / (1 - weight) times the property vectors' on average when
   * every direction is kept, and the kept share of that with fewer. */
  scale = sqrt (weight / (1.0 - weight) * var_p / var_u);
  b->basis = g_new (float, (gsize) b->rank * sd);
  b->offset = g_new (float, b->rank);
  for (k = 0; k < b->rank; k++) {
    guint c = sd - 1 - k;       /* eigenvalues ascend */
    double dot = 0.0;

    top += MAX (values[c], 0.0);
    for (j = 0; j < sd; j++) {
      b->basis[(gsize) k * sd + j] = (float) (scale * eigen[(gsize) j * sd
              + c]);
      dot += b->basis[(gsize) k * sd + j] * mean_u[j];
    }
    b->offset[k] = (float) dot;
  }
  b->kept = MIN (top / var_u, 1.0);
  return g_steal_pointer (&b);
}

void
semblance_blend_free (SemblanceBlend *b)
{
  if (!b)
    return;
  g_free (b->map);
  g_free (b->bias);
  g_free (b->centre);
  g_free (b->basis);
  g_free (b->offset);
  g_free (b);
}

guint
semblance_blend_get_rank (const SemblanceBlend *b)
{
  return b->rank;
}

double
semblance_blend_get_kept (const SemblanceBlend *b)
{
  return b->kept;
}

void
semblance_blend_apply (const SemblanceBlend *b, const float *vectors,
                       guint n, float *out)
{
  g_autofree float *u = g_new (float, (gsize) MIN (MAX (n, 1), BLOCK_ROWS)
      * b->semantic_dim);
  guint start, i, k;

  for (start = 0; start < n; start += BLOCK_ROWS) {
    guint rows = MIN (BLOCK_ROWS, n - start);
    float *o = out + (gsize) start * b->rank;

    project (b, vectors + (gsize) start * b->dim, rows, u);
    centre (b, rows, u);
    semblance_gemm (false, true, rows, b->rank, b->semantic_dim, 1.0f, u,
        b->semantic_dim, b->basis, b->semantic_dim, 0.0f, o, b->rank);
    for (i = 0; i < rows; i++)
      for (k = 0; k < b->rank; k++)
        o[(gsize) i * b->rank + k] -= b->offset[k];
  }
}

double
semblance_blend_default_weight (void)
{
  SemblanceTrainOptions defaults;

  semblance_train_options_init (&defaults);
  return 1.0 - defaults.acoustic_weight;
}
