/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: arbitrary bytes as a training or evaluation table, read
 * from a file as the command line reads it (descriptions embedded with
 * the vocabulary of $SEMBLANCE_VOCAB). */
#include <math.h>
#include <stdint.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "semblance-dataset.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
load (const char *path, gboolean labelled)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceDataset) set = semblance_dataset_load (path, labelled,
      &error);
  gsize i;

  if (!set) {
    g_assert_nonnull (error);
    g_assert_true (error->domain == SEMBLANCE_ERROR);
    return;
  }
  g_assert_cmpuint (set->n, >, 0);
  g_assert_cmpuint (g_strv_length (set->paths), ==, set->n);
  if (labelled)
    g_assert_cmpuint (g_strv_length (set->labels), ==, set->n);
  for (i = 0; i < (gsize) set->n * set->semantic_dim; i++)
    g_assert_true (isfinite (set->semantic[i]));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *path;

  if (!path) {
    g_autofree char *dir = g_dir_make_tmp ("semblance-fuzz-XXXXXX", NULL);

    g_assert_nonnull (dir);
    path = g_build_filename (dir, "table.tsv", NULL);
  }
  g_assert_true (g_file_set_contents (path, (const char *) data, size, NULL));
  load (path, FALSE);
  load (path, TRUE);
  return 0;
}
