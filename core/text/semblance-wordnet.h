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

/* A kind of popular music in WordNet (a synset), by its names. */
typedef struct
{
  GPtrArray *phrases;  /* (element-type utf8): its names of more than one
                        * word, lower case, words separated by spaces as
                        * WordNet writes them ("rock 'n' roll") */
  GPtrArray *names;    /* (element-type utf8): its one-word names, lower
                        * case, in WordNet's order ("rock") */
  int broader;         /* index of the kind it is a kind of, or -1 */
} SemblanceWordnetGenre;

/* The kinds of popular music (WordNet's hyponyms of "popular music", the
 * whole tree: heavy metal, punk rock, rhythm and blues, ...), read once
 * per process; static. @n gets their number, 0 when WordNet is not open. */
const SemblanceWordnetGenre *semblance_wordnet_popular_genres (guint *n);

G_END_DECLS
