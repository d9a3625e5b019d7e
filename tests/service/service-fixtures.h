/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the service's tests share: the command line's answers, the daemon
 * started on its own, copies of the demo clips. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Runs `semblance ARGS…` ($SEMBLANCE_PROGRAM), asserting it exits 0;
 * returns its standard output. */
char *cli_run (const char *first, ...) G_GNUC_NULL_TERMINATED;

/* The same, its output parsed as JSON (the caller unrefs the node). */
JsonNode *cli_json (const char *first, ...) G_GNUC_NULL_TERMINATED;

/* The lines of an M3U playlist that name tracks, as file URIs. */
GStrv m3u_uris (const char *m3u);

/* Saves the default model ($SEMBLANCE_MODEL) at @path with the words
 * calibrated so that it is confident of "sad" for every track (p 0.73)
 * and never of "metal" (p 0.27), and points $SEMBLANCE_MODEL at it: the
 * default model calibrates no word, so with it no answer has words. */
void use_confident_model (const char *path);

/* A copy of demo clip @name at @path. */
void copy_demo (const char *name, const char *path);

/* A GSubprocess launcher whose children get SIGTERM when the test dies,
 * so that a failed test leaves no daemon behind. */
GSubprocessLauncher *launcher_new (GSubprocessFlags flags);

/* semblanced ($SEMBLANCED) with @argv (NULL-terminated, after the
 * program), its standard output piped (its errors go to the test's). */
GSubprocess *daemon_spawn (const char *const *argv);

/* The URL the daemon prints when its HTTP server listens. */
char *daemon_read_url (GSubprocess *daemon);

/* Stops the daemon with SIGTERM and asserts that it exits 0. */
void daemon_stop (GSubprocess *daemon);

G_END_DECLS
