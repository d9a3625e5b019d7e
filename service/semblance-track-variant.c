/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-track-variant.h"

/* D-Bus strings are UTF-8; a tag that is not is mended, not dropped. */
static void
add_string (GVariantBuilder *b, const char *key, const char *value)
{
  g_autofree char *valid = NULL;

  if (!value)
    return;
  valid = g_utf8_make_valid (value, -1);
  g_variant_builder_add (b, "{sv}", key, g_variant_new_string (valid));
}

GVariant *
semblance_track_to_variant (const SemblanceResult *track, gint64 id)
{
  GVariantBuilder b, closeness;
  guint g;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  add_string (&b, "uri", track->uri);
  g_variant_builder_add (&b, "{sv}", "id", g_variant_new_int64 (id));
  add_string (&b, "title", track->title);
  add_string (&b, "artist", track->artist);
  add_string (&b, "album", track->album);
  g_variant_builder_add (&b, "{sv}", "duration",
      g_variant_new_double (track->duration));
  g_variant_builder_add (&b, "{sv}", "distance",
      g_variant_new_double (track->distance));
  g_variant_builder_add (&b, "{sv}", "similarity",
      g_variant_new_double (track->similarity));
  g_variant_builder_init (&closeness, G_VARIANT_TYPE ("a{sd}"));
  for (g = 0; g < SEMBLANCE_N_GROUPS; g++)
    g_variant_builder_add (&closeness, "{sd}",
        semblance_layout_group_name (g), (double) track->closeness[g]);
  g_variant_builder_add (&b, "{sv}", "closeness",
      g_variant_builder_end (&closeness));
  if (track->matched)
    g_variant_builder_add (&b, "{sv}", "matched",
        g_variant_new_strv ((const char *const *) track->matched, -1));
  return g_variant_builder_end (&b);
}

GVariant *
semblance_tracks_to_variant (GPtrArray *tracks, SemblanceService *service)
{
  GVariantBuilder b;
  guint i;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (i = 0; i < tracks->len; i++) {
    const SemblanceResult *r = tracks->pdata[i];

    g_variant_builder_add_value (&b, semblance_track_to_variant (r,
            semblance_service_get_track_id (service, r->uri)));
  }
  return g_variant_builder_end (&b);
}

static GVariant *
doubles (const float *values, guint n)
{
  g_autofree double *d = g_new (double, MAX (n, 1));
  guint i;

  for (i = 0; i < n; i++)
    d[i] = values[i];
  return g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, d, n,
      sizeof (double));
}

GVariant *
semblance_analysis_to_variant (const SemblanceServiceAnalysis *a)
{
  const SemblanceProperties *p = &a->props;
  char flags[64];
  GVariantBuilder b;
  static const struct
  {
    const char *key;
    gsize offset;
  } numbers[] = {
    { "seconds", G_STRUCT_OFFSET (SemblanceProperties, seconds) },
    { "tempo", G_STRUCT_OFFSET (SemblanceProperties, tempo) },
    { "pulse-clarity", G_STRUCT_OFFSET (SemblanceProperties, pulse_clarity) },
    { "key-strength", G_STRUCT_OFFSET (SemblanceProperties, key_strength) },
    { "loudness", G_STRUCT_OFFSET (SemblanceProperties, loudness) },
    { "loudness-range", G_STRUCT_OFFSET (SemblanceProperties,
            loudness_range) },
    { "brightness", G_STRUCT_OFFSET (SemblanceProperties, brightness) },
  };
  guint i;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  add_string (&b, "file", a->file);
  for (i = 0; i < G_N_ELEMENTS (numbers); i++)
    g_variant_builder_add (&b, "{sv}", numbers[i].key, g_variant_new_double
        (G_STRUCT_MEMBER (double, p, numbers[i].offset)));
  /* Silence has no key. */
  if (!(p->flags & SEMBLANCE_FLAG_SILENT)) {
    add_string (&b, "key", semblance_key_pitch_name (p->key));
    add_string (&b, "mode", p->major ? "major" : "minor");
  }
  add_string (&b, "flags", semblance_flags_to_string (p->flags, flags,
          sizeof flags));
  g_variant_builder_add (&b, "{sv}", "features", doubles (p->vector,
          SEMBLANCE_FEATURE_DIM));
  g_variant_builder_add (&b, "{sv}", "vector", doubles (a->vector, a->dim));
  g_variant_builder_add (&b, "{sv}", "words",
      g_variant_new_strv ((const char *const *) a->words, -1));
  return g_variant_builder_end (&b);
}
