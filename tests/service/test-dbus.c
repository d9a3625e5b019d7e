/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * org.gnome.Semblance1 through a real bus (dbus-run-session with a bus
 * configuration whose service folder activates the build's semblanced),
 * called at the level of `gdbus call`: plain method calls with GVariant
 * arguments, no generated proxy. Each answer is checked against the
 * command line's for the same library; then 8 clients, each on its own
 * connection, call the methods while the daemon indexes.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "fixtures.h"
#include "semblance.h"
#include "service-fixtures.h"

#define NAME "org.gnome.Semblance1"
#define PATH "/org/gnome/Semblance1"
#define IFACE "org.gnome.Semblance1"

#define N_CLIENTS 8
#define MIN_CALLS 10
/* Between a client's calls: players ask now and then, not in a loop, and
 * the indexer shares the machine. */
#define CALL_GAP_US 100000
#define N_COPIES 2

static char *tmp, *db, *model;
static GDBusConnection *bus;

/* A method call as `gdbus call` makes it: the reply, or NULL and @error. */
static GVariant *
call (GDBusConnection *connection, const char *method, GVariant *args,
      GError **error)
{
  return g_dbus_connection_call_sync (connection, NAME, PATH, IFACE, method,
      args, NULL, G_DBUS_CALL_FLAGS_NONE, 60000, NULL, error);
}

static GVariant *
call_ok (const char *method, GVariant *args)
{
  g_autoptr (GError) error = NULL;
  GVariant *reply = call (bus, method, args, &error);

  g_assert_no_error (error);
  return reply;
}

static GVariant *
get_property (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = g_dbus_connection_call_sync (bus, NAME, PATH,
      "org.freedesktop.DBus.Properties", "Get", g_variant_new ("(ss)",
          IFACE, name), G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1,
      NULL, &error);
  GVariant *value;

  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return value;
}

static gboolean
get_boolean (const char *name)
{
  g_autoptr (GVariant) v = get_property (name);

  return g_variant_get_boolean (v);
}

static guint
get_uint (const char *name)
{
  g_autoptr (GVariant) v = get_property (name);

  return g_variant_get_uint32 (v);
}

static void
assert_dbus_error (GVariant *reply, GError *error, const char *name,
                   const char *part)
{
  g_autofree char *remote = NULL;

  g_assert_null (reply);
  g_assert_nonnull (error);
  remote = g_dbus_error_get_remote_error (error);
  g_assert_cmpstr (remote, ==, name);
  g_assert_nonnull (strstr (error->message, part));
}

/* The tracks of an aa{sv} answer, checked against `semblance similar
 * --json` style results: the same URIs in the same order, the same
 * distances. */
static void
assert_same_tracks (GVariant *tracks, JsonArray *cli)
{
  guint i;

  g_assert_cmpuint (g_variant_n_children (tracks), ==,
      json_array_get_length (cli));
  for (i = 0; i < g_variant_n_children (tracks); i++) {
    g_autoptr (GVariant) t = g_variant_get_child_value (tracks, i);
    JsonObject *c = json_array_get_object_element (cli, i);
    const char *uri = NULL;
    double distance = -1;
    gint64 id = 0;

    g_assert_true (g_variant_lookup (t, "uri", "&s", &uri));
    g_assert_true (g_variant_lookup (t, "distance", "d", &distance));
    g_assert_true (g_variant_lookup (t, "id", "x", &id));
    g_assert_cmpstr (uri, ==, json_object_get_string_member (c, "uri"));
    g_assert_cmpfloat_with_epsilon (distance, json_object_get_double_member
        (c, "distance"), 1e-6);
    g_assert_cmpint (id, >, 0);
  }
}

/* The URIs of an aa{sv} answer. */
static GStrv
track_uris (GVariant *tracks)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  guint i;

  for (i = 0; i < g_variant_n_children (tracks); i++) {
    g_autoptr (GVariant) t = g_variant_get_child_value (tracks, i);
    const char *uri;

    g_assert_true (g_variant_lookup (t, "uri", "&s", &uri));
    g_strv_builder_add (b, uri);
  }
  return g_strv_builder_end (b);
}

static void
assert_same_strv (GStrv got, GStrv expected, guint from, guint n)
{
  guint i;

  g_assert_cmpuint (g_strv_length (got), ==, n);
  g_assert_cmpuint (g_strv_length (expected), >=, from + n);
  for (i = 0; i < n; i++)
    g_assert_cmpstr (got[i], ==, expected[from + i]);
}

static void
test_activation (void)
{
  g_autoptr (GVariant) owner = NULL, reply = NULL, value = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *seed = demo_uri ("nebula.ogg");
  const char *const seeds[] = { seed, NULL };

  /* Nobody has the name: the first call starts the service. */
  owner = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus",
      "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
      g_variant_new ("(s)", NAME), G_VARIANT_TYPE ("(b)"),
      G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_variant_get_boolean (g_variant_get_child_value (owner,
              0)));
  reply = call_ok ("Similar", g_variant_new ("(^as@a{sv})", seeds,
          g_variant_new ("a{sv}", NULL)));
  g_assert_true (g_variant_is_of_type (reply, G_VARIANT_TYPE ("(aa{sv})")));
  value = get_property ("Database");
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, db);
}

static void
test_similar (void)
{
  g_autofree char *seed = demo_uri ("nebula.ogg");
  g_autofree char *seed2 = demo_uri ("battle.ogg");
  const char *const seeds[] = { seed, NULL };
  const char *const two[] = { seed, seed2, NULL };
  g_autoptr (JsonNode) cli = cli_json ("similar", "--json", "-n", "4",
      "--database", db, seed, NULL);
  g_autoptr (GVariant) reply = NULL, tracks = NULL, reply2 = NULL;
  g_autoptr (GVariant) tracks2 = NULL;
  g_autoptr (GVariantDict) options = g_variant_dict_new (NULL);
  g_autofree char *m3u = NULL;
  g_auto (GStrv) playlist = NULL, got = NULL;

  g_variant_dict_insert (options, "count", "u", 4);
  reply = call_ok ("Similar", g_variant_new ("(^as@a{sv})", seeds,
          g_variant_dict_end (options)));
  tracks = g_variant_get_child_value (reply, 0);
  assert_same_tracks (tracks, json_node_get_array (cli));

  /* Two seeds: as `semblance playlist`, which lists the seeds first. */
  m3u = cli_run ("playlist", "-n", "3", "--database", db, seed, seed2, NULL);
  playlist = m3u_uris (m3u);
  reply2 = call_ok ("Similar", g_variant_new_parsed ("(%^as, {'count': "
          "<uint32 3>})", two));
  tracks2 = g_variant_get_child_value (reply2, 0);
  got = track_uris (tracks2);
  assert_same_strv (got, playlist, 2, 3);
}

/* "previous" leaves out tracks already played; the caps apply. */
static void
test_similar_options (void)
{
  g_autofree char *seed = demo_uri ("nebula.ogg");
  const char *const seeds[] = { seed, NULL };
  g_autoptr (GVariant) all = NULL, some = NULL, all_tracks = NULL;
  g_autoptr (GVariant) some_tracks = NULL;
  g_auto (GStrv) all_uris = NULL, some_uris = NULL;
  const char *previous[3] = { NULL, NULL, NULL };

  all = call_ok ("Similar", g_variant_new_parsed ("(%^as, {'count': "
          "<uint32 5>})", seeds));
  all_tracks = g_variant_get_child_value (all, 0);
  all_uris = track_uris (all_tracks);
  g_assert_cmpuint (g_strv_length (all_uris), ==, 5);
  previous[0] = all_uris[0];
  previous[1] = all_uris[2];
  some = call_ok ("Similar", g_variant_new_parsed ("(%^as, {'count': "
          "<uint32 3>, 'previous': <%^as>})", seeds, previous));
  some_tracks = g_variant_get_child_value (some, 0);
  some_uris = track_uris (some_tracks);
  g_assert_cmpuint (g_strv_length (some_uris), ==, 3);
  g_assert_cmpstr (some_uris[0], ==, all_uris[1]);
  g_assert_cmpstr (some_uris[1], ==, all_uris[3]);
  g_assert_cmpstr (some_uris[2], ==, all_uris[4]);
}

static void
test_search (void)
{
  g_autoptr (JsonNode) cli = cli_json ("search", "--json", "-n", "3",
      "--database", db, "calm piano", NULL);
  g_autoptr (GVariant) reply = call_ok ("Search", g_variant_new_parsed
      ("('calm piano', {'count': <uint32 3>})"));
  g_autoptr (GVariant) tracks = g_variant_get_child_value (reply, 0);
  guint i, w;

  assert_same_tracks (tracks, json_node_get_array (cli));
  /* Each result says which words of the query it matches, as the command
   * line does. */
  for (i = 0; i < g_variant_n_children (tracks); i++) {
    g_autoptr (GVariant) track = g_variant_get_child_value (tracks, i);
    g_autofree const char **matched = NULL;
    JsonArray *want = json_object_get_array_member
        (json_array_get_object_element (json_node_get_array (cli), i),
        "matched");

    g_assert_true (g_variant_lookup (track, "matched", "^a&s", &matched));
    g_assert_cmpuint (g_strv_length ((char **) matched), ==,
        json_array_get_length (want));
    for (w = 0; matched[w]; w++)
      g_assert_cmpstr (matched[w], ==, json_array_get_string_element (want,
              w));
  }
}

static void
test_path (void)
{
  g_autofree char *from = demo_uri ("battle.ogg");
  g_autofree char *to = demo_uri ("sad.ogg");
  g_autofree char *m3u = cli_run ("playlist", "-n", "3", "--to", to,
      "--database", db, from, NULL);
  g_auto (GStrv) playlist = m3u_uris (m3u);
  g_autoptr (GVariant) reply = call_ok ("Path", g_variant_new ("(ssu)",
          from, to, 3));
  g_autoptr (GVariant) tracks = g_variant_get_child_value (reply, 0);
  g_auto (GStrv) got = track_uris (tracks);

  /* The playlist is the start, the steps, the end. */
  g_assert_cmpuint (g_strv_length (playlist), ==, 5);
  assert_same_strv (got, playlist, 1, 3);
}

/* The engine's own call is the reference (`semblance describe` analyses a
 * file, not a track of the index), and `gdbus call` itself must read the
 * same words. */
static void
test_describe (void)
{
  g_autofree char *uri = demo_uri ("love-theme.ogg");
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceLibrary) lib = semblance_library_new (db, NULL,
      &error);
  g_auto (GStrv) expected = NULL;
  g_autoptr (GVariant) reply = call_ok ("Describe", g_variant_new ("(s)",
          uri));
  g_autoptr (GVariant) track = g_variant_get_child_value (reply, 0);
  g_autofree const char **words = NULL;
  g_autofree char *out = NULL, *quoted = NULL;
  const char *track_uri, *title;
  double distance;
  const char *argv[] = {
    "gdbus", "call", "--session", "--dest", NAME, "--object-path", PATH,
    "--method", IFACE ".Describe", uri, NULL
  };
  int status;

  g_assert_no_error (error);
  /* The words the model is confident of, as the sidebar shows them. */
  expected = semblance_library_confident_words (lib, uri, NULL, 3);
  g_assert_cmpuint (g_strv_length (expected), ==, 1);
  g_assert_cmpstr (expected[0], ==, "sad");
  g_variant_get_child (reply, 1, "^a&s", &words);
  g_assert_cmpuint (g_strv_length ((GStrv) words), ==, 1);
  g_assert_cmpstr (words[0], ==, expected[0]);
  g_assert_true (g_variant_lookup (track, "uri", "&s", &track_uri));
  g_assert_true (g_variant_lookup (track, "title", "&s", &title));
  g_assert_true (g_variant_lookup (track, "distance", "d", &distance));
  g_assert_cmpstr (track_uri, ==, uri);
  g_assert_cmpstr (title, ==, "Love Theme");
  g_assert_cmpfloat (distance, ==, 0);

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
          G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  quoted = g_strdup_printf ("['%s']", expected[0]);
  g_assert_nonnull (strstr (out, quoted));
}

/* A file outside the library, analysed as `semblance analyze --json
 * --model` analyses it; the library's nearest track is the clip it was
 * copied from. */
static void
test_analyze_file (void)
{
  g_autofree char *file = g_build_filename (tmp, "outside", "copy.ogg",
      NULL);
  g_autofree char *original = demo_uri ("battle.ogg");
  g_autoptr (JsonNode) cli = NULL;
  g_autoptr (GVariant) reply = NULL, analysis = NULL, tracks = NULL;
  g_autoptr (GVariant) features = NULL, vector = NULL, nearest = NULL;
  JsonObject *expected;
  JsonArray *expected_features, *expected_vector;
  g_autofree const char **words = NULL;
  const char *key, *mode, *nearest_uri;
  double tempo, loudness, distance;
  const double *values;
  gsize n, i;

  copy_demo ("battle.ogg", file);
  cli = cli_json ("analyze", "--json", "--model", g_getenv
      ("SEMBLANCE_MODEL"), file, NULL);
  expected = json_array_get_object_element (json_node_get_array (cli), 0);
  reply = call_ok ("AnalyzeFile", g_variant_new ("(s)", file));
  analysis = g_variant_get_child_value (reply, 0);
  tracks = g_variant_get_child_value (reply, 1);

  g_assert_true (g_variant_lookup (analysis, "tempo", "d", &tempo));
  g_assert_true (g_variant_lookup (analysis, "loudness", "d", &loudness));
  g_assert_true (g_variant_lookup (analysis, "key", "&s", &key));
  g_assert_true (g_variant_lookup (analysis, "mode", "&s", &mode));
  g_assert_cmpfloat_with_epsilon (tempo, json_object_get_double_member
      (expected, "tempo"), 1e-6);
  g_assert_cmpfloat_with_epsilon (loudness, json_object_get_double_member
      (expected, "loudness"), 1e-6);
  g_assert_cmpstr (key, ==, json_object_get_string_member (expected, "key"));
  g_assert_cmpstr (mode, ==, json_object_get_string_member (expected,
          "mode"));

  features = g_variant_lookup_value (analysis, "features",
      G_VARIANT_TYPE ("ad"));
  expected_features = json_object_get_array_member (expected, "features");
  values = g_variant_get_fixed_array (features, &n, sizeof (double));
  g_assert_cmpuint (n, ==, SEMBLANCE_FEATURE_DIM);
  g_assert_cmpuint (n, ==, json_array_get_length (expected_features));
  for (i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (values[i], json_array_get_double_element
        (expected_features, i), 1e-5 * MAX (1, fabs (values[i])));

  vector = g_variant_lookup_value (analysis, "vector",
      G_VARIANT_TYPE ("ad"));
  expected_vector = json_object_get_array_member (expected,
      "property_vector");
  values = g_variant_get_fixed_array (vector, &n, sizeof (double));
  g_assert_cmpuint (n, ==, json_array_get_length (expected_vector));
  for (i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (values[i], json_array_get_double_element
        (expected_vector, i), 1e-5);

  /* Only the confident words, as Describe() gives them. */
  g_assert_true (g_variant_lookup (analysis, "words", "^a&s", &words));
  g_assert_cmpuint (g_strv_length ((GStrv) words), ==, 1);
  g_assert_cmpstr (words[0], ==, "sad");

  g_assert_cmpuint (g_variant_n_children (tracks), >=, 5);
  nearest = g_variant_get_child_value (tracks, 0);
  g_assert_true (g_variant_lookup (nearest, "uri", "&s", &nearest_uri));
  g_assert_true (g_variant_lookup (nearest, "distance", "d", &distance));
  g_assert_cmpstr (nearest_uri, ==, original);
  g_assert_cmpfloat (distance, <, 1e-3);
}

static void
test_errors (void)
{
  g_autofree char *seed = demo_uri ("nebula.ogg");
  const char *const seeds[] = { seed, NULL };
  const char *const missing[] = { "file:///no/such/track.ogg", NULL };
  const char *const relative[] = { "data/track.ogg", NULL };
  const char *const nowhere[] = { "/no/such/folder", NULL };
  static const struct
  {
    const char *options;
    const char *error_part;
  } bad_options[] = {
    { "{'count': <uint32 0>}", "count" },
    { "{'count': <uint32 100000>}", "count" },
    { "{'count': <'ten'>}", "type u" },
    { "{'colour': <'blue'>}", "unknown option “colour”" },
    { "{'min-duration': <-1.0>}", "min-duration" },
    { "{'min-duration': <300.0>, 'max-duration': <100.0>}", "above" },
  };
  GError *error = NULL;
  GVariant *reply;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad_options); i++) {
    reply = call (bus, "Similar", g_variant_new ("(^as@a{sv})", seeds,
            g_variant_new_parsed (bad_options[i].options)), &error);
    assert_dbus_error (reply, error, "org.freedesktop.DBus.Error.InvalidArgs",
        bad_options[i].error_part);
    g_clear_error (&error);
  }
  reply = call (bus, "Similar", g_variant_new_parsed ("(%^as, @a{sv} {})",
          missing), &error);
  assert_dbus_error (reply, error, "org.gnome.Semblance1.Error.NotFound",
      "/no/such/track.ogg");
  g_clear_error (&error);
  reply = call (bus, "Similar", g_variant_new_parsed ("(%^as, @a{sv} {})",
          relative), &error);
  assert_dbus_error (reply, error, "org.freedesktop.DBus.Error.InvalidArgs",
      "data/track.ogg");
  g_clear_error (&error);
  reply = call (bus, "Search", g_variant_new_parsed ("('qqxzv zzkqj', "
          "@a{sv} {})"), &error);
  assert_dbus_error (reply, error, "org.freedesktop.DBus.Error.InvalidArgs",
      "");
  g_clear_error (&error);
  reply = call (bus, "Path", g_variant_new ("(ssu)", seed, seed, 0), &error);
  assert_dbus_error (reply, error, "org.freedesktop.DBus.Error.InvalidArgs",
      "steps");
  g_clear_error (&error);
  reply = call (bus, "Index", g_variant_new ("(^as)", nowhere), &error);
  assert_dbus_error (reply, error, "org.gnome.Semblance1.Error.NotFound",
      "/no/such/folder");
  g_clear_error (&error);
  reply = call (bus, "AnalyzeFile", g_variant_new ("(s)", db), &error);
  assert_dbus_error (reply, error, "org.gnome.Semblance1.Error.Failed", db);
  g_clear_error (&error);
}

/* The clients of the concurrency test. */
typedef struct
{
  guint index;
  volatile gint *resumed, *indexing_over;
  volatile gint calls;
  guint during_indexing, failed;
  char *first_error;
} Client;

static gpointer
client_run (gpointer data)
{
  Client *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) connection = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync
      (G_BUS_TYPE_SESSION, NULL, &error);
  g_autofree char *nebula = demo_uri ("nebula.ogg");
  g_autofree char *sad = demo_uri ("sad.ogg");
  const char *const seeds[] = { nebula, NULL };

  g_assert_no_error (error);
  /* A connection of its own: another client of the bus. */
  connection = g_dbus_connection_new_for_address_sync (address,
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
      | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
  g_assert_no_error (error);
  while (g_atomic_int_get (&c->calls) < MIN_CALLS
      || !g_atomic_int_get (c->indexing_over)) {
    gboolean during = g_atomic_int_get (c->resumed)
        && !g_atomic_int_get (c->indexing_over);
    g_autoptr (GVariant) reply = NULL;

    switch ((c->index + c->calls) % 4) {
      case 0:
        reply = call (connection, "Similar", g_variant_new_parsed ("(%^as, "
                "{'count': <uint32 5>})", seeds), &error);
        break;
      case 1:
        reply = call (connection, "Search", g_variant_new_parsed ("('fast "
                "epic drums', @a{sv} {})"), &error);
        break;
      case 2:
        reply = call (connection, "Describe", g_variant_new ("(s)", sad),
            &error);
        break;
      default:
        reply = call (connection, "Path", g_variant_new ("(ssu)", nebula,
                sad, 2), &error);
    }
    g_atomic_int_inc (&c->calls);
    g_usleep (CALL_GAP_US);
    if (!reply) {
      c->failed++;
      if (!c->first_error)
        c->first_error = g_strdup (error->message);
      g_clear_error (&error);
    } else if (during && !g_atomic_int_get (c->indexing_over)) {
      c->during_indexing++;
    }
  }
  return NULL;
}

typedef struct
{
  guint progress, done, failures;
  gboolean finished;
  char *error;
} Watch;

static void
on_signal (GDBusConnection *connection, const char *sender,
           const char *path, const char *iface, const char *signal,
           GVariant *params, gpointer data)
{
  Watch *w = data;

  if (g_str_equal (signal, "Progress")) {
    w->progress++;
  } else {
    g_variant_get (params, "(uus)", &w->done, &w->failures, &w->error);
    w->finished = TRUE;
  }
}

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

/* Pause holds the run while 8 clients start calling every query method;
 * after Resume they go on while the daemon analyses. Every call succeeds,
 * each client's calls overlap the analysis, and the run indexes each new
 * file once. */
static void
test_concurrent_indexing (void)
{
  g_autofree char *music = g_build_filename (tmp, "music", NULL);
  const char *const folders[] = { music, NULL };
  static const char *const clips[] = {
    "awakening.ogg", "battle.ogg", "love-theme.ogg", "nebula.ogg",
    "sad.ogg", "traveling-minstrels.ogg",
  };
  volatile gint resumed = 0, indexing_over = 0;
  Client clients[N_CLIENTS] = { 0 };
  GThread *threads[N_CLIENTS];
  Watch watch = { 0 };
  g_autofree char *status = NULL, *expected = NULL;
  g_autoptr (GVariant) reply = NULL;
  guint subscription, i, j, calls = 0, during = 0;

  for (i = 0; i < N_COPIES; i++)
    for (j = 0; j < G_N_ELEMENTS (clips); j++) {
      g_autofree char *name = g_strdup_printf ("copy-%u", i);
      g_autofree char *path = g_build_filename (music, name, clips[j], NULL);

      copy_demo (clips[j], path);
    }
  subscription = g_dbus_connection_signal_subscribe (bus, NAME, IFACE, NULL,
      PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE, on_signal, &watch, NULL);

  g_variant_unref (call_ok ("Pause", NULL));
  reply = call_ok ("Index", g_variant_new ("(^as)", folders));
  for (i = 0; i < N_CLIENTS; i++) {
    clients[i].index = i;
    clients[i].resumed = &resumed;
    clients[i].indexing_over = &indexing_over;
    threads[i] = g_thread_new ("client", client_run, &clients[i]);
  }
  iterate_for (1000);
  g_assert_true (get_boolean ("Paused"));
  g_assert_true (get_boolean ("Indexing"));
  g_assert_cmpuint (get_uint ("Done"), ==, 0);
  g_assert_cmpuint (watch.progress, ==, 0);
  /* Every client calls already. */
  for (i = 0; i < N_CLIENTS; i++)
    while (g_atomic_int_get (&clients[i].calls) == 0)
      iterate_for (10);
  g_atomic_int_set (&resumed, 1);
  g_variant_unref (call_ok ("Resume", NULL));
  g_assert_false (get_boolean ("Paused"));

  /* The same folder again from another call: the run under way takes it,
   * and no file is analysed twice. */
  g_variant_unref (call_ok ("Index", g_variant_new ("(^as)", folders)));
  while (!watch.finished)
    g_main_context_iteration (NULL, TRUE);
  g_atomic_int_set (&indexing_over, 1);
  for (i = 0; i < N_CLIENTS; i++) {
    g_thread_join (threads[i]);
    if (clients[i].first_error)
      g_test_message ("client %u: %s", i, clients[i].first_error);
    g_assert_cmpuint (clients[i].failed, ==, 0);
    g_assert_cmpuint (clients[i].during_indexing, >, 0);
    calls += g_atomic_int_get (&clients[i].calls);
    during += clients[i].during_indexing;
    g_free (clients[i].first_error);
  }
  g_test_message ("%u clients made %u calls, %u of them while the daemon "
      "analysed %zu files; %u Progress signals", N_CLIENTS, calls, during,
      N_COPIES * G_N_ELEMENTS (clips), watch.progress);
  g_dbus_connection_signal_unsubscribe (bus, subscription);

  g_assert_cmpstr (watch.error, ==, "");
  g_assert_cmpuint (watch.done, ==, N_COPIES * G_N_ELEMENTS (clips));
  g_assert_cmpuint (watch.failures, ==, 0);
  g_assert_cmpuint (watch.progress, >, 0);
  g_assert_false (get_boolean ("Indexing"));
  g_assert_cmpuint (get_uint ("Done"), ==, N_COPIES * G_N_ELEMENTS (clips));
  status = cli_run ("status", "--database", db, NULL);
  expected = g_strdup_printf ("%-14s %zu\n", "analysed",
      (N_COPIES + 1) * G_N_ELEMENTS (clips));
  if (!strstr (status, expected))
    g_error ("expected “%s” in:\n%s", expected, status);
  g_free (watch.error);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;
  GVariantBuilder env;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp = g_dir_make_tmp ("semblance-dbus-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (tmp, "library.db", NULL);
  model = g_build_filename (tmp, "confident.smodel", NULL);
  use_confident_model (model);
  index_demo (db);

  /* The bus starts the service with its environment, and this database. */
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_variant_builder_init (&env, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&env, "{ss}", "SEMBLANCE_DATABASE", db);
  g_variant_builder_add (&env, "{ss}", "SEMBLANCE_MODEL", model);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus",
      "/org/freedesktop/DBus", "org.freedesktop.DBus",
      "UpdateActivationEnvironment", g_variant_new ("(a{ss})", &env), NULL,
      G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/dbus/activation", test_activation);
  g_test_add_func ("/dbus/similar", test_similar);
  g_test_add_func ("/dbus/similar-options", test_similar_options);
  g_test_add_func ("/dbus/search", test_search);
  g_test_add_func ("/dbus/path", test_path);
  g_test_add_func ("/dbus/describe", test_describe);
  g_test_add_func ("/dbus/analyze-file", test_analyze_file);
  g_test_add_func ("/dbus/errors", test_errors);
  g_test_add_func ("/dbus/concurrent-indexing", test_concurrent_indexing);
  status = g_test_run ();

  g_object_unref (bus);
  remove_tree (tmp);
  g_free (model);
  g_free (db);
  g_free (tmp);
  return status;
}
