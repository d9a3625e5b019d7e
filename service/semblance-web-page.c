/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-web-page.h"

#define RESOURCES "/org/gnome/Semblance/web/"

static const struct
{
  const char *path;
  const char *resource;
  const char *type;
} files[] = {
  { "/", "index.html", "text/html; charset=utf-8" },
  { "/semblance.js", "semblance.js", "text/javascript; charset=utf-8" },
  { "/semblance.css", "semblance.css", "text/css; charset=utf-8" },
  { "/semblance.svg", "semblance.svg", "image/svg+xml" },
};

gboolean
semblance_web_page_handle (SoupServerMessage *msg, const char *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers
      (msg);
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *resource = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (files); i++)
    if (g_str_equal (path, files[i].path))
      break;
  if (i == G_N_ELEMENTS (files))
    return FALSE;
  resource = g_strconcat (RESOURCES, files[i].resource, NULL);
  /* Compiled in: looking it up cannot fail. */
  bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE,
      NULL);
  g_assert (bytes);
  soup_message_headers_replace (headers, "Content-Security-Policy",
      "default-src 'none'; script-src 'self'; style-src 'self'; "
      "img-src 'self'; media-src 'self'; connect-src 'self'; "
      "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  soup_message_headers_replace (headers, "X-Content-Type-Options",
      "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, files[i].type, SOUP_MEMORY_COPY,
      g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return TRUE;
}
