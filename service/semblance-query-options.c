/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-query-options.h"

#include <math.h>

typedef enum
{
  OPT_COUNT,
  OPT_PREVIOUS,
  OPT_MAX_PER_ARTIST,
  OPT_MAX_PER_ALBUM,
  OPT_EXCLUDE_SEED_ALBUMS,
  OPT_KEEP_SEEDS,
  OPT_MIN_DURATION,
  OPT_MAX_DURATION,
} Option;

static const struct
{
  const char *name;
  const char *type;
} options[] = {
  [OPT_COUNT] = { "count", "u" },
  [OPT_PREVIOUS] = { "previous", "as" },
  [OPT_MAX_PER_ARTIST] = { "max-per-artist", "u" },
  [OPT_MAX_PER_ALBUM] = { "max-per-album", "u" },
  [OPT_EXCLUDE_SEED_ALBUMS] = { "exclude-seed-albums", "b" },
  [OPT_KEEP_SEEDS] = { "keep-seeds", "b" },
  [OPT_MIN_DURATION] = { "min-duration", "d" },
  [OPT_MAX_DURATION] = { "max-duration", "d" },
};

static int
find_option (const char *name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (options); i++)
    if (g_str_equal (options[i].name, name))
      return i;
  return -1;
}

const GVariantType *
semblance_service_query_option_type (const char *name)
{
  int i = find_option (name);

  return i < 0 ? NULL : G_VARIANT_TYPE (options[i].type);
}

static gboolean
check_duration (const char *name, double value, GError **error)
{
  if (isfinite (value) && value >= 0 && value <= 1e7)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
      "option “%s”: a duration is a number of seconds from 0 to 10000000, "
      "not %g", name, value);
  return FALSE;
}

static gboolean
set_option (SemblanceServiceQuery *query, Option option, GVariant *value,
            GError **error)
{
  SemblanceQueryOptions *o = &query->options;
  const char *name = options[option].name;

  switch (option) {
    case OPT_COUNT:
      o->n = g_variant_get_uint32 (value);
      if (o->n >= 1 && o->n <= SEMBLANCE_SERVICE_MAX_RESULTS)
        return TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "option “count”: from 1 to %u results, not %u",
          SEMBLANCE_SERVICE_MAX_RESULTS, o->n);
      return FALSE;
    case OPT_PREVIOUS:
      g_strfreev (query->previous);
      query->previous = g_variant_dup_strv (value, NULL);
      if (g_strv_length (query->previous) <= SEMBLANCE_SERVICE_MAX_PREVIOUS)
        return TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "option “previous”: at most %u tracks, not %u",
          SEMBLANCE_SERVICE_MAX_PREVIOUS, g_strv_length (query->previous));
      return FALSE;
    case OPT_MAX_PER_ARTIST:
      o->max_per_artist = g_variant_get_uint32 (value);
      return TRUE;
    case OPT_MAX_PER_ALBUM:
      o->max_per_album = g_variant_get_uint32 (value);
      return TRUE;
    case OPT_EXCLUDE_SEED_ALBUMS:
      o->exclude_seed_albums = g_variant_get_boolean (value);
      return TRUE;
    case OPT_KEEP_SEEDS:
      o->keep_seeds = g_variant_get_boolean (value);
      return TRUE;
    case OPT_MIN_DURATION:
      o->min_duration = g_variant_get_double (value);
      return check_duration (name, o->min_duration, error);
    case OPT_MAX_DURATION:
      o->max_duration = g_variant_get_double (value);
      return check_duration (name, o->max_duration, error);
  }
  g_assert_not_reached ();
}

gboolean
semblance_service_query_init (SemblanceServiceQuery *query, GVariant *asv,
                              GError **error)
{
  GVariantIter iter;
  const char *name;
  GVariant *value;

  semblance_query_options_init (&query->options);
  query->previous = NULL;
  if (!asv)
    return TRUE;
  g_return_val_if_fail (g_variant_is_of_type (asv, G_VARIANT_TYPE_VARDICT),
      FALSE);

  g_variant_iter_init (&iter, asv);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value)) {
    g_autoptr (GVariant) owned = value;
    int i = find_option (name);

    if (i < 0) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "unknown option “%s”", name);
      return FALSE;
    }
    if (!g_variant_is_of_type (value, G_VARIANT_TYPE (options[i].type))) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "option “%s” takes a value of type %s, not %s", name,
          options[i].type, g_variant_get_type_string (value));
      return FALSE;
    }
    if (!set_option (query, i, value, error))
      return FALSE;
  }
  if (query->options.max_duration > 0
      && query->options.min_duration > query->options.max_duration) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "option “min-duration” (%g s) is above “max-duration” (%g s)",
        query->options.min_duration, query->options.max_duration);
    return FALSE;
  }
  return TRUE;
}

void
semblance_service_query_clear (SemblanceServiceQuery *query)
{
  g_clear_pointer (&query->previous, g_strfreev);
}
