/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-sidebar [TRACKS]: how long the sidebar holds the main loop on a
 * large library (default 100,000 synthetic tracks with vectors of the
 * default model), against the same queries made on the main thread as a
 * naive sidebar would; then while the indexer analyses copies of the demo
 * clips into the same library, reporting its progress to the sidebar.
 * Needs a display (xvfb-run) and $SEMBLANCE_DEMO_DIR. Prints the longest
 * main-loop iteration of each, their ratio, and the time until results.
 * Each longest iteration is also given in CPU time of the main thread: on
 * a machine shared with other work, an iteration's wall time includes the
 * time the thread waited for a core, which no code of ours can shorten.
 */
#include <time.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "semblance.h"
#include "semblance-store-private.h"
#include "semblance-sidebar.h"

#define QUERIES 20
#define COPIES 20

static char *
track_uri (guint i)
{
  return g_strdup_printf ("file:///music/artist-%u/album-%u/track-%u.ogg",
      i % 4000, i % 9000, i);
}

static void
fill (const char *db, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceStore) store = semblance_store_open (db, &error);
  g_autoptr (SemblanceEmbedder) embedder = semblance_embedder_new_from_file
      (NULL, &error);
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  SemblanceModel *m;
  float features[SEMBLANCE_FEATURE_DIM], vector[64];
  guint i, j;

  g_assert_no_error (error);
  m = semblance_embedder_get_model (embedder);
  semblance_store_begin (store, NULL);
  for (i = 0; i < n; i++) {
    g_auto (SemblanceTrackInfo) t = { 0 };
    gint64 id;

    t.uri = track_uri (i);
    t.size = 1000 + i;
    t.mtime = 1;
    t.duration = 120 + i % 300;
    t.artist = g_strdup_printf ("Artist %u", i % 4000);
    t.album = g_strdup_printf ("Album %u", i % 9000);
    t.title = g_strdup_printf ("Track %u", i);
    for (j = 0; j < SEMBLANCE_FEATURE_DIM; j++)
      features[j] = m->mean[j] + m->std[j] * (float) g_rand_double_range
          (rand, -1.5, 1.5);
    semblance_embedder_embed (embedder, features, 1, vector);
    id = semblance_store_put_track (store, &t, NULL);
    semblance_store_set_features (store, id, SEMBLANCE_LAYOUT_VERSION,
        features, SEMBLANCE_FEATURE_DIM, NULL);
    semblance_store_set_vector (store, id, semblance_model_get_id (m), vector,
        semblance_embedder_get_dim (embedder), NULL);
  }
  semblance_store_commit (store, NULL);
}

/* CPU time of the calling thread, in µs. */
static gint64
thread_cpu (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The longest main-thread CPU time of an iteration so far, in µs. */
static gint64 longest_cpu;

/* Runs the main loop until the sidebar shows results; returns the longest
 * iteration in ms, and adds the time until then to *wall. */
static double
until_results (SemblanceSidebar *sidebar, double *wall)
{
  gint64 start = g_get_monotonic_time (), longest = 0;

  do {
    gint64 t = g_get_monotonic_time (), c = thread_cpu ();

    g_main_context_iteration (NULL, FALSE);
    longest = MAX (longest, g_get_monotonic_time () - t);
    longest_cpu = MAX (longest_cpu, thread_cpu () - c);
  } while (semblance_sidebar_get_state (sidebar) ==
      SEMBLANCE_SIDEBAR_BUSY);
  *wall += (g_get_monotonic_time () - start) / 1e3;
  return longest / 1e3;
}

static void
on_progress (SemblanceIndexer *indexer, SemblanceSidebar *sidebar)
{
  semblance_sidebar_set_progress (sidebar, semblance_indexer_get_done
      (indexer), semblance_indexer_get_total (indexer), TRUE);
}

static void
on_indexed (GObject *source, GAsyncResult *result, gpointer done)
{
  g_autoptr (GError) error = NULL;

  if (!semblance_indexer_run_finish (SEMBLANCE_INDEXER (source), result,
          &error))
    g_printerr ("indexing: %s\n", error->message);
  *(gboolean *) done = TRUE;
}

/* Copies of the demo clips in a folder of @dir, for the indexer. */
static char *
make_music (const char *dir)
{
  const char *demo = g_getenv ("SEMBLANCE_DEMO_DIR");
  g_autoptr (GDir) d = g_dir_open (demo, 0, NULL);
  char *music = g_build_filename (dir, "music", NULL);
  const char *name;
  guint c;

  g_assert_nonnull (d);
  g_mkdir (music, 0700);
  while ((name = g_dir_read_name (d))) {
    g_autofree char *from = g_build_filename (demo, name, NULL);
    g_autofree char *contents = NULL;
    gsize length;

    if (!g_str_has_suffix (name, ".ogg")
        || !g_file_get_contents (from, &contents, &length, NULL))
      continue;
    for (c = 0; c < COPIES; c++) {
      g_autofree char *base = g_strdup_printf ("%u-%s", c, name);
      g_autofree char *to = g_build_filename (music, base, NULL);

      g_file_set_contents (to, contents, length, NULL);
    }
  }
  return music;
}

/* Queries while the indexer runs: the longest iteration, and how many
 * queries and files. */
static double
while_indexing (const char *dir, const char *db, SemblanceSidebar *sidebar,
                guint n, guint *queries, guint *files)
{
  g_autofree char *music = make_music (dir);
  g_autoptr (SemblanceIndexer) indexer = semblance_indexer_new (db, NULL, 1);
  gboolean done = FALSE;
  gint64 longest = 0;
  guint q = 0;

  semblance_indexer_add_path (indexer, music);
  g_signal_connect (indexer, "progress", G_CALLBACK (on_progress), sidebar);
  semblance_indexer_run_async (indexer, NULL, on_indexed, &done);
  while (!done) {
    gint64 t = g_get_monotonic_time (), c = thread_cpu ();
    gboolean dispatched;

    if (semblance_sidebar_get_state (sidebar) != SEMBLANCE_SIDEBAR_BUSY) {
      g_autofree char *uri = track_uri (++q * 3571 % n);

      semblance_sidebar_set_playing (sidebar, uri, NULL, NULL);
    }
    /* The work of an iteration, not the wait for one. */
    dispatched = g_main_context_iteration (NULL, FALSE);
    longest = MAX (longest, g_get_monotonic_time () - t);
    longest_cpu = MAX (longest_cpu, thread_cpu () - c);
    if (!dispatched)
      g_usleep (200);
  }
  *queries = q;
  *files = semblance_indexer_get_done (indexer);
  return longest / 1e3;
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autofree char *dir = g_dir_make_tmp ("semblance-bench-sidebar-XXXXXX",
      NULL);
  g_autofree char *db = g_build_filename (dir, "library.db", NULL);
  g_autoptr (SemblanceLibrary) lib = NULL;
  GtkWidget *window, *sidebar;
  double async_worst = 0, sync_worst = 0, first_wall = 0, wall = 0;
  double indexing_worst, query_cpu, indexing_cpu;
  gint64 t0, c0;
  guint q, indexing_queries, indexed;

  gtk_init (&argc, &argv);
  t0 = g_get_monotonic_time ();
  fill (db, n);
  g_print ("library: %u tracks written in %.1f s\n", n,
      (g_get_monotonic_time () - t0) / 1e6);
  lib = semblance_library_new (db, NULL, NULL);
  window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  sidebar = semblance_sidebar_new ();
  gtk_container_add (GTK_CONTAINER (window), sidebar);
  gtk_widget_show_all (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* The first query loads the vectors. */
  {
    g_autofree char *uri = track_uri (0);
    double longest, waited;

    semblance_sidebar_set_library (SEMBLANCE_SIDEBAR (sidebar), lib);
    t0 = g_get_monotonic_time ();
    c0 = thread_cpu ();
    semblance_sidebar_set_playing (SEMBLANCE_SIDEBAR (sidebar), uri, NULL,
        NULL);
    longest = (g_get_monotonic_time () - t0) / 1e3;
    longest_cpu = MAX (longest_cpu, thread_cpu () - c0);
    waited = until_results (SEMBLANCE_SIDEBAR (sidebar), &first_wall);
    async_worst = MAX (longest, waited);
  }
  for (q = 1; q <= QUERIES; q++) {
    g_autofree char *uri = track_uri (q * 4999 % n);
    double longest, waited;

    t0 = g_get_monotonic_time ();
    c0 = thread_cpu ();
    semblance_sidebar_set_playing (SEMBLANCE_SIDEBAR (sidebar), uri, NULL,
        NULL);
    longest = (g_get_monotonic_time () - t0) / 1e3;
    longest_cpu = MAX (longest_cpu, thread_cpu () - c0);
    waited = until_results (SEMBLANCE_SIDEBAR (sidebar), &wall);
    async_worst = MAX (async_worst, MAX (longest, waited));
  }

  query_cpu = longest_cpu / 1e3;
  longest_cpu = 0;
  indexing_worst = while_indexing (dir, db, SEMBLANCE_SIDEBAR (sidebar), n,
      &indexing_queries, &indexed);
  indexing_cpu = longest_cpu / 1e3;

  /* The baseline: the same queries on the main thread, from a library
   * opened afresh, as after the indexer wrote. */
  g_clear_object (&lib);
  lib = semblance_library_new (db, NULL, NULL);
  for (q = 1; q <= QUERIES; q++) {
    g_autofree char *uri = track_uri (q * 7919 % n);
    const char *seeds[] = { uri, NULL };
    g_autoptr (GPtrArray) found = NULL;
    SemblanceQueryOptions o;
    double took;

    semblance_sidebar_get_query_options (SEMBLANCE_SIDEBAR (sidebar), &o);
    t0 = g_get_monotonic_time ();
    found = semblance_library_similar (lib, seeds, &o, NULL);
    g_strfreev (semblance_library_describe (lib, uri, 3, NULL));
    took = (g_get_monotonic_time () - t0) / 1e3;
    sync_worst = MAX (sync_worst, took);
  }

  g_print ("first query (loads the vectors): results after %.1f ms\n",
      first_wall);
  g_print ("next %d queries: results after %.2f ms on average\n", QUERIES,
      wall / QUERIES);
  g_print ("longest main-loop iteration, the vectors loaded once: sidebar "
      "%.3f ms, queries on the main thread %.1f ms (ratio %.0f; a frame is "
      "16.7 ms)\n", async_worst, sync_worst,
      sync_worst / MAX (async_worst, 0.001));
  g_print ("  the sidebar's longest iteration in main-thread CPU time: "
      "%.3f ms\n", query_cpu);
  g_print ("while the indexer analysed %u files: %u queries, longest "
      "main-loop iteration %.3f ms (main-thread CPU %.3f ms)\n", indexed,
      indexing_queries, indexing_worst, indexing_cpu);
  gtk_widget_destroy (window);
  g_remove (db);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_remove (wal);
    g_remove (shm);
  }
  {
    g_autofree char *music = g_build_filename (dir, "music", NULL);
    g_autoptr (GDir) d = g_dir_open (music, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name (d))) {
      g_autofree char *path = g_build_filename (music, name, NULL);

      g_remove (path);
    }
    g_rmdir (music);
  }
  g_rmdir (dir);
  return 0;
}
