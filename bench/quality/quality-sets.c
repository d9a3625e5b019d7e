/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "quality-sets.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "semblance-collect.h"

#define METADATA "panda_dataset_taffc_metadata.csv"

void
quality_clip_free (QualityClip *clip)
{
  if (!clip)
    return;
  g_free (clip->path);
  g_free (clip->label);
  g_free (clip->artist);
  g_free (clip->title);
  g_free (clip->moods);
  g_free (clip->genres);
  g_free (clip);
}

guint
quality_artist_fold (const char *artist)
{
  g_autofree char *folded = g_utf8_casefold (artist, -1);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
      folded, -1);
  char head[9];

  memcpy (head, digest, 8);
  head[8] = '\0';
  return (guint) (g_ascii_strtoull (head, NULL, 16) % QUALITY_N_FOLDS);
}

/* The fields of one CSV line: quoted ("" for a quote) or bare. */
static GPtrArray *
csv_fields (const char *line)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  const char *p = line;

  for (;;) {
    GString *f = g_string_new (NULL);

    if (*p == '"') {
      for (p++; *p; p++) {
        if (*p == '"' && p[1] == '"')
          g_string_append_c (f, *p++);
        else if (*p == '"') {
          p++;
          break;
        } else
          g_string_append_c (f, *p);
      }
    }
    while (*p && *p != ',')
      g_string_append_c (f, *p++);
    g_ptr_array_add (fields, g_string_free (f, FALSE));
    if (*p != ',')
      break;
    p++;
  }
  return fields;
}

static int
column (GPtrArray *header, const char *name)
{
  guint i;

  for (i = 0; i < header->len; i++)
    if (strcmp (header->pdata[i], name) == 0)
      return (int) i;
  return -1;
}

/* Song id -> its fields, from the metadata table (Latin-1). */
static GHashTable *
load_metadata (const char *dir, int *cols, GError **error)
{
  static const char *const names[] = { "Song", "Artist", "Quadrant",
    "MoodsStrSplit", "GenresStr", "Title" };
  g_autofree char *path = g_build_filename (dir, METADATA, NULL);
  g_autofree char *raw = NULL, *text = NULL;
  g_autoptr (GHashTable) rows = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GPtrArray) header = NULL;
  g_auto (GStrv) lines = NULL;
  gsize len;
  guint i, c;

  if (!g_file_get_contents (path, &raw, &len, error))
    return NULL;
  text = g_convert (raw, len, "UTF-8", "ISO-8859-1", NULL, NULL, error);
  if (!text)
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  header = csv_fields (g_strchomp (lines[0]));
  for (c = 0; c < G_N_ELEMENTS (names); c++) {
    cols[c] = column (header, names[c]);
    if (cols[c] < 0) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
          "%s: no column “%s”", path, names[c]);
      return NULL;
    }
  }
  for (i = 1; lines[i]; i++) {
    g_autoptr (GPtrArray) f = NULL;
    char *key;

    if (!*g_strchomp (lines[i]))
      continue;
    f = csv_fields (lines[i]);
    if (f->len != header->len) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
          "%s:%u: %u fields, the header has %u", path, i + 1, f->len,
          header->len);
      return NULL;
    }
    key = g_strdup (f->pdata[cols[0]]);
    g_hash_table_insert (rows, key, g_steal_pointer (&f));
  }
  return g_steal_pointer (&rows);
}

GPtrArray *
quality_4q_load (const char *dir, GError **error)
{
  g_autoptr (GPtrArray) clips = g_ptr_array_new_with_free_func
      ((GDestroyNotify) quality_clip_free);
  g_autoptr (GHashTable) rows = NULL;
  int cols[6];
  guint q;

  rows = load_metadata (dir, cols, error);
  if (!rows)
    return NULL;
  for (q = 1; q <= 4; q++) {
    g_autofree char *quadrant = g_strdup_printf ("Q%u", q);
    g_autofree char *folder = g_build_filename (dir, quadrant, NULL);
    char *args[] = { folder, NULL };
    g_autoptr (GPtrArray) files = NULL;
    guint i;

    if (!g_file_test (folder, G_FILE_TEST_IS_DIR)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
          "%s: not a folder (a 4Q set has Q1 to Q4)", folder);
      return NULL;
    }
    files = semblance_collect_audio_files (args);
    for (i = 0; i < files->len; i++) {
      const char *file = files->pdata[i];
      g_autofree char *base = g_path_get_basename (file);
      char *dot = strrchr (base, '.');
      GPtrArray *f;
      QualityClip *clip;

      if (dot)
        *dot = '\0';
      f = g_hash_table_lookup (rows, base);
      if (!f) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
            "%s: no row for it in %s", file, METADATA);
        return NULL;
      }
      if (strcmp (f->pdata[cols[2]], quadrant) != 0) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
            "%s: %s says %s", file, METADATA, (char *) f->pdata[cols[2]]);
        return NULL;
      }
      clip = g_new0 (QualityClip, 1);
      clip->path = g_canonicalize_filename (file, NULL);
      clip->label = g_strdup (quadrant);
      clip->artist = g_strdup (f->pdata[cols[1]]);
      clip->moods = g_strdup (f->pdata[cols[3]]);
      clip->genres = g_strdup (f->pdata[cols[4]]);
      clip->title = g_strdup (f->pdata[cols[5]]);
      clip->fold = quality_artist_fold (clip->artist);
      g_ptr_array_add (clips, clip);
    }
  }
  if (clips->len == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "%s: no audio files in Q1 to Q4", dir);
    return NULL;
  }
  return g_steal_pointer (&clips);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

GPtrArray *
quality_games_load (const char *dir, GError **error)
{
  g_autoptr (GPtrArray) clips = g_ptr_array_new_with_free_func
      ((GDestroyNotify) quality_clip_free);
  g_autoptr (GFileEnumerator) e = NULL;
  g_autoptr (GFile) root = g_file_new_for_path (dir);
  g_autoptr (GPtrArray) games = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) local = NULL;
  GFileInfo *info;
  guint i, j;

  e = g_file_enumerate_children (root, G_FILE_ATTRIBUTE_STANDARD_NAME ","
      G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE, NULL, error);
  if (!e)
    return NULL;
  while ((info = g_file_enumerator_next_file (e, NULL, &local))) {
    if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
      g_ptr_array_add (games, g_strdup (g_file_info_get_name (info)));
    g_object_unref (info);
  }
  if (local) {
    g_propagate_error (error, g_steal_pointer (&local));
    return NULL;
  }
  g_ptr_array_sort (games, compare_names);
  for (i = 0; i < games->len; i++) {
    g_autofree char *folder = g_build_filename (dir, games->pdata[i], NULL);
    char *args[] = { folder, NULL };
    g_autoptr (GPtrArray) files = semblance_collect_audio_files (args);

    for (j = 0; j < files->len; j++) {
      QualityClip *clip = g_new0 (QualityClip, 1);

      clip->path = g_canonicalize_filename (files->pdata[j], NULL);
      clip->label = g_strdup (games->pdata[i]);
      g_ptr_array_add (clips, clip);
    }
  }
  if (clips->len == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "%s: no audio files in its subfolders", dir);
    return NULL;
  }
  return g_steal_pointer (&clips);
}

/* "a; b/c;d" -> "a, b/c, d" appended to @out, lower case. */
static void
append_items (GString *out, const char *items)
{
  g_auto (GStrv) parts = g_strsplit (items ? items : "", ";", -1);
  guint i;

  for (i = 0; parts[i]; i++) {
    g_autofree char *lower = g_utf8_strdown (g_strstrip (parts[i]), -1);

    if (!lower[0])
      continue;
    g_strdelimit (lower, "\t\r\n", ' ');
    if (out->len)
      g_string_append (out, ", ");
    g_string_append (out, lower);
  }
}

char *
quality_clip_description (const QualityClip *clip)
{
  GString *s = g_string_new (NULL);

  append_items (s, clip->moods);
  append_items (s, clip->genres);
  return g_string_free (s, FALSE);
}

char *
quality_clip_tag_description (const QualityClip *clip)
{
  GString *s = g_string_new (NULL);

  append_items (s, clip->genres);
  if (clip->title && clip->title[0]) {
    g_autofree char *lower = g_utf8_strdown (clip->title, -1);

    /* A TAB would split the table's line. */
    g_strdelimit (lower, "\t\r\n", ' ');
    g_string_append_printf (s, "%s%s", s->len ? ", " : "", lower);
  }
  return g_string_free (s, FALSE);
}

gboolean
quality_write_folds (GPtrArray *clips, const char *dir, GError **error)
{
  guint k, i;

  if (g_mkdir_with_parents (dir, 0755) != 0) {
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
        "%s: cannot create the folder: %s", dir, g_strerror (errno));
    return FALSE;
  }
  for (k = 0; k < QUALITY_N_FOLDS; k++) {
    g_autoptr (GString) train = g_string_new (NULL);
    g_autoptr (GString) test = g_string_new (NULL);
    g_autoptr (GString) eval = g_string_new (NULL);
    g_autoptr (GString) tags = g_string_new (NULL);
    const char *kinds[] = { "train", "test", "eval", "train-tags" };
    const char *what[] = { "the other folds, for training",
      "this fold, held out", "this fold, labelled by quadrant",
      "the other folds, described by their genres and titles only" };
    GString *texts[] = { train, test, eval, tags };
    guint t;

    for (t = 0; t < G_N_ELEMENTS (texts); t++)
      g_string_append_printf (texts[t], "# 4Q, fold %u of %u by artist "
          "(bench-quality --write-folds): %s\n", k + 1, QUALITY_N_FOLDS,
          what[t]);
    for (i = 0; i < clips->len; i++) {
      const QualityClip *c = clips->pdata[i];
      g_autofree char *d = quality_clip_description (c);

      if (c->fold != k) {
        g_autofree char *u = quality_clip_tag_description (c);

        g_string_append_printf (train, "%s\t%s\n", c->path, d);
        g_string_append_printf (tags, "%s\t%s\n", c->path, u);
      } else {
        g_string_append_printf (test, "%s\t%s\n", c->path, d);
        g_string_append_printf (eval, "%s\t%s\t%s\n", c->path, c->label, d);
      }
    }
    for (t = 0; t < G_N_ELEMENTS (texts); t++) {
      g_autofree char *name = g_strdup_printf ("fold-%u-%s.tsv", k + 1,
          kinds[t]);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (!g_file_set_contents (path, texts[t]->str, texts[t]->len, error))
        return FALSE;
    }
  }
  return TRUE;
}
