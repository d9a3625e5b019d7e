/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Audio files made from others. */
#pragma once

#include <glib.h>

/* Writes @from again to @to as FLAC, @gain times as loud, without its
 * first @skip seconds: the same recording in another version. */
void write_version (const char *from, const char *to, double gain,
                    double skip);
