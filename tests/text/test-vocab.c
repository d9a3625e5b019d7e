/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Loading data files as the untrusted input they are: the vocabulary and
 * tables of semantic vectors. */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "files.h"
#include "semblance.h"
#include "semblance-bytes.h"
#include "semblance-vocab-private.h"

static guint8 *original;
static gsize original_size;
static char *cache_home;

/* A copy of the real vocabulary with its digest made right again after a
 * change, so that the checks behind the digest are reached. */
static GBytes *
patched (void (*patch) (guint8 *data, gsize size))
{
  guint8 *data = g_memdup2 (original, original_size);
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = 32;

  if (patch)
    patch (data, original_size);
  g_checksum_update (sum, data + 64, original_size - 64);
  g_checksum_get_digest (sum, data + 24, &len);
  return g_bytes_new_take (data, original_size);
}

static void
assert_corrupt (GBytes *bytes, const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceVocab) vocab = semblance_vocab_new_from_bytes (bytes,
      &error);

  g_assert_null (vocab);
  g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fragment));
}

static gsize
records_at (const guint8 *data)
{
  return 64 + 4 * semblance_read_u32 (data + 12);
}

static void
swap_first_words (guint8 *data, gsize size)
{
  guint8 tmp[4];
  gsize r = records_at (data);

  memcpy (tmp, data + r, 4);
  memcpy (data + r, data + r + 20, 4);
  memcpy (data + r + 20, tmp, 4);
}

static void
pool_offset_out_of_range (guint8 *data, gsize size)
{
  semblance_put_u32 (data + records_at (data), 0x7fffffff);
}

static void
antonym_out_of_range (guint8 *data, gsize size)
{
  semblance_put_u32 (data + records_at (data) + 12, semblance_read_u32 (data + 16));
}

static void
lemma_is_itself (guint8 *data, gsize size)
{
  semblance_put_u32 (data + records_at (data) + 16, 0);
}

static void
weight_nan (guint8 *data, gsize size)
{
  semblance_put_u32 (data + records_at (data) + 8, 0x7fc00000);
}

static void
bad_version (guint8 *data, gsize size)
{
  semblance_put_u32 (data + 8, 99);
}

static void
huge_dimension (guint8 *data, gsize size)
{
  semblance_put_u32 (data + 12, 0xffffffff);
}

static void
common_infinite (guint8 *data, gsize size)
{
  semblance_put_u32 (data + 64, 0x7f800000);
}

static void
test_vocab_loads (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceVocab) vocab = NULL;
  g_autoptr (GBytes) bytes = patched (NULL);
  int index;

  vocab = semblance_vocab_new_from_file (semblance_vocab_default_path (),
      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (semblance_vocab_get_dim (vocab), ==, 100);
  g_assert_cmpuint (semblance_vocab_get_size (vocab), >, 30000);
  index = semblance_vocab_lookup (vocab, "melancholic");
  g_assert_cmpint (index, >=, 0);
  g_assert_cmpstr (semblance_vocab_get_word (vocab, index), ==, "melancholic");
  g_assert_cmpint (semblance_vocab_lookup (vocab, "xyzzyqq"), ==, -1);
  g_assert_cmpint (semblance_vocab_get_antonym (vocab,
          semblance_vocab_lookup (vocab, "happy")), ==,
      semblance_vocab_lookup (vocab, "unhappy"));
  g_assert_cmpint (semblance_vocab_get_lemma (vocab,
          semblance_vocab_lookup (vocab, "drums")), ==,
      semblance_vocab_lookup (vocab, "drum"));
  g_assert_cmpint (semblance_vocab_get_lemma (vocab,
          semblance_vocab_lookup (vocab, "drum")), ==, -1);
  g_clear_pointer (&vocab, semblance_vocab_free);

  /* Re-signing an unchanged file changes nothing. */
  vocab = semblance_vocab_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
}

static void
test_vocab_faults (void)
{
  g_autoptr (GBytes) truncated = g_bytes_new (original, original_size - 1);
  g_autoptr (GBytes) tiny = g_bytes_new (original, 10);
  g_autoptr (GBytes) empty = g_bytes_new (NULL, 0);
  guint8 *flipped = g_memdup2 (original, original_size);
  g_autoptr (GBytes) flipped_bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *missing = NULL;
  struct
  {
    void (*patch) (guint8 *, gsize);
    const char *fragment;
  } cases[] = {
    { swap_first_words, "ascending" },
    { pool_offset_out_of_range, "outside the pool" },
    { antonym_out_of_range, "antonym" },
    { weight_nan, "weight" },
    { lemma_is_itself, "base form" },
    { bad_version, "version 99" },
    { huge_dimension, "dimension" },
    { common_infinite, "not finite" },
  };
  gsize i;

  assert_corrupt (truncated, "header announces");
  assert_corrupt (tiny, "shorter than the header");
  assert_corrupt (empty, "shorter than the header");
  flipped[original_size / 2] ^= 0x40;
  flipped_bytes = g_bytes_new_take (flipped, original_size);
  assert_corrupt (flipped_bytes, "digest");
  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GBytes) bytes = patched (cases[i].patch);

    assert_corrupt (bytes, cases[i].fragment);
  }

  missing = g_build_filename (g_get_tmp_dir (), "no-such-vocab.bin", NULL);
  g_assert_null (semblance_vocab_new_from_file (missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

/* Loads @path; returns whether its digest was computed, or -1 when the
 * load failed with an error that names the digest. */
static int
load_computed (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceVocab) vocab = semblance_vocab_new_from_file (path,
      &error);

  if (!vocab) {
    g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT);
    g_assert_nonnull (strstr (error->message, "digest"));
    return -1;
  }
  g_assert_no_error (error);
  g_assert_cmpuint (semblance_vocab_get_size (vocab), >, 30000);
  return semblance_vocab_digest_was_computed (vocab);
}

/* The digest is computed once per file identity, remembered in the user's
 * cache folder; a changed file is checked again, even one whose size and
 * modification time were kept; a damaged or unwritable cache costs only
 * the time. */
static void
test_vocab_digest_cache (void)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-vocab-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "vocab.bin", NULL);
  g_autofree char *copy = g_build_filename (dir, "copy.bin", NULL);
  g_autofree char *cache_dir = g_build_filename (cache_home, "semblance",
      NULL);
  g_autofree char *cache = g_build_filename (cache_dir, "vocab-digests",
      NULL);
  guint8 garbage[4096];
  gsize i;

  g_assert_true (g_file_set_contents (path, (char *) original,
          original_size, NULL));
  g_assert_cmpint (load_computed (path), ==, 1);
  g_assert_true (g_file_test (cache, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (load_computed (path), ==, 0);

  /* Timestamps move in clock ticks of a few milliseconds. */
  g_usleep (50 * 1000);
  flip_in_place (path, (goffset) original_size / 2);
  g_assert_cmpint (load_computed (path), ==, -1);
  g_usleep (50 * 1000);
  flip_in_place (path, (goffset) original_size / 2);
  g_assert_cmpint (load_computed (path), ==, 1);
  g_assert_cmpint (load_computed (path), ==, 0);

  /* Another file put in its place, with the same contents. */
  g_assert_true (g_file_set_contents (copy, (char *) original,
          original_size, NULL));
  g_assert_cmpint (g_rename (copy, path), ==, 0);
  g_assert_cmpint (load_computed (path), ==, 1);
  g_assert_cmpint (load_computed (path), ==, 0);

  /* A cache of garbage: checked, and the cache written anew. */
  for (i = 0; i < sizeof garbage; i++)
    garbage[i] = (guint8) g_test_rand_int ();
  g_assert_true (g_file_set_contents (cache, (char *) garbage,
          sizeof garbage, NULL));
  g_assert_cmpint (load_computed (path), ==, 1);
  g_assert_cmpint (load_computed (path), ==, 0);

  /* No cache folder can be made: checked every time. */
  g_assert_cmpint (g_unlink (cache), ==, 0);
  g_assert_cmpint (g_rmdir (cache_dir), ==, 0);
  g_assert_true (g_file_set_contents (cache_dir, "", 0, NULL));
  g_assert_cmpint (load_computed (path), ==, 1);
  g_assert_cmpint (load_computed (path), ==, 1);
  g_assert_cmpint (g_unlink (cache_dir), ==, 0);

  g_unlink (path);
  g_rmdir (dir);
}

static SemblanceSemanticTable *
parse (const char *text, GError **error)
{
  return semblance_semantic_table_parse (text, strlen (text), "vectors.tsv",
      error);
}

static void
test_semantic_table (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceSemanticTable) t = parse ("# from model X\n"
      "/music/a.flac\t3\t4\n"
      "\n"
      "/music/b b.ogg\t-1e0\t0.0\r\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (t->n, ==, 2);
  g_assert_cmpuint (t->dim, ==, 2);
  g_assert_cmpstr (t->paths[0], ==, "/music/a.flac");
  g_assert_cmpstr (t->paths[1], ==, "/music/b b.ogg");
  g_assert_null (t->paths[2]);
  g_assert_cmpfloat_with_epsilon (t->vectors[0], 0.6, 1e-6);
  g_assert_cmpfloat_with_epsilon (t->vectors[1], 0.8, 1e-6);
  g_assert_cmpfloat_with_epsilon (t->vectors[2], -1.0, 1e-6);
}

static void
test_semantic_table_faults (void)
{
  static const struct
  {
    const char *text;
    const char *fragment;
  } cases[] = {
    { "", "vectors.tsv: no vectors" },
    { "# only a comment\n", "no vectors" },
    { "a.ogg 1 2\n", "vectors.tsv:1: no TAB" },
    { "\t1\t2\n", "path is empty" },
    { "a.ogg\t1\n", "at least 2" },
    { "a.ogg\t1\t2\nb.ogg\t1\t2\t3\n", "vectors.tsv:2: 3 values where" },
    { "a.ogg\t1\tx\n", "value 2 (“x”) is not a number" },
    { "a.ogg\t1\t\n", "value 2" },
    { "a.ogg\t1\tnan\n", "not finite" },
    { "a.ogg\t1\tinf\n", "not finite" },
    { "a.ogg\t1\t1e300\n", "not finite" },
    { "a.ogg\t0\t0\n", "zero" },
    { "a.ogg\t1\t2\n# c\na.ogg\t3\t4\n", "vectors.tsv:3: “a.ogg” appears twice" },
    { "a.ogg\t1\t2\n\xff\t1\t2\n", "not UTF-8" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (SemblanceSemanticTable) t = parse (cases[i].text, &error);

    g_assert_null (t);
    g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT);
    if (!strstr (error->message, cases[i].fragment))
      g_error ("case %zu: “%s” lacks “%s”", i, error->message,
          cases[i].fragment);
  }
}

static void
test_semantic_table_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("semblance-test-vocab-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "mine.tsv", NULL);
  g_autoptr (SemblanceSemanticTable) t = NULL;

  g_assert_true (g_file_set_contents (path, "x.ogg\t1\t2\ny.ogg\t1\n", -1,
          NULL));
  t = semblance_semantic_table_load (path, &error);
  g_assert_null (t);
  g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT);
  /* The file's name and the line. */
  g_assert_nonnull (strstr (error->message, "mine.tsv:2:"));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  /* Before anything asks GLib for the cache folder, which it reads once:
   * the digest cache goes to a folder of the test's own. */
  cache_home = g_dir_make_tmp ("semblance-cache-XXXXXX", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_assert_true (g_file_get_contents (semblance_vocab_default_path (),
          (char **) &original, &original_size, &error));
  g_test_add_func ("/vocab/loads", test_vocab_loads);
  g_test_add_func ("/vocab/faults", test_vocab_faults);
  g_test_add_func ("/vocab/digest-cache", test_vocab_digest_cache);
  g_test_add_func ("/semantic-table/parse", test_semantic_table);
  g_test_add_func ("/semantic-table/faults", test_semantic_table_faults);
  g_test_add_func ("/semantic-table/file", test_semantic_table_file);
  status = g_test_run ();
  g_free (original);
  {
    g_autofree char *cache_dir = g_build_filename (cache_home, "semblance",
        NULL);
    g_autofree char *cache = g_build_filename (cache_dir, "vocab-digests",
        NULL);

    g_unlink (cache);
    g_rmdir (cache_dir);
    g_rmdir (cache_home);
  }
  return status;
}
