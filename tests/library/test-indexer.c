/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The library indexer against good and bad files, and killed mid-run. */
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <unistd.h>
#include <sndfile.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <utime.h>

#include "signals.h"
#include "sndfile-fingerprint.h"

static char *dir;

static char *
in_dir (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static void
write_wav (const char *path, double seconds, double bpm)
{
  g_autofree float *x = signal_clicks (22050, (gsize) (seconds * 22050), bpm);
  SF_INFO info = { .samplerate = 22050, .channels = 1,
    .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
  SNDFILE *f = sf_open (path, SFM_WRITE, &info);

  g_assert_nonnull (f);
  sf_writef_float (f, x, (sf_count_t) (seconds * 22050));
  sf_close (f);
}

static void
copy_demo (const char *name, const char *to)
{
  g_autofree char *from = g_build_filename (g_getenv ("SEMBLANCE_DEMO_DIR"),
      name, NULL);
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (from, &data, &len, NULL));
  g_assert_true (g_file_set_contents (to, data, len, NULL));
}

static gint64
count (const char *db_path, const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  /* The watcher may be writing: wait as the store's readers do. */
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==,
      SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
index_demo_folder (const char *db, const char *folder)
{
  g_autoptr (SemblanceIndexer) indexer = semblance_indexer_new (db, NULL, 1);
  g_autoptr (GError) error = NULL;

  semblance_indexer_add_path (indexer, folder);
  g_assert_true (semblance_indexer_run (indexer, NULL, &error));
  g_assert_no_error (error);
}

static void
run_indexer (const char *db, const char *folder, guint *done, guint *failed)
{
  g_autoptr (SemblanceIndexer) indexer = semblance_indexer_new (db, "", 2);
  g_autoptr (GError) error = NULL;

  semblance_indexer_add_path (indexer, folder);
  g_assert_true (semblance_indexer_run (indexer, NULL, &error));
  g_assert_no_error (error);
  *done = semblance_indexer_get_done (indexer);
  *failed = semblance_indexer_get_failures (indexer);
}

static void
test_good_and_bad_files (void)
{
  g_autofree char *music = in_dir ("music");
  g_autofree char *db = in_dir ("bad.db");
  g_autofree char *loop = g_build_filename (music, "loop", NULL);
  g_autofree char *odd = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  g_autoptr (SemblanceStore) store = NULL;
  guint8 noise[8192];
  guint done, failed, i;

  g_assert_cmpint (g_mkdir_with_parents (music, 0700), ==, 0);
  {
    g_autofree char *a = g_build_filename (music, "battle.ogg", NULL);
    g_autofree char *b = g_build_filename (music, "sad.ogg", NULL);
    g_autofree char *c = g_build_filename (music, "8k-mono.wav", NULL);
    g_autofree char *zero = g_build_filename (music, "zero.mp3", NULL);
    g_autofree char *text = g_build_filename (music, "text.flac", NULL);
    g_autofree char *random = g_build_filename (music, "random.mp3", NULL);
    g_autofree char *silent = g_build_filename (music, "silent.wav", NULL);

    copy_demo ("battle.ogg", a);
    copy_demo ("sad.ogg", b);
    write_wav (c, 3, 100);
    g_assert_true (g_file_set_contents (zero, "", 0, NULL));
    g_assert_true (g_file_set_contents (text, "not music\n", -1, NULL));
    for (i = 0; i < sizeof noise; i++)
      noise[i] = (guint8) g_rand_int (rand);
    g_assert_true (g_file_set_contents (random, (char *) noise, sizeof noise,
            NULL));
    {
      g_autofree float *quiet = g_new0 (float, 22050 * 60);
      SF_INFO info = { .samplerate = 22050, .channels = 1,
        .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
      SNDFILE *f = sf_open (silent, SFM_WRITE, &info);

      sf_writef_float (f, quiet, 22050 * 60);
      sf_close (f);
    }
  }
  /* Files cut short, 192 kHz with 8 channels, and a WAV of a codec that
   * nothing decodes. */
  {
    g_autofree char *flac = g_build_filename (music, "whole.flac", NULL);
    g_autofree char *cut_flac = g_build_filename (music, "cut.flac", NULL);
    g_autofree char *cut_ogg = g_build_filename (music, "cut.ogg", NULL);
    g_autofree char *hires = g_build_filename (music, "hires.wav", NULL);
    g_autofree char *codec = g_build_filename (music, "codec.wav", NULL);
    g_autofree char *demo = g_build_filename (g_getenv ("SEMBLANCE_DEMO_DIR"),
        "nebula.ogg", NULL);
    g_autofree char *bytes = NULL;
    g_autofree float *wide = g_new0 (float, 192000 * 8 * 2);
    SF_INFO info = { .samplerate = 22050, .channels = 1,
      .format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16 };
    SF_INFO info8 = { .samplerate = 192000, .channels = 8,
      .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
    g_autofree float *x = signal_clicks (22050, 22050 * 5, 120);
    /* A RIFF WAVE header with format tag 0x7777, then noise. */
    guint8 header[44] = { 'R', 'I', 'F', 'F', 36 + 32, 0, 0, 0, 'W', 'A', 'V',
      'E', 'f', 'm', 't', ' ', 16, 0, 0, 0, 0x77, 0x77, 1, 0, 0x44, 0xac, 0,
      0, 0x88, 0x58, 1, 0, 2, 0, 16, 0, 'd', 'a', 't', 'a', 32, 0, 0, 0 };
    g_autofree guint8 *odd_codec = g_malloc0 (44 + 32);
    SNDFILE *f;
    gsize len;

    f = sf_open (flac, SFM_WRITE, &info);
    sf_writef_float (f, x, 22050 * 5);
    sf_close (f);
    g_assert_true (g_file_get_contents (flac, &bytes, &len, NULL));
    g_assert_true (g_file_set_contents (cut_flac, bytes, len / 2, NULL));
    g_clear_pointer (&bytes, g_free);
    g_unlink (flac);
    g_assert_true (g_file_get_contents (demo, &bytes, &len, NULL));
    g_assert_true (g_file_set_contents (cut_ogg, bytes, len / 3, NULL));
    for (i = 0; i < 192000 * 8 * 2; i++)
      wide[i] = (float) (0.3 * sin (i / 8 * 0.02 * (1 + i % 8)));
    f = sf_open (hires, SFM_WRITE, &info8);
    sf_writef_float (f, wide, 192000 * 2);
    sf_close (f);
    memcpy (odd_codec, header, sizeof header);
    g_assert_true (g_file_set_contents (codec, (char *) odd_codec, 44 + 32,
            NULL));
  }

  /* A name that is not UTF-8, and a link back to the folder itself. */
  odd = g_build_filename (music, "caf\xe9-latin1.wav", NULL);
  write_wav (odd, 2, 120);
  g_assert_cmpint (symlink (music, loop), ==, 0);

  run_indexer (db, music, &done, &failed);
  g_test_message ("first run: %u files, %u failures", done, failed);
  /* Every file is in the store, analysed or failed with a reason; the cut
   * files may keep what could be decoded. */
  g_assert_cmpuint (done, ==, 12);
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks"), ==, 12);
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks WHERE state = 2 "
          "AND (failure IS NULL OR failure = '')"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks WHERE state = 1 "
          "AND uri LIKE '%hires.wav'"), ==, 1);
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks WHERE state = 2 "
          "AND uri LIKE '%codec.wav'"), ==, 1);
  g_assert_cmpuint (failed, >=, 4);
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks WHERE state = 1"),
      ==, 12 - failed);
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks WHERE state = 2 "
          "AND failure LIKE '%mp3:%'"), ==, 2);

  /* Nothing changed: nothing to do, failures included. */
  run_indexer (db, music, &done, &failed);
  g_assert_cmpuint (done, ==, 0);

  /* A changed file is analysed again, once. */
  {
    g_autofree char *a = g_build_filename (music, "8k-mono.wav", NULL);

    write_wav (a, 4, 90);
    g_assert_cmpint (g_utime (a, &(struct utimbuf) { 1, 1 }), ==, 0);
  }
  run_indexer (db, music, &done, &failed);
  g_assert_cmpuint (done, ==, 1);
  g_assert_cmpuint (failed, ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks"), ==, 12);

  /* A model arrives: every analysed track gets its vector from the stored
   * features, and no file is decoded. */
  {
    g_autofree char *path = in_dir ("model.smodel");
    g_autoptr (SemblanceModel) model = semblance_model_new_empty (4, 2, 0);
    g_autoptr (SemblanceIndexer) indexer = NULL;
    g_autoptr (GError) error = NULL;

    for (i = 0; i < model->n_params; i++)
      model->params[i] = (float) sin (i * 0.37);
    g_free (model->card.license);
    model->card.license = g_strdup ("CC0-1.0");
    g_assert_true (semblance_model_save (model, path, &error));
    indexer = semblance_indexer_new (db, path, 2);
    semblance_indexer_add_path (indexer, music);
    g_assert_true (semblance_indexer_run (indexer, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (semblance_indexer_get_done (indexer), ==, 0);
    g_assert_cmpint (count (db, "SELECT count(*) FROM vectors"), ==,
        count (db, "SELECT count(*) FROM tracks WHERE state = 1"));
  }
}

static void
test_killed_and_resumed (void)
{
  const char *program = g_getenv ("SEMBLANCE_PROGRAM");
  g_autofree char *music = in_dir ("many");
  g_autofree char *db = in_dir ("killed.db");
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  guint i, interrupted = 0, done, failed;
  double whole, idle;

  g_assert_nonnull (program);
  g_assert_cmpint (g_mkdir_with_parents (music, 0700), ==, 0);
  for (i = 0; i < 40; i++) {
    g_autofree char *name = g_strdup_printf ("track-%02u.wav", i);
    g_autofree char *path = g_build_filename (music, name, NULL);

    /* 20 s each: the sanitizer build analyses about ten times slower, and
     * the run after the kills does what they left. */
    write_wav (path, 20, 70 + 3 * i);
  }

  /* How long a run takes here, whole and with nothing to do, measured on a
   * database of its own: the kills land within a run's time on any
   * machine and build, not at fixed moments that a fast machine
   * outruns. */
  {
    g_autofree char *ref = in_dir ("reference.db");
    const char *argv[] = { program, "index", "-d", ref, "-m", "", "-j", "1",
      music, NULL };
    gint64 t0 = g_get_monotonic_time ();

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
            G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
            NULL, NULL, NULL, NULL, NULL));
    whole = (g_get_monotonic_time () - t0) / 1e6;
    t0 = g_get_monotonic_time ();
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
            G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
            NULL, NULL, NULL, NULL, NULL));
    idle = (g_get_monotonic_time () - t0) / 1e6;
  }

  /* Kill -9 at random moments, 20 times: while starting, analysing or
   * committing a batch (every 2 s). */
  for (i = 0; i < 20; i++) {
    /* One analysis thread: a run takes a few seconds, long enough to be
     * killed at any point of it. */
    const char *argv[] = { program, "index", "-d", db, "-m", "", "-j", "1",
      music, NULL };
    g_autoptr (GError) error = NULL;
    /* A run killed early may not have made the table yet. */
    gint64 left = 40 - (count (db, "SELECT count(*) FROM sqlite_master "
            "WHERE name = 'tracks'") ? count (db, "SELECT count(*) FROM "
            "tracks WHERE state = 1") : 0);
    double expected = idle + MAX (whole - idle, 0.0) * left / 40.0;
    GPid pid;
    int status;

    g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
            G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error));
    g_usleep ((gulong) (g_rand_double_range (rand, 0.05, 0.9) * expected *
            G_USEC_PER_SEC));
    kill (pid, SIGKILL);
    waitpid (pid, &status, 0);
    interrupted += WIFSIGNALED (status);
    g_spawn_close_pid (pid);
  }
  g_test_message ("a run takes %.2f s, %.2f s with nothing to do; %u of "
      "20 runs killed before they ended; %" G_GINT64_FORMAT " tracks "
      "analysed by then", whole, idle, interrupted,
      count (db, "SELECT count(*) FROM tracks WHERE state = 1"));
  g_assert_cmpuint (interrupted, >=, 5);

  g_assert_cmpint (count (db, "SELECT count(*) FROM pragma_integrity_check "
          "WHERE integrity_check != 'ok'"), ==, 0);
  run_indexer (db, music, &done, &failed);
  g_assert_cmpuint (failed, ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks WHERE state = 1"),
      ==, 40);
  g_assert_cmpint (count (db, "SELECT count(DISTINCT uri) FROM tracks"), ==,
      40);
  g_assert_cmpint (count (db, "SELECT count(*) FROM pragma_integrity_check "
          "WHERE integrity_check != 'ok'"), ==, 0);
  /* And a run after that has nothing left to do. */
  run_indexer (db, music, &done, &failed);
  g_assert_cmpuint (done, ==, 0);
}

/* The first Ogg page of a demo clip (the Vorbis identification header)
 * filled with random bytes: decodebin may then lose the demuxer's error. */
static void
write_damaged_ogg (const char *to)
{
  g_autofree char *from = g_build_filename (g_getenv ("SEMBLANCE_DEMO_DIR"),
      "sad.ogg", NULL);
  g_autofree char *bytes = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  gsize len, body, body_len, i;
  guint8 *b;

  g_assert_true (g_file_get_contents (from, &bytes, &len, NULL));
  b = (guint8 *) bytes;
  body = 27 + b[26];
  for (body_len = 0, i = 0; i < b[26]; i++)
    body_len += b[27 + i];
  for (i = body; i < body + body_len; i++)
    b[i] = (guint8) g_rand_int (rand);
  g_assert_true (g_file_set_contents (to, bytes, len, NULL));
}

static gint64
count_failure (const char *db, const char *name, const char *reason)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM tracks "
      "WHERE state = 2 AND uri LIKE '%%/%s' AND failure LIKE '%%%s%%'", name,
      reason);

  return count (db, sql);
}

/* Entries that hang or mislead a naive indexer: each ends as a failure
 * with its own reason, and the run ends soon. */
static void
test_bad_entries (void)
{
  g_autofree char *music = in_dir ("traps");
  g_autofree char *db = in_dir ("traps.db");
  g_autofree char *fifo = g_build_filename (music, "fifo.wav", NULL);
  g_autofree char *outside = in_dir ("outside-fifo");
  g_autofree char *sub = g_build_filename (music, "sub", NULL);
  g_autofree char *to_fifo = g_build_filename (sub, "to-fifo.wav", NULL);
  g_autofree char *zero = g_build_filename (music, "zero.wav", NULL);
  g_autofree char *loop_a = g_build_filename (music, "loop-a.wav", NULL);
  g_autofree char *loop_b = g_build_filename (music, "loop-b.wav", NULL);
  g_autofree char *dangling = g_build_filename (music, "dangling.wav", NULL);
  g_autofree char *w64 = g_build_filename (music, "three.w64", NULL);
  g_autofree char *bytes = NULL;
  gint64 start = g_get_monotonic_time ();
  guint done, failed, i;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (mkfifo (outside, 0600), ==, 0);
  g_assert_cmpint (symlink (outside, to_fifo), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", zero), ==, 0);
  g_assert_cmpint (symlink (loop_b, loop_a), ==, 0);
  g_assert_cmpint (symlink (loop_a, loop_b), ==, 0);
  g_assert_cmpint (symlink ("nowhere.wav", dangling), ==, 0);
  for (i = 0; i < 20; i++) {
    g_autofree char *name = g_strdup_printf ("hdr-random-%02u.ogg", i);
    g_autofree char *path = g_build_filename (music, name, NULL);

    write_damaged_ogg (path);
  }
  {
    g_autofree char *wav = g_build_filename (music, "cut.wav", NULL);
    gsize len;

    write_wav (wav, 4, 100);
    g_assert_true (g_file_get_contents (wav, &bytes, &len, NULL));
    g_assert_true (g_file_set_contents (wav, bytes, len / 2, NULL));
  }
  /* A format that GStreamer's discoverer cannot read, and libsndfile can:
   * no duration from the tags. */
  {
    g_autofree float *x = signal_clicks (22050, 3 * 22050, 100);
    SF_INFO info = { .samplerate = 22050, .channels = 1,
      .format = SF_FORMAT_W64 | SF_FORMAT_PCM_16 };
    SNDFILE *f = sf_open (w64, SFM_WRITE, &info);

    g_assert_nonnull (f);
    sf_writef_float (f, x, 3 * 22050);
    sf_close (f);
  }

  run_indexer (db, music, &done, &failed);
  g_test_message ("%u files, %u failures, in %.1f s", done, failed,
      (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (done, ==, 28);
  g_assert_cmpuint (failed, ==, 27);
  g_assert_cmpint (count_failure (db, "fifo.wav", "is a named pipe"), ==, 1);
  g_assert_cmpint (count_failure (db, "to-fifo.wav", "is a named pipe"), ==,
      1);
  g_assert_cmpint (count_failure (db, "zero.wav", "is a device"), ==, 1);
  g_assert_cmpint (count_failure (db, "loop-a.wav", g_strerror (ELOOP)), ==,
      1);
  g_assert_cmpint (count_failure (db, "loop-b.wav", g_strerror (ELOOP)), ==,
      1);
  g_assert_cmpint (count_failure (db, "dangling.wav", "no such file"), ==, 1);
  g_assert_cmpint (count_failure (db, "cut.wav", "truncated"), ==, 1);
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks WHERE state = 2 "
          "AND uri LIKE '%hdr-random-%.ogg' AND failure LIKE "
          "'%hdr-random-%.ogg: %'"), ==, 20);
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks WHERE state = 1 "
          "AND uri LIKE '%three.w64' AND abs (duration - 3.0) < 0.01"), ==, 1);
}

/* How many times each file of the folder watched by @fd was opened. */
static void
count_opens (int fd, GHashTable *opens)
{
  char buf[4096] __attribute__ ((aligned (__alignof__ (struct inotify_event))));
  ssize_t len;

  while ((len = read (fd, buf, sizeof buf)) > 0) {
    const struct inotify_event *e;
    char *p;

    for (p = buf; p < buf + len; p += sizeof *e + e->len) {
      e = (const struct inotify_event *) p;
      if (e->len > 0 && (e->mask & IN_OPEN))
        g_hash_table_insert (opens, g_strdup (e->name),
            GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (opens,
                        e->name)) + 1));
    }
  }
}

/* The fingerprint stored for the track of @name, in @db_path. */
static guint32 *
stored_fingerprint (const char *db_path, const char *name, guint *n)
{
  g_autofree char *like = g_strdup_printf ("%%/%s", name);
  sqlite3 *db;
  sqlite3_stmt *stmt;
  guint32 *items = NULL;
  guint i;

  *n = 0;
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT fingerprint FROM tracks "
          "WHERE uri LIKE ?1", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, like, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW
      && sqlite3_column_type (stmt, 0) == SQLITE_BLOB) {
    const guint8 *blob = sqlite3_column_blob (stmt, 0);

    *n = (guint) sqlite3_column_bytes (stmt, 0) / 4;
    items = g_new (guint32, *n);
    for (i = 0; i < *n; i++)
      items[i] = GUINT32_FROM_LE (((const guint32 *) (gconstpointer)
              blob)[i]);
  }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return items;
}

/* The tags, duration and fingerprint stored come from the one decoding
 * that analyses the file: nothing opens it a second time. */
static void
test_tags_in_one_pass (void)
{
  g_autofree char *music = in_dir ("tagged");
  g_autofree char *db = in_dir ("tagged.db");
  g_autofree char *battle = g_build_filename (music, "battle.ogg", NULL);
  g_autofree char *flac = g_build_filename (music, "clicks.flac", NULL);
  g_autofree float *x = signal_clicks (22050, 3 * 22050, 100);
  g_autoptr (GHashTable) opens = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, NULL);
  g_autofree guint32 *own = NULL, *stored = NULL;
  SF_INFO info = { .samplerate = 22050, .channels = 1,
    .format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16 };
  SNDFILE *f;
  guint done, failed, n_own, n_stored;
  int fd;

  g_assert_cmpint (g_mkdir_with_parents (music, 0700), ==, 0);
  copy_demo ("battle.ogg", battle);
  f = sf_open (flac, SFM_WRITE, &info);
  g_assert_nonnull (f);
  g_assert_cmpint (sf_set_string (f, SF_STR_TITLE, "Clicks"), ==, 0);
  g_assert_cmpint (sf_set_string (f, SF_STR_ARTIST, "Metronome"), ==, 0);
  g_assert_cmpint (sf_set_string (f, SF_STR_ALBUM, "Tempi"), ==, 0);
  g_assert_cmpint (sf_set_string (f, SF_STR_GENRE, "Test"), ==, 0);
  g_assert_cmpint (sf_set_string (f, SF_STR_TRACKNUMBER, "3"), ==, 0);
  g_assert_cmpint (sf_writef_float (f, x, 3 * 22050), ==, 3 * 22050);
  sf_close (f);

  fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  /* Closes too: inotify folds an event into the same one unread before
   * it, and open, open would count once. */
  g_assert_cmpint (inotify_add_watch (fd, music, IN_OPEN | IN_CLOSE_NOWRITE),
      >=, 0);
  run_indexer (db, music, &done, &failed);
  count_opens (fd, opens);
  close (fd);
  g_assert_cmpuint (done, ==, 2);
  g_assert_cmpuint (failed, ==, 0);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (opens,
              "battle.ogg")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (opens,
              "clicks.flac")), ==, 1);
  /* The fingerprint of the analysis' audio: at 44.1 kHz, which the
   * analysis mixes and halves as the fingerprinter does, the same values
   * as a decoding of its own (test-fingerprint compares other rates with
   * Chromaprint's own). */
  own = sndfile_fingerprint (battle, &n_own);
  stored = stored_fingerprint (db, "battle.ogg", &n_stored);
  g_assert_nonnull (own);
  g_assert_cmpmem (stored, n_stored * 4, own, n_own * 4);

  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks WHERE state = 1 "
          "AND uri LIKE '%/battle.ogg' AND title = 'Battle Music' "
          "AND artist = 'Aleksi Aubry-Carlson' AND album IS NULL "
          "AND abs (duration - 20.0) < 0.1"), ==, 1);
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks WHERE state = 1 "
          "AND uri LIKE '%/clicks.flac' AND title = 'Clicks' "
          "AND artist = 'Metronome' AND album = 'Tempi' AND genre = 'Test' "
          "AND track_number = 3 AND abs (duration - 3.0) < 1e-6"), ==, 1);
}

/* Drops to an ordinary user when the tests run as root: what follows is
 * about permissions and the limits of an ordinary user. */
static void
become_user (gpointer data)
{
  if (geteuid () == 0 && (setgid (65534) != 0 || setuid (65534) != 0))
    _exit (125);
}

/* The command line as an ordinary user: a folder it cannot read is a
 * failure with the reason, and lowering the threads' priority makes GLib
 * print nothing. */
static void
test_ordinary_user (void)
{
  const char *program = g_getenv ("SEMBLANCE_PROGRAM");
  g_autofree char *top = in_dir ("user");
  g_autofree char *music = g_build_filename (top, "music", NULL);
  g_autofree char *locked = g_build_filename (music, "locked", NULL);
  g_autofree char *inside = g_build_filename (locked, "a.wav", NULL);
  g_autofree char *open_wav = g_build_filename (music, "b.wav", NULL);
  g_autofree char *ogg = g_build_filename (music, "c.ogg", NULL);
  g_autofree char *db = g_build_filename (top, "user.db", NULL);
  const char *argv[] = { program, "index", "-d", db, "-m", "", "-j", "1",
    music, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) env = g_get_environ ();
  g_autofree char *asan = NULL;
  int status;

  /* A process that changed its user cannot read its own /proc maps, where
   * ASan checks that it came first (the sanitizer build). */
  asan = g_strdup_printf ("%s%sverify_asan_link_order=0",
      g_environ_getenv (env, "ASAN_OPTIONS") ?
      g_environ_getenv (env, "ASAN_OPTIONS") : "",
      g_environ_getenv (env, "ASAN_OPTIONS") ? ":" : "");
  env = g_environ_setenv (env, "ASAN_OPTIONS", asan, TRUE);
  g_assert_cmpint (g_mkdir_with_parents (locked, 0755), ==, 0);
  /* The tests' GStreamer registry must be readable by the ordinary user,
   * or GStreamer scans every plugin again as that user. */
  if (g_getenv ("GST_REGISTRY_1_0"))
    g_chmod (g_getenv ("GST_REGISTRY_1_0"), 0644);
  write_wav (inside, 2, 100);
  write_wav (open_wav, 2, 120);
  copy_demo ("battle.ogg", ogg);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (top, 0777), ==, 0);
  g_assert_cmpint (g_chmod (music, 0755), ==, 0);
  g_assert_cmpint (g_chmod (open_wav, 0644), ==, 0);
  g_assert_cmpint (g_chmod (ogg, 0644), ==, 0);
  g_assert_cmpint (g_chmod (locked, 0), ==, 0);

  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT,
          become_user, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  g_chmod (locked, 0755);
  g_test_message ("%s%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_null (strstr (err, "CRITICAL"));
  g_assert_null (strstr (err, "WARNING"));
  g_assert_null (strstr (err, "=="));
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks WHERE state = 1"),
      ==, 2);
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks WHERE state = 2 "
          "AND uri LIKE '%/locked' AND failure LIKE '%locked: cannot read "
          "this folder: Permission denied'"), ==, 1);

  /* Readable again: its file is indexed, and the folder is no failure.
   * What the command prints would break the test's TAP output. */
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env,
          G_SPAWN_STDOUT_TO_DEV_NULL, become_user, NULL, NULL, NULL, &status,
          &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks WHERE state = 1"),
      ==, 3);
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks WHERE state = 2"),
      ==, 0);
}

static void
cancel_on_progress (SemblanceIndexer *indexer, GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* A run cancelled with files still queued ends at once, with the error
 * that says so; the queued files are dropped (and freed: the pool has
 * their free function, which LeakSanitizer cannot tell from GLib's own
 * queue here). */
static void
test_cancelled_with_files_queued (void)
{
  g_autofree char *music = in_dir ("queued");
  g_autofree char *db = in_dir ("cancelled.db");
  g_autoptr (SemblanceIndexer) indexer = semblance_indexer_new (db, "", 1);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  guint i;

  g_assert_cmpint (g_mkdir_with_parents (music, 0700), ==, 0);
  for (i = 0; i < 14; i++) {
    g_autofree char *name = g_strdup_printf ("q-%02u.wav", i);
    g_autofree char *path = g_build_filename (music, name, NULL);

    write_wav (path, 30, 80 + 5 * i);
  }
  semblance_indexer_add_path (indexer, music);
  g_signal_connect (indexer, "progress", G_CALLBACK (cancel_on_progress),
      cancellable);
  g_assert_false (semblance_indexer_run (indexer, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("cancelled after %u files", semblance_indexer_get_done
      (indexer));
  g_assert_cmpuint (semblance_indexer_get_done (indexer), <, 14);
}

/* Queries from another process while the indexer writes never fail. */
static void
test_readers_while_indexing (void)
{
  const char *program = g_getenv ("SEMBLANCE_PROGRAM");
  g_autofree char *music = in_dir ("many");
  g_autofree char *db = in_dir ("busy.db");
  const char *index_argv[] = { program, "index", "-d", db, "-m", "", "-j",
    "1", music, NULL };
  const char *status_argv[] = { program, "status", "-d", db, NULL };
  g_autoptr (GError) error = NULL;
  guint queries = 0;
  GPid pid;
  int status;

  g_assert_true (g_spawn_async (NULL, (char **) index_argv, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
          G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  while (waitpid (pid, &status, WNOHANG) == 0) {
    g_autofree char *out = NULL, *err = NULL;
    int wait_status;

    /* The database appears with the indexer's first transaction. */
    if (!g_file_test (db, G_FILE_TEST_EXISTS)) {
      g_usleep (10000);
      continue;
    }
    g_assert_true (g_spawn_sync (NULL, (char **) status_argv, NULL,
            G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &wait_status, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (err, ==, "");
    g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
    g_assert_nonnull (strstr (out, "tracks"));
    queries++;
  }
  g_spawn_close_pid (pid);
  g_test_message ("%u queries while indexing", queries);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_assert_cmpuint (queries, >=, 3);
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks WHERE state = 1"),
      ==, 40);
}

/* Waits, running the main loop, until @sql counts @expected. */
static gboolean
wait_for (const char *db, const char *sql, gint64 expected)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end) {
    while (g_main_context_iteration (NULL, FALSE));
    if (count (db, sql) == expected)
      return TRUE;
    g_usleep (50000);
  }
  return FALSE;
}

static void
test_watch (void)
{
  g_autofree char *music = in_dir ("watched");
  g_autofree char *db = in_dir ("watch.db");
  g_autofree char *first = g_build_filename (music, "first.wav", NULL);
  g_autofree char *later = g_build_filename (music, "later.wav", NULL);
  g_autofree char *sub = g_build_filename (music, "new album", NULL);
  g_autofree char *deep = g_build_filename (sub, "deep.wav", NULL);
  g_autofree char *moved = g_build_filename (music, "renamed.wav", NULL);
  g_autoptr (SemblanceIndexer) indexer = semblance_indexer_new (db, "", 1);
  g_autoptr (GError) error = NULL;
  const char *analysed = "SELECT count(*) FROM tracks WHERE state = 1";

  g_assert_cmpint (g_mkdir_with_parents (music, 0700), ==, 0);
  write_wav (first, 3, 100);
  semblance_indexer_add_path (indexer, music);
  g_assert_true (semblance_indexer_run (indexer, NULL, &error));
  g_assert_cmpint (count (db, analysed), ==, 1);
  semblance_indexer_watch (indexer);

  write_wav (later, 3, 140);
  g_assert_true (wait_for (db, analysed, 2));

  /* A new folder, and a file in it. */
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  while (g_main_context_iteration (NULL, FALSE));
  write_wav (deep, 3, 80);
  g_assert_true (wait_for (db, analysed, 3));

  g_assert_cmpint (g_rename (later, moved), ==, 0);
  g_assert_true (wait_for (db, "SELECT count(*) FROM tracks WHERE uri LIKE "
          "'%renamed.wav' AND state = 1", 1));
  g_assert_cmpint (count (db, "SELECT count(*) FROM tracks WHERE uri LIKE "
          "'%later.wav'"), ==, 0);

  g_assert_cmpint (g_unlink (first), ==, 0);
  g_assert_true (wait_for (db, "SELECT count(*) FROM tracks", 2));
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) d = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK)
      || !g_file_test (path, G_FILE_TEST_IS_DIR)) {
    g_unlink (path);
    return;
  }
  d = g_dir_open (path, 0, NULL);
  while (d && (name = g_dir_read_name (d))) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    remove_tree (child);
  }
  g_rmdir (path);
}

/* Files added one by one, as a player adds its entries: one that is gone
 * by the next run is forgotten, not recorded as a failure; a folder that
 * is missing itself keeps its tracks. */
/* A run with a model leaves the blend's fit saved for the catalog it
 * made, so that the first query takes it: after each run that changed
 * the tracks, the saved fit is of the current generation. */
static void
test_saves_the_blend (void)
{
  g_autofree char *db = in_dir ("blend.db");
  g_autofree char *folder = in_dir ("blend");
  const char *names[] = { "sad.ogg", "battle.ogg", "nebula.ogg" };
  const char *current = "SELECT count(*) FROM blends b, catalog_generation g"
      " WHERE b.generation = g.n";
  g_autoptr (GError) error = NULL;
  guint round, i;

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autofree char *path = g_build_filename (folder, names[i], NULL);

    copy_demo (names[i], path);
  }
  for (round = 0; round < 2; round++) {
    g_autoptr (SemblanceIndexer) indexer = semblance_indexer_new (db, NULL,
        1);

    if (round == 1) {
      g_autofree char *gone = g_build_filename (folder, names[0], NULL);

      g_assert_cmpint (g_remove (gone), ==, 0);
    }
    semblance_indexer_add_path (indexer, folder);
    g_assert_true (semblance_indexer_run (indexer, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count (db, "SELECT count(*) FROM vectors"), ==,
        3 - (gint) round);
    g_assert_cmpint (count (db, "SELECT count(*) FROM blends"), ==, 1);
    g_assert_cmpint (count (db, current), ==, 1);
  }
}

static void
test_files_gone (void)
{
  g_autofree char *db = in_dir ("gone.db");
  g_autofree char *folder = in_dir ("gone");
  g_autofree char *kept = g_build_filename (folder, "kept.ogg", NULL);
  g_autofree char *gone = g_build_filename (folder, "gone.ogg", NULL);
  g_autofree char *moved = in_dir ("gone-moved");
  g_autoptr (GError) error = NULL;
  guint round;

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  copy_demo ("sad.ogg", kept);
  copy_demo ("battle.ogg", gone);
  for (round = 0; round < 3; round++) {
    g_autoptr (SemblanceIndexer) indexer = semblance_indexer_new (db, "", 1);

    if (round == 1)
      g_assert_cmpint (g_remove (gone), ==, 0);
    if (round == 2)
      g_assert_cmpint (g_rename (folder, moved), ==, 0);
    semblance_indexer_add_path (indexer, kept);
    semblance_indexer_add_path (indexer, gone);
    if (round == 2)
      semblance_indexer_add_path (indexer, folder);
    g_assert_true (semblance_indexer_run (indexer, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (semblance_indexer_get_forgotten (indexer), ==,
        (round == 1 ? 1u : 0u));
    g_assert_cmpuint (semblance_indexer_get_failures (indexer), ==, 0);
    g_assert_cmpint (count (db, "SELECT count(*) FROM tracks"), ==,
        (round == 0 ? 2 : 1));
  }
  /* The missing file was forgotten, the moved one is kept: prune of the
   * whole store agrees (its folder is not there). */
  {
    g_autoptr (SemblanceIndexer) indexer = semblance_indexer_new (db, "", 1);

    g_assert_true (semblance_indexer_prune (indexer, NULL, &error));
    g_assert_cmpuint (semblance_indexer_get_forgotten (indexer), ==, 0);
    g_assert_cmpint (count (db, "SELECT count(*) FROM tracks"), ==, 1);
  }
}

static void
exec_sql (const char *db_path, const char *sql)
{
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
record_current_file (SemblanceIndexer *indexer, GPtrArray *order)
{
  g_autofree char *file = NULL;

  g_object_get (indexer, "current-file", &file, NULL);
  g_ptr_array_add (order, g_path_get_basename (file));
}

/* After a change of the feature layout: the tracks analysed in the old one
 * are analysed again, after the new files, and until the last of them is,
 * queries from tracks in the library use the previous model's vectors. */
static void
test_older_layout (void)
{
  g_autofree char *music = in_dir ("older-layout");
  g_autofree char *db = in_dir ("older-layout.db");
  g_autofree char *sad = g_build_filename (music, "sad.ogg", NULL);
  g_autofree char *battle = g_build_filename (music, "battle.ogg", NULL);
  g_autofree char *added = g_build_filename (music, "z-added.ogg", NULL);
  g_autofree char *sad_uri = g_filename_to_uri (sad, NULL, NULL);
  g_autofree char *added_uri = g_filename_to_uri (added, NULL, NULL);
  g_autofree char *stale_sql = g_strdup_printf ("UPDATE tracks SET"
      " layout_version = %d; INSERT INTO vectors (track_id, model_id, vector,"
      " semantic) SELECT track_id, 'previous-model', vector, semantic FROM"
      " vectors; DELETE FROM vectors WHERE"
      " model_id != 'previous-model';", SEMBLANCE_LAYOUT_VERSION - 1);
  g_autoptr (GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  const char *seeds[] = { sad_uri, NULL };
  g_autoptr (GError) error = NULL;
  SemblanceQueryOptions o;

  semblance_query_options_init (&o);
  g_assert_cmpint (g_mkdir_with_parents (music, 0755), ==, 0);
  copy_demo ("sad.ogg", sad);
  copy_demo ("battle.ogg", battle);
  index_demo_folder (db, music);
  /* As a library of the previous release looks to this one. */
  exec_sql (db, stale_sql);

  {
    g_autoptr (SemblanceStore) store = semblance_store_open (db, &error);
    g_autoptr (SemblanceLibrary) lib = semblance_library_new (db, NULL,
        &error);
    g_autoptr (GPtrArray) similar = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (semblance_store_count_stale (store), ==, 2);
    g_assert_cmpuint (semblance_library_get_size (lib), ==, 2);
    similar = semblance_library_similar (lib, seeds, &o, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (similar->len, ==, 1);
  }

  copy_demo ("awakening.ogg", added);
  {
    g_autoptr (SemblanceIndexer) indexer = semblance_indexer_new (db, NULL, 1);

    g_signal_connect (indexer, "progress", G_CALLBACK (record_current_file),
        order);
    semblance_indexer_add_path (indexer, music);
    g_assert_true (semblance_indexer_run (indexer, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (semblance_indexer_get_done (indexer), ==, 3);
  }
  /* The new file first, though it sorts last. */
  g_assert_cmpuint (order->len, >=, 1);
  g_assert_cmpstr (order->pdata[0], ==, "z-added.ogg");

  {
    g_autoptr (SemblanceStore) store = semblance_store_open (db, &error);
    g_autoptr (SemblanceLibrary) lib = semblance_library_new (db, NULL,
        &error);
    g_autoptr (GPtrArray) similar = NULL;
    const char *added_seeds[] = { added_uri, NULL };

    g_assert_no_error (error);
    g_assert_cmpuint (semblance_store_count_stale (store), ==, 0);
    /* The model's own vectors now, the new file's among them. */
    g_assert_cmpuint (semblance_library_get_size (lib), ==, 3);
    similar = semblance_library_similar (lib, added_seeds, &o, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (similar->len, ==, 2);
  }
  g_assert_cmpint (count (db, "SELECT count(*) FROM vectors WHERE model_id"
          " = 'previous-model'"), ==, 2);
}

int
main (int argc, char **argv)
{
  int status;

  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("semblance-indexer-XXXXXX", NULL);
  g_test_add_func ("/indexer/good-and-bad-files", test_good_and_bad_files);
  g_test_add_func ("/indexer/tags-in-one-pass", test_tags_in_one_pass);
  g_test_add_func ("/indexer/killed-and-resumed", test_killed_and_resumed);
  g_test_add_func ("/indexer/readers-while-indexing",
      test_readers_while_indexing);
  g_test_add_func ("/indexer/watch", test_watch);
  g_test_add_func ("/indexer/files-gone", test_files_gone);
  g_test_add_func ("/indexer/saves-the-blend", test_saves_the_blend);
  g_test_add_func ("/indexer/bad-entries", test_bad_entries);
  g_test_add_func ("/indexer/ordinary-user", test_ordinary_user);
  g_test_add_func ("/indexer/cancelled-with-files-queued",
      test_cancelled_with_files_queued);
  g_test_add_func ("/indexer/older-layout", test_older_layout);
  status = g_test_run ();
  remove_tree (dir);
  g_free (dir);
  return status;
}
