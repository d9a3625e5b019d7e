/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-collect.h"

#include <errno.h>
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

/* The reason alone, without GDir's "Error opening directory NAME". */
static const char *
file_error_reason (const GError *error)
{
  static const struct
  {
    GFileError code;
    int errsv;
  } reasons[] = {
    { G_FILE_ERROR_ACCES, EACCES }, { G_FILE_ERROR_LOOP, ELOOP },
    { G_FILE_ERROR_NOENT, ENOENT }, { G_FILE_ERROR_NOTDIR, ENOTDIR },
    { G_FILE_ERROR_NAMETOOLONG, ENAMETOOLONG }, { G_FILE_ERROR_IO, EIO },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (error->code == (int) reasons[i].code)
      return g_strerror (reasons[i].errsv);
  return error->message;
}

typedef struct
{
  GPtrArray *out;
  GHashTable *seen;
  GPtrArray *folders;
  SemblanceUnreadableFunc unreadable;
  gpointer user_data;
} Walk;

static void
walk (const char *dir, Walk *w)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *real = realpath (dir, NULL);
  const char *name;
  guint i;

  /* Symbolic links may loop back to a folder already walked. */
  if (real && g_hash_table_contains (w->seen, real))
    return;
  d = g_dir_open (dir, 0, &error);
  if (!d) {
    g_autofree char *display = g_filename_display_name (dir);
    g_autoptr (GError) reason = NULL;

    if (w->unreadable) {
      reason = g_error_new (G_FILE_ERROR, error->code,
          "%s: cannot read this folder: %s", display,
          file_error_reason (error));
      w->unreadable (dir, reason, w->user_data);
    }
    return;
  }
  if (real)
    g_hash_table_add (w->seen, g_steal_pointer (&real));
  if (w->folders)
    g_ptr_array_add (w->folders, g_strdup (dir));

  while ((name = g_dir_read_name (d)))
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (i = 0; i < names->len; i++) {
    g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);

    if (g_file_test (path, G_FILE_TEST_IS_DIR))
      walk (path, w);
    else if (semblance_has_audio_extension (path))
      g_ptr_array_add (w->out, g_steal_pointer (&path));
  }
}

GPtrArray *
semblance_collect_audio_files_full (char *const *args, GPtrArray *folders,
                                    SemblanceUnreadableFunc unreadable,
                                    gpointer user_data)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, NULL);
  Walk w = { g_ptr_array_new_with_free_func (g_free), seen, folders,
    unreadable, user_data };

  for (; args && *args; args++) {
    if (g_file_test (*args, G_FILE_TEST_IS_DIR))
      walk (*args, &w);
    else
      g_ptr_array_add (w.out, g_strdup (*args));
  }
  return w.out;
}

GPtrArray *
semblance_collect_audio_files (char *const *args)
{
  return semblance_collect_audio_files_full (args, NULL, NULL, NULL);
}
