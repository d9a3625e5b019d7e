/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * semblanced: the session service. It opens the library, serves the HTTP
 * API when asked to, exports org.gnome.Semblance1 and then takes its bus
 * name, so that a caller the bus started it for finds the object there.
 * SIGINT and SIGTERM stop the index run between two files, then the
 * daemon.
 */
#include <glib-unix.h>
#include <gst/gst.h>
#include <locale.h>
#include <stdio.h>

#include "semblance-dbus-object.h"
#include "semblance-http-server.h"
#include "semblance-service.h"

#define BUS_NAME "org.gnome.Semblance1"

typedef struct
{
  GMainLoop *loop;
  int status;
  char *database, *model, *http, *token;
  int threads;
  SemblanceService *service;
  SemblanceHttpServer *http_server;
  SemblanceDBusObject *object;
  guint owner;
} Daemon;

static void
daemon_fail (Daemon *d, int status, const char *format, ...)
    G_GNUC_PRINTF (3, 4);

static void
daemon_fail (Daemon *d, int status, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("semblanced: %s\n", message);
  d->status = status;
  g_main_loop_quit (d->loop);
}

static void
on_indexing (SemblanceService *service, GParamSpec *pspec, Daemon *d)
{
  gboolean indexing;

  g_object_get (service, "indexing", &indexing, NULL);
  if (!indexing)
    g_main_loop_quit (d->loop);
}

static gboolean
on_signal (gpointer data)
{
  Daemon *d = data;
  gboolean indexing = FALSE;

  if (!d->service) {
    g_main_loop_quit (d->loop);
    return G_SOURCE_CONTINUE;
  }
  /* What was analysed is kept; the run ends at the next file. */
  g_object_get (d->service, "indexing", &indexing, NULL);
  if (!indexing) {
    g_main_loop_quit (d->loop);
    return G_SOURCE_CONTINUE;
  }
  g_signal_connect (d->service, "notify::indexing",
      G_CALLBACK (on_indexing), d);
  semblance_service_close (d->service);
  return G_SOURCE_CONTINUE;
}

static void
on_name_acquired (GDBusConnection *connection, const char *name,
                  gpointer data)
{
  g_debug ("%s acquired", name);
}

static void
on_name_lost (GDBusConnection *connection, const char *name, gpointer data)
{
  Daemon *d = data;

  if (!connection || g_dbus_connection_is_closed (connection))
    daemon_fail (d, 1, "the session bus went away");
  else
    daemon_fail (d, 1, "another process owns %s on this bus: there is one "
        "semblanced per session", name);
}

static void
on_bus (GObject *source, GAsyncResult *result, gpointer data)
{
  Daemon *d = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) bus = g_bus_get_finish (result, &error);

  if (!bus) {
    daemon_fail (d, 1, "no session bus: %s", error->message);
    return;
  }
  d->object = semblance_dbus_object_new (d->service);
  if (!semblance_dbus_object_export (d->object, bus, &error)) {
    daemon_fail (d, 1, "cannot export %s: %s", SEMBLANCE_DBUS_OBJECT_PATH,
        error->message);
    return;
  }
  /* The bus ending ends the daemon through on_name_lost(), not exit(). */
  g_dbus_connection_set_exit_on_close (bus, FALSE);
  d->owner = g_bus_own_name_on_connection (bus, BUS_NAME,
      G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE, on_name_acquired, on_name_lost,
      d, NULL);
}

static void
on_service (GObject *source, GAsyncResult *result, gpointer data)
{
  Daemon *d = data;
  g_autoptr (GError) error = NULL;

  d->service = semblance_service_new_finish (result, &error);
  if (!d->service) {
    daemon_fail (d, 1, "%s", error->message);
    return;
  }
  if (d->http) {
    d->http_server = semblance_http_server_new (d->service, d->http,
        d->token, &error);
    if (!d->http_server) {
      daemon_fail (d, g_error_matches (error, G_IO_ERROR,
              G_IO_ERROR_INVALID_ARGUMENT) ? 2 : 1, "--http=%s: %s", d->http,
          error->message);
      return;
    }
    /* Scripts that start the daemon with port 0 read the port here. */
    printf ("semblanced: HTTP API and web page at %s\n",
        semblance_http_server_get_url (d->http_server));
    fflush (stdout);
  }
  g_bus_get (G_BUS_TYPE_SESSION, NULL, on_bus, d);
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  gboolean version = FALSE;
  Daemon d = { 0 };
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &d.database,
      "Library database (default: the user's)", "FILE" },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &d.model,
      "Model (default: the installed one)", "MODEL" },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &d.threads,
      "Analysis threads (default: cores less one)", "N" },
    { "http", 0, 0, G_OPTION_ARG_STRING, &d.http,
      "Serve the HTTP API and the web page at this address "
      "(such as 127.0.0.1:8080)", "HOST:PORT" },
    { "http-token", 0, 0, G_OPTION_ARG_STRING, &d.token,
      "Bearer token every HTTP request must carry (needed for an address "
      "other than loopback)", "TOKEN" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version",
      NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("- “more like this” for every player of "
      "the session (org.gnome.Semblance1)");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("semblanced: %s\n", error->message);
    return 2;
  }
  if (version) {
    g_print ("semblanced " SEMBLANCE_VERSION "\n");
    return 0;
  }
  if (argc > 1 || d.threads < 0 || (d.token && !d.http)) {
    g_printerr ("semblanced: %s\n", argc > 1 ? "takes no arguments, only "
        "options" : d.threads < 0 ? "--threads: give 0 or more"
        : "--http-token needs --http");
    return 2;
  }
  if (!gst_init_check (NULL, NULL, &error)) {
    g_printerr ("semblanced: cannot initialise GStreamer: %s\n",
        error->message);
    return 1;
  }

  d.loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, &d);
  g_unix_signal_add (SIGTERM, on_signal, &d);
  semblance_service_new_async (d.database, d.model, d.threads, NULL,
      on_service, &d);
  g_main_loop_run (d.loop);

  if (d.owner)
    g_bus_unown_name (d.owner);
  g_clear_object (&d.object);
  g_clear_object (&d.http_server);
  if (d.service)
    g_signal_handlers_disconnect_by_data (d.service, &d);
  g_clear_object (&d.service);
  g_main_loop_unref (d.loop);
  g_free (d.database);
  g_free (d.model);
  g_free (d.http);
  g_free (d.token);
  return d.status;
}
