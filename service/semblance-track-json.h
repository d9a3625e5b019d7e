/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Tracks as the HTTP API gives them: JSON objects with the members of
 * `semblance similar --json` (uri, title, artist, album, distance,
 * closeness) and id, duration, similarity and audio, the URL that streams
 * the file (/api/tracks/ID/audio).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "semblance-service.h"

G_BEGIN_DECLS

/* The URL path of track @id's audio. */
char *semblance_track_audio_path (gint64 id);

void semblance_track_json_add (JsonBuilder *builder,
                               const SemblanceResult *track, gint64 id);

/* {"tracks": [...]} for @tracks (SemblanceResult). */
JsonNode *semblance_tracks_to_json (GPtrArray *tracks,
                                    SemblanceService *service);

G_END_DECLS
