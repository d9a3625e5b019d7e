/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "gstsemblance.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  return GST_ELEMENT_REGISTER (semblance, plugin);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, semblance,
    "Measurable properties of music: tempo, key, loudness, timbre",
    plugin_init, VERSION, "LGPL", GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
