/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The watchdog of the GStreamer decoding path, for the engine and its
 * tests: how long decoding may go without audio, and in all.
 */
#pragma once

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

G_END_DECLS
