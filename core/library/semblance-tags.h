/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A track's tags and duration: from the decoding that analyses it, or, for
 * a file analysed elsewhere, as GStreamer's discoverer reads them. */
#pragma once

#include <gst/gst.h>

#include "semblance-store.h"

G_BEGIN_DECLS

/* Fills the tags of @info from @tags: title, artist, album, album artist,
 * genre, track number, and the duration when GST_TAG_DURATION gives one. */
void semblance_track_info_set_tags (SemblanceTrackInfo *info,
                                    const GstTagList *tags);

/* Fills the tags and duration of @info for the file at @path; what cannot
 * be read stays empty (a file without tags is no error). Opens the file:
 * for one that is decoded anyway, semblance_analyze_file_tagged() gives
 * them. Calls gst_init_check() if GStreamer is not initialised yet. */
void semblance_read_tags (const char *path, SemblanceTrackInfo *info);

G_END_DECLS
