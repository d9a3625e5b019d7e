/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The JSON endpoints of the HTTP API (service/README.md has examples):
 *
 *   /api/similar?uri=URI|id=ID…[&count=N][&previous=URI|ID…][&max-per-artist=N]…
 *   /api/search?q=TEXT[&count=N]…
 *   /api/describe?uri=URI|id=ID
 *   /api/path?from=URI|ID&to=URI|ID[&steps=N]
 *
 * with the query options of org.gnome.Semblance1 as parameters of the same
 * names. Lists are {"tracks": [...]} (semblance-track-json.h), or M3U or
 * XSPF when the Accept header asks (semblance-playlist-writer.h); describe
 * is {"track": {...}, "words": [...]}. Mistakes get a 4xx JSON error that
 * names them: an unknown parameter, a missing one, a bad value, a track
 * the index does not have.
 */
#pragma once

#include <libsoup/soup.h>

#include "semblance-service.h"

G_BEGIN_DECLS

/* Answers @msg (a GET) when @path is one of the endpoints, later when the
 * engine has answered; FALSE when it is none. @base is "http://HOST:PORT"
 * as the client named the server, for the playlists' URLs, and @token
 * (nullable) the token they carry. */
gboolean semblance_http_api_handle (SemblanceService *service,
                                    SoupServerMessage *msg,
                                    const char *path, const char *base,
                                    const char *token);

G_END_DECLS
