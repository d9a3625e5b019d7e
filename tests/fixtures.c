/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "fixtures.h"

#include <glib/gstdio.h>

#include "semblance.h"

char *
demo_uri (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("SEMBLANCE_DEMO_DIR"),
      name, NULL);
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);

  return g_filename_to_uri (canonical, NULL, NULL);
}

void
index_demo (const char *db)
{
  g_autoptr (SemblanceIndexer) indexer = semblance_indexer_new (db, NULL, 2);
  g_autoptr (GError) error = NULL;

  semblance_indexer_add_path (indexer, g_getenv ("SEMBLANCE_DEMO_DIR"));
  g_assert_true (semblance_indexer_run (indexer, NULL, &error));
  g_assert_no_error (error);
}

void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d))) {
    g_autofree char *path = g_build_filename (dir, name, NULL);

    if (g_file_test (path, G_FILE_TEST_IS_DIR))
      remove_tree (path);
    else
      g_assert_cmpint (g_unlink (path), ==, 0);
  }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}
