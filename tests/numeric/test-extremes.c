/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sums of the k smallest and largest values against sorting, on
 * spectra's kinds of values: spread over many octaves, with ties, zeros
 * and denormals. */
#include <glib.h>
#include <math.h>
#include <stdlib.h>

#include "semblance-extremes.h"

static int
compare_floats (const void *a, const void *b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return (x > y) - (x < y);
}

static void
check (const float *v, size_t n, size_t k)
{
  g_autofree float *sorted = g_memdup2 (v, n * sizeof (float));
  g_autofree uint32_t *scratch = g_new (uint32_t, 2 * n);
  double smallest, largest, want_small = 0.0, want_large = 0.0, total = 0.0;
  size_t i;

  qsort (sorted, n, sizeof (float), compare_floats);
  for (i = 0; i < k; i++) {
    want_small += sorted[i];
    want_large += sorted[n - 1 - i];
  }
  for (i = 0; i < n; i++)
    total += v[i];
  semblance_extreme_sums (v, n, k, scratch, &smallest, &largest);
  g_assert_cmpfloat (fabs (smallest - want_small), <=, 1e-12 * total);
  g_assert_cmpfloat (fabs (largest - want_large), <=, 1e-12 * total);
}

/* Powers spread over 160 dB, as a frame's bins are. */
static void
test_spread (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  const size_t lengths[] = { 2, 3, 19, 37, 74, 149, 297, 427, 1025 };
  size_t l, trial;

  for (l = 0; l < G_N_ELEMENTS (lengths); l++)
    for (trial = 0; trial < 50; trial++) {
      size_t n = lengths[l], i;
      g_autofree float *v = g_new (float, n);

      for (i = 0; i < n; i++)
        v[i] = (float) pow (10.0, g_rand_double_range (rand, -14.0, 2.0));
      check (v, n, CLAMP ((size_t) (0.2 * n), 1, n / 2));
      check (v, n, 1);
      check (v, n, n / 2);
    }
}

/* Many equal values, zeros and denormals: the order statistics fall
 * inside runs of ties. */
static void
test_ties (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (2);
  size_t trial;

  for (trial = 0; trial < 200; trial++) {
    size_t n = g_rand_int_range (rand, 2, 600), i, k;
    g_autofree float *v = g_new (float, n);

    for (i = 0; i < n; i++)
      switch (g_rand_int_range (rand, 0, 4)) {
        case 0:
          v[i] = 0.0f;
          break;
        case 1:
          v[i] = 1e-42f;
          break;
        case 2:
          v[i] = (float) g_rand_int_range (rand, 1, 4);
          break;
        default:
          v[i] = (float) g_rand_double (rand);
      }
    k = g_rand_int_range (rand, 1, n / 2 + 1);
    check (v, n, k);
  }
}

static void
test_all_equal (void)
{
  float v[64];
  uint32_t scratch[128];
  double smallest, largest;
  size_t i;

  for (i = 0; i < G_N_ELEMENTS (v); i++)
    v[i] = 0.25f;
  semblance_extreme_sums (v, 64, 12, scratch, &smallest, &largest);
  g_assert_cmpfloat (smallest, ==, 3.0);
  g_assert_cmpfloat (largest, ==, 3.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/extremes/spread", test_spread);
  g_test_add_func ("/extremes/ties", test_ties);
  g_test_add_func ("/extremes/all-equal", test_all_equal);
  return g_test_run ();
}
