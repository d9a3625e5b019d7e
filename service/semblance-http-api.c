/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-http-api.h"

#include <string.h>

#include "semblance-http-query.h"
#include "semblance-http-reply.h"
#include "semblance-playlist-writer.h"
#include "semblance-track-json.h"

/* Words /api/describe gives, as many as the sidebar shows. */
#define N_WORDS 3
/* Steps of /api/path without ?steps=. */
#define DEFAULT_STEPS 10

/* The parameters of each endpoint besides its query options. */
static const char *const similar_names[] = {
  "uri", "id", "count", "previous", "max-per-artist", "max-per-album",
  "exclude-seed-albums", "keep-seeds", "min-duration", "max-duration",
  "token", NULL
};
static const char *const search_names[] = {
  "q", "count", "previous", "max-per-artist", "max-per-album",
  "min-duration", "max-duration", "token", NULL
};
static const char *const describe_names[] = { "uri", "id", "token", NULL };
static const char *const path_names[] = {
  "from", "to", "steps", "token", NULL
};

/* A request waiting for the engine. */
typedef struct
{
  SoupServerMessage *msg;
  SemblanceService *service;
  SemblancePlaylistFormat format;
  char *base, *token;
} Request;

static Request *
request_new (SemblanceService *service, SoupServerMessage *msg,
             const char *base, const char *token)
{
  Request *r = g_new0 (Request, 1);

  r->msg = g_object_ref (msg);
  r->service = g_object_ref (service);
  r->format = semblance_playlist_format_for (soup_message_headers_get_list
      (soup_server_message_get_request_headers (msg), "Accept"));
  r->base = g_strdup (base);
  r->token = g_strdup (token);
  soup_server_message_pause (msg);
  return r;
}

static void
request_free (Request *r)
{
  /* The answer is set: let libsoup send it (nothing, if the client has
   * gone meanwhile). */
  soup_server_message_unpause (r->msg);
  g_object_unref (r->msg);
  g_object_unref (r->service);
  g_free (r->base);
  g_free (r->token);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

/* A track named by id (digits) or as a URI or file name: as the service
 * takes tracks. An id the index has no analysed track for fails. */
static char *
resolve_track (SemblanceService *service, const char *name, const char *arg,
               GError **error)
{
  guint64 id;

  if (!g_ascii_string_to_unsigned (arg, 10, 1, G_MAXINT64, &id, NULL))
    return g_strdup (arg);
  {
    char *uri = semblance_service_dup_track_uri (service, id);

    if (!uri)
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
          "parameter “%s”: the index has no analysed track with id %s",
          name, arg);
    return uri;
  }
}

/* The tracks of parameters @names ("uri", "id"), in that order. */
static GStrv
resolve_tracks (SemblanceService *service, SemblanceHttpQuery *q,
                const char *const *names, GError **error)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  guint i, j;

  for (i = 0; names[i]; i++) {
    g_auto (GStrv) args = semblance_http_query_get_all (q, names[i]);

    for (j = 0; args[j]; j++) {
      g_autofree char *uri = resolve_track (service, names[i], args[j],
          error);

      if (!uri)
        return NULL;
      g_strv_builder_add (b, uri);
    }
  }
  return g_strv_builder_end (b);
}

/* The query options, with previous tracks given by id as URIs (an id the
 * index no longer has cannot be among the results: it is dropped). */
static gboolean
read_options (SemblanceService *service, SemblanceHttpQuery *q,
              SemblanceServiceQuery *query, GError **error)
{
  g_autoptr (GVariant) asv = semblance_http_query_get_options (q, error);
  guint i, kept = 0;

  if (!asv || !semblance_service_query_init (query, asv, error))
    return FALSE;
  for (i = 0; query->previous && query->previous[i]; i++) {
    g_autofree char *uri = resolve_track (service, "previous",
        query->previous[i], NULL);

    g_free (query->previous[i]);
    query->previous[i] = NULL;
    if (uri)
      query->previous[kept++] = g_steal_pointer (&uri);
  }
  return TRUE;
}

static void
reply_tracks (Request *r, GPtrArray *tracks)
{
  char *text;

  if (r->format == SEMBLANCE_PLAYLIST_NONE) {
    semblance_http_reply_json (r->msg, semblance_tracks_to_json (tracks,
            r->service));
    return;
  }
  text = semblance_playlist_write (r->format, tracks, r->service, r->base,
      r->token);
  soup_server_message_set_status (r->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (r->msg, semblance_playlist_content_type
      (r->format), SOUP_MEMORY_TAKE, text, strlen (text));
}

static void
on_tracks (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (Request) r = data;
  SemblanceService *service = SEMBLANCE_SERVICE (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tracks = NULL;
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  if (tag == semblance_service_similar_async)
    tracks = semblance_service_similar_finish (service, result, &error);
  else if (tag == semblance_service_search_async)
    tracks = semblance_service_search_finish (service, result, &error);
  else
    tracks = semblance_service_path_finish (service, result, &error);
  if (tracks)
    reply_tracks (r, tracks);
  else
    semblance_http_reply_gerror (r->msg, error);
}

static gboolean
similar (SemblanceService *service, SemblanceHttpQuery *q, Request *r,
         GError **error)
{
  g_auto (SemblanceServiceQuery) query = { 0 };
  static const char *const seed_names[] = { "uri", "id", NULL };
  g_auto (GStrv) seeds = NULL;

  if (!semblance_http_query_check_names (q, similar_names, error)
      || !(seeds = resolve_tracks (service, q, seed_names, error))
      || !read_options (service, q, &query, error))
    return FALSE;
  if (!seeds[0]) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "missing parameter “uri” or “id”: the tracks to find tracks like");
    return FALSE;
  }
  semblance_service_similar_async (service, (const char *const *) seeds,
      &query, NULL, on_tracks, r);
  return TRUE;
}

static gboolean
search (SemblanceService *service, SemblanceHttpQuery *q, Request *r,
        GError **error)
{
  g_auto (SemblanceServiceQuery) query = { 0 };
  const char *text;

  if (!semblance_http_query_check_names (q, search_names, error)
      || !semblance_http_query_get (q, "q", &text, error)
      || !read_options (service, q, &query, error))
    return FALSE;
  if (!text || !*text) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "missing parameter “q”: a description of the music to find");
    return FALSE;
  }
  semblance_service_search_async (service, text, &query, NULL, on_tracks, r);
  return TRUE;
}

static void
on_described (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (Request) r = data;
  SemblanceService *service = SEMBLANCE_SERVICE (source);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) words = NULL;
  g_autoptr (SemblanceResult) track = semblance_service_describe_finish
      (service, result, &words, &error);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  guint i;

  if (!track) {
    semblance_http_reply_gerror (r->msg, error);
    return;
  }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "track");
  semblance_track_json_add (b, track, semblance_service_get_track_id
      (service, track->uri));
  json_builder_set_member_name (b, "words");
  json_builder_begin_array (b);
  for (i = 0; words[i]; i++)
    json_builder_add_string_value (b, words[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  semblance_http_reply_json (r->msg, json_builder_get_root (b));
}

static gboolean
describe (SemblanceService *service, SemblanceHttpQuery *q, Request *r,
          GError **error)
{
  static const char *const seed_names[] = { "uri", "id", NULL };
  g_auto (GStrv) tracks = NULL;

  if (!semblance_http_query_check_names (q, describe_names, error)
      || !(tracks = resolve_tracks (service, q, seed_names, error)))
    return FALSE;
  if (g_strv_length (tracks) != 1) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "give one track, as “uri” or “id”, not %u", g_strv_length (tracks));
    return FALSE;
  }
  semblance_service_describe_async (service, tracks[0], N_WORDS, NULL,
      on_described, r);
  return TRUE;
}

static gboolean
path (SemblanceService *service, SemblanceHttpQuery *q, Request *r,
      GError **error)
{
  const char *from, *to, *steps_text;
  g_autofree char *from_uri = NULL, *to_uri = NULL;
  guint64 steps = DEFAULT_STEPS;

  if (!semblance_http_query_check_names (q, path_names, error)
      || !semblance_http_query_get (q, "from", &from, error)
      || !semblance_http_query_get (q, "to", &to, error)
      || !semblance_http_query_get (q, "steps", &steps_text, error))
    return FALSE;
  if (!from || !to) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "missing parameter “%s”: a path goes from one track to another",
        from ? "to" : "from");
    return FALSE;
  }
  if (steps_text && !g_ascii_string_to_unsigned (steps_text, 10, 1,
          SEMBLANCE_SERVICE_MAX_RESULTS, &steps, NULL)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "parameter “steps”: from 1 to %u, not “%s”",
        SEMBLANCE_SERVICE_MAX_RESULTS, steps_text);
    return FALSE;
  }
  if (!(from_uri = resolve_track (service, "from", from, error))
      || !(to_uri = resolve_track (service, "to", to, error)))
    return FALSE;
  semblance_service_path_async (service, from_uri, to_uri, steps, NULL,
      on_tracks, r);
  return TRUE;
}

gboolean
semblance_http_api_handle (SemblanceService *service, SoupServerMessage *msg,
                           const char *path_name, const char *base,
                           const char *token)
{
  static const struct
  {
    const char *path;
    gboolean (*handle) (SemblanceService *, SemblanceHttpQuery *, Request *,
                        GError **);
  } endpoints[] = {
    { "/api/similar", similar },
    { "/api/search", search },
    { "/api/describe", describe },
    { "/api/path", path },
  };
  g_autoptr (SemblanceHttpQuery) q = NULL;
  g_autoptr (GError) error = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (endpoints); i++) {
    Request *r;

    if (!g_str_equal (path_name, endpoints[i].path))
      continue;
    if (!(q = semblance_http_query_parse (g_uri_get_query
                (soup_server_message_get_uri (msg)), &error))) {
      semblance_http_reply_gerror (msg, error);
      return TRUE;
    }
    r = request_new (service, msg, base, token);
    if (!endpoints[i].handle (service, q, r, &error)) {
      semblance_http_reply_gerror (msg, error);
      request_free (r);
    }
    return TRUE;
  }
  return FALSE;
}
