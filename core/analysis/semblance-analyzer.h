/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Raw audio in any of GStreamer's interleaved formats (8 to 768 kHz, 1 to 63
 * channels) to properties: the audio is converted to mono float at
 * SEMBLANCE_ANALYSIS_RATE with GstAudioConverter, or at most rates (44.1,
 * 48, 32 kHz among them) with GStreamer's filter applied by our own
 * resampler (semblance-resampler.h), so the same music gives the same
 * features whatever its rate, sample format or channel count. Loudness
 * alone is measured before that, on every channel at the input's rate with
 * the BS.1770 weight of its position (semblance-channel-weights.h).
 */
#pragma once

#include <glib.h>
#include <gst/audio/audio.h>

#include "semblance-export.h"
#include "semblance-extractor.h"

G_BEGIN_DECLS

/* What GstAudioConverter reduces to mono at the analysis rate: up to the
 * DXD rates of studio recordings, and as many channels as its channel
 * mixer takes (fewer than 64). */
#define SEMBLANCE_MIN_RATE 8000
#define SEMBLANCE_MAX_RATE 768000
#define SEMBLANCE_MAX_CHANNELS 63

typedef struct _SemblanceAnalyzer SemblanceAnalyzer;

/* The converter the analyzer uses, from @info to mono float at
 * SEMBLANCE_ANALYSIS_RATE: no dithering, GStreamer's default resampler and
 * channel mix, equal weights for channels without positions. NULL when
 * GStreamer cannot convert @info. Float stereo of front left and right, or
 * without positions, the analyzer mixes to mono itself with the weights of
 * that mix (1/2 each), then resamples with the converter of float mono at
 * the same rate. */
SEMBLANCE_EXPORT
GstAudioConverter *semblance_analysis_converter_new (const GstAudioInfo *info);

/* Fails with SEMBLANCE_ERROR_FORMAT when @info is outside the supported range. */
SEMBLANCE_EXPORT
SemblanceAnalyzer *semblance_analyzer_new (const GstAudioInfo *info,
                                           GError **error);
SEMBLANCE_EXPORT
void semblance_analyzer_free (SemblanceAnalyzer *self);

/* Analyses @n_frames interleaved frames in the format given at creation. */
SEMBLANCE_EXPORT
void semblance_analyzer_push (SemblanceAnalyzer *self, gconstpointer data,
                              gsize n_frames);

/* A seek or a gap: see semblance_extractor_discont(). */
SEMBLANCE_EXPORT
void semblance_analyzer_discont (SemblanceAnalyzer *self);

/* A new track: every statistic is cleared. */
SEMBLANCE_EXPORT
void semblance_analyzer_reset (SemblanceAnalyzer *self);

SEMBLANCE_EXPORT
double semblance_analyzer_get_seconds (const SemblanceAnalyzer *self);

SEMBLANCE_EXPORT
void semblance_analyzer_get_properties (const SemblanceAnalyzer *self,
                                        SemblanceProperties *props);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceAnalyzer, semblance_analyzer_free)

G_END_DECLS
