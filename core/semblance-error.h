/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "semblance-export.h"

G_BEGIN_DECLS

#define SEMBLANCE_ERROR (semblance_error_quark ())

/**
 * SemblanceError:
 * @SEMBLANCE_ERROR_OPEN: the file cannot be opened or read
 * @SEMBLANCE_ERROR_FORMAT: not audio, or audio in a format that is not supported
 * @SEMBLANCE_ERROR_DECODE: the audio could not be decoded
 * @SEMBLANCE_ERROR_EMPTY: the file holds no audio samples, or a text no
 *   known word
 * @SEMBLANCE_ERROR_CORRUPT: a data file (vocabulary, vector table) is
 *   damaged or not of the expected kind; the message says where
 */
typedef enum
{
  SEMBLANCE_ERROR_OPEN,
  SEMBLANCE_ERROR_FORMAT,
  SEMBLANCE_ERROR_DECODE,
  SEMBLANCE_ERROR_EMPTY,
  SEMBLANCE_ERROR_CORRUPT,
} SemblanceError;

SEMBLANCE_EXPORT
GQuark semblance_error_quark (void);

/* Sets SEMBLANCE_ERROR_CORRUPT with the formatted message; returns FALSE,
 * so that checks can end with `return semblance_error_corrupt (...)`. */
SEMBLANCE_EXPORT
gboolean semblance_error_corrupt (GError **error, const char *format, ...)
    G_GNUC_PRINTF (2, 3);

/* The same, for a fault on line @line of the text file @name:
 * "NAME:LINE: message". */
SEMBLANCE_EXPORT
gboolean semblance_error_corrupt_line (GError **error, const char *name,
                                       guint line, const char *format, ...)
    G_GNUC_PRINTF (4, 5);

G_END_DECLS
