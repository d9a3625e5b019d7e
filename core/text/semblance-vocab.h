/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The text encoder's vocabulary: counter-fitted word vectors, quantised to
 * 8 bits, with a smooth-inverse-frequency weight and an antonym per word and
 * the common component of music descriptions (the mean of their embeddings). Built by
 * data/vocab/build-vocab.py; the file is memory-mapped and checked (sizes,
 * order, digest) before use, since it is input like any other.
 *
 * File layout (little-endian): a 64-byte header (magic "SMBLVOC\0", version,
 * dimension, word count, string pool size, SHA-256 of everything after the
 * header), then the common component (float32 x dim), one 20-byte record per
 * word (pool offset, vector scale, weight, antonym index or -1, base form
 * index or -1), the int8
 * vectors (dim per word), and the pool of NUL-terminated UTF-8 words in
 * strictly ascending byte order.
 */
#pragma once

#include <glib.h>

#include "semblance-export.h"

G_BEGIN_DECLS

#define SEMBLANCE_VOCAB_VERSION 1

typedef struct _SemblanceVocab SemblanceVocab;

/* Maps and checks a vocabulary file. Errors: G_FILE_ERROR when it cannot be
 * read, SEMBLANCE_ERROR_CORRUPT naming the fault. */
SEMBLANCE_EXPORT
SemblanceVocab *semblance_vocab_new_from_file (const char *path,
                                               GError **error);

/* The same checks on bytes in memory (kept referenced). */
SEMBLANCE_EXPORT
SemblanceVocab *semblance_vocab_new_from_bytes (GBytes *bytes, GError **error);

/* The vocabulary the project installs, or $SEMBLANCE_VOCAB when set (or,
 * for programs run from the build tree, the source tree's). */
SEMBLANCE_EXPORT
SemblanceVocab *semblance_vocab_new_default (GError **error);

/* The file that semblance_vocab_new_default() reads. */
SEMBLANCE_EXPORT
const char *semblance_vocab_default_path (void);

SEMBLANCE_EXPORT
void semblance_vocab_free (SemblanceVocab *self);

SEMBLANCE_EXPORT
guint semblance_vocab_get_dim (const SemblanceVocab *self);
SEMBLANCE_EXPORT
guint semblance_vocab_get_size (const SemblanceVocab *self);

/* "semblance-vocab-1-" and the first 16 hex digits of the file's digest:
 * names the text encoder in model cards. */
SEMBLANCE_EXPORT
const char *semblance_vocab_get_id (const SemblanceVocab *self);

/* Index of @word (UTF-8, case-folded), or -1. */
SEMBLANCE_EXPORT
int semblance_vocab_lookup (const SemblanceVocab *self, const char *word);

SEMBLANCE_EXPORT
const char *semblance_vocab_get_word (const SemblanceVocab *self, guint index);

/* Adds @factor times the vector of word @index to @acc (dim values). */
SEMBLANCE_EXPORT
void semblance_vocab_accumulate (const SemblanceVocab *self, guint index,
                                 float factor, float *acc);

SEMBLANCE_EXPORT
float semblance_vocab_get_weight (const SemblanceVocab *self, guint index);

/* The word's most frequent antonym, or -1. */
SEMBLANCE_EXPORT
int semblance_vocab_get_antonym (const SemblanceVocab *self, guint index);

/* The word's base form in the vocabulary ("drums" -> "drum"), as WordNet
 * finds it, or -1 when the word is a base form. */
SEMBLANCE_EXPORT
int semblance_vocab_get_lemma (const SemblanceVocab *self, guint index);

/* The common component to subtract from embeddings (dim values). */
SEMBLANCE_EXPORT
const float *semblance_vocab_get_common (const SemblanceVocab *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceVocab, semblance_vocab_free)

G_END_DECLS
