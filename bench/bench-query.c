/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * "More like this" at library scale: the CPU time of a top-20 query at
 * 10,000, 100,000 and 1,000,000 synthetic tracks, their vectors extended
 * by the blend with the predicted semantic distance as the library
 * extends them (through a synthetic map), ranked by mutual
 * proximity (the default, which shortlists from the compact copy of the
 * vectors), the same from every exact distance (the way before the compact
 * copy), by mutual proximity with every candidate ranked (the
 * straightforward way; all three give the same results), and by distance
 * alone, against sorting every distance (the baseline), the kinds in turn
 * in one run; the one-time cost of the distance statistics that mutual
 * proximity needs, and of the blend's fit and extension; the top-20 query
 * without the blend's values, as before the blend; memory per track in
 * RAM and bytes per track in the database. Times are this thread's CPU
 * time, medians over the queries: the machine may be shared.
 *
 * Usage: bench-query
 */
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "semblance.h"
#include "semblance-blend.h"
#include "semblance-store-private.h"

#define OUT 12
#define DIM (SEMBLANCE_N_GROUPS * OUT)
/* The default model's semantic dimensions. */
#define SEMANTIC_DIM 100
#define QUERIES 60
/* Queries that the baseline, the slowest by far, also answers. */
#define BASELINE_QUERIES 15

static int
compare_floats (const void *a, const void *b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return (x > y) - (x < y);
}

static double
cpu_ms (void)
{
  struct timespec t;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static gboolean
same_matches (GArray *a, GArray *b)
{
  guint i;

  if (a->len != b->len)
    return FALSE;
  for (i = 0; i < a->len; i++) {
    const SemblanceMatch *x = &g_array_index (a, SemblanceMatch, i);
    const SemblanceMatch *y = &g_array_index (b, SemblanceMatch, i);

    if (x->id != y->id || memcmp (&x->distance, &y->distance, sizeof
            x->distance) || memcmp (&x->proximity, &y->proximity, sizeof
            x->proximity))
      return FALSE;
  }
  return TRUE;
}

static double
median (double *v, guint n)
{
  guint i, j;

  for (i = 1; i < n; i++)
    for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
      double t = v[j];

      v[j] = v[j - 1];
      v[j - 1] = t;
    }
  return v[n / 2];
}

/* A model of the catalog's vectors with a map to SEMANTIC_DIM values of
 * @rand's. */
static SemblanceModel *
synthetic_model (GRand *rand)
{
  SemblanceModel *m = g_new0 (SemblanceModel, 1);
  guint i;

  m->n_groups = SEMBLANCE_N_GROUPS;
  m->group_out = OUT;
  m->semantic_dim = SEMANTIC_DIM;
  m->semantic_map = g_new (float, DIM * SEMANTIC_DIM);
  m->semantic_bias = g_new (float, SEMANTIC_DIM);
  for (i = 0; i < DIM * SEMANTIC_DIM; i++)
    m->semantic_map[i] = (float) g_rand_double_range (rand, -0.2, 0.2);
  for (i = 0; i < SEMANTIC_DIM; i++)
    m->semantic_bias[i] = (float) g_rand_double_range (rand, 0.0, 1.0);
  return m;
}

/* Extends @c as the library extends its catalog; the CPU time it took. */
static double
extend (SemblanceCatalog *c, GRand *rand)
{
  SemblanceModel *m = synthetic_model (rand);
  double start = cpu_ms (), ms;
  g_autoptr (SemblanceBlend) b = semblance_catalog_blend (c, m,
      SEMBLANCE_BLEND_RANK);

  ms = cpu_ms () - start;
  g_assert (b);
  g_free (m->semantic_map);
  g_free (m->semantic_bias);
  g_free (m);
  return ms;
}

static void
bench_size (guint n)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (n);
  g_autoptr (SemblanceCatalog) c = semblance_catalog_new (OUT);
  g_autoptr (SemblanceCatalog) unblended = semblance_catalog_new (OUT);
  g_autofree float *v = g_new (float, (gsize) n * DIM);
  g_autofree float *all = g_new (float, n);
  double ours[QUERIES], every[QUERIES], full[QUERIES], plain_ms[QUERIES];
  double before[QUERIES];
  double sorted[BASELINE_QUERIES], first, start, blend_ms;
  SemblanceQueryOptions o, plain;
  const float *x;
  guint i, q, k, dim, same = 0, same_full = 0;

  for (i = 0; i < (gsize) n * DIM; i++)
    v[i] = (float) g_rand_double_range (rand, -1, 1);
  for (i = 0; i < n; i++) {
    g_autofree char *artist = g_strdup_printf ("artist %u", i % 5000);
    g_autofree char *album = g_strdup_printf ("album %u", i % 20000);

    semblance_catalog_add (c, i, v + (gsize) i * DIM, artist, album, 200);
    /* The vectors as they were before the blend, for its cost. */
    semblance_catalog_add (unblended, i, v + (gsize) i * DIM, artist, album,
        200);
  }
  blend_ms = extend (c, rand);
  x = semblance_catalog_get_vectors (c);
  dim = semblance_catalog_get_dim (c);
  semblance_query_options_init (&o);
  o.max_per_artist = 3;
  o.exclude_seed_albums = TRUE;
  plain = o;
  plain.mutual_proximity = FALSE;

  /* The first query after the tracks came computes the sample that the
   * statistics are measured against, and its candidates' statistics. */
  {
    gint64 seed = 0;
    g_autoptr (GArray) got = NULL, warm = NULL;

    start = cpu_ms ();
    got = semblance_catalog_similar (c, &seed, 1, &o, NULL);
    first = cpu_ms () - start;
    warm = semblance_catalog_similar (unblended, &seed, 1, &o, NULL);
  }

  for (q = 0; q < QUERIES; q++) {
    /* Each way of ranking gets seeds of its own, whose candidates' statistics
     * are not known yet, and goes first every other time. */
    gint64 seed = g_rand_int_range (rand, 0, n);
    gint64 seed_every = g_rand_int_range (rand, 0, n);
    gint64 seed_full = g_rand_int_range (rand, 0, n);
    gint64 seed_before = g_rand_int_range (rand, 0, n);
    const float *s = x + (gsize) seed * dim;
    g_autoptr (GArray) got = NULL, got_every = NULL, got_plain = NULL;
    g_autoptr (GArray) got_full = NULL, check = NULL, check_full = NULL;
    g_autoptr (GArray) got_before = NULL;
    guint turn;

    for (turn = 0; turn < 4; turn++) {
      guint kind = (turn + q) % 4;

      if (kind == 3) {
        start = cpu_ms ();
        got_before = semblance_catalog_similar (unblended, &seed_before, 1,
            &o, NULL);
        before[q] = cpu_ms () - start;
        continue;
      }

      semblance_catalog_set_exhaustive (c, kind == 1);
      semblance_catalog_set_compact (c, kind != 2);
      start = cpu_ms ();
      if (kind == 0) {
        got = semblance_catalog_similar (c, &seed, 1, &o, NULL);
        ours[q] = cpu_ms () - start;
      } else if (kind == 1) {
        got_every = semblance_catalog_similar (c, &seed_every, 1, &o, NULL);
        every[q] = cpu_ms () - start;
      } else {
        got_full = semblance_catalog_similar (c, &seed_full, 1, &o, NULL);
        full[q] = cpu_ms () - start;
      }
    }
    g_assert (got->len == 20 && got_every->len == 20 && got_full->len == 20);
    /* The same seed again, from every exact distance, then also with every
     * candidate ranked: the same results. */
    semblance_catalog_set_exhaustive (c, FALSE);
    semblance_catalog_set_compact (c, FALSE);
    check_full = semblance_catalog_similar (c, &seed, 1, &o, NULL);
    same_full += same_matches (got, check_full);
    semblance_catalog_set_exhaustive (c, TRUE);
    check = semblance_catalog_similar (c, &seed, 1, &o, NULL);
    same += same_matches (got, check);
    semblance_catalog_set_exhaustive (c, FALSE);
    semblance_catalog_set_compact (c, TRUE);
    start = cpu_ms ();
    got_plain = semblance_catalog_similar (c, &seed, 1, &plain, NULL);
    plain_ms[q] = cpu_ms () - start;

    if (q >= BASELINE_QUERIES)
      continue;
    /* Baseline: every distance, then a full sort. */
    start = cpu_ms ();
    for (i = 0; i < n; i++) {
      double d = 0.0;

      for (k = 0; k < dim; k++)
        d += (x[(gsize) i * dim + k] - s[k]) * (x[(gsize) i * dim + k] - s[k]);
      all[i] = (float) d;
    }
    qsort (all, n, sizeof (float), compare_floats);
    sorted[q] = cpu_ms () - start;
  }
  g_print ("  %8u tracks: top-20 in %7.2f ms by mutual proximity (%7.2f ms "
      "without the blend's values, as before it, %.2fx; %7.2f ms "
      "from every exact distance, as before, %.2fx, same results in %u of "
      "%d; %7.2f ms ranking every candidate, %.2fx, same results in %u of "
      "%d), %7.2f ms by distance (medians of %d); baseline (all distances, "
      "full sort) %8.2f ms, ratio %.1fx; first query, with the sample, "
      "%.1f ms; the blend's fit and extension %.1f ms\n", n,
      median (ours, QUERIES), median (before, QUERIES), median (ours,
          QUERIES) / median (before, QUERIES), median (full, QUERIES),
      median (full, QUERIES) / median (ours, QUERIES), same_full, QUERIES,
      median (every, QUERIES), median (every, QUERIES) / median (ours,
          QUERIES), same, QUERIES,
      median (plain_ms, QUERIES), QUERIES, median (sorted, BASELINE_QUERIES),
      median (sorted, BASELINE_QUERIES) / median (ours, QUERIES), first,
      blend_ms);
}

static void
bench_disk (guint n)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  g_autoptr (SemblanceStore) store = semblance_store_open (path, NULL);
  float features[SEMBLANCE_FEATURE_DIM], vector[DIM];
  GStatBuf st;
  guint i;

  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++)
    features[i] = (float) i;
  for (i = 0; i < DIM; i++)
    vector[i] = (float) i;
  semblance_store_begin (store, NULL);
  for (i = 0; i < n; i++) {
    g_autofree char *uri = g_strdup_printf ("file:///home/user/Music/Artist "
        "%u/Album %u/%02u Some Title.flac", i % 500, i % 2000, i % 12);
    SemblanceTrackInfo info = { uri, 30000000, 1700000000, 240, "Some Title",
      "Artist", "Album", "Artist", "Rock", i % 12 };
    gint64 id = semblance_store_put_track (store, &info, NULL);

    semblance_store_set_features (store, id, SEMBLANCE_LAYOUT_VERSION,
        features, SEMBLANCE_FEATURE_DIM, NULL);
    semblance_store_set_vector (store, id, "0123456789abcdef0123456789abcdef"
        "0123456789abcdef0123456789abcdef", vector, DIM, NULL);
  }
  semblance_store_commit (store, NULL);
  g_clear_pointer (&store, semblance_store_close);
  g_stat (path, &st);
  g_print ("database: %.0f bytes per track (%u tracks with tags, features "
      "and one model's vectors)\n", (double) st.st_size / n, n);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (void)
{
  g_autoptr (SemblanceCatalog) c = semblance_catalog_new (OUT);

  semblance_catalog_extend (c, SEMBLANCE_BLEND_RANK, NULL);
  g_print ("queries (60-value property vectors and the blend's %d values, "
      "cap 3 per artist, seed's album excluded; this thread's CPU time)\n",
      SEMBLANCE_BLEND_RANK);
  bench_size (10000);
  bench_size (100000);
  bench_size (1000000);
  g_print ("memory: %" G_GSIZE_FORMAT " bytes per track in RAM (plus each "
      "distinct artist and album name once)\n",
      semblance_catalog_bytes_per_track (c));
  bench_disk (20000);
  return 0;
}
