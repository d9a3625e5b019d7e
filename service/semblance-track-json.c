/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-track-json.h"

char *
semblance_track_audio_path (gint64 id)
{
  return g_strdup_printf ("/api/tracks/%" G_GINT64_FORMAT "/audio", id);
}

/* JSON text is UTF-8; a tag that is not is mended, not dropped. */
static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  g_autofree char *valid = value ? g_utf8_make_valid (value, -1) : NULL;

  json_builder_set_member_name (b, name);
  if (valid)
    json_builder_add_string_value (b, valid);
  else
    json_builder_add_null_value (b);
}

void
semblance_track_json_add (JsonBuilder *b, const SemblanceResult *track,
                          gint64 id)
{
  g_autofree char *audio = semblance_track_audio_path (id);
  guint g;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, id);
  add_string (b, "uri", track->uri);
  add_string (b, "title", track->title);
  add_string (b, "artist", track->artist);
  add_string (b, "album", track->album);
  json_builder_set_member_name (b, "duration");
  json_builder_add_double_value (b, track->duration);
  json_builder_set_member_name (b, "distance");
  json_builder_add_double_value (b, track->distance);
  json_builder_set_member_name (b, "similarity");
  json_builder_add_double_value (b, track->similarity);
  json_builder_set_member_name (b, "closeness");
  json_builder_begin_object (b);
  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    json_builder_set_member_name (b, semblance_layout_group_name (g));
    json_builder_add_double_value (b, track->closeness[g]);
  }
  json_builder_end_object (b);
  if (track->matched) {
    json_builder_set_member_name (b, "matched");
    json_builder_begin_array (b);
    for (g = 0; track->matched[g]; g++)
      json_builder_add_string_value (b, track->matched[g]);
    json_builder_end_array (b);
  }
  add_string (b, "audio", audio);
  json_builder_end_object (b);
}

JsonNode *
semblance_tracks_to_json (GPtrArray *tracks, SemblanceService *service)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  guint i;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tracks");
  json_builder_begin_array (b);
  for (i = 0; i < tracks->len; i++) {
    const SemblanceResult *r = tracks->pdata[i];

    semblance_track_json_add (b, r, semblance_service_get_track_id (service,
            r->uri));
  }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
