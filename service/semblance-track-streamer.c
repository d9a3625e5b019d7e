/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-track-streamer.h"

#include <string.h>

#include "semblance-http-reply.h"

#define PREFIX "/api/tracks/"
#define SUFFIX "/audio"
/* Read and sent at a time: a few milliseconds of a network's worth. */
#define CHUNK (64 * 1024)

/* By extension, as the indexer finds music (semblance-collect.h); the
 * types browsers' <audio> and players know. */
static const struct
{
  const char *extension;
  const char *type;
} types[] = {
  { "ogg", "audio/ogg" }, { "oga", "audio/ogg" }, { "opus", "audio/ogg" },
  { "flac", "audio/flac" }, { "mp3", "audio/mpeg" }, { "wav", "audio/wav" },
  { "m4a", "audio/mp4" }, { "mp4", "audio/mp4" }, { "aac", "audio/aac" },
  { "aif", "audio/aiff" }, { "aiff", "audio/aiff" },
  { "wv", "audio/x-wavpack" }, { "wma", "audio/x-ms-wma" },
  { "mka", "audio/x-matroska" }, { "webm", "audio/webm" },
};

const char *
semblance_track_streamer_content_type (const char *file)
{
  const char *dot = strrchr (file, '.');
  guint i;

  for (i = 0; dot && i < G_N_ELEMENTS (types); i++)
    if (g_ascii_strcasecmp (dot + 1, types[i].extension) == 0)
      return types[i].type;
  return "application/octet-stream";
}

/* A response on its way: opening the file, then its bytes from the
 * range's start, @left to go. */
typedef struct
{
  SoupServerMessage *msg;
  GFile *file;
  gint64 id;
  GInputStream *stream;
  GCancellable *cancellable;
  goffset left;
  gboolean busy;                /* an open, a query or a read under way */
  gboolean finished;            /* the message is done with */
} Stream;

static void
stream_free (Stream *s)
{
  g_signal_handlers_disconnect_by_data (s->msg, s);
  g_object_unref (s->msg);
  g_object_unref (s->file);
  g_clear_object (&s->stream);
  g_object_unref (s->cancellable);
  g_free (s);
}

/* Back from the file: FALSE (and @s freed) when the message is done with
 * meanwhile. */
static gboolean
stream_back (Stream *s)
{
  s->busy = FALSE;
  if (!s->finished)
    return TRUE;
  stream_free (s);
  return FALSE;
}

static void
reply_unreadable (Stream *s, const GError *error)
{
  semblance_http_reply_error (s->msg, SOUP_STATUS_NOT_FOUND,
      "track %" G_GINT64_FORMAT ": its file cannot be read: %s", s->id,
      error->message);
  soup_server_message_unpause (s->msg);
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer data)
{
  Stream *s = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = g_input_stream_read_bytes_finish
      (G_INPUT_STREAM (source), result, &error);
  SoupMessageBody *body;

  if (!stream_back (s))
    return;
  body = soup_server_message_get_response_body (s->msg);
  /* A file cut short while it streams ends the response early; the
   * client sees fewer bytes than announced. */
  if (!bytes || g_bytes_get_size (bytes) == 0) {
    if (error)
      g_warning ("track %" G_GINT64_FORMAT ": streaming stopped: %s", s->id,
          error->message);
    s->left = 0;
  } else {
    s->left -= g_bytes_get_size (bytes);
    soup_message_body_append_bytes (body, bytes);
  }
  if (s->left <= 0)
    soup_message_body_complete (body);
  soup_server_message_unpause (s->msg);
}

static void
read_next (Stream *s)
{
  if (s->left <= 0 || s->busy)
    return;
  s->busy = TRUE;
  g_input_stream_read_bytes_async (s->stream, MIN (s->left, CHUNK),
      G_PRIORITY_DEFAULT, s->cancellable, on_read, s);
}

/* One piece went out: read the next, so that one is in memory at most. */
static void
on_wrote_chunk (SoupServerMessage *msg, Stream *s)
{
  read_next (s);
}

static void
on_finished (SoupServerMessage *msg, Stream *s)
{
  s->finished = TRUE;
  g_cancellable_cancel (s->cancellable);
  if (!s->busy)
    stream_free (s);
}

/* The headers for the file's @size bytes and the request's range; FALSE
 * when the answer is complete without a body. */
static gboolean
set_headers (Stream *s, goffset size, goffset *start)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers
      (s->msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers
      (s->msg);
  g_autofree char *name = g_file_get_basename (s->file);
  const char *range = soup_message_headers_get_one (request, "Range");
  SoupRange *ranges = NULL;
  int n_ranges = 0;
  gboolean satisfiable = TRUE, single;

  *start = 0;
  s->left = size;
  soup_message_headers_replace (response, "Accept-Ranges", "bytes");
  /* libsoup parses the ranges (a header it cannot read is ignored, as
   * HTTP wants); whether they lie in the file is for us to check. */
  if (range && !soup_message_headers_get_ranges (request, size, &ranges,
          &n_ranges)) {
    range = NULL;
  } else if (range) {
    gboolean any = FALSE;
    int i;

    for (i = 0; i < n_ranges; i++) {
      ranges[i].start = MAX (ranges[i].start, 0);
      ranges[i].end = MIN (ranges[i].end, size - 1);
      any |= ranges[i].start <= ranges[i].end;
    }
    satisfiable = any;
  }
  if (!satisfiable) {
    g_autofree char *whole = g_strdup_printf ("bytes */%" G_GOFFSET_FORMAT,
        size);

    if (ranges)
      soup_message_headers_free_ranges (request, ranges);
    soup_message_headers_replace (response, "Content-Range", whole);
    semblance_http_reply_error (s->msg,
        SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE,
        "the range “%s” lies outside the file's %" G_GOFFSET_FORMAT " bytes",
        range, size);
    return FALSE;
  }
  /* Several ranges would need a multipart answer: a server may send the
   * whole file instead, and players ask for one range anyway. */
  single = range && n_ranges == 1;
  if (single) {
    *start = ranges[0].start;
    s->left = ranges[0].end - ranges[0].start + 1;
    soup_message_headers_set_content_range (response, ranges[0].start,
        ranges[0].end, size);
  }
  if (ranges)
    soup_message_headers_free_ranges (request, ranges);
  soup_server_message_set_status (s->msg, single
      ? SOUP_STATUS_PARTIAL_CONTENT : SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (response,
      semblance_track_streamer_content_type (name), NULL);
  soup_message_headers_set_encoding (response, SOUP_ENCODING_CONTENT_LENGTH);
  soup_message_headers_set_content_length (response, s->left);
  return s->left > 0 && !g_str_equal (soup_server_message_get_method
      (s->msg), "HEAD");
}

static void
on_info (GObject *source, GAsyncResult *result, gpointer data)
{
  Stream *s = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileInfo) info = g_file_input_stream_query_info_finish
      (G_FILE_INPUT_STREAM (source), result, &error);
  goffset start;

  if (!stream_back (s))
    return;
  if (!info) {
    reply_unreadable (s, error);
    return;
  }
  if (!set_headers (s, g_file_info_get_size (info), &start)) {
    soup_server_message_unpause (s->msg);
    return;
  }
  /* Seeking a file stream moves its offset: nothing to wait for. */
  if (start > 0 && !g_seekable_seek (G_SEEKABLE (s->stream), start,
          G_SEEK_SET, NULL, &error)) {
    reply_unreadable (s, error);
    return;
  }
  soup_message_body_set_accumulate (soup_server_message_get_response_body
      (s->msg), FALSE);
  g_signal_connect (s->msg, "wrote-chunk", G_CALLBACK (on_wrote_chunk), s);
  read_next (s);
}

static void
on_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  Stream *s = data;
  g_autoptr (GError) error = NULL;
  GFileInputStream *stream = g_file_read_finish (G_FILE (source), result,
      &error);

  s->stream = G_INPUT_STREAM (stream);
  if (!stream_back (s))
    return;
  if (!stream) {
    reply_unreadable (s, error);
    return;
  }
  s->busy = TRUE;
  g_file_input_stream_query_info_async (stream,
      G_FILE_ATTRIBUTE_STANDARD_SIZE, G_PRIORITY_DEFAULT, s->cancellable,
      on_info, s);
}

/* The track's id in @path, or 0 when @path is not /api/tracks/ID/audio
 * with ID all digits. */
static gint64
parse_id (const char *path, gboolean *matches)
{
  gsize length = strlen (path);
  g_autofree char *digits = NULL;
  guint64 id;

  *matches = g_str_has_prefix (path, PREFIX) && g_str_has_suffix (path,
      SUFFIX) && length > strlen (PREFIX) + strlen (SUFFIX);
  if (!*matches)
    return 0;
  digits = g_strndup (path + strlen (PREFIX), length - strlen (PREFIX)
      - strlen (SUFFIX));
  if (!g_ascii_string_to_unsigned (digits, 10, 1, G_MAXINT64, &id, NULL))
    return 0;
  return id;
}

gboolean
semblance_track_streamer_handle (SemblanceService *service,
                                 SoupServerMessage *msg, const char *path)
{
  g_autofree char *uri = NULL, *file_name = NULL;
  gboolean matches;
  gint64 id = parse_id (path, &matches);
  Stream *s;

  if (!matches)
    return FALSE;
  if (!id || !(uri = semblance_service_dup_track_uri (service, id))
      || !(file_name = g_filename_from_uri (uri, NULL, NULL))) {
    semblance_http_reply_error (msg, SOUP_STATUS_NOT_FOUND,
        "no analysed track of the index has the id in %s", path);
    return TRUE;
  }
  soup_message_headers_replace (soup_server_message_get_response_headers
      (msg), "X-Content-Type-Options", "nosniff");
  s = g_new0 (Stream, 1);
  s->msg = g_object_ref (msg);
  s->file = g_file_new_for_path (file_name);
  s->id = id;
  s->cancellable = g_cancellable_new ();
  s->busy = TRUE;
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), s);
  soup_server_message_pause (msg);
  g_file_read_async (s->file, G_PRIORITY_DEFAULT, s->cancellable, on_opened,
      s);
  return TRUE;
}
