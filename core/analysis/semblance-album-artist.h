/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The album artist of a file that libsndfile decodes: its string API has
 * no such field, so TagLib reads it (ID3v2's TPE2, the Vorbis comments'
 * ALBUMARTIST, APE's "Album Artist"), from the descriptor already open for
 * the decoding, so that the file is not opened again. Only the tags are
 * parsed, not the audio. TagLib is loaded with the first file: linked, it
 * and the C++ runtime made every process of the engine slower to start.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The album artist of the file open as @fd, in UTF-8 (g_free() it), or
 * NULL when it has none or TagLib cannot read the file. @fd stays open;
 * its duplicate shares the file position, which is moved: call when
 * nothing else reads from it at its current position. */
char *semblance_read_album_artist (int fd);

/* The same, by TagLib: the one function of the module
 * libsemblance-taglib.so, which semblance_read_album_artist() loads. */
typedef char *(*SemblanceTaglibReadAlbumArtist) (int fd);
#define SEMBLANCE_TAGLIB_READ_ALBUM_ARTIST "semblance_taglib_read_album_artist"

G_END_DECLS
