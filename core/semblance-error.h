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
 * @SEMBLANCE_ERROR_CORRUPT: a data file (vocabulary, vector table, the
 *   library database) is damaged or not of the expected kind; the message
 *   says where
 * @SEMBLANCE_ERROR_BUSY: the library database stayed locked by another
 *   process for longer than the store waits
 * @SEMBLANCE_ERROR_READ_ONLY: the library database cannot be written: the
 *   file or its folder is read-only, or it was opened for reading only
 * @SEMBLANCE_ERROR_FULL: the disk holding the library database is full;
 *   what was stored before is kept
 * @SEMBLANCE_ERROR_NOT_FINITE: a vector holds a value that is not a finite
 *   number (NaN or infinite), which nothing stores or compares
 *
 * The database's faults are told apart so that a caller can say what to
 * do: restore or rebuild (CORRUPT), wait and retry (BUSY), index as its
 * owner (READ_ONLY), free space (FULL).
 */
typedef enum
{
  SEMBLANCE_ERROR_OPEN,
  SEMBLANCE_ERROR_FORMAT,
  SEMBLANCE_ERROR_DECODE,
  SEMBLANCE_ERROR_EMPTY,
  SEMBLANCE_ERROR_CORRUPT,
  SEMBLANCE_ERROR_BUSY,
  SEMBLANCE_ERROR_READ_ONLY,
  SEMBLANCE_ERROR_FULL,
  SEMBLANCE_ERROR_NOT_FINITE,
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
