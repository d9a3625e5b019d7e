/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The web page at / (web/: HTML, a script and a style sheet, compiled into
 * the daemon as a GResource, so that no file of the system is served by a
 * name from the request). The page asks the JSON API and plays
 * /api/tracks/ID/audio; its Content-Security-Policy lets it load nothing
 * from elsewhere.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Answers @msg when @path is the page or one of its files; FALSE when it
 * is none. */
gboolean semblance_web_page_handle (SoupServerMessage *msg,
                                    const char *path);

G_END_DECLS
