/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-tags.h"

#include <gst/pbutils/pbutils.h>

#include "semblance-lazy.h"

#define DISCOVER_TIMEOUT (10 * GST_SECOND)

static char *
tag_string (const GstTagList *tags, const char *tag)
{
  char *value = NULL;

  if (tags)
    gst_tag_list_get_string (tags, tag, &value);
  return value;
}

void
semblance_track_info_set_tags (SemblanceTrackInfo *info,
                               const GstTagList *tags)
{
  guint number = 0;
  guint64 duration = 0;

  info->title = tag_string (tags, GST_TAG_TITLE);
  info->artist = tag_string (tags, GST_TAG_ARTIST);
  info->album = tag_string (tags, GST_TAG_ALBUM);
  info->album_artist = tag_string (tags, GST_TAG_ALBUM_ARTIST);
  info->genre = tag_string (tags, GST_TAG_GENRE);
  if (tags && gst_tag_list_get_uint (tags, GST_TAG_TRACK_NUMBER, &number))
    info->track_number = (int) number;
  /* An unknown duration (GST_CLOCK_TIME_NONE) is 0, not 585 years. */
  if (tags && gst_tag_list_get_uint64 (tags, GST_TAG_DURATION, &duration)
      && GST_CLOCK_TIME_IS_VALID (duration))
    info->duration = (double) duration / GST_SECOND;
}

void
semblance_read_tags (const char *path, SemblanceTrackInfo *info)
{
  g_autoptr (GstDiscoverer) discoverer = NULL;
  g_autoptr (GstDiscovererInfo) found = NULL;
  g_autofree char *uri = gst_filename_to_uri (path, NULL);

  /* Tags are a bonus: without GStreamer the file keeps none. */
  if (!uri || (!gst_is_initialized () && !gst_init_check (NULL, NULL, NULL))
      || !(discoverer = gst_discoverer_new (DISCOVER_TIMEOUT, NULL)))
    return;
  found = gst_discoverer_discover_uri (discoverer, uri, NULL);
  if (!found)
    return;
  semblance_track_info_set_tags (info, gst_discoverer_info_get_tags (found));
  if (GST_CLOCK_TIME_IS_VALID (gst_discoverer_info_get_duration (found)))
    info->duration = (double) gst_discoverer_info_get_duration (found) /
        GST_SECOND;
}
