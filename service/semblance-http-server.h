/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The HTTP API and the web page, with libsoup 3: the JSON endpoints under
 * /api/ (semblance-http-api.h), the tracks' audio at /api/tracks/ID/audio
 * (semblance-track-streamer.h) and the page at / (semblance-web-page.h).
 *
 * It listens on one address. A loopback address needs no token; then
 * requests must name a loopback host (Host: 127.0.0.1, localhost...), so
 * that a web page elsewhere cannot reach the API through DNS rebinding.
 * Any other address needs a bearer token, which every request must carry:
 * as "Authorization: Bearer TOKEN", as the cookie the web page is given
 * when opened with ?token=TOKEN, or as that parameter (for players handed
 * a playlist's URLs). A request without it gets 401.
 */
#pragma once

#include "semblance-service.h"

G_BEGIN_DECLS

/* The shortest token taken: guessing one must not be practical. */
#define SEMBLANCE_HTTP_MIN_TOKEN 16

#define SEMBLANCE_TYPE_HTTP_SERVER (semblance_http_server_get_type ())
G_DECLARE_FINAL_TYPE (SemblanceHttpServer, semblance_http_server, SEMBLANCE,
                      HTTP_SERVER, GObject)

/**
 * semblance_http_server_new:
 * @address: "HOST:PORT" with HOST an IP address ("[::1]:PORT" for IPv6),
 *   PORT 0 for any free port
 * @token: (nullable): the bearer token
 *
 * Listens on @address. Fails with G_IO_ERROR_INVALID_ARGUMENT, saying
 * why, for a malformed address, a non-loopback one without @token or a
 * token shorter than SEMBLANCE_HTTP_MIN_TOKEN; or with the error of the
 * socket (the port is taken...).
 */
SemblanceHttpServer *semblance_http_server_new (SemblanceService *service,
                                                const char *address,
                                                const char *token,
                                                GError **error);

/* Where it listens: "http://HOST:PORT/". */
const char *semblance_http_server_get_url (SemblanceHttpServer *self);

G_END_DECLS
