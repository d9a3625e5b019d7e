/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* semblance index, status and failures: the library database. */
#include <glib-unix.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

#include "semblance-cmd.h"
#include "semblance-output.h"
#include "semblance.h"

#define BAR_WIDTH 30

typedef struct
{
  gboolean tty;
  guint last_tenth;
} Progress;

static void
on_progress (SemblanceIndexer *indexer, Progress *p)
{
  guint done = semblance_indexer_get_done (indexer);
  guint total = semblance_indexer_get_total (indexer);
  g_autofree char *file = NULL;

  g_object_get (indexer, "current-file", &file, NULL);
  if (p->tty) {
    guint filled = total ? done * BAR_WIDTH / total : BAR_WIDTH, i;
    g_autofree char *base = file ? g_path_get_basename (file) : NULL;

    fputs ("\r[", stderr);
    for (i = 0; i < BAR_WIDTH; i++)
      fputc (i < filled ? '#' : '.', stderr);
    fprintf (stderr, "] %u/%u %-40.40s", done, total, base ? base : "");
  } else if (total && done * 10 / total != p->last_tenth) {
    /* Elsewhere a plain line for every tenth. */
    p->last_tenth = done * 10 / total;
    fprintf (stderr, "indexed %u of %u files\n", done, total);
  }
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* A database named on the command line goes into a folder that is there:
 * a mistyped folder is an error, not a new tree of folders. The default
 * one's folder is made when needed. */
static gboolean
check_database_folder (const char *command, const char *database)
{
  g_autofree char *dir = NULL;

  if (!database)
    return TRUE;
  dir = g_path_get_dirname (database);
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  g_printerr ("semblance %s: %s: the folder %s does not exist\n", command,
      database, dir);
  return FALSE;
}

/* The files and folders named exist: a mistyped name is an error, not
 * a track that failed. */
static gboolean
check_paths (const char *command, char **paths)
{
  gboolean ok = TRUE;

  for (; *paths; paths++) {
    GStatBuf st;

    if (g_lstat (*paths, &st) != 0) {
      g_autofree char *display = g_filename_display_name (*paths);

      g_printerr ("semblance %s: %s: %s\n", command, display,
          g_strerror (errno));
      ok = FALSE;
    }
  }
  return ok;
}

static void
print_forgotten (guint forgotten)
{
  if (forgotten == 1)
    g_print ("1 track forgotten (its file is gone)\n");
  else
    g_print ("%u tracks forgotten (their files are gone)\n", forgotten);
}

int
semblance_cmd_index (int argc, char **argv)
{
  g_autofree char *database = NULL, *model = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceIndexer) indexer = NULL;
  gint threads = 0;
  gboolean watch = FALSE;
  Progress progress = { isatty (STDERR_FILENO), 0 };
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      "Database file (default: ~/.local/share/semblance/library.db)", "FILE" },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model,
      "Model for property vectors (default: the installed one, if any; "
      "\"\" for none)", "MODEL" },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &threads,
      "Analysis threads (default: cores less one)", "N" },
    { "watch", 'w', 0, G_OPTION_ARG_NONE, &watch,
      "Then follow the folders for changes, until interrupted", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL,
      NULL },
    { NULL }
  };
  char **a;

  context = g_option_context_new ("FOLDER|FILE… - analyse music into the "
      "library database");
  g_option_context_set_description (context,
      "Files analysed before and unchanged since (size and time) are "
      "skipped, and so are files that failed and did not change. Tracks "
      "of the folders and files given whose files are gone are forgotten. "
      "An interrupted run is finished by the next one.\n");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("semblance index: %s\n", error->message);
    return 2;
  }
  if (!args || !args[0] || threads < 0) {
    g_printerr ("semblance index: give at least one folder or file\n");
    return 2;
  }
  if (!check_database_folder ("index", database) || !check_paths ("index",
          args))
    return 1;

  indexer = semblance_indexer_new (database, model, (guint) threads);
  for (a = args; *a; a++)
    semblance_indexer_add_path (indexer, *a);
  g_signal_connect (indexer, "progress", G_CALLBACK (on_progress), &progress);
  if (!semblance_indexer_run (indexer, NULL, &error)) {
    g_printerr ("%ssemblance index: %s\n", progress.tty ? "\n" : "",
        error->message);
    return 1;
  }
  if (progress.tty && semblance_indexer_get_total (indexer))
    fputc ('\n', stderr);
  {
    guint failed = semblance_indexer_get_failures (indexer);
    guint analysed = semblance_indexer_get_done (indexer) - failed;

    g_print ("%u %s analysed, %u failed (semblance failures lists them)\n",
        analysed, analysed == 1 ? "file" : "files", failed);
  }
  print_forgotten (semblance_indexer_get_forgotten (indexer));
  if (watch) {
    g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

    semblance_indexer_watch (indexer);
    g_unix_signal_add (SIGINT, quit_loop, loop);
    g_unix_signal_add (SIGTERM, quit_loop, loop);
    g_printerr ("watching for changes (interrupt to stop)\n");
    g_main_loop_run (loop);
  }
  return 0;
}

int
semblance_cmd_prune (int argc, char **argv)
{
  g_autofree char *database = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceIndexer) indexer = NULL;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      "Database file (default: ~/.local/share/semblance/library.db)", "FILE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL,
      NULL },
    { NULL }
  };
  const char *path;
  char **a;

  context = g_option_context_new ("[FOLDER|FILE…] - forget the tracks "
      "whose files are gone");
  g_option_context_set_description (context,
      "Only among the folders and files given, or, without any, among all "
      "the tracks of the database. Nothing is analysed. A folder that is "
      "missing itself (a disk not mounted) keeps its tracks.\n");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("semblance prune: %s\n", error->message);
    return 2;
  }
  path = database ? database : semblance_store_default_path ();
  if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
    g_printerr ("semblance prune: no library database at %s yet: run "
        "“semblance index FOLDER” first\n", path);
    return 1;
  }
  indexer = semblance_indexer_new (database, "", 1);
  for (a = args; a && *a; a++)
    semblance_indexer_add_path (indexer, *a);
  if (!semblance_indexer_prune (indexer, NULL, &error)) {
    g_printerr ("semblance prune: %s\n", error->message);
    return 1;
  }
  print_forgotten (semblance_indexer_get_forgotten (indexer));
  return 0;
}

/* Parses the one option of the read-only commands, --database, and opens
 * the store for reading only, after reading every page of it: a damaged
 * database must not pass for an empty one. On failure says why and sets
 * *status to the exit status. */
static SemblanceStore *
open_for_reading (int argc, char **argv, const char *command,
                  const char *summary, char **path, int *status)
{
  g_autofree char *database = NULL;
  g_autoptr (GOptionContext) context = g_option_context_new (summary);
  g_autoptr (GError) error = NULL;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      "Database file", "FILE" },
    { NULL }
  };
  SemblanceStore *store;

  g_option_context_add_main_entries (context, entries, NULL);
  *status = 2;
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("semblance %s: %s\n", command, error->message);
    return NULL;
  }
  *status = 1;
  *path = g_strdup (database ? database : semblance_store_default_path ());
  if (!g_file_test (*path, G_FILE_TEST_EXISTS)) {
    g_printerr ("semblance %s: no library database at %s yet: run "
        "“semblance index FOLDER” first\n", command, *path);
    return NULL;
  }
  store = semblance_store_open_readonly (*path, &error);
  if (!store || !semblance_store_check (store, &error)) {
    g_printerr ("semblance %s: %s\n", command, error->message);
    g_clear_pointer (&store, semblance_store_close);
  }
  return store;
}

static void
print_model (const char *id, const char *unused, gint64 count, gpointer data)
{
  g_print ("  %-12s %" G_GINT64_FORMAT " property vectors of model %.12s\n",
      "", count, id);
}

int
semblance_cmd_status (int argc, char **argv)
{
  g_autofree char *path = NULL;
  g_autoptr (SemblanceStore) store = NULL;
  g_autoptr (GError) error = NULL;
  guint pending, analysed, failed, stale;
  GStatBuf st;
  int status;

  store = open_for_reading (argc, argv, "status",
      "- what the library database holds", &path, &status);
  if (!store)
    return status;
  semblance_store_count (store, &pending, &analysed, &failed);
  stale = semblance_store_count_stale (store);
  if (!semblance_store_take_error (store, &error)) {
    g_printerr ("semblance status: %s\n", error->message);
    return 1;
  }
  g_print ("%-14s %s (%.1f MB)\n", "database", path,
      g_stat (path, &st) == 0 ? st.st_size / 1e6 : 0.0);
  g_print ("%-14s %u\n", "tracks", pending + analysed + failed);
  g_print ("%-14s %u\n", "analysed", analysed);
  g_print ("%-14s %u\n", "failed", failed);
  g_print ("%-14s %u\n", "pending", pending);
  /* Analysed in an older feature layout: `index` analyses them again, and
   * they keep their old vectors meanwhile. */
  g_print ("%-14s %u\n", "older-layout", stale);
  g_print ("%-14s\n", "models");
  semblance_store_foreach_model (store, print_model, NULL);
  if (!semblance_store_take_error (store, &error)) {
    g_printerr ("semblance status: %s\n", error->message);
    return 1;
  }
  return 0;
}

static void
print_failure (const char *uri, const char *reason, gint64 count,
               gpointer data)
{
  g_autofree char *path = g_filename_from_uri (uri, NULL, NULL);
  g_autofree char *name = path ? g_filename_display_name (path) : NULL;
  g_autofree char *display = semblance_printable (name ? name : uri);
  g_autofree char *why = semblance_printable (reason ? reason : "");

  g_print ("%s\t%s\n", display, why);
  (*(guint *) data)++;
}

int
semblance_cmd_failures (int argc, char **argv)
{
  g_autofree char *path = NULL;
  g_autoptr (SemblanceStore) store = NULL;
  g_autoptr (GError) error = NULL;
  guint n = 0;
  int status;

  store = open_for_reading (argc, argv, "failures",
      "- files that could not be analysed, and why", &path, &status);
  if (!store)
    return status;
  semblance_store_foreach_failure (store, print_failure, &n);
  if (!semblance_store_take_error (store, &error)) {
    g_printerr ("semblance failures: %s\n", error->message);
    return 1;
  }
  if (n == 0)
    g_printerr ("no failures\n");
  return 0;
}
