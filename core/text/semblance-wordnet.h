/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Princeton WordNet through its C library (Debian's wordnet-dev, data from
 * wordnet-base): base forms of inflected words and synonyms. The library
 * keeps global state, so every call here holds one process-wide lock.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Opens the WordNet database once. Fails with G_IO_ERROR_NOT_FOUND when
 * its files are missing. */
gboolean semblance_wordnet_init (GError **error);

/* Base forms of @word ("drumming" -> "drum", "calmer" -> "calm"), for
 * adjectives, nouns, verbs and adverbs in that order, without repeats; empty
 * when @word is a base form or unknown. */
GPtrArray *semblance_wordnet_lemmas (const char *word);

/* One-word synonyms of @word over all its senses, most frequent sense
 * first, without repeats. */
GPtrArray *semblance_wordnet_synonyms (const char *word);

G_END_DECLS
