/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-blend.h"

#include <math.h>
#include <string.h>

#include "semblance-bytes.h"
#include "semblance-eigen.h"
#include "semblance-gemm.h"
#include "semblance-train.h"

/* Tracks the fit measures the library's mean prediction and main
 * directions on, evenly spaced through it: enough for a 100 x 100
 * covariance, and a bounded cost however large the library. */
#define FIT_SAMPLE 16384
/* Rows predicted at a time (400 KB of predictions). */
#define BLOCK_ROWS 1024
/* semblance_blend_save()'s format: this; dim, semantic_dim, the rank
 * asked for, the rank kept and the tracks (32-bit); the weight and the
 * kept share (64-bit floats); then the centre, the scaled basis and the
 * offsets (32-bit floats), all little-endian. */
#define SAVED_MAGIC "SBLEND01"
#define SAVED_HEAD (sizeof SAVED_MAGIC - 1 + 5 * 4 + 2 * 8)

struct _SemblanceBlend
{
  guint dim, semantic_dim, rank;
  float *offset;                /* rank: the basis times the mean unit
                                 * direction, so that the values appended
                                 * are centred */
  double kept;
  /* What apply() needs of the map M, its bias b, the library's mean
   * prediction c and the scaled basis B (rank x semantic_dim), so that it
   * never forms a track's semantic_dim values (its comment): */
  float *gram;                  /* dim x dim: M M^T */
  float *through;               /* dim x (rank + 2): M [B^T, b, c] */
  float *basis_bias, *basis_centre;     /* rank: B b, B c */
  double bias_bias, bias_centre, centre_centre; /* b.b, b.c, c.c */
  /* What semblance_blend_save() writes and restore() rebuilds the rest
   * from: the fit's arguments, the centre c (semantic_dim) and the basis
   * B. */
  guint asked, n;
  double weight;
  float *centre, *basis;
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

/* The output of @map and @bias at unit length (semblance_embedder_project)
 * of @rows property vectors, into @out (rows x semantic_dim). */
static void
project (const SemblanceBlend *b, const float *map, const float *bias,
         const float *vectors, guint rows, float *out)
{
  guint sd = b->semantic_dim, i;

  for (i = 0; i < rows; i++)
    memcpy (out + (gsize) i * sd, bias, sd * sizeof (float));
  semblance_gemm (false, false, rows, sd, b->dim, 1.0f, vectors, b->dim,
      map, sd, 1.0f, out, sd);
  for (i = 0; i < rows; i++)
    unit_length (out + (gsize) i * sd, sd);
}

/* In place, @rows projections less the library's mean prediction @c, at
 * unit length again: the centred unit predictions, as text search
 * compares them. A track at the centre stays at 0. Only the direction
 * from the centre counts, as in text search: what a track's description
 * is like, not how far it is from the library's typical one. */
static void
centre (const SemblanceBlend *b, const float *c, guint rows, float *s)
{
  guint sd = b->semantic_dim, i, j;

  for (i = 0; i < rows; i++) {
    for (j = 0; j < sd; j++)
      s[(gsize) i * sd + j] -= c[j];
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

static double
dot (const float *a, const float *b, guint n)
{
  double sum = 0.0;
  guint j;

  for (j = 0; j < n; j++)
    sum += (double) a[j] * b[j];
  return sum;
}

/* The products of the map with itself, with the blend's basis, the bias
 * and its centre, that apply() combines. */
static void
precompute (SemblanceBlend *b, const float *map, const float *bias)
{
  guint dim = b->dim, sd = b->semantic_dim, r = b->rank, k;
  const float *c = b->centre, *basis = b->basis;
  g_autofree float *rows = g_new (float, (gsize) (r + 2) * sd);

  b->gram = g_new (float, (gsize) dim * dim);
  semblance_gemm (false, true, dim, dim, sd, 1.0f, map, sd, map, sd, 0.0f,
      b->gram, dim);
  memcpy (rows, basis, (gsize) r * sd * sizeof (float));
  memcpy (rows + (gsize) r * sd, bias, sd * sizeof (float));
  memcpy (rows + (gsize) (r + 1) * sd, c, sd * sizeof (float));
  b->through = g_new (float, (gsize) dim * (r + 2));
  semblance_gemm (false, true, dim, r + 2, sd, 1.0f, map, sd, rows, sd,
      0.0f, b->through, r + 2);
  b->basis_bias = g_new (float, r);
  b->basis_centre = g_new (float, r);
  for (k = 0; k < r; k++) {
    b->basis_bias[k] = (float) dot (basis + (gsize) k * sd, bias, sd);
    b->basis_centre[k] = (float) dot (basis + (gsize) k * sd, c, sd);
  }
  b->bias_bias = dot (bias, bias, sd);
  b->bias_centre = dot (bias, c, sd);
  b->centre_centre = dot (c, c, sd);
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
  b->asked = rank;
  b->n = n;
  b->weight = weight;
  b->centre = g_new (float, sd);

  sample = g_new (float, (gsize) m * dim);
  for (i = 0; i < m; i++)
    memcpy (sample + (gsize) i * dim,
        vectors + (gsize) ((guint64) i * n / m) * dim, dim * sizeof (float));
  mean = g_new (double, MAX (dim, sd));
  var_p = total_variance (sample, m, dim, mean);

  u = g_new (float, (gsize) m * sd);
  project (b, map, bias, sample, m, u);
  total_variance (u, m, sd, mean);
  for (j = 0; j < sd; j++)
    b->centre[j] = (float) mean[j];
  centre (b, b->centre, m, u);
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
    guint col = sd - 1 - k;     /* eigenvalues ascend */
    double dot = 0.0;

    top += MAX (values[col], 0.0);
    for (j = 0; j < sd; j++) {
      b->basis[(gsize) k * sd + j] = (float) (scale * eigen[(gsize) j * sd
              + col]);
      dot += b->basis[(gsize) k * sd + j] * mean_u[j];
    }
    b->offset[k] = (float) dot;
  }
  b->kept = MIN (top / var_u, 1.0);
  precompute (b, map, bias);
  return g_steal_pointer (&b);
}

static gboolean
finite_values (const float *v, gsize n)
{
  gsize i;

  for (i = 0; i < n; i++)
    if (!isfinite (v[i]))
      return FALSE;
  return TRUE;
}

static guint64
double_bits (double x)
{
  guint64 u;

  memcpy (&u, &x, sizeof u);
  return u;
}

GBytes *
semblance_blend_save (const SemblanceBlend *b)
{
  guint sd = b->semantic_dim, r = b->rank, i;
  gsize size = SAVED_HEAD + 4 * (sd + (gsize) r * sd + r);
  guint8 *out = g_malloc (size), *p = out + sizeof SAVED_MAGIC - 1;

  memcpy (out, SAVED_MAGIC, sizeof SAVED_MAGIC - 1);
  semblance_put_u32 (p, b->dim);
  semblance_put_u32 (p + 4, sd);
  semblance_put_u32 (p + 8, b->asked);
  semblance_put_u32 (p + 12, r);
  semblance_put_u32 (p + 16, b->n);
  semblance_put_u64 (p + 20, double_bits (b->weight));
  semblance_put_u64 (p + 28, double_bits (b->kept));
  p += 36;
  for (i = 0; i < sd; i++, p += 4)
    semblance_put_f32 (p, b->centre[i]);
  for (i = 0; i < r * sd; i++, p += 4)
    semblance_put_f32 (p, b->basis[i]);
  for (i = 0; i < r; i++, p += 4)
    semblance_put_f32 (p, b->offset[i]);
  return g_bytes_new_take (out, size);
}

SemblanceBlend *
semblance_blend_restore (GBytes *saved, const float *map, const float *bias,
                         guint dim, guint semantic_dim, guint n,
                         double weight, guint rank)
{
  g_autoptr (SemblanceBlend) b = NULL;
  gsize size, i;
  const guint8 *p;
  guint64 weight_bits, kept;

  if (!saved || !map)
    return NULL;
  p = g_bytes_get_data (saved, &size);
  if (size < SAVED_HEAD || memcmp (p, SAVED_MAGIC,
          sizeof SAVED_MAGIC - 1) != 0)
    return NULL;
  p += sizeof SAVED_MAGIC - 1;
  b = g_new0 (SemblanceBlend, 1);
  b->dim = semblance_read_u32 (p);
  b->semantic_dim = semblance_read_u32 (p + 4);
  b->asked = semblance_read_u32 (p + 8);
  b->rank = semblance_read_u32 (p + 12);
  b->n = semblance_read_u32 (p + 16);
  b->weight = weight;
  weight_bits = semblance_read_u64 (p + 20);
  kept = semblance_read_u64 (p + 28);
  memcpy (&b->kept, &kept, sizeof kept);
  p += 36;
  /* Fitted with other arguments, or not a whole record of this format. */
  if (b->dim != dim || b->semantic_dim != semantic_dim || b->asked != rank
      || b->n != n || weight_bits != double_bits (weight)
      || b->rank != MIN (rank, semantic_dim) || size != SAVED_HEAD + 4
      * (semantic_dim + (gsize) b->rank * semantic_dim + b->rank))
    return NULL;
  b->centre = g_new (float, semantic_dim);
  b->basis = g_new (float, (gsize) b->rank * semantic_dim);
  b->offset = g_new (float, b->rank);
  for (i = 0; i < semantic_dim; i++, p += 4)
    b->centre[i] = semblance_read_f32 (p);
  for (i = 0; i < (gsize) b->rank * semantic_dim; i++, p += 4)
    b->basis[i] = semblance_read_f32 (p);
  for (i = 0; i < b->rank; i++, p += 4)
    b->offset[i] = semblance_read_f32 (p);
  /* A damaged record is fitted again rather than ranked with. */
  if (!finite_values (b->centre, semantic_dim)
      || !finite_values (b->basis, (gsize) b->rank * semantic_dim)
      || !finite_values (b->offset, b->rank) || !(b->kept >= 0.0
          && b->kept <= 1.0))
    return NULL;
  precompute (b, map, bias);
  return g_steal_pointer (&b);
}

void
semblance_blend_free (SemblanceBlend *b)
{
  if (!b)
    return;
  g_free (b->offset);
  g_free (b->centre);
  g_free (b->basis);
  g_free (b->gram);
  g_free (b->through);
  g_free (b->basis_bias);
  g_free (b->basis_centre);
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

/*
 * The values of project(), centre() and the basis, without forming a
 * track's semantic_dim values: with s = p M + b, |s|^2 = p (M M^T) p^T +
 * 2 p.(M b) + b.b and B s = p (M B^T) + B b, so that the unit direction
 * u = s / |s| has u.c and B u from p times dim x (rank + 2) values, and
 * its distance from the centre c is |u - c|^2 = 1 - 2 u.c + c.c. That is
 * dim x (dim + rank + 2) products a track where forming s, centring it
 * and taking its basis cost dim x sd + sd x rank (4,680 against 7,600 for
 * the default model), and the scalars are summed in double, so the values
 * are those of the long way to float rounding.
 */
void
semblance_blend_apply (const SemblanceBlend *b, const float *vectors,
                       guint n, float *out)
{
  guint dim = b->dim, r = b->rank, w = r + 2, block = MIN (MAX (n, 1),
      BLOCK_ROWS), start, i, k;
  g_autofree float *q = g_new (float, (gsize) block * dim);
  g_autofree float *z = g_new (float, (gsize) block * w);

  for (start = 0; start < n; start += BLOCK_ROWS) {
    guint rows = MIN (BLOCK_ROWS, n - start);
    const float *p = vectors + (gsize) start * dim;
    float *o = out + (gsize) start * r;

    semblance_gemm (false, false, rows, dim, dim, 1.0f, p, dim, b->gram, dim,
        0.0f, q, dim);
    semblance_gemm (false, false, rows, w, dim, 1.0f, p, dim, b->through, w,
        0.0f, z, w);
    for (i = 0; i < rows; i++) {
      const float *zi = z + (gsize) i * w;
      double s2 = dot (q + (gsize) i * dim, p + (gsize) i * dim, dim)
          + 2.0 * zi[r] + b->bias_bias, norm = s2 > 0.0 ? sqrt (s2) : 0.0;
      /* A prediction of 0 stays at 0, as unit_length() leaves it. */
      double uc = norm > 0.0 ? (zi[r + 1] + b->bias_centre) / norm : 0.0;
      double d2 = (norm > 0.0 ? 1.0 : 0.0) - 2.0 * uc + b->centre_centre;
      double from_centre = d2 > 0.0 ? sqrt (d2) : 0.0;

      for (k = 0; k < r; k++) {
        double bu = norm > 0.0 ? (zi[k] + b->basis_bias[k]) / norm : 0.0;

        /* A track at the centre stays at 0, as centre() leaves it. */
        o[(gsize) i * r + k] = (float) ((from_centre > 0.0 ? (bu
                    - b->basis_centre[k]) / from_centre : 0.0)
            - b->offset[k]);
      }
    }
  }
}

double
semblance_blend_default_weight (void)
{
  SemblanceTrainOptions defaults;

  semblance_train_options_init (&defaults);
  return 1.0 - defaults.acoustic_weight;
}
