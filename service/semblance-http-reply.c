/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-http-reply.h"

#include <gio/gio.h>
#include <string.h>

void
semblance_http_reply_json (SoupServerMessage *msg, JsonNode *root)
{
  g_autoptr (JsonNode) owned = root;
  gsize length;
  char *text = json_to_string (root, FALSE);

  length = strlen (text);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8",
      SOUP_MEMORY_TAKE, text, length);
}

static void
reply_error_literal (SoupServerMessage *msg, guint status,
                     const char *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, status);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  {
    g_autoptr (JsonNode) root = json_builder_get_root (b);

    text = json_to_string (root, FALSE);
  }
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8",
      SOUP_MEMORY_COPY, text, strlen (text));
}

void
semblance_http_reply_error (SoupServerMessage *msg, guint status,
                            const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  reply_error_literal (msg, status, message);
}

void
semblance_http_reply_gerror (SoupServerMessage *msg, const GError *error)
{
  guint status = SOUP_STATUS_INTERNAL_SERVER_ERROR;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
    status = SOUP_STATUS_BAD_REQUEST;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    status = SOUP_STATUS_NOT_FOUND;
  reply_error_literal (msg, status, error->message);
}
