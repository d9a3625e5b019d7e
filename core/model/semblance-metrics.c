/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-metrics.h"

#include <math.h>
#include <stdlib.h>

typedef struct
{
  float value;
  gsize index;
} Ranked;

static int
compare_ranked (const void *pa, const void *pb)
{
  const Ranked *a = pa, *b = pb;

  if (a->value != b->value)
    return a->value < b->value ? -1 : 1;
  return a->index < b->index ? -1 : a->index > b->index;
}

void
semblance_argsort (const float *values, guint n, guint *order)
{
  Ranked *r = g_new (Ranked, n);
  guint i;

  for (i = 0; i < n; i++)
    r[i] = (Ranked) { values[i], i };
  qsort (r, n, sizeof *r, compare_ranked);
  for (i = 0; i < n; i++)
    order[i] = (guint) r[i].index;
  g_free (r);
}

static double *
ranks (const float *v, gsize n)
{
  Ranked *r = g_new (Ranked, n);
  double *out = g_new (double, n);
  gsize i, j;

  for (i = 0; i < n; i++)
    r[i] = (Ranked) { v[i], i };
  qsort (r, n, sizeof *r, compare_ranked);
  for (i = 0; i < n; i = j) {
    double mean;

    for (j = i + 1; j < n && r[j].value == r[i].value; j++);
    mean = (i + j - 1) / 2.0;
    for (gsize k = i; k < j; k++)
      out[r[k].index] = mean;
  }
  g_free (r);
  return out;
}

double
semblance_spearman (const float *a, const float *b, gsize n)
{
  g_autofree double *ra = NULL, *rb = NULL;
  double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
  gsize i;

  if (n < 2)
    return 0.0;
  ra = ranks (a, n);
  rb = ranks (b, n);
  for (i = 0; i < n; i++) {
    ma += ra[i];
    mb += rb[i];
  }
  ma /= n;
  mb /= n;
  for (i = 0; i < n; i++) {
    sab += (ra[i] - ma) * (rb[i] - mb);
    saa += (ra[i] - ma) * (ra[i] - ma);
    sbb += (rb[i] - mb) * (rb[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / sqrt (saa * sbb) : 0.0;
}

void
semblance_pair_distances (const float *x, guint rows, guint dim, float *out)
{
  guint i, j, d;

  for (i = 0; i < rows; i++)
    for (j = i + 1; j < rows; j++) {
      double s = 0.0;

      for (d = 0; d < dim; d++) {
        double diff = x[(gsize) i * dim + d] - x[(gsize) j * dim + d];

        s += diff * diff;
      }
      *out++ = (float) sqrt (s);
    }
}

void
semblance_pair_cosine_distances (const float *x, guint rows, guint dim,
                                 float *out)
{
  guint i, j, d;

  for (i = 0; i < rows; i++)
    for (j = i + 1; j < rows; j++) {
      double s = 0.0;

      for (d = 0; d < dim; d++)
        s += (double) x[(gsize) i * dim + d] * x[(gsize) j * dim + d];
      *out++ = (float) (1.0 - s);
    }
}

/* The @k nearest others of @query by row @query of @dist, nearest first. */
static guint
nearest (const float *dist, guint rows, guint query, guint k, guint *out)
{
  g_autofree guint *order = g_new (guint, rows);
  guint i, n = 0;

  semblance_argsort (dist + (gsize) query * rows, rows, order);
  for (i = 0; i < rows && n < k; i++)
    if (order[i] != query)
      out[n++] = order[i];
  return n;
}

double
semblance_precision_at_k (const float *dist, guint rows,
                          const char *const *labels, guint k)
{
  g_autofree guint *top = g_new (guint, rows);
  double sum = 0.0;
  guint q, i, queries = 0;

  for (q = 0; q < rows; q++) {
    guint got, hits = 0, others = 0;

    if (!labels[q])
      continue;
    for (i = 0; i < rows; i++)
      others += i != q && labels[i] && g_str_equal (labels[i], labels[q]);
    if (others == 0)
      continue;
    got = nearest (dist, rows, q, k, top);
    for (i = 0; i < got; i++)
      hits += labels[top[i]] && g_str_equal (labels[top[i]], labels[q]);
    sum += (double) hits / got;
    queries++;
  }
  return queries ? sum / queries : 0.0;
}

double
semblance_ndcg_at_k (const float *dist, const float *sem_dist, guint rows,
                     guint k)
{
  g_autofree guint *top = g_new (guint, rows);
  g_autofree guint *ideal = g_new (guint, rows);
  double sum = 0.0;
  guint q, i;

  if (rows < 2)
    return 0.0;
  for (q = 0; q < rows; q++) {
    guint got = nearest (dist, rows, q, k, top);
    double dcg = 0.0, idcg = 0.0;

    nearest (sem_dist, rows, q, k, ideal);
    for (i = 0; i < got; i++) {
      dcg += (1.0 - sem_dist[(gsize) q * rows + top[i]] / 2.0) / log2 (i + 2.0);
      idcg += (1.0 - sem_dist[(gsize) q * rows + ideal[i]] / 2.0) /
          log2 (i + 2.0);
    }
    sum += idcg > 0 ? dcg / idcg : 0.0;
  }
  return sum / rows;
}
