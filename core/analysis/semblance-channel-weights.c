/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-channel-weights.h"

static SemblanceChannelWeight
weight_of (GstAudioChannelPosition position)
{
  switch (position) {
    case GST_AUDIO_CHANNEL_POSITION_LFE1:
    case GST_AUDIO_CHANNEL_POSITION_LFE2:
      return SEMBLANCE_CHANNEL_UNUSED;
    case GST_AUDIO_CHANNEL_POSITION_REAR_LEFT:
    case GST_AUDIO_CHANNEL_POSITION_REAR_RIGHT:
    case GST_AUDIO_CHANNEL_POSITION_REAR_CENTER:
    case GST_AUDIO_CHANNEL_POSITION_SIDE_LEFT:
    case GST_AUDIO_CHANNEL_POSITION_SIDE_RIGHT:
    case GST_AUDIO_CHANNEL_POSITION_TOP_REAR_LEFT:
    case GST_AUDIO_CHANNEL_POSITION_TOP_REAR_RIGHT:
    case GST_AUDIO_CHANNEL_POSITION_TOP_REAR_CENTER:
    case GST_AUDIO_CHANNEL_POSITION_TOP_SIDE_LEFT:
    case GST_AUDIO_CHANNEL_POSITION_TOP_SIDE_RIGHT:
    case GST_AUDIO_CHANNEL_POSITION_SURROUND_LEFT:
    case GST_AUDIO_CHANNEL_POSITION_SURROUND_RIGHT:
      return SEMBLANCE_CHANNEL_SURROUND;
    default:
      return SEMBLANCE_CHANNEL_FRONT;
  }
}

void
semblance_channel_weights_from_info (const GstAudioInfo *info,
                                     SemblanceChannelWeight *weights)
{
  int c;

  for (c = 0; c < GST_AUDIO_INFO_CHANNELS (info); c++)
    weights[c] = GST_AUDIO_INFO_IS_UNPOSITIONED (info)
        ? SEMBLANCE_CHANNEL_FRONT : weight_of (GST_AUDIO_INFO_POSITION (info, c));
}
