/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The JSON numbers of tools/semblance-output.c: each the shortest decimal
 * that reads back as the same float, as %g writes it, whichever way the
 * writer finds it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "semblance-output.h"

/* The definition, the slow way: %.9g, then fewer digits for as long as
 * they read back; ".0" for a number without a fraction. */
static char *
expected (double value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE], shortest[G_ASCII_DTOSTR_BUF_SIZE];
  double magnitude = fabs (value);
  int least = magnitude >= 1.0 && magnitude < 1e15
      ? (int) floor (log10 (magnitude)) + 1 : 1, digits;
  char format[8];

  g_snprintf (format, sizeof format, "%%.%dg", MAX (least, 9));
  g_ascii_formatd (shortest, sizeof shortest, format, value);
  for (digits = 8; digits >= least; digits--) {
    g_snprintf (format, sizeof format, "%%.%dg", digits);
    g_ascii_formatd (text, sizeof text, format, value);
    if (strtof (text, NULL) != (float) value)
      break;
    memcpy (shortest, text, sizeof text);
  }
  return g_strconcat (shortest, strpbrk (shortest, ".eEn") ? "" : ".0",
      NULL);
}

static void
check (double value)
{
  g_autoptr (JsonNode) node = json_node_init_double (json_node_alloc (),
      value);
  g_autofree char *got = semblance_json_to_string (node);
  g_autofree char *want = expected (value);

  if (g_strcmp0 (got, want) != 0)
    g_error ("%.17g: %s, not %s", value, got, want);
}

/* Every kind of float the fast path may take or refuse: random bit
 * patterns over the magnitudes JSON output holds, both signs; decimals
 * of few digits, exact halves among them; powers of ten and their
 * neighbours, where the decimal exponent and a digit count change. */
static void
test_numbers (void)
{
  GRand *rand = g_rand_new_with_seed (15);
  guint i;
  int p;

  for (i = 0; i < 100000; i++) {
    guint32 bits = g_rand_int (rand);
    float f;

    memcpy (&f, &bits, sizeof f);
    if (isfinite (f) && fabsf (f) < 1e15f)
      check (f);
  }
  for (i = 0; i < 50000; i++) {
    double x = g_rand_double_range (rand, -8.0, 8.0);

    check ((float) pow (10.0, x) * (i % 2 ? -1.0f : 1.0f));
  }
  for (i = 0; i < 25000; i++) {
    check ((float) (g_rand_int_range (rand, 0, 100000) / 1000.0));
    check ((float) (g_rand_int_range (rand, 0, 2048) / 1024.0));
    check ((double) g_rand_int_range (rand, 0, 100000));
  }
  for (p = -12; p <= 12; p++) {
    float ten = (float) pow (10.0, p);

    check (ten);
    check (nextafterf (ten, 0.0f));
    check (nextafterf (ten, INFINITY));
    check (-ten);
  }
  check (0.0);
  check (-0.0);
  check (0.5);
  check (0.125);
  check (999999999.0);
  check (1e9);
  check (1e-4);
  /* Doubles that are no float take the slow way, to the same rule. */
  check (0.1);
  check (127.99500000000221);
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/output/numbers", test_numbers);
  return g_test_run ();
}
