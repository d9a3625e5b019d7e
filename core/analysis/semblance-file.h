/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Analysing a whole file: libsndfile decodes what it can read (WAV, FLAC,
 * Ogg Vorbis and Opus, MP3, AIFF, ...) and a GStreamer decoding pipeline the
 * rest (AAC/M4A, WMA, ...). Both feed the same analyzer.
 */
#pragma once

#include <gio/gio.h>

#include "semblance-export.h"
#include "semblance-extractor.h"

G_BEGIN_DECLS

typedef enum
{
  SEMBLANCE_DECODER_AUTO,      /* libsndfile if it reads the file, else GStreamer */
  SEMBLANCE_DECODER_SNDFILE,
  SEMBLANCE_DECODER_GSTREAMER,
} SemblanceDecoder;

/* Parses "auto", "sndfile" or "gstreamer". */
SEMBLANCE_EXPORT
gboolean semblance_decoder_from_string (const char *name,
                                        SemblanceDecoder *decoder);

/**
 * semblance_analyze_file:
 * @path: a local file name (in the file system's encoding)
 * @decoder: which decoder to use
 * @cancellable: (nullable): stops the analysis early
 * @props: (out): the result
 * @error: SEMBLANCE_ERROR or G_IO_ERROR_CANCELLED; the message names the
 *   file and the reason
 *
 * Calls gst_init_check() if GStreamer is not initialised yet.
 */
SEMBLANCE_EXPORT
gboolean semblance_analyze_file (const char *path, SemblanceDecoder decoder,
                                 GCancellable *cancellable,
                                 SemblanceProperties *props, GError **error);

G_END_DECLS
