/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The quality benchmark's scoring, on collections small enough to score by
 * hand, and its reading of the 4Q metadata and folds. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "quality-eval.h"
#include "quality-sets.h"

/* Five points on a line: 0, 1, 3, 6, 10. */
static float *
line_distances (guint *n)
{
  static const float x[] = { 0, 1, 3, 6, 10 };

  *n = G_N_ELEMENTS (x);
  return quality_euclidean (x, *n, 1);
}

static void
test_neighbours (void)
{
  guint n, k = 2;
  g_autofree float *d = line_distances (&n);
  g_autofree guint *nb = quality_neighbours (d, n, k);
  static const guint expected[] = { 1, 2, 0, 2, 1, 0, 2, 4, 3, 2 };
  float tie[] = { 0, 1, 1, 1, 0, 1, 1, 1, 0 };
  g_autofree guint *tnb = quality_neighbours (tie, 3, 2);

  g_assert_cmpmem (nb, n * k * sizeof (guint), expected, sizeof expected);
  /* Ties go to the lower index. */
  g_assert_cmpuint (tnb[0], ==, 1);
  g_assert_cmpuint (tnb[1], ==, 2);
  g_assert_cmpuint (tnb[2], ==, 0);
  g_assert_cmpuint (tnb[3], ==, 2);
}

static void
test_precision_and_hubness (void)
{
  guint n, k = 2, largest;
  g_autofree float *d = line_distances (&n);
  g_autofree guint *nb = quality_neighbours (d, n, k);
  const char *labels[] = { "a", "a", "b", "b", NULL };
  double skew;

  /* Query 0: {1: a, 2: b} 1/2; 1: {0 a, 2 b} 1/2; 2: {1 a, 0 a} 0;
   * 3: {2 b, 1 a} 1/2; 4 skipped. */
  g_assert_cmpfloat_with_epsilon (quality_label_precision (nb, n, k,
          labels), 1.5 / 4, 1e-12);
  /* Occurrences 2, 2, 4, 1, 1: mean 2, m2 = 6/5, m3 = 6/5, skewness
   * 1.2 / 1.2^1.5. */
  quality_hubness (nb, n, k, &skew, &largest);
  g_assert_cmpuint (largest, ==, 4);
  g_assert_cmpfloat_with_epsilon (skew, 1.0 / sqrt (1.2), 1e-12);
}

/* Text queries' lists: precision of one list, and the worst hub's share
 * of the lists. */
static void
test_query_lists (void)
{
  /* Three queries of two results each over four tracks. */
  const guint lists[] = { 0, 1, 1, 2, 1, 3 };
  const gboolean relevant[] = { TRUE, FALSE, TRUE, FALSE };

  g_assert_cmpfloat_with_epsilon (quality_list_precision (lists, 0, 2,
          relevant), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (quality_list_precision (lists, 1, 2,
          relevant), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (quality_list_precision (lists, 2, 2,
          relevant), 0.0, 1e-12);
  /* Track 1 is in all three lists. */
  g_assert_cmpfloat_with_epsilon (quality_largest_share (lists, 3, 2, 4),
      1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (quality_largest_share (lists + 2, 2, 2,
          4), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (quality_largest_share (lists, 1, 2, 4),
      1.0, 1e-12);
  {
    const guint spread[] = { 0, 1, 2, 3, 0, 2 };
    guint count;

    g_assert_cmpfloat_with_epsilon (quality_largest_share (spread, 3, 2, 4),
        2.0 / 3.0, 1e-12);
    /* Tracks 0 and 2 are in two lists each: the first is named. */
    g_assert_cmpuint (quality_most_listed (spread, 3, 2, 4, &count), ==, 0);
    g_assert_cmpuint (count, ==, 2);
    g_assert_cmpuint (quality_most_listed (lists, 3, 2, 4, &count), ==, 1);
    g_assert_cmpuint (count, ==, 3);
    /* No lists: the first track, in none. */
    g_assert_cmpuint (quality_most_listed (lists, 0, 2, 4, &count), ==, 0);
    g_assert_cmpuint (count, ==, 0);
  }
}

/* The describing words' counts: shown words, right words, and the tracks
 * shown none. */
static void
test_words_count (void)
{
  g_autoptr (GHashTable) a = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) b = g_hash_table_new (g_str_hash, g_str_equal);
  char *first[] = { "calm", "sad", "epic", NULL }, *second[] = { NULL };
  char *third[] = { "gloomy", NULL };
  char **shown[] = { first, second, third };
  GHashTable *accepted[] = { a, b, b };
  guint none = 99, right = 99, total = 99;

  g_hash_table_add (a, "calm");
  g_hash_table_add (a, "epic");
  g_hash_table_add (b, "sad");
  /* calm and epic right, sad wrong; gloomy wrong: 2 of 4. */
  quality_words_count (shown, accepted, 3, &right, &total, &none);
  g_assert_cmpuint (right, ==, 2);
  g_assert_cmpuint (total, ==, 4);
  g_assert_cmpuint (none, ==, 1);
  quality_words_count (shown + 1, accepted + 1, 1, &right, &total, &none);
  g_assert_cmpuint (right, ==, 0);
  g_assert_cmpuint (total, ==, 0);
  g_assert_cmpuint (none, ==, 1);
}

static void
test_sets (void)
{
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, NULL);
  QualitySet sets[3];
  float d[] = { 0, 1, 2, 1, 0, 2, 2, 2, 0 };
  g_autofree guint *nb = quality_neighbours (d, 3, 1);
  guint i;

  quality_set_parse (&sets[0], "Calm; Peaceful;calm", ';', names);
  quality_set_parse (&sets[1], "peaceful; Sad", ';', names);
  quality_set_parse (&sets[2], "", ';', names);
  g_assert_cmpuint (sets[0].n, ==, 2);
  g_assert_cmpuint (sets[1].n, ==, 2);
  g_assert_cmpuint (sets[2].n, ==, 0);
  g_assert_cmpuint (g_hash_table_size (names), ==, 3);
  /* 0 and 1 are each other's neighbour: Jaccard 1/3 each; 2 is skipped. */
  g_assert_cmpfloat_with_epsilon (quality_set_jaccard (nb, 3, 1, sets),
      1.0 / 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (quality_set_precision (nb, 3, 1, sets),
      1.0, 1e-12);
  for (i = 0; i < 3; i++)
    quality_set_clear (&sets[i]);
}

static void
test_mutual_proximity (void)
{
  /* Track 0 is a hub, near everything; 1 and 2 are near each other and
   * far from 3. By distance 0 is everyone's nearest; by mutual proximity 2
   * is 1's. */
  float d[] = {
    0.0f, 1.0f, 1.0f, 1.0f,
    1.0f, 0.0f, 1.2f, 3.0f,
    1.0f, 1.2f, 0.0f, 3.0f,
    1.0f, 3.0f, 3.0f, 0.0f,
  };
  g_autofree guint *before = quality_neighbours (d, 4, 1);
  g_autofree float *mp = quality_mutual_proximity (d, 4);
  g_autofree guint *after = quality_neighbours (mp, 4, 1);

  g_assert_cmpuint (before[1], ==, 0);
  g_assert_cmpuint (after[1], ==, 2);
  g_assert_cmpfloat (mp[0], ==, 0.0f);
  g_assert_cmpfloat (mp[1 * 4 + 2], ==, mp[2 * 4 + 1]);
  g_assert_cmpfloat (mp[1 * 4 + 2], >, 0.0f);
}

static void
test_zscore_and_spearman (void)
{
  float x[] = { 1, 10, 2, 10, 3, 10 };
  g_autofree float *z = quality_zscore (x, 3, 2);
  g_autofree float *d = NULL;
  float e[] = { 0, 5, 9, 5, 0, 4, 9, 4, 0 };

  g_assert_cmpfloat_with_epsilon (z[0], -1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (z[4], 1.0, 1e-6);
  g_assert_cmpfloat (z[1], ==, 0.0f);
  d = quality_euclidean (z, 3, 2);
  /* Pairs (0,1), (0,2), (1,2): 1, 2, 1 against 5, 9, 4, ranks 1.5, 3,
   * 1.5 against 2, 3, 1. */
  g_assert_cmpfloat_with_epsilon (quality_matrix_spearman (d, e, 3),
      1.5 / sqrt (3.0), 1e-6);
}

static void
test_4q_table (void)
{
  g_autofree char *dir = g_dir_make_tmp ("quality-4q-XXXXXX", NULL);
  g_autofree char *table = g_build_filename (dir,
      "panda_dataset_taffc_metadata.csv", NULL);
  g_autofree char *folds = g_build_filename (dir, "folds", NULL);
  g_autofree char *fold_file = NULL, *text = NULL;
  /* Latin-1: "Beyonc\xe9". */
  const char csv[] = "\"Song\",\"Artist\",\"Title\",\"Quadrant\","
      "\"MoodsStrSplit\",\"GenresStr\",\"PQuad\"\n"
      "\"A1\",\"Beyonc\xe9\",\"Halo\tHalo\",\"Q1\",\"Happy; Fun\","
      "\"Pop/Rock\",0.5\n"
      "\"A2\",\"Someone \"\"Q\"\"\",\"Rage, Again\",\"Q2\",\"Angry\","
      "\"Rap; Electronic\",1\n";
  g_autoptr (GPtrArray) clips = NULL;
  g_autoptr (GError) error = NULL;
  guint q, i, total = 0;

  g_assert_true (g_file_set_contents (table, csv, sizeof csv - 1, NULL));
  for (q = 1; q <= 4; q++) {
    g_autofree char *name = g_strdup_printf ("Q%u", q);
    g_autofree char *sub = g_build_filename (dir, name, NULL);

    g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
    if (q <= 2) {
      g_autofree char *clip = g_strdup_printf ("%s/A%u.mp3", sub, q);

      g_assert_true (g_file_set_contents (clip, "", 0, NULL));
    }
  }
  clips = quality_4q_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clips->len, ==, 2);
  {
    const QualityClip *a = clips->pdata[0], *b = clips->pdata[1];
    g_autofree char *desc = quality_clip_description (a);
    g_autofree char *tags = quality_clip_tag_description (a);
    g_autofree char *tags_b = quality_clip_tag_description (b);

    g_assert_cmpstr (a->artist, ==, "Beyonc\xc3\xa9");
    g_assert_cmpstr (a->label, ==, "Q1");
    g_assert_cmpstr (b->artist, ==, "Someone \"Q\"");
    g_assert_cmpstr (desc, ==, "happy, fun, pop/rock");
    /* A user's tags: genres and title, no moods, no TAB. */
    g_assert_cmpstr (tags, ==, "pop/rock, halo halo");
    g_assert_cmpstr (tags_b, ==, "rap, electronic, rage, again");
    /* The fold follows the artist, whatever its case. */
    g_assert_cmpuint (a->fold, ==, quality_artist_fold ("BEYONC\xc3\x89"));
  }
  g_assert_true (quality_write_folds (clips, folds, &error));
  g_assert_no_error (error);
  for (q = 1; q <= QUALITY_N_FOLDS; q++) {
    g_auto (GStrv) lines = NULL;

    g_free (fold_file);
    fold_file = g_strdup_printf ("%s/fold-%u-test.tsv", folds, q);
    g_clear_pointer (&text, g_free);
    g_assert_true (g_file_get_contents (fold_file, &text, NULL, NULL));
    lines = g_strsplit (text, "\n", -1);
    for (i = 0; lines[i]; i++)
      total += lines[i][0] == '/';
  }
  /* Every clip is held out exactly once. */
  g_assert_cmpuint (total, ==, 2);
  /* And trains in the other folds, in both kinds of table. */
  for (q = 1, total = 0; q <= QUALITY_N_FOLDS; q++) {
    const char *kinds[] = { "train", "train-tags" };

    for (i = 0; i < 2; i++) {
      g_autofree char *file = g_strdup_printf ("%s/fold-%u-%s.tsv", folds,
          q, kinds[i]);
      g_autofree char *body = NULL;

      g_assert_true (g_file_get_contents (file, &body, NULL, NULL));
      total += strstr (body, "A1.mp3\t") != NULL;
      total += strstr (body, "A2.mp3\t") != NULL;
    }
  }
  g_assert_cmpuint (total, ==, 2 * 2 * (QUALITY_N_FOLDS - 1));

  /* A clip whose folder says another quadrant than the table. */
  {
    g_autofree char *wrong = g_build_filename (dir, "Q3", "A1.mp3", NULL);
    g_autoptr (GPtrArray) none = NULL;

    g_assert_true (g_file_set_contents (wrong, "", 0, NULL));
    none = quality_4q_load (dir, &error);
    g_assert_null (none);
    g_assert_nonnull (strstr (error->message, "says Q1"));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/quality/neighbours", test_neighbours);
  g_test_add_func ("/quality/precision-hubness", test_precision_and_hubness);
  g_test_add_func ("/quality/sets", test_sets);
  g_test_add_func ("/quality/query-lists", test_query_lists);
  g_test_add_func ("/quality/words-count", test_words_count);
  g_test_add_func ("/quality/mutual-proximity", test_mutual_proximity);
  g_test_add_func ("/quality/zscore-spearman", test_zscore_and_spearman);
  g_test_add_func ("/quality/4q-table", test_4q_table);
  return g_test_run ();
}
