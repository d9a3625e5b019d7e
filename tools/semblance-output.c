/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OUTPUT_CHUNK (64 * 1024)

void
semblance_json_add_number (JsonBuilder *builder, double value)
{
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The shortest decimal that reads back as the same float: the measures
 * and distances printed are floats, or doubles with no more meaning than
 * a float holds (their last digits are rounding noise). No exponent below
 * 10^15: "20", not "2e+01". A float needs at most 9 digits, and if d
 * digits read back, d + 1 do (the nearest decimal of d + 1 digits is at
 * least as near): the count is searched downwards from 8, where most
 * floats' lies, and the first that fails ends the search. */
static gboolean
format_digits (char *text, gsize size, double value, int digits)
{
  char format[8];

  g_snprintf (format, sizeof format, "%%.%dg", digits);
  g_ascii_formatd (text, size, format, value);
  return strtof (text, NULL) == (float) value;
}

/* Whether @x, a decimal of at most 9 digits times 10^p (|p| <= 12) in
 * one rounding to the nearest double, reads back as the float @f, as
 * strtof() reads the decimal; FALSE in @sure when only strtof() can tell.
 * The digits and 10^|p| are exact doubles, so one product or division
 * rounds the decimal once; rounding that to a float is rounding the
 * decimal itself, unless the double lies exactly halfway between two
 * floats, where the decimal may have been on either side. */
static gboolean
reads_back (double x, float f, gboolean *sure)
{
  float near = (float) x;
  float other = nextafterf (near, (double) near < x ? INFINITY : -INFINITY);

  *sure = x != ((double) near + (double) other) / 2.0;
  return near == f;
}

/* append_double() for a float of magnitude 10^-4 to 10^9, the measures
 * and vector values that JSON output is mostly made of, without a
 * formatting and a strtof() per digit count: the same search, on the
 * value's exact roundings to 9 digits and fewer, in integers. The float
 * is m 2^-s with m < 2^24 and s <= 37; times 10^(8 - X), X its decimal
 * exponent (8 - X at most 12), it is below 2^64, and so is 10^8 2^37. FALSE,
 * with nothing written, where %g could differ: at an exact half (which
 * %g rounds by the rounding mode), where rounding up adds a digit, or
 * where the double of a decimal lies halfway between two floats. %g
 * prints these magnitudes without an exponent. */
static gboolean
append_float_fast (GString *out, double value)
{
  static const guint64 tens[] = { 1, 10, 100, 1000, 10000, 100000, 1000000,
    10000000, 100000000, 1000000000, 10000000000, 100000000000,
    1000000000000 };
  char best[9];
  double magnitude = fabs (value);
  float f = (float) magnitude;
  guint64 m, n = 0, d;
  int exponent, least, shift, digits, n_best = 0, k, i;

  if ((double) f != magnitude || !(magnitude >= 1e-4 && magnitude < 1e9))
    return FALSE;
  m = (guint64) ldexpf (frexpf (f, &shift), 24);
  shift = 24 - shift;
  /* X such that 10^8 <= f 10^(8 - X) < 10^9, from a first guess. */
  exponent = (int) floor (log10 (magnitude));
  least = magnitude >= 1.0 ? exponent + 1 : 1;
  for (i = 0; i < 2; i++) {
    guint64 whole;

    if (exponent < -4 || exponent > 8)
      return FALSE;
    n = m * tens[8 - exponent];
    if (shift < 0)
      n <<= -shift;
    whole = shift > 0 ? n >> shift : n;
    if (whole >= tens[9])
      exponent++;
    else if (whole < tens[8])
      exponent--;
    else
      break;
  }
  if (i == 2 || (magnitude >= 1.0 && exponent + 1 != least))
    return FALSE;
  for (digits = 9; digits >= least; digits--) {
    guint64 div = tens[9 - digits] << MAX (shift, 0);
    guint64 rest = n % div;
    gboolean sure;

    d = n / div;
    if (rest == div - rest)
      return FALSE;
    if (rest > div - rest && ++d == tens[digits])
      return FALSE;
    /* 9 digits always read back, as append_double() takes them. */
    if (digits < 9) {
      double x = (double) d;
      int p = exponent - digits + 1;
      static const double powers[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
        1e7, 1e8, 1e9, 1e10, 1e11, 1e12 };
      gboolean back;

      x = p >= 0 ? x * powers[p] : x / powers[-p];
      back = reads_back (x, f, &sure);
      if (!sure)
        return FALSE;
      if (!back)
        break;
    }
    for (k = digits - 1; k >= 0; k--, d /= 10)
      best[k] = (char) ('0' + d % 10);
    n_best = digits;
  }
  /* %g without an exponent: no trailing zeros in the fraction, no point
   * without one; then append_double()'s ".0" for a number without one. */
  while (n_best > exponent + 1 && n_best > 1 && best[n_best - 1] == '0')
    n_best--;
  if (value < 0)
    g_string_append_c (out, '-');
  if (exponent < 0) {
    g_string_append (out, "0.");
    for (i = -1; i > exponent; i--)
      g_string_append_c (out, '0');
    g_string_append_len (out, best, n_best);
  } else {
    g_string_append_len (out, best, exponent + 1);
    g_string_append_c (out, '.');
    if (n_best > exponent + 1)
      g_string_append_len (out, best + exponent + 1, n_best - exponent - 1);
    else
      g_string_append_c (out, '0');
  }
  return TRUE;
}

static void
append_double (GString *out, double value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE], shortest[G_ASCII_DTOSTR_BUF_SIZE];
  double magnitude = fabs (value);
  int least = magnitude >= 1.0 && magnitude < 1e15
      ? (int) floor (log10 (magnitude)) + 1 : 1, digits;

  if (append_float_fast (out, value))
    return;
  /* At least 9 digits always read back. */
  format_digits (shortest, sizeof shortest, value, MAX (least, 9));
  for (digits = 8; digits >= least
      && format_digits (text, sizeof text, value, digits); digits--)
    memcpy (shortest, text, sizeof text);
  g_string_append (out, shortest);
  /* Still a number with a fraction to a reader that types by form. */
  if (!strpbrk (shortest, ".eEn"))
    g_string_append (out, ".0");
}

static void
append_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (; *s; s++) {
    guchar c = (guchar) *s;

    if (c == '"' || c == '\\')
      g_string_append_printf (out, "\\%c", c);
    else if (c == '\n')
      g_string_append (out, "\\n");
    else if (c == '\t')
      g_string_append (out, "\\t");
    else if (c < 0x20 || c == 0x7f)
      g_string_append_printf (out, "\\u%04x", c);
    else
      g_string_append_c (out, (char) c);
  }
  g_string_append_c (out, '"');
}

static void
indent (GString *out, guint level)
{
  guint i;

  for (i = 0; i < level; i++)
    g_string_append (out, "  ");
}

static void
append_node (GString *out, JsonNode *node, guint level)
{
  if (JSON_NODE_HOLDS_NULL (node)) {
    g_string_append (out, "null");
  } else if (JSON_NODE_HOLDS_VALUE (node)) {
    switch (json_node_get_value_type (node)) {
      case G_TYPE_INT64:
        g_string_append_printf (out, "%" G_GINT64_FORMAT,
            json_node_get_int (node));
        break;
      case G_TYPE_DOUBLE:
        append_double (out, json_node_get_double (node));
        break;
      case G_TYPE_BOOLEAN:
        g_string_append (out, json_node_get_boolean (node) ? "true"
            : "false");
        break;
      default:
        append_string (out, json_node_get_string (node));
        break;
    }
  } else if (JSON_NODE_HOLDS_ARRAY (node)) {
    JsonArray *a = json_node_get_array (node);
    guint n = json_array_get_length (a), i;

    if (n == 0) {
      g_string_append (out, "[]");
      return;
    }
    g_string_append (out, "[\n");
    for (i = 0; i < n; i++) {
      indent (out, level + 1);
      append_node (out, json_array_get_element (a, i), level + 1);
      g_string_append (out, i + 1 < n ? ",\n" : "\n");
    }
    indent (out, level);
    g_string_append_c (out, ']');
  } else {
    JsonObject *o = json_node_get_object (node);
    g_autoptr (GList) members = json_object_get_members (o);
    GList *l;

    if (!members) {
      g_string_append (out, "{}");
      return;
    }
    g_string_append (out, "{\n");
    for (l = members; l; l = l->next) {
      indent (out, level + 1);
      append_string (out, l->data);
      g_string_append (out, " : ");
      append_node (out, json_object_get_member (o, l->data), level + 1);
      g_string_append (out, l->next ? ",\n" : "\n");
    }
    indent (out, level);
    g_string_append_c (out, '}');
  }
}

void
semblance_json_append_string (GString *out, const char *text)
{
  append_string (out, text);
}

void
semblance_json_append_number (GString *out, double value)
{
  if (isfinite (value))
    append_double (out, value);
  else
    g_string_append (out, "null");
}

void
semblance_json_append (GString *out, JsonNode *node, guint level)
{
  append_node (out, node, level);
}

void
semblance_output_flush (GString *out, gboolean all)
{
  if (out->len == 0 || (!all && out->len < OUTPUT_CHUNK))
    return;
  g_print ("%s", out->str);
  g_string_truncate (out, 0);
}

char *
semblance_json_to_string (JsonNode *root)
{
  GString *out = g_string_new (NULL);

  append_node (out, root, 0);
  return g_string_free (out, FALSE);
}

char *
semblance_pad (const char *text, guint width)
{
  GString *out = g_string_new (text);
  guint columns = 0;
  const char *p;

  for (p = text; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (!g_unichar_iszerowidth (c))
      columns += g_unichar_iswide (c) ? 2 : 1;
  }
  for (; columns < width; columns++)
    g_string_append_c (out, ' ');
  return g_string_free (out, FALSE);
}

char *
semblance_printable (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_sized_new (strlen (valid));
  const char *p;

  for (p = valid; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (g_unichar_iscntrl (c))
      g_string_append_c (out, ' ');
    else
      g_string_append_unichar (out, c);
  }
  return g_string_free (out, FALSE);
}
