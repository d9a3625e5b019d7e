/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-http-server.h"

#include <string.h>

#include "semblance-http-api.h"
#include "semblance-http-query.h"
#include "semblance-http-reply.h"
#include "semblance-track-streamer.h"
#include "semblance-web-page.h"

#define COOKIE "semblance-token"

struct _SemblanceHttpServer
{
  GObject parent;

  SemblanceService *service;
  SoupServer *server;
  char *token;                  /* NULL on loopback without one */
  char *url;
};

G_DEFINE_FINAL_TYPE (SemblanceHttpServer, semblance_http_server,
                     G_TYPE_OBJECT)

/* Whether @a and @b are equal, in a time that does not tell how much of a
 * guess was right. */
static gboolean
same_token (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b), i;
  guint8 diff = la != lb;

  for (i = 0; i < lb; i++)
    diff |= (guint8) (i < la ? a[i] : 0) ^ (guint8) b[i];
  return diff == 0;
}

/* The host of a Host header ("127.0.0.1:8080", "[::1]:8080",
 * "localhost"), without the port. */
static char *
host_name (const char *host)
{
  const char *end;

  if (host[0] == '[')
    return (end = strchr (host, ']')) ? g_strndup (host + 1, end - host - 1)
        : g_strdup (host);
  end = strrchr (host, ':');
  return end ? g_strndup (host, end - host) : g_strdup (host);
}

static gboolean
is_loopback_name (const char *host)
{
  g_autofree char *name = host ? host_name (host) : NULL;
  g_autoptr (GInetAddress) address = NULL;

  if (!name)
    return FALSE;
  if (g_ascii_strcasecmp (name, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (name);
  return address && g_inet_address_get_is_loopback (address);
}

/* The token the request carries, if it is the right one: in the
 * Authorization header, the page's cookie or the query. @in_query tells
 * which. */
static gboolean
authorised (SemblanceHttpServer *self, SoupServerMessage *msg,
            SemblanceHttpQuery *query, gboolean *in_query)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers
      (msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  const char *cookie = soup_message_headers_get_one (headers, "Cookie");
  const char *given = NULL;

  *in_query = FALSE;
  if (auth && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0
      && same_token (auth + 7, self->token))
    return TRUE;
  if (cookie) {
    GHashTable *cookies = soup_header_parse_semi_param_list (cookie);
    const char *value = g_hash_table_lookup (cookies, COOKIE);
    gboolean ok = value && same_token (value, self->token);

    soup_header_free_param_list (cookies);
    if (ok)
      return TRUE;
  }
  if (semblance_http_query_get (query, "token", &given, NULL) && given
      && same_token (given, self->token)) {
    *in_query = TRUE;
    return TRUE;
  }
  return FALSE;
}

static void
on_request (SoupServer *server, SoupServerMessage *msg, const char *path,
            GHashTable *form, gpointer data)
{
  SemblanceHttpServer *self = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers
      (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *host = soup_message_headers_get_one (headers, "Host");
  g_autoptr (SemblanceHttpQuery) query = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *base = NULL;
  gboolean in_query = FALSE;

  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD")) {
    soup_message_headers_replace (soup_server_message_get_response_headers
        (msg), "Allow", "GET, HEAD");
    semblance_http_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
        "%s: this server only answers GET and HEAD", method);
    return;
  }
  if (!(query = semblance_http_query_parse (g_uri_get_query
              (soup_server_message_get_uri (msg)), &error))) {
    semblance_http_reply_gerror (msg, error);
    return;
  }
  if (!self->token && !is_loopback_name (host)) {
    semblance_http_reply_error (msg, SOUP_STATUS_FORBIDDEN,
        "this server answers requests for 127.0.0.1, [::1] or localhost "
        "only, not for “%s”", host ? host : "");
    return;
  }
  if (self->token && !authorised (self, msg, query, &in_query)) {
    soup_message_headers_replace (soup_server_message_get_response_headers
        (msg), "WWW-Authenticate", "Bearer realm=\"semblanced\"");
    semblance_http_reply_error (msg, SOUP_STATUS_UNAUTHORIZED,
        "this server needs its token: send “Authorization: Bearer TOKEN”, "
        "or open the page as /?token=TOKEN");
    return;
  }
  /* The page opened with ?token= keeps it as a cookie for its requests
   * and its audio, which cannot send a header. */
  if (in_query && g_str_equal (path, "/")) {
    g_autofree char *cookie = g_strdup_printf ("%s=%s; Path=/; HttpOnly; "
        "SameSite=Strict", COOKIE, self->token);

    soup_message_headers_append (soup_server_message_get_response_headers
        (msg), "Set-Cookie", cookie);
  }

  base = host && *host ? g_strconcat ("http://", host, NULL)
      : g_strndup (self->url, strlen (self->url) - 1);
  if (semblance_http_api_handle (self->service, msg, path, base,
          self->token)
      || semblance_track_streamer_handle (self->service, msg, path)
      || semblance_web_page_handle (msg, path))
    return;
  semblance_http_reply_error (msg, SOUP_STATUS_NOT_FOUND,
      "nothing here: %s", path);
}

/* libsoup refuses a request it cannot take (a bad %-escape, an escaped
 * "/" or ".." in its path) with a bare 400 before any handler sees it:
 * give it the API's JSON error too; under /api/tracks/, a 404, since no
 * track has such a URL. */
static void
on_got_headers (SoupServerMessage *msg, gpointer data)
{
  GUri *uri = soup_server_message_get_uri (msg);

  if (soup_server_message_get_status (msg) != SOUP_STATUS_BAD_REQUEST)
    return;
  if (uri && g_str_has_prefix (g_uri_get_path (uri), "/api/tracks/"))
    semblance_http_reply_error (msg, SOUP_STATUS_NOT_FOUND,
        "no track of the index has the URL %s", g_uri_get_path (uri));
  else
    semblance_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
        "malformed request: its path, query or headers cannot be read "
        "(a bad %%-escape, or an escaped “/” or “..”)");
}

static void
on_request_started (SoupServer *server, SoupServerMessage *msg,
                    gpointer data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), NULL);
}

/* @address as HOST and PORT, HOST an IP address. */
static GSocketAddress *
parse_address (const char *address, GError **error)
{
  const char *colon = strrchr (address, ':');
  g_autofree char *host = NULL;
  g_autoptr (GInetAddress) inet = NULL;
  guint64 port;

  if (!colon || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port,
          NULL)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "“%s” is not HOST:PORT (such as 127.0.0.1:8080, or [::1]:8080)",
        address);
    return NULL;
  }
  host = g_strndup (address, colon - address);
  if (host[0] == '[' && host[strlen (host) - 1] == ']') {
    memmove (host, host + 1, strlen (host) - 2);
    host[strlen (host) - 2] = '\0';
  }
  if (!(inet = g_inet_address_new_from_string (host))) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "“%s” is not an IP address: give one, such as 127.0.0.1 or [::1]",
        host);
    return NULL;
  }
  return g_inet_socket_address_new (inet, port);
}

static gboolean
check_token (const char *token, GError **error)
{
  const char *c;

  if (strlen (token) < SEMBLANCE_HTTP_MIN_TOKEN) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "the token is too short to be safe: give at least %d characters "
        "(for example from “openssl rand -hex 16”)",
        SEMBLANCE_HTTP_MIN_TOKEN);
    return FALSE;
  }
  /* It travels in headers, cookies and URLs. */
  for (c = token; *c; c++)
    if (!g_ascii_isalnum (*c) && !strchr ("-._~", *c)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "the token may hold letters, digits and “-._~” only");
      return FALSE;
    }
  return TRUE;
}

SemblanceHttpServer *
semblance_http_server_new (SemblanceService *service, const char *address,
                           const char *token, GError **error)
{
  g_autoptr (SemblanceHttpServer) self = NULL;
  g_autoptr (GSocketAddress) socket_address = parse_address (address, error);
  GSList *uris;

  if (!socket_address)
    return NULL;
  if (!token && !g_inet_address_get_is_loopback (g_inet_socket_address_get_address
          (G_INET_SOCKET_ADDRESS (socket_address)))) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "%s is not a loopback address: anyone who reaches it could read "
        "and play your library; give --http-token=TOKEN too, a secret "
        "that every request must carry", address);
    return NULL;
  }
  if (token && !check_token (token, error))
    return NULL;

  self = g_object_new (SEMBLANCE_TYPE_HTTP_SERVER, NULL);
  self->service = g_object_ref (service);
  self->token = g_strdup (token);
  self->server = soup_server_new ("server-header", "semblanced ", NULL);
  soup_server_add_handler (self->server, NULL, on_request, self, NULL);
  g_signal_connect (self->server, "request-started",
      G_CALLBACK (on_request_started), NULL);
  if (!soup_server_listen (self->server, socket_address, 0, error))
    return NULL;
  uris = soup_server_get_uris (self->server);
  self->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return g_steal_pointer (&self);
}

const char *
semblance_http_server_get_url (SemblanceHttpServer *self)
{
  return self->url;
}

static void
semblance_http_server_dispose (GObject *object)
{
  SemblanceHttpServer *self = SEMBLANCE_HTTP_SERVER (object);

  if (self->server)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->service);
  G_OBJECT_CLASS (semblance_http_server_parent_class)->dispose (object);
}

static void
semblance_http_server_finalize (GObject *object)
{
  SemblanceHttpServer *self = SEMBLANCE_HTTP_SERVER (object);

  g_free (self->token);
  g_free (self->url);
  G_OBJECT_CLASS (semblance_http_server_parent_class)->finalize (object);
}

static void
semblance_http_server_class_init (SemblanceHttpServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = semblance_http_server_dispose;
  G_OBJECT_CLASS (klass)->finalize = semblance_http_server_finalize;
}

static void
semblance_http_server_init (SemblanceHttpServer *self)
{
}
