/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "service-fixtures.h"

#include <signal.h>

#include "semblance.h"
#include <string.h>
#include <sys/prctl.h>

static char *
cli_run_va (const char *first, va_list ap)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  const char *arg;
  int status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("SEMBLANCE_PROGRAM"));
  for (arg = first; arg; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL,
          G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("semblance %s failed: %s", first, err);
  return out;
}

char *
cli_run (const char *first, ...)
{
  va_list ap;
  char *out;

  va_start (ap, first);
  out = cli_run_va (first, ap);
  va_end (ap);
  return out;
}

JsonNode *
cli_json (const char *first, ...)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  va_list ap;

  va_start (ap, first);
  out = cli_run_va (first, ap);
  va_end (ap);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

GStrv
m3u_uris (const char *m3u)
{
  g_auto (GStrv) lines = g_strsplit (m3u, "\n", -1);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  guint i;

  for (i = 0; lines[i]; i++) {
    g_autofree char *uri = NULL;

    if (!lines[i][0] || lines[i][0] == '#')
      continue;
    uri = g_filename_to_uri (lines[i], NULL, NULL);
    g_assert_nonnull (uri);
    g_strv_builder_add (b, uri);
  }
  return g_strv_builder_end (b);
}

void
copy_demo (const char *name, const char *path)
{
  g_autofree char *from = g_build_filename (g_getenv ("SEMBLANCE_DEMO_DIR"),
      name, NULL);
  g_autoptr (GFile) source = g_file_new_for_path (from);
  g_autoptr (GFile) dest = g_file_new_for_path (path);
  g_autoptr (GFile) parent = g_file_get_parent (dest);
  g_autoptr (GError) error = NULL;

  if (!g_file_make_directory_with_parents (parent, NULL, &error))
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (g_file_copy (source, dest, G_FILE_COPY_OVERWRITE, NULL,
          NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

GSubprocessLauncher *
launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL,
      NULL);
  return launcher;
}

GSubprocess *
daemon_spawn (const char *const *argv)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_autoptr (GSubprocessLauncher) launcher = launcher_new
      (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GError) error = NULL;
  GSubprocess *daemon;

  g_ptr_array_add (args, (gpointer) g_getenv ("SEMBLANCED"));
  for (; *argv; argv++)
    g_ptr_array_add (args, (gpointer) *argv);
  g_ptr_array_add (args, NULL);
  daemon = g_subprocess_launcher_spawnv (launcher, (const char *const *)
      args->pdata, &error);
  g_assert_no_error (error);
  return daemon;
}

char *
daemon_read_url (GSubprocess *daemon)
{
  g_autoptr (GDataInputStream) out = g_data_input_stream_new
      (g_subprocess_get_stdout_pipe (daemon));
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;
  const char *at;

  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (out),
      FALSE);
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

  g_assert_no_error (error);
  if (!line)
    g_error ("semblanced printed no URL (its error is above)");
  at = strstr (line, " at http://");
  g_assert_nonnull (at);
  return g_strdup (at + 4);
}

void
daemon_stop (GSubprocess *daemon)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_send_signal (daemon, SIGTERM);
  g_assert_true (g_subprocess_wait (daemon, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (daemon));
  g_assert_cmpint (g_subprocess_get_exit_status (daemon), ==, 0);
}

void
use_confident_model (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceModel) model = semblance_model_load (g_getenv
      ("SEMBLANCE_MODEL"), &error);
  SemblanceWordCalibration sad = { g_strdup ("sad"), 0.0, 1.0 };
  SemblanceWordCalibration metal = { g_strdup ("metal"), 0.0, -1.0 };

  g_assert_no_error (error);
  g_array_append_val (model->calibrations, sad);
  g_array_append_val (model->calibrations, metal);
  g_assert_true (semblance_model_save (model, path, &error));
  g_assert_no_error (error);
  g_setenv ("SEMBLANCE_MODEL", path, TRUE);
}
