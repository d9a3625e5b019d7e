/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * analysis-probe [-j N] FILE…
 *
 * Analyses each file as the engine does (semblance_analyze_file(), the
 * automatic choice of decoder) and prints one TSV line per file, in the
 * order given:
 *
 *   file seconds tempo tempo_confidence pulse_clarity flags key major
 *   key_strength loudness loudness_range cpu_seconds
 *
 * (flags as semblance_flags_to_string() writes them, "-" for none;
 * cpu_seconds is the thread's CPU time, decoding included). The first
 * line, "# tempo-range MIN MAX", gives the tempo estimator's range. A file
 * that fails prints its name and "error", and the reason on standard
 * error.
 */
#include <gst/gst.h>
#include <stdio.h>
#include <time.h>

#include "semblance-file.h"
#include "semblance-tempo.h"

typedef struct
{
  const char *path;
  GString *line;
} Job;

static double
thread_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void
run_job (gpointer data, gpointer user_data)
{
  Job *job = data;
  g_autoptr (GError) error = NULL;
  SemblanceProperties p;
  double start = thread_seconds ();
  char flags[128];

  (void) user_data;
  if (!semblance_analyze_file (job->path, SEMBLANCE_DECODER_AUTO, NULL, &p,
          &error)) {
    g_string_append_printf (job->line, "%s\terror\n", job->path);
    g_printerr ("%s\n", error->message);
    return;
  }
  semblance_flags_to_string (p.flags, flags, sizeof flags);
  g_string_append_printf (job->line, "%s\t%.2f\t%.2f\t%.3f\t%.3f\t%s\t%d\t"
      "%d\t%.3f\t%.2f\t%.2f\t%.3f\n", job->path, p.seconds, p.tempo,
      p.tempo_confidence, p.pulse_clarity, flags[0] ? flags : "-", p.key,
      p.major, p.key_strength, p.loudness, p.loudness_range,
      thread_seconds () - start);
}

int
main (int argc, char **argv)
{
  int jobs = 1;
  GOptionEntry entries[] = {
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "files analysed at once", "N" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("FILE…");
  g_autoptr (GError) error = NULL;
  g_autofree Job *all = NULL;
  GThreadPool *pool;
  int i;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    return 2;
  }
  all = g_new0 (Job, argc);
  pool = g_thread_pool_new (run_job, NULL, MAX (jobs, 1), TRUE, NULL);
  for (i = 1; i < argc; i++) {
    all[i].path = argv[i];
    all[i].line = g_string_new (NULL);
    g_thread_pool_push (pool, &all[i], NULL);
  }
  g_thread_pool_free (pool, FALSE, TRUE);
  printf ("# tempo-range %g %g\n", SEMBLANCE_TEMPO_MIN_BPM,
      SEMBLANCE_TEMPO_MAX_BPM);
  for (i = 1; i < argc; i++) {
    fputs (all[i].line->str, stdout);
    g_string_free (all[i].line, TRUE);
  }
  return 0;
}
