/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * semblanced's HTTP API on loopback, through libsoup's client (and, for
 * requests a client would tidy up first, a raw socket): answers checked
 * against the command line's, 1,000 requests from 8 clients at once with
 * their latencies, malformed queries, byte ranges, what must be a 404, the
 * token, and the addresses the daemon must refuse.
 */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sndfile.h>
#include <string.h>

#include "fixtures.h"
#include "semblance.h"
#include "service-fixtures.h"
#include "signals.h"

#define N_CLIENTS 8
#define N_REQUESTS 1000
#define TOKEN "0123456789abcdef-test"
/* Tags as anyone may write them: line breaks, escape and OSC sequences. */
#define EVIL_TITLE "Evil\n/etc/shadow\r\nhttp://elsewhere/x.mp3"
#define EVIL_ARTIST "\x1b]0;owned\x07Someone\x1b[2J"

static char *tmp, *db, *url;
static GSubprocess *daemon_process;
static SoupSession *session;

typedef struct
{
  guint status;
  GBytes *body;
  SoupMessageHeaders *headers;
} Reply;

static void
reply_clear (Reply *r)
{
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

/* @method of @path (after the server's URL), with extra headers as
 * name/value pairs, on @s. */
static void
request_on (SoupSession *s, Reply *r, const char *method, const char *path,
            ...)
{
  g_autofree char *full = g_strconcat (url, path[0] == '/' ? path + 1 : path,
      NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, full);
  g_autoptr (GError) error = NULL;
  const char *name;
  va_list ap;

  g_assert_nonnull (msg);
  va_start (ap, path);
  while ((name = va_arg (ap, const char *)))
    soup_message_headers_replace (soup_message_get_request_headers (msg),
        name, va_arg (ap, const char *));
  va_end (ap);
  r->body = soup_session_send_and_read (s, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers
      (msg));
}

#define request(r, method, ...) request_on (session, r, method, __VA_ARGS__)

static JsonNode *
parse (GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  gsize n;
  const char *data = g_bytes_get_data (body, &n);

  g_assert_true (json_parser_load_from_data (parser, data, n, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
escape (const char *s)
{
  return g_uri_escape_string (s, NULL, TRUE);
}

static JsonArray *
tracks_of (JsonNode *root)
{
  return json_object_get_array_member (json_node_get_object (root),
      "tracks");
}

static gint64
track_id (const char *file)
{
  g_autofree char *canonical = g_canonicalize_filename (file, NULL);
  g_autofree char *uri = g_filename_to_uri (canonical, NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceStore) store = semblance_store_open (db, &error);

  g_assert_no_error (error);
  return semblance_store_lookup (store, uri);
}

static void
test_similar (void)
{
  g_autofree char *seed = demo_uri ("nebula.ogg");
  g_autofree char *escaped = escape (seed);
  g_autofree char *path = g_strdup_printf ("/api/similar?uri=%s&count=4",
      escaped);
  g_autoptr (JsonNode) cli = cli_json ("similar", "--json", "-n", "4",
      "--database", db, seed, NULL);
  g_autoptr (JsonNode) root = NULL;
  g_auto (Reply) r = { 0 };
  JsonArray *tracks, *expected = json_node_get_array (cli);
  guint i;

  request (&r, "GET", path, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (r.headers, NULL),
      ==, "application/json");
  root = parse (r.body);
  tracks = tracks_of (root);
  g_assert_cmpuint (json_array_get_length (tracks), ==, 4);
  for (i = 0; i < 4; i++) {
    JsonObject *t = json_array_get_object_element (tracks, i);
    JsonObject *e = json_array_get_object_element (expected, i);
    g_autofree char *audio = g_strdup_printf ("/api/tracks/%" G_GINT64_FORMAT
        "/audio", json_object_get_int_member (t, "id"));

    g_assert_cmpstr (json_object_get_string_member (t, "uri"), ==,
        json_object_get_string_member (e, "uri"));
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (t,
            "distance"), json_object_get_double_member (e, "distance"),
        1e-6);
    g_assert_cmpstr (json_object_get_string_member (t, "audio"), ==, audio);
  }
}

static void
test_search_describe_path (void)
{
  g_autoptr (JsonNode) cli = cli_json ("search", "--json", "-n", "3",
      "--database", db, "calm piano", NULL);
  g_autoptr (JsonNode) search = NULL, described = NULL, path = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceLibrary) lib = semblance_library_new (db, NULL,
      &error);
  g_autofree char *uri = demo_uri ("sad.ogg");
  g_autofree char *file = g_filename_from_uri (uri, NULL, NULL);
  g_auto (GStrv) words = NULL;
  g_auto (Reply) r1 = { 0 }, r2 = { 0 }, r3 = { 0 };
  g_autofree char *describe = NULL;
  JsonArray *got_words;
  guint i;

  request (&r1, "GET", "/api/search?q=calm+piano&count=3", NULL);
  g_assert_cmpuint (r1.status, ==, 200);
  search = parse (r1.body);
  for (i = 0; i < 3; i++) {
    JsonObject *got = json_array_get_object_element (tracks_of (search), i);
    JsonObject *want = json_array_get_object_element (json_node_get_array
        (cli), i);
    JsonArray *got_matched = json_object_get_array_member (got, "matched");
    JsonArray *want_matched = json_object_get_array_member (want, "matched");
    guint w;

    g_assert_cmpstr (json_object_get_string_member (got, "uri"), ==,
        json_object_get_string_member (want, "uri"));
    /* Each result says which words of the query it matches, as the
     * command line does. */
    g_assert_nonnull (got_matched);
    g_assert_cmpuint (json_array_get_length (got_matched), ==,
        json_array_get_length (want_matched));
    for (w = 0; w < json_array_get_length (got_matched); w++)
      g_assert_cmpstr (json_array_get_string_element (got_matched, w), ==,
          json_array_get_string_element (want_matched, w));
  }

  describe = g_strdup_printf ("/api/describe?id=%" G_GINT64_FORMAT,
      track_id (file));
  request (&r2, "GET", describe, NULL);
  g_assert_cmpuint (r2.status, ==, 200);
  described = parse (r2.body);
  g_assert_no_error (error);
  /* The words the model is confident of, as the sidebar shows them. */
  words = semblance_library_confident_words (lib, uri, NULL, 3);
  g_assert_cmpuint (g_strv_length (words), ==, 1);
  g_assert_cmpstr (words[0], ==, "sad");
  got_words = json_object_get_array_member (json_node_get_object
      (described), "words");
  g_assert_cmpuint (json_array_get_length (got_words), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (got_words, 0), ==,
      words[0]);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member
          (json_node_get_object (described), "track"), "uri"), ==, uri);

  request (&r3, "GET", "/api/path?from=1&to=2&steps=3", NULL);
  g_assert_cmpuint (r3.status, ==, 200);
  path = parse (r3.body);
  g_assert_cmpuint (json_array_get_length (tracks_of (path)), ==, 3);
}

/* Playlists by Accept, whose entries stream from this server. */
static void
test_playlists (void)
{
  g_auto (Reply) m3u = { 0 }, xspf = { 0 }, audio = { 0 }, json = { 0 };
  g_auto (GStrv) lines = NULL;
  g_autofree char *first = NULL;
  const char *text;

  request (&m3u, "GET", "/api/search?q=epic+drums&count=3", "Accept",
      "application/json;q=0.5, audio/x-mpegurl", NULL);
  g_assert_cmpuint (m3u.status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (m3u.headers, NULL),
      ==, "audio/x-mpegurl");
  text = g_bytes_get_data (m3u.body, NULL);
  g_assert_true (g_str_has_prefix (text, "#EXTM3U\n"));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 8);
  g_assert_true (g_str_has_prefix (lines[1], "#EXTINF:20,"));
  g_assert_true (g_str_has_prefix (lines[2], url));
  first = g_strdup (lines[2] + strlen (url) - 1);
  request (&audio, "GET", first, NULL);
  g_assert_cmpuint (audio.status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (audio.headers,
          NULL), ==, "audio/ogg");

  request (&xspf, "GET", "/api/similar?id=1&count=2", "Accept",
      "application/xspf+xml", NULL);
  g_assert_cmpuint (xspf.status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (xspf.headers,
          NULL), ==, "application/xspf+xml");
  text = g_bytes_get_data (xspf.body, NULL);
  g_assert_nonnull (strstr (text, "<location>http://"));
  g_assert_nonnull (strstr (text, "<duration>20000</duration>"));

  /* A type of lower quality than JSON, or none known, gives JSON. */
  request (&json, "GET", "/api/similar?id=1&count=2", "Accept",
      "text/html, audio/x-mpegurl;q=0", NULL);
  g_assert_cmpstr (soup_message_headers_get_content_type (json.headers,
          NULL), ==, "application/json");
}

/* A track whose tags hold line breaks and escape sequences: one M3U entry
 * still, an XSPF that parses, JSON that keeps the tags as they are. */
static void
test_playlist_injection (void)
{
  g_autofree char *evil = g_build_filename (tmp, "extra", "evil.ogg", NULL);
  g_autofree char *path = g_strdup_printf ("/api/similar?id=%" G_GINT64_FORMAT
      "&count=6&keep-seeds=true", track_id (evil));
  g_auto (Reply) m3u = { 0 }, xspf = { 0 }, json = { 0 };
  g_autoptr (GMarkupParseContext) parser = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  static const GMarkupParser nothing = { 0 };
  const char *text;
  gsize n;
  guint i, entries = 0, found = 0;

  request (&m3u, "GET", path, "Accept", "audio/x-mpegurl", NULL);
  g_assert_cmpuint (m3u.status, ==, 200);
  lines = g_strsplit (g_bytes_get_data (m3u.body, NULL), "\n", -1);
  for (i = 1; lines[i] && lines[i][0]; i++) {
    const char *c;

    for (c = lines[i]; *c; c++)
      g_assert_false (g_ascii_iscntrl (*c));
    if (g_str_has_prefix (lines[i], "#EXTINF:")) {
      found += strstr (lines[i], "Evil /etc/shadow") != NULL;
      continue;
    }
    g_assert_true (g_str_has_prefix (lines[i], url));
    entries++;
  }
  g_assert_cmpuint (entries, ==, 6);
  g_assert_cmpuint (found, ==, 1);

  request (&xspf, "GET", path, "Accept", "application/xspf+xml", NULL);
  text = g_bytes_get_data (xspf.body, &n);
  parser = g_markup_parse_context_new (&nothing, 0, NULL, NULL);
  g_assert_true (g_markup_parse_context_parse (parser, text, n, &error));
  g_assert_true (g_markup_parse_context_end_parse (parser, &error));
  g_assert_no_error (error);
  for (i = 0; i < n; i++)
    g_assert_true (!g_ascii_iscntrl (text[i]) || text[i] == '\n');

  request (&json, "GET", path, NULL);
  root = parse (json.body);
  found = 0;
  for (i = 0; i < json_array_get_length (tracks_of (root)); i++) {
    JsonObject *t = json_array_get_object_element (tracks_of (root), i);

    found += g_strcmp0 (json_object_get_string_member (t, "title"),
        EVIL_TITLE) == 0 && g_strcmp0 (json_object_get_string_member (t,
            "artist"), EVIL_ARTIST) == 0;
  }
  g_assert_cmpuint (found, ==, 1);
}

typedef struct
{
  guint index, errors;
  GArray *latencies;            /* double, ms */
} Client;

static gpointer
client_run (gpointer data)
{
  Client *c = data;
  g_autoptr (SoupSession) s = soup_session_new ();
  static const char *const paths[] = {
    "/api/similar?id=1&count=5",
    "/api/search?q=calm+piano&count=5",
    "/api/describe?id=2",
    "/api/path?from=3&to=4&steps=2",
    "/api/similar?id=5&count=3&max-per-artist=1&previous=6",
  };
  guint i;

  for (i = 0; i < N_REQUESTS / N_CLIENTS; i++) {
    g_auto (Reply) r = { 0 };
    g_autoptr (JsonParser) parser = json_parser_new ();
    gint64 start = g_get_monotonic_time ();
    double ms;
    gsize n;
    const char *body;

    request_on (s, &r, "GET", paths[(c->index + i) % G_N_ELEMENTS (paths)],
        NULL);
    ms = (g_get_monotonic_time () - start) / 1000.0;
    g_array_append_val (c->latencies, ms);
    body = g_bytes_get_data (r.body, &n);
    if (r.status != 200 || !json_parser_load_from_data (parser, body, n,
            NULL))
      c->errors++;
  }
  return NULL;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
test_load (void)
{
  Client clients[N_CLIENTS];
  GThread *threads[N_CLIENTS];
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 start = g_get_monotonic_time ();
  double seconds;
  guint i, errors = 0;

  for (i = 0; i < N_CLIENTS; i++) {
    clients[i].index = i;
    clients[i].errors = 0;
    clients[i].latencies = g_array_new (FALSE, FALSE, sizeof (double));
    threads[i] = g_thread_new ("client", client_run, &clients[i]);
  }
  for (i = 0; i < N_CLIENTS; i++) {
    g_thread_join (threads[i]);
    errors += clients[i].errors;
    g_array_append_vals (all, clients[i].latencies->data,
        clients[i].latencies->len);
    g_array_unref (clients[i].latencies);
  }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_array_sort (all, compare_doubles);
  g_assert_cmpuint (all->len, ==, N_REQUESTS);
  g_test_message ("%u requests from %d clients in %.2f s: p50 %.2f ms, "
      "p99 %.2f ms, max %.2f ms, %u errors", all->len, N_CLIENTS, seconds,
      g_array_index (all, double, all->len / 2),
      g_array_index (all, double, all->len * 99 / 100),
      g_array_index (all, double, all->len - 1), errors);
  g_assert_cmpuint (errors, ==, 0);
}

static GBytes *
read_file (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *data;
  gsize n;

  g_assert_true (g_file_get_contents (path, &data, &n, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (data, n);
}

static void
assert_bytes (GBytes *got, GBytes *file, gsize from, gsize n)
{
  g_autoptr (GBytes) expected = g_bytes_new_from_bytes (file, from, n);

  g_assert_cmpuint (g_bytes_get_size (got), ==, n);
  g_assert_true (g_bytes_equal (got, expected));
}

static void
test_range (void)
{
  g_autofree char *file = g_build_filename (g_getenv ("SEMBLANCE_DEMO_DIR"),
      "battle.ogg", NULL);
  g_autoptr (GBytes) bytes = read_file (file);
  gsize size = g_bytes_get_size (bytes);
  gint64 id = track_id (file);
  g_autofree char *path = g_strdup_printf ("/api/tracks/%" G_GINT64_FORMAT
      "/audio", id);
  g_autofree char *tail = g_strdup_printf ("bytes=%zu-", size - 10);
  g_autofree char *past = g_strdup_printf ("bytes=%zu-", size + 10);
  g_autofree char *whole = g_strdup_printf ("bytes */%zu", size);
  g_autofree char *middle_range = g_strdup_printf ("bytes 1000-1999/%zu",
      size);
  g_auto (Reply) full = { 0 }, head = { 0 }, first = { 0 }, middle = { 0 };
  g_auto (Reply) suffix = { 0 }, end = { 0 }, outside = { 0 }, multi = { 0 };

  request (&full, "GET", path, NULL);
  g_assert_cmpuint (full.status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (full.headers,
          NULL), ==, "audio/ogg");
  g_assert_cmpstr (soup_message_headers_get_one (full.headers,
          "Accept-Ranges"), ==, "bytes");
  assert_bytes (full.body, bytes, 0, size);

  request (&head, "HEAD", path, NULL);
  g_assert_cmpuint (head.status, ==, 200);
  g_assert_cmpint (soup_message_headers_get_content_length (head.headers),
      ==, size);
  g_assert_cmpuint (g_bytes_get_size (head.body), ==, 0);

  request (&first, "GET", path, "Range", "bytes=0-99", NULL);
  g_assert_cmpuint (first.status, ==, 206);
  assert_bytes (first.body, bytes, 0, 100);
  request (&middle, "GET", path, "Range", "bytes=1000-1999", NULL);
  g_assert_cmpuint (middle.status, ==, 206);
  g_assert_cmpstr (soup_message_headers_get_one (middle.headers,
          "Content-Range"), ==, middle_range);
  assert_bytes (middle.body, bytes, 1000, 1000);
  request (&suffix, "GET", path, "Range", "bytes=-500", NULL);
  g_assert_cmpuint (suffix.status, ==, 206);
  assert_bytes (suffix.body, bytes, size - 500, 500);
  request (&end, "GET", path, "Range", tail, NULL);
  g_assert_cmpuint (end.status, ==, 206);
  assert_bytes (end.body, bytes, size - 10, 10);
  request (&outside, "GET", path, "Range", past, NULL);
  g_assert_cmpuint (outside.status, ==, 416);
  g_assert_cmpstr (soup_message_headers_get_one (outside.headers,
          "Content-Range"), ==, whole);
  /* Two ranges: the whole file, as a server may answer. */
  request (&multi, "GET", path, "Range", "bytes=0-9,20-29", NULL);
  g_assert_cmpuint (multi.status, ==, 200);
  assert_bytes (multi.body, bytes, 0, size);
}

/* A request sent as written, with no client to tidy or refuse its path:
 * the status, and the body in @body when it is not NULL. */
static guint
raw_request (const char *path, GBytes **body)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) c = g_socket_client_connect_to_host (client,
      g_uri_get_host (uri), g_uri_get_port (uri), NULL, &error);
  g_autofree char *text = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: "
      "127.0.0.1\r\nConnection: close\r\n\r\n", path);
  g_autoptr (GDataInputStream) in = NULL;
  g_autoptr (GOutputStream) rest = NULL;
  char *line;
  guint status = 0;

  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream
          (G_IO_STREAM (c)), text, strlen (text), NULL, NULL, &error));
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM
          (c)));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  line = g_data_input_stream_read_line (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_cmpint (sscanf (line, "HTTP/1.1 %u", &status), ==, 1);
  /* The headers, then the body until the server closes. */
  do {
    g_free (line);
    line = g_data_input_stream_read_line (in, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (line);
  } while (line[0]);
  g_free (line);
  rest = g_memory_output_stream_new_resizable ();
  g_output_stream_splice (rest, G_INPUT_STREAM (in),
      G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  if (body)
    *body = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM
        (rest));
  return status;
}

static guint
raw_status (const char *path)
{
  return raw_request (path, NULL);
}

/* Every mistake gets its 4xx with a JSON error, and the daemon goes on. */
static void
test_malformed (void)
{
  static const struct
  {
    const char *path;
    guint status;
    const char *part;
  } cases[] = {
    { "/api/similar", 400, "missing parameter" },
    { "/api/similar?count=5", 400, "missing parameter" },
    { "/api/similar?id=1&count=0", 400, "count" },
    { "/api/similar?id=1&count=100000", 400, "count" },
    { "/api/similar?id=1&count=99999999999999999999", 400, "count" },
    { "/api/similar?id=1&count=ten", 400, "count" },
    { "/api/similar?id=1&count=5&count=6", 400, "more than once" },
    { "/api/similar?id=1&max-duration=-3", 400, "max-duration" },
    { "/api/similar?id=1&min-duration=nan", 400, "min-duration" },
    { "/api/similar?id=1&colour=blue", 400, "unknown parameter “colour”" },
    { "/api/similar?uri=%FF%FE", 400, "UTF-8" },
    { "/api/similar?uri=%C3%28", 400, "UTF-8" },
    /* Not a URI at all: libsoup refuses it before any handler, with a
     * bare 400. */
    { "/api/similar?uri=%zz", 400, NULL },
    { "/api/similar?uri=%00", 400, "escape" },
    { "/api/similar?uri=relative/track.ogg", 400, "absolute" },
    { "/api/similar?uri=file%3A%2F%2F%2Fno%2Fsuch.ogg", 404, "/no/such.ogg" },
    { "/api/similar?id=987654321", 404, "987654321" },
    { "/api/search", 400, "missing parameter “q”" },
    { "/api/search?q=", 400, "missing parameter “q”" },
    { "/api/search?q=qqxzv+zzkqj", 400, "" },
    { "/api/search?q=calm&keep-seeds=true", 400, "keep-seeds" },
    { "/api/describe", 400, "one track" },
    { "/api/describe?id=1&id=2", 400, "one track" },
    { "/api/describe?uri=file%3A%2F%2F%2Fnope.ogg", 404, "nope.ogg" },
    { "/api/path?from=1", 400, "missing parameter “to”" },
    { "/api/path?from=1&to=2&steps=0", 400, "steps" },
    { "/api/path?from=1&to=2&steps=100000", 400, "steps" },
    { "/api/nothing", 404, "nothing here" },
    { "/index.php", 404, "nothing here" },
  };
  g_auto (Reply) post = { 0 }, alive = { 0 }, host = { 0 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GBytes) body = NULL;
    g_autoptr (JsonNode) root = NULL;
    JsonObject *error;
    guint got = raw_request (cases[i].path, &body);


    if (got != cases[i].status)
      g_error ("%s: %u, not %u", cases[i].path, got, cases[i].status);
    if (!cases[i].part)
      continue;
    root = parse (body);
    error = json_object_get_object_member (json_node_get_object (root),
        "error");
    g_assert_cmpint (json_object_get_int_member (error, "status"), ==,
        cases[i].status);
    if (!strstr (json_object_get_string_member (error, "message"),
            cases[i].part))
      g_error ("%s: “%s” does not say “%s”", cases[i].path,
          json_object_get_string_member (error, "message"), cases[i].part);
  }
  request (&post, "POST", "/api/similar?id=1", NULL);
  g_assert_cmpuint (post.status, ==, 405);
  g_assert_cmpstr (soup_message_headers_get_one (post.headers, "Allow"), ==,
      "GET, HEAD");
  /* Loopback without a token: a page elsewhere that rebinds its name to
   * 127.0.0.1 is refused. */
  request (&host, "GET", "/api/similar?id=1", "Host", "evil.example:80",
      NULL);
  g_assert_cmpuint (host.status, ==, 403);
  request (&alive, "GET", "/api/similar?id=1", NULL);
  g_assert_cmpuint (alive.status, ==, 200);
}

static void
test_not_found (void)
{
  g_autofree char *gone = g_build_filename (tmp, "extra", "gone.ogg", NULL);
  g_autofree char *forgotten = g_build_filename (tmp, "extra",
      "forgotten.ogg", NULL);
  g_autofree char *forgotten_uri = g_filename_to_uri (forgotten, NULL, NULL);
  gint64 gone_id = track_id (gone), forgotten_id = track_id (forgotten);
  g_autofree char *gone_path = g_strdup_printf ("/api/tracks/%"
      G_GINT64_FORMAT "/audio", gone_id);
  g_autofree char *forgotten_path = g_strdup_printf ("/api/tracks/%"
      G_GINT64_FORMAT "/audio", forgotten_id);
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceLibrary) lib = semblance_library_new (db, NULL,
      &error);
  static const char *const tricks[] = {
    "/api/tracks/987654/audio",
    "/api/tracks/0/audio",
    "/api/tracks/-1/audio",
    "/api/tracks/1.0/audio",
    "/api/tracks/abc/audio",
    "/api/tracks//audio",
    "/api/tracks/1/audio/",
    "/api/tracks/1/../../../../etc/passwd",
    "/api/tracks/../../../../etc/passwd/audio",
    "/api/tracks/..%2f..%2f..%2fetc%2fpasswd/audio",
    "/api/tracks/%2e%2e/%2e%2e/etc/passwd/audio",
    "/api/tracks/1%00/audio",
    "/../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/semblance.js/../../etc/passwd",
  };
  guint i;

  g_assert_no_error (error);
  g_assert_cmpint (gone_id, >, 0);
  g_assert_cmpint (forgotten_id, >, 0);
  /* Both stream while they are there... */
  g_assert_cmpuint (raw_status (gone_path), ==, 200);
  g_assert_cmpuint (raw_status (forgotten_path), ==, 200);
  for (i = 0; i < G_N_ELEMENTS (tricks); i++) {
    guint status = raw_status (tricks[i]);

    if (status != 404)
      g_error ("%s: %u, not 404", tricks[i], status);
  }
  /* ...and neither once the file is deleted, or the index forgot it. */
  g_assert_cmpint (g_unlink (gone), ==, 0);
  g_assert_cmpuint (raw_status (gone_path), ==, 404);
  g_assert_true (semblance_library_forget (lib, forgotten_uri));
  g_assert_cmpuint (raw_status (forgotten_path), ==, 404);
}

/* The daemon with a token (on loopback: tests never listen elsewhere). */
static void
test_token (void)
{
  const char *argv[] = {
    "--database", db, "--http=127.0.0.1:0", "--http-token=" TOKEN, NULL
  };
  g_auto (Reply) none = { 0 }, wrong = { 0 }, bearer = { 0 }, page = { 0 };
  g_auto (Reply) cookie = { 0 }, query = { 0 };
  const char *set_cookie;

  daemon_stop (daemon_process);
  g_clear_object (&daemon_process);
  g_free (url);
  daemon_process = daemon_spawn (argv);
  url = daemon_read_url (daemon_process);

  request (&none, "GET", "/api/similar?id=1", NULL);
  g_assert_cmpuint (none.status, ==, 401);
  g_assert_nonnull (soup_message_headers_get_one (none.headers,
          "WWW-Authenticate"));
  request (&wrong, "GET", "/api/similar?id=1", "Authorization",
      "Bearer 0123456789abcdef-tesT", NULL);
  g_assert_cmpuint (wrong.status, ==, 401);
  request (&bearer, "GET", "/api/similar?id=1", "Authorization",
      "Bearer " TOKEN, "Host", "semblance.example:8080", NULL);
  g_assert_cmpuint (bearer.status, ==, 200);
  request (&page, "GET", "/?token=" TOKEN, NULL);
  g_assert_cmpuint (page.status, ==, 200);
  set_cookie = soup_message_headers_get_one (page.headers, "Set-Cookie");
  g_assert_nonnull (set_cookie);
  g_assert_nonnull (strstr (set_cookie, "HttpOnly"));
  request (&cookie, "GET", "/api/search?q=calm", "Cookie",
      "other=1; semblance-token=" TOKEN, NULL);
  g_assert_cmpuint (cookie.status, ==, 200);
  request (&query, "GET", "/api/tracks/1/audio?token=" TOKEN, NULL);
  g_assert_cmpuint (query.status, ==, 200);
}

/* What the daemon must refuse before it listens. */
static void
test_refused (void)
{
  static const struct
  {
    const char *http, *token, *part;
  } cases[] = {
    { "--http=0.0.0.0:0", NULL, "--http-token" },
    { "--http=[::]:0", NULL, "--http-token" },
    { "--http=192.0.2.1:8080", NULL, "not a loopback address" },
    { "--http=0.0.0.0:0", "--http-token=short", "too short" },
    { "--http=0.0.0.0:0", "--http-token=with space and more", "letters" },
    { "--http=localhost:8080", NULL, "not an IP address" },
    { "--http=127.0.0.1", NULL, "HOST:PORT" },
    { "--http=127.0.0.1:99999", NULL, "HOST:PORT" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    const char *argv[] = {
      g_getenv ("SEMBLANCED"), "--database", db, cases[i].http,
      cases[i].token, NULL
    };
    g_autofree char *err = NULL;
    g_autoptr (GError) error = NULL;
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
            G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status,
            &error));
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 2);
    if (!strstr (err, cases[i].part))
      g_error ("%s %s: “%s” does not say “%s”", cases[i].http,
          cases[i].token ? cases[i].token : "", err, cases[i].part);
  }
}

static void
write_evil (const char *path)
{
  SF_INFO info = { .samplerate = 22050, .channels = 1,
    .format = SF_FORMAT_OGG | SF_FORMAT_VORBIS };
  g_autofree float *x = signal_sine (22050, 22050 * 8, 440, 0.5);
  SNDFILE *f = sf_open (path, SFM_WRITE, &info);

  g_assert_nonnull (f);
  g_assert_cmpint (sf_set_string (f, SF_STR_TITLE, EVIL_TITLE), ==, 0);
  g_assert_cmpint (sf_set_string (f, SF_STR_ARTIST, EVIL_ARTIST), ==, 0);
  g_assert_cmpint (sf_writef_float (f, x, 22050 * 8), ==, 22050 * 8);
  g_assert_cmpint (sf_close (f), ==, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *extra = NULL, *gone = NULL, *forgotten = NULL;
  g_autofree char *evil = NULL, *model = NULL;
  g_autofree char *out = NULL;
  const char *daemon_argv[] = { "--database", NULL, "--http=127.0.0.1:0",
    NULL };
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp = g_dir_make_tmp ("semblance-http-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (tmp, "library.db", NULL);
  model = g_build_filename (tmp, "confident.smodel", NULL);
  use_confident_model (model);
  index_demo (db);
  extra = g_build_filename (tmp, "extra", NULL);
  gone = g_build_filename (extra, "gone.ogg", NULL);
  forgotten = g_build_filename (extra, "forgotten.ogg", NULL);
  evil = g_build_filename (extra, "evil.ogg", NULL);
  copy_demo ("sad.ogg", gone);
  copy_demo ("nebula.ogg", forgotten);
  write_evil (evil);
  out = cli_run ("index", "--database", db, extra, NULL);

  daemon_argv[1] = db;
  daemon_process = daemon_spawn (daemon_argv);
  url = daemon_read_url (daemon_process);
  session = soup_session_new ();

  g_test_add_func ("/http/similar", test_similar);
  g_test_add_func ("/http/search-describe-path", test_search_describe_path);
  g_test_add_func ("/http/playlists", test_playlists);
  g_test_add_func ("/http/playlist-injection", test_playlist_injection);
  g_test_add_func ("/http/load", test_load);
  g_test_add_func ("/http/malformed", test_malformed);
  g_test_add_func ("/http/range", test_range);
  g_test_add_func ("/http/not-found", test_not_found);
  g_test_add_func ("/http/token", test_token);
  g_test_add_func ("/http/refused", test_refused);
  status = g_test_run ();

  daemon_stop (daemon_process);
  g_object_unref (daemon_process);
  g_object_unref (session);
  remove_tree (tmp);
  g_free (url);
  g_free (db);
  g_free (tmp);
  return status;
}
