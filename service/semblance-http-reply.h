/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How the HTTP API answers: JSON bodies, and errors as JSON objects
 * {"error": {"status": 404, "message": "…"}} whose message says what was
 * wrong and why.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* 200 with @root (taken) as the body. */
void semblance_http_reply_json (SoupServerMessage *msg, JsonNode *root);

/* @status with a JSON error body. */
void semblance_http_reply_error (SoupServerMessage *msg, guint status,
                                 const char *format, ...)
    G_GNUC_PRINTF (3, 4);

/* The engine's @error as an HTTP error: 400 for bad arguments, 404 for
 * what the index does not have, 500 for the rest. */
void semblance_http_reply_gerror (SoupServerMessage *msg,
                                  const GError *error);

G_END_DECLS
