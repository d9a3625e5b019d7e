/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Text search in semantic space (semblance-search.h): the values of the
 * centred cosines, of the centred queries, of CSLS, of the hub count and
 * of the similarity,
 * short clips, exclusions and the z-scores of words and of queries, on
 * predictions whose answers are worked out by hand. */
#include <math.h>

#include "random-rows.h"
#include "semblance-search.h"

#define EPS 1e-5

/* Four tracks around a common component (0, 0, 5), which centring takes
 * away: t1 = +e1, t2 = -e1, t3 = +e2, t4 = -e2 once centred. */
static SemblanceSearch *
four_tracks (const float *references, guint n_references, double t3_seconds)
{
  const float p[4][3] = {
    { 1, 0, 5 }, { -1, 0, 5 }, { 0, 1, 5 }, { 0, -1, 5 },
  };
  SemblanceSearch *s = semblance_search_new (3, references, n_references);

  semblance_search_add (s, 1, p[0], 30.0);
  semblance_search_add (s, 2, p[1], 30.0);
  semblance_search_add (s, 3, p[2], t3_seconds);
  semblance_search_add (s, 4, p[3], 0.0);
  return s;
}

/* Two reference descriptions, e2 and e3: every query is centred on their
 * mean, (0, 0.5, 0.5). */
static const float e2_e3[] = { 0, 1, 0, 0, 0, 1 };

/* Into @q, the unit query whose centred form (the query less the mean c
 * of the @n @references) points along the unit @direction d: q = c + s d
 * with |q| = 1, s = -c.d + sqrt ((c.d)^2 - |c|^2 + 1). */
static void
toward (const float *references, guint n, const float *direction, float *q)
{
  double c[3] = { 0 }, cd = 0.0, cc = 0.0, step;
  guint r, j;

  for (r = 0; r < n; r++)
    for (j = 0; j < 3; j++)
      c[j] += references[r * 3 + j] / n;
  for (j = 0; j < 3; j++) {
    cd += c[j] * direction[j];
    cc += c[j] * c[j];
  }
  step = -cd + sqrt (cd * cd - cc + 1.0);
  for (j = 0; j < 3; j++)
    q[j] = (float) (c[j] + step * direction[j]);
}

static const SemblanceSearchMatch *
match (GArray *found, guint i)
{
  return &g_array_index (found, SemblanceSearchMatch, i);
}

static void
test_centred_cosine (void)
{
  g_autoptr (SemblanceSearch) s = four_tracks (e2_e3, 2, 30.0);
  /* Uncentred, the common component gives every track a cosine of 0.67
   * to 0.90 with this query; centred, the query's own (0, 0, 0.8) counts
   * for nothing: 0.6, 0, 0, -0.6. */
  const float d[] = { 0.6f, 0.0f, 0.8f };
  SemblanceSearchOptions o;
  g_autoptr (GArray) found = NULL;
  float q[3];

  toward (e2_e3, 2, d, q);
  semblance_search_options_init (&o);
  o.ranking = SEMBLANCE_SEARCH_COSINE;
  found = semblance_search_rank (s, q, &o);
  g_assert_cmpuint (found->len, ==, 4);
  g_assert_cmpint (match (found, 0)->id, ==, 1);
  g_assert_cmpfloat_with_epsilon (match (found, 0)->cosine, 0.6, EPS);
  g_assert_cmpfloat_with_epsilon (match (found, 1)->cosine, 0.0, EPS);
  g_assert_cmpfloat_with_epsilon (match (found, 2)->cosine, 0.0, EPS);
  g_assert_cmpint (match (found, 3)->id, ==, 2);
  g_assert_cmpfloat_with_epsilon (match (found, 3)->cosine, -0.6, EPS);
  g_assert_cmpfloat_with_epsilon (match (found, 0)->score, 0.6, EPS);
}

/* Three descriptions that share e2, as the mood words of a library lean
 * one way. Uncentred, t3 (+e2) is the best track for two opposite ones
 * (cosine 0.8 against 0.6): a hub. Centred on their mean (0, 0.8, 0.2),
 * each finds its own track: (0.6, 0, -0.2) is t1's, at 0.6 / sqrt (0.4),
 * and t3 is at 0. */
static void
test_centred_query (void)
{
  const float refs[] = { 0.6f, 0.8f, 0, -0.6f, 0.8f, 0, 0, 0.8f, 0.6f };
  g_autoptr (SemblanceSearch) s = four_tracks (refs, 3, 30.0);
  SemblanceSearchOptions o;
  g_autoptr (GArray) first = NULL, second = NULL;

  semblance_search_options_init (&o);
  o.ranking = SEMBLANCE_SEARCH_COSINE;
  first = semblance_search_rank (s, refs, &o);
  second = semblance_search_rank (s, refs + 3, &o);
  g_assert_cmpint (match (first, 0)->id, ==, 1);
  g_assert_cmpfloat_with_epsilon (match (first, 0)->cosine, 0.6 / sqrt (0.4),
      EPS);
  g_assert_cmpint (match (second, 0)->id, ==, 2);
  g_assert_cmpfloat_with_epsilon (match (second, 0)->cosine,
      0.6 / sqrt (0.4), EPS);
  /* t3 and t4, across, tie at 0. */
  g_assert_cmpfloat_with_epsilon (match (first, 1)->cosine, 0.0, EPS);
  g_assert_cmpfloat_with_epsilon (match (first, 2)->cosine, 0.0, EPS);
}

static void
test_csls (void)
{
  /* Two reference descriptions, e2 and e3, fewer than CSLS's
   * neighbourhood: a track's penalty is its mean cosine to both. t3 lies on
   * e2 (penalty 0.5), t4 opposite (-0.5), t1 and t2 across both (0). The
   * query, centred, is (0.6, 0.8, 0). */
  const float d[] = { 0.6f, 0.8f, 0.0f };
  g_autoptr (SemblanceSearch) s = four_tracks (e2_e3, 2, 30.0);
  g_autoptr (GArray) cosine = NULL, csls = NULL;
  SemblanceSearchOptions o;
  float q[3];

  toward (e2_e3, 2, d, q);
  semblance_search_options_init (&o);
  g_assert_cmpint (o.ranking, ==, SEMBLANCE_SEARCH_BALANCED);
  g_assert_cmpuint (o.n, ==, 20);
  g_assert_false (o.include_short);
  o.ranking = SEMBLANCE_SEARCH_CSLS;
  csls = semblance_search_rank (s, q, &o);
  o.ranking = SEMBLANCE_SEARCH_COSINE;
  cosine = semblance_search_rank (s, q, &o);

  /* By cosine t3 (0.8) beats t1 (0.6); CSLS: t1 2(0.6) - 0 = 1.2, t3
   * 2(0.8) - 0.5 = 1.1, t4 2(-0.8) + 0.5 = -1.1, t2 -1.2. */
  g_assert_cmpint (match (cosine, 0)->id, ==, 3);
  g_assert_cmpint (match (cosine, 1)->id, ==, 1);
  g_assert_cmpuint (csls->len, ==, 4);
  g_assert_cmpint (match (csls, 0)->id, ==, 1);
  g_assert_cmpfloat_with_epsilon (match (csls, 0)->score, 1.2, EPS);
  g_assert_cmpfloat_with_epsilon (match (csls, 0)->cosine, 0.6, EPS);
  g_assert_cmpint (match (csls, 1)->id, ==, 3);
  g_assert_cmpfloat_with_epsilon (match (csls, 1)->score, 1.1, EPS);
  g_assert_cmpint (match (csls, 2)->id, ==, 4);
  g_assert_cmpfloat_with_epsilon (match (csls, 2)->score, -1.1, EPS);
  g_assert_cmpint (match (csls, 3)->id, ==, 2);
  g_assert_cmpfloat_with_epsilon (match (csls, 3)->score, -1.2, EPS);

  /* Similarity: 1 at the best, 0 at the median score (the third of four,
   * -1.1) and below, linear between: t3 (1.1 + 1.1) / (1.2 + 1.1). */
  g_assert_cmpfloat_with_epsilon (match (csls, 0)->similarity, 1.0, EPS);
  g_assert_cmpfloat_with_epsilon (match (csls, 1)->similarity, 2.2 / 2.3,
      EPS);
  g_assert_cmpfloat_with_epsilon (match (csls, 2)->similarity, 0.0, EPS);
  g_assert_cmpfloat_with_epsilon (match (csls, 3)->similarity, 0.0, EPS);
}

static void
test_mutual_proximity (void)
{
  /* Two references near t3's direction: t3 is near every description,
   * a hub, and mutual proximity puts t1 above it though its cosine to the
   * query is lower. */
  const float refs[] = { 0, 1, 0, 0.6f, 0.8f, 0 };
  const float d[] = { 0.6f, 0.8f, 0.0f };
  g_autoptr (SemblanceSearch) s = four_tracks (refs, 2, 30.0);
  g_autoptr (GArray) found = NULL;
  SemblanceSearchOptions o;
  float q[3];
  guint i;

  toward (refs, 2, d, q);
  semblance_search_options_init (&o);
  o.ranking = SEMBLANCE_SEARCH_MP;
  found = semblance_search_rank (s, q, &o);
  g_assert_cmpuint (found->len, ==, 4);
  /* t1: the centred query's cosines to the tracks are 0.6, -0.6, 0.8, -0.8 (mean
   * 0, sd sqrt (1/2)); t1's to the references 0 and 0.6 (mean 0.3, sd
   * 0.3). t3's to them, 1 and 0.8, make 0.8 less than typical of t3. */
  g_assert_cmpint (match (found, 0)->id, ==, 1);
  g_assert_cmpfloat_with_epsilon (match (found, 0)->score,
      log (0.5 * erfc (-0.6 / G_SQRT2 / sqrt (0.5)))
      + log (0.5 * erfc (-1.0 / G_SQRT2)), 1e-4);
  g_assert_cmpint (match (found, 1)->id, ==, 3);
  g_assert_cmpint (match (found, 2)->id, ==, 4);
  g_assert_cmpint (match (found, 3)->id, ==, 2);
  for (i = 0; i < found->len; i++) {
    g_assert_true (isfinite (match (found, i)->score));
    /* log probabilities */
    g_assert_cmpfloat (match (found, i)->score, <=, 0.0f);
    if (i > 0)
      g_assert_cmpfloat (match (found, i)->score, <=,
          match (found, i - 1)->score);
  }
}

/* Ten predictions of mean 0 whose spread is diag (5.4, 0.6, 0.2): the
 * whitened ranking scales the second value by (0.6 / 5.4)^-0.15 = 9^0.15
 * and the third by 27^0.15, so a query along e2 finds (3, 1, 0) at cosine
 * 9^0.15 / sqrt (9 + 9^0.3), not 1 / sqrt (10). The references +e3 and
 * -e3 leave the query as it is, and the tracks in the plane of e1 and e2
 * have no penalty. */
static void
test_whitened (void)
{
  const float refs[] = { 0, 0, 1, 0, 0, -1 };
  const float p[10][3] = {
    { 3, 0, 0 }, { -3, 0, 0 }, { 0, 1, 0 }, { 0, -1, 0 }, { 0, 0, 1 },
    { 0, 0, -1 }, { 3, 1, 0 }, { -3, -1, 0 }, { 3, -1, 0 }, { -3, 1, 0 },
  };
  const float q[3] = { 0, 1, 0 };
  g_autoptr (SemblanceSearch) s = semblance_search_new (3, refs, 2);
  g_autoptr (GArray) plain = NULL, white = NULL;
  SemblanceSearchOptions o;
  double s2 = pow (9.0, 0.15), expected = s2 / sqrt (9.0 + s2 * s2);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (p); i++)
    semblance_search_add (s, i + 1, p[i], 30.0);
  semblance_search_options_init (&o);
  o.n = 10;
  o.ranking = SEMBLANCE_SEARCH_CSLS;
  plain = semblance_search_rank (s, q, &o);
  o.ranking = SEMBLANCE_SEARCH_WHITENED;
  white = semblance_search_rank (s, q, &o);
  g_assert_cmpuint (white->len, ==, 10);
  g_assert_cmpint (match (white, 0)->id, ==, 3);
  g_assert_cmpfloat_with_epsilon (match (white, 0)->cosine, 1.0, EPS);
  for (i = 1; i < 3; i++) {
    g_assert_true (match (white, i)->id == 7 || match (white, i)->id == 10);
    g_assert_cmpfloat_with_epsilon (match (white, i)->cosine, expected,
        EPS);
    g_assert_cmpfloat_with_epsilon (match (white, i)->score, 2 * expected,
        EPS);
    g_assert_cmpfloat_with_epsilon (match (plain, i)->cosine,
        1 / sqrt (10.0), EPS);
  }
  for (i = 1; i < white->len; i++)
    g_assert_cmpfloat (match (white, i)->score, <=,
        match (white, i - 1)->score);
}

static float
score_of (GArray *found, gint64 id)
{
  guint i;

  for (i = 0; i < found->len; i++)
    if (match (found, i)->id == id)
      return match (found, i)->score;
  g_assert_not_reached ();
}

/* The library's ranking against its definition, computed here through the
 * whitened ranking alone: each of 12 reference descriptions, asked as a
 * query, lists its best 10 of the 30 tracks that are not short; a track in
 * c of those lists scores its whitened CSLS score less 0.05 ln (1 + c 30 /
 * (10 12)). The short clip is in no list (its fair share is not counted
 * either) and keeps its whitened score when asked for. A query's z-scores
 * are of those scores. */
static void
test_balanced (void)
{
  enum { N = 31, NR = 12, DIM = 3 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  float refs[NR * DIM], q[DIM];
  g_autoptr (SemblanceSearch) s = NULL;
  g_autoptr (GArray) white = NULL, balanced = NULL;
  SemblanceSearchOptions o;
  guint count[N + 1] = { 0 }, i, r, j, most = 0;
  double fair = 10.0 * NR / (N - 1), norm, sum = 0.0, sum2 = 0.0;
  gint64 ids[N];
  float z[N];

  random_unit_rows (rand, refs, NR, DIM);
  s = semblance_search_new (DIM, refs, NR);
  for (i = 1; i <= N; i++) {
    float p[DIM];

    /* More spread along the first axis than the others, as real
     * predictions have. */
    for (j = 0; j < DIM; j++)
      p[j] = (float) (g_rand_double_range (rand, -1.0, 1.0) * (j ? 1 : 3));
    semblance_search_add (s, i, p, i == N ? 4.0 : 30.0);
  }
  semblance_search_options_init (&o);
  o.n = 10;
  o.ranking = SEMBLANCE_SEARCH_WHITENED;
  for (r = 0; r < NR; r++) {
    g_autoptr (GArray) list = semblance_search_rank (s, refs + r * DIM, &o);

    g_assert_cmpuint (list->len, ==, 10);
    for (i = 0; i < list->len; i++)
      count[match (list, i)->id]++;
  }
  g_assert_cmpuint (count[N], ==, 0);
  for (i = 1; i <= N; i++)
    most = MAX (most, count[i]);
  /* Some track is a hub, in more lists than its share. */
  g_assert_cmpfloat (most, >, fair);

  /* A query between the first two descriptions. */
  for (j = 0; j < DIM; j++)
    q[j] = refs[j] + refs[DIM + j];
  norm = sqrt (q[0] * q[0] + q[1] * q[1] + q[2] * q[2]);
  for (j = 0; j < DIM; j++)
    q[j] = (float) (q[j] / norm);
  o.n = N;
  o.include_short = TRUE;
  white = semblance_search_rank (s, q, &o);
  o.ranking = SEMBLANCE_SEARCH_BALANCED;
  balanced = semblance_search_rank (s, q, &o);
  g_assert_cmpuint (balanced->len, ==, N);
  for (i = 0; i < balanced->len; i++) {
    const SemblanceSearchMatch *m = match (balanced, i);
    double expected = score_of (white, m->id)
        - SEMBLANCE_SEARCH_HUB_WEIGHT * log1p (count[m->id] / fair);

    g_assert_cmpfloat_with_epsilon (m->score, expected, EPS);
    if (i > 0)
      g_assert_cmpfloat (m->score, <=, match (balanced, i - 1)->score);
  }
  g_assert_cmpfloat_with_epsilon (score_of (balanced, N), score_of (white, N),
      EPS);

  /* A query's z-scores, for combining with `similar`, are of the same
   * scores, over every track. */
  for (i = 0; i < N; i++) {
    ids[i] = i + 1;
    sum += match (balanced, i)->score;
    sum2 += (double) match (balanced, i)->score * match (balanced, i)->score;
  }
  semblance_search_score_z (s, q, ids, N, z);
  for (i = 0; i < N; i++)
    g_assert_cmpfloat_with_epsilon (z[i], (score_of (balanced, i + 1)
            - sum / N) / sqrt (sum2 / N - (sum / N) * (sum / N)), 1e-4);
}

static void
test_short_and_bounds (void)
{
  const float e2[] = { 0, 1, 0 };
  /* t3, the best for the query, is a 5 s jingle; t4's length is unknown
   * (0), which is not short. */
  g_autoptr (SemblanceSearch) s = four_tracks (e2_e3, 2, 5.0);
  g_autoptr (GArray) plain = NULL, with_short = NULL, bounded = NULL;
  g_autoptr (GArray) excluded = NULL;
  SemblanceSearchOptions o;
  const gint64 exclude[] = { 1, 99 };
  float q[3];
  guint i;

  toward (e2_e3, 2, e2, q);
  semblance_search_options_init (&o);
  o.ranking = SEMBLANCE_SEARCH_COSINE;
  plain = semblance_search_rank (s, q, &o);
  g_assert_cmpuint (plain->len, ==, 3);
  for (i = 0; i < plain->len; i++)
    g_assert_cmpint (match (plain, i)->id, !=, 3);

  o.include_short = TRUE;
  with_short = semblance_search_rank (s, q, &o);
  g_assert_cmpuint (with_short->len, ==, 4);
  g_assert_cmpint (match (with_short, 0)->id, ==, 3);
  g_assert_cmpfloat_with_epsilon (match (with_short, 0)->cosine, 1.0, EPS);

  /* A lower bound leaves out the unknown length too. */
  o.min_duration = 20.0;
  bounded = semblance_search_rank (s, q, &o);
  g_assert_cmpuint (bounded->len, ==, 2);
  for (i = 0; i < bounded->len; i++)
    g_assert_cmpint (match (bounded, i)->id, <=, 2);

  /* Exclusions, an id that is not there among them; n caps. */
  o.min_duration = 0.0;
  o.exclude = exclude;
  o.n_exclude = 2;
  o.n = 2;
  excluded = semblance_search_rank (s, q, &o);
  g_assert_cmpuint (excluded->len, ==, 2);
  g_assert_cmpint (match (excluded, 0)->id, ==, 3);
  g_assert_cmpint (match (excluded, 1)->id, ==, 2);
}

static void
test_word_z (void)
{
  const float e1[] = { 1, 0, 0 };
  g_autoptr (SemblanceSearch) s = four_tracks (e2_e3, 2, 30.0);
  const gint64 ids[] = { 1, 2, 3, 7 };
  float z[4], word[3];

  /* Centred as queries are, the word is e1. Cosines to it: 1, -1, 0, 0:
   * mean 0, standard deviation sqrt (1/2). */
  toward (e2_e3, 2, e1, word);
  semblance_search_word_z (s, word, ids, 4, z);
  g_assert_cmpfloat_with_epsilon (z[0], G_SQRT2, EPS);
  g_assert_cmpfloat_with_epsilon (z[1], -G_SQRT2, EPS);
  g_assert_cmpfloat_with_epsilon (z[2], 0.0, EPS);
  g_assert_true (isnan (z[3]));
  g_assert_cmpfloat (z[0], >=, SEMBLANCE_SEARCH_MATCH_Z);
}

static void
test_score_z (void)
{
  const float d[] = { 0.6f, 0.8f, 0.0f };
  g_autoptr (SemblanceSearch) s = four_tracks (e2_e3, 2, 30.0);
  const gint64 ids[] = { 1, 2, 3, 4, 9 };
  float z[5], q[3];

  /* The library's scores, which here are test_csls's CSLS scores less
   * one hub penalty for all (every track is in both words' lists, and
   * whitening changes nothing when e1 and e2 spread alike and e3 not at
   * all): 1.2, -1.2, 1.1 and -1.1 less the same, so z over mean 0,
   * standard deviation sqrt (1.325). */
  toward (e2_e3, 2, d, q);
  semblance_search_score_z (s, q, ids, 5, z);
  g_assert_cmpfloat_with_epsilon (z[0], 1.2 / sqrt (1.325), EPS);
  g_assert_cmpfloat_with_epsilon (z[1], -1.2 / sqrt (1.325), EPS);
  g_assert_cmpfloat_with_epsilon (z[2], 1.1 / sqrt (1.325), EPS);
  g_assert_cmpfloat_with_epsilon (z[3], -1.1 / sqrt (1.325), EPS);
  g_assert_true (isnan (z[4]));
}

static void
test_empty_and_added (void)
{
  const float e1[] = { 1, 0, 0 }, p[] = { 2, 0, 0 };
  g_autoptr (SemblanceSearch) s = semblance_search_new (3, e2_e3, 2);
  g_autoptr (GArray) none = NULL, one = NULL, two = NULL;
  const float other[] = { 0, 0, 0 };
  float q[3];

  toward (e2_e3, 2, e1, q);
  none = semblance_search_rank (s, q, NULL);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (semblance_search_size (s), ==, 0);
  semblance_search_add (s, 5, p, 0.0);
  /* A lone track is the library's mean: cosine 0, but still a result. */
  one = semblance_search_rank (s, q, NULL);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (match (one, 0)->cosine, 0.0, EPS);
  g_assert_cmpfloat_with_epsilon (match (one, 0)->similarity, 1.0, EPS);
  /* An addition is seen by the next query: the mean moves. */
  semblance_search_add (s, 6, other, 0.0);
  two = semblance_search_rank (s, q, NULL);
  g_assert_cmpuint (two->len, ==, 2);
  g_assert_cmpint (match (two, 0)->id, ==, 5);
  g_assert_cmpfloat_with_epsilon (match (two, 0)->cosine, 1.0, EPS);
  g_assert_cmpfloat_with_epsilon (match (two, 1)->cosine, -1.0, EPS);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/search/centred-cosine", test_centred_cosine);
  g_test_add_func ("/search/centred-query", test_centred_query);
  g_test_add_func ("/search/csls", test_csls);
  g_test_add_func ("/search/mutual-proximity", test_mutual_proximity);
  g_test_add_func ("/search/whitened", test_whitened);
  g_test_add_func ("/search/balanced", test_balanced);
  g_test_add_func ("/search/short-and-bounds", test_short_and_bounds);
  g_test_add_func ("/search/word-z", test_word_z);
  g_test_add_func ("/search/score-z", test_score_z);
  g_test_add_func ("/search/empty-and-added", test_empty_and_added);
  return g_test_run ();
}
