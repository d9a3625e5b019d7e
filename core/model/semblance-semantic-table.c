/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-semantic-table.h"

#include <math.h>
#include <string.h>

#include "semblance-error.h"

#define MIN_DIM 2
#define MAX_DIM 4096

void
semblance_semantic_table_free (SemblanceSemanticTable *table)
{
  if (!table)
    return;
  g_strfreev (table->paths);
  g_free (table->vectors);
  g_free (table);
}

/* Parses one line's vector fields into @row; returns the count or -1. */
static int
parse_row (char **fields, float *row, const char *name, guint line,
           GError **error)
{
  double norm = 0.0;
  int n = 0;

  for (; *fields; fields++, n++) {
    char *end;
    double v;

    if (n >= MAX_DIM) {
      semblance_error_corrupt_line (error, name, line, "more than %d values", MAX_DIM);
      return -1;
    }
    v = g_ascii_strtod (*fields, &end);
    if (**fields == '\0' || *end != '\0') {
      semblance_error_corrupt_line (error, name, line, "value %d (“%s”) is not a number", n + 1,
          *fields);
      return -1;
    }
    if (!isfinite (v) || fabs (v) > G_MAXFLOAT) {
      semblance_error_corrupt_line (error, name, line, "value %d is not finite", n + 1);
      return -1;
    }
    row[n] = (float) v;
    norm += v * v;
  }
  if (n > 0 && !(norm > 0.0)) {
    semblance_error_corrupt_line (error, name, line, "the vector is zero");
    return -1;
  }
  for (int i = 0; i < n; i++)
    row[i] = (float) (row[i] / sqrt (norm));
  return n;
}

SemblanceSemanticTable *
semblance_semantic_table_parse (const char *text, gsize length,
                                const char *name, GError **error)
{
  g_autoptr (SemblanceSemanticTable) table = g_new0 (SemblanceSemanticTable, 1);
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree float *row = g_new (float, MAX_DIM);
  g_auto (GStrv) lines = NULL;
  g_autofree char *copy = NULL;
  guint i;

  if (memchr (text, '\0', length) || !g_utf8_validate (text, length, NULL)) {
    semblance_error_corrupt_line (error, name, 1, "not UTF-8 text");
    return NULL;
  }
  copy = g_strndup (text, length);
  lines = g_strsplit (copy, "\n", -1);
  for (i = 0; lines[i]; i++) {
    char *line = lines[i];
    g_auto (GStrv) fields = NULL;
    gsize len = strlen (line);
    int n;

    if (len > 0 && line[len - 1] == '\r')
      line[len - 1] = '\0';
    if (line[0] == '\0' || line[0] == '#')
      continue;
    fields = g_strsplit (line, "\t", -1);
    if (!fields[1]) {
      semblance_error_corrupt_line (error, name, i + 1, "no TAB after the path");
      return NULL;
    }
    if (fields[0][0] == '\0') {
      semblance_error_corrupt_line (error, name, i + 1, "the path is empty");
      return NULL;
    }
    n = parse_row (fields + 1, row, name, i + 1, error);
    if (n < 0)
      return NULL;
    if (table->dim == 0) {
      if (n < MIN_DIM) {
        semblance_error_corrupt_line (error, name, i + 1, "%d values; at least %d are needed", n,
            MIN_DIM);
        return NULL;
      }
      table->dim = n;
    } else if ((guint) n != table->dim) {
      semblance_error_corrupt_line (error, name, i + 1, "%d values where earlier lines have %u", n,
          table->dim);
      return NULL;
    }
    if (g_hash_table_contains (seen, fields[0])) {
      semblance_error_corrupt_line (error, name, i + 1, "“%s” appears twice", fields[0]);
      return NULL;
    }
    g_ptr_array_add (paths, g_strdup (fields[0]));
    g_hash_table_add (seen, paths->pdata[paths->len - 1]);
    g_array_append_vals (values, row, n);
  }
  if (paths->len == 0) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT,
        "%s: no vectors in the file", name);
    return NULL;
  }

  table->n = paths->len;
  g_ptr_array_add (paths, NULL);
  table->paths = (char **) g_ptr_array_steal (paths, NULL);
  table->vectors = (float *) g_array_steal (values, NULL);
  return g_steal_pointer (&table);
}

SemblanceSemanticTable *
semblance_semantic_table_load (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autofree char *display = g_filename_display_name (path);
  gsize length;

  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  return semblance_semantic_table_parse (text, length, display, error);
}
