/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The semblance program as a user runs it. */
#include <errno.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sndfile.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixtures.h"
#include "semblance.h"
#include "signals.h"
#include "versions.h"

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
run_va (Run *r, GSpawnChildSetupFunc setup, const char *first, va_list ap)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) env = g_get_environ ();
  const char *arg;
  int wait_status;

  /* A process that changed its user cannot read its own /proc maps, where
   * ASan checks that it came first (the sanitizer build). */
  /* The tests' GStreamer registry must be readable by the ordinary user,
   * or GStreamer scans every plugin again as that user. */
  if (setup && g_getenv ("GST_REGISTRY_1_0"))
    g_chmod (g_getenv ("GST_REGISTRY_1_0"), 0644);
  if (setup) {
    g_autofree char *asan = g_strdup_printf ("%s%sverify_asan_link_order=0",
        g_environ_getenv (env, "ASAN_OPTIONS") ?
        g_environ_getenv (env, "ASAN_OPTIONS") : "",
        g_environ_getenv (env, "ASAN_OPTIONS") ? ":" : "");

    env = g_environ_setenv (env, "ASAN_OPTIONS", asan, TRUE);
  }

  g_ptr_array_add (argv, (gpointer) program);
  for (arg = first; arg; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env,
          G_SPAWN_DEFAULT, setup, NULL, &r->out, &r->err, &wait_status,
          &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);
}

static void
run (Run *r, const char *first, ...)
{
  va_list ap;

  va_start (ap, first);
  run_va (r, NULL, first, ap);
  va_end (ap);
}

/* Drops to an ordinary user when the tests run as root, for whom no
 * folder is read-only. */
static void
become_user (gpointer data)
{
  if (geteuid () == 0 && (setgid (65534) != 0 || setuid (65534) != 0))
    _exit (125);
}

static void
run_as_user (Run *r, const char *first, ...)
{
  va_list ap;

  va_start (ap, first);
  run_va (r, become_user, first, ap);
  va_end (ap);
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
  /* The excerpt of "Sad" (rubato piano) has no clear pulse: tempo 0, the
   * flag, no confidence; its key is named. */
  g_assert_cmpfloat (json_object_get_double_member (first, "tempo"), ==, 0.0);
  g_assert_cmpfloat (json_object_get_double_member (first,
          "tempo_confidence"), ==, 0.0);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member
          (first, "flags"), 0), ==, "no-pulse");
  g_assert_cmpstr (json_object_get_string_member (first, "mode"), ==, "minor");
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
  g_assert_true (g_str_has_suffix (lines[0], "FILE"));
  g_assert_nonnull (strstr (lines[0], "TEMPO"));
  g_assert_nonnull (strstr (lines[0], "BRIGHTNESS"));
  /* Sorted by name, each file as it was named, folder and all. */
  {
    g_autofree char *awakening = demo ("awakening.ogg");

    g_assert_true (g_str_has_suffix (lines[1], awakening));
  }
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
              "encoder"), "semblance-text-2+"));
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

/* Only the commands that decode initialise GStreamer (which opens its
 * debug log file when it does). */
static void
test_gstreamer_only_to_decode (void)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-cli-gst-XXXXXX", NULL);
  g_autofree char *log = g_build_filename (dir, "gst.log", NULL);
  g_autofree char *db = g_build_filename (dir, "library.db", NULL);
  g_autofree char *sad = g_build_filename (g_getenv ("SEMBLANCE_DEMO_DIR"),
      "sad.ogg", NULL);
  const char *small[][4] = {
    { "embed", "calm", NULL },
    { "model-info", NULL },
    { "status", "--database", db, NULL },
    { "similar", "--database", db, sad },
  };
  gsize i;

  g_setenv ("GST_DEBUG", "1", TRUE);
  g_setenv ("GST_DEBUG_FILE", log, TRUE);
  for (i = 0; i < G_N_ELEMENTS (small); i++) {
    g_auto (Run) r = { 0 };

    run (&r, small[i][0], small[i][1], small[i][2], small[i][3], NULL);
    g_assert_false (g_file_test (log, G_FILE_TEST_EXISTS));
  }
  {
    g_auto (Run) r = { 0 };

    run (&r, "analyze", "--brief", sad, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_test (log, G_FILE_TEST_EXISTS));
  }
  g_unsetenv ("GST_DEBUG");
  g_unsetenv ("GST_DEBUG_FILE");
  g_unlink (log);
  g_unlink (db);
  g_rmdir (dir);
}

/* semblance embed with @n texts and @option (or NULL); its output. */
static char *
embed_many (guint n, const char *option, gboolean json)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int wait_status;
  guint i;

  g_ptr_array_add (argv, (gpointer) program);
  g_ptr_array_add (argv, (gpointer) "embed");
  if (json)
    g_ptr_array_add (argv, (gpointer) "--json");
  if (option)
    g_ptr_array_add (argv, (gpointer) option);
  for (i = 0; i < n; i++)
    g_ptr_array_add (argv, (gpointer) (i % 2 ? "calm piano" : "fast drums"));
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL,
          G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
  return out;
}

/* The number of rows of the "distances" matrix in @out, or -1 without. */
static int
json_distance_rows (const char *out, guint n_texts)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *root;
  JsonArray *rows;
  guint i;

  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member
          (root, "texts")), ==, n_texts);
  if (!json_object_has_member (root, "distances"))
    return -1;
  rows = json_object_get_array_member (root, "distances");
  for (i = 0; i < json_array_get_length (rows); i++)
    g_assert_cmpuint (json_array_get_length (json_array_get_array_element
            (rows, i)), ==, n_texts);
  return (int) json_array_get_length (rows);
}

/* The matrix of distances for 2 to 20 texts, or with --matrix; JSON
 * written text by text, its memory flat with the number of texts. */
static void
test_embed_many (void)
{
  g_autofree char *twenty = embed_many (20, NULL, FALSE);
  g_autofree char *many = embed_many (21, NULL, FALSE);
  g_autofree char *asked = embed_many (21, "--matrix", FALSE);
  g_autofree char *twenty_json = embed_many (20, NULL, TRUE);
  g_autofree char *many_json = embed_many (21, NULL, TRUE);
  g_autofree char *asked_json = embed_many (21, "--matrix", TRUE);
  g_autofree char *one_json = embed_many (1, "--matrix", TRUE);
  struct rusage small, large;
  guint i;

  g_assert_nonnull (strstr (twenty, "Cosine distances"));
  g_assert_null (strstr (many, "Cosine distances"));
  g_assert_nonnull (strstr (many, "without --matrix"));
  g_assert_nonnull (strstr (asked, "Cosine distances"));
  /* The last row, of the text the first one is: 0 from it. */
  g_assert_nonnull (strstr (asked, "\n    21  0.000 "));
  g_assert_cmpint (json_distance_rows (twenty_json, 20), ==, 20);
  g_assert_cmpint (json_distance_rows (many_json, 21), ==, -1);
  g_assert_cmpint (json_distance_rows (asked_json, 21), ==, 21);
  g_assert_cmpint (json_distance_rows (one_json, 1), ==, -1);

#ifdef __SANITIZE_ADDRESS__
  /* AddressSanitizer holds freed memory in quarantine: no measure. */
  return;
#endif
  /* 200 and 20,000 texts in JSON, not one document held in memory. */
  for (i = 0; i < 2; i++) {
    guint n = i ? 20000 : 200, j;
    g_autofree char **argv = g_new0 (char *, n + 4);
    struct rusage *u = i ? &large : &small;
    int null = open ("/dev/null", O_WRONLY | O_CLOEXEC);
    pid_t pid;
    int wait_status;

    argv[0] = (char *) program;
    argv[1] = (char *) "embed";
    argv[2] = (char *) "--json";
    for (j = 0; j < n; j++)
      argv[3 + j] = (char *) "calm piano";
    g_assert_cmpint (null, >=, 0);
    pid = fork ();
    g_assert_cmpint (pid, >=, 0);
    if (pid == 0) {
      dup2 (null, STDOUT_FILENO);
      execv (program, argv);
      _exit (127);
    }
    close (null);
    g_assert_cmpint (wait4 (pid, &wait_status, 0, u), ==, pid);
    g_assert_true (WIFEXITED (wait_status));
    g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
  }
  g_test_message ("max RSS: %ld KiB for 200 texts, %ld KiB for 20,000",
      small.ru_maxrss, large.ru_maxrss);
  g_assert_cmpint (large.ru_maxrss, <, small.ru_maxrss + 20 * 1024);
}

/* Removes @dir and everything in it. */
/* Writes click tracks from 60 BPM up with descriptions of their pace:
 * a table for training and one, labelled, for evaluation. */
static void
write_tracks (const char *dir, guint n)
{
  g_autoptr (GString) train = g_string_new ("# click tracks\n");
  g_autoptr (GString) labels = g_string_new (NULL);
  g_autofree char *train_path = g_build_filename (dir, "train.tsv", NULL);
  g_autofree char *labels_path = g_build_filename (dir, "labels.tsv", NULL);
  guint i;

  for (i = 0; i < n; i++) {
    double bpm = 60 + 110.0 * i / (n - 1);
    g_autofree char *name = g_strdup_printf ("clicks-%03.0f.wav", bpm);
    g_autofree char *path = g_build_filename (dir, name, NULL);
    g_autofree float *x = signal_clicks (22050, 4 * 22050, bpm);
    SF_INFO info = { .samplerate = 22050, .channels = 1,
      .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
    SNDFILE *f = sf_open (path, SFM_WRITE, &info);
    const char *pace = bpm < 115 ? "slow" : "fast";

    g_assert_nonnull (f);
    sf_writef_float (f, x, 4 * 22050);
    sf_close (f);
    g_string_append_printf (train, "%s\t%s\n", name, bpm < 115
        ? "slow calm quiet music" : "fast energetic lively music");
    g_string_append_printf (labels, "%s\t%s\t%s beat\n", name, pace, pace);
  }
  g_assert_true (g_file_set_contents (train_path, train->str, -1, NULL));
  g_assert_true (g_file_set_contents (labels_path, labels->str, -1, NULL));
}

/* A model that says "calm" of everything, sure of it: its semantic map
 * sends every track to the word's vector. */
static void
write_calm_model (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceTextEncoder) encoder =
      semblance_text_encoder_new_default (&error);
  g_autoptr (SemblanceModel) model = NULL;
  SemblanceWordCalibration calm = { g_strdup ("calm"), 10, -5 };
  SemblanceWordCalibration metal = { g_strdup ("metal"), 10, -9 };

  g_assert_no_error (error);
  model = semblance_model_new_empty (4, 2,
      semblance_text_encoder_get_dim (encoder));
  g_assert_true (semblance_text_encoder_embed (encoder, "calm",
          model->semantic_bias, NULL, NULL));
  g_array_append_val (model->calibrations, calm);
  g_array_append_val (model->calibrations, metal);
  g_free (model->card.license);
  model->card.license = g_strdup ("CC0-1.0");
  g_assert_true (semblance_model_save (model, path, &error));
  g_assert_no_error (error);
}

static void
test_describe (void)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-cli-XXXXXX", NULL);
  g_autofree char *model = g_build_filename (dir, "calm.smodel", NULL);
  g_autofree char *track = NULL, *uri = NULL;
  g_autofree char *missing = g_build_filename (dir, "gone.wav", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_auto (Run) plain = { 0 };
  g_auto (Run) json = { 0 };
  g_auto (Run) none = { 0 };
  g_auto (Run) none_json = { 0 };
  g_auto (Run) relative = { 0 };
  g_auto (Run) gone = { 0 };
  g_auto (Run) remote = { 0 };
  g_auto (Run) usage = { 0 };
  JsonArray *words;
  JsonObject *first;

  write_tracks (dir, 2);
  track = g_build_filename (dir, "clicks-060.wav", NULL);
  uri = g_filename_to_uri (track, NULL, NULL);
  write_calm_model (model);

  run (&plain, "describe", track, "--model", model, NULL);
  g_assert_cmpint (plain.status, ==, 0);
  g_assert_true (g_str_has_prefix (plain.out, "calm "));
  g_assert_nonnull (strstr (plain.out, "0.99"));
  g_assert_null (strstr (plain.out, "metal"));

  run (&json, "describe", uri, "--model", model, "--json", "-n", "1", NULL);
  g_assert_cmpint (json.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, json.out, -1, &error));
  g_assert_no_error (error);
  words = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (words), ==, 1);
  first = json_array_get_object_element (words, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "word"), ==,
      "calm");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (first, "p"),
      1 / (1 + exp (-5.0)), 1e-4);

  /* The default model has no calibrations: no word, and it says so. */
  run (&none, "describe", track, NULL);
  g_assert_cmpint (none.status, ==, 0);
  g_assert_nonnull (strstr (none.out, "no word is confident"));
  run (&none_json, "describe", track, "--json", NULL);
  g_assert_cmpint (none_json.status, ==, 0);
  g_assert_cmpstr (g_strstrip (none_json.out), ==, "[]");

  /* A relative name with a colon is a file, as `similar` reads it, not
   * a URI of scheme "take". */
  {
    g_autofree char *here = g_get_current_dir (), *bytes = NULL;
    g_autofree char *colon = g_build_filename (dir, "take:2.wav", NULL);
    gsize size;

    g_assert_true (g_file_get_contents (track, &bytes, &size, &error));
    g_assert_true (g_file_set_contents (colon, bytes, size, &error));
    g_assert_no_error (error);
    g_assert_cmpint (g_chdir (dir), ==, 0);
    run (&relative, "describe", "take:2.wav", "--model", model, NULL);
    g_assert_cmpint (g_chdir (here), ==, 0);
    g_assert_cmpint (relative.status, ==, 0);
    g_assert_true (g_str_has_prefix (relative.out, "calm "));
  }

  run (&gone, "describe", missing, "--model", model, NULL);
  g_assert_cmpint (gone.status, ==, 1);
  g_assert_nonnull (strstr (gone.err, "gone.wav"));
  run (&remote, "describe", "http://example.org/a.ogg", NULL);
  g_assert_cmpint (remote.status, ==, 1);
  g_assert_nonnull (strstr (remote.err, "http://example.org/a.ogg: only "
          "local files"));
  run (&usage, "describe", NULL);
  g_assert_cmpint (usage.status, ==, 2);

  remove_tree (dir);
}

static void
test_train_eval (void)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-cli-XXXXXX", NULL);
  g_autofree char *cache = g_build_filename (dir, "cache", NULL);
  g_autofree char *train = g_build_filename (dir, "train.tsv", NULL);
  g_autofree char *labels = g_build_filename (dir, "labels.tsv", NULL);
  g_autofree char *model = g_build_filename (dir, "pace.smodel", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.tsv", NULL);
  g_autofree char *track = g_build_filename (dir, "clicks-060.wav", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_auto (Run) first = { 0 };
  g_auto (Run) second = { 0 };
  g_auto (Run) info = { 0 };
  g_auto (Run) eval = { 0 };
  g_auto (Run) analyze = { 0 };
  g_auto (Run) broken = { 0 };
  JsonObject *root;
  const char *rows[] = { "trained model", "blended", "raw features",
    "random vectors" };
  gsize i;

  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  write_tracks (dir, 16);

  run (&first, "train", train, "-o", model, "--epochs", "20", "--license",
      "CC0-1.0", "--name", "pace test", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_nonnull (strstr (first.err, "16 of 16 (0 from the cache)"));
  g_assert_nonnull (strstr (first.err, "epoch 20/20"));
  g_assert_nonnull (strstr (first.out, "model id "));
  /* The features are cached: a second run does not decode again. */
  run (&second, "train", train, "-o", model, "--epochs", "20", "--license",
      "CC0-1.0", "--name", "pace test", "--metric",
      "leave-folders-out Spearman=0.25", NULL);
  g_assert_cmpint (second.status, ==, 0);
  g_assert_nonnull (strstr (second.err, "16 of 16 (16 from the cache)"));

  run (&info, "model-info", model, NULL);
  g_assert_cmpint (info.status, ==, 0);
  g_assert_nonnull (strstr (info.out, "pace test"));
  g_assert_nonnull (strstr (info.out, "CC0-1.0"));
  g_assert_nonnull (strstr (info.out, "semblance-text-2+"));
  g_assert_nonnull (strstr (info.out, "leave-folders-out Spearman"));
  g_assert_nonnull (strstr (info.out, "0.25"));

  /* 4 validation tracks (30 % of 16) cannot judge early stopping: said,
   * and every epoch runs. */
  g_assert_nonnull (strstr (first.err, "4 of 16 tracks for validation"));
  {
    g_auto (Run) text = { 0 };

    /* The model was trained on these: not "held-out" figures. */
    run (&text, "eval", labels, "--model", model, NULL);
    g_assert_cmpint (text.status, ==, 0);
    g_assert_nonnull (strstr (text.out, "16 tracks, model "));
    g_assert_nonnull (strstr (text.out, "trained on 16 tracks"));
    g_assert_null (strstr (text.out, "held-out tracks"));
  }
  run (&eval, "eval", labels, "--model", model, "--json", NULL);
  g_assert_cmpint (eval.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, eval.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "tracks"), ==, 16);
  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    JsonObject *row = json_object_get_object_member (root, rows[i]);
    double rho = json_object_get_double_member (row, "spearman");
    double p10 = json_object_get_double_member (row, "precision");

    g_assert_cmpfloat (rho, >=, -1.0);
    g_assert_cmpfloat (rho, <=, 1.0);
    g_assert_cmpfloat (p10, >=, 0.0);
    g_assert_cmpfloat (p10, <=, 1.0);
  }

  run (&analyze, "analyze", "--json", "--model", model, track, NULL);
  g_assert_cmpint (analyze.status, ==, 0);
  g_assert_nonnull (strstr (analyze.out, "property_vector"));

  /* The library: indexed with the model, then queried. */
  {
    g_autofree char *db = g_build_filename (dir, "library.db", NULL);
    g_autofree char *seed = g_build_filename (dir, "clicks-060.wav", NULL);
    g_autofree char *dest = g_build_filename (dir, "clicks-170.wav", NULL);
    g_autofree char *list = g_build_filename (dir, "list.xspf", NULL);
    g_autoptr (JsonParser) p = json_parser_new ();
    g_autoptr (GMarkupParseContext) xml = NULL;
    g_autofree char *xspf = NULL;
    g_auto (Run) index = { 0 };
    g_auto (Run) similar = { 0 };
    g_auto (Run) m3u = { 0 };
    g_auto (Run) path = { 0 };
    g_auto (Run) xspf_run = { 0 };
    g_auto (Run) search = { 0 };
    g_auto (GStrv) lines = NULL;
    static const GMarkupParser nothing = { 0 };
    JsonArray *results;

    run (&index, "index", "-d", db, "-m", model, dir, NULL);
    g_assert_cmpint (index.status, ==, 0);
    g_assert_nonnull (strstr (index.out, "16 files analysed, 0 failed"));

    run (&similar, "similar", "-d", db, "-m", model, "-n", "3", "--json", seed,
        NULL);
    g_assert_cmpint (similar.status, ==, 0);
    g_assert_true (json_parser_load_from_data (p, similar.out, -1, &error));
    results = json_node_get_array (json_parser_get_root (p));
    g_assert_cmpuint (json_array_get_length (results), ==, 3);
    for (i = 0; i < 3; i++) {
      JsonObject *r = json_array_get_object_element (results, i);

      g_assert_false (g_str_has_suffix (json_object_get_string_member (r,
                  "uri"), "clicks-060.wav"));
      g_assert_true (json_object_has_member (json_object_get_object_member
              (r, "closeness"), "rhythm"));
      /* Ranked by similarity (mutual proximity), which the distances
       * need not follow. */
      if (i > 0)
        g_assert_cmpfloat (json_object_get_double_member (r, "similarity"),
            <=, json_object_get_double_member (json_array_get_object_element
                (results, i - 1), "similarity"));
    }

    run (&m3u, "playlist", "-d", db, "-m", model, "-n", "4", seed, NULL);
    g_assert_cmpint (m3u.status, ==, 0);
    lines = g_strsplit (m3u.out, "\n", -1);
    g_assert_cmpstr (lines[0], ==, "#EXTM3U");
    g_assert_cmpstr (lines[2], ==, seed);
    /* The header, then two lines for each of the seed and 4 tracks. */
    g_assert_cmpuint (g_strv_length (lines), ==, 1 + 2 * 5 + 1);

    run (&path, "playlist", "-d", db, "-m", model, "-n", "3", seed, "--to",
        dest, NULL);
    g_assert_cmpint (path.status, ==, 0);
    g_assert_true (g_str_has_suffix (g_strstrip (path.out), dest));

    run (&xspf_run, "playlist", "-d", db, "-m", model, "-f", "xspf", "-o",
        list, seed, NULL);
    g_assert_cmpint (xspf_run.status, ==, 0);
    g_assert_true (g_file_get_contents (list, &xspf, NULL, NULL));
    xml = g_markup_parse_context_new (&nothing, 0, NULL, NULL);
    g_assert_true (g_markup_parse_context_parse (xml, xspf, -1, &error));
    g_assert_true (g_markup_parse_context_end_parse (xml, &error));
    g_assert_no_error (error);
    g_assert_nonnull (strstr (xspf, "<location>file://"));

    /* The click tracks last 4 s: short clips, ranked only when asked
     * for. */
    {
      g_auto (Run) none = { 0 };

      run (&none, "search", "-d", db, "-m", model, "-n", "5", "--json",
          "fast energetic music", NULL);
      g_assert_cmpint (none.status, ==, 0);
      g_assert_true (json_parser_load_from_data (p, none.out, -1, &error));
      g_assert_cmpuint (json_array_get_length (json_node_get_array
              (json_parser_get_root (p))), ==, 0);
    }
    run (&search, "search", "-d", db, "-m", model, "-n", "5", "--json",
        "--include-short", "fast energetic music", NULL);
    g_assert_cmpint (search.status, ==, 0);
    g_assert_true (json_parser_load_from_data (p, search.out, -1, &error));
    g_assert_cmpuint (json_array_get_length (json_node_get_array
            (json_parser_get_root (p))), ==, 5);
    /* Each result says which words of the query it matches ("music" and
     * the others, never a word the query does not have), and the best
     * has the full match. */
    {
      JsonArray *ranked = json_node_get_array (json_parser_get_root (p));
      guint r, w;

      g_assert_cmpfloat (json_object_get_double_member
          (json_array_get_object_element (ranked, 0), "similarity"), ==,
          1.0);
      for (r = 0; r < json_array_get_length (ranked); r++) {
        JsonArray *matched = json_object_get_array_member
            (json_array_get_object_element (ranked, r), "matched");

        g_assert_nonnull (matched);
        for (w = 0; w < json_array_get_length (matched); w++)
          g_assert_true (g_strv_contains ((const char *const[]) { "fast",
                  "energetic", "music", NULL },
                  json_array_get_string_element (matched, w)));
      }
    }
    {
      g_auto (Run) text = { 0 };

      run (&text, "search", "-d", db, "-m", model, "-n", "2",
          "--include-short", "fast energetic music", NULL);
      g_assert_cmpint (text.status, ==, 0);
      /* Each line leads with the match it is ranked by, the distance
       * last. */
      g_assert_true (g_str_has_prefix (text.out, "  1. 100%  "));
      g_assert_nonnull (strstr (text.out, "  distance "));
      g_assert_null (strstr (text.out, "close in"));
    }
    /* "Like this, but …": close to the seed and a bar for the
     * description; an empty description is a usage error. */
    {
      g_auto (Run) no_short = { 0 };
      g_auto (Run) like = { 0 };
      g_auto (Run) like_json = { 0 };
      g_auto (Run) empty = { 0 };
      JsonArray *ranked;

      /* The click tracks are short clips, as for search. */
      run (&no_short, "similar", "-d", db, "-m", model, "-n", "3", "--like",
          "fast energetic", seed, NULL);
      g_assert_cmpint (no_short.status, ==, 0);
      g_assert_null (strstr (no_short.out, "close in"));
      run (&like, "similar", "-d", db, "-m", model, "-n", "3", "--like",
          "fast energetic", "--include-short", seed, NULL);
      g_assert_cmpint (like.status, ==, 0);
      g_assert_nonnull (strstr (like.out, "close in"));
      g_assert_nonnull (strstr (like.out, "100%"));
      run (&like_json, "similar", "-d", db, "-m", model, "-n", "3", "--json",
          "-l", "fast energetic", "--include-short", "--exclude", dest, seed,
          NULL);
      g_assert_cmpint (like_json.status, ==, 0);
      g_assert_true (json_parser_load_from_data (p, like_json.out, -1,
              &error));
      ranked = json_node_get_array (json_parser_get_root (p));
      g_assert_cmpuint (json_array_get_length (ranked), ==, 3);
      for (i = 0; i < 3; i++) {
        JsonObject *r = json_array_get_object_element (ranked, i);

        const char *uri = json_object_get_string_member (r, "uri");

        g_assert_true (json_object_has_member (r, "matched"));
        g_assert_false (g_str_has_suffix (uri, "clicks-060.wav"));
        g_assert_false (g_str_has_suffix (uri, "clicks-170.wav"));
      }
      run (&empty, "similar", "-d", db, "-m", model, "--like", " ", seed,
          NULL);
      g_assert_cmpint (empty.status, ==, 2);
      g_assert_nonnull (strstr (empty.err, "--like"));
    }
  }

  g_assert_true (g_file_set_contents (bad, "clicks-060.wav\tslow\n"
          "clicks-070.wav\tslow\tsteady\n", -1, NULL));
  run (&broken, "train", bad, "-o", model, NULL);
  g_assert_cmpint (broken.status, ==, 1);
  g_assert_nonnull (strstr (broken.err, "bad.tsv:2:"));
  g_assert_nonnull (strstr (broken.err, "one field"));

  /* Paths alone are tracks without descriptions: they train through the
   * acoustic term, with the described ones. */
  {
    g_autoptr (GString) mixed = g_string_new (NULL);
    g_autofree char *table = NULL;
    g_auto (GStrv) lines = NULL;
    g_auto (Run) some = { 0 };

    g_assert_true (g_file_get_contents (train, &table, NULL, NULL));
    lines = g_strsplit (table, "\n", -1);
    for (i = 0; lines[i]; i++) {
      if (i % 2 && strchr (lines[i], '\t'))
        *strchr (lines[i], '\t') = '\0';
      g_string_append_printf (mixed, "%s\n", lines[i]);
    }
    g_assert_true (g_file_set_contents (bad, mixed->str, -1, NULL));
    run (&some, "train", bad, "-o", model, "--epochs", "5", NULL);
    g_assert_cmpint (some.status, ==, 0);
  }
  g_unsetenv ("XDG_CACHE_HOME");
  remove_tree (dir);
}

/* A small model of the feature layout being built, with a semantic map
 * for "search"; and the demo clips indexed with it into @db. */
static char *
index_demo_with_model (const char *dir, const char *db)
{
  char *path = g_build_filename (dir, "small.smodel", NULL);
  g_autoptr (SemblanceModel) model = semblance_model_new_empty (6, 4, 100);
  g_autoptr (GError) error = NULL;
  g_auto (Run) r = { 0 };
  guint k = semblance_model_get_property_dim (model), i;

  for (i = 0; i < model->n_params; i++)
    model->params[i] = (float) sin (i * 0.37);
  for (i = 0; i < k * 100; i++)
    model->semantic_map[i] = (float) cos (i * 0.11);
  g_free (model->card.license);
  model->card.license = g_strdup ("CC0-1.0");
  g_assert_true (semblance_model_save (model, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  run (&r, "index", "-d", db, "-m", path, g_getenv ("SEMBLANCE_DEMO_DIR"),
      NULL);
  g_assert_cmpint (r.status, ==, 0);
  return path;
}

/* Tables for train and eval: a track named twice (even as "./a" and "a")
 * and values too small for a float are faults with their line; eval
 * refuses a table whose pairs would not fit in memory. */
static void
test_table_faults (void)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-cli-XXXXXX", NULL);
  g_autofree char *twice = g_build_filename (dir, "twice.tsv", NULL);
  g_autofree char *tiny = g_build_filename (dir, "tiny.tsv", NULL);
  g_autofree char *labels = g_build_filename (dir, "labels.tsv", NULL);
  g_autofree char *huge = g_build_filename (dir, "huge.tsv", NULL);
  g_autofree char *model = g_build_filename (dir, "m.smodel", NULL);
  g_autoptr (GString) lines = g_string_new (NULL);
  g_auto (Run) a = { 0 };
  g_auto (Run) b = { 0 };
  g_auto (Run) c = { 0 };
  g_auto (Run) d = { 0 };
  guint i;

  g_assert_true (g_file_set_contents (twice, "a.wav\t0.1\t0.2\n"
          "b.wav\t0.3\t0.4\n./a.wav\t0.5\t0.6\n", -1, NULL));
  run (&a, "train", twice, "-o", model, NULL);
  g_assert_cmpint (a.status, ==, 1);
  g_assert_nonnull (strstr (a.err, "twice.tsv:3: “./a.wav” appears twice "
          "(first on line 1)"));

  g_assert_true (g_file_set_contents (labels, "a.wav\tx\tcalm piano\n"
          "b.wav\ty\tloud drums\na.wav\tz\tsoft\n", -1, NULL));
  run (&b, "eval", labels, NULL);
  g_assert_cmpint (b.status, ==, 1);
  g_assert_nonnull (strstr (b.err, "labels.tsv:3: “a.wav” appears twice"));

  g_assert_true (g_file_set_contents (tiny, "a.wav\t0.5\t0.5\n"
          "# comment\nb.wav\t1e-46\t-1e-46\n", -1, NULL));
  run (&c, "train", tiny, "-o", model, NULL);
  g_assert_cmpint (c.status, ==, 1);
  g_assert_nonnull (strstr (c.err, "tiny.tsv:3: the vector's values are too "
          "small"));

  for (i = 0; i < 60000; i++)
    g_string_append_printf (lines, "t%u.wav\tl\t0.1\t0.2\n", i);
  g_assert_true (g_file_set_contents (huge, lines->str, lines->len, NULL));
  run (&d, "eval", huge, NULL);
  g_assert_cmpint (d.status, ==, 1);
  g_assert_nonnull (strstr (d.err, "60000 tracks need 43.2 GB"));
  remove_tree (dir);
}

/* A FLAC file of clicks with title and artist tags. */
static void
write_tagged (const char *path, double bpm, const char *title,
              const char *artist)
{
  g_autofree float *x = signal_clicks (22050, 3 * 22050, bpm);
  SF_INFO info = { .samplerate = 22050, .channels = 1,
    .format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16 };
  SNDFILE *f = sf_open (path, SFM_WRITE, &info);

  g_assert_nonnull (f);
  g_assert_cmpint (sf_set_string (f, SF_STR_TITLE, title), ==, 0);
  g_assert_cmpint (sf_set_string (f, SF_STR_ARTIST, artist), ==, 0);
  sf_writef_float (f, x, 3 * 22050);
  sf_close (f);
}

/* Tags and file names cannot add playlist entries or reach the terminal
 * as escape sequences. */
static void
test_hostile_tags (void)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-cli-XXXXXX", NULL);
  g_autofree char *music = g_build_filename (dir, "music", NULL);
  g_autofree char *db = g_build_filename (dir, "library.db", NULL);
  g_autofree char *list = g_build_filename (dir, "list.xspf", NULL);
  g_autofree char *seed = g_build_filename (music, "a.flac", NULL);
  g_autofree char *b = g_build_filename (music, "b.flac", NULL);
  g_autofree char *c = g_build_filename (music, "c.flac", NULL);
  g_autofree char *d = g_build_filename (music, "line\nbreak.flac", NULL);
  g_autofree char *model = NULL, *xspf = NULL;
  g_autoptr (GMarkupParseContext) xml = NULL;
  static const GMarkupParser nothing = { 0 };
  g_autoptr (GError) error = NULL;
  g_auto (Run) m3u = { 0 };
  g_auto (Run) similar = { 0 };
  g_auto (Run) x = { 0 };
  g_auto (Run) failures = { 0 };
  g_auto (GStrv) lines = NULL;
  guint i, entries = 0;

  g_assert_cmpint (g_mkdir (music, 0700), ==, 0);
  write_tagged (seed, 100, "x\n/etc/shadow", "Artist");
  write_tagged (b, 110, "y\r\nhttp://host/x.mp3", "Band");
  write_tagged (c, 120, "Title \033]0;owned\007\033[2J", "\033[31mRed");
  write_tagged (d, 130, "Plain", "Plain");
  model = index_demo_with_model (dir, db);
  {
    g_auto (Run) r = { 0 };

    run (&r, "index", "-d", db, "-m", model, music, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }

  run (&m3u, "playlist", "-d", db, "-m", model, "-n", "9", seed, NULL);
  g_assert_cmpint (m3u.status, ==, 0);
  lines = g_strsplit (m3u.out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "#EXTM3U");
  /* The header and two lines per track: #EXTINF, then what to play, a
   * file or a file:// URI that exists. */
  for (i = 1; lines[i] && lines[i][0]; i += 2) {
    g_autofree char *path = NULL;

    g_assert_true (g_str_has_prefix (lines[i], "#EXTINF:"));
    g_assert_nonnull (lines[i + 1]);
    path = g_str_has_prefix (lines[i + 1], "file://")
        ? g_filename_from_uri (lines[i + 1], NULL, NULL)
        : g_strdup (lines[i + 1]);
    g_assert_nonnull (path);
    g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    entries++;
  }
  g_assert_cmpuint (entries, ==, 10);
  g_assert_null (strchr (m3u.out, '\r'));
  g_assert_null (strstr (m3u.out, "\n/etc/shadow"));
  g_assert_null (strstr (m3u.out, "\nhttp://"));
  g_assert_nonnull (strstr (m3u.out, "line%0Abreak.flac"));
  /* The tags were read, and made printable. */
  g_assert_nonnull (strstr (m3u.out, ",x /etc/shadow — Artist\n"));
  g_assert_nonnull (strstr (m3u.out, ",y  http://host/x.mp3 — Band\n"));

  run (&similar, "similar", "-d", db, "-m", model, "-n", "9", seed, NULL);
  g_assert_cmpint (similar.status, ==, 0);
  g_assert_null (strchr (similar.out, '\033'));
  g_assert_null (strchr (similar.out, '\007'));
  g_assert_null (strchr (similar.out, '\r'));
  {
    g_auto (GStrv) rows = g_strsplit (similar.out, "\n", -1);

    g_assert_cmpuint (g_strv_length (rows), ==, 10);
  }

  run (&x, "playlist", "-d", db, "-m", model, "-f", "xspf", "-o", list, seed,
      NULL);
  g_assert_cmpint (x.status, ==, 0);
  g_assert_true (g_file_get_contents (list, &xspf, NULL, NULL));
  g_assert_null (strstr (xspf, "&#"));
  xml = g_markup_parse_context_new (&nothing, 0, NULL, NULL);
  g_assert_true (g_markup_parse_context_parse (xml, xspf, -1, &error));
  g_assert_no_error (error);

  /* A file name with an escape sequence, in the failures list. */
  {
    g_autofree char *evil = g_build_filename (music, "\033[2Jevil.mp3",
        NULL);
    g_auto (Run) r = { 0 };

    g_assert_true (g_file_set_contents (evil, "not music", -1, NULL));
    run (&r, "index", "-d", db, "-m", model, music, NULL);
    run (&failures, "failures", "-d", db, NULL);
    g_assert_cmpint (failures.status, ==, 0);
    g_assert_nonnull (strstr (failures.out, "evil.mp3"));
    g_assert_null (strchr (failures.out, '\033'));
  }
  remove_tree (dir);
}

/* A damaged database says so in every command that reads it, instead of
 * passing for an empty one. */
static void
test_corrupt_database (void)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-cli-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "library.db", NULL);
  g_autofree char *sad = demo ("sad.ogg");
  g_autofree char *bytes = NULL, *model = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (8);
  const char *commands[][2] = { { "status", NULL }, { "failures", NULL },
    { "similar", sad }, { "playlist", sad }, { "search", "calm piano" } };
  gsize len, i, start;

  model = index_demo_with_model (dir, db);
  g_assert_true (g_file_get_contents (db, &bytes, &len, NULL));
  g_assert_cmpuint (len, >, 16384);
  /* 8 KB of random bytes over the middle, as a bad sector or a bad copy
   * would leave it. */
  start = len / 2 / 4096 * 4096;
  for (i = start; i < start + 8192 && i < len; i++)
    bytes[i] = (char) g_rand_int (rand);
  g_assert_true (g_file_set_contents (db, bytes, len, NULL));

  for (i = 0; i < G_N_ELEMENTS (commands); i++) {
    g_auto (Run) r = { 0 };

    /* status and failures need no model. */
    if (i < 2)
      run (&r, commands[i][0], "-d", db, NULL);
    else
      run (&r, commands[i][0], "-d", db, "-m", model, commands[i][1], NULL);
    g_test_message ("%s: %d %s%s", commands[i][0], r.status, r.out, r.err);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "library.db"));
    g_assert_true (strstr (r.err, "malformed") || strstr (r.err, "damaged"));
    g_assert_null (strstr (r.out, "tracks         0"));
  }
  remove_tree (dir);
}

/* The commands that only read work on a database in a folder its user may
 * not write, and leave nothing there. */
static void
test_read_only_database (void)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-cli-XXXXXX", NULL);
  g_autofree char *folder = g_build_filename (dir, "ro", NULL);
  g_autofree char *db = g_build_filename (folder, "library.db", NULL);
  g_autofree char *sad = demo ("sad.ogg");
  g_autofree char *awakening = demo ("awakening.ogg");
  const char *commands[][4] = {
    { "status", NULL }, { "failures", NULL }, { "similar", sad, NULL },
    { "playlist", sad, NULL }, { "playlist", sad, "--to", awakening },
    { "search", "calm piano", NULL } };
  g_autoptr (GDir) d = NULL;
  g_autofree char *model = NULL;
  const char *name;
  gsize i;

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  model = index_demo_with_model (dir, db);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (db, 0444), ==, 0);
  g_assert_cmpint (g_chmod (folder, 0555), ==, 0);

  for (i = 0; i < G_N_ELEMENTS (commands); i++) {
    g_auto (Run) r = { 0 };

    if (i < 2)
      run_as_user (&r, commands[i][0], "-d", db, NULL);
    else
      run_as_user (&r, commands[i][0], "-d", db, "-m", model, commands[i][1],
          commands[i][2], commands[i][3], NULL);
    g_test_message ("%s: %d %s", commands[i][0], r.status, r.err);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.err, ==, i == 1 ? "no failures\n" : "");
  }
  d = g_dir_open (folder, 0, NULL);
  while ((name = g_dir_read_name (d)))
    g_assert_cmpstr (name, ==, "library.db");
  g_assert_cmpint (g_chmod (folder, 0755), ==, 0);
  remove_tree (dir);
}

/* The number of tracks "status" counts. */
static guint
count_tracks (const char *db)
{
  g_auto (Run) r = { 0 };
  const char *line;
  guint n = 0;

  run (&r, "status", "-d", db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  line = strstr (r.out, "\ntracks");
  g_assert_nonnull (line);
  g_assert_cmpint (sscanf (line + 7, "%u", &n), ==, 1);
  return n;
}

static void
copy_demo (const char *name, const char *folder)
{
  g_autofree char *src = demo (name);
  g_autofree char *dest = g_build_filename (folder, name, NULL);
  g_autofree char *bytes = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (src, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (dest, bytes, len, NULL));
}

/* Files deleted between two runs are forgotten by the next run of "index"
 * and by "prune", which analyses nothing; a folder that is gone itself (a
 * disk not mounted) keeps its tracks. */
static void
test_deleted_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-cli-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "library.db", NULL);
  g_autofree char *music = g_build_filename (dir, "music", NULL);
  g_autofree char *album = g_build_filename (music, "album", NULL);
  g_autofree char *moved = g_build_filename (dir, "unmounted", NULL);
  g_autofree char *battle = g_build_filename (album, "battle.ogg", NULL);
  g_autofree char *nebula = g_build_filename (music, "nebula.ogg", NULL);
  const char *names[] = { "battle.ogg", "sad.ogg", "awakening.ogg" };
  gsize i;

  g_assert_cmpint (g_mkdir_with_parents (album, 0755), ==, 0);
  for (i = 0; i < G_N_ELEMENTS (names); i++)
    copy_demo (names[i], album);
  copy_demo ("nebula.ogg", music);
  {
    g_auto (Run) r = { 0 };

    run (&r, "index", "-d", db, "-m", "", music, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "4 files analysed"));
    g_assert_nonnull (strstr (r.out, "0 tracks forgotten"));
  }
  g_assert_cmpuint (count_tracks (db), ==, 4);

  /* Deleted before a plain run: forgotten, and said so. */
  g_assert_cmpint (g_remove (battle), ==, 0);
  {
    g_auto (Run) r = { 0 };

    run (&r, "index", "-d", db, "-m", "", music, NULL);
    g_test_message ("%s", r.out);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "0 files analysed"));
    g_assert_nonnull (strstr (r.out, "1 track forgotten"));
  }
  g_assert_cmpuint (count_tracks (db), ==, 3);

  /* prune forgets, and analyses nothing new. */
  g_assert_cmpint (g_remove (nebula), ==, 0);
  copy_demo ("battle.ogg", music);
  {
    g_auto (Run) r = { 0 };

    run (&r, "prune", "-d", db, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "1 track forgotten (its file is gone)\n");
  }
  g_assert_cmpuint (count_tracks (db), ==, 2);

  /* The album's folder gone with its files: kept by a prune of everything
   * and by a prune of the folder, forgotten once its parent is indexed. */
  g_assert_cmpint (g_rename (album, moved), ==, 0);
  {
    g_auto (Run) all = { 0 };
    g_auto (Run) folder = { 0 };

    run (&all, "prune", "-d", db, NULL);
    g_assert_cmpstr (all.out, ==, "0 tracks forgotten (their files are gone)\n");
    run (&folder, "prune", "-d", db, album, NULL);
    g_assert_cmpint (folder.status, ==, 0);
    g_assert_cmpstr (folder.out, ==,
        "0 tracks forgotten (their files are gone)\n");
  }
  g_assert_cmpuint (count_tracks (db), ==, 2);
  {
    g_auto (Run) r = { 0 };

    run (&r, "index", "-d", db, "-m", "", music, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "1 file analysed"));
    g_assert_nonnull (strstr (r.out, "2 tracks forgotten"));
  }
  g_assert_cmpuint (count_tracks (db), ==, 1);
  remove_tree (dir);
}

/* Messages that say what is wrong, once. */
static void
test_messages (void)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-cli-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "library.db", NULL);
  g_autofree char *gone = g_build_filename (dir, "gone.ogg", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "no", "such", "x.db",
      NULL);
  g_autofree char *no_folder = g_build_filename (dir, "no-such-folder",
      NULL);
  g_autofree char *sad = demo ("sad.ogg");
  g_autofree char *model = index_demo_with_model (dir, db);
  guint tracks = count_tracks (db);

  {
    g_auto (Run) r = { 0 };

    run (&r, "similar", "-d", db, "-m", model, gone, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "gone.ogg: no such file"));
    g_assert_null (strstr (r.err, "not in the library"));
  }
  {
    g_auto (Run) r = { 0 };

    run (&r, "similar", "-d", db, "-m", model, "-n", "0", sad, NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "-n 0"));
    g_assert_null (strstr (r.err, "give one file"));
  }
  /* A folder that is not there: an error, and no track for it. */
  {
    g_auto (Run) r = { 0 };

    run (&r, "index", "-d", db, "-m", model, no_folder, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "no-such-folder: "));
    g_assert_nonnull (strstr (r.err, g_strerror (ENOENT)));
    g_assert_cmpuint (count_tracks (db), ==, tracks);
  }
  /* A database in a folder that is not there: no folders made. */
  {
    g_auto (Run) r = { 0 };
    g_autofree char *no = g_build_filename (dir, "no", NULL);

    run (&r, "index", "-d", nowhere, "-m", model, sad, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "does not exist"));
    g_assert_false (g_file_test (no, G_FILE_TEST_EXISTS));
  }
  /* An all-unknown text: its error once. */
  {
    g_auto (Run) r = { 0 };
    g_autofree char *both = NULL;
    const char *first;

    run (&r, "embed", "qzxv", NULL);
    g_assert_cmpint (r.status, ==, 1);
    both = g_strconcat (r.out, r.err, NULL);
    first = strstr (both, "qzxv”: ");
    g_assert_nonnull (first);
    g_assert_null (strstr (first + 1, "qzxv”: "));
  }
  remove_tree (dir);
}

/* Whether @text has a number of more than 9 significant digits: a
 * float's rounding noise written out. */
static gboolean
has_long_number (const char *text)
{
  const char *p;
  guint digits = 0;

  /* Leading zeros are not significant. */
  for (p = text; *p; p++) {
    if (g_ascii_isdigit (*p) && (digits > 0 || *p != '0'))
      digits++;
    else if (!g_ascii_isdigit (*p) && *p != '.' && *p != '-')
      digits = 0;
    if (digits > 9)
      return TRUE;
  }
  return FALSE;
}

/* Small things: JSON numbers without float noise, similar's JSON with the
 * duration, its lines with the JSON's similarity and distance, columns
 * that line up after "—", and the libraries a query does not load. */
static void
test_output (void)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-cli-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "library.db", NULL);
  g_autofree char *sad = demo ("sad.ogg");
  g_autofree char *model = index_demo_with_model (dir, db);
  g_autofree char *clicks = g_build_filename (dir, "clicks-060.wav", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_auto (Run) analyze = { 0 };
  g_auto (Run) index = { 0 };
  g_auto (Run) json = { 0 };
  g_auto (Run) text = { 0 };
  g_auto (GStrv) lines = NULL;
  JsonArray *results;
  glong column = -1;
  guint i, untagged = 0;

  run (&analyze, "analyze", "--json", sad, NULL);
  g_assert_cmpint (analyze.status, ==, 0);
  g_assert_false (has_long_number (analyze.out));
  g_assert_nonnull (strstr (analyze.out, "\"seconds\" : 20.0,"));
  g_assert_true (json_parser_load_from_data (parser, analyze.out, -1,
          &error));
  g_assert_no_error (error);

  /* An untagged track beside the tagged demo clips. */
  write_tracks (dir, 2);
  run (&index, "index", "-d", db, "-m", model, clicks, NULL);
  g_assert_cmpint (index.status, ==, 0);

  run (&json, "similar", "-d", db, "-m", model, "--json", sad, NULL);
  g_assert_cmpint (json.status, ==, 0);
  g_assert_false (has_long_number (json.out));
  g_assert_true (json_parser_load_from_data (parser, json.out, -1, &error));
  results = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (results), ==, 6);
  for (i = 0; i < 6; i++) {
    JsonObject *r = json_array_get_object_element (results, i);
    double expected = g_str_has_suffix (json_object_get_string_member (r,
            "uri"), ".wav") ? 4.0 : 20.0;

    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (r,
            "duration"), expected, 0.1);
  }

  /* In a UTF-8 locale, where "—" is printed as it is. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  run (&text, "similar", "-d", db, "-m", model, sad, NULL);
  g_unsetenv ("LC_ALL");
  g_assert_cmpint (text.status, ==, 0);
  lines = g_strsplit (g_strchomp (text.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  for (i = 0; lines[i]; i++) {
    JsonObject *r = json_array_get_object_element (results, i);
    const char *close = strstr (lines[i], " close in ");
    const char *distance = strstr (lines[i], "  distance ");
    g_autofree char *rank = g_strdup_printf ("%3u. %3.0f%%  ", i + 1,
        100.0 * json_object_get_double_member (r, "similarity"));
    g_autofree char *last = g_strdup_printf ("  distance %.3f",
        json_object_get_double_member (r, "distance"));
    glong at;

    /* Each line leads with what the list is ranked by, which falls down
     * the list, and ends with the distance, labelled; both are the JSON's
     * numbers, for the same tracks in the same order. */
    g_assert_true (g_str_has_prefix (lines[i], rank));
    if (i > 0)
      g_assert_cmpfloat (json_object_get_double_member (r, "similarity"), <=,
          json_object_get_double_member (json_array_get_object_element
              (results, i - 1), "similarity"));
    g_assert_nonnull (distance);
    g_assert_cmpstr (distance, ==, last);
    g_assert_nonnull (close);
    at = g_utf8_pointer_to_offset (lines[i], close);
    untagged += strstr (lines[i], "—") == NULL;
    if (column < 0)
      column = at;
    g_assert_cmpint (at, ==, column);
  }
  g_assert_cmpuint (untagged, ==, 1);

  /* A query loads none of the libraries that only decoding and analysis
   * use; an analysis does (semblance-lazy.h). The loader lists
   * each file it loads. */
  {
    const char *decoding[] = { "libsndfile.so", "libgstaudio-1.0.so",
#ifdef SEMBLANCE_HAVE_FFTW
      "libfftw3f.so",
#endif
      "libgstapp-1.0.so", "libgstpbutils-1.0.so", "libebur128.so" };
    g_auto (Run) query = { 0 };
    g_auto (Run) analysis = { 0 };
    g_auto (Run) words = { 0 };

    g_setenv ("LD_DEBUG", "files", TRUE);
    run (&query, "similar", "-d", db, "-m", model, sad, NULL);
    run (&analysis, "analyze", sad, NULL);
    run (&words, "embed", "calm piano", NULL);
    g_unsetenv ("LD_DEBUG");
    g_assert_cmpint (query.status, ==, 0);
    g_assert_cmpint (analysis.status, ==, 0);
    g_assert_cmpint (words.status, ==, 0);
    g_assert_nonnull (strstr (query.err, "libsqlite3.so"));
    /* WordNet only when text is read (semblance-wordnet.c). */
    g_assert_null (strstr (query.err, "libwordnet"));
    g_assert_nonnull (strstr (words.err, "libwordnet"));
    for (i = 0; i < G_N_ELEMENTS (decoding); i++) {
      g_assert_null (strstr (query.err, decoding[i]));
      g_assert_nonnull (strstr (analysis.err, decoding[i]));
    }
#ifndef SEMBLANCE_HAVE_FFTW
    /* The analysis computes its own FFT. */
    g_assert_null (strstr (analysis.err, "libgstfft"));
    g_assert_null (strstr (analysis.err, "libfftw3f"));
#endif
  }
  remove_tree (dir);
}

/* A FLAC file of @seconds of clicks with artist and album tags. */
static void
write_album_track (const char *path, double bpm, guint seconds,
                   const char *artist, const char *album)
{
  g_autofree float *x = signal_clicks (22050, seconds * 22050, bpm);
  SF_INFO info = { .samplerate = 22050, .channels = 1,
    .format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16 };
  SNDFILE *f = sf_open (path, SFM_WRITE, &info);

  g_assert_nonnull (f);
  g_assert_cmpint (sf_set_string (f, SF_STR_ARTIST, artist), ==, 0);
  g_assert_cmpint (sf_set_string (f, SF_STR_ALBUM, album), ==, 0);
  sf_writef_float (f, x, seconds * 22050);
  sf_close (f);
}

/* The tracks "similar --json" lists, as their JSON objects. */
static JsonArray *
similar_json (JsonParser *parser, const char *db, const char *model,
              const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_auto (Run) r = { 0 };
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) program);
  g_ptr_array_add (argv, (gpointer) "similar");
  g_ptr_array_add (argv, (gpointer) "--json");
  g_ptr_array_add (argv, (gpointer) "-d");
  g_ptr_array_add (argv, (gpointer) db);
  g_ptr_array_add (argv, (gpointer) "-m");
  g_ptr_array_add (argv, (gpointer) model);
  va_start (ap, first);
  for (arg = first; arg; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  {
    int wait_status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL,
            G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err, &wait_status,
            &error));
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0);
  }
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  return json_node_get_array (json_parser_get_root (parser));
}

static guint
count_member (JsonArray *a, const char *member, const char *value)
{
  guint i, n = 0;

  for (i = 0; i < json_array_get_length (a); i++)
    n += g_strcmp0 (json_object_get_string_member (json_array_get_object_element
            (a, i), member), value) == 0;
  return n;
}

static gboolean
lists_uri_of (JsonArray *a, const char *path)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);

  return count_member (a, "uri", uri) > 0;
}

/* The core's query options from the command line: several seeds,
 * exclusions, caps per artist and per album, the seed's album left out, a
 * duration range; --to the seed refused; a playlist's title. */
static void
test_query_options (void)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-cli-XXXXXX", NULL);
  g_autofree char *music = g_build_filename (dir, "music", NULL);
  g_autofree char *db = g_build_filename (dir, "library.db", NULL);
  g_autofree char *model = NULL;
  g_autofree char *seed = NULL, *other = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  const char *artists[] = { "Ann", "Ann", "Ann", "Ann", "Bob", "Bob", "Cat",
    "Cat", "Dan", "Dan" };
  const char *albums[] = { "One", "One", "One", "Two", "Two", "Three",
    "Three", "Four", "Four", "Five" };
  char *paths[G_N_ELEMENTS (artists)];
  JsonArray *a;
  guint i;

  g_assert_cmpint (g_mkdir (music, 0700), ==, 0);
  for (i = 0; i < G_N_ELEMENTS (artists); i++) {
    g_autofree char *name = g_strdup_printf ("t%02u.flac", i);

    paths[i] = g_build_filename (music, name, NULL);
    /* 3 to 12 seconds, tempos near each other. */
    write_album_track (paths[i], 90 + 4 * i, 3 + i, artists[i], albums[i]);
  }
  model = index_demo_with_model (dir, db);
  {
    g_auto (Run) r = { 0 };

    run (&r, "index", "-d", db, "-m", model, music, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  seed = g_strdup (paths[0]);
  other = g_strdup (paths[4]);

  /* Everything: the other 15 tracks (10 here, 6 demo clips). */
  a = similar_json (parser, db, model, "-n", "50", seed, NULL);
  g_assert_cmpuint (json_array_get_length (a), ==, 15);
  g_assert_cmpuint (count_member (a, "artist", "Ann"), ==, 3);

  a = similar_json (parser, db, model, "-n", "50", "--max-per-artist", "1",
      seed, NULL);
  g_assert_cmpuint (count_member (a, "artist", "Ann"), ==, 1);
  g_assert_cmpuint (count_member (a, "artist", "Dan"), ==, 1);
  a = similar_json (parser, db, model, "-n", "50", "--max-per-album", "1",
      seed, NULL);
  g_assert_cmpuint (count_member (a, "album", "One"), ==, 1);
  g_assert_cmpuint (count_member (a, "album", "Two"), ==, 1);
  a = similar_json (parser, db, model, "-n", "50", "--not-seed-album", seed,
      NULL);
  g_assert_cmpuint (count_member (a, "album", "One"), ==, 0);
  g_assert_cmpuint (count_member (a, "album", "Two"), ==, 2);

  /* Durations: 3 + i seconds here, 20 for the demo clips. */
  a = similar_json (parser, db, model, "-n", "50", "--min-duration", "6.5",
      "--max-duration", "10.5", seed, NULL);
  g_assert_cmpuint (json_array_get_length (a), ==, 4);
  for (i = 0; i < 4; i++) {
    double d = json_object_get_double_member (json_array_get_object_element
        (a, i), "duration");

    g_assert_cmpfloat (d, >=, 6.5);
    g_assert_cmpfloat (d, <=, 10.5);
  }

  /* Exclusions, by name or URI. */
  {
    g_autofree char *uri = g_filename_to_uri (paths[2], NULL, NULL);

    a = similar_json (parser, db, model, "-n", "50", "-x", paths[1],
        "--exclude", uri, seed, NULL);
    g_assert_cmpuint (json_array_get_length (a), ==, 13);
    g_assert_false (lists_uri_of (a, paths[1]));
    g_assert_false (lists_uri_of (a, paths[2]));
  }

  /* Several seeds: as arguments or --seed, neither among the results, and
   * the answer the library gives for both. */
  {
    g_autoptr (JsonParser) other_parser = json_parser_new ();
    JsonArray *b;
    g_autoptr (GError) error = NULL;
    g_autoptr (SemblanceLibrary) lib = semblance_library_new (db, model,
        &error);
    g_autofree char *u1 = g_filename_to_uri (seed, NULL, NULL);
    g_autofree char *u2 = g_filename_to_uri (other, NULL, NULL);
    const char *both[] = { u1, u2, NULL };
    g_autoptr (GPtrArray) expected = NULL;
    SemblanceQueryOptions o;

    g_assert_no_error (error);
    semblance_query_options_init (&o);
    o.n = 5;
    expected = semblance_library_similar (lib, both, &o, &error);
    g_assert_no_error (error);
    a = similar_json (parser, db, model, "-n", "5", seed, other, NULL);
    b = similar_json (other_parser, db, model, "-n", "5", "--seed", seed,
        "-s", other, NULL);
    g_assert_cmpuint (json_array_get_length (a), ==, 5);
    for (i = 0; i < 5; i++) {
      const char *got = json_object_get_string_member
          (json_array_get_object_element (a, i), "uri");

      g_assert_cmpstr (got, ==, ((SemblanceResult *) expected->pdata[i])->uri);
      g_assert_cmpstr (got, ==, json_object_get_string_member
          (json_array_get_object_element (b, i), "uri"));
    }
    g_assert_false (lists_uri_of (a, seed));
    g_assert_false (lists_uri_of (a, other));
  }

  /* --to the seed itself: refused. */
  {
    g_auto (Run) r = { 0 };

    run (&r, "playlist", "-d", db, "-m", model, seed, "--to", seed, NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "the seed itself"));
    g_assert_cmpstr (r.out, ==, "");
  }

  /* A title: M3U's #PLAYLIST, XSPF's <title>, and the options apply. */
  {
    g_auto (Run) m3u = { 0 };
    g_auto (Run) xspf = { 0 };
    g_auto (GStrv) lines = NULL;

    run (&m3u, "playlist", "-d", db, "-m", model, "-n", "4", "--name",
        "Evening & more", "--max-per-artist", "1", seed, NULL);
    g_assert_cmpint (m3u.status, ==, 0);
    lines = g_strsplit (m3u.out, "\n", -1);
    g_assert_cmpstr (lines[0], ==, "#EXTM3U");
    g_assert_cmpstr (lines[1], ==, "#PLAYLIST:Evening & more");
    /* The seed and 4 tracks, two lines each; of Ann's other three
     * tracks, one at most. */
    g_assert_cmpuint (g_strv_length (lines), ==, 2 + 2 * 5 + 1);
    g_assert_cmpstr (lines[3], ==, seed);
    {
      guint ann = 0;

      for (i = 5; lines[i]; i += 2)
        ann += g_str_has_suffix (lines[i], "/t01.flac")
            || g_str_has_suffix (lines[i], "/t02.flac")
            || g_str_has_suffix (lines[i], "/t03.flac");
      g_assert_cmpuint (ann, <=, 1);
    }
    run (&xspf, "playlist", "-d", db, "-m", model, "-f", "xspf", "--name",
        "Evening & more", seed, NULL);
    g_assert_cmpint (xspf.status, ==, 0);
    g_assert_nonnull (strstr (xspf.out, "xspf.org/ns/0/\">\n"
            "  <title>Evening &amp; more</title>\n  <trackList>"));
  }
  for (i = 0; i < G_N_ELEMENTS (artists); i++)
    g_free (paths[i]);
  remove_tree (dir);
}

/* Near-duplicates are folded out of results and playlists, unless
 * --keep-duplicates: of the seed, and of each other. */
static void
test_near_duplicates (void)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-cli-XXXXXX", NULL);
  g_autofree char *music = g_build_filename (dir, "music", NULL);
  g_autofree char *db = g_build_filename (dir, "library.db", NULL);
  g_autofree char *sad = g_build_filename (music, "sad.ogg", NULL);
  g_autofree char *quieter = g_build_filename (music, "sad-quieter.flac",
      NULL);
  g_autofree char *cut = g_build_filename (music, "sad-cut.flac", NULL);
  g_autofree char *model = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  const char *names[] = { "awakening.ogg", "battle.ogg", "love-theme.ogg",
    "nebula.ogg", "sad.ogg", "traveling-minstrels.ogg" };
  JsonArray *a;
  guint i;

  g_assert_cmpint (g_mkdir (music, 0700), ==, 0);
  for (i = 0; i < G_N_ELEMENTS (names); i++)
    copy_demo (names[i], music);
  write_version (sad, quieter, 0.5, 0.0);
  write_version (sad, cut, 0.9, 1.3);
  /* A database of its own: the demo clips only once. */
  {
    g_autofree char *path = g_build_filename (dir, "small.smodel", NULL);
    g_autofree char *other = g_build_filename (dir, "x", NULL);
    g_autofree char *other_db = g_build_filename (other, "x.db", NULL);
    g_auto (Run) r = { 0 };

    g_assert_cmpint (g_mkdir (other, 0700), ==, 0);
    model = index_demo_with_model (dir, other_db);
    g_assert_cmpstr (model, ==, path);
    run (&r, "index", "-d", db, "-m", model, music, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "8 files analysed"));
  }

  /* The seed's other versions are not its results... */
  a = similar_json (parser, db, model, "-n", "10", sad, NULL);
  g_assert_cmpuint (json_array_get_length (a), ==, 5);
  g_assert_false (lists_uri_of (a, quieter));
  g_assert_false (lists_uri_of (a, cut));
  /* ...unless kept. */
  a = similar_json (parser, db, model, "-n", "10", "--keep-duplicates", sad,
      NULL);
  g_assert_cmpuint (json_array_get_length (a), ==, 7);
  g_assert_true (lists_uri_of (a, quieter));
  g_assert_true (lists_uri_of (a, cut));

  /* Another seed: of the three versions, the best placed only. */
  {
    g_autofree char *nebula = g_build_filename (music, "nebula.ogg", NULL);
    guint versions = 0;

    a = similar_json (parser, db, model, "-n", "10", nebula, NULL);
    g_assert_cmpuint (json_array_get_length (a), ==, 5);
    versions = lists_uri_of (a, sad) + lists_uri_of (a, quieter)
        + lists_uri_of (a, cut);
    g_assert_cmpuint (versions, ==, 1);
    a = similar_json (parser, db, model, "-n", "10", "--keep-duplicates",
        nebula, NULL);
    g_assert_cmpuint (json_array_get_length (a), ==, 7);
  }

  /* Playlists fold them too. */
  {
    g_auto (Run) r = { 0 };

    run (&r, "playlist", "-d", db, "-m", model, "-n", "10", sad, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_null (strstr (r.out, "sad-quieter.flac"));
    g_assert_null (strstr (r.out, "sad-cut.flac"));
  }
  remove_tree (dir);
}

static void
test_usage_errors (void)
{
  g_auto (Run) none = { 0 };
  g_auto (Run) unknown = { 0 };
  g_auto (Run) decoder = { 0 };
  g_auto (Run) no_files = { 0 };
  g_auto (Run) version = { 0 };
  g_auto (Run) metric = { 0 };

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
  run (&metric, "train", "x.tsv", "-o", "x.smodel", "--metric", "rho=high",
      NULL);
  g_assert_cmpint (metric.status, ==, 2);
  g_assert_nonnull (strstr (metric.err, "\"rho=high\""));
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
  g_test_add_func ("/cli/embed-many", test_embed_many);
  g_test_add_func ("/cli/gstreamer-only-to-decode",
      test_gstreamer_only_to_decode);
  g_test_add_func ("/cli/train-eval", test_train_eval);
  g_test_add_func ("/cli/describe", test_describe);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/corrupt-database", test_corrupt_database);
  g_test_add_func ("/cli/hostile-tags", test_hostile_tags);
  g_test_add_func ("/cli/table-faults", test_table_faults);
  g_test_add_func ("/cli/read-only-database", test_read_only_database);
  g_test_add_func ("/cli/deleted-files", test_deleted_files);
  g_test_add_func ("/cli/messages", test_messages);
  g_test_add_func ("/cli/output", test_output);
  g_test_add_func ("/cli/query-options", test_query_options);
  g_test_add_func ("/cli/near-duplicates", test_near_duplicates);
  return g_test_run ();
}
