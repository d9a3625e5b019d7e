/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Files changed behind a cache's back. */
#pragma once

#include <glib.h>

/* Changes byte @at of @path in place, keeping its size, inode and
 * modification time: what a cache keyed by file identity cannot see. */
void flip_in_place (const char *path, goffset at);
