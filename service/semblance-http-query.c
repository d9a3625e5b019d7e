/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-http-query.h"

#include <math.h>
#include <string.h>

#include "semblance-query-options.h"

/* Fields past this are refused: no request of the API needs them. */
#define MAX_FIELDS 2048

struct _SemblanceHttpQuery
{
  GPtrArray *names, *values;
};

void
semblance_http_query_free (SemblanceHttpQuery *query)
{
  g_ptr_array_unref (query->names);
  g_ptr_array_unref (query->values);
  g_free (query);
}

static int
hex (char c)
{
  return g_ascii_isxdigit (c) ? g_ascii_xdigit_value (c) : -1;
}

/* One name or value, decoded; NULL when an escape is bad or the text is
 * not UTF-8. */
static char *
decode (const char *s, gsize length)
{
  GString *out = g_string_sized_new (length);
  gsize i;

  for (i = 0; i < length; i++) {
    if (s[i] == '+') {
      g_string_append_c (out, ' ');
    } else if (s[i] == '%') {
      int high = i + 2 < length ? hex (s[i + 1]) : -1;
      int low = high >= 0 ? hex (s[i + 2]) : -1;

      /* %00 too: a NUL would cut the text short. */
      if (low < 0 || (high | low) == 0) {
        g_string_free (out, TRUE);
        return NULL;
      }
      g_string_append_c (out, (char) (high << 4 | low));
      i += 2;
    } else {
      g_string_append_c (out, s[i]);
    }
  }
  if (!g_utf8_validate_len (out->str, out->len, NULL)) {
    g_string_free (out, TRUE);
    return NULL;
  }
  return g_string_free (out, FALSE);
}

SemblanceHttpQuery *
semblance_http_query_parse (const char *query, GError **error)
{
  g_autoptr (SemblanceHttpQuery) q = g_new0 (SemblanceHttpQuery, 1);
  const char *field = query, *end;

  q->names = g_ptr_array_new_with_free_func (g_free);
  q->values = g_ptr_array_new_with_free_func (g_free);
  while (field && *field) {
    const char *eq;
    char *name, *value;

    end = strchr (field, '&');
    if (!end)
      end = field + strlen (field);
    if (end == field) {
      field = end + 1;
      continue;
    }
    eq = memchr (field, '=', end - field);
    name = decode (field, (eq ? eq : end) - field);
    value = eq ? decode (eq + 1, end - eq - 1) : g_strdup ("");
    if (!name || !value) {
      g_autofree char *raw = g_strndup (field, MIN (end - field, 80));

      g_free (name);
      g_free (value);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "query field “%s”: a bad %%-escape, or text that is not UTF-8",
          raw);
      return NULL;
    }
    if (q->names->len == MAX_FIELDS) {
      g_free (name);
      g_free (value);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "more than %d query fields", MAX_FIELDS);
      return NULL;
    }
    g_ptr_array_add (q->names, name);
    g_ptr_array_add (q->values, value);
    field = *end ? end + 1 : end;
  }
  return g_steal_pointer (&q);
}

gboolean
semblance_http_query_check_names (SemblanceHttpQuery *query,
                                  const char *const *names, GError **error)
{
  guint i;

  for (i = 0; i < query->names->len; i++) {
    const char *name = query->names->pdata[i];

    if (!g_strv_contains (names, name)) {
      g_autofree char *known = g_strjoinv (", ", (char **) names);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "unknown parameter “%s” (this endpoint takes %s)", name, known);
      return FALSE;
    }
  }
  return TRUE;
}

gboolean
semblance_http_query_get (SemblanceHttpQuery *query, const char *name,
                          const char **value, GError **error)
{
  guint i;

  *value = NULL;
  for (i = 0; i < query->names->len; i++) {
    if (!g_str_equal (query->names->pdata[i], name))
      continue;
    if (*value) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "parameter “%s” is given more than once", name);
      return FALSE;
    }
    *value = query->values->pdata[i];
  }
  return TRUE;
}

GStrv
semblance_http_query_get_all (SemblanceHttpQuery *query, const char *name)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  guint i;

  for (i = 0; i < query->names->len; i++)
    if (g_str_equal (query->names->pdata[i], name))
      g_strv_builder_add (b, query->values->pdata[i]);
  return g_strv_builder_end (b);
}

/* @text as a value of @type ("u", "b" or "d"). */
static GVariant *
parse_value (const char *name, const GVariantType *type, const char *text,
             GError **error)
{
  if (g_variant_type_equal (type, G_VARIANT_TYPE_UINT32)) {
    guint64 n;

    if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &n, NULL))
      return g_variant_new_uint32 (n);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "parameter “%s”: “%s” is not a whole number from 0 to %u", name,
        text, G_MAXUINT32);
    return NULL;
  }
  if (g_variant_type_equal (type, G_VARIANT_TYPE_BOOLEAN)) {
    if (g_str_equal (text, "true") || g_str_equal (text, "1"))
      return g_variant_new_boolean (TRUE);
    if (g_str_equal (text, "false") || g_str_equal (text, "0"))
      return g_variant_new_boolean (FALSE);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "parameter “%s”: “%s” is neither true nor false", name, text);
    return NULL;
  }
  {
    char *end = NULL;
    double d = g_ascii_strtod (text, &end);

    if (*text && end && *end == '\0' && isfinite (d))
      return g_variant_new_double (d);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "parameter “%s”: “%s” is not a number", name, text);
    return NULL;
  }
}

GVariant *
semblance_http_query_get_options (SemblanceHttpQuery *query, GError **error)
{
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  guint i;

  for (i = 0; i < query->names->len; i++) {
    const char *name = query->names->pdata[i];
    const GVariantType *type = semblance_service_query_option_type (name);
    const char *text;
    GVariant *value;

    if (!type || g_variant_dict_contains (&dict, name))
      continue;
    if (g_variant_type_is_array (type)) {
      g_auto (GStrv) all = semblance_http_query_get_all (query, name);

      value = g_variant_new_strv ((const char *const *) all, -1);
    } else if (!semblance_http_query_get (query, name, &text, error)
        || !(value = parse_value (name, type, text, error))) {
      return NULL;
    }
    g_variant_dict_insert_value (&dict, name, value);
  }
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}
