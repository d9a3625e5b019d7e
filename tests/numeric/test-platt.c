/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Platt scaling: against closed-form optima and a derivative-free search. */
#include <glib.h>
#include <math.h>

#include "semblance-platt.h"

/* All positives at one score and all negatives at another: the sigmoid can
 * meet the smoothed targets exactly, (1 + 1) / (1 + 2) = 2/3 at s = 1 and
 * 1/3 at s = -1, so a = ln 2 and b = 0. Separable data, finite answer. */
static void
test_separable (void)
{
  double scores[] = { -1, 1 }, a, b;
  unsigned char labels[] = { 0, 1 };

  g_assert_true (semblance_platt_fit (scores, labels, 2, &a, &b));
  g_assert_cmpfloat_with_epsilon (a, log (2.0), 1e-6);
  g_assert_cmpfloat_with_epsilon (b, 0.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (semblance_platt_probability (a, b, 1),
                                  2.0 / 3.0, 1e-6);
}

/* Two score values with mixed labels: the optimum puts each value's
 * probability at its mean smoothed target. Four positives and four
 * negatives give targets 5/6 and 1/6; three positives of four at s = 0
 * mean 2/3 there, one of four at s = 1 mean 1/3: b = ln 2, a = -2 ln 2. */
static void
test_non_separable (void)
{
  double scores[] = { 0, 0, 0, 0, 1, 1, 1, 1 }, a, b;
  unsigned char labels[] = { 1, 1, 1, 0, 1, 0, 0, 0 };

  g_assert_true (semblance_platt_fit (scores, labels, 8, &a, &b));
  g_assert_cmpfloat_with_epsilon (b, log (2.0), 1e-6);
  g_assert_cmpfloat_with_epsilon (a, -2 * log (2.0), 1e-6);
}

/* Compass search: derivative-free, slow and sure on a smooth convex
 * function, so it checks the Newton optimum by another road. */
static void
compass (const double *s, const unsigned char *l, size_t n, double *a,
         double *b)
{
  double step = 1.0, best = semblance_platt_loss (s, l, n, *a, *b);

  while (step > 1e-9) {
    static const double dirs[4][2] = { { 1, 0 }, { -1, 0 }, { 0, 1 },
                                       { 0, -1 } };
    gboolean moved = FALSE;
    int k;

    for (k = 0; k < 4; k++) {
      double na = *a + step * dirs[k][0], nb = *b + step * dirs[k][1];
      double loss = semblance_platt_loss (s, l, n, na, nb);

      if (loss < best) {
        best = loss;
        *a = na;
        *b = nb;
        moved = TRUE;
        break;
      }
    }
    if (!moved)
      step /= 2;
  }
}

static void
test_against_search (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (12);
  double scores[300], a, b, ca = 0, cb = 0;
  unsigned char labels[300];
  size_t i;

  /* Positives' scores drawn higher than negatives', overlapping. */
  for (i = 0; i < G_N_ELEMENTS (scores); i++) {
    labels[i] = g_rand_double (rand) < 0.3;
    scores[i] = g_rand_double_range (rand, -0.4, 0.6) + (labels[i] ? 0.3 : 0);
  }
  g_assert_true (semblance_platt_fit (scores, labels, 300, &a, &b));
  compass (scores, labels, 300, &ca, &cb);
  g_assert_cmpfloat_with_epsilon (a, ca, 1e-4);
  g_assert_cmpfloat_with_epsilon (b, cb, 1e-4);
  g_assert_cmpfloat (a, >, 0);
  g_assert_cmpfloat (semblance_platt_loss (scores, labels, 300, a, b), <=,
                     semblance_platt_loss (scores, labels, 300, ca, cb)
                     + 1e-9);
}

/* Widely spread scores would overflow a naive exp; none of this may turn
 * into NaN. */
static void
test_extremes (void)
{
  double scores[] = { -1e3, -500, 500, 1e3 }, a, b;
  unsigned char labels[] = { 0, 0, 1, 1 };

  g_assert_true (semblance_platt_fit (scores, labels, 4, &a, &b));
  g_assert_true (isfinite (a) && isfinite (b));
  g_assert_cmpfloat (semblance_platt_probability (a, b, 1e3), >, 0.5);
  g_assert_cmpfloat (semblance_platt_probability (1, 0, -1e6), ==, 0);
  g_assert_cmpfloat (semblance_platt_probability (1, 0, 1e6), ==, 1);
}

static void
test_degenerate (void)
{
  double scores[] = { 0.1, 0.2, NAN }, a = 7, b = 7;
  unsigned char ones[] = { 1, 1, 1 }, mixed[] = { 1, 0, 1 };

  g_assert_false (semblance_platt_fit (scores, ones, 2, &a, &b));
  g_assert_false (semblance_platt_fit (scores, mixed, 3, &a, &b));
  g_assert_false (semblance_platt_fit (scores, mixed, 0, &a, &b));
  g_assert_cmpfloat (a, ==, 7);
  g_assert_cmpfloat (b, ==, 7);
}

/* Held out, a score that separates the labels shows every positive and no
 * negative, of all the examples or of the judged ones only; one that says
 * little of labels at a base rate of one in five never reaches one half,
 * so nothing is shown; one that falls where the labels rise fails. */
static void
test_cross_check (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  double scores[200];
  unsigned char labels[200];
  size_t i, shown, right, positives = 0, judged_positives = 0;

  for (i = 0; i < G_N_ELEMENTS (scores); i++) {
    labels[i] = g_rand_double (rand) < 0.2;
    positives += labels[i];
    judged_positives += i < 50 && labels[i];
    scores[i] = labels[i] ? g_rand_double_range (rand, 0.5, 1.0)
        : g_rand_double_range (rand, -1.0, -0.5);
  }
  g_assert_true (semblance_platt_cross_check (scores, labels, 200, 200, 5,
                                              0.5, &shown, &right));
  g_assert_cmpuint (shown, ==, positives);
  g_assert_cmpuint (right, ==, positives);
  g_assert_true (semblance_platt_cross_check (scores, labels, 200, 50, 5,
                                              0.5, &shown, &right));
  g_assert_cmpuint (shown, ==, judged_positives);
  g_assert_cmpuint (right, ==, judged_positives);

  for (i = 0; i < G_N_ELEMENTS (scores); i++)
    scores[i] = g_rand_double_range (rand, -1.0, 1.0) + 0.3 * labels[i];
  g_assert_true (semblance_platt_cross_check (scores, labels, 200, 200, 5,
                                              0.5, &shown, &right));
  g_assert_cmpuint (shown, ==, 0);
  g_assert_cmpuint (right, ==, 0);

  for (i = 0; i < G_N_ELEMENTS (scores); i++)
    scores[i] = labels[i] ? -1.0 : 1.0;
  g_assert_false (semblance_platt_cross_check (scores, labels, 200, 200, 5,
                                               0.5, &shown, &right));
}

/* One positive, in part 0: the fit on the other parts has none. Too few
 * parts, more parts than judged examples, more judged examples than
 * examples, none at all: false, and nothing counted. */
static void
test_cross_check_degenerate (void)
{
  double scores[10] = { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  unsigned char labels[10] = { 1 };
  struct { size_t n, judged, k; } cases[] = {
    { 10, 10, 5 }, { 10, 10, 1 }, { 10, 10, 11 }, { 10, 4, 5 },
    { 10, 11, 5 }, { 0, 0, 2 },
  };
  size_t c;

  for (c = 0; c < G_N_ELEMENTS (cases); c++) {
    size_t shown = 7, right = 7;

    g_assert_false (semblance_platt_cross_check (scores, labels, cases[c].n,
                                                 cases[c].judged, cases[c].k,
                                                 0.5, &shown, &right));
    g_assert_cmpuint (shown, ==, 0);
    g_assert_cmpuint (right, ==, 0);
  }
}

/* Wilson's lower bound: the textbook 8 of 10 at 95 % (0.4902); all right,
 * where it is n / (n + z²); none right, or no trial. */
static void
test_wilson (void)
{
  g_assert_cmpfloat_with_epsilon (semblance_wilson_lower (8, 10, 1.96),
                                  0.490157, 1e-6);
  g_assert_cmpfloat_with_epsilon (semblance_wilson_lower (15, 19, 1.0),
                                  0.682698, 1e-6);
  g_assert_cmpfloat_with_epsilon (semblance_wilson_lower (4, 4, 1.0),
                                  4.0 / 5.0, 1e-12);
  g_assert_cmpfloat (semblance_wilson_lower (0, 9, 1.0), ==, 0.0);
  g_assert_cmpfloat (semblance_wilson_lower (0, 0, 1.0), ==, 0.0);
  g_assert_cmpfloat (semblance_wilson_lower (9, 9, 0.0), ==, 1.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/platt/separable", test_separable);
  g_test_add_func ("/platt/non-separable", test_non_separable);
  g_test_add_func ("/platt/against-search", test_against_search);
  g_test_add_func ("/platt/extremes", test_extremes);
  g_test_add_func ("/platt/degenerate", test_degenerate);
  g_test_add_func ("/platt/cross-check", test_cross_check);
  g_test_add_func ("/platt/cross-check-degenerate",
                   test_cross_check_degenerate);
  g_test_add_func ("/platt/wilson", test_wilson);
  return g_test_run ();
}
