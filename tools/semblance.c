/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* semblance: the command-line front end of the Semblance engine. */
#include <gst/gst.h>
#include <locale.h>
#include <stdio.h>

#include "semblance-cmd.h"

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
  /* Whether it may decode audio: only those initialise GStreamer, which
   * took half the time of a "similar". */
  gboolean decodes;
} Command;

static const Command commands[] = {
  { "analyze", semblance_cmd_analyze,
    "Measure tempo, key, loudness and the feature vector of audio files",
    TRUE },
  { "embed", semblance_cmd_embed,
    "Turn descriptions of music into semantic vectors and compare them" },
  { "train", semblance_cmd_train,
    "Train a model on tracks and their descriptions", TRUE },
  { "eval", semblance_cmd_eval,
    "Evaluate a model on labelled tracks against baselines", TRUE },
  { "describe", semblance_cmd_describe,
    "Say what an audio file is like, in the words the model is sure of",
    TRUE },
  { "model-info", semblance_cmd_model_info,
    "Show a model's card: what it is, its license, its origin" },
  { "index", semblance_cmd_index,
    "Analyse music folders into the library database", TRUE },
  { "prune", semblance_cmd_prune,
    "Forget the tracks whose files are gone" },
  { "status", semblance_cmd_status,
    "Show what the library database holds" },
  { "failures", semblance_cmd_failures,
    "List the files that could not be analysed, and why" },
  { "similar", semblance_cmd_similar,
    "List the tracks of the library most like a track" },
  { "playlist", semblance_cmd_playlist,
    "Write a “more like this” playlist, or a path between two tracks" },
  { "search", semblance_cmd_search,
    "Find tracks of the library by a description in words" },
  { "mpd", semblance_cmd_mpd,
    "Queue tracks like the current one in MPD, or keep its queue going" },
};

static void
usage (FILE *out)
{
  gsize i;

  fprintf (out, "Usage: semblance COMMAND [OPTION…] [ARGUMENT…]\n\n"
      "Commands:\n");
  for (i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nRun “semblance COMMAND --help” for a command's options.\n"
      "Other options: --version, --help\n");
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *prgname = NULL;
  gsize i;

  setlocale (LC_ALL, "");
  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1],
          "-h") || g_str_equal (argv[1], "help")) {
    usage (argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (g_str_equal (argv[1], "--version")) {
    g_print ("semblance " SEMBLANCE_VERSION "\n");
    return 0;
  }
  for (i = 0; i < G_N_ELEMENTS (commands); i++) {
    if (!g_str_equal (argv[1], commands[i].name))
      continue;
    if (commands[i].decodes && !gst_init_check (NULL, NULL, &error)) {
      g_printerr ("semblance: cannot initialise GStreamer: %s\n",
          error->message);
      return 1;
    }
    prgname = g_strdup_printf ("semblance %s", commands[i].name);
    g_set_prgname (prgname);
    argv[1] = prgname;
    return commands[i].run (argc - 1, argv + 1);
  }
  g_printerr ("semblance: unknown command “%s”\n\n", argv[1]);
  usage (stderr);
  return 2;
}
