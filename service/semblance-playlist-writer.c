/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-playlist-writer.h"

#include "semblance-track-json.h"

#include <string.h>

static const struct
{
  const char *type;
  SemblancePlaylistFormat format;
} types[] = {
  { "audio/x-mpegurl", SEMBLANCE_PLAYLIST_M3U },
  { "audio/mpegurl", SEMBLANCE_PLAYLIST_M3U },
  { "application/vnd.apple.mpegurl", SEMBLANCE_PLAYLIST_M3U },
  { "application/x-mpegurl", SEMBLANCE_PLAYLIST_M3U },
  { "application/xspf+xml", SEMBLANCE_PLAYLIST_XSPF },
};

/* The quality of one Accept entry's parameters ("q=0.5"), 1 without. */
static double
quality (char **params)
{
  for (; *params; params++) {
    g_autofree char *p = g_strstrip (g_strdup (*params));

    if (g_str_has_prefix (p, "q="))
      return g_ascii_strtod (p + 2, NULL);
  }
  return 1;
}

SemblancePlaylistFormat
semblance_playlist_format_for (const char *accept)
{
  g_auto (GStrv) entries = NULL;
  SemblancePlaylistFormat best = SEMBLANCE_PLAYLIST_NONE;
  double best_q = 0;
  guint i, j;

  if (!accept)
    return SEMBLANCE_PLAYLIST_NONE;
  entries = g_strsplit (accept, ",", 32);
  for (i = 0; entries[i]; i++) {
    g_auto (GStrv) parts = g_strsplit (entries[i], ";", 16);
    g_autofree char *type = g_ascii_strdown (g_strstrip (parts[0]), -1);
    double q = quality (parts + 1);

    for (j = 0; j < G_N_ELEMENTS (types); j++)
      if (g_str_equal (type, types[j].type) && q > best_q) {
        best = types[j].format;
        best_q = q;
      }
  }
  return best;
}

const char *
semblance_playlist_content_type (SemblancePlaylistFormat format)
{
  return format == SEMBLANCE_PLAYLIST_XSPF ? "application/xspf+xml"
      : "audio/x-mpegurl";
}

static char *
track_url (const SemblanceResult *t, SemblanceService *service,
           const char *base, const char *token)
{
  g_autofree char *path = semblance_track_audio_path
      (semblance_service_get_track_id (service, t->uri));
  g_autofree char *escaped = token ? g_uri_escape_string (token, NULL, TRUE)
      : NULL;

  return g_strconcat (base, path, token ? "?token=" : "", escaped, NULL);
}

/* @text with every control character (C0, DEL, C1) a space: tags come
 * from anyone, and M3U has no escapes (a line break would start an entry
 * of its own) while XML 1.0 allows no control character at all. */
static char *
printable (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_sized_new (strlen (valid));
  const char *p;

  for (p = valid; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (g_unichar_iscntrl (c))
      g_string_append_c (out, ' ');
    else
      g_string_append_unichar (out, c);
  }
  return g_string_free (out, FALSE);
}

static void
write_m3u (GString *out, const SemblanceResult *t, const char *url)
{
  g_autofree char *name = g_strdup_printf ("%s%s%s", t->title ? t->title
      : "", t->title && t->artist ? " — " : "", t->artist ? t->artist : "");
  g_autofree char *line = printable (name);

  g_string_append_printf (out, "#EXTINF:%.0f,%s\n%s\n", t->duration > 0
      ? t->duration : -1, line, url);
}

static void
write_xspf_field (GString *out, const char *element, const char *value)
{
  g_autofree char *text = NULL, *s = NULL;

  if (!value)
    return;
  text = printable (value);
  s = g_markup_escape_text (text, -1);
  g_string_append_printf (out, "      <%s>%s</%s>\n", element, s, element);
}

static void
write_xspf (GString *out, const SemblanceResult *t, const char *url)
{
  g_string_append (out, "    <track>\n");
  write_xspf_field (out, "location", url);
  write_xspf_field (out, "title", t->title);
  write_xspf_field (out, "creator", t->artist);
  write_xspf_field (out, "album", t->album);
  if (t->duration > 0)
    g_string_append_printf (out, "      <duration>%.0f</duration>\n",
        t->duration * 1000);
  g_string_append (out, "    </track>\n");
}

char *
semblance_playlist_write (SemblancePlaylistFormat format, GPtrArray *tracks,
                          SemblanceService *service, const char *base,
                          const char *token)
{
  GString *out = g_string_new (format == SEMBLANCE_PLAYLIST_XSPF
      ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n"
      "  <trackList>\n" : "#EXTM3U\n");
  guint i;

  for (i = 0; i < tracks->len; i++) {
    const SemblanceResult *t = tracks->pdata[i];
    g_autofree char *url = track_url (t, service, base, token);

    if (format == SEMBLANCE_PLAYLIST_XSPF)
      write_xspf (out, t, url);
    else
      write_m3u (out, t, url);
  }
  if (format == SEMBLANCE_PLAYLIST_XSPF)
    g_string_append (out, "  </trackList>\n</playlist>\n");
  return g_string_free (out, FALSE);
}
