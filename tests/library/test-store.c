/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The library database: what it keeps, when a file is analysed again, and
 * faults. */
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "semblance.h"
#include "semblance-store-private.h"

static char *dir;

static char *
db_path (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static SemblanceStore *
open_store (const char *name)
{
  g_autofree char *path = db_path (name);
  g_autoptr (GError) error = NULL;
  SemblanceStore *store = semblance_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static gint64
put (SemblanceStore *store, const char *uri, gint64 size, gint64 mtime,
     const char *title)
{
  SemblanceTrackInfo info = {
    .uri = (char *) uri, .size = size, .mtime = mtime, .duration = 200.5,
    .title = (char *) title, .artist = (char *) "Artist", .track_number = 3,
  };
  g_autoptr (GError) error = NULL;
  gint64 id = semblance_store_put_track (store, &info, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_tracks_and_vectors (void)
{
  g_autoptr (SemblanceStore) store = open_store ("tracks.db");
  g_autoptr (GError) error = NULL;
  float features[5] = { 1.5f, -2.25f, 0.0f, 1e-30f, 3e30f };
  float property[3] = { 0.25f, 0.5f, -1.0f };
  g_autofree float *f = NULL, *v = NULL, *other = NULL;
  guint dim = 0, pending, analysed, failed;
  gint64 a, b;

  a = put (store, "file:///music/a.ogg", 1000, 50, "A");
  b = put (store, "file:///music/b.ogg", 2000, 60, "B");
  g_assert_cmpint (a, !=, b);
  g_assert_cmpint (semblance_store_lookup (store, "file:///music/a.ogg"), ==,
      a);
  g_assert_cmpint (semblance_store_lookup (store, "file:///none.ogg"), ==, 0);
  /* The same file again: the same row. */
  g_assert_cmpint (put (store, "file:///music/a.ogg", 1000, 50, "A2"), ==, a);

  g_assert_true (semblance_store_set_features (store, a, 1, features, 5,
          &error));
  g_assert_true (semblance_store_set_vector (store, a, "model-1", property, 3,
          &error));
  g_assert_no_error (error);
  g_assert_cmpint (semblance_store_get_state (store, a), ==,
      SEMBLANCE_TRACK_ANALYSED);
  f = semblance_store_get_features (store, a, 1, &dim);
  g_assert_cmpuint (dim, ==, 5);
  g_assert_cmpmem (f, sizeof features, features, sizeof features);
  g_assert_null (semblance_store_get_features (store, a, 2, &dim));
  v = semblance_store_get_vector (store, a, "model-1", &dim);
  g_assert_cmpuint (dim, ==, 3);
  g_assert_cmpmem (v, sizeof property, property, sizeof property);
  g_assert_null (semblance_store_get_vector (store, a, "model-2", &dim));

  g_assert_true (semblance_store_set_failure (store, b, "b.ogg: not audio",
          &error));
  {
    g_autofree char *reason = semblance_store_get_failure (store, b);

    g_assert_cmpstr (reason, ==, "b.ogg: not audio");
  }
  semblance_store_count (store, &pending, &analysed, &failed);
  g_assert_cmpuint (pending, ==, 0);
  g_assert_cmpuint (analysed, ==, 1);
  g_assert_cmpuint (failed, ==, 1);

  /* Removing a track removes its vectors. */
  g_assert_true (semblance_store_remove (store, "file:///music/a.ogg"));
  g_assert_false (semblance_store_remove (store, "file:///music/a.ogg"));
  other = semblance_store_get_vector (store, a, "model-1", &dim);
  g_assert_null (other);
}

typedef struct
{
  guint calls;
  gint64 id;
  float s[4];
  guint dim;
  double duration;
} Predictions;

static void
got_prediction (gint64 id, const float *s, guint dim, double duration,
                gpointer data)
{
  Predictions *p = data;

  p->calls++;
  p->id = id;
  p->dim = MIN (dim, 4);
  memcpy (p->s, s, p->dim * sizeof (float));
  p->duration = duration;
}

/* Text search's predictions: stored with a track's vector of a model,
 * listed by model, missing until made, gone when the vector is replaced
 * or the file changes. */
static void
test_predictions (void)
{
  g_autoptr (SemblanceStore) store = open_store ("predictions.db");
  g_autoptr (GError) error = NULL;
  float features[2] = { 1, 2 }, property[3] = { 0.25f, 0.5f, -1.0f };
  float s[4] = { 0.5f, -0.5f, 0.5f, -0.5f }, bad[4] = { 0, NAN, 0, 0 };
  Predictions got = { 0 };
  g_autoptr (GArray) missing = NULL, after = NULL;
  gint64 a, b;

  a = put (store, "file:///music/a.ogg", 1000, 50, "A");
  b = put (store, "file:///music/b.ogg", 2000, 60, "B");
  g_assert_true (semblance_store_set_features (store, a, 1, features, 2,
          &error));
  g_assert_true (semblance_store_set_features (store, b, 1, features, 2,
          &error));
  g_assert_true (semblance_store_set_vector (store, a, "m", property, 3,
          &error));
  g_assert_true (semblance_store_set_vector (store, b, "m", property, 3,
          &error));
  missing = semblance_store_missing_predictions (store, "m");
  g_assert_cmpuint (missing->len, ==, 2);
  g_assert_cmpint (g_array_index (missing, gint64, 0), ==, a);

  g_assert_true (semblance_store_set_prediction (store, a, "m", s, 4,
          &error));
  g_assert_no_error (error);
  g_assert_false (semblance_store_set_prediction (store, b, "m", bad, 4,
          &error));
  g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_NOT_FINITE);
  g_clear_error (&error);
  semblance_store_foreach_prediction (store, "m", got_prediction, &got);
  g_assert_cmpuint (got.calls, ==, 1);
  g_assert_cmpint (got.id, ==, a);
  g_assert_cmpuint (got.dim, ==, 4);
  g_assert_cmpmem (got.s, sizeof s, s, sizeof s);
  g_assert_cmpfloat (got.duration, ==, 200.5);
  memset (&got, 0, sizeof got);
  semblance_store_foreach_prediction (store, "other", got_prediction, &got);
  g_assert_cmpuint (got.calls, ==, 0);
  after = semblance_store_missing_predictions (store, "m");
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpint (g_array_index (after, gint64, 0), ==, b);
  g_clear_pointer (&after, g_array_unref);

  /* A new vector needs a new prediction. */
  g_assert_true (semblance_store_set_vector (store, a, "m", property, 3,
          &error));
  after = semblance_store_missing_predictions (store, "m");
  g_assert_cmpuint (after->len, ==, 2);
  g_clear_pointer (&after, g_array_unref);
  /* A changed file loses vectors and predictions alike. */
  g_assert_true (semblance_store_set_prediction (store, a, "m", s, 4,
          &error));
  put (store, "file:///music/a.ogg", 1001, 50, "A");
  memset (&got, 0, sizeof got);
  semblance_store_foreach_prediction (store, "m", got_prediction, &got);
  g_assert_cmpuint (got.calls, ==, 0);
  after = semblance_store_missing_predictions (store, "m");
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpint (g_array_index (after, gint64, 0), ==, b);
}

static gboolean
same_bytes (GBytes *a, GBytes *b)
{
  return a && b && g_bytes_equal (a, b);
}

/* The catalog's generation moves with every change to what a catalog
 * holds, by any write, and a saved blend fit is returned only for the
 * generation it was saved in; a query's offer never waits for a writer. */
static void
test_blend_generations (void)
{
  g_autofree char *path = db_path ("blends.db");
  g_autoptr (SemblanceStore) store = open_store ("blends.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) fit = g_bytes_new_static ("a fit", 5), got = NULL;
  float features[2] = { 1, 2 }, property[3] = { 0.25f, 0.5f, -1.0f };
  float s[4] = { 0.5f, -0.5f, 0.5f, -0.5f };
  gint64 a, g0, g;
  gint64 start;
  sqlite3 *other;

  a = put (store, "file:///music/a.ogg", 1000, 50, "A");
  put (store, "file:///music/b.ogg", 2000, 60, "B");
  g_assert_true (semblance_store_set_features (store, a, 1, features, 2,
          &error));
  g_assert_true (semblance_store_set_vector (store, a, "m", property, 3,
          &error));
  g0 = semblance_store_catalog_generation (store);
  g_assert_cmpint (g0, >, 0);
  /* A prediction is not part of a catalog. */
  g_assert_true (semblance_store_set_prediction (store, a, "m", s, 4,
          &error));
  g_assert_cmpint (semblance_store_catalog_generation (store), ==, g0);

  g_assert_null (semblance_store_get_blend (store, "m", g0));
  g_assert_true (semblance_store_offer_blend (store, "m", g0, fit));
  got = semblance_store_get_blend (store, "m", g0);
  g_assert_true (same_bytes (got, fit));
  g_clear_pointer (&got, g_bytes_unref);
  g_assert_null (semblance_store_get_blend (store, "other", g0));
  g_assert_null (semblance_store_get_blend (store, "m", g0 + 1));
  /* Of a generation that failed to read: not saved. */
  g_assert_false (semblance_store_offer_blend (store, "m", -1, fit));

  /* Each kind of change: a new vector, a changed file, tags, removal. */
  g_assert_true (semblance_store_set_vector (store, a, "m", property, 3,
          &error));
  g = semblance_store_catalog_generation (store);
  g_assert_cmpint (g, >, g0);
  g_assert_null (semblance_store_get_blend (store, "m", g));
  put (store, "file:///music/a.ogg", 1001, 50, "A");
  g_assert_cmpint (semblance_store_catalog_generation (store), >, g);
  g = semblance_store_catalog_generation (store);
  put (store, "file:///music/b.ogg", 2000, 60, "B, retitled");
  g_assert_cmpint (semblance_store_catalog_generation (store), >, g);
  g = semblance_store_catalog_generation (store);
  g_assert_true (semblance_store_remove (store, "file:///music/b.ogg"));
  g_assert_cmpint (semblance_store_catalog_generation (store), >, g);
  g = semblance_store_catalog_generation (store);

  /* Another connection writing: the offer is refused at once. */
  g_assert_cmpint (sqlite3_open (path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL,
          NULL), ==, SQLITE_OK);
  start = g_get_monotonic_time ();
  g_assert_false (semblance_store_offer_blend (store, "m", g, fit));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==,
      SQLITE_OK);
  sqlite3_close (other);
  g_assert_true (semblance_store_offer_blend (store, "m", g, fit));
  /* An older generation's fit, offered late, leaves the newer one. */
  {
    g_autoptr (GBytes) old = g_bytes_new_static ("old fit", 7);

    g_assert_true (semblance_store_offer_blend (store, "m", g0, old));
    got = semblance_store_get_blend (store, "m", g);
    g_assert_true (same_bytes (got, fit));
    g_clear_pointer (&got, g_bytes_unref);
    g_assert_null (semblance_store_get_blend (store, "m", g0));
  }
  g_clear_pointer (&store, semblance_store_close);

  /* A reader reads the fit and offers none. */
  store = semblance_store_open_readonly (path, &error);
  g_assert_no_error (error);
  got = semblance_store_get_blend (store, "m", g);
  g_assert_true (same_bytes (got, fit));
  g_assert_false (semblance_store_offer_blend (store, "m", g, fit));
}

/* A database of schema 3, from before saved fits, is brought up to date
 * with what it holds. */
static void
test_migrates_to_blends (void)
{
  g_autofree char *path = db_path ("schema3.db");
  g_autoptr (SemblanceStore) store = open_store ("schema3.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) fit = g_bytes_new_static ("fit", 3);
  float features[2] = { 1, 2 }, property[3] = { 0.25f, 0.5f, -1.0f };
  g_autofree float *v = NULL;
  guint dim = 0;
  gint64 a, g;
  sqlite3 *db;

  a = put (store, "file:///music/a.ogg", 1000, 50, "A");
  g_assert_true (semblance_store_set_features (store, a, 1, features, 2,
          &error));
  g_assert_true (semblance_store_set_vector (store, a, "m", property, 3,
          &error));
  g_clear_pointer (&store, semblance_store_close);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE blends;"
          "DROP TABLE catalog_generation; DROP TRIGGER vectors_added;"
          "DROP TRIGGER vectors_removed; DROP TRIGGER vectors_changed;"
          "DROP TRIGGER tracks_changed; DROP TRIGGER tracks_removed;"
          "PRAGMA user_version = 3", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store ("schema3.db");
  v = semblance_store_get_vector (store, a, "m", &dim);
  g_assert_nonnull (v);
  g_assert_cmpmem (v, dim * sizeof (float), property, sizeof property);
  g = semblance_store_catalog_generation (store);
  g_assert_cmpint (g, ==, 0);
  g_assert_true (semblance_store_offer_blend (store, "m", g, fit));
  g_assert_true (semblance_store_set_vector (store, a, "m", property, 3,
          &error));
  g_assert_cmpint (semblance_store_catalog_generation (store), >, g);

  /* A table gone after the store was opened: its statements, prepared
   * when first used, fail with an error that names the file. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE blends", NULL, NULL,
          NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_null (semblance_store_get_blend (store, "m", g));
  g_assert_false (semblance_store_take_error (store, &error));
  g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "schema3.db"));
  g_assert_nonnull (strstr (error->message, "blends"));
  g_clear_error (&error);
  g_assert_false (semblance_store_offer_blend (store, "m", g, fit));

  /* The generation unreadable: the catalog is empty, not what could be
   * read of it, and the error is kept. */
  {
    g_autoptr (SemblanceCatalog) catalog = NULL;
    g_autoptr (GBytes) saved = NULL;
    float whole[SEMBLANCE_N_GROUPS] = { 1, 2, 3 };
    gint64 generation = 0;

    g_assert_true (semblance_store_set_vector (store, a, "m", whole,
            SEMBLANCE_N_GROUPS, &error));
    catalog = semblance_store_load_catalog_fit (store, "m", 1, &generation,
        &saved);
    g_assert_cmpuint (semblance_catalog_size (catalog), ==, 1);
    g_assert_cmpint (generation, >, 0);
    g_clear_pointer (&catalog, semblance_catalog_free);
    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "DROP TABLE catalog_generation",
            NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    g_clear_pointer (&store, semblance_store_close);
    store = semblance_store_open (path, &error);
    g_assert_no_error (error);
    catalog = semblance_store_load_catalog_fit (store, "m", 1, &generation,
        &saved);
    g_assert_cmpuint (semblance_catalog_size (catalog), ==, 0);
    g_assert_cmpint (generation, ==, -1);
    g_assert_null (saved);
    g_assert_false (semblance_store_take_error (store, &error));
    g_assert_nonnull (strstr (error->message, "catalog_generation"));
  }
}

static void
test_needs_analysis (void)
{
  g_autoptr (SemblanceStore) store = open_store ("needs.db");
  const char *uri = "file:///music/c.flac";
  float features[2] = { 1, 2 }, v6[SEMBLANCE_N_GROUPS * 3] = { 0 };
  g_autofree char *serving = NULL;
  guint group_out = 0;
  gint64 id;

  g_assert_cmpint (semblance_store_needs_analysis (store, uri, 10, 20), ==,
      SEMBLANCE_NEED_ANALYSIS);
  id = put (store, uri, 10, 20, "C");
  /* Known but not analysed yet: still to do (after a crash, say). */
  g_assert_cmpint (semblance_store_needs_analysis (store, uri, 10, 20), ==,
      SEMBLANCE_NEED_ANALYSIS);
  g_assert_true (semblance_store_set_features (store, id,
          SEMBLANCE_LAYOUT_VERSION, features, 2, NULL));
  g_assert_cmpint (semblance_store_needs_analysis (store, uri, 10, 20), ==,
      SEMBLANCE_NEED_NONE);
  g_assert_cmpint (semblance_store_needs_analysis (store, uri, 11, 20), ==,
      SEMBLANCE_NEED_ANALYSIS);
  g_assert_cmpint (semblance_store_needs_analysis (store, uri, 10, 21), ==,
      SEMBLANCE_NEED_ANALYSIS);
  g_assert_cmpuint (semblance_store_count_stale (store), ==, 0);

  /* Analysed in an older layout: to analyse again, and meanwhile the
   * model with the most vectors serves, with its own shape. */
  g_assert_true (semblance_store_set_features (store, id,
          SEMBLANCE_LAYOUT_VERSION - 1, features, 2, NULL));
  g_assert_cmpint (semblance_store_needs_analysis (store, uri, 10, 20), ==,
      SEMBLANCE_NEED_REANALYSIS);
  g_assert_cmpint (semblance_store_needs_analysis (store, uri, 10, 21), ==,
      SEMBLANCE_NEED_ANALYSIS);
  g_assert_cmpuint (semblance_store_count_stale (store), ==, 1);
  serving = semblance_store_serving_model (store, "new", &group_out);
  g_assert_cmpstr (serving, ==, "new");
  g_clear_pointer (&serving, g_free);
  g_assert_true (semblance_store_set_vector (store, id, "old", v6,
          G_N_ELEMENTS (v6), NULL));
  serving = semblance_store_serving_model (store, "new", &group_out);
  g_assert_cmpstr (serving, ==, "old");
  g_assert_cmpuint (group_out, ==, 3);
  g_clear_pointer (&serving, g_free);
  /* Analysed again: the model's own vectors serve. */
  g_assert_true (semblance_store_set_features (store, id,
          SEMBLANCE_LAYOUT_VERSION, features, 2, NULL));
  serving = semblance_store_serving_model (store, "new", &group_out);
  g_assert_cmpstr (serving, ==, "new");

  /* A failure is final until the file changes. */
  g_assert_true (semblance_store_set_failure (store, id, "broken", NULL));
  g_assert_cmpint (semblance_store_needs_analysis (store, uri, 10, 20), ==,
      SEMBLANCE_NEED_NONE);
  g_assert_cmpint (semblance_store_needs_analysis (store, uri, 10, 99), ==,
      SEMBLANCE_NEED_ANALYSIS);

  /* A changed file loses what was measured of the old one. */
  g_assert_true (semblance_store_set_features (store, id, 1, features, 2,
          NULL));
  g_assert_true (semblance_store_set_vector (store, id, "m", features, 2,
          NULL));
  g_assert_cmpint (put (store, uri, 10, 99, "C"), ==, id);
  g_assert_cmpint (semblance_store_get_state (store, id), ==,
      SEMBLANCE_TRACK_PENDING);
  {
    guint dim;
    g_autofree float *v = semblance_store_get_vector (store, id, "m", &dim);

    g_assert_null (v);
  }
}

static void
test_persists_and_batches (void)
{
  g_autofree char *path = db_path ("persist.db");
  g_autoptr (GError) error = NULL;
  guint i, pending, analysed, failed;

  {
    g_autoptr (SemblanceStore) store = semblance_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_true (semblance_store_begin (store, &error));
    for (i = 0; i < 500; i++) {
      g_autofree char *uri = g_strdup_printf ("file:///music/%03u.ogg", i);

      put (store, uri, i, i, NULL);
    }
    g_assert_true (semblance_store_commit (store, &error));
  }
  {
    g_autoptr (SemblanceStore) store = semblance_store_open (path, &error);

    g_assert_no_error (error);
    semblance_store_count (store, &pending, &analysed, &failed);
    g_assert_cmpuint (pending, ==, 500);
  }
}

static void
test_wal_and_version (void)
{
  g_autofree char *path = db_path ("version.db");
  g_autoptr (GError) error = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt;

  semblance_store_close (open_store ("version.db"));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt,
          NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL,
          NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* A database from a newer Semblance is left alone. */
  g_assert_null (semblance_store_open (path, &error));
  g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "version.db"));
  g_assert_nonnull (strstr (error->message, "newer"));
}

static void
test_not_a_database (void)
{
  g_autofree char *path = db_path ("junk.db");
  g_autoptr (GError) error = NULL;
  char junk[4096];
  gsize i;

  for (i = 0; i < sizeof junk; i++)
    junk[i] = (char) (i * 131 + 7);
  g_assert_true (g_file_set_contents (path, junk, sizeof junk, NULL));
  g_assert_null (semblance_store_open (path, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "junk.db"));
  /* The file is not replaced. */
  {
    g_autofree char *after = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (path, &after, &len, NULL));
    g_assert_cmpmem (after, len, junk, sizeof junk);
  }
}

/* Every query step is checked: a damaged database is an error, told
 * apart from a busy or read-only one, never an empty database. */
static void
test_damaged (void)
{
  g_autofree char *path = db_path ("damaged.db");
  g_autofree char *bytes = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (4);
  g_autoptr (GError) error = NULL;
  float features[122] = { 0 };
  gsize len, i, start;
  guint p, a, f;

  {
    g_autoptr (SemblanceStore) store = open_store ("damaged.db");

    g_assert_true (semblance_store_begin (store, &error));
    for (i = 0; i < 2000; i++) {
      g_autofree char *uri = g_strdup_printf ("file:///music/%04zu.ogg", i);
      gint64 id = put (store, uri, i, i, "A title long enough to fill pages");

      g_assert_true (semblance_store_set_features (store, id, 1, features,
              G_N_ELEMENTS (features), &error));
    }
    g_assert_true (semblance_store_commit (store, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  start = len / 2 / 4096 * 4096;
  for (i = start; i < start + 8192; i++)
    bytes[i] = (char) g_rand_int (rand);
  g_assert_true (g_file_set_contents (path, bytes, len, NULL));

  {
    g_autoptr (SemblanceStore) store = semblance_store_open_readonly (path,
        &error);

    g_assert_no_error (error);
    semblance_store_count (store, &p, &a, &f);
    g_assert_false (semblance_store_take_error (store, &error));
    g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT);
    g_assert_nonnull (strstr (error->message, "damaged.db"));
    g_clear_error (&error);
    /* Taken: the next call starts afresh. */
    g_assert_true (semblance_store_take_error (store, &error));
    g_assert_false (semblance_store_check (store, &error));
    g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT);
    g_test_message ("%s", error->message);
  }
}

/* A read-only store reads, writes nothing, and says why; values that are
 * not finite are refused before anything is written. */
static void
test_read_only_and_not_finite (void)
{
  g_autofree char *path = db_path ("ro.db");
  g_autoptr (GError) error = NULL;
  float good[SEMBLANCE_FEATURE_DIM] = { 1, 2, 3 }, bad[3] = { 1, NAN, 3 };
  float inf[3] = { INFINITY };
  SemblanceTrackInfo info = { .uri = (char *) "file:///music/x.ogg",
    .size = 1, .mtime = 1 };
  gint64 id;
  guint dim;

  {
    g_autoptr (SemblanceStore) store = open_store ("ro.db");

    id = put (store, "file:///music/x.ogg", 1, 1, "X");
    g_assert_false (semblance_store_set_features (store, id, 1, bad, 3,
            &error));
    g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_NOT_FINITE);
    g_clear_error (&error);
    g_assert_false (semblance_store_set_vector (store, id, "m", inf, 3,
            &error));
    g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_NOT_FINITE);
    g_clear_error (&error);
    g_assert_false (semblance_store_put_analysis (store, &info, 1, good, "m",
            bad, 3, &error));
    g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_NOT_FINITE);
    g_clear_error (&error);
    g_assert_cmpint (semblance_store_get_state (store, id), ==,
        SEMBLANCE_TRACK_PENDING);
    g_assert_null (semblance_store_get_vector (store, id, "m", &dim));
  }
  {
    g_autoptr (SemblanceStore) store = semblance_store_open_readonly (path,
        &error);

    g_assert_no_error (error);
    g_assert_cmpint (semblance_store_lookup (store, "file:///music/x.ogg"),
        ==, id);
    g_assert_true (semblance_store_take_error (store, &error));
    g_assert_false (semblance_store_set_failure (store, id, "no", &error));
    g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_READ_ONLY);
    g_clear_error (&error);
  }
  /* A database of an older schema is not migrated by a reader. */
  {
    g_autofree char *old = db_path ("old.db");
    sqlite3 *db;

    g_assert_cmpint (sqlite3_open (old, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x)", NULL, NULL,
            NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    g_assert_null (semblance_store_open_readonly (old, &error));
    g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT);
    g_assert_nonnull (strstr (error->message, "semblance index"));
  }
}

typedef struct
{
  char *path;
  gint stop;
  gint reads;
  guint failures;
} Reader;

static gpointer
read_loop (gpointer data)
{
  Reader *r = data;
  g_autoptr (SemblanceStore) store = semblance_store_open (r->path, NULL);

  while (!g_atomic_int_get (&r->stop)) {
    guint p, a, f;

    semblance_store_count (store, &p, &a, &f);
    if (semblance_store_lookup (store, "file:///music/000.ogg") == 0
        && p + a + f > 0)
      r->failures++;
    g_atomic_int_inc (&r->reads);
  }
  return NULL;
}

static void
test_reader_while_writing (void)
{
  g_autofree char *path = db_path ("concurrent.db");
  g_autoptr (SemblanceStore) store = open_store ("concurrent.db");
  Reader r = { path, 0, 0, 0 };
  GThread *thread;
  float features[4] = { 1, 2, 3, 4 };
  guint batch, i;

  put (store, "file:///music/000.ogg", 1, 1, NULL);
  thread = g_thread_new ("reader", read_loop, &r);
  /* Write only once the reader reads, so that the two overlap. */
  while (g_atomic_int_get (&r.reads) == 0)
    g_usleep (1000);
  for (batch = 0; batch < 20; batch++) {
    g_autoptr (GError) error = NULL;

    g_assert_true (semblance_store_begin (store, &error));
    for (i = 0; i < 50; i++) {
      g_autofree char *uri = g_strdup_printf ("file:///music/%u-%u.ogg",
          batch, i);
      gint64 id = put (store, uri, i, i, NULL);

      g_assert_true (semblance_store_set_features (store, id, 1, features, 4,
              &error));
    }
    g_assert_true (semblance_store_commit (store, &error));
    g_assert_no_error (error);
  }
  g_atomic_int_set (&r.stop, 1);
  g_thread_join (thread);
  g_test_message ("%d reads while writing", r.reads);
  g_assert_cmpint (r.reads, >, 1);
  g_assert_cmpuint (r.failures, ==, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = NULL;
  const char *name;
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("semblance-store-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/store/tracks-and-vectors", test_tracks_and_vectors);
  g_test_add_func ("/store/needs-analysis", test_needs_analysis);
  g_test_add_func ("/store/predictions", test_predictions);
  g_test_add_func ("/store/blend-generations", test_blend_generations);
  g_test_add_func ("/store/migrates-to-blends", test_migrates_to_blends);
  g_test_add_func ("/store/persists-and-batches", test_persists_and_batches);
  g_test_add_func ("/store/wal-and-version", test_wal_and_version);
  g_test_add_func ("/store/not-a-database", test_not_a_database);
  g_test_add_func ("/store/reader-while-writing", test_reader_while_writing);
  g_test_add_func ("/store/damaged", test_damaged);
  g_test_add_func ("/store/read-only-and-not-finite",
      test_read_only_and_not_finite);
  status = g_test_run ();

  d = g_dir_open (dir, 0, NULL);
  while (d && (name = g_dir_read_name (d))) {
    g_autofree char *path = db_path (name);

    g_unlink (path);
  }
  g_rmdir (dir);
  g_free (dir);
  return status;
}
