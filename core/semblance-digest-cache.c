/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-digest-cache.h"

#include <errno.h>
#include <string.h>

#define DIGEST_CACHE_ENTRIES 8
#define DIGEST_CACHE_LINE_MAX 256

static char *
cache_path (const char *name)
{
  return g_build_filename (g_get_user_cache_dir (), "semblance", name, NULL);
}

char *
semblance_file_identity (const GStatBuf *st)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
      " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT ".%09ld %" G_GINT64_FORMAT
      ".%09ld", (guint64) st->st_dev, (guint64) st->st_ino,
      (gint64) st->st_size, (gint64) st->st_mtim.tv_sec,
      (long) st->st_mtim.tv_nsec, (gint64) st->st_ctim.tv_sec,
      (long) st->st_ctim.tv_nsec);
}

char *
semblance_digest_hex (const guint8 *digest)
{
  GString *hex = g_string_sized_new (64);
  guint i;

  for (i = 0; i < 32; i++)
    g_string_append_printf (hex, "%02x", digest[i]);
  return g_string_free (hex, FALSE);
}

static GStrv
cache_read (const char *name)
{
  g_autofree char *path = cache_path (name);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_new0 (char *, 1);
  return g_strsplit (text, "\n", -1);
}

char *
semblance_digest_cache_lookup (const char *name, const char *prefix)
{
  g_auto (GStrv) lines = cache_read (name);
  guint i;

  for (i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i] + strlen (prefix));
  return NULL;
}

void
semblance_digest_cache_add (const char *name, const char *line)
{
  g_auto (GStrv) lines = cache_read (name);
  g_autofree char *path = cache_path (name);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GString) text = g_string_new (line);
  g_autoptr (GError) error = NULL;
  guint kept = 1, i;

  g_string_append_c (text, '\n');
  /* What a damaged cache holds besides entries is dropped. */
  for (i = 0; lines[i] && kept < DIGEST_CACHE_ENTRIES; i++) {
    if (!*lines[i] || strlen (lines[i]) > DIGEST_CACHE_LINE_MAX
        || !g_str_is_ascii (lines[i]) || g_str_equal (lines[i], line))
      continue;
    g_string_append_printf (text, "%s\n", lines[i]);
    kept++;
  }
  if (g_mkdir_with_parents (dir, 0700) != 0
      || !g_file_set_contents_full (path, text->str, (gssize) text->len,
          G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("cannot write the digest cache %s: %s", path,
        error ? error->message : g_strerror (errno));
}
