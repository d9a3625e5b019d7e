/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Queries on the catalog of property vectors, against brute force. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "semblance.h"
#include "semblance-catalog.h"

#define OUT 2
#define DIM (SEMBLANCE_N_GROUPS * OUT)

static SemblanceCatalog *
random_catalog (guint n, guint32 seed, float **vectors)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  SemblanceCatalog *c = semblance_catalog_new (OUT);
  guint i, k;

  *vectors = g_new (float, (gsize) n * DIM);
  for (i = 0; i < n; i++) {
    g_autofree char *artist = g_strdup_printf ("artist %u", i % 7);
    g_autofree char *album = g_strdup_printf ("album %u", i % 13);

    for (k = 0; k < DIM; k++)
      (*vectors)[i * DIM + k] = (float) g_rand_double_range (rand, -1, 1);
    semblance_catalog_add (c, 1000 + i, *vectors + i * DIM, artist, album,
        60.0 + i % 300);
  }
  return c;
}

static double
dist (const float *a, const float *b)
{
  double d = 0.0;
  guint k;

  for (k = 0; k < DIM; k++)
    d += (a[k] - b[k]) * (a[k] - b[k]);
  return sqrt (d);
}

static void
test_nearest_matches_brute_force (void)
{
  const guint n = 3000;
  g_autofree float *v = NULL;
  g_autoptr (SemblanceCatalog) c = random_catalog (n, 1, &v);
  SemblanceQueryOptions o;
  g_autoptr (GArray) got = NULL;
  guint i, better;

  semblance_query_options_init (&o);
  o.mutual_proximity = FALSE;
  got = semblance_catalog_nearest (c, v + 17 * DIM, &o);
  g_assert_cmpuint (got->len, ==, 20);
  /* The query's own track is first, at distance 0. */
  g_assert_cmpint (g_array_index (got, SemblanceMatch, 0).id, ==, 1017);
  g_assert_cmpfloat (g_array_index (got, SemblanceMatch, 0).distance, <,
      1e-3);
  for (i = 0; i < got->len; i++) {
    const SemblanceMatch *m = &g_array_index (got, SemblanceMatch, i);
    guint r;

    g_assert_cmpfloat_with_epsilon (m->distance,
        dist (v + 17 * DIM, v + (m->id - 1000) * DIM), 1e-4);
    if (i > 0)
      g_assert_cmpfloat (m->distance, >=,
          g_array_index (got, SemblanceMatch, i - 1).distance);
    /* Exactly i tracks are nearer. */
    for (better = 0, r = 0; r < n; r++)
      better += dist (v + 17 * DIM, v + r * DIM) < m->distance - 1e-5;
    g_assert_cmpuint (better, <=, i);
  }
}

/* Mutual proximity from each track's distances to every HUB_SAMPLE-th
 * track, computed by brute force: the mean and (n - 1) standard deviation
 * of the distances from @x to the rows j * n / k. */
static void
sample_stats (const float *v, guint n, guint dim, const float *x,
              double *mean, double *sd)
{
  guint k = MIN (n, 512), j, i;
  double s = 0.0, s2 = 0.0;

  for (j = 0; j < k; j++) {
    const float *y = v + (gsize) ((guint64) j * n / k) * dim;
    double d = 0.0;

    for (i = 0; i < dim; i++)
      d += (x[i] - y[i]) * (x[i] - y[i]);
    s += sqrt (d);
    s2 += d;
  }
  *mean = s / k;
  *sd = sqrt ((s2 - s * s / k) / (k - 1));
}

/* By default the results are ranked by mutual proximity: the same order and
 * values as brute force, and the hubs of a high-dimensional cloud (tracks
 * near the middle of everything) are less often among them than by
 * distance. */
static void
test_mutual_proximity (void)
{
  const guint n = 3000, out = 8, dim = SEMBLANCE_N_GROUPS * out;
  g_autoptr (GRand) rand = g_rand_new_with_seed (4);
  g_autoptr (SemblanceCatalog) c = semblance_catalog_new (out);
  g_autofree float *v = g_new (float, (gsize) n * dim);
  g_autofree guint *by_distance = g_new0 (guint, n);
  g_autofree guint *by_mp = g_new0 (guint, n);
  SemblanceQueryOptions o, plain;
  guint q, i, hub_d = 0, hub_mp = 0;

  for (i = 0; i < n * dim; i++) {
    double u = g_rand_double_range (rand, 1e-12, 1.0);

    v[i] = (float) (sqrt (-2.0 * log (u)) * cos (2.0 * G_PI *
            g_rand_double (rand)));
  }
  for (i = 0; i < n; i++)
    semblance_catalog_add (c, 1000 + i, v + (gsize) i * dim, NULL, NULL, 60);
  semblance_query_options_init (&o);
  g_assert_true (o.mutual_proximity);
  o.n = 10;
  plain = o;
  plain.mutual_proximity = FALSE;
  for (q = 0; q < 300; q++) {
    const float *x = v + (gsize) q * dim;
    g_autoptr (GArray) got = semblance_catalog_nearest (c, x, &o);
    g_autoptr (GArray) raw = semblance_catalog_nearest (c, x, &plain);
    double mq, sq;

    sample_stats (v, n, dim, x, &mq, &sq);
    g_assert_cmpuint (got->len, ==, 10);
    for (i = 0; i < got->len; i++) {
      const SemblanceMatch *m = &g_array_index (got, SemblanceMatch, i);
      double mr, sr, expected;

      by_mp[m->id - 1000]++;
      by_distance[g_array_index (raw, SemblanceMatch, i).id - 1000]++;
      sample_stats (v, n, dim, v + (gsize) (m->id - 1000) * dim, &mr, &sr);
      expected = 0.25 * erfc ((m->distance - mq) / sq / G_SQRT2) *
          erfc ((m->distance - mr) / sr / G_SQRT2);
      g_assert_cmpfloat_with_epsilon (m->proximity, expected,
          1e-3 * MAX (expected, 1e-3));
      if (i > 0)
        g_assert_cmpfloat (m->proximity, <=,
            g_array_index (got, SemblanceMatch, i - 1).proximity);
    }
  }
  for (i = 0; i < n; i++) {
    hub_d = MAX (hub_d, by_distance[i]);
    hub_mp = MAX (hub_mp, by_mp[i]);
  }
  g_test_message ("the most frequent result: in %u of 300 lists by "
      "distance, %u by mutual proximity", hub_d, hub_mp);
  g_assert_cmpuint (hub_mp, <, hub_d);
}

/* A catalog of @n tracks for comparing the two ways of ranking: @kind 0
 * spread evenly, 1 on a coarse grid (many equal distances), 2 with copies
 * of earlier tracks (distance 0 to several), 3 a dense core among sparse
 * tracks (hubs), 4 copies of three tracks only (every distance ties
 * with a third of the others); few artists and albums, so that the
 * filters reject many. */
static SemblanceCatalog *
ranking_catalog (guint n, guint out, guint kind, guint32 seed,
                 float **vectors)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  SemblanceCatalog *c = semblance_catalog_new (out);
  guint dim = SEMBLANCE_N_GROUPS * out, i, k;

  *vectors = g_new (float, (gsize) MAX (n, 1) * dim);
  for (i = 0; i < n; i++) {
    float *x = *vectors + (gsize) i * dim;
    g_autofree char *artist = g_strdup_printf ("artist %u", i % (kind + 3));
    g_autofree char *album = g_strdup_printf ("album %u", i % (3 * kind + 5));

    for (k = 0; k < dim; k++) {
      double u = g_rand_double_range (rand, -1, 1);

      if (kind == 1)
        u = floor (u * 2.0) / 2.0;
      else if (kind == 3)
        u *= i % 5 == 0 ? 0.1 : 1 + i % 7;
      x[k] = (float) u;
    }
    if (kind == 2 && i > 0 && g_rand_int_range (rand, 0, 3) == 0)
      memcpy (x, *vectors + (gsize) g_rand_int_range (rand, 0, i) * dim,
          dim * sizeof (float));
    if (kind == 4 && i >= 3)
      memcpy (x, *vectors + (gsize) (i % 3) * dim, dim * sizeof (float));
    semblance_catalog_add (c, 1000 + i, x, i % 11 ? artist : NULL,
        i % 13 ? album : NULL, 60.0 + i % 200);
  }
  return c;
}

static void
assert_same_matches (GArray *a, GArray *b)
{
  guint i;

  g_assert_cmpuint (a->len, ==, b->len);
  for (i = 0; i < a->len; i++) {
    const SemblanceMatch *x = &g_array_index (a, SemblanceMatch, i);
    const SemblanceMatch *y = &g_array_index (b, SemblanceMatch, i);

    g_assert_cmpint (x->id, ==, y->id);
    /* To the last bit. */
    g_assert_cmpmem (&x->distance, sizeof x->distance, &y->distance,
        sizeof y->distance);
    g_assert_cmpmem (&x->proximity, sizeof x->proximity, &y->proximity,
        sizeof y->proximity);
    g_assert_cmpmem (x->closeness, sizeof x->closeness, y->closeness,
        sizeof y->closeness);
  }
}

/* Every track's distance statistics, computed the same way in @a and @b:
 * one query that ranks every track. */
static void
compute_all_statistics (SemblanceCatalog *a, SemblanceCatalog *b, guint n,
                        const float *x)
{
  SemblanceQueryOptions o;
  g_autoptr (GArray) ra = NULL;
  g_autoptr (GArray) rb = NULL;

  semblance_query_options_init (&o);
  o.n = n;
  ra = semblance_catalog_nearest (a, x, &o);
  rb = semblance_catalog_nearest (b, x, &o);
  assert_same_matches (ra, rb);
}

/* @queries random queries, each on @fast and on @all (which ranks every
 * candidate), with the same results to the last bit. */
static guint
compare_rankings (SemblanceCatalog *fast, SemblanceCatalog *all,
                  const float *v, guint n, guint dim, guint queries,
                  guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  guint q, found = 0;

  for (q = 0; q < queries; q++) {
    SemblanceQueryOptions o;
    gint64 seeds[3], exclude[3];
    guint n_seeds = 1 + q % 3, n_exclude = q % 4, i;
    g_autoptr (GArray) a = NULL;
    g_autoptr (GArray) b = NULL;

    semblance_query_options_init (&o);
    o.n = 1 + g_rand_int_range (rand, 0, 60);
    if (q % 2)
      o.max_per_artist = g_rand_int_range (rand, 0, 4);
    if (q % 3 == 0)
      o.max_per_album = g_rand_int_range (rand, 0, 3);
    o.exclude_seed_albums = q % 4 == 1;
    o.keep_seeds = q % 5 == 2;
    if (q % 7 == 3) {
      o.min_duration = 100;
      o.max_duration = 200;
    }
    for (i = 0; i < n_seeds; i++)
      seeds[i] = 1000 + g_rand_int_range (rand, 0, n);
    for (i = 0; i < n_exclude; i++)
      exclude[i] = 1000 + g_rand_int_range (rand, 0, n);
    if (q % 6 == 5) {
      const float *x = v + (gsize) g_rand_int_range (rand, 0, n) * dim;

      a = semblance_catalog_nearest_excluding (fast, x, exclude, n_exclude,
          &o);
      b = semblance_catalog_nearest_excluding (all, x, exclude, n_exclude,
          &o);
    } else {
      a = semblance_catalog_similar_excluding (fast, seeds, n_seeds,
          exclude, n_exclude, &o, NULL);
      b = semblance_catalog_similar_excluding (all, seeds, n_seeds, exclude,
          n_exclude, &o, NULL);
    }
    assert_same_matches (a, b);
    found += a->len;
  }
  return found;
}

/* Queries rank by mutual proximity only the candidates that can still
 * reach their results: they give exactly what ranking every candidate
 * gives, on tiny catalogs, with ties, copies and hubs, under every
 * filter. */
static void
test_mutual_proximity_pruned (void)
{
  const guint sizes[] = { 1, 2, 3, 5, 8, 17, 40, 100, 257, 300, 1000, 3000 };
  guint s, kind, out, checked = 0, found = 0;

  /* With every track's statistics known beforehand: for some shapes,
   * BLIS's kernels for small products give an element's last bits by the
   * shape of the whole product and its place in it, and so a track's
   * statistics by which others were computed with it (measured with BLIS
   * 0.9: 5-value vectors and 257 tracks, 40 values and 17 tracks). */
  for (s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (kind = 0; kind < 4; kind++)
      for (out = 1; out <= 8; out *= 8) {
        guint n = sizes[s], dim = SEMBLANCE_N_GROUPS * out;
        guint32 seed = n * 8 + kind * 2 + out;
        g_autofree float *v = NULL, *w = NULL;
        g_autoptr (SemblanceCatalog) fast = ranking_catalog (n, out, kind,
            seed, &v);
        g_autoptr (SemblanceCatalog) all = ranking_catalog (n, out, kind,
            seed, &w);

        semblance_catalog_set_exhaustive (all, TRUE);
        compute_all_statistics (fast, all, n, v);
        found += compare_rankings (fast, all, v, n, dim, 40, seed);
        checked += 40;
      }
  /* Statistics computed as the queries need them, on the shape of the
   * default model (40 values) and a sample of 512, where the statistics do
   * not depend on the others computed with them. */
  for (kind = 0; kind < 4; kind++) {
    g_autofree float *v = NULL, *w = NULL;
    g_autoptr (SemblanceCatalog) fast = ranking_catalog (3000, 8, kind,
        kind, &v);
    g_autoptr (SemblanceCatalog) all = ranking_catalog (3000, 8, kind, kind,
        &w);

    semblance_catalog_set_exhaustive (all, TRUE);
    found += compare_rankings (fast, all, v, 3000, SEMBLANCE_N_GROUPS * 8,
        100, kind);
    checked += 100;
  }
  g_test_message ("%u queries, %u results, the same both ways", checked,
      found);
}

/* Queries shortlist from the compact copy of the vectors: the same
 * results, to the last bit, as from every exact distance, ranked by mutual
 * proximity and by distance alone, and the same paths, on catalogs smaller
 * and larger than the shortlist, with ties, copies and hubs, under every
 * filter (some reject so many that the query widens its net to every
 * track). */
static void
test_compact_same_as_exact (void)
{
  const guint sizes[] = { 1, 2, 20, 255, 256, 257, 700, 3000, 6000 };
  const guint outs[] = { 1, 8, 12 };
  guint s, kind, o_i, checked = 0, found = 0;

  for (s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (kind = 0; kind < 5; kind++)
      for (o_i = 0; o_i < G_N_ELEMENTS (outs); o_i++) {
        guint n = sizes[s], out = outs[o_i], dim = SEMBLANCE_N_GROUPS * out;
        guint32 seed = n * 16 + kind * 4 + o_i;
        guint queries = n >= 3000 ? 8 : 20, q;
        g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
        g_autofree float *v = NULL, *w = NULL;
        g_autoptr (SemblanceCatalog) compact = ranking_catalog (n, out,
            kind, seed, &v);
        g_autoptr (SemblanceCatalog) exact = ranking_catalog (n, out, kind,
            seed, &w);

        semblance_catalog_set_compact (exact, FALSE);
        found += compare_rankings (compact, exact, v, n, dim, queries, seed);
        checked += queries;
        for (q = 0; q < queries; q++) {
          SemblanceQueryOptions o;
          gint64 seed_id = 1000 + g_rand_int_range (rand, 0, n);
          gint64 to = 1000 + g_rand_int_range (rand, 0, n);
          g_autoptr (GArray) a = NULL;
          g_autoptr (GArray) b = NULL;

          semblance_query_options_init (&o);
          o.mutual_proximity = FALSE;
          o.n = 1 + g_rand_int_range (rand, 0, 60);
          o.max_per_artist = q % 3;
          o.exclude_seed_albums = q % 2;
          a = semblance_catalog_similar (compact, &seed_id, 1, &o, NULL);
          b = semblance_catalog_similar (exact, &seed_id, 1, &o, NULL);
          assert_same_matches (a, b);
          found += a->len;
          checked++;
          /* A query vector of its own, from a thousandth of the tracks'
           * spread to a thousand times it. */
          if (q % 5 == 1) {
            g_autofree float *x = g_new (float, dim);
            g_autoptr (GArray) xa = NULL;
            g_autoptr (GArray) xb = NULL;
            guint k;

            for (k = 0; k < dim; k++)
              x[k] = (float) (g_rand_double_range (rand, -1, 1) *
                  pow (10.0, (double) (q % 7) - 3.0));
            o.mutual_proximity = q % 2;
            xa = semblance_catalog_nearest (compact, x, &o);
            xb = semblance_catalog_nearest (exact, x, &o);
            assert_same_matches (xa, xb);
          }
          if (q % 5 == 0 && n >= 2) {
            g_autoptr (GArray) pa = NULL;
            g_autoptr (GArray) pb = NULL;

            pa = semblance_catalog_path (compact, seed_id, to, 6, NULL);
            pb = semblance_catalog_path (exact, seed_id, to, 6, NULL);
            assert_same_matches (pa, pb);
          }
        }
      }
  g_test_message ("%u queries, %u results, the same both ways", checked,
      found);
  g_assert_cmpuint (found, >, 0);
}

static void
test_similar_options (void)
{
  const guint n = 2000;
  g_autofree float *v = NULL;
  g_autoptr (SemblanceCatalog) c = random_catalog (n, 2, &v);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) got = NULL;
  g_autoptr (GArray) missing = NULL;
  SemblanceQueryOptions o;
  gint64 seeds[2] = { 1005, 1006 };
  guint per_artist[7] = { 0 }, i, g;

  semblance_query_options_init (&o);
  o.n = 30;
  o.exclude_seed_albums = TRUE;
  o.max_per_artist = 5;
  o.min_duration = 100;
  o.max_duration = 300;
  got = semblance_catalog_similar (c, seeds, 2, &o, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got->len, ==, 30);
  for (i = 0; i < got->len; i++) {
    const SemblanceMatch *m = &g_array_index (got, SemblanceMatch, i);
    guint r = m->id - 1000;

    g_assert_cmpint (m->id, !=, 1005);
    g_assert_cmpint (m->id, !=, 1006);
    g_assert_cmpuint (r % 13, !=, 5);      /* the seeds' albums */
    g_assert_cmpuint (r % 13, !=, 6);
    g_assert_cmpfloat (60.0 + r % 300, >=, 100);
    per_artist[r % 7]++;
    for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
      g_assert_cmpfloat (m->closeness[g], >, 0.0f);
      g_assert_cmpfloat (m->closeness[g], <=, 1.0f);
    }
  }
  for (i = 0; i < 7; i++)
    g_assert_cmpuint (per_artist[i], <=, 5);

  /* One track per album: the 11 albums other than the seeds'. */
  {
    g_autoptr (GArray) one_each = NULL;
    guint per_album[13] = { 0 };

    o.max_per_album = 1;
    o.max_per_artist = 0;
    o.n = 20;
    one_each = semblance_catalog_similar (c, seeds, 2, &o, &error);
    g_assert_cmpuint (one_each->len, ==, 11);
    for (i = 0; i < one_each->len; i++)
      per_album[(g_array_index (one_each, SemblanceMatch, i).id - 1000) %
          13]++;
    for (i = 0; i < 13; i++)
      g_assert_cmpuint (per_album[i], ==, i == 5 || i == 6 ? 0 : 1);
  }

  missing = semblance_catalog_similar (c, (gint64[]) { 42 }, 1, &o, &error);
  g_assert_null (missing);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_path (void)
{
  const guint n = 500;
  g_autofree float *v = NULL;
  g_autoptr (SemblanceCatalog) c = random_catalog (n, 3, &v);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) path = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_int64_hash,
      g_int64_equal);
  guint i;

  path = semblance_catalog_path (c, 1000, 1001, 8, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (path->len, ==, 8);
  for (i = 0; i < path->len; i++) {
    SemblanceMatch *m = &g_array_index (path, SemblanceMatch, i);

    g_assert_cmpint (m->id, !=, 1000);
    g_assert_cmpint (m->id, !=, 1001);
    g_assert_false (g_hash_table_contains (seen, &m->id));
    g_hash_table_add (seen, &m->id);
  }
  /* The path moves from A towards B. */
  g_assert_cmpfloat (dist (v + 0 * DIM, v + (g_array_index (path,
                  SemblanceMatch, 0).id - 1000) * DIM), <,
      dist (v + 0 * DIM, v + (g_array_index (path, SemblanceMatch, 7).id -
              1000) * DIM));
}

static void
test_small_and_empty (void)
{
  g_autoptr (SemblanceCatalog) c = semblance_catalog_new (OUT);
  float one[DIM] = { 0 };
  SemblanceQueryOptions o;
  g_autoptr (GArray) none = NULL;
  g_autoptr (GArray) only = NULL;

  semblance_query_options_init (&o);
  none = semblance_catalog_nearest (c, one, &o);
  g_assert_cmpuint (none->len, ==, 0);
  semblance_catalog_add (c, 7, one, NULL, NULL, 0);
  only = semblance_catalog_similar (c, (gint64[]) { 7 }, 1, &o, NULL);
  g_assert_cmpuint (only->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/catalog/nearest-matches-brute-force",
      test_nearest_matches_brute_force);
  g_test_add_func ("/catalog/mutual-proximity", test_mutual_proximity);
  g_test_add_func ("/catalog/mutual-proximity-pruned",
      test_mutual_proximity_pruned);
  g_test_add_func ("/catalog/compact-same-as-exact",
      test_compact_same_as_exact);
  g_test_add_func ("/catalog/similar-options", test_similar_options);
  g_test_add_func ("/catalog/path", test_path);
  g_test_add_func ("/catalog/small-and-empty", test_small_and_empty);
  return g_test_run ();
}
