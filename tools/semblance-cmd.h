/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The subcommands of the semblance program, and what they share. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Each subcommand gets argv with argv[0] set to "semblance NAME" and returns
 * the process's exit status. */
int semblance_cmd_analyze (int argc, char **argv);
int semblance_cmd_embed (int argc, char **argv);
int semblance_cmd_train (int argc, char **argv);
int semblance_cmd_eval (int argc, char **argv);
int semblance_cmd_describe (int argc, char **argv);
int semblance_cmd_model_info (int argc, char **argv);
int semblance_cmd_index (int argc, char **argv);
int semblance_cmd_prune (int argc, char **argv);
int semblance_cmd_status (int argc, char **argv);
int semblance_cmd_failures (int argc, char **argv);
int semblance_cmd_similar (int argc, char **argv);
int semblance_cmd_playlist (int argc, char **argv);
int semblance_cmd_search (int argc, char **argv);
int semblance_cmd_mpd (int argc, char **argv);

G_END_DECLS
