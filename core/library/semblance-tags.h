/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A track's tags and duration, as GStreamer's discoverer reads them. */
#pragma once

#include "semblance-store.h"

G_BEGIN_DECLS

/* Fills the tags and duration of @info for the file at @path; what cannot
 * be read stays empty (a file without tags is no error). Calls
 * gst_init_check() if GStreamer is not initialised yet. */
void semblance_read_tags (const char *path, SemblanceTrackInfo *info);

G_END_DECLS
