/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The blended distance of "more like this": the appended values against
 * the predicted semantic distance computed directly, and the catalog
 * extended with them against brute force. */
#include <math.h>
#include <string.h>

#include "semblance.h"
#include "semblance-blend.h"
#include "semblance-bytes.h"
#include "semblance-catalog.h"
#include "semblance-model-private.h"

/* 15 values, 21 with test_catalog_extended's 6 more: the compact codes
 * grow from 16 to 32 bytes a row, and the query buffers with them. */
#define OUT 3
#define DIM (SEMBLANCE_N_GROUPS * OUT)
#define SD 20
#define WEIGHT 0.3

typedef struct
{
  guint n;
  float *vectors;               /* n x DIM */
  float *map;                   /* DIM x SD */
  float *bias;                  /* SD */
} Fixture;

static void
fixture_init (Fixture *f, guint n, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  guint i;

  f->n = n;
  f->vectors = g_new (float, (gsize) n * DIM);
  f->map = g_new (float, DIM * SD);
  f->bias = g_new (float, SD);
  for (i = 0; i < n * DIM; i++)
    f->vectors[i] = (float) g_rand_double_range (rand, -1, 1);
  for (i = 0; i < DIM * SD; i++)
    f->map[i] = (float) g_rand_double_range (rand, -0.5, 0.5);
  /* A bias that every prediction shares, as real maps have: centring
   * must take it away. */
  for (i = 0; i < SD; i++)
    f->bias[i] = (float) g_rand_double_range (rand, 0.5, 1.5);
}

static void
fixture_clear (Fixture *f)
{
  g_free (f->vectors);
  g_free (f->map);
  g_free (f->bias);
}

static double
distance (const float *a, const float *b, guint dim)
{
  double d = 0.0;
  guint k;

  for (k = 0; k < dim; k++)
    d += ((double) a[k] - b[k]) * ((double) a[k] - b[k]);
  return sqrt (d);
}

/* The centred unit predictions (n x SD), written out the long way. */
static double *
unit_predictions (const Fixture *f)
{
  double *u = g_new0 (double, (gsize) f->n * SD);
  double centre[SD] = { 0 };
  guint i, j, k;

  for (i = 0; i < f->n; i++) {
    double *s = u + (gsize) i * SD, norm = 0.0;

    for (j = 0; j < SD; j++) {
      s[j] = f->bias[j];
      for (k = 0; k < DIM; k++)
        s[j] += (double) f->vectors[i * DIM + k] * f->map[k * SD + j];
      norm += s[j] * s[j];
    }
    for (j = 0; j < SD; j++) {
      s[j] /= sqrt (norm);
      centre[j] += s[j] / f->n;
    }
  }
  for (i = 0; i < f->n; i++) {
    double *s = u + (gsize) i * SD, norm = 0.0;

    for (j = 0; j < SD; j++) {
      s[j] -= centre[j];
      norm += s[j] * s[j];
    }
    for (j = 0; j < SD; j++)
      s[j] /= sqrt (norm);
  }
  return u;
}

/* The mean squared distance between all pairs of @n rows of @dim values. */
static double
mean_squared_distance (const double *x, guint n, guint dim)
{
  double sum = 0.0;
  guint i, j, k;

  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++)
      for (k = 0; k < dim; k++) {
        double d = x[(gsize) i * dim + k] - x[(gsize) j * dim + k];

        sum += d * d;
      }
  return sum / ((double) n * n);
}

static void
test_full_rank_is_the_predicted_distance (void)
{
  Fixture f;
  g_autoptr (SemblanceBlend) b = NULL;
  g_autofree float *e = NULL;
  g_autofree double *u = NULL, *p = NULL, *ed = NULL;
  double ratio, worst = 0.0, msd_p, msd_u, msd_e;
  guint i, j;

  fixture_init (&f, 300, 1);
  b = semblance_blend_fit (f.map, f.bias, DIM, SD, f.vectors, f.n, WEIGHT,
      SD);
  g_assert_nonnull (b);
  g_assert_cmpuint (semblance_blend_get_rank (b), ==, SD);
  g_assert_cmpfloat_with_epsilon (semblance_blend_get_kept (b), 1.0, 1e-5);
  e = g_new (float, (gsize) f.n * SD);
  semblance_blend_apply (b, f.vectors, f.n, e);
  u = unit_predictions (&f);
  p = g_new (double, (gsize) f.n * DIM);
  ed = g_new (double, (gsize) f.n * SD);
  for (i = 0; i < f.n * DIM; i++)
    p[i] = f.vectors[i];
  for (i = 0; i < f.n * SD; i++)
    ed[i] = e[i];
  /* The squared distances' means are weighed as the loss's terms. */
  msd_p = mean_squared_distance (p, f.n, DIM);
  msd_u = mean_squared_distance (u, f.n, SD);
  msd_e = mean_squared_distance (ed, f.n, SD);
  g_assert_cmpfloat_with_epsilon (msd_e / msd_p, WEIGHT / (1.0 - WEIGHT),
      1e-4);
  /* Every pair's distance is the chord between the unit predictions, at
   * one scale. */
  ratio = sqrt (msd_e / msd_u);
  for (i = 0; i < f.n; i++)
    for (j = i + 1; j < f.n; j++) {
      double want, chord = 0.0;
      guint k;

      for (k = 0; k < SD; k++)
        chord += (u[i * SD + k] - u[j * SD + k]) * (u[i * SD + k]
            - u[j * SD + k]);
      want = ratio * sqrt (chord);
      worst = MAX (worst, fabs (distance (e + i * SD, e + j * SD, SD) - want)
          / ratio);
    }
  g_test_message ("largest error of a chord: %g", worst);
  g_assert_cmpfloat (worst, <, 1e-4);
  /* The values are centred. */
  for (j = 0; j < SD; j++) {
    double mean = 0.0;

    for (i = 0; i < f.n; i++)
      mean += e[i * SD + j] / f.n;
    g_assert_cmpfloat (fabs (mean), <, 1e-4 * sqrt (msd_e));
  }
  fixture_clear (&f);
}

static void
test_lower_rank (void)
{
  Fixture f;
  g_autofree float *full = NULL, *low = NULL, *one = NULL;
  g_autoptr (SemblanceBlend) all = NULL;
  double kept = 0.0;
  guint rank, i, j;

  fixture_init (&f, 200, 2);
  all = semblance_blend_fit (f.map, f.bias, DIM, SD, f.vectors, f.n, WEIGHT,
      SD);
  full = g_new (float, (gsize) f.n * SD);
  semblance_blend_apply (all, f.vectors, f.n, full);
  low = g_new (float, (gsize) f.n * SD);
  one = g_new (float, SD);
  for (rank = 1; rank <= SD + 5; rank++) {
    g_autoptr (SemblanceBlend) b = semblance_blend_fit (f.map, f.bias, DIM,
        SD, f.vectors, f.n, WEIGHT, rank);
    guint r = semblance_blend_get_rank (b);

    g_assert_cmpuint (r, ==, MIN (rank, SD));
    /* The main directions first: each added one keeps more of the spread,
     * and a projection moves no pair farther apart than in full. */
    g_assert_cmpfloat (semblance_blend_get_kept (b), >=, kept - 1e-6);
    kept = semblance_blend_get_kept (b);
    /* The r leading of SD directions hold at least r / SD of it. */
    g_assert_cmpfloat (kept, >=, (double) r / SD - 1e-6);
    semblance_blend_apply (b, f.vectors, f.n, low);
    /* The leading directions: they hold the kept share of the full
     * blend's spread. */
    {
      g_autofree double *l = g_new (double, (gsize) f.n * r);
      g_autofree double *h = g_new (double, (gsize) f.n * SD);

      for (i = 0; i < f.n * r; i++)
        l[i] = low[i];
      for (i = 0; i < f.n * SD; i++)
        h[i] = full[i];
      g_assert_cmpfloat_with_epsilon (mean_squared_distance (l, f.n, r)
          / mean_squared_distance (h, f.n, SD), semblance_blend_get_kept (b), 1e-4);
    }
    for (i = 0; i < f.n; i += 7)
      for (j = 0; j < f.n; j += 5)
        g_assert_cmpfloat (distance (low + i * r, low + j * r, r), <=,
            distance (full + i * SD, full + j * SD, SD) + 1e-5);
    /* A vector on its own, such as a track heard live, gets the values it
     * gets among the library's. */
    semblance_blend_apply (b, f.vectors + 13 * DIM, 1, one);
    for (j = 0; j < r; j++)
      g_assert_cmpfloat_with_epsilon (one[j], low[13 * r + j], 1e-6);
  }
  g_assert_cmpfloat_with_epsilon (kept, 1.0, 1e-5);
  fixture_clear (&f);
}

static void
test_no_blend (void)
{
  Fixture f;
  g_autofree float *same = NULL;
  guint i;

  fixture_init (&f, 50, 3);
  g_assert_null (semblance_blend_fit (NULL, NULL, DIM, 0, f.vectors, f.n,
          WEIGHT, 8));
  g_assert_null (semblance_blend_fit (f.map, f.bias, DIM, SD, f.vectors,
          f.n, 0.0, 8));
  g_assert_null (semblance_blend_fit (f.map, f.bias, DIM, SD, f.vectors, 1,
          WEIGHT, 8));
  g_assert_null (semblance_blend_fit (f.map, f.bias, DIM, SD, f.vectors,
          f.n, WEIGHT, 0));
  /* Copies of one track: nothing to tell apart. */
  same = g_new (float, (gsize) f.n * DIM);
  for (i = 0; i < f.n; i++)
    memcpy (same + i * DIM, f.vectors, DIM * sizeof (float));
  g_assert_null (semblance_blend_fit (f.map, f.bias, DIM, SD, same, f.n,
          WEIGHT, 8));
  fixture_clear (&f);
}

/* A saved fit rebuilds the same blend, value for value, and only for the
 * arguments it was fitted with; a damaged record is refused. */
static void
test_saved (void)
{
  Fixture f;
  g_autoptr (SemblanceBlend) b = NULL, again = NULL;
  g_autoptr (GBytes) saved = NULL, cut = NULL, flipped = NULL;
  g_autofree float *e = NULL, *e2 = NULL;
  g_autofree guint8 *bad = NULL;
  gconstpointer data;
  gsize size;

  fixture_init (&f, 120, 5);
  b = semblance_blend_fit (f.map, f.bias, DIM, SD, f.vectors, f.n, WEIGHT,
      6);
  g_assert_nonnull (b);
  saved = semblance_blend_save (b);
  again = semblance_blend_restore (saved, f.map, f.bias, DIM, SD, f.n,
      WEIGHT, 6);
  g_assert_nonnull (again);
  g_assert_cmpuint (semblance_blend_get_rank (again), ==, 6);
  g_assert_cmpfloat (semblance_blend_get_kept (again), ==,
      semblance_blend_get_kept (b));
  e = g_new (float, (gsize) f.n * 6);
  e2 = g_new (float, (gsize) f.n * 6);
  semblance_blend_apply (b, f.vectors, f.n, e);
  semblance_blend_apply (again, f.vectors, f.n, e2);
  g_assert_cmpmem (e, f.n * 6 * sizeof (float), e2,
      f.n * 6 * sizeof (float));

  /* Other arguments: another library size, weight, rank or map shape. */
  g_assert_null (semblance_blend_restore (saved, f.map, f.bias, DIM, SD,
          f.n + 1, WEIGHT, 6));
  g_assert_null (semblance_blend_restore (saved, f.map, f.bias, DIM, SD,
          f.n, WEIGHT / 2, 6));
  g_assert_null (semblance_blend_restore (saved, f.map, f.bias, DIM, SD,
          f.n, WEIGHT, 7));
  g_assert_null (semblance_blend_restore (saved, f.map, f.bias, DIM - 1,
          SD, f.n, WEIGHT, 6));
  g_assert_null (semblance_blend_restore (NULL, f.map, f.bias, DIM, SD,
          f.n, WEIGHT, 6));
  /* Cut short, or not a saved blend at all. */
  cut = g_bytes_new_from_bytes (saved, 0, g_bytes_get_size (saved) - 4);
  g_assert_null (semblance_blend_restore (cut, f.map, f.bias, DIM, SD, f.n,
          WEIGHT, 6));
  data = g_bytes_get_data (saved, &size);
  bad = g_memdup2 (data, size);
  bad[0] ^= 0xff;
  flipped = g_bytes_new (bad, size);
  g_assert_null (semblance_blend_restore (flipped, f.map, f.bias, DIM, SD,
          f.n, WEIGHT, 6));
  g_clear_pointer (&flipped, g_bytes_unref);
  /* Whole, but a value not finite (its last offset). */
  bad[0] ^= 0xff;
  semblance_put_f32 (bad + size - 4, NAN);
  flipped = g_bytes_new (bad, size);
  g_assert_null (semblance_blend_restore (flipped, f.map, f.bias, DIM, SD,
          f.n, WEIGHT, 6));
  fixture_clear (&f);
}

/* A model of DIM-value vectors with the fixture's map, for the catalog. */
static SemblanceModel *
model_with_map (const Fixture *f)
{
  SemblanceModel *m = g_new0 (SemblanceModel, 1);

  m->n_groups = SEMBLANCE_N_GROUPS;
  m->group_out = OUT;
  m->semantic_dim = SD;
  m->semantic_map = f->map;
  m->semantic_bias = f->bias;
  return m;
}

static void
test_catalog_extended (void)
{
  const guint n = 800, rank = 6;
  Fixture f;
  g_autoptr (SemblanceCatalog) c = semblance_catalog_new (OUT);
  g_autoptr (SemblanceCatalog) exact = semblance_catalog_new (OUT);
  g_autoptr (SemblanceCatalog) plain = semblance_catalog_new (OUT);
  g_autoptr (SemblanceBlend) b = NULL, b2 = NULL;
  g_autoptr (GArray) before = NULL;
  SemblanceQueryOptions first;
  g_autofree float *e = NULL, *x = NULL, *mean = NULL;
  g_autofree SemblanceModel *m = NULL;
  guint i, q, dim = DIM + rank;

  fixture_init (&f, n, 4);
  m = model_with_map (&f);
  for (i = 0; i < n; i++) {
    g_autofree char *artist = g_strdup_printf ("artist %u", i % 9);

    semblance_catalog_add (c, 1000 + i, f.vectors + i * DIM, artist, NULL,
        100.0);
    semblance_catalog_add (exact, 1000 + i, f.vectors + i * DIM, artist,
        NULL, 100.0);
    semblance_catalog_add (plain, 1000 + i, f.vectors + i * DIM, artist,
        NULL, 100.0);
  }
  /* A query before the extension: its buffers are made again after. */
  semblance_query_options_init (&first);
  before = semblance_catalog_nearest (c, f.vectors, &first);
  g_assert_cmpuint (before->len, ==, 20);
  b = semblance_catalog_blend (c, m, rank);
  b2 = semblance_catalog_blend (exact, m, rank);
  g_assert_nonnull (b);
  g_assert_cmpuint (semblance_catalog_get_dim (c), ==, dim);
  semblance_catalog_set_compact (exact, FALSE);
  e = g_new (float, (gsize) n * rank);
  semblance_blend_apply (b, f.vectors, n, e);
  for (i = 0; i < n; i += 97) {
    const float *v = semblance_catalog_get_vector (c, 1000 + i);

    g_assert_cmpmem (v, DIM * sizeof (float), f.vectors + i * DIM,
        DIM * sizeof (float));
    g_assert_cmpmem (v + DIM, rank * sizeof (float), e + i * rank,
        rank * sizeof (float));
  }
  mean = g_new (float, dim);
  g_assert_true (semblance_catalog_mean (c, mean));
  x = g_new (float, dim);
  for (q = 0; q < 12; q++) {
    gint64 seed = 1000 + q * 61;
    SemblanceQueryOptions o;
    g_autoptr (GArray) got = NULL, same = NULL, near = NULL, flat = NULL;
    guint j;

    semblance_query_options_init (&o);
    o.mutual_proximity = q % 2;
    o.max_per_artist = q % 3;
    got = semblance_catalog_similar (c, &seed, 1, &o, NULL);
    same = semblance_catalog_similar (exact, &seed, 1, &o, NULL);
    g_assert_cmpuint (got->len, ==, same->len);
    for (j = 0; j < got->len; j++) {
      SemblanceMatch *a = &g_array_index (got, SemblanceMatch, j);
      const float *v = semblance_catalog_get_vector (c, a->id);

      g_assert_cmpint (a->id, ==, g_array_index (same, SemblanceMatch, j).id);
      /* Distances in the extended space... */
      g_assert_cmpfloat (fabs (a->distance - distance (v,
                  semblance_catalog_get_vector (c, seed), dim)), <, 1e-4);
    }
    /* ...and by distance alone, the nearest of all by brute force. */
    o.mutual_proximity = FALSE;
    o.max_per_artist = 0;
    memcpy (x, semblance_catalog_get_vector (c, seed), dim * sizeof (float));
    near = semblance_catalog_nearest (c, x, &o);
    for (i = 0; i < n; i++) {
      gboolean listed = FALSE;
      double d = distance (semblance_catalog_get_vector (c, 1000 + i), x,
          dim);

      for (j = 0; j < near->len; j++)
        listed |= g_array_index (near, SemblanceMatch, j).id == 1000 + i;
      if (!listed)
        g_assert_cmpfloat (d, >=, g_array_index (near, SemblanceMatch,
                near->len - 1).distance - 1e-4);
    }
    /* The per-group closeness is of the property values alone. */
    flat = semblance_catalog_nearest (plain, x, &o);
    for (j = 0; j < near->len; j++) {
      SemblanceMatch *a = &g_array_index (near, SemblanceMatch, j);
      guint k, g;

      for (k = 0; k < flat->len; k++) {
        SemblanceMatch *p = &g_array_index (flat, SemblanceMatch, k);

        if (p->id != a->id)
          continue;
        for (g = 0; g < SEMBLANCE_N_GROUPS; g++)
          g_assert_cmpfloat_with_epsilon (a->closeness[g], p->closeness[g],
              1e-5);
      }
    }
  }
  /* A catalog of other vectors than the model's is left alone. */
  m->group_out = OUT + 1;
  g_assert_null (semblance_catalog_blend (plain, m, rank));
  g_assert_cmpuint (semblance_catalog_get_dim (plain), ==, DIM);
  m->semantic_map = NULL;
  fixture_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/blend/full-rank-is-the-predicted-distance",
      test_full_rank_is_the_predicted_distance);
  g_test_add_func ("/blend/lower-rank", test_lower_rank);
  g_test_add_func ("/blend/no-blend", test_no_blend);
  g_test_add_func ("/blend/saved", test_saved);
  g_test_add_func ("/blend/catalog-extended", test_catalog_extended);
  return g_test_run ();
}
