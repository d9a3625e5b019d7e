/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `semblance mpd` with a real MPD (Debian's mpd): a temporary
 * configuration on a free loopback port and a local socket, a music folder
 * of 20 generated tracks by 5 artists, indexed by `semblance index`; MPD
 * plays to its null output. The test checks what `queue` appends against
 * `semblance similar`, and drives 30 tracks through `follow`.
 */
#include <glib/gstdio.h>
#include <mpd/client.h>
#include <signal.h>
#include <sndfile.h>
#include <string.h>

#include "fixtures.h"
#include "semblance.h"
#include "service-fixtures.h"
#include "signals.h"

#define N_ARTISTS 5
#define PER_ARTIST 4
#define N_TRACKS (N_ARTISTS * PER_ARTIST)
#define RATE 22050
#define SECONDS 8
#define KEEP 5
#define N_PLAYED 30
#define CAP 2

static char *tmp, *music, *db, *socket_path;
static guint port;
static GSubprocess *mpd;

/* Track @t of artist @a: each artist a sound of its own, each track a
 * variation of it. */
static float *
make_audio (guint a, guint t, gsize n)
{
  static const int major[] = { 60, 64, 67, -1 }, minor[] = { 57, 60, 64, -1 };
  g_autofree float *tone = NULL, *beat = NULL;
  float *x;
  gsize i;

  switch (a) {
    case 0:
      tone = signal_chord (RATE, n, 0.3, major);
      beat = signal_clicks (RATE, n, 70 + 4 * t);
      break;
    case 1:
      tone = signal_white_noise (RATE, n, 0.2, 10 + t);
      beat = signal_clicks (RATE, n, 160 + 6 * t);
      break;
    case 2:
      tone = signal_pink_noise (RATE, n, 0.4, 20 + t);
      beat = signal_clicks (RATE, n, 100 + 5 * t);
      break;
    case 3:
      tone = signal_sine (RATE, n, 1500 + 200 * t, 0.4);
      beat = g_new0 (float, n);
      break;
    default:
      tone = signal_chord (RATE, n, 0.3, minor);
      beat = signal_clicks (RATE, n, 120 + 3 * t);
  }
  x = g_new (float, n);
  for (i = 0; i < n; i++)
    x[i] = tone[i] + 0.5f * beat[i];
  return x;
}

static char *
track_name (guint a, guint t)
{
  return g_strdup_printf ("artist-%u/track-%u.ogg", a, t);
}

static void
write_track (guint a, guint t)
{
  g_autofree char *name = track_name (a, t);
  g_autofree char *path = g_build_filename (music, name, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *title = g_strdup_printf ("Piece %u of artist %u", t, a);
  g_autofree char *artist = g_strdup_printf ("Artist %u", a);
  g_autofree float *x = make_audio (a, t, RATE * SECONDS);
  SF_INFO info = { .samplerate = RATE, .channels = 1,
    .format = SF_FORMAT_OGG | SF_FORMAT_VORBIS };
  SNDFILE *f;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  f = sf_open (path, SFM_WRITE, &info);
  g_assert_nonnull (f);
  g_assert_cmpint (sf_set_string (f, SF_STR_TITLE, title), ==, 0);
  g_assert_cmpint (sf_set_string (f, SF_STR_ARTIST, artist), ==, 0);
  g_assert_cmpint (sf_writef_float (f, x, RATE * SECONDS), ==, RATE * SECONDS);
  g_assert_cmpint (sf_close (f), ==, 0);
}

static guint
free_port (void)
{
  g_autoptr (GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4,
      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback
      (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_socket_bind (s, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (s, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static struct mpd_connection *
connect_mpd (void)
{
  struct mpd_connection *c = mpd_connection_new ("127.0.0.1", port, 10000);

  g_assert_nonnull (c);
  if (mpd_connection_get_error (c) != MPD_ERROR_SUCCESS)
    g_error ("MPD: %s", mpd_connection_get_error_message (c));
  return c;
}

static void
check (struct mpd_connection *c, bool ok)
{
  if (!ok)
    g_error ("MPD: %s", mpd_connection_get_error_message (c));
}

/* MPD on a free loopback port and a socket of its own, its database
 * updated. */
static void
start_mpd (void)
{
  g_autofree char *conf = g_build_filename (tmp, "mpd.conf", NULL);
  g_autofree char *playlists = g_build_filename (tmp, "playlists", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GError) error = NULL;
  struct mpd_connection *c = NULL;
  struct mpd_status *status;
  gint64 deadline;

  port = free_port ();
  socket_path = g_build_filename (tmp, "mpd.socket", NULL);
  g_assert_cmpint (g_mkdir (playlists, 0755), ==, 0);
  text = g_strdup_printf ("music_directory \"%s\"\n"
      "playlist_directory \"%s\"\n"
      "db_file \"%s/mpd.db\"\n"
      "log_file \"%s/mpd.log\"\n"
      "bind_to_address \"127.0.0.1\"\n"
      "bind_to_address \"%s\"\n"
      "port \"%u\"\n"
      "auto_update \"no\"\n"
      "zeroconf_enabled \"no\"\n"
      "audio_output {\n  type \"null\"\n  name \"silence\"\n"
      "  mixer_type \"none\"\n}\n",
      music, playlists, tmp, tmp, socket_path, port);
  g_assert_true (g_file_set_contents (conf, text, -1, &error));
  g_assert_no_error (error);
  launcher = launcher_new (G_SUBPROCESS_FLAGS_NONE);
  mpd = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("MPD"),
      "--no-daemon", "--stderr", conf, NULL);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (!c) {
    c = mpd_connection_new ("127.0.0.1", port, 1000);
    if (c && mpd_connection_get_error (c) != MPD_ERROR_SUCCESS)
      g_clear_pointer (&c, mpd_connection_free);
    if (!c) {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50000);
    }
  }
  check (c, mpd_run_update (c, NULL) > 0);
  for (;;) {
    status = mpd_run_status (c);
    g_assert_nonnull (status);
    if (mpd_status_get_update_id (status) == 0) {
      mpd_status_free (status);
      break;
    }
    mpd_status_free (status);
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    mpd_run_idle_mask (c, MPD_IDLE_DATABASE | MPD_IDLE_UPDATE);
  }
  mpd_connection_free (c);
}

/* The queue as MPD names its songs, and the current position. */
static GStrv
read_queue (struct mpd_connection *c, int *current)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  struct mpd_status *status = mpd_run_status (c);
  struct mpd_song *song;

  g_assert_nonnull (status);
  *current = mpd_status_get_song_pos (status);
  mpd_status_free (status);
  check (c, mpd_send_list_queue_meta (c));
  while ((song = mpd_recv_song (c))) {
    g_strv_builder_add (b, mpd_song_get_uri (song));
    mpd_song_free (song);
  }
  check (c, mpd_response_finish (c));
  return g_strv_builder_end (b);
}

static char *
uri_of (const char *mpd_path)
{
  g_autofree char *path = g_build_filename (music, mpd_path, NULL);

  return g_filename_to_uri (path, NULL, NULL);
}

static guint
artist_of (const char *mpd_path)
{
  guint a;

  g_assert_cmpint (sscanf (mpd_path, "artist-%u/", &a), ==, 1);
  return a;
}

/* The queue holds the first track, playing. */
static void
play_one (struct mpd_connection *c, const char *name)
{
  check (c, mpd_run_clear (c));
  check (c, mpd_run_add (c, name));
  check (c, mpd_run_play_pos (c, 0));
}

static int
run_semblance (const char *host, gboolean music_dir, const char *command,
               const char *arg, char **out, char **err_out)
{
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  const char *argv[] = {
    g_getenv ("SEMBLANCE_PROGRAM"), "mpd", "--host", host, "--port",
    port_text, "--database", db, command, arg, NULL, NULL, NULL
  };
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  if (music_dir) {
    argv[arg ? 10 : 9] = "--music-dir";
    argv[arg ? 11 : 10] = music;
  }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT,
          NULL, NULL, out, &err, &status, &error));
  g_assert_no_error (error);
  if (err[0])
    g_test_message ("semblance mpd said: %s", err);
  g_assert_true (WIFEXITED (status));
  if (err_out)
    *err_out = g_steal_pointer (&err);
  return WEXITSTATUS (status);
}

/* `queue 4` appends the four tracks `semblance similar` ranks first, but
 * for the artist cap. */
static void
test_queue (void)
{
  struct mpd_connection *c = connect_mpd ();
  g_autofree char *seed_name = track_name (0, 0);
  g_autofree char *seed = uri_of (seed_name);
  g_autofree char *out = NULL;
  g_autoptr (JsonNode) ranked = cli_json ("similar", "--json", "-n", "19",
      "--database", db, seed, NULL);
  JsonArray *r = json_node_get_array (ranked);
  g_autoptr (GPtrArray) expected = g_ptr_array_new ();
  g_auto (GStrv) queue = NULL;
  GHashTable *per_artist = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto (GStrv) lines = NULL;
  int current;
  guint i, added = 0;

  for (i = 0; i < json_array_get_length (r) && expected->len < 4; i++) {
    JsonObject *t = json_array_get_object_element (r, i);
    const char *artist = json_object_get_string_member (t, "artist");
    guint n = GPOINTER_TO_UINT (g_hash_table_lookup (per_artist, artist));

    if (n >= CAP)
      continue;
    g_hash_table_insert (per_artist, (gpointer) artist, GUINT_TO_POINTER (n
            + 1));
    g_ptr_array_add (expected, (gpointer) json_object_get_string_member (t,
            "uri"));
  }
  g_assert_cmpuint (expected->len, ==, 4);

  play_one (c, seed_name);
  g_assert_cmpint (run_semblance ("127.0.0.1", TRUE, "queue", "4", &out,
          NULL), ==, 0);
  queue = read_queue (c, &current);
  g_assert_cmpint (current, ==, 0);
  g_assert_cmpuint (g_strv_length (queue), ==, 5);
  for (i = 0; i < 4; i++) {
    g_autofree char *uri = uri_of (queue[i + 1]);

    g_assert_cmpstr (uri, ==, expected->pdata[i]);
  }
  lines = g_strsplit (out, "\n", -1);
  for (i = 0; lines[i]; i++)
    added += g_str_has_prefix (lines[i], "+ ");
  g_assert_cmpuint (added, ==, 4);
  g_hash_table_unref (per_artist);
  mpd_connection_free (c);
}

/* On MPD's local socket MPD tells its music directory itself; over TCP
 * the command says it needs --music-dir. */
static void
test_music_dir (void)
{
  struct mpd_connection *c = connect_mpd ();
  g_autofree char *seed = track_name (2, 1);
  g_autofree char *out = NULL, *out_tcp = NULL, *err_tcp = NULL;
  g_auto (GStrv) queue = NULL;
  int current;

  play_one (c, seed);
  g_assert_cmpint (run_semblance (socket_path, FALSE, "queue", "2", &out,
          NULL), ==, 0);
  queue = read_queue (c, &current);
  g_assert_cmpuint (g_strv_length (queue), ==, 3);
  g_assert_cmpint (run_semblance ("127.0.0.1", FALSE, "queue", "2",
          &out_tcp, &err_tcp), ==, 1);
  g_assert_nonnull (strstr (err_tcp, "--music-dir"));
  mpd_connection_free (c);
}

/* More than CAP tracks of @artist wait after @current: only when the one
 * added last had no other choice but a repeat, every track never queued
 * before it being of an artist with CAP waiting already. A track that was
 * in the queue of the round @before was judged then, when the song
 * playing was another and its artist's tracks waiting were others. */
static void
assert_cap_had_to_give (GStrv queue, int current, guint artist, GStrv before)
{
  guint last = g_strv_length (queue), a, t, j;

  while (artist_of (queue[--last]) != artist)
    ;
  if (before && g_strv_contains ((const char *const *) before, queue[last]))
    return;
  for (a = 0; a < N_ARTISTS; a++)
    for (t = 0; t < PER_ARTIST; t++) {
      g_autofree char *name = track_name (a, t);
      guint waiting = 0;
      gboolean queued = FALSE;

      for (j = 0; j < last; j++)
        queued |= g_str_equal (queue[j], name);
      if (queued || g_str_equal (queue[last], name))
        continue;
      for (j = current + 1; j < last; j++)
        waiting += artist_of (queue[j]) == a;
      if (waiting < CAP) {
        g_autofree char *q = g_strjoinv (" ", queue + current);

        g_error ("%s was never queued and its artist has %u waiting, yet "
            "%s broke the cap: %s", name, waiting, queue[last], q);
      }
    }
}

/* `follow` keeps KEEP tracks after the current one while the test skips
 * through N_PLAYED tracks: no track twice in the queue, none again while
 * the library has tracks not played yet, and at most CAP of one artist
 * waiting unless that would take a repeat. */
static void
test_follow (void)
{
  struct mpd_connection *c = connect_mpd ();
  g_autofree char *first = track_name (4, 2);
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autoptr (GSubprocessLauncher) launcher = launcher_new
      (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr (GSubprocess) follow = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) played = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) before = NULL;
  guint i, j, min_gap = G_MAXUINT;

  play_one (c, first);
  follow = g_subprocess_launcher_spawn (launcher, &error,
      g_getenv ("SEMBLANCE_PROGRAM"), "mpd", "--host", "127.0.0.1", "--port",
      port_text, "--music-dir", music, "--database", db, "--keep", "5",
      "--max-per-artist", "2", "follow", NULL);
  g_assert_no_error (error);

  for (i = 0; i < N_PLAYED; i++) {
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    g_auto (GStrv) queue = NULL;
    guint per_artist[N_ARTISTS] = { 0 };
    int current;

    /* follow answers each change of the queue: wait for it. */
    for (;;) {
      g_clear_pointer (&queue, g_strfreev);
      queue = read_queue (c, &current);
      g_assert_cmpint (current, >=, 0);
      if (g_strv_length (queue) - current - 1 >= KEEP)
        break;
      /* Still running: an exited process has no identifier. */
      g_assert_nonnull (g_subprocess_get_identifier (follow));
      if (g_get_monotonic_time () > deadline)
        g_error ("after %u tracks, follow did not fill the queue", i);
      g_usleep (20000);
    }
    g_assert_cmpuint (g_strv_length (queue) - current - 1, ==, KEEP);
    for (j = current; queue[j]; j++) {
      g_assert_false (g_strv_contains ((const char *const *) queue + j + 1,
              queue[j]));
      if (j > (guint) current)
        per_artist[artist_of (queue[j])]++;
    }
    for (j = 0; j < N_ARTISTS; j++)
      if (per_artist[j] > CAP)
        assert_cap_had_to_give (queue, current, j, before);
    g_ptr_array_add (played, g_strdup (queue[current]));
    g_strfreev (before);
    before = g_steal_pointer (&queue);
    check (c, mpd_run_next (c));
  }
  g_subprocess_send_signal (follow, SIGTERM);
  g_assert_true (g_subprocess_wait (follow, NULL, &error));

  for (i = 0; i < played->len; i++)
    for (j = i + 1; j < played->len; j++)
      if (g_str_equal (played->pdata[i], played->pdata[j])) {
        /* Not before the library ran out of tracks not played. */
        g_assert_cmpuint (j, >=, N_TRACKS);
        min_gap = MIN (min_gap, j - i);
      }
  g_test_message ("%u tracks played, %s repeat %u tracks apart",
      played->len, min_gap == G_MAXUINT ? "none" : "the closest",
      min_gap == G_MAXUINT ? 0 : min_gap);
  /* A track comes back only after those heard longer ago. */
  g_assert_cmpuint (min_gap, >=, N_TRACKS - KEEP - 1);
  mpd_connection_free (c);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  guint a, t;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp = g_dir_make_tmp ("semblance-mpd-XXXXXX", &error);
  g_assert_no_error (error);
  music = g_build_filename (tmp, "music", NULL);
  db = g_build_filename (tmp, "library.db", NULL);
  for (a = 0; a < N_ARTISTS; a++)
    for (t = 0; t < PER_ARTIST; t++)
      write_track (a, t);
  out = cli_run ("index", "--database", db, music, NULL);
  start_mpd ();

  g_test_add_func ("/mpd/queue", test_queue);
  g_test_add_func ("/mpd/music-dir", test_music_dir);
  g_test_add_func ("/mpd/follow", test_follow);
  status = g_test_run ();

  g_subprocess_send_signal (mpd, SIGTERM);
  g_assert_true (g_subprocess_wait (mpd, NULL, &error));
  g_object_unref (mpd);
  remove_tree (tmp);
  g_free (socket_path);
  g_free (music);
  g_free (db);
  g_free (tmp);
  return status;
}
