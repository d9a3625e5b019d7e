/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-store-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <unistd.h>

#include "semblance-bytes.h"
#include "semblance-error.h"

/* Readers wait for the writer rather than fail: a batch commits in far less. */
#define BUSY_TIMEOUT_MS 30000

/* Migration i brings the schema from version i to i + 1. */
static const char *const migrations[] = {
  "CREATE TABLE tracks ("
  "  id INTEGER PRIMARY KEY,"
  "  uri TEXT NOT NULL UNIQUE,"
  "  size INTEGER NOT NULL,"
  "  mtime INTEGER NOT NULL,"
  "  duration REAL NOT NULL DEFAULT 0,"
  "  title TEXT, artist TEXT, album TEXT, album_artist TEXT, genre TEXT,"
  "  track_number INTEGER NOT NULL DEFAULT 0,"
  "  state INTEGER NOT NULL DEFAULT 0,"
  "  failure TEXT,"
  "  layout_version INTEGER,"
  "  features BLOB);"
  "CREATE TABLE vectors ("
  "  track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,"
  "  model_id TEXT NOT NULL,"
  "  vector BLOB NOT NULL,"
  "  PRIMARY KEY (track_id, model_id)) WITHOUT ROWID;"
  "CREATE INDEX vectors_by_model ON vectors (model_id);",
  /* 2: the Chromaprint fingerprint of each analysed track (little-endian
   * 32-bit values), for near-duplicates; NULL for the tracks analysed
   * before, until their files change. */
  "ALTER TABLE tracks ADD COLUMN fingerprint BLOB;",
  /* 3: each property vector's image in semantic space through its model's
   * semantic map (the prediction text search ranks by); NULL until the
   * indexer has made it. Replacing the vector drops it with the row. */
  "ALTER TABLE vectors ADD COLUMN semantic BLOB;",
  /* 4: each model's last blend fit (semblance_blend_save()), which a
   * query takes instead of fitting again while the vectors it was fitted
   * to are unchanged: the fit is half of a "similar"'s instructions. The
   * catalog's generation counts the changes to what a catalog holds, by
   * triggers, so that no way of writing can forget it. */
  "CREATE TABLE blends ("
  "  model_id TEXT PRIMARY KEY,"
  "  generation INTEGER NOT NULL,"
  "  fit BLOB NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE catalog_generation (n INTEGER NOT NULL);"
  "INSERT INTO catalog_generation VALUES (0);"
  "CREATE TRIGGER vectors_added AFTER INSERT ON vectors"
  "  BEGIN UPDATE catalog_generation SET n = n + 1; END;"
  "CREATE TRIGGER vectors_removed AFTER DELETE ON vectors"
  "  BEGIN UPDATE catalog_generation SET n = n + 1; END;"
  "CREATE TRIGGER vectors_changed AFTER UPDATE OF track_id, model_id, vector"
  "  ON vectors BEGIN UPDATE catalog_generation SET n = n + 1; END;"
  "CREATE TRIGGER tracks_changed AFTER UPDATE OF id, state, artist,"
  "  album_artist, album, duration ON tracks"
  "  BEGIN UPDATE catalog_generation SET n = n + 1; END;"
  "CREATE TRIGGER tracks_removed AFTER DELETE ON tracks"
  "  BEGIN UPDATE catalog_generation SET n = n + 1; END;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == SEMBLANCE_STORE_SCHEMA_VERSION);

enum
{
  Q_FILE_FACTS,
  Q_INSERT,
  Q_UPDATE_TAGS,
  Q_RESET,
  Q_DROP_VECTORS,
  Q_LOOKUP,
  Q_STATE,
  Q_SET_FEATURES,
  Q_GET_FEATURES,
  Q_SET_FAILURE,
  Q_GET_FAILURE,
  Q_SET_VECTOR,
  Q_GET_VECTOR,
  Q_REMOVE,
  Q_COUNT,
  Q_FAILURES,
  Q_MODELS,
  Q_TRACK,
  Q_CATALOG,
  Q_MISSING,
  Q_DATA_VERSION,
  Q_URIS,
  Q_SET_FINGERPRINT,
  Q_GET_FINGERPRINT,
  Q_SET_PREDICTION,
  Q_PREDICTIONS,
  Q_MISSING_PREDICTIONS,
  Q_COUNT_STALE,
  Q_OLD_MODELS,
  Q_GET_BLEND,
  Q_SET_BLEND,
  Q_GENERATION,
  N_QUERIES
};

static const char *const queries[N_QUERIES] = {
  [Q_FILE_FACTS] = "SELECT id, size, mtime, state, layout_version FROM tracks"
      " WHERE uri = ?1",
  [Q_INSERT] = "INSERT INTO tracks (uri, size, mtime, duration, title, artist,"
      " album, album_artist, genre, track_number) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
  [Q_UPDATE_TAGS] = "UPDATE tracks SET duration = ?2, title = ?3, artist = ?4,"
      " album = ?5, album_artist = ?6, genre = ?7, track_number = ?8 "
      "WHERE id = ?1",
  [Q_RESET] = "UPDATE tracks SET size = ?2, mtime = ?3, state = 0,"
      " failure = NULL, layout_version = NULL, features = NULL,"
      " fingerprint = NULL WHERE id = ?1",
  [Q_DROP_VECTORS] = "DELETE FROM vectors WHERE track_id = ?1",
  [Q_LOOKUP] = "SELECT id FROM tracks WHERE uri = ?1",
  [Q_STATE] = "SELECT state FROM tracks WHERE id = ?1",
  [Q_SET_FEATURES] = "UPDATE tracks SET state = 1, failure = NULL,"
      " layout_version = ?2, features = ?3 WHERE id = ?1",
  [Q_GET_FEATURES] = "SELECT features FROM tracks WHERE id = ?1 AND"
      " layout_version = ?2 AND state = 1",
  [Q_SET_FAILURE] = "UPDATE tracks SET state = 2, failure = ?2,"
      " layout_version = NULL, features = NULL WHERE id = ?1",
  [Q_GET_FAILURE] = "SELECT failure FROM tracks WHERE id = ?1 AND state = 2",
  [Q_SET_VECTOR] = "INSERT OR REPLACE INTO vectors (track_id, model_id, vector)"
      " VALUES (?1, ?2, ?3)",
  [Q_GET_VECTOR] = "SELECT vector FROM vectors WHERE track_id = ?1 AND"
      " model_id = ?2",
  [Q_REMOVE] = "DELETE FROM tracks WHERE uri = ?1",
  [Q_COUNT] = "SELECT state, count(*) FROM tracks GROUP BY state",
  [Q_FAILURES] = "SELECT uri, failure FROM tracks WHERE state = 2 ORDER BY uri",
  [Q_MODELS] = "SELECT model_id, count(*) FROM vectors GROUP BY model_id"
      " ORDER BY model_id",
  [Q_TRACK] = "SELECT uri, size, mtime, duration, title, artist, album,"
      " album_artist, genre, track_number FROM tracks WHERE id = ?1",
  [Q_CATALOG] = "SELECT t.id, v.vector, coalesce (t.album_artist, t.artist),"
      " t.album, t.duration FROM vectors v JOIN tracks t ON t.id = v.track_id"
      " WHERE v.model_id = ?1 AND t.state = 1 ORDER BY v.track_id",
  [Q_MISSING] = "SELECT id FROM tracks WHERE state = 1 AND id NOT IN"
      " (SELECT track_id FROM vectors WHERE model_id = ?1) ORDER BY id",
  [Q_DATA_VERSION] = "PRAGMA data_version",
  [Q_URIS] = "SELECT uri FROM tracks ORDER BY uri",
  [Q_SET_FINGERPRINT] = "UPDATE tracks SET fingerprint = ?2 WHERE id = ?1",
  [Q_GET_FINGERPRINT] = "SELECT fingerprint FROM tracks WHERE id = ?1",
  [Q_SET_PREDICTION] = "UPDATE vectors SET semantic = ?3 WHERE track_id = ?1"
      " AND model_id = ?2",
  [Q_PREDICTIONS] = "SELECT t.id, v.semantic, t.duration FROM vectors v JOIN"
      " tracks t ON t.id = v.track_id WHERE v.model_id = ?1 AND t.state = 1"
      " AND v.semantic IS NOT NULL ORDER BY v.track_id",
  [Q_MISSING_PREDICTIONS] = "SELECT v.track_id FROM vectors v JOIN tracks t"
      " ON t.id = v.track_id WHERE v.model_id = ?1 AND t.state = 1"
      " AND v.semantic IS NULL ORDER BY v.track_id",
  [Q_COUNT_STALE] = "SELECT count(*) FROM tracks WHERE state = 1 AND"
      " layout_version < ?1",
  [Q_OLD_MODELS] = "SELECT model_id, count(*), length (vector) FROM vectors"
      " WHERE model_id != ?1 GROUP BY model_id ORDER BY count(*) DESC,"
      " model_id LIMIT 1",
  [Q_GET_BLEND] = "SELECT fit FROM blends WHERE model_id = ?1 AND"
      " generation = ?2",
  /* A fit of an older generation, from a query that read the catalog
   * before another saved a newer fit, does not replace it. */
  [Q_SET_BLEND] = "INSERT INTO blends (model_id, generation, fit)"
      " VALUES (?1, ?2, ?3) ON CONFLICT (model_id) DO UPDATE SET"
      " generation = excluded.generation, fit = excluded.fit"
      " WHERE excluded.generation >= blends.generation",
  [Q_GENERATION] = "SELECT n FROM catalog_generation",
};

struct _SemblanceStore
{
  sqlite3 *db;
  char *path;
  /* the first error of a function without a GError, for take_error() */
  GError *error;
  sqlite3_stmt *stmt[N_QUERIES];
};

void
semblance_track_info_clear (SemblanceTrackInfo *info)
{
  g_clear_pointer (&info->uri, g_free);
  g_clear_pointer (&info->title, g_free);
  g_clear_pointer (&info->artist, g_free);
  g_clear_pointer (&info->album, g_free);
  g_clear_pointer (&info->album_artist, g_free);
  g_clear_pointer (&info->genre, g_free);
}

const char *
semblance_store_default_path (void)
{
  static char *path;
  const char *env = g_getenv ("SEMBLANCE_DATABASE");

  if (env && *env)
    return env;
  if (g_once_init_enter (&path)) {
    char *p = g_build_filename (g_get_user_data_dir (), "semblance",
        "library.db", NULL);

    g_once_init_leave (&path, p);
  }
  return path;
}

/* SQLite's result code @rc as a SemblanceError. */
static int
error_code (int rc)
{
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return SEMBLANCE_ERROR_BUSY;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return SEMBLANCE_ERROR_READ_ONLY;
    case SQLITE_FULL:
      return SEMBLANCE_ERROR_FULL;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      return SEMBLANCE_ERROR_OPEN;
    default:
      /* SQLITE_CORRUPT, SQLITE_NOTADB, and a schema that is not ours. */
      return SEMBLANCE_ERROR_CORRUPT;
  }
}

/* Sets @error from the connection's last error, which was @rc. */
static gboolean
db_error_rc (SemblanceStore *store, int rc, GError **error)
{
  g_set_error (error, SEMBLANCE_ERROR, error_code (rc), "%s: %s",
      store->path, store->db ? sqlite3_errmsg (store->db)
      : sqlite3_errstr (rc));
  return FALSE;
}

static gboolean
db_error (SemblanceStore *store, GError **error)
{
  return db_error_rc (store, store->db ? sqlite3_extended_errcode (store->db)
      : SQLITE_CANTOPEN, error);
}

static gboolean
exec (SemblanceStore *store, const char *sql, GError **error)
{
  return sqlite3_exec (store->db, sql, NULL, NULL, NULL) == SQLITE_OK
      || db_error (store, error);
}

/* One step of a query of a function that takes no GError: an error is
 * kept for semblance_store_take_error(). */
static int
step (SemblanceStore *store, sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE && !store->error)
    db_error_rc (store, rc, &store->error);
  return rc;
}

static int
user_version (SemblanceStore *store, GError **error)
{
  sqlite3_stmt *stmt;
  int version = -1, rc;

  if (sqlite3_prepare_v2 (store->db, "PRAGMA user_version", -1, &stmt,
          NULL) != SQLITE_OK) {
    db_error (store, error);
    return -1;
  }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  else
    db_error_rc (store, rc, error);
  sqlite3_finalize (stmt);
  return version;
}

/* The schema version, or -1 after an error; one newer than this program
 * knows is an error. */
static int
known_version (SemblanceStore *store, GError **error)
{
  int version = user_version (store, error);

  if (version > SEMBLANCE_STORE_SCHEMA_VERSION) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT,
        "%s: made by a newer Semblance (schema version %d; this one knows "
        "up to %d)", store->path, version, SEMBLANCE_STORE_SCHEMA_VERSION);
    return -1;
  }
  return version;
}

/* Brings the schema up to date in one transaction, so that a reader sees
 * the database as it was or as it is now, never half made; the version is
 * read again inside it, so that of two writers that open a new database
 * at once the second finds the work done. */
static gboolean
migrate (SemblanceStore *store, GError **error)
{
  int version = known_version (store, error);
  gboolean ok;

  if (version < 0)
    return FALSE;
  if (version == SEMBLANCE_STORE_SCHEMA_VERSION)
    return TRUE;
  if (!exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  version = known_version (store, error);
  ok = version >= 0;
  for (; ok && version < SEMBLANCE_STORE_SCHEMA_VERSION; version++) {
    g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d",
        version + 1);

    ok = exec (store, migrations[version], error)
        && exec (store, bump, error);
  }
  if (!ok || !exec (store, "COMMIT", error)) {
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
    return FALSE;
  }
  return TRUE;
}

/* Whether the database at @path exists and this process may not write it
 * (or its folder, where the journal goes). */
static gboolean
exists_read_only (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  return g_file_test (path, G_FILE_TEST_EXISTS)
      && (g_access (path, W_OK) != 0 || g_access (dir, W_OK) != 0);
}

/* SQLite reads the database through a memory map of up to this much
 * instead of a pread() per page: a query reads most pages of the catalog,
 * and on a 400-track library the 303 reads were about a tenth of
 * `similar`. The price: a read error of the disk, or a file that another
 * program cuts short under a reader, stops the process with SIGBUS where
 * it was an error of SQLite's. The engine never shortens its database
 * (no VACUUM), and the map is read-only, so no stray write can reach the
 * file. */
#define MAP_BYTES (256 << 20)

static void
read_mapped (sqlite3 *db)
{
  g_autofree char *pragma = g_strdup_printf ("PRAGMA mmap_size = %d",
      MAP_BYTES);

  /* Only a speed-up: where SQLite cannot map, it reads as before. */
  sqlite3_exec (db, pragma, NULL, NULL, NULL);
}

/* Opens @path for reading only; FALSE when SQLite cannot (@rc its code). */
static gboolean
open_readonly (SemblanceStore *store, const char *path, gboolean immutable,
               int *rc)
{
  g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);
  g_autofree char *uri = g_strdup_printf ("file:%s?mode=ro%s", escaped,
      immutable ? "&immutable=1" : "");

  sqlite3_close (store->db);
  store->db = NULL;
  *rc = sqlite3_open_v2 (uri, &store->db, SQLITE_OPEN_READONLY |
      SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
  if (*rc != SQLITE_OK)
    return FALSE;
  sqlite3_busy_timeout (store->db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (store->db, 1);
  read_mapped (store->db);
  return TRUE;
}

/* The version of a database that has none yet: one that a writer is
 * creating (the file still empty, or its write-ahead log beside it) gets
 * it when the writer commits its schema, which a reader waits for as it
 * waits for any writer; any other stays at 0. */
static int
created_version (SemblanceStore *store, const char *path, const char *wal,
                 GError **error)
{
  gint64 deadline = g_get_monotonic_time () + BUSY_TIMEOUT_MS * 1000;
  int version = 0;

  while (version == 0 && g_get_monotonic_time () < deadline) {
    GStatBuf st;

    if (g_stat (path, &st) == 0 && st.st_size > 0
        && !g_file_test (wal, G_FILE_TEST_EXISTS))
      break;
    g_usleep (10000);
    version = known_version (store, error);
  }
  return version;
}

SemblanceStore *
semblance_store_open_readonly (const char *path, GError **error)
{
  g_autoptr (SemblanceStore) store = g_new0 (SemblanceStore, 1);
  g_autoptr (GError) local = NULL;
  g_autofree char *wal = NULL;
  int version, rc;

  if (!path)
    path = semblance_store_default_path ();
  store->path = g_filename_display_name (path);
  wal = g_strconcat (path, "-wal", NULL);
  /* No journal mode, no migration: a reader changes nothing. */
  if (!open_readonly (store, path, FALSE, &rc)) {
    db_error_rc (store, rc, error);
    return NULL;
  }
  version = known_version (store, &local);
  /* A WAL database needs its shared-memory file, which a reader cannot
   * make in a read-only folder. Without a write-ahead log beside it (no
   * writer at work, none finished badly) the file is the whole database,
   * and SQLite may read it as it is. */
  if (version < 0 && g_error_matches (local, SEMBLANCE_ERROR,
          SEMBLANCE_ERROR_READ_ONLY)
      && !g_file_test (wal, G_FILE_TEST_EXISTS)) {
    g_clear_error (&local);
    if (!open_readonly (store, path, TRUE, &rc)) {
      db_error_rc (store, rc, error);
      return NULL;
    }
    version = known_version (store, &local);
  }
  if (version < 0) {
    g_propagate_error (error, g_steal_pointer (&local));
    return NULL;
  }
  if (version == 0)
    version = created_version (store, path, wal, error);
  if (version < 0)
    return NULL;
  if (version < SEMBLANCE_STORE_SCHEMA_VERSION) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT,
        "%s: made by an older Semblance (schema version %d): run “semblance "
        "index” to bring it up to date", store->path, version);
    return NULL;
  }
  return g_steal_pointer (&store);
}

SemblanceStore *
semblance_store_open (const char *path, GError **error)
{
  g_autoptr (SemblanceStore) store = NULL;
  g_autofree char *dir = NULL;

  if (!path)
    path = semblance_store_default_path ();
  if (exists_read_only (path))
    return semblance_store_open_readonly (path, error);
  store = g_new0 (SemblanceStore, 1);
  store->path = g_filename_display_name (path);
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0) {
    int saved = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
        "%s: cannot create its folder: %s", store->path, g_strerror (saved));
    return NULL;
  }
  if (sqlite3_open_v2 (path, &store->db, SQLITE_OPEN_READWRITE |
          SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
    db_error (store, error);
    return NULL;
  }
  sqlite3_busy_timeout (store->db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (store->db, 1);
  read_mapped (store->db);
  if (!exec (store, "PRAGMA journal_mode = WAL", error)
      || !exec (store, "PRAGMA synchronous = NORMAL", error)
      || !exec (store, "PRAGMA foreign_keys = ON", error)
      || !migrate (store, error))
    return NULL;
  return g_steal_pointer (&store);
}

gboolean
semblance_store_take_error (SemblanceStore *store, GError **error)
{
  if (!store->error)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&store->error));
  return FALSE;
}

gboolean
semblance_store_check (SemblanceStore *store, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;
  int rc;

  if (sqlite3_prepare_v2 (store->db, "PRAGMA quick_check (1)", -1, &stmt,
          NULL) != SQLITE_OK)
    return db_error (store, error);
  rc = sqlite3_step (stmt);
  ok = rc == SQLITE_ROW && g_strcmp0 ((const char *)
      sqlite3_column_text (stmt, 0), "ok") == 0;
  if (rc == SQLITE_ROW && !ok) {
    g_autofree char *finding = g_strdup ((const char *)
        sqlite3_column_text (stmt, 0));

    /* One line: SQLite's finding spans several. */
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT,
        "%s: the database is damaged (%s)", store->path,
        g_strstrip (g_strdelimit (finding, "\n", ' ')));
  }
  else if (rc != SQLITE_ROW)
    db_error_rc (store, rc, error);
  sqlite3_finalize (stmt);
  return ok;
}

void
semblance_store_close (SemblanceStore *store)
{
  int i;

  if (!store)
    return;
  for (i = 0; i < N_QUERIES; i++)
    sqlite3_finalize (store->stmt[i]);
  sqlite3_close (store->db);
  g_clear_error (&store->error);
  g_free (store->path);
  g_free (store);
}

gboolean
semblance_store_begin (SemblanceStore *store, GError **error)
{
  return exec (store, "BEGIN IMMEDIATE", error);
}

gboolean
semblance_store_commit (SemblanceStore *store, GError **error)
{
  return exec (store, "COMMIT", error);
}

void
semblance_store_rollback (SemblanceStore *store)
{
  if (!sqlite3_get_autocommit (store->db))
    exec (store, "ROLLBACK", NULL);
}

/* The statement @q, reset and unbound, ready for new values; prepared on
 * first use, since a command uses a few of them and preparing them all
 * was 1.5 M of a "similar"'s 22 M instructions. NULL if it cannot be
 * prepared (a database damaged since it was opened): the error is kept
 * (semblance_store_take_error()) and SQLite takes a NULL statement as a
 * misuse, so the step that follows fails and its caller's error too. */
static sqlite3_stmt *
query (SemblanceStore *store, int q)
{
  sqlite3_stmt *stmt = store->stmt[q];

  if (!stmt && sqlite3_prepare_v3 (store->db, queries[q], -1,
          SQLITE_PREPARE_PERSISTENT, &store->stmt[q], NULL) != SQLITE_OK) {
    if (!store->error)
      db_error (store, &store->error);
    return NULL;
  }
  stmt = store->stmt[q];
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

/* The one number the statement @q returns, or -1 after an error (kept). */
static gint64
single_int64 (SemblanceStore *store, int q)
{
  sqlite3_stmt *stmt = query (store, q);
  gint64 value = -1;

  if (step (store, stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/* Runs a statement that returns no rows. */
static gboolean
run (SemblanceStore *store, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    db_error_rc (store, rc, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

SemblanceNeed
semblance_store_needs_analysis (SemblanceStore *store, const char *uri,
                                gint64 size, gint64 mtime)
{
  sqlite3_stmt *stmt = query (store, Q_FILE_FACTS);
  SemblanceNeed need = SEMBLANCE_NEED_ANALYSIS;

  sqlite3_bind_text (stmt, 1, uri, -1, SQLITE_STATIC);
  if (step (store, stmt) == SQLITE_ROW
      && sqlite3_column_int64 (stmt, 1) == size
      && sqlite3_column_int64 (stmt, 2) == mtime) {
    int state = sqlite3_column_int (stmt, 3);

    if (state == SEMBLANCE_TRACK_FAILED)
      need = SEMBLANCE_NEED_NONE;
    else if (state == SEMBLANCE_TRACK_ANALYSED)
      need = sqlite3_column_int (stmt, 4) < SEMBLANCE_LAYOUT_VERSION
          ? SEMBLANCE_NEED_REANALYSIS : SEMBLANCE_NEED_NONE;
  }
  sqlite3_reset (stmt);
  return need;
}

static void
bind_tags (sqlite3_stmt *stmt, int first, const SemblanceTrackInfo *info)
{
  sqlite3_bind_double (stmt, first, info->duration);
  sqlite3_bind_text (stmt, first + 1, info->title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, first + 2, info->artist, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, first + 3, info->album, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, first + 4, info->album_artist, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, first + 5, info->genre, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, first + 6, info->track_number);
}

gint64
semblance_store_put_track (SemblanceStore *store,
                           const SemblanceTrackInfo *info, GError **error)
{
  sqlite3_stmt *stmt = query (store, Q_FILE_FACTS);
  gint64 id = 0, size = 0, mtime = 0;
  int rc;

  sqlite3_bind_text (stmt, 1, info->uri, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW) {
    id = sqlite3_column_int64 (stmt, 0);
    size = sqlite3_column_int64 (stmt, 1);
    mtime = sqlite3_column_int64 (stmt, 2);
  } else if (rc != SQLITE_DONE) {
    db_error_rc (store, rc, error);
    sqlite3_reset (stmt);
    return 0;
  }
  sqlite3_reset (stmt);

  if (id == 0) {
    stmt = query (store, Q_INSERT);
    sqlite3_bind_text (stmt, 1, info->uri, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, info->size);
    sqlite3_bind_int64 (stmt, 3, info->mtime);
    bind_tags (stmt, 4, info);
    if (!run (store, stmt, error))
      return 0;
    return sqlite3_last_insert_rowid (store->db);
  }

  if (size != info->size || mtime != info->mtime) {
    /* Another file now: what was measured of the old one is dropped. */
    stmt = query (store, Q_RESET);
    sqlite3_bind_int64 (stmt, 1, id);
    sqlite3_bind_int64 (stmt, 2, info->size);
    sqlite3_bind_int64 (stmt, 3, info->mtime);
    if (!run (store, stmt, error))
      return 0;
    stmt = query (store, Q_DROP_VECTORS);
    sqlite3_bind_int64 (stmt, 1, id);
    if (!run (store, stmt, error))
      return 0;
  }
  stmt = query (store, Q_UPDATE_TAGS);
  sqlite3_bind_int64 (stmt, 1, id);
  bind_tags (stmt, 2, info);
  return run (store, stmt, error) ? id : 0;
}

gint64
semblance_store_lookup (SemblanceStore *store, const char *uri)
{
  sqlite3_stmt *stmt = query (store, Q_LOOKUP);
  gint64 id = 0;

  sqlite3_bind_text (stmt, 1, uri, -1, SQLITE_STATIC);
  if (step (store, stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

SemblanceTrackState
semblance_store_get_state (SemblanceStore *store, gint64 id)
{
  sqlite3_stmt *stmt = query (store, Q_STATE);
  SemblanceTrackState state = SEMBLANCE_TRACK_PENDING;

  sqlite3_bind_int64 (stmt, 1, id);
  if (step (store, stmt) == SQLITE_ROW)
    state = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return state;
}

/* Floats as a little-endian blob, so that a database moves between
 * machines. */
static guint8 *
floats_to_blob (const float *v, guint n)
{
  guint8 *blob = g_new (guint8, (gsize) n * 4);
  guint i;

  for (i = 0; i < n; i++) {
    guint32 u;

    memcpy (&u, &v[i], 4);
    semblance_put_u32 (blob + 4 * i, u);
  }
  return blob;
}

static float *
blob_to_floats (sqlite3_stmt *stmt, int column, guint *n)
{
  const guint8 *blob = sqlite3_column_blob (stmt, column);
  int bytes = sqlite3_column_bytes (stmt, column);
  float *v;
  guint i;

  if (!blob || bytes <= 0 || bytes % 4 != 0)
    return NULL;
  v = g_new (float, bytes / 4);
  for (i = 0; i < (guint) bytes / 4; i++) {
    v[i] = semblance_read_f32 (blob + 4 * i);
    /* Written before values were checked, or damaged: as good as none. */
    if (!isfinite (v[i])) {
      g_free (v);
      return NULL;
    }
  }
  *n = bytes / 4;
  return v;
}

/* Nothing that is not a number reaches the database: every query and
 * distance would carry it. */
static gboolean
check_finite (SemblanceStore *store, const float *v, guint dim,
              const char *what, GError **error)
{
  guint i;

  for (i = 0; i < dim; i++)
    if (!isfinite (v[i])) {
      g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_NOT_FINITE,
          "%s: value %u of the %s is %g, not a finite number: not stored",
          store->path, i, what, v[i]);
      return FALSE;
    }
  return TRUE;
}

gboolean
semblance_store_set_features (SemblanceStore *store, gint64 id,
                              guint layout_version, const float *features,
                              guint dim, GError **error)
{
  sqlite3_stmt *stmt;

  if (!check_finite (store, features, dim, "feature vector", error))
    return FALSE;
  stmt = query (store, Q_SET_FEATURES);

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, layout_version);
  sqlite3_bind_blob (stmt, 3, floats_to_blob (features, dim), dim * 4, g_free);
  return run (store, stmt, error);
}

gboolean
semblance_store_put_analysis (SemblanceStore *store,
                              const SemblanceTrackInfo *info,
                              guint layout_version, const float *features,
                              const char *model_id, const float *vector,
                              guint dim, GError **error)
{
  gint64 id;

  /* Checked before anything is written, so that the track keeps what it
   * had. */
  if (!check_finite (store, features, SEMBLANCE_FEATURE_DIM,
          "feature vector", error)
      || (model_id && !check_finite (store, vector, dim, "property vector",
              error)))
    return FALSE;
  id = semblance_store_put_track (store, info, error);
  return id != 0
      && semblance_store_set_features (store, id, layout_version, features,
          SEMBLANCE_FEATURE_DIM, error)
      && (!model_id || semblance_store_set_vector (store, id, model_id,
              vector, dim, error));
}

float *
semblance_store_get_features (SemblanceStore *store, gint64 id,
                              guint layout_version, guint *dim)
{
  sqlite3_stmt *stmt = query (store, Q_GET_FEATURES);
  float *v = NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, layout_version);
  if (step (store, stmt) == SQLITE_ROW)
    v = blob_to_floats (stmt, 0, dim);
  sqlite3_reset (stmt);
  return v;
}

gboolean
semblance_store_set_failure (SemblanceStore *store, gint64 id,
                             const char *reason, GError **error)
{
  sqlite3_stmt *stmt = query (store, Q_SET_FAILURE);

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
  if (!run (store, stmt, error))
    return FALSE;
  stmt = query (store, Q_DROP_VECTORS);
  sqlite3_bind_int64 (stmt, 1, id);
  return run (store, stmt, error);
}

char *
semblance_store_get_failure (SemblanceStore *store, gint64 id)
{
  sqlite3_stmt *stmt = query (store, Q_GET_FAILURE);
  char *reason = NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  if (step (store, stmt) == SQLITE_ROW)
    reason = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return reason;
}

gboolean
semblance_store_set_vector (SemblanceStore *store, gint64 id,
                            const char *model_id, const float *v, guint dim,
                            GError **error)
{
  sqlite3_stmt *stmt;

  if (!check_finite (store, v, dim, "property vector", error))
    return FALSE;
  stmt = query (store, Q_SET_VECTOR);

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, model_id, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 3, floats_to_blob (v, dim), dim * 4, g_free);
  return run (store, stmt, error);
}

float *
semblance_store_get_vector (SemblanceStore *store, gint64 id,
                            const char *model_id, guint *dim)
{
  sqlite3_stmt *stmt = query (store, Q_GET_VECTOR);
  float *v = NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, model_id, -1, SQLITE_STATIC);
  if (step (store, stmt) == SQLITE_ROW)
    v = blob_to_floats (stmt, 0, dim);
  sqlite3_reset (stmt);
  return v;
}

gboolean
semblance_store_remove (SemblanceStore *store, const char *uri)
{
  sqlite3_stmt *stmt = query (store, Q_REMOVE);

  sqlite3_bind_text (stmt, 1, uri, -1, SQLITE_STATIC);
  return run (store, stmt, store->error ? NULL : &store->error)
      && sqlite3_changes (store->db) > 0;
}

void
semblance_store_count (SemblanceStore *store, guint *pending,
                       guint *analysed, guint *failed)
{
  sqlite3_stmt *stmt = query (store, Q_COUNT);

  *pending = *analysed = *failed = 0;
  while (step (store, stmt) == SQLITE_ROW) {
    guint n = sqlite3_column_int (stmt, 1);

    switch (sqlite3_column_int (stmt, 0)) {
      case SEMBLANCE_TRACK_PENDING:
        *pending = n;
        break;
      case SEMBLANCE_TRACK_ANALYSED:
        *analysed = n;
        break;
      default:
        *failed = n;
        break;
    }
  }
  sqlite3_reset (stmt);
}

void
semblance_store_foreach_failure (SemblanceStore *store,
                                 SemblanceStoreFunc func, gpointer user_data)
{
  sqlite3_stmt *stmt = query (store, Q_FAILURES);

  while (step (store, stmt) == SQLITE_ROW)
    func ((const char *) sqlite3_column_text (stmt, 0),
        (const char *) sqlite3_column_text (stmt, 1), 1, user_data);
  sqlite3_reset (stmt);
}

void
semblance_store_foreach_model (SemblanceStore *store,
                               SemblanceStoreFunc func, gpointer user_data)
{
  sqlite3_stmt *stmt = query (store, Q_MODELS);

  while (step (store, stmt) == SQLITE_ROW)
    func ((const char *) sqlite3_column_text (stmt, 0), NULL,
        sqlite3_column_int64 (stmt, 1), user_data);
  sqlite3_reset (stmt);
}

static char *
column_text (sqlite3_stmt *stmt, int column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

gboolean
semblance_store_get_track (SemblanceStore *store, gint64 id,
                           SemblanceTrackInfo *info)
{
  sqlite3_stmt *stmt = query (store, Q_TRACK);
  gboolean found = FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  if (step (store, stmt) == SQLITE_ROW) {
    info->uri = column_text (stmt, 0);
    info->size = sqlite3_column_int64 (stmt, 1);
    info->mtime = sqlite3_column_int64 (stmt, 2);
    info->duration = sqlite3_column_double (stmt, 3);
    info->title = column_text (stmt, 4);
    info->artist = column_text (stmt, 5);
    info->album = column_text (stmt, 6);
    info->album_artist = column_text (stmt, 7);
    info->genre = column_text (stmt, 8);
    info->track_number = sqlite3_column_int (stmt, 9);
    found = TRUE;
  }
  sqlite3_reset (stmt);
  return found;
}

SemblanceCatalog *
semblance_store_load_catalog (SemblanceStore *store, const char *model_id,
                              guint group_out)
{
  SemblanceCatalog *catalog = semblance_catalog_new (group_out);
  sqlite3_stmt *stmt = query (store, Q_CATALOG);
  int rc;

  sqlite3_bind_text (stmt, 1, model_id, -1, SQLITE_STATIC);
  while ((rc = step (store, stmt)) == SQLITE_ROW) {
    guint dim = 0;
    g_autofree float *v = blob_to_floats (stmt, 1, &dim);

    if (!v || dim != SEMBLANCE_N_GROUPS * group_out)
      continue;
    semblance_catalog_add (catalog, sqlite3_column_int64 (stmt, 0), v,
        (const char *) sqlite3_column_text (stmt, 2),
        (const char *) sqlite3_column_text (stmt, 3),
        sqlite3_column_double (stmt, 4));
  }
  sqlite3_reset (stmt);
  /* Part of a damaged table would pass for all of it. */
  if (rc != SQLITE_DONE) {
    semblance_catalog_free (catalog);
    catalog = semblance_catalog_new (group_out);
  }
  return catalog;
}

SemblanceCatalog *
semblance_store_load_catalog_fit (SemblanceStore *store, const char *model_id,
                                  guint group_out, gint64 *generation,
                                  GBytes **saved)
{
  gint64 before = semblance_store_catalog_generation (store), after;
  SemblanceCatalog *catalog = semblance_store_load_catalog (store, model_id,
      group_out);

  after = semblance_store_catalog_generation (store);
  if (before < 0 || after < 0) {
    /* Unreadable: a damaged database, as semblance_store_load_catalog()
     * takes one, is an empty catalog with the error kept, never a part of
     * it that passes for all. */
    semblance_catalog_free (catalog);
    *generation = -1;
    *saved = NULL;
    return semblance_catalog_new (group_out);
  }
  /* Read before the catalog and unchanged after it: the catalog is of that
   * generation, whose saved fit is this catalog's. */
  *generation = before == after ? before : -1;
  *saved = *generation >= 0 ? semblance_store_get_blend (store, model_id,
      *generation) : NULL;
  return catalog;
}

gboolean
semblance_store_set_fingerprint (SemblanceStore *store, gint64 id,
                                 const guint32 *items, guint n,
                                 GError **error)
{
  sqlite3_stmt *stmt = query (store, Q_SET_FINGERPRINT);
  guint8 *blob = g_new (guint8, MAX ((gsize) n * 4, 1));
  guint i;

  for (i = 0; i < n; i++)
    semblance_put_u32 (blob + 4 * i, items[i]);
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_blob (stmt, 2, blob, (int) n * 4, g_free);
  return run (store, stmt, error);
}

guint32 *
semblance_store_get_fingerprint (SemblanceStore *store, gint64 id, guint *n)
{
  sqlite3_stmt *stmt = query (store, Q_GET_FINGERPRINT);
  guint32 *items = NULL;

  *n = 0;
  sqlite3_bind_int64 (stmt, 1, id);
  if (step (store, stmt) == SQLITE_ROW
      && sqlite3_column_type (stmt, 0) == SQLITE_BLOB) {
    const guint8 *blob = sqlite3_column_blob (stmt, 0);
    guint bytes = (guint) sqlite3_column_bytes (stmt, 0), i;

    /* A blob of another length is not one this program wrote. */
    if (blob && bytes > 0 && bytes % 4 == 0) {
      *n = bytes / 4;
      items = g_new (guint32, *n);
      for (i = 0; i < *n; i++)
        items[i] = semblance_read_u32 (blob + 4 * i);
    }
  }
  sqlite3_reset (stmt);
  return items;
}

gint64
semblance_store_catalog_generation (SemblanceStore *store)
{
  return single_int64 (store, Q_GENERATION);
}

GBytes *
semblance_store_get_blend (SemblanceStore *store, const char *model_id,
                           gint64 generation)
{
  sqlite3_stmt *stmt = query (store, Q_GET_BLEND);
  GBytes *fit = NULL;

  sqlite3_bind_text (stmt, 1, model_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, generation);
  if (step (store, stmt) == SQLITE_ROW
      && sqlite3_column_type (stmt, 0) == SQLITE_BLOB)
    fit = g_bytes_new (sqlite3_column_blob (stmt, 0),
        sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  return fit;
}

gboolean
semblance_store_offer_blend (SemblanceStore *store, const char *model_id,
                             gint64 generation, GBytes *fit)
{
  sqlite3_stmt *stmt;
  gsize size;
  const void *data = g_bytes_get_data (fit, &size);
  int rc;

  if (generation < 0 || sqlite3_db_readonly (store->db, "main") != 0)
    return FALSE;
  stmt = query (store, Q_SET_BLEND);
  sqlite3_bind_text (stmt, 1, model_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, generation);
  sqlite3_bind_blob (stmt, 3, data, (int) size, SQLITE_STATIC);
  /* A query that finds the writer at work does not wait for it: the next
   * one saves the fit. */
  sqlite3_busy_timeout (store->db, 0);
  rc = sqlite3_step (stmt);
  sqlite3_busy_timeout (store->db, BUSY_TIMEOUT_MS);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

GPtrArray *
semblance_store_list_uris (SemblanceStore *store)
{
  GPtrArray *uris = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = query (store, Q_URIS);

  while (step (store, stmt) == SQLITE_ROW)
    g_ptr_array_add (uris, column_text (stmt, 0));
  sqlite3_reset (stmt);
  return uris;
}

/* The track ids that query @q, bound to @model_id, returns. */
static GArray *
ids_for_model (SemblanceStore *store, int q, const char *model_id)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = query (store, q);

  sqlite3_bind_text (stmt, 1, model_id, -1, SQLITE_STATIC);
  while (step (store, stmt) == SQLITE_ROW) {
    gint64 id = sqlite3_column_int64 (stmt, 0);

    g_array_append_val (ids, id);
  }
  sqlite3_reset (stmt);
  return ids;
}

GArray *
semblance_store_missing_vectors (SemblanceStore *store, const char *model_id)
{
  return ids_for_model (store, Q_MISSING, model_id);
}

guint
semblance_store_count_stale (SemblanceStore *store)
{
  sqlite3_stmt *stmt = query (store, Q_COUNT_STALE);
  guint n = 0;

  sqlite3_bind_int (stmt, 1, SEMBLANCE_LAYOUT_VERSION);
  if (step (store, stmt) == SQLITE_ROW)
    n = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

char *
semblance_store_serving_model (SemblanceStore *store, const char *model_id,
                               guint *group_out)
{
  sqlite3_stmt *stmt;
  char *serving = NULL;
  gint64 own = 0, old;
  guint bytes;

  if (semblance_store_count_stale (store) == 0)
    return g_strdup (model_id);
  stmt = query (store, Q_MODELS);
  while (step (store, stmt) == SQLITE_ROW)
    if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0),
            model_id) == 0)
      own = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);

  stmt = query (store, Q_OLD_MODELS);
  sqlite3_bind_text (stmt, 1, model_id, -1, SQLITE_STATIC);
  if (step (store, stmt) == SQLITE_ROW) {
    old = sqlite3_column_int64 (stmt, 1);
    bytes = (guint) sqlite3_column_int64 (stmt, 2);
    /* Vectors of another shape than a network's output are no model's. */
    if (old > own && bytes > 0 && bytes % (4 * SEMBLANCE_N_GROUPS) == 0) {
      serving = column_text (stmt, 0);
      *group_out = bytes / (4 * SEMBLANCE_N_GROUPS);
    }
  }
  sqlite3_reset (stmt);
  return serving ? serving : g_strdup (model_id);
}

gint64
semblance_store_data_version (SemblanceStore *store)
{
  return single_int64 (store, Q_DATA_VERSION);
}

gboolean
semblance_store_set_prediction (SemblanceStore *store, gint64 id,
                                const char *model_id, const float *s,
                                guint dim, GError **error)
{
  sqlite3_stmt *stmt;

  if (!check_finite (store, s, dim, "predicted semantic vector", error))
    return FALSE;
  stmt = query (store, Q_SET_PREDICTION);
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, model_id, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 3, floats_to_blob (s, dim), dim * 4, g_free);
  return run (store, stmt, error);
}

void
semblance_store_foreach_prediction (SemblanceStore *store,
                                    const char *model_id,
                                    SemblancePredictionFunc func,
                                    gpointer user_data)
{
  sqlite3_stmt *stmt = query (store, Q_PREDICTIONS);

  sqlite3_bind_text (stmt, 1, model_id, -1, SQLITE_STATIC);
  while (step (store, stmt) == SQLITE_ROW) {
    guint dim = 0;
    g_autofree float *s = blob_to_floats (stmt, 1, &dim);

    if (s)
      func (sqlite3_column_int64 (stmt, 0), s, dim,
          sqlite3_column_double (stmt, 2), user_data);
  }
  sqlite3_reset (stmt);
}

GArray *
semblance_store_missing_predictions (SemblanceStore *store,
                                     const char *model_id)
{
  return ids_for_model (store, Q_MISSING_PREDICTIONS, model_id);
}
