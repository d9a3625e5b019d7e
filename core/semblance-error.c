/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-error.h"

G_DEFINE_QUARK (semblance-error-quark, semblance_error)

gboolean
semblance_error_corrupt (GError **error, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error_literal (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT,
      message);
  return FALSE;
}

gboolean
semblance_error_corrupt_line (GError **error, const char *name, guint line,
                              const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT, "%s:%u: %s",
      name, line, message);
  return FALSE;
}
