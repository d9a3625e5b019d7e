/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The semblance program as a user runs it. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "semblance.h"

static const char *program;

typedef struct
{
  char *out;
  char *err;
  int status;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run (Run *r, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *arg;
  va_list ap;
  int wait_status;

  g_ptr_array_add (argv, (gpointer) program);
  va_start (ap, first);
  for (arg = first; arg; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL,
          G_SPAWN_DEFAULT, NULL, NULL, &r->out, &r->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);
}

static char *
demo (const char *name)
{
  return g_build_filename (g_getenv ("SEMBLANCE_DEMO_DIR"), name, NULL);
}

static void
test_json (void)
{
  g_autofree char *sad = demo ("sad.ogg");
  g_autofree char *missing = demo ("no-such-track.ogg");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_auto (Run) r = { 0 };
  JsonArray *results, *features, *groups_timbre;
  JsonObject *first, *second, *layout;

  run (&r, "analyze", "--json", sad, missing, NULL);
  /* One file failed: the run says so, and the other file is analysed. */
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no-such-track.ogg"));
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);

  results = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  first = json_array_get_object_element (results, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "file"), ==, sad);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (first,
          "seconds"), 20.0, 0.05);
  g_assert_cmpfloat (json_object_get_double_member (first, "tempo"), >, 40.0);
  features = json_object_get_array_member (first, "features");
  g_assert_cmpuint (json_array_get_length (features), ==,
      SEMBLANCE_FEATURE_DIM);
  layout = json_object_get_object_member (first, "layout");
  g_assert_cmpint (json_object_get_int_member (layout, "version"), ==,
      SEMBLANCE_LAYOUT_VERSION);
  groups_timbre = json_object_get_array_member (json_object_get_object_member
      (layout, "groups"), "timbre");
  g_assert_cmpint (json_array_get_int_element (groups_timbre, 0), ==, 0);
  g_assert_cmpint (json_array_get_int_element (groups_timbre, 1), ==, 66);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (features,
          SEMBLANCE_F_LOUDNESS), json_object_get_double_member (first,
          "loudness"), 1e-4);

  second = json_array_get_object_element (results, 1);
  g_assert_cmpstr (json_object_get_string_member (second, "file"), ==,
      missing);
  g_assert_nonnull (strstr (json_object_get_string_member (second, "error"),
          "no such file"));
}

static void
test_brief_folder (void)
{
  g_auto (Run) r = { 0 };
  g_auto (GStrv) lines = NULL;

  run (&r, "analyze", "--brief", g_getenv ("SEMBLANCE_DEMO_DIR"), NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (g_strstrip (r.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 7);
  g_assert_true (g_str_has_prefix (lines[0], "FILE"));
  g_assert_nonnull (strstr (lines[0], "TEMPO"));
  g_assert_nonnull (strstr (lines[0], "BRIGHTNESS"));
  /* Sorted by name. */
  g_assert_true (g_str_has_prefix (lines[1], "awakening.ogg"));
  g_assert_nonnull (strstr (lines[1], "LUFS"));
  g_assert_nonnull (strstr (lines[1], " 122 "));
}

static void
test_table (void)
{
  g_autofree char *battle = demo ("battle.ogg");
  g_auto (Run) r = { 0 };
  SemblanceGroup g;

  run (&r, "analyze", battle, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "tempo"));
  g_assert_nonnull (strstr (r.out, "BPM"));
  for (g = 0; g < SEMBLANCE_N_GROUPS; g++)
    g_assert_nonnull (strstr (r.out, semblance_layout_group_name (g)));
  g_assert_nonnull (strstr (r.out, "loudness_variation"));
}

static void
test_embed (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_auto (Run) r = { 0 };
  g_auto (Run) bad = { 0 };
  g_auto (Run) table = { 0 };
  JsonObject *root, *first;
  JsonArray *texts, *distances, *unknown;

  run (&r, "embed", "--json", "a sad, slow piano ballad",
      "energetic dance track with xyzzyqq bass", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (root,
              "encoder"), "semblance-text-1+"));
  texts = json_object_get_array_member (root, "texts");
  g_assert_cmpuint (json_array_get_length (texts), ==, 2);
  first = json_array_get_object_element (texts, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member
          (first, "vector")), ==, 100);
  unknown = json_object_get_array_member (json_array_get_object_element
      (texts, 1), "unknown");
  g_assert_cmpuint (json_array_get_length (unknown), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (unknown, 0), ==, "xyzzyqq");
  distances = json_object_get_array_member (root, "distances");
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element
      (json_array_get_array_element (distances, 0), 0), 0.0, 1e-6);
  g_assert_cmpfloat (json_array_get_double_element
      (json_array_get_array_element (distances, 0), 1), >, 0.5);

  /* A text with no known word fails, and says so. */
  run (&bad, "embed", "xyzzyqq", NULL);
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_nonnull (strstr (bad.err, "no word of the text is known"));

  run (&table, "embed", "calm", "stormy", NULL);
  g_assert_cmpint (table.status, ==, 0);
  g_assert_nonnull (strstr (table.out, "Cosine distances"));
}

static void
test_usage_errors (void)
{
  g_auto (Run) none = { 0 };
  g_auto (Run) unknown = { 0 };
  g_auto (Run) decoder = { 0 };
  g_auto (Run) no_files = { 0 };
  g_auto (Run) version = { 0 };

  run (&none, NULL);
  g_assert_cmpint (none.status, ==, 2);
  g_assert_nonnull (strstr (none.err, "analyze"));
  run (&unknown, "frobnicate", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "frobnicate"));
  run (&decoder, "analyze", "--decoder=bogus", "x.ogg", NULL);
  g_assert_cmpint (decoder.status, ==, 2);
  g_assert_nonnull (strstr (decoder.err, "bogus"));
  run (&no_files, "analyze", NULL);
  g_assert_cmpint (no_files.status, ==, 2);
  run (&version, "--version", NULL);
  g_assert_cmpint (version.status, ==, 0);
  g_assert_true (g_str_has_prefix (version.out, "semblance "));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  program = g_getenv ("SEMBLANCE_PROGRAM");
  g_assert_nonnull (program);
  g_test_add_func ("/cli/json", test_json);
  g_test_add_func ("/cli/brief-folder", test_brief_folder);
  g_test_add_func ("/cli/table", test_table);
  g_test_add_func ("/cli/embed", test_embed);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  return g_test_run ();
}
