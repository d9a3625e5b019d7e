/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-collect.h"

#include <stdlib.h>

static const char *const audio_extensions[] = {
  "aac", "aif", "aifc", "aiff", "ape", "au", "caf", "flac", "m4a", "m4b",
  "mka", "mp2", "mp3", "mpc", "oga", "ogg", "opus", "spx", "w64", "wav",
  "webm", "wma", "wv",
};

gboolean
semblance_has_audio_extension (const char *name)
{
  const char *dot = strrchr (name, '.');
  g_autofree char *ext = NULL;
  gsize i;

  if (!dot)
    return FALSE;
  ext = g_ascii_strdown (dot + 1, -1);
  for (i = 0; i < G_N_ELEMENTS (audio_extensions); i++)
    if (g_str_equal (ext, audio_extensions[i]))
      return TRUE;
  return FALSE;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static void
walk (const char *dir, GPtrArray *out, GHashTable *seen)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *real = realpath (dir, NULL);
  const char *name;
  guint i;

  /* Symbolic links may loop back to a folder already walked. */
  if (!d || !real || g_hash_table_contains (seen, real))
    return;
  g_hash_table_add (seen, g_steal_pointer (&real));

  while ((name = g_dir_read_name (d)))
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (i = 0; i < names->len; i++) {
    g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);

    if (g_file_test (path, G_FILE_TEST_IS_DIR))
      walk (path, out, seen);
    else if (semblance_has_audio_extension (path))
      g_ptr_array_add (out, g_steal_pointer (&path));
  }
}

GPtrArray *
semblance_collect_audio_files (char *const *args)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, NULL);

  for (; args && *args; args++) {
    if (g_file_test (*args, G_FILE_TEST_IS_DIR))
      walk (*args, out, seen);
    else
      g_ptr_array_add (out, g_strdup (*args));
  }
  return out;
}
