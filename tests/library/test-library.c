/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The library as a player sees it: queries by URI, by vector and by text on
 * an index of the demo clips, results that follow the database as another
 * connection changes it. */
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "fixtures.h"
#include "semblance.h"
#include "semblance-store-private.h"

static char *dir, *db;

static SemblanceLibrary *
open_library (void)
{
  g_autoptr (GError) error = NULL;
  SemblanceLibrary *lib = semblance_library_new (db, NULL, &error);

  g_assert_no_error (error);
  return lib;
}

static void
assert_sorted (GPtrArray *found)
{
  guint i;

  for (i = 0; i < found->len; i++) {
    SemblanceResult *r = found->pdata[i];

    g_assert_true (g_str_has_prefix (r->uri, "file:///"));
    g_assert_cmpfloat (r->similarity, >=, 0.0f);
    g_assert_cmpfloat (r->similarity, <=, 1.0f);
    g_assert_cmpfloat (r->duration, >, 19.0);
    /* Ranked by mutual proximity, the query's similarity. */
    if (i > 0)
      g_assert_cmpfloat (r->similarity, <=,
          ((SemblanceResult *) found->pdata[i - 1])->similarity);
  }
}

static void
test_queries (void)
{
  g_autoptr (SemblanceLibrary) lib = open_library ();
  g_autofree char *sad = demo_uri ("sad.ogg");
  g_autofree char *missing = demo_uri ("not-there.ogg");
  const char *seeds[] = { sad, NULL }, *bad[] = { missing, NULL };
  g_autoptr (GPtrArray) similar = NULL, nearest = NULL, found = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) words = NULL;
  g_autofree float *v = NULL;
  SemblanceQueryOptions o;
  guint i;

  g_assert_cmpuint (semblance_library_get_size (lib), ==, 6);
  g_assert_true (semblance_library_contains (lib, sad));
  g_assert_false (semblance_library_contains (lib, missing));

  semblance_query_options_init (&o);
  o.n = 10;
  similar = semblance_library_similar (lib, seeds, &o, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (similar->len, ==, 5);
  assert_sorted (similar);
  for (i = 0; i < similar->len; i++)
    g_assert_cmpstr (((SemblanceResult *) similar->pdata[i])->uri, !=, sad);

  g_assert_null (semblance_library_similar (lib, bad, &o, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "not-there.ogg"));
  g_clear_error (&error);

  words = semblance_library_describe (lib, sad, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (words), ==, 3);
  g_assert_cmpstr (words[0], !=, words[1]);

  found = semblance_library_search (lib, "a slow sad piano", &o, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 6);
  assert_sorted (found);
  g_clear_pointer (&found, g_ptr_array_unref);
  g_assert_null (semblance_library_search (lib, "qzxv", &o, &error));
  g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_EMPTY);
  g_clear_error (&error);

  /* A vector heard live finds the track it came from first. */
  {
    g_autofree char *path = g_filename_from_uri (sad, NULL, NULL);
    SemblanceProperties props;

    g_assert_true (semblance_analyze_file (path, SEMBLANCE_DECODER_AUTO, NULL,
            &props, &error));
    v = semblance_library_embed (lib, props.vector);
  }
  nearest = semblance_library_nearest (lib, v, &o);
  g_assert_cmpuint (nearest->len, ==, 6);
  g_assert_cmpstr (((SemblanceResult *) nearest->pdata[0])->uri, ==, sad);
  /* Float rounding of the stored and the new vector, no more: far below
   * the next track's distance, whatever the model's scale. */
  g_assert_cmpfloat (((SemblanceResult *) nearest->pdata[0])->distance, <,
      1e-3 * ((SemblanceResult *) nearest->pdata[1])->distance);

  /* Exclusions: never among the results, whichever query; URIs the
   * library does not have are no error. */
  {
    g_autofree char *first = g_strdup (((SemblanceResult *)
            similar->pdata[0])->uri);
    const char *exclude[] = { first, sad, missing, NULL };
    g_autoptr (GPtrArray) without = NULL, near_without = NULL;

    o.exclude = exclude;
    without = semblance_library_similar (lib, seeds, &o, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (without->len, ==, 4);
    for (i = 0; i < without->len; i++)
      g_assert_cmpstr (((SemblanceResult *) without->pdata[i])->uri, ==,
          ((SemblanceResult *) similar->pdata[i + 1])->uri);
    near_without = semblance_library_nearest (lib, v, &o);
    g_assert_cmpuint (near_without->len, ==, 4);
    for (i = 0; i < near_without->len; i++) {
      g_assert_cmpstr (((SemblanceResult *) near_without->pdata[i])->uri, !=,
          sad);
      g_assert_cmpstr (((SemblanceResult *) near_without->pdata[i])->uri, !=,
          first);
    }
  }
}

static void
on_similar (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GPtrArray **) data = semblance_library_similar_finish
      (SEMBLANCE_LIBRARY (source), result, NULL);
}

/* An asynchronous query keeps its own copy of the exclusions: the
 * caller's may be gone before the query runs. */
static void
test_async_exclude (void)
{
  g_autoptr (SemblanceLibrary) lib = open_library ();
  g_autofree char *sad = demo_uri ("sad.ogg");
  g_autofree char *battle = demo_uri ("battle.ogg");
  const char *seeds[] = { sad, NULL };
  GPtrArray *found = NULL;
  SemblanceQueryOptions o;
  char **exclude = g_new0 (char *, 2);
  guint i;

  exclude[0] = g_strdup (battle);
  semblance_query_options_init (&o);
  o.exclude = (const char *const *) exclude;
  semblance_library_similar_async (lib, seeds, &o, NULL, on_similar, &found);
  g_strfreev (exclude);
  while (!found)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (found->len, ==, 4);
  for (i = 0; i < found->len; i++)
    g_assert_cmpstr (((SemblanceResult *) found->pdata[i])->uri, !=, battle);
  g_ptr_array_unref (found);
}

/* Another connection changes the database: the next query sees it. The
 * library's own writes are seen too, and a live analysis is stored so that
 * the indexer does not analyse the file again. */
static void
test_follows_changes (void)
{
  g_autoptr (SemblanceLibrary) lib = open_library ();
  g_autofree char *copy = g_build_filename (dir, "copy.ogg", NULL);
  g_autofree char *copy_uri = g_filename_to_uri (copy, NULL, NULL);
  g_autofree char *src = g_build_filename (g_getenv ("SEMBLANCE_DEMO_DIR"),
      "battle.ogg", NULL);
  g_autofree char *data = NULL;
  g_autoptr (GError) error = NULL;
  SemblanceProperties props;
  gsize len;

  g_assert_cmpuint (semblance_library_get_size (lib), ==, 6);
  g_assert_true (g_file_get_contents (src, &data, &len, NULL));
  g_assert_true (g_file_set_contents (copy, data, len, NULL));

  {
    g_autoptr (SemblanceStore) other = semblance_store_open (db, &error);

    g_assert_no_error (error);
    g_assert_true (semblance_store_remove (other, copy_uri) == FALSE);
  }
  g_assert_true (semblance_analyze_file (copy, SEMBLANCE_DECODER_AUTO, NULL,
          &props, &error));
  g_assert_true (semblance_library_store_analysis (lib, copy_uri, &props,
          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (semblance_library_get_size (lib), ==, 7);
  g_assert_true (semblance_library_contains (lib, copy_uri));

  {
    g_autoptr (SemblanceIndexer) indexer = semblance_indexer_new (db, NULL, 1);

    semblance_indexer_add_path (indexer, copy);
    g_assert_true (semblance_indexer_run (indexer, NULL, &error));
    g_assert_cmpuint (semblance_indexer_get_total (indexer), ==, 0);
  }

  {
    g_autoptr (SemblanceStore) other = semblance_store_open (db, &error);

    g_assert_true (semblance_store_remove (other, copy_uri));
  }
  g_assert_cmpuint (semblance_library_get_size (lib), ==, 6);
  g_assert_false (semblance_library_contains (lib, copy_uri));

  g_assert_false (semblance_library_store_analysis (lib,
          "http://radio.example/stream", &props, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "radio.example"));
  g_clear_error (&error);
  g_assert_false (semblance_library_forget (lib, copy_uri));
  g_remove (copy);
}

static gboolean
has_uri (GPtrArray *found, const char *uri)
{
  guint i;

  for (i = 0; i < found->len; i++)
    if (strcmp (((SemblanceResult *) found->pdata[i])->uri, uri) == 0)
      return TRUE;
  return FALSE;
}

static void
sql (const char *statement)
{
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, statement, NULL, NULL, NULL), ==,
      SQLITE_OK);
  sqlite3_close (handle);
}

static int
sql_count (const char *statement)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  int n = -1;

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, statement, -1, &stmt, NULL),
      ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return n;
}

/* Text search ranks the predictions the index stored: each result says
 * which words of the query it matches, the best has the full bar, short
 * clips come only when asked for, and tracks indexed before predictions
 * get theirs from their vectors, without decoding. */
static void
test_search (void)
{
  g_autoptr (SemblanceLibrary) lib = open_library ();
  g_autoptr (GPtrArray) found = NULL, again = NULL, with_short = NULL;
  g_autoptr (GPtrArray) jingle = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *first = NULL;
  SemblanceQueryOptions o;
  guint i, j;

  g_assert_cmpint (sql_count ("SELECT count(*) FROM vectors WHERE"
          " length (semantic) = 400"), ==, 6);
  semblance_query_options_init (&o);
  o.n = 10;
  found = semblance_library_search (lib, "a slow sad piano with strings", &o,
      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 6);
  g_assert_cmpfloat (((SemblanceResult *) found->pdata[0])->similarity, ==,
      1.0f);
  for (i = 0; i < found->len; i++) {
    SemblanceResult *r = found->pdata[i];

    g_assert_nonnull (r->matched);
    g_assert_cmpfloat (r->distance, >=, 0.0f);
    g_assert_cmpfloat (r->distance, <=, 2.0f);
    /* "a" and "with" are too common to be matched. */
    for (j = 0; r->matched[j]; j++)
      g_assert_true (g_strv_contains ((const char *const[]) { "slow", "sad",
              "piano", "strings", NULL }, r->matched[j]));
  }
  /* A negation goes with the word it negates. */
  g_clear_pointer (&found, g_ptr_array_unref);
  found = semblance_library_search (lib, "not calm, isn't slow; piano", &o,
      &error);
  g_assert_no_error (error);
  for (i = 0; i < found->len; i++) {
    SemblanceResult *r = found->pdata[i];

    for (j = 0; r->matched[j]; j++)
      g_assert_true (g_strv_contains ((const char *const[]) { "not calm",
              "isn't slow", "piano", NULL }, r->matched[j]));
  }
  /* A genre's name is one word of the query, matched or not as a whole. */
  g_clear_pointer (&found, g_ptr_array_unref);
  found = semblance_library_search (lib, "heavy metal, piano", &o, &error);
  g_assert_no_error (error);
  for (i = 0; i < found->len; i++) {
    SemblanceResult *r = found->pdata[i];

    for (j = 0; r->matched[j]; j++)
      g_assert_true (g_strv_contains ((const char *const[]) { "heavy metal",
              "piano", NULL }, r->matched[j]));
  }
  /* A one-word query: the best track matches it, by the z-score of its
   * cosine, which the top of a list of six exceeds. */
  g_clear_pointer (&found, g_ptr_array_unref);
  found = semblance_library_search (lib, "piano", &o, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (((SemblanceResult *) found->pdata[0])->matched,
      ((const char *const[]) { "piano", NULL }));
  first = g_strdup (((SemblanceResult *) found->pdata[0])->uri);

  /* The same track as a 5 s jingle (its tags, from another connection):
   * left out, unless short clips are asked for. */
  sql ("UPDATE tracks SET duration = 5 WHERE id = (SELECT id FROM tracks"
      " ORDER BY id LIMIT 1)");
  {
    g_autoptr (SemblanceStore) store = semblance_store_open (db, &error);
    SemblanceTrackInfo t = { 0 };

    g_assert_no_error (error);
    g_assert_true (semblance_store_get_track (store, 1, &t));
    jingle = semblance_library_search (lib, "piano", &o, &error);
    g_assert_cmpuint (jingle->len, ==, 5);
    g_assert_false (has_uri (jingle, t.uri));
    o.include_short = TRUE;
    with_short = semblance_library_search (lib, "piano", &o, &error);
    g_assert_cmpuint (with_short->len, ==, 6);
    g_assert_true (has_uri (with_short, t.uri));
    o.include_short = FALSE;
    semblance_track_info_clear (&t);
  }
  sql ("UPDATE tracks SET duration = 20 WHERE id = (SELECT id FROM tracks"
      " ORDER BY id LIMIT 1)");

  /* An index of before predictions: the indexer makes them from the
   * vectors, decoding nothing, and search gives the same list. */
  sql ("UPDATE vectors SET semantic = NULL");
  {
    g_autoptr (SemblanceIndexer) indexer = semblance_indexer_new (db, NULL, 1);

    semblance_indexer_add_path (indexer, g_getenv ("SEMBLANCE_DEMO_DIR"));
    g_assert_true (semblance_indexer_run (indexer, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (semblance_indexer_get_done (indexer), ==, 0);
    g_assert_cmpint (sql_count ("SELECT count(*) FROM vectors WHERE"
            " length (semantic) = 400"), ==, 6);
  }
  again = semblance_library_search (lib, "piano", &o, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 6);
  g_assert_cmpstr (((SemblanceResult *) again->pdata[0])->uri, ==, first);

  /* Queries other than text search match no words. */
  {
    g_autofree char *sad = demo_uri ("sad.ogg");
    const char *seeds[] = { sad, NULL };
    g_autoptr (GPtrArray) similar = semblance_library_similar (lib, seeds,
        &o, &error);

    g_assert_no_error (error);
    g_assert_null (((SemblanceResult *) similar->pdata[0])->matched);
  }
}

static guint
rank_of (GPtrArray *found, const char *uri)
{
  guint i;

  for (i = 0; i < found->len; i++)
    if (strcmp (((SemblanceResult *) found->pdata[i])->uri, uri) == 0)
      return i;
  g_assert_not_reached ();
}

static void
on_like (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GPtrArray **) data = semblance_library_similar_like_finish
      (SEMBLANCE_LIBRARY (source), result, NULL);
}

/* "Like this, but …": the seed's neighbours ranked again towards a
 * description. The track that fits the description best moves up (or
 * stays): whatever ranks above it is nearer the seed than it is. */
static void
test_similar_like (void)
{
  g_autoptr (SemblanceLibrary) lib = open_library ();
  g_autofree char *sad = demo_uri ("sad.ogg");
  g_autofree char *missing = demo_uri ("not-there.ogg");
  const char *seeds[] = { sad, NULL }, *bad[] = { missing, NULL };
  static const char *const descriptions[] = { "energetic drums",
    "calm piano", "dark strings", "happy", NULL };
  g_autoptr (GPtrArray) similar = NULL;
  g_autoptr (GError) error = NULL;
  SemblanceQueryOptions o;
  guint d, i, moved = 0;

  semblance_query_options_init (&o);
  o.n = 10;
  similar = semblance_library_similar (lib, seeds, &o, &error);
  g_assert_no_error (error);
  for (d = 0; descriptions[d]; d++) {
    g_autoptr (GPtrArray) like = NULL, text = NULL, without = NULL;
    GPtrArray *async = NULL;
    const char *fits = NULL;
    const char *exclude[2] = { NULL, NULL };

    like = semblance_library_similar_like (lib, seeds, descriptions[d], &o,
        &error);
    g_assert_no_error (error);
    g_assert_cmpuint (like->len, ==, 5);
    assert_sorted (like);
    g_assert_cmpfloat (((SemblanceResult *) like->pdata[0])->similarity, ==,
        1.0f);
    for (i = 0; i < like->len; i++) {
      SemblanceResult *r = like->pdata[i];
      float sum = 0.0f;
      guint g;

      g_assert_cmpstr (r->uri, !=, sad);
      g_assert_nonnull (r->matched);
      /* Closeness and distance are to the seed, as for similar. */
      for (g = 0; g < SEMBLANCE_N_GROUPS; g++)
        sum += r->closeness[g];
      g_assert_cmpfloat (sum, >, 0.0f);
      g_assert_cmpfloat_with_epsilon (r->distance, ((SemblanceResult *)
              similar->pdata[rank_of (similar, r->uri)])->distance, 1e-6);
    }
    text = semblance_library_search (lib, descriptions[d], &o, &error);
    g_assert_no_error (error);
    for (i = 0; i < text->len && !fits; i++)
      if (strcmp (((SemblanceResult *) text->pdata[i])->uri, sad) != 0)
        fits = ((SemblanceResult *) text->pdata[i])->uri;
    g_assert_cmpuint (rank_of (like, fits), <=, rank_of (similar, fits));
    moved += rank_of (like, fits) < rank_of (similar, fits);

    /* Exclusions hold as for similar, asynchronously too. */
    exclude[0] = fits;
    o.exclude = exclude;
    semblance_library_similar_like_async (lib, seeds, descriptions[d], &o,
        NULL, on_like, &async);
    while (!async)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (async->len, ==, 4);
    g_assert_false (has_uri (async, fits));
    g_ptr_array_unref (async);
    o.exclude = NULL;
  }

  /* The descriptions do move the list. */
  g_assert_cmpuint (moved, >, 0);

  g_assert_null (semblance_library_similar_like (lib, bad, "calm", &o,
          &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "not-there.ogg"));
}

/* The list of "more like" @seed as text: URIs and distances, exactly. */
static char *
similar_text (const char *seed)
{
  g_autoptr (SemblanceLibrary) lib = open_library ();
  const char *seeds[] = { seed, NULL };
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GError) error = NULL;
  GString *text = g_string_new (NULL);
  SemblanceQueryOptions o;
  guint i;

  semblance_query_options_init (&o);
  found = semblance_library_similar (lib, seeds, &o, &error);
  g_assert_no_error (error);
  for (i = 0; i < found->len; i++) {
    SemblanceResult *r = found->pdata[i];

    g_string_append_printf (text, "%s %a %a\n", r->uri, r->distance,
        r->similarity);
  }
  return g_string_free (text, FALSE);
}

/* Sets the bytes of every saved blend fit past the first @keep to 0. */
static void
zero_saved_fits (int keep)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *read = NULL, *write = NULL;
  int changed = 0;

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT model_id, fit FROM"
          " blends", -1, &read, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "UPDATE blends SET fit = ?2"
          " WHERE model_id = ?1", -1, &write, NULL), ==, SQLITE_OK);
  while (sqlite3_step (read) == SQLITE_ROW) {
    int size = sqlite3_column_bytes (read, 1);
    g_autofree guint8 *fit = g_memdup2 (sqlite3_column_blob (read, 1), size);

    g_assert_cmpint (size, >, keep);
    memset (fit + keep, 0, size - keep);
    sqlite3_bind_text (write, 1, (const char *) sqlite3_column_text (read, 0),
        -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob (write, 2, fit, size, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (write), ==, SQLITE_DONE);
    sqlite3_reset (write);
    changed++;
  }
  sqlite3_finalize (read);
  sqlite3_finalize (write);
  sqlite3_close (handle);
  g_assert_cmpint (changed, ==, 1);
}

/* The first query of a library saves its blend fit; the next library
 * takes it instead of fitting again, until what the catalog holds
 * changes. */
static void
test_saved_blend (void)
{
  g_autofree char *sad = demo_uri ("sad.ogg");
  g_autofree char *fitted = NULL, *restored = NULL, *tampered = NULL;
  g_autofree char *refitted = NULL;

  sql ("DELETE FROM blends");
  fitted = similar_text (sad);
  restored = similar_text (sad);
  g_assert_cmpstr (restored, ==, fitted);

  /* Proof that the saved fit is what the second library used: its values
   * past a header of 64 bytes or less set to 0 (its length and its
   * arguments the same), it changes the list. */
  zero_saved_fits (64);
  tampered = similar_text (sad);
  g_assert_cmpstr (tampered, !=, fitted);

  /* Any change to the catalog's tracks makes it stale: fitted again. */
  sql ("UPDATE tracks SET duration = duration");
  refitted = similar_text (sad);
  g_assert_cmpstr (refitted, ==, fitted);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("semblance-test-library-XXXXXX", NULL);
  db = g_build_filename (dir, "library.db", NULL);
  index_demo (db);
  g_test_add_func ("/library/queries", test_queries);
  g_test_add_func ("/library/follows-changes", test_follows_changes);
  g_test_add_func ("/library/async-exclude", test_async_exclude);
  g_test_add_func ("/library/search", test_search);
  g_test_add_func ("/library/similar-like", test_similar_like);
  g_test_add_func ("/library/saved-blend", test_saved_blend);
  status = g_test_run ();
  remove_tree (dir);
  return status;
}
