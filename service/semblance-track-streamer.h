/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * /api/tracks/ID/audio: the file of an analysed track of the index, by its
 * id, never by a name taken from the request. It streams in pieces (a
 * large FLAC file is never held whole), answers a single byte range
 * ("Range: bytes=…", 206 with Content-Range; 416 when it lies past the
 * end) and gives the Content-Type of the file's format. An id that is not
 * a number, that the index does not have or has not analysed, or whose
 * file is gone, gets a 404.
 */
#pragma once

#include <libsoup/soup.h>

#include "semblance-service.h"

G_BEGIN_DECLS

/* Answers @msg (GET or HEAD) when @path is /api/tracks/ID/audio; FALSE
 * when it is not of that form. */
gboolean semblance_track_streamer_handle (SemblanceService *service,
                                          SoupServerMessage *msg,
                                          const char *path);

/* The Content-Type of an audio file named @file ("audio/ogg"...). */
const char *semblance_track_streamer_content_type (const char *file);

G_END_DECLS
