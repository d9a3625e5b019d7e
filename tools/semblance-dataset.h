/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Tables of tracks for training and evaluation, and their feature vectors.
 *
 * A table is UTF-8 text, one track per line, fields separated by TABs, '#'
 * comments and empty lines ignored. The first field is the track's path,
 * relative to the table's folder unless absolute. With @labelled, the second
 * field is a label. The rest is either one field, a description in words,
 * or two or more numbers, a semantic vector (every line alike). Without a
 * label, a line may hold a path alone, among descriptions in words: a
 * track without a description, whose semantic vector is zero.
 */
#pragma once

#include "semblance.h"

G_BEGIN_DECLS

typedef struct
{
  guint n;
  char **paths;           /* absolute */
  char **labels;          /* with a label column, else NULL */
  guint semantic_dim;
  float *semantic;        /* n x semantic_dim, unit rows (zero: none) */
  char *semantic_source;  /* the text encoder's id, or "vectors:FILE" */
  /* With descriptions in words and no label column (a training table),
   * for word calibration: the describer's words the encoder knows (static
   * strings), their unit vectors (n_words x semantic_dim), and which of
   * them each track's description mentions (n x n_words); else 0 and
   * NULL. */
  guint n_words;
  const char **words;
  float *word_vectors;
  guint8 *mentions;
  GBytes *contents;       /* the table's bytes, for its digest */
} SemblanceDataset;

/* Reads @path; descriptions are embedded with the default text encoder.
 * Errors name the file and line. */
SemblanceDataset *semblance_dataset_load (const char *path, gboolean labelled,
                                          GError **error);

void semblance_dataset_free (SemblanceDataset *set);

/* Feature vectors of every track (n x SEMBLANCE_FEATURE_DIM), analysed on
 * all cores, or read from the cache ($XDG_CACHE_HOME/semblance/features)
 * when the file has not changed since. Tracks that cannot be analysed are
 * reported on standard error and dropped from @set. Prints progress when
 * @verbose. */
float *semblance_dataset_features (SemblanceDataset *set, gboolean verbose,
                                   GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceDataset, semblance_dataset_free)

G_END_DECLS
