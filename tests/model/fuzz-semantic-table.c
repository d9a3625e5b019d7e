/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: arbitrary bytes as a table of semantic vectors (TSV). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "semblance.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceSemanticTable) table = NULL;
  guint i, c;

  /* Text in memory is never NULL, even when empty (the built-in driver
   * passes NULL for no bytes, which the parser does not take). */
  table = semblance_semantic_table_parse (size ? (const char *) data : "",
      size, "fuzz.tsv", &error);
  if (!table) {
    g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT);
    g_assert_true (g_str_has_prefix (error->message, "fuzz.tsv"));
    return 0;
  }
  /* What parses is usable: n rows of dim finite values, unit length. */
  g_assert_cmpuint (table->n, >, 0);
  g_assert_cmpuint (table->dim, >=, 2);
  g_assert_cmpuint (g_strv_length (table->paths), ==, table->n);
  for (i = 0; i < table->n; i++) {
    double norm = 0.0;

    for (c = 0; c < table->dim; c++) {
      float v = table->vectors[(gsize) i * table->dim + c];

      g_assert_true (isfinite (v));
      norm += (double) v * v;
    }
    g_assert_cmpfloat (norm, <=, 1.0 + 1e-5);
  }
  return 0;
}
