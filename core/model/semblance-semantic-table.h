/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Semantic vectors brought from elsewhere (for example computed by a large
 * text model), one per track, for training instead of descriptions.
 *
 * Format: UTF-8 text, one track per line, fields separated by a TAB: the
 * track's path (or URI), then its vector as D decimal numbers ("0.25",
 * "-1e-3"; C locale). Every line has the same D, between 2 and 4096. Empty
 * lines and lines starting with '#' are ignored. Every value is finite, no
 * vector is zero, and no path appears twice. Vectors are scaled to unit
 * length on loading, since semantic distances are cosine distances.
 *
 *   # semantic vectors for my library, from model X
 *   /music/a.flac<TAB>0.12<TAB>-0.40<TAB>...
 */
#pragma once

#include <glib.h>

#include "semblance-export.h"

G_BEGIN_DECLS

typedef struct
{
  guint n;            /* rows */
  guint dim;          /* values per row */
  char **paths;       /* n paths, NULL-terminated */
  float *vectors;     /* n x dim, row-major, unit rows */
} SemblanceSemanticTable;

/* Errors: G_FILE_ERROR when the file cannot be read, SEMBLANCE_ERROR_CORRUPT
 * with "FILE:LINE: reason" for the first fault. */
SEMBLANCE_EXPORT
SemblanceSemanticTable *semblance_semantic_table_load (const char *path,
                                                       GError **error);

/* The same checks on text in memory; @name stands for the file in errors. */
SEMBLANCE_EXPORT
SemblanceSemanticTable *semblance_semantic_table_parse (const char *text,
                                                        gsize length,
                                                        const char *name,
                                                        GError **error);

SEMBLANCE_EXPORT
void semblance_semantic_table_free (SemblanceSemanticTable *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceSemanticTable,
                               semblance_semantic_table_free)

G_END_DECLS
