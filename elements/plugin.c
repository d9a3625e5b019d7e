/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "gstsemblance.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  return GST_ELEMENT_REGISTER (semblance, plugin);
}

/* "GPL" in builds with FFTW (meson.build). */
GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, semblance,
    "Measurable properties of music: tempo, key, loudness, timbre",
    plugin_init, VERSION, SEMBLANCE_PLUGIN_LICENSE, GST_PACKAGE_NAME,
    GST_PACKAGE_ORIGIN)
