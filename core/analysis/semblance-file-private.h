/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The watchdog of the GStreamer decoding path, for the engine and its
 * tests: how long decoding may go without audio, and in all.
 */
#pragma once

#include <gst/audio/audio.h>
#include <gst/gst.h>

#include "semblance-analyzer-private.h"
#include "semblance-file.h"

G_BEGIN_DECLS

typedef struct
{
  /* No audio for this long while a streaming thread is at work. */
  GTimeSpan stall_timeout;
  /* No audio for this long while no streaming thread is at work. */
  GTimeSpan idle_timeout;
  /* The whole decoding: overall_base plus a second per
   * overall_bytes_per_second of the file's size. */
  GTimeSpan overall_base;
  goffset overall_bytes_per_second;
} SemblanceDecodeLimits;

/* What semblance_analyze_file() uses. */
extern const SemblanceDecodeLimits semblance_decode_limits_default;

/* semblance_analyze_file() with other limits. Their faults are
 * SEMBLANCE_ERROR_DECODE, with the reason. */
gboolean semblance_analyze_file_with_limits (const char *path,
                                             SemblanceDecoder decoder,
                                             const SemblanceDecodeLimits *limits,
                                             GCancellable *cancellable,
                                             SemblanceProperties *props,
                                             GError **error);

/* semblance_analyze_file() that also hands back what the same decoding
 * read of the file besides its audio, so that nothing opens it again for
 * them. @tap (nullable) is given the audio as the analysis reads it (see
 * SemblanceAudioTap), so that what else is measured of it needs no
 * decoding and no conversion of its own (one decoding gives all of it: the
 * GStreamer pipeline only where libsndfile cannot open the file).
 * @tags (out, transfer full, never NULL on success) holds the title,
 * artist, album, album artist, genre and track number the file has, as
 * libsndfile's strings or the GStreamer pipeline's tag messages give them,
 * and GST_TAG_DURATION: what the GStreamer pipeline's duration query
 * answers, else the length of the audio decoded. Calls gst_init_check() if
 * GStreamer is not initialised yet. */
gboolean semblance_analyze_file_tagged (const char *path,
                                        SemblanceDecoder decoder,
                                        GCancellable *cancellable,
                                        SemblanceAudioTap tap,
                                        gpointer tap_data,
                                        SemblanceProperties *props,
                                        GstTagList **tags, GError **error);

G_END_DECLS
