/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Indexing throughput: the same folder indexed into a fresh database with
 * one analysis thread and with two (the default on two cores), in one run;
 * tracks per minute, the speed-up, and the indexer's CPU time per track
 * against decoding alone (libsndfile, the same files, in this process).
 * The load average beside them says how idle the machine was: the
 * speed-up of two threads needs both cores.
 *
 * Usage: bench-index FOLDER
 */
#include <glib/gstdio.h>
#include <sndfile.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "semblance.h"

static double
cpu_seconds (void)
{
  struct rusage u;

  getrusage (RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec +
      u.ru_stime.tv_usec / 1e6;
}

static double
index_once (const char *folder, guint threads, guint *tracks, double *cpu)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-bench-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "library.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autoptr (SemblanceIndexer) indexer = semblance_indexer_new (db, "",
      threads);
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double cpu0 = cpu_seconds ();

  semblance_indexer_add_path (indexer, folder);
  if (!semblance_indexer_run (indexer, NULL, &error))
    g_error ("%s", error->message);
  *tracks = semblance_indexer_get_done (indexer);
  *cpu = cpu_seconds () - cpu0;
  g_unlink (db);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
  return (g_get_monotonic_time () - start) / 1e6;
}

/* CPU time to decode the files alone, as the indexer's decoder does. */
static double
decode_seconds (const char *folder)
{
  char *args[] = { (char *) folder, NULL };
  g_autoptr (GPtrArray) files = semblance_collect_audio_files (args);
  g_autofree float *buf = g_new (float, 8192 * 8);
  double cpu0 = cpu_seconds ();
  guint i;

  for (i = 0; i < files->len; i++) {
    SF_INFO info = { 0 };
    SNDFILE *f = sf_open (files->pdata[i], SFM_READ, &info);

    if (!f)
      continue;
    while (info.channels <= 8 && sf_readf_float (f, buf, 8192) > 0);
    sf_close (f);
  }
  return cpu_seconds () - cpu0;
}

/* The 1-minute load average, or -1 where there is none. */
static double
load_average (void)
{
  double load;

  return getloadavg (&load, 1) == 1 ? load : -1.0;
}

int
main (int argc, char **argv)
{
  double wall1, wall2, cpu1, cpu2, decode, load_before;
  guint n1, n2;

  if (argc != 2) {
    g_printerr ("usage: %s FOLDER\n", argv[0]);
    return 2;
  }
  gst_init (NULL, NULL);
  load_before = load_average ();
  wall1 = index_once (argv[1], 1, &n1, &cpu1);
  /* Without tracks every ratio below would be of zeros: a mistyped
   * folder printed a speed-up of 1.66x. */
  if (n1 == 0) {
    g_printerr ("%s: %s: no audio file the indexer could analyse\n",
        argv[0], argv[1]);
    return 1;
  }
  wall2 = index_once (argv[1], 2, &n2, &cpu2);
  decode = decode_seconds (argv[1]);
  g_print ("indexing %u tracks (fresh database, no model)\n", n1);
  g_print ("  1 analysis thread:  %6.1f s, %6.0f tracks per minute\n", wall1,
      n1 / wall1 * 60);
  g_print ("  2 analysis threads: %6.1f s, %6.0f tracks per minute "
      "(speed-up %.2fx)\n", wall2, n2 / wall2 * 60, wall1 / wall2);
  g_print ("  decoding alone takes %.0f%% of the indexer's CPU time (%.1f of "
      "%.1f s)\n", 100 * decode / cpu1, decode, cpu1);
  if (n1 > 0 && decode > 0)
    g_print ("  CPU per track, one thread: %.3f s, %.2fx decoding alone "
        "(%.3f s)\n", cpu1 / n1, cpu1 / decode, decode / n1);
  g_print ("  load average (1 min) before and after: %.2f, %.2f\n",
      load_before, load_average ());
  return 0;
}
