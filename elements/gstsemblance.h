/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/audio/audio.h>
#include <gst/base/gstbasetransform.h>

G_BEGIN_DECLS

#define GST_TYPE_SEMBLANCE (gst_semblance_get_type ())
G_DECLARE_FINAL_TYPE (GstSemblance, gst_semblance, GST, SEMBLANCE,
    GstBaseTransform)

GST_ELEMENT_REGISTER_DECLARE (semblance);

G_END_DECLS
