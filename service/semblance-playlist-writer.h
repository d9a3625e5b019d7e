/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The HTTP API's lists as playlists for other players, when the request's
 * Accept header asks for one: M3U (audio/x-mpegurl, audio/mpegurl,
 * application/vnd.apple.mpegurl) or XSPF (application/xspf+xml). Each
 * entry is the URL that streams the track from this server.
 */
#pragma once

#include "semblance-service.h"

G_BEGIN_DECLS

typedef enum
{
  SEMBLANCE_PLAYLIST_NONE,      /* JSON */
  SEMBLANCE_PLAYLIST_M3U,
  SEMBLANCE_PLAYLIST_XSPF,
} SemblancePlaylistFormat;

/* The format the Accept header @accept (nullable) prefers: the playlist
 * type of highest quality, JSON when it names none. */
SemblancePlaylistFormat semblance_playlist_format_for (const char *accept);

/* The Content-Type of @format's playlists. */
const char *semblance_playlist_content_type (SemblancePlaylistFormat format);

/* @tracks (SemblanceResult) as a playlist whose URLs start with @base
 * ("http://host:port") and carry @token (nullable) for the players that
 * cannot send a header. */
char *semblance_playlist_write (SemblancePlaylistFormat format,
                                GPtrArray *tracks, SemblanceService *service,
                                const char *base, const char *token);

G_END_DECLS
