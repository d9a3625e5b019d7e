/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-dataset.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CACHE_MAGIC "SMBLFEAT"

void
semblance_dataset_free (SemblanceDataset *set)
{
  if (!set)
    return;
  g_strfreev (set->paths);
  g_strfreev (set->labels);
  g_free (set->semantic);
  g_free (set->semantic_source);
  g_free (set->words);
  g_free (set->word_vectors);
  g_free (set->mentions);
  g_clear_pointer (&set->contents, g_bytes_unref);
  g_free (set);
}

static gboolean
is_number (const char *s)
{
  char *end;

  g_ascii_strtod (s, &end);
  return *s && *end == '\0';
}

/* The words, their vectors and the mentions of semblance-dataset.h. */
static void
describer_words (SemblanceDataset *set, SemblanceTextEncoder *encoder,
                 GPtrArray *texts)
{
  guint all, i, w;
  const char *const *words = semblance_text_describer_words (&all);
  g_autofree guint *known = g_new (guint, all);
  g_autofree guint8 *marks = g_new (guint8, all);

  set->words = g_new (const char *, all);
  set->word_vectors = g_new (float, (gsize) all * set->semantic_dim);
  for (i = 0; i < all; i++)
    if (semblance_text_encoder_embed (encoder, words[i], set->word_vectors
            + (gsize) set->n_words * set->semantic_dim, NULL, NULL)) {
      known[set->n_words] = i;
      set->words[set->n_words++] = words[i];
    }
  set->mentions = g_new0 (guint8, (gsize) set->n * MAX (set->n_words, 1));
  for (i = 0; i < set->n; i++) {
    if (!texts->pdata[i])
      continue;
    semblance_text_encoder_mentions (encoder, texts->pdata[i], marks);
    for (w = 0; w < set->n_words; w++)
      set->mentions[(gsize) i * set->n_words + w] = marks[known[w]];
  }
}

SemblanceDataset *
semblance_dataset_load (const char *path, gboolean labelled, GError **error)
{
  g_autoptr (SemblanceDataset) set = g_new0 (SemblanceDataset, 1);
  g_autofree char *text = NULL;
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *abs_dir = NULL;
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) vectors = g_string_new (NULL);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, NULL);
  g_autoptr (GArray) line_of = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto (GStrv) lines = NULL;
  gsize length;
  int mode = 0;                 /* 1: descriptions, 2: vectors */
  guint i, first = labelled ? 2 : 1;

  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  if (!g_utf8_validate (text, length, NULL) || memchr (text, '\0', length)) {
    semblance_error_corrupt_line (error, display, 1, "not UTF-8 text");
    return NULL;
  }
  set->contents = g_bytes_new (text, length);
  abs_dir = g_canonicalize_filename (dir, NULL);

  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i]; i++) {
    g_auto (GStrv) fields = NULL;
    char *line = g_strchomp (lines[i]);
    guint n;

    /* One line of vectors per line of the table, so that the parser's
     * line numbers are the table's. */
    if (line[0] == '\0' || line[0] == '#') {
      g_string_append_c (vectors, '\n');
      continue;
    }
    fields = g_strsplit (line, "\t", -1);
    n = g_strv_length (fields);
    if (n < first || fields[0][0] == '\0' ||
        (n == first && (labelled || mode == 2))) {
      semblance_error_corrupt_line (error, display, i + 1, labelled ?
          "expected: path, TAB, label, TAB, description or vector" :
          "expected: path, TAB, description or vector");
      return NULL;
    }
    if (n == first) {
      /* A path alone: a track without a description, for training (an
       * evaluation compares descriptions, so it needs one on every
       * line). */
      g_ptr_array_add (texts, NULL);
      g_string_append_c (vectors, '\n');
    } else {
      if (mode == 0)
        mode = n == first + 1 && !is_number (fields[first]) ? 1 : 2;
      if (mode == 2 && texts->len > 0) {
        semblance_error_corrupt_line (error, display, i + 1, "a semantic "
            "vector, where earlier lines have a path alone (tracks without "
            "a description go only with descriptions in words)");
        return NULL;
      }
      if (mode == 1) {
        if (n != first + 1) {
          semblance_error_corrupt_line (error, display, i + 1, "a "
              "description is one field (earlier lines have descriptions)");
          return NULL;
        }
        g_ptr_array_add (texts, g_strdup (fields[first]));
        g_string_append_c (vectors, '\n');
      } else {
        guint f;

        /* The vectors are checked by the semantic table's own parser. */
        g_string_append_printf (vectors, "%u", paths->len);
        for (f = first; f < n; f++)
          g_string_append_printf (vectors, "\t%s", fields[f]);
        g_string_append_c (vectors, '\n');
      }
    }
    {
      char *track = g_path_is_absolute (fields[0]) ? g_strdup (fields[0])
          : g_build_filename (abs_dir, fields[0], NULL);
      g_autofree char *canonical = g_canonicalize_filename (track, NULL);
      guint number = i + 1;

      /* Checked on the file, not on the vector parser's row numbers: "a"
       * and "./a" are one track. */
      if (g_hash_table_contains (seen, canonical)) {
        semblance_error_corrupt_line (error, display, number, "“%s” appears "
            "twice (first on line %u)", fields[0],
            GPOINTER_TO_UINT (g_hash_table_lookup (seen, canonical)));
        g_free (track);
        return NULL;
      }
      g_hash_table_insert (seen, g_steal_pointer (&canonical),
          GUINT_TO_POINTER (number));
      g_array_append_val (line_of, number);
      g_ptr_array_add (paths, track);
    }
    if (labelled)
      g_ptr_array_add (labels, g_strdup (fields[1]));
  }
  if (paths->len == 0) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_EMPTY,
        "%s: no tracks in the table", display);
    return NULL;
  }

  set->n = paths->len;
  /* Lines with paths alone are descriptions in words, none given. */
  if (mode != 2) {
    g_autoptr (SemblanceTextEncoder) encoder =
        semblance_text_encoder_new_default (error);

    if (!encoder)
      return NULL;
    set->semantic_dim = semblance_text_encoder_get_dim (encoder);
    set->semantic = g_new (float, (gsize) set->n * set->semantic_dim);
    set->semantic_source = g_strdup (semblance_text_encoder_get_id (encoder));
    /* Only training calibrates words; the lemma lookups that mark them
     * cost more than reading the table. */
    if (!labelled)
      describer_words (set, encoder, texts);
    for (i = 0; i < set->n; i++) {
      g_autoptr (GError) local = NULL;

      if (!texts->pdata[i]) {
        memset (set->semantic + (gsize) i * set->semantic_dim, 0,
            set->semantic_dim * sizeof (float));
        continue;
      }
      if (!semblance_text_encoder_embed (encoder, texts->pdata[i],
              set->semantic + (gsize) i * set->semantic_dim, NULL, &local)) {
        g_set_error (error, SEMBLANCE_ERROR, local->code,
            "%s: the description of %s: %s", display,
            (char *) paths->pdata[i], local->message);
        return NULL;
      }
    }
  } else {
    g_autoptr (SemblanceSemanticTable) table =
        semblance_semantic_table_parse (vectors->str, vectors->len, display,
        error);

    if (!table)
      return NULL;
    /* Values too small for a float (1e-46) pass as a vector and become
     * zeros: no direction is left to compare. */
    for (i = 0; i < table->n; i++) {
      const float *row = table->vectors + (gsize) i * table->dim;
      guint c;

      for (c = 0; c < table->dim && row[c] == 0.0f; c++)
        ;
      if (c == table->dim) {
        semblance_error_corrupt_line (error, display,
            g_array_index (line_of, guint, i), "the vector's values are too "
            "small for a float (the smallest is about 1e-38): it would be "
            "zero");
        return NULL;
      }
    }
    set->semantic_dim = table->dim;
    set->semantic = g_steal_pointer (&table->vectors);
    set->semantic_source = g_strdup_printf ("vectors:%s", display);
  }
  g_ptr_array_add (paths, NULL);
  set->paths = (char **) g_ptr_array_steal (paths, NULL);
  if (labelled) {
    g_ptr_array_add (labels, NULL);
    set->labels = (char **) g_ptr_array_steal (labels, NULL);
  }
  return g_steal_pointer (&set);
}

/* The cache file of @path as it is now: its name follows the file's path,
 * size and modification time and the feature layout. */
static char *
cache_file (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInfo) info = g_file_query_info (file,
      G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_TIME_MODIFIED,
      G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_autofree char *key = NULL, *digest = NULL;

  if (!info)
    return NULL;
  key = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%" G_GUINT64_FORMAT
      "\n%d", path, g_file_info_get_size (info),
      g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED),
      SEMBLANCE_LAYOUT_VERSION);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  return g_build_filename (g_get_user_cache_dir (), "semblance", "features",
      digest, NULL);
}

static gboolean
cache_read (const char *file, float *vector)
{
  g_autofree char *data = NULL;
  gsize len;
  guint i;

  if (!file || !g_file_get_contents (file, &data, &len, NULL)
      || len != 8 + SEMBLANCE_FEATURE_DIM * sizeof (float)
      || memcmp (data, CACHE_MAGIC, 8) != 0)
    return FALSE;
  memcpy (vector, data + 8, SEMBLANCE_FEATURE_DIM * sizeof (float));
  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++)
    if (!isfinite (vector[i]))
      return FALSE;
  return TRUE;
}

static void
cache_write (const char *file, const float *vector)
{
  g_autofree char *dir = g_path_get_dirname (file);
  char data[8 + SEMBLANCE_FEATURE_DIM * sizeof (float)];

  memcpy (data, CACHE_MAGIC, 8);
  memcpy (data + 8, vector, SEMBLANCE_FEATURE_DIM * sizeof (float));
  /* A cache that cannot be written only costs time. */
  if (g_mkdir_with_parents (dir, 0700) == 0)
    g_file_set_contents (file, data, sizeof data, NULL);
}

typedef struct
{
  SemblanceDataset *set;
  float *features;
  gboolean *ok;
  guint done;
  guint cached;
  GMutex lock;
  gboolean verbose;
  gboolean tty;
} Job;

static void
analyse_one (gpointer data, gpointer user_data)
{
  guint index = GPOINTER_TO_UINT (data) - 1;
  Job *job = user_data;
  const char *path = job->set->paths[index];
  g_autofree char *file = cache_file (path);
  float *vector = job->features + (gsize) index * SEMBLANCE_FEATURE_DIM;
  g_autoptr (GError) error = NULL;
  gboolean cached = cache_read (file, vector);
  SemblanceProperties props;

  if (!cached && semblance_analyze_file (path, SEMBLANCE_DECODER_AUTO, NULL,
          &props, &error)) {
    memcpy (vector, props.vector, sizeof props.vector);
    if (file)
      cache_write (file, vector);
  }
  g_mutex_lock (&job->lock);
  job->ok[index] = cached || !error;
  job->cached += cached;
  job->done++;
  if (error)
    fprintf (stderr, "%ssemblance: %s\n", job->tty ? "\n" : "",
        error->message);
  /* On a terminal a line that updates, elsewhere only the total. */
  if (job->verbose && (job->tty || job->done == job->set->n))
    fprintf (stderr, "%sanalysing tracks: %u of %u (%u from the cache)%s",
        job->tty ? "\r" : "", job->done, job->set->n, job->cached,
        job->done == job->set->n || !job->tty ? "\n" : "");
  g_mutex_unlock (&job->lock);
}

float *
semblance_dataset_features (SemblanceDataset *set, gboolean verbose,
                            GError **error)
{
  g_autofree gboolean *ok = g_new0 (gboolean, set->n);
  float *features = g_new0 (float, (gsize) set->n * SEMBLANCE_FEATURE_DIM);
  Job job = { set, features, ok, 0, 0, { 0 }, verbose,
    verbose && isatty (STDERR_FILENO) };
  GThreadPool *pool;
  guint i, kept = 0;

  g_mutex_init (&job.lock);
  pool = g_thread_pool_new (analyse_one, &job, (gint) g_get_num_processors (),
      FALSE, error);
  if (!pool) {
    g_free (features);
    return NULL;
  }
  for (i = 0; i < set->n; i++)
    g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
  g_mutex_clear (&job.lock);

  /* Drop the tracks that failed, keeping the rest in order. */
  for (i = 0; i < set->n; i++) {
    if (!ok[i]) {
      g_free (set->paths[i]);
      if (set->labels)
        g_free (set->labels[i]);
      continue;
    }
    memmove (features + (gsize) kept * SEMBLANCE_FEATURE_DIM,
        features + (gsize) i * SEMBLANCE_FEATURE_DIM,
        SEMBLANCE_FEATURE_DIM * sizeof (float));
    memmove (set->semantic + (gsize) kept * set->semantic_dim,
        set->semantic + (gsize) i * set->semantic_dim,
        set->semantic_dim * sizeof (float));
    if (set->mentions)
      memmove (set->mentions + (gsize) kept * set->n_words,
          set->mentions + (gsize) i * set->n_words, set->n_words);
    set->paths[kept] = set->paths[i];
    if (set->labels)
      set->labels[kept] = set->labels[i];
    kept++;
  }
  set->paths[kept] = NULL;
  if (set->labels)
    set->labels[kept] = NULL;
  set->n = kept;
  if (kept == 0) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_EMPTY,
        "no track of the table could be analysed");
    g_free (features);
    return NULL;
  }
  return features;
}
