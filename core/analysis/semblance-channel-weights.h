/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The BS.1770 weight of each channel of a GStreamer audio format, for the
 * loudness meter (semblance-loudness.h).
 */
#pragma once

#include <gst/audio/audio.h>

#include "semblance-loudness.h"

/* Fills @weights (one per channel of @info): low-frequency effects
 * channels are left out; side, rear and surround channels get +1.5 dB, as
 * BS.1770-4 gives the surround channels of 5.1 and as ffmpeg's ebur128
 * filter weighs every side and rear position; all others, and channels
 * without positions, count once. */
void semblance_channel_weights_from_info (const GstAudioInfo *info,
                                          SemblanceChannelWeight *weights);
