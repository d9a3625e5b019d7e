/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test files made from others, or changed behind a cache's back. */
#pragma once

#include <glib.h>

/* Changes byte @at of @path in place, keeping its size, inode and
 * modification time: what a cache keyed by file identity cannot see. */
void flip_in_place (const char *path, goffset at);

/* Writes @from again to @to as FLAC, @gain times as loud, without its
 * first @skip seconds: the same recording in another version. */
void write_version (const char *from, const char *to, double gain,
                    double skip);
