/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * semblance mpd: "more like this" for the Music Player Daemon, through
 * libmpdclient. MPD names songs by their path under its music directory;
 * the index by file URI: the music directory joins them (MPD tells it over
 * a local socket only, so over TCP it is --music-dir).
 *
 *   queue [N]  appends N tracks like the current song;
 *   follow     keeps N tracks after the current one, appending tracks like
 *              the ones played last whenever the queue runs low.
 *
 * No repeats: a track waiting in the queue is never added again, nor one
 * played or added among the last --no-repeat tracks. At most
 * --max-per-artist tracks of one artist wait in the queue. When the
 * library is too small for both, the cap gives first; then the tracks
 * heard longest ago come back, one by one.
 */
#include <mpd/client.h>
#include <stdio.h>

#include "semblance-cmd.h"
#include "semblance.h"

#define TIMEOUT_MS 30000

typedef struct
{
  struct mpd_connection *conn;
  SemblanceLibrary *lib;
  char *music_dir;              /* canonical, without a trailing '/' */
  guint max_per_artist, keep, window, n_seeds;
  GPtrArray *history;           /* URIs played or added, oldest first */
  char *current;                /* the URI playing when last looked */
} Mpd;

static void
mpd_clear (Mpd *m)
{
  if (m->conn)
    mpd_connection_free (m->conn);
  g_clear_object (&m->lib);
  g_free (m->music_dir);
  if (m->history)
    g_ptr_array_unref (m->history);
  g_free (m->current);
}

/* MPD's last error as a GError; the connection is unusable after most. */
static gboolean
mpd_failed (Mpd *m, GError **error)
{
  if (mpd_connection_get_error (m->conn) == MPD_ERROR_SUCCESS)
    return FALSE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "MPD: %s",
      mpd_connection_get_error_message (m->conn));
  return TRUE;
}

/* The index's URI of MPD's song @path, or NULL for a stream. */
static char *
index_uri (Mpd *m, const char *path)
{
  g_autofree char *file = NULL;

  if (strstr (path, "://"))
    return NULL;
  file = g_build_filename (m->music_dir, path, NULL);
  return g_filename_to_uri (file, NULL, NULL);
}

/* MPD's path of the index's @uri, or NULL when it lies outside the music
 * directory. */
static char *
mpd_path (Mpd *m, const char *uri)
{
  g_autofree char *file = g_filename_from_uri (uri, NULL, NULL);
  gsize n = strlen (m->music_dir);

  if (!file || strncmp (file, m->music_dir, n) != 0 || file[n] != '/')
    return NULL;
  return g_strdup (file + n + 1);
}

/* MPD's music directory: --music-dir, else what MPD says (the "config"
 * command, for clients on a local socket). */
static gboolean
find_music_dir (Mpd *m, const char *given, GError **error)
{
  struct mpd_pair *pair;
  g_autofree char *dir = NULL;

  if (given) {
    dir = g_strdup (given);
  } else if (mpd_send_command (m->conn, "config", NULL)) {
    if ((pair = mpd_recv_pair_named (m->conn, "music_directory"))) {
      dir = g_strdup (pair->value);
      mpd_return_pair (m->conn, pair);
    }
    mpd_response_finish (m->conn);
  }
  if (!dir) {
    if (mpd_connection_get_error (m->conn) == MPD_ERROR_SERVER)
      mpd_connection_clear_error (m->conn);
    if (mpd_failed (m, error))
      return FALSE;
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "MPD tells its music directory only to clients on its local "
        "socket: give --music-dir DIR (its music_directory)");
    return FALSE;
  }
  m->music_dir = g_canonicalize_filename (dir, NULL);
  if (!g_file_test (m->music_dir, G_FILE_TEST_IS_DIR)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "MPD's music directory %s is not a folder here: run semblance on "
        "the computer that runs MPD, or give --music-dir", m->music_dir);
    return FALSE;
  }
  return TRUE;
}

/* The queue as index URIs (NULL for a song outside it, a stream), and the
 * position of the current song, -1 for none. */
static GPtrArray *
read_queue (Mpd *m, int *current, GError **error)
{
  g_autoptr (GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);
  struct mpd_status *status;
  struct mpd_song *song;

  if (!(status = mpd_run_status (m->conn))) {
    mpd_failed (m, error);
    return NULL;
  }
  *current = mpd_status_get_song_pos (status);
  mpd_status_free (status);
  if (!mpd_send_list_queue_meta (m->conn)) {
    mpd_failed (m, error);
    return NULL;
  }
  while ((song = mpd_recv_song (m->conn))) {
    g_ptr_array_add (uris, index_uri (m, mpd_song_get_uri (song)));
    mpd_song_free (song);
  }
  if (!mpd_response_finish (m->conn)) {
    mpd_failed (m, error);
    return NULL;
  }
  return g_steal_pointer (&uris);
}

static gboolean
in_list (GPtrArray *list, guint from, const char *uri)
{
  guint i;

  for (i = from; i < list->len; i++)
    if (g_strcmp0 (list->pdata[i], uri) == 0)
      return TRUE;
  return FALSE;
}

static char *
artist_of (Mpd *m, const char *uri)
{
  g_autoptr (SemblanceResult) t = semblance_library_get_track (m->lib, uri,
      NULL);

  return t && t->artist ? g_strdup (t->artist) : NULL;
}

/* Whether one more track by @artist keeps under the cap in @waiting
 * (artists of the tracks waiting in the queue and of those picked). */
static gboolean
under_cap (Mpd *m, GPtrArray *waiting, const char *artist)
{
  guint i, n = 0;

  if (!artist || m->max_per_artist == 0)
    return TRUE;
  for (i = 0; i < waiting->len; i++)
    n += g_strcmp0 (waiting->pdata[i], artist) == 0;
  return n < m->max_per_artist;
}

/* Up to @need tracks of @ranked (best first) for the queue @queue whose
 * songs from @first on wait to be played (the one before them plays): none
 * of those, none of the history's last tracks, and not too many of one
 * artist among those waiting. */
static GPtrArray *
pick (Mpd *m, GPtrArray *ranked, GPtrArray *queue, int first, guint need)
{
  GPtrArray *picked = g_ptr_array_new ();
  guint window = MIN (m->window, m->history->len), i, j;
  gboolean capped = TRUE;

  for (;;) {
    g_autoptr (GPtrArray) waiting = g_ptr_array_new_with_free_func (g_free);
    int pass;

    g_ptr_array_set_size (picked, 0);
    for (j = MAX (first, 0); j < queue->len; j++)
      if (queue->pdata[j])
        g_ptr_array_add (waiting, artist_of (m, queue->pdata[j]));
    /* The tracks that keep the cap first, in their order; then, when the
     * cap gives, the best of the others. */
    for (pass = 0; pass < (capped ? 1 : 2); pass++)
      for (i = 0; i < ranked->len && picked->len < need; i++) {
        const SemblanceResult *r = ranked->pdata[i];
        g_autofree char *path = mpd_path (m, r->uri);
        gboolean keeps = under_cap (m, waiting, r->artist);

        if (!path || in_list (queue, MAX (first - 1, 0), r->uri)
            || in_list (m->history, m->history->len - window, r->uri)
            || (pass == 0 && !keeps)
            || g_ptr_array_find (picked, r, NULL))
          continue;
        g_ptr_array_add (picked, (gpointer) r);
        g_ptr_array_add (waiting, g_strdup (r->artist));
      }
    if (picked->len == need)
      return picked;
    /* Too small a library: the artist cap gives first, then the tracks
     * heard longest ago come back, one by one. */
    if (capped) {
      capped = FALSE;
    } else if (window > 0) {
      window--;
      capped = TRUE;
    } else {
      return picked;
    }
  }
}

/* Appends @need tracks like @seeds to the queue; how many it added. */
static gboolean
append_like (Mpd *m, GPtrArray *seeds, GPtrArray *queue, int first,
             guint need, guint *added, GError **error)
{
  g_autoptr (GPtrArray) ranked = NULL;
  g_autoptr (GPtrArray) picked = NULL;
  SemblanceQueryOptions o;
  guint i;

  *added = 0;
  semblance_query_options_init (&o);
  /* Enough candidates for every exclusion to leave @need. */
  o.n = MIN (need + queue->len + m->window, semblance_library_get_size
      (m->lib));
  g_ptr_array_add (seeds, NULL);
  ranked = semblance_library_similar (m->lib, (const char *const *)
      seeds->pdata, &o, error);
  g_ptr_array_remove_index (seeds, seeds->len - 1);
  if (!ranked)
    return FALSE;
  picked = pick (m, ranked, queue, first, need);
  for (i = 0; i < picked->len; i++) {
    const SemblanceResult *r = picked->pdata[i];
    g_autofree char *path = mpd_path (m, r->uri);

    if (!mpd_run_add (m->conn, path)) {
      mpd_failed (m, error);
      return FALSE;
    }
    g_ptr_array_add (m->history, g_strdup (r->uri));
    g_ptr_array_add (queue, g_strdup (r->uri));
    g_print ("+ %s%s%s\n", r->title ? r->title : path, r->artist ? " — "
        : "", r->artist ? r->artist : "");
    (*added)++;
  }
  fflush (stdout);
  return TRUE;
}

/* The last @n songs up to the current one (or the queue's last, when
 * nothing plays) that the index has. */
static GPtrArray *
recent_seeds (Mpd *m, GPtrArray *queue, int current, guint n)
{
  GPtrArray *seeds = g_ptr_array_new ();
  int i = current >= 0 ? current : (int) queue->len - 1;

  for (; i >= 0 && seeds->len < n; i--)
    if (queue->pdata[i] && semblance_library_contains (m->lib,
            queue->pdata[i]))
      g_ptr_array_insert (seeds, 0, queue->pdata[i]);
  return seeds;
}

/* The songs played before the current one, and that one, open the
 * history, oldest first. */
static void
start_history (Mpd *m, GPtrArray *queue, int current)
{
  int i;

  for (i = 0; i <= current; i++)
    if (queue->pdata[i])
      g_ptr_array_add (m->history, g_strdup (queue->pdata[i]));
  if (current >= 0)
    m->current = g_strdup (queue->pdata[current]);
}

static int
run_queue (Mpd *m, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) queue = NULL, seeds = NULL;
  int current;
  guint added;

  if (!(queue = read_queue (m, &current, &error))) {
    g_printerr ("semblance mpd: %s\n", error->message);
    return 1;
  }
  start_history (m, queue, current);
  seeds = recent_seeds (m, queue, current, 1);
  if (seeds->len == 0) {
    g_printerr ("semblance mpd: %s\n", queue->len == 0 ? "the queue is "
        "empty: play a song first" : "the index does not have the current "
        "song: run “semblance index” on MPD's music directory");
    return 1;
  }
  if (!append_like (m, seeds, queue, current + 1, n, &added, &error)) {
    g_printerr ("semblance mpd: %s\n", error->message);
    return 1;
  }
  if (added < n)
    g_printerr ("semblance mpd: only %u tracks are left to add\n", added);
  return 0;
}

/* One look at MPD: remember what plays, and top the queue up. */
static gboolean
follow_once (Mpd *m, GError **error)
{
  g_autoptr (GPtrArray) queue = NULL, seeds = NULL;
  int current;
  guint waiting, added;

  if (!(queue = read_queue (m, &current, error)))
    return FALSE;
  if (current >= 0 && queue->pdata[current]
      && g_strcmp0 (queue->pdata[current], m->current) != 0) {
    g_free (m->current);
    m->current = g_strdup (queue->pdata[current]);
    /* Played now: it counts from here for the repeat window. */
    g_ptr_array_add (m->history, g_strdup (m->current));
  }
  waiting = current >= 0 ? queue->len - current - 1 : queue->len;
  if (waiting >= m->keep)
    return TRUE;
  seeds = recent_seeds (m, queue, current, m->n_seeds);
  if (seeds->len == 0)
    return TRUE;
  return append_like (m, seeds, queue, current + 1, m->keep - waiting,
      &added, error);
}

static int
run_follow (Mpd *m)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) queue = NULL;
  int current;

  if (!(queue = read_queue (m, &current, &error))) {
    g_printerr ("semblance mpd follow: %s\n", error->message);
    return 1;
  }
  start_history (m, queue, current);

  g_print ("Following MPD: %u tracks kept after the current one\n", m->keep);
  fflush (stdout);
  for (;;) {
    if (!follow_once (m, &error)) {
      g_printerr ("semblance mpd follow: %s\n", error->message);
      return 1;
    }
    if (mpd_run_idle_mask (m->conn, MPD_IDLE_QUEUE | MPD_IDLE_PLAYER) == 0
        && mpd_failed (m, &error)) {
      g_printerr ("semblance mpd follow: %s\n", error->message);
      return 1;
    }
  }
}

int
semblance_cmd_mpd (int argc, char **argv)
{
  g_autofree char *host = NULL, *password = NULL, *music_dir = NULL;
  g_autofree char *database = NULL, *model = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  gint port = 0, cap = 2, keep = 5, window = 100, n_seeds = 3;
  guint64 n = 10;
  const char *db;
  Mpd m = { 0 };
  int status;
  GOptionEntry entries[] = {
    { "host", 'H', 0, G_OPTION_ARG_STRING, &host, "MPD's host or local "
      "socket (default: $MPD_HOST, else localhost)", "HOST" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "MPD's port (default: "
      "$MPD_PORT, else 6600)", "PORT" },
    { "password", 'P', 0, G_OPTION_ARG_STRING, &password, "MPD's password",
      "PASSWORD" },
    { "music-dir", 0, 0, G_OPTION_ARG_FILENAME, &music_dir, "MPD's music "
      "directory (default: MPD says, on a local socket)", "DIR" },
    { "max-per-artist", 'a', 0, G_OPTION_ARG_INT, &cap, "Tracks of one "
      "artist waiting in the queue, 0 for no cap (2)", "N" },
    { "keep", 'k', 0, G_OPTION_ARG_INT, &keep, "follow: tracks kept after "
      "the current one (5)", "N" },
    { "no-repeat", 'r', 0, G_OPTION_ARG_INT, &window, "No track again "
      "within this many played or added (100)", "N" },
    { "seeds", 's', 0, G_OPTION_ARG_INT, &n_seeds, "follow: recent tracks "
      "the new ones are like (3)", "N" },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, "Database file",
      "FILE" },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model, "Model (default: the "
      "installed one)", "MODEL" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL,
      NULL },
    { NULL }
  };

  context = g_option_context_new ("queue [N] | follow - “more like this” "
      "for MPD");
  g_option_context_set_description (context, "queue [N]: append N tracks "
      "(10) like the current song.\nfollow: keep the queue going with "
      "tracks like the ones played last, until interrupted.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("semblance mpd: %s\n", error->message);
    return 2;
  }
  if (!args || !args[0] || !(g_str_equal (args[0], "queue")
          || g_str_equal (args[0], "follow"))
      || (g_str_equal (args[0], "queue") && args[1]
          && !g_ascii_string_to_unsigned (args[1], 10, 1, 1000, &n, NULL))
      || (args[1] && args[2]) || (g_str_equal (args[0], "follow") && args[1])
      || port < 0 || port > 65535 || cap < 0 || keep < 1 || keep > 1000
      || window < 0 || n_seeds < 1) {
    g_printerr ("semblance mpd: give “queue [N]” (N from 1 to 1000) or "
        "“follow”, and options in range (see --help)\n");
    return 2;
  }

  db = database ? database : semblance_store_default_path ();
  if (!g_file_test (db, G_FILE_TEST_EXISTS)) {
    g_printerr ("semblance mpd: no library database at %s yet: run "
        "“semblance index” on MPD's music directory first\n", db);
    return 1;
  }
  if (!(m.lib = semblance_library_new (db, model, &error))) {
    g_printerr ("semblance mpd: %s\n", error->message);
    return 1;
  }
  if (semblance_library_get_size (m.lib) == 0) {
    g_printerr ("semblance mpd: no track of the library has vectors of this "
        "model: run “semblance index” on MPD's music directory\n");
    mpd_clear (&m);
    return 1;
  }
  m.conn = mpd_connection_new (host, port, TIMEOUT_MS);
  if (!m.conn || mpd_failed (&m, &error)
      || (password && !mpd_run_password (m.conn, password)
          && mpd_failed (&m, &error))
      || !find_music_dir (&m, music_dir, &error)) {
    g_printerr ("semblance mpd: %s\n", error ? error->message
        : "out of memory");
    mpd_clear (&m);
    return 1;
  }
  m.max_per_artist = cap;
  m.keep = keep;
  m.window = window;
  m.n_seeds = n_seeds;
  m.history = g_ptr_array_new_with_free_func (g_free);
  status = g_str_equal (args[0], "queue") ? run_queue (&m, n)
      : run_follow (&m);
  mpd_clear (&m);
  return status;
}
