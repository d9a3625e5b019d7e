/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "quality-eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "semblance-gaussian.h"
#include "semblance-metrics.h"

float *
quality_zscore (const float *x, guint n, guint dim)
{
  float *z = g_new (float, (gsize) n * dim);
  guint i, c;

  for (c = 0; c < dim; c++) {
    double s = 0.0, s2 = 0.0, mean, sd;

    for (i = 0; i < n; i++)
      s += x[(gsize) i * dim + c];
    mean = s / n;
    for (i = 0; i < n; i++) {
      double v = x[(gsize) i * dim + c] - mean;

      s2 += v * v;
    }
    sd = n > 1 ? sqrt (s2 / (n - 1)) : 0.0;
    for (i = 0; i < n; i++)
      z[(gsize) i * dim + c] = sd > 0.0 ?
          (float) ((x[(gsize) i * dim + c] - mean) / sd) : 0.0f;
  }
  return z;
}

float *
quality_euclidean (const float *x, guint n, guint dim)
{
  float *d = g_new0 (float, (gsize) n * n);
  guint i, j, c;

  for (i = 0; i < n; i++)
    for (j = i + 1; j < n; j++) {
      double s = 0.0;

      for (c = 0; c < dim; c++) {
        double v = x[(gsize) i * dim + c] - x[(gsize) j * dim + c];

        s += v * v;
      }
      d[(gsize) i * n + j] = d[(gsize) j * n + i] = (float) sqrt (s);
    }
  return d;
}

float *
quality_mutual_proximity (const float *d, guint n)
{
  g_autofree double *mean = g_new0 (double, n);
  g_autofree double *sd = g_new0 (double, n);
  float *mp = g_new0 (float, (gsize) n * n);
  guint i, j;

  for (i = 0; i < n; i++) {
    double s = 0.0, s2 = 0.0;

    for (j = 0; j < n; j++) {
      s += d[(gsize) i * n + j];
      s2 += (double) d[(gsize) i * n + j] * d[(gsize) i * n + j];
    }
    mean[i] = s / n;
    sd[i] = n > 1 ? sqrt (MAX (0.0, (s2 - s * s / n) / (n - 1))) : 0.0;
  }
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++)
      mp[(gsize) i * n + j] = i == j ? 0.0f : (float)
          -semblance_mutual_proximity_log (d[(gsize) i * n + j], mean[i],
          sd[i], mean[j], sd[j]);
  return mp;
}

float *
quality_random_distances (guint n, guint64 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed ((guint32) seed);
  float *d = g_new0 (float, (gsize) n * n);
  guint i, j;

  for (i = 0; i < n; i++)
    for (j = i + 1; j < n; j++)
      d[(gsize) i * n + j] = d[(gsize) j * n + i] =
          (float) g_rand_double (rand);
  return d;
}

guint *
quality_neighbours (const float *d, guint n, guint k)
{
  guint *nb = g_new (guint, (gsize) n * k);
  guint i, j;

  k = MIN (k, n - 1);
  for (i = 0; i < n; i++) {
    const float *row = d + (gsize) i * n;
    guint *best = nb + (gsize) i * k, size = 0;

    /* Insertion into the sorted list of the best so far: k is small. */
    for (j = 0; j < n; j++) {
      guint at;

      if (j == i || (size == k && row[j] >= row[best[k - 1]]))
        continue;
      at = size < k ? size++ : k - 1;
      while (at > 0 && row[best[at - 1]] > row[j]) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = j;
    }
  }
  return nb;
}

static int
compare_guint (const void *a, const void *b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return (x > y) - (x < y);
}

void
quality_set_parse (QualitySet *set, const char *text, char separator,
                   GHashTable *names)
{
  char sep[2] = { separator, '\0' };
  g_auto (GStrv) parts = g_strsplit (text ? text : "", sep, -1);
  g_autoptr (GArray) items = g_array_new (FALSE, FALSE, sizeof (guint));
  guint i, kept = 0;

  for (i = 0; parts[i]; i++) {
    g_autofree char *name = g_utf8_casefold (g_strstrip (parts[i]), -1);
    guint index;

    if (!name[0])
      continue;
    index = GPOINTER_TO_UINT (g_hash_table_lookup (names, name));
    if (index == 0) {
      index = g_hash_table_size (names) + 1;
      g_hash_table_insert (names, g_steal_pointer (&name),
          GUINT_TO_POINTER (index));
    }
    g_array_append_val (items, index);
  }
  if (items->len > 1)
    qsort (items->data, items->len, sizeof (guint), compare_guint);
  for (i = 0; i < items->len; i++)
    if (kept == 0 || g_array_index (items, guint, i)
        != g_array_index (items, guint, kept - 1))
      g_array_index (items, guint, kept++) = g_array_index (items, guint, i);
  set->n = kept;
  g_array_set_size (items, kept);
  set->items = (guint *) g_array_free (g_steal_pointer (&items), FALSE);
}

void
quality_set_clear (QualitySet *set)
{
  g_clear_pointer (&set->items, g_free);
  set->n = 0;
}

double
quality_label_precision (const guint *nb, guint n, guint k,
                         const char *const *labels)
{
  double sum = 0.0;
  guint queries = 0, i, j;

  k = MIN (k, n - 1);
  for (i = 0; i < n; i++) {
    guint hits = 0;

    if (!labels[i])
      continue;
    for (j = 0; j < k; j++) {
      const char *other = labels[nb[(gsize) i * k + j]];

      hits += other && strcmp (other, labels[i]) == 0;
    }
    sum += (double) hits / k;
    queries++;
  }
  return queries ? sum / queries : 0.0;
}

/* The size of the intersection of two sorted sets. */
static guint
common (const QualitySet *a, const QualitySet *b)
{
  guint i = 0, j = 0, c = 0;

  while (i < a->n && j < b->n) {
    if (a->items[i] == b->items[j]) {
      c++;
      i++;
      j++;
    } else if (a->items[i] < b->items[j])
      i++;
    else
      j++;
  }
  return c;
}

double
quality_set_precision (const guint *nb, guint n, guint k,
                       const QualitySet *sets)
{
  double sum = 0.0;
  guint queries = 0, i, j;

  k = MIN (k, n - 1);
  for (i = 0; i < n; i++) {
    guint hits = 0;

    if (sets[i].n == 0)
      continue;
    for (j = 0; j < k; j++)
      hits += common (&sets[i], &sets[nb[(gsize) i * k + j]]) > 0;
    sum += (double) hits / k;
    queries++;
  }
  return queries ? sum / queries : 0.0;
}

double
quality_set_jaccard (const guint *nb, guint n, guint k,
                     const QualitySet *sets)
{
  double sum = 0.0;
  guint queries = 0, i, j;

  k = MIN (k, n - 1);
  for (i = 0; i < n; i++) {
    double s = 0.0;

    if (sets[i].n == 0)
      continue;
    for (j = 0; j < k; j++) {
      const QualitySet *other = &sets[nb[(gsize) i * k + j]];
      guint c = common (&sets[i], other);

      s += (double) c / (sets[i].n + other->n - c);
    }
    sum += s / k;
    queries++;
  }
  return queries ? sum / queries : 0.0;
}

void
quality_hubness (const guint *nb, guint n, guint k, double *skewness,
                 guint *largest)
{
  g_autofree guint *count = g_new0 (guint, n);
  double mean, m2 = 0.0, m3 = 0.0;
  guint i;

  k = MIN (k, n - 1);
  for (i = 0; i < n * k; i++)
    count[nb[i]]++;
  /* Every list has k entries: the mean occurrence is k. */
  mean = k;
  *largest = 0;
  for (i = 0; i < n; i++) {
    double v = count[i] - mean;

    m2 += v * v;
    m3 += v * v * v;
    *largest = MAX (*largest, count[i]);
  }
  m2 /= n;
  m3 /= n;
  *skewness = m2 > 0.0 ? m3 / pow (m2, 1.5) : 0.0;
}

double
quality_list_precision (const guint *lists, guint q, guint k,
                        const gboolean *relevant)
{
  guint i, hits = 0;

  for (i = 0; i < k; i++)
    hits += relevant[lists[(gsize) q * k + i]] ? 1 : 0;
  return k ? (double) hits / k : 0.0;
}

guint
quality_most_listed (const guint *lists, guint n_lists, guint k, guint n,
                     guint *count)
{
  g_autofree guint *counts = g_new0 (guint, MAX (n, 1));
  guint i, best = 0;

  for (i = 0; i < n_lists * k; i++)
    counts[lists[i]]++;
  for (i = 1; i < n; i++)
    if (counts[i] > counts[best])
      best = i;
  *count = n ? counts[best] : 0;
  return best;
}

double
quality_largest_share (const guint *lists, guint n_lists, guint k, guint n)
{
  guint largest;

  quality_most_listed (lists, n_lists, k, n, &largest);
  return n_lists ? (double) largest / n_lists : 0.0;
}

void
quality_words_count (char ***shown, GHashTable **accepted, guint n,
                     guint *right, guint *total, guint *no_word)
{
  guint i, w;

  *right = *total = *no_word = 0;
  for (i = 0; i < n; i++) {
    if (!shown[i] || !shown[i][0])
      (*no_word)++;
    for (w = 0; shown[i] && shown[i][w]; w++) {
      (*total)++;
      *right += g_hash_table_contains (accepted[i], shown[i][w]) ? 1 : 0;
    }
  }
}

double
quality_matrix_spearman (const float *d, const float *e, guint n)
{
  gsize pairs = (gsize) n * (n - 1) / 2, p = 0;
  g_autofree float *a = g_new (float, MAX (pairs, 1));
  g_autofree float *b = g_new (float, MAX (pairs, 1));
  guint i, j;

  for (i = 0; i < n; i++)
    for (j = i + 1; j < n; j++) {
      a[p] = d[(gsize) i * n + j];
      b[p++] = e[(gsize) i * n + j];
    }
  return semblance_spearman (a, b, pairs);
}
