/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-text.h"

#include <math.h>
#include <string.h>

#include "semblance-error.h"
#include "semblance-words.h"
#include "semblance-wordnet.h"

/* Words a negation skips on its way to the word it negates. */
static const char *const intensifiers[] = {
  "very", "too", "so", "really", "that", "at", "all", "particularly",
  "overly", "quite", "a", "an", "the", "much", "be", "is", "are",
};

static const char *const negations[] = {
  "not", "no", "never", "without", "non", "nor", "nothing",
};

/* Resolved words: up to this many vocabulary entries per token (the parts
 * of a hyphenated word) or per genre's name. */
#define MAX_PARTS 4

/* The longest genre's name read as one term ("heavy metal music",
 * "country and western"). */
#define MAX_PHRASE 3

typedef struct
{
  int n;
  int index[MAX_PARTS];
} Resolution;

struct _SemblanceTextEncoder
{
  SemblanceVocab *vocab;
  char *id;
  GHashTable *cache;            /* token -> Resolution */
  GHashTable *phrases;          /* genre's name -> Resolution, from WordNet
                                 * on first use */
  GHashTable *phrase_starts;    /* the first words of those names */
  float *acc;
};

/* Punctuation ends a genre's name ("heavy, metal" is two words), except the
 * hyphens and apostrophes that words and names hold ("rock 'n' roll"). */
static gboolean
divides_names (gunichar c)
{
  return g_unichar_ispunct (c) && c != '-' && c != '\'' && c != 0x2019;
}

/* semblance_text_tokenize(); @divided, when given, gets one byte per token:
 * 1 when punctuation that divides names comes between it and the token
 * before. */
static GPtrArray *
tokenize (const char *text, GByteArray *divided)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *normal = NULL;
  g_autofree char *folded = NULL;
  const char *p, *start = NULL, *end = NULL;
  guint8 pending = 0, token_divided = 0;

  if (!g_utf8_validate (text, -1, NULL))
    return out;
  normal = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  folded = g_utf8_casefold (normal, -1);

  /* A token is letters and digits, joined by single inner hyphens or
   * apostrophes. */
  for (p = folded;; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (c != 0 && g_unichar_isalnum (c)) {
      if (!start) {
        start = p;
        token_divided = pending;
        pending = 0;
      }
      end = g_utf8_next_char (p);
      continue;
    }
    if (start && (c == '-' || c == '\'' || c == 0x2019) && p == end) {
      const char *next = g_utf8_next_char (p);

      if (g_unichar_isalnum (g_utf8_get_char (next)))
        continue;
    }
    if (start) {
      GString *token = g_string_new_len (start, end - start);

      /* A typographic apostrophe is the same word as a straight one. */
      g_string_replace (token, "\xe2\x80\x99", "'", 0);
      g_ptr_array_add (out, g_string_free (token, FALSE));
      if (divided)
        g_byte_array_append (divided, &token_divided, 1);
      start = NULL;
    }
    if (c == 0)
      break;
    if (divides_names (c))
      pending = 1;
  }
  return out;
}

GPtrArray *
semblance_text_tokenize (const char *text)
{
  return tokenize (text, NULL);
}

SemblanceTextEncoder *
semblance_text_encoder_new (SemblanceVocab *vocab, GError **error)
{
  SemblanceTextEncoder *self;

  if (!semblance_wordnet_init (error)) {
    semblance_vocab_free (vocab);
    return NULL;
  }
  self = g_new0 (SemblanceTextEncoder, 1);
  self->vocab = vocab;
  /* 2: genres' names of several words read as one term. A model card
   * keeps the id its semantic vectors were made with. */
  self->id = g_strdup_printf ("semblance-text-2+%s",
      semblance_vocab_get_id (vocab));
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  self->acc = g_new (float, semblance_vocab_get_dim (vocab));
  return self;
}

SemblanceTextEncoder *
semblance_text_encoder_new_default (GError **error)
{
  SemblanceVocab *vocab = semblance_vocab_new_default (error);

  return vocab ? semblance_text_encoder_new (vocab, error) : NULL;
}

void
semblance_text_encoder_free (SemblanceTextEncoder *self)
{
  if (!self)
    return;
  semblance_vocab_free (self->vocab);
  g_hash_table_unref (self->cache);
  g_clear_pointer (&self->phrases, g_hash_table_unref);
  g_clear_pointer (&self->phrase_starts, g_hash_table_unref);
  g_free (self->acc);
  g_free (self->id);
  g_free (self);
}

guint
semblance_text_encoder_get_dim (const SemblanceTextEncoder *self)
{
  return semblance_vocab_get_dim (self->vocab);
}

const char *
semblance_text_encoder_get_id (const SemblanceTextEncoder *self)
{
  return self->id;
}

const SemblanceVocab *
semblance_text_encoder_get_vocab (const SemblanceTextEncoder *self)
{
  return self->vocab;
}

/* @word's entry, its base form when the vocabulary records one, or -1,
 * without asking WordNet: WordNet's genre names are base forms already,
 * and asking WordNet about each costs more than the rest of a query. */
static int
vocab_word (SemblanceTextEncoder *self, const char *word)
{
  int index = semblance_vocab_lookup (self->vocab, word), lemma;

  if (index < 0)
    return -1;
  lemma = semblance_vocab_get_lemma (self->vocab, index);
  return lemma >= 0 ? lemma : index;
}

/* A word's base form when the vocabulary has it ("drums" and "drum" meet),
 * else the word itself. The vocabulary knows the base forms of its own
 * words; WordNet is asked only about the others. */
static int
lookup_word (SemblanceTextEncoder *self, const char *word)
{
  g_autoptr (GPtrArray) lemmas = NULL;
  int index = vocab_word (self, word);
  guint i;

  if (index >= 0)
    return index;
  lemmas = semblance_wordnet_lemmas (word);
  for (i = 0; i < lemmas->len; i++) {
    index = semblance_vocab_lookup (self->vocab, lemmas->pdata[i]);
    if (index >= 0)
      return index;
  }
  return -1;
}

static int
lookup_synonym (SemblanceTextEncoder *self, const char *word)
{
  g_autoptr (GPtrArray) lemmas = semblance_wordnet_lemmas (word);
  guint i, j;

  g_ptr_array_insert (lemmas, 0, g_strdup (word));
  for (i = 0; i < lemmas->len; i++) {
    g_autoptr (GPtrArray) synonyms =
        semblance_wordnet_synonyms (lemmas->pdata[i]);

    for (j = 0; j < synonyms->len; j++) {
      int index = lookup_word (self, synonyms->pdata[j]);

      if (index >= 0)
        return index;
    }
  }
  return -1;
}

static Resolution
resolve_uncached (SemblanceTextEncoder *self, const char *token)
{
  Resolution r = { 0 };
  int index = lookup_word (self, token);

  if (index < 0 && strchr (token, '-')) {
    g_auto (GStrv) parts = g_strsplit (token, "-", -1);
    g_autofree char *joined = g_strjoinv ("", parts);
    char **part;

    index = lookup_word (self, joined);
    if (index < 0) {
      for (part = parts; *part && r.n < MAX_PARTS; part++) {
        Resolution sub = resolve_uncached (self, *part);

        if (sub.n > 0)
          r.index[r.n++] = sub.index[0];
      }
      return r;
    }
  }
  if (index < 0)
    index = lookup_synonym (self, token);
  if (index >= 0)
    r.index[r.n++] = index;
  return r;
}

static const Resolution *
resolve (SemblanceTextEncoder *self, const char *token)
{
  Resolution *r;

  /* Only a genre's name has a space (semblance_text_encoder_terms()). */
  if (self->phrases && strchr (token, ' ')
      && (r = g_hash_table_lookup (self->phrases, token)))
    return r;
  r = g_hash_table_lookup (self->cache, token);

  if (!r) {
    r = g_new (Resolution, 1);
    *r = resolve_uncached (self, token);
    g_hash_table_insert (self->cache, g_strdup (token), r);
  }
  return r;
}

/* The most frequent of @names in the vocabulary (the lowest
 * smooth-inverse-frequency weight: "rock" over "rock'n'roll"), among those
 * that are also one of @words when @words is given, or -1. */
static int
most_common_name (SemblanceTextEncoder *self, GPtrArray *names,
                  GPtrArray *words)
{
  int best = -1;
  guint i, j;

  for (i = 0; i < names->len; i++) {
    int index;

    for (j = 0; words && j < words->len; j++)
      if (g_str_equal (words->pdata[j], names->pdata[i]))
        break;
    if (words && j == words->len)
      continue;
    index = vocab_word (self, names->pdata[i]);

    if (index >= 0 && (best < 0
            || semblance_vocab_get_weight (self->vocab, index)
            < semblance_vocab_get_weight (self->vocab, best)))
      best = index;
  }
  return best;
}

static void
add_part (Resolution *r, int index)
{
  int i;

  for (i = 0; i < r->n; i++)
    if (r->index[i] == index)
      return;
  if (r->n < MAX_PARTS)
    r->index[r->n++] = index;
}

/* How a genre's name of several words reads: its own words, less those of
 * mood or pace, which name the genre rather than say how the track sounds
 * ("heavy" in heavy metal). When none of its words names the genre alone
 * ("punk" does in "punk rock", "rock" in "rock music", none in "heavy
 * metal"), the nearest broader genre's one-word name joins them ("heavy
 * metal": metal, rock). WordNet's one-word names that are none of its words
 * are not taken: they are rarer than its words ("folk song": "folksong").
 * None when no broader genre has a name either: then the words read one by
 * one ("dance music"). */
static Resolution
resolve_genre (SemblanceTextEncoder *self, const SemblanceWordnetGenre *all,
               guint at, GPtrArray *words)
{
  Resolution r = { 0 };
  int name = -1, b;
  guint i;

  if (most_common_name (self, all[at].names, words) < 0) {
    for (b = all[at].broader; b >= 0 && name < 0; b = all[b].broader)
      name = most_common_name (self, all[b].names, NULL);
    if (name < 0)
      return r;
  }
  for (i = 0; i < words->len; i++) {
    int part = vocab_word (self, words->pdata[i]);

    if (part >= 0 && !semblance_words_is_quality (semblance_vocab_get_word
            (self->vocab, part)))
      add_part (&r, part);
  }
  if (name >= 0)
    add_part (&r, name);
  return r;
}

/* Words @first to @first + @n - 1, separated by spaces. */
static char *
join_words (GPtrArray *words, guint first, guint n)
{
  GString *out = g_string_new (words->pdata[first]);
  guint i;

  for (i = first + 1; i < first + n; i++) {
    g_string_append_c (out, ' ');
    g_string_append (out, words->pdata[i]);
  }
  return g_string_free (out, FALSE);
}

/* The genres' names of several words, as the tokenizer splits them, that
 * read as one term. */
static void
ensure_phrases (SemblanceTextEncoder *self)
{
  const SemblanceWordnetGenre *genres;
  guint n, i, j;

  if (self->phrases)
    return;
  self->phrases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  self->phrase_starts = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  genres = semblance_wordnet_popular_genres (&n);
  for (i = 0; i < n; i++) {
    for (j = 0; j < genres[i].phrases->len; j++) {
      g_autoptr (GPtrArray) words =
          semblance_text_tokenize (genres[i].phrases->pdata[j]);
      Resolution r;
      char *key;

      if (words->len < 2 || words->len > MAX_PHRASE)
        continue;
      r = resolve_genre (self, genres, i, words);
      if (r.n == 0)
        continue;
      key = join_words (words, 0, words->len);
      if (g_hash_table_contains (self->phrases, key)) {
        g_free (key);
        continue;
      }
      g_hash_table_insert (self->phrases, key, g_memdup2 (&r, sizeof r));
      g_hash_table_add (self->phrase_starts, g_strdup (words->pdata[0]));
    }
  }
}

GPtrArray *
semblance_text_encoder_terms (SemblanceTextEncoder *self, const char *text)
{
  g_autoptr (GByteArray) divided = g_byte_array_new ();
  g_autoptr (GPtrArray) tokens = tokenize (text, divided);
  GPtrArray *out;
  guint i = 0, n, k;

  /* One word is no name, unless hyphens join its words ("heavy-metal"). */
  if (tokens->len == 0 || (tokens->len == 1 && !strchr (tokens->pdata[0],
              '-')))
    return g_steal_pointer (&tokens);
  ensure_phrases (self);
  out = g_ptr_array_new_with_free_func (g_free);
  while (i < tokens->len) {
    const char *token = tokens->pdata[i];

    /* A name written with hyphens, which the vocabulary does not have as
     * one word ("rock-and-roll" it has). */
    if (strchr (token, '-') && vocab_word (self, token) < 0) {
      char *spaced = g_strdelimit (g_strdup (token), "-", ' ');

      if (g_hash_table_contains (self->phrases, spaced)) {
        g_ptr_array_add (out, spaced);
        i++;
        continue;
      }
      g_free (spaced);
    }
    n = g_hash_table_contains (self->phrase_starts, tokens->pdata[i])
        ? MIN (MAX_PHRASE, tokens->len - i) : 0;
    /* Only spaces go between the words of a name. */
    for (k = 1; k < n; k++)
      if (divided->data[i + k]) {
        n = k;
        break;
      }
    for (; n >= 2; n--) {
      char *key = join_words (tokens, i, n);

      if (g_hash_table_contains (self->phrases, key)) {
        g_ptr_array_add (out, key);
        break;
      }
      g_free (key);
    }
    if (n >= 2) {
      i += n;
      continue;
    }
    g_ptr_array_add (out, g_steal_pointer (&tokens->pdata[i]));
    i++;
  }
  return out;
}

static gboolean
is_one_of (const char *token, const char *const *list, gsize n)
{
  gsize i;

  for (i = 0; i < n; i++)
    if (g_str_equal (token, list[i]))
      return TRUE;
  return FALSE;
}

static gboolean
is_negation (const char *token)
{
  return is_one_of (token, negations, G_N_ELEMENTS (negations))
      || g_str_has_suffix (token, "n't");
}

const char *const *
semblance_text_describer_words (guint *n)
{
  return semblance_words_list (n);
}

/* Marks the describer words that @form is or is a synonym of. */
static void
mark_word (GHashTable *index, const char *form, guint8 *mentions)
{
  g_autoptr (GPtrArray) synonyms = NULL;
  gpointer at;
  guint i;

  if (g_hash_table_lookup_extended (index, form, NULL, &at))
    mentions[GPOINTER_TO_UINT (at)] = 1;
  synonyms = semblance_wordnet_synonyms (form);
  for (i = 0; i < synonyms->len; i++)
    if (g_hash_table_lookup_extended (index, synonyms->pdata[i], NULL, &at))
      mentions[GPOINTER_TO_UINT (at)] = 1;
}

void
semblance_text_encoder_mentions (SemblanceTextEncoder *self,
                                 const char *text, guint8 *mentions)
{
  g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) tokens = semblance_text_encoder_terms (self, text);
  const char *const *words;
  gboolean negate = FALSE;
  guint n_words, i, j;

  words = semblance_words_list (&n_words);
  memset (mentions, 0, n_words);
  for (i = 0; i < n_words; i++)
    g_hash_table_insert (index, (gpointer) words[i], GUINT_TO_POINTER (i));
  for (i = 0; i < tokens->len; i++) {
    const char *token = tokens->pdata[i];
    g_autoptr (GPtrArray) lemmas = NULL;

    if (is_negation (token)) {
      negate = TRUE;
      continue;
    }
    if (negate && is_one_of (token, intensifiers,
            G_N_ELEMENTS (intensifiers)))
      continue;
    /* "not calm" does not say calm. */
    if (negate) {
      negate = FALSE;
      continue;
    }
    /* A genre's name says what it reads as ("heavy metal": metal, rock),
     * not its words ("heavy"). */
    if (strchr (token, ' ')) {
      const Resolution *r = resolve (self, token);
      int k;

      for (k = 0; k < r->n; k++)
        mark_word (index, semblance_vocab_get_word (self->vocab, r->index[k]),
            mentions);
      continue;
    }
    mark_word (index, token, mentions);
    lemmas = semblance_wordnet_lemmas (token);
    for (j = 0; j < lemmas->len; j++)
      mark_word (index, lemmas->pdata[j], mentions);
  }
}

/* "120 bpm" or "120bpm": the tempo in words, or NULL. */
static const char *
tempo_word (GPtrArray *tokens, guint *i)
{
  const char *token = tokens->pdata[*i];
  char *rest;
  guint64 bpm;

  if (!g_ascii_isdigit (token[0]))
    return NULL;
  bpm = g_ascii_strtoull (token, &rest, 10);
  if (g_str_equal (rest, "bpm")) {
    /* nothing more to consume */
  } else if (*rest == '\0' && *i + 1 < tokens->len
      && g_str_equal (tokens->pdata[*i + 1], "bpm")) {
    (*i)++;
  } else {
    return NULL;
  }
  if (bpm < 76)
    return "slow";
  if (bpm < 108)
    return "moderate";
  if (bpm < 132)
    return "upbeat";
  return "fast";
}

gboolean
semblance_text_encoder_embed (SemblanceTextEncoder *self, const char *text,
                              float *vector, SemblanceTextInfo *info,
                              GError **error)
{
  guint dim = semblance_vocab_get_dim (self->vocab), i;
  g_autoptr (GPtrArray) tokens = NULL;
  g_autoptr (GHashTable) unknown_seen = g_hash_table_new (g_str_hash,
      g_str_equal);
  const float *common = semblance_vocab_get_common (self->vocab);
  gboolean negate = FALSE;
  double total = 0.0, norm = 0.0;
  guint known = 0, unknown = 0;

  if (info)
    *info = (SemblanceTextInfo) {
    0, 0, g_ptr_array_new_with_free_func (g_free)};
  if (!g_utf8_validate (text, -1, NULL)) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT,
        "the text is not valid UTF-8");
    return FALSE;
  }

  memset (self->acc, 0, dim * sizeof (float));
  tokens = semblance_text_encoder_terms (self, text);
  for (i = 0; i < tokens->len; i++) {
    const char *token = tokens->pdata[i];
    const char *tempo = tempo_word (tokens, &i);
    const Resolution *r;
    int n;

    if (tempo)
      token = tempo;
    else if (is_negation (token)) {
      negate = TRUE;
      continue;
    } else if (negate && is_one_of (token, intensifiers,
            G_N_ELEMENTS (intensifiers))) {
      continue;
    }

    r = resolve (self, token);
    if (r->n == 0) {
      unknown++;
      if (info && !g_hash_table_contains (unknown_seen, token)) {
        g_hash_table_add (unknown_seen, (gpointer) token);
        g_ptr_array_add (info->unknown_words, g_strdup (token));
      }
      continue;
    }
    known++;
    for (n = 0; n < r->n; n++) {
      int index = r->index[n];
      float weight = semblance_vocab_get_weight (self->vocab, index);
      int opposite = semblance_vocab_get_antonym (self->vocab, index);

      if (negate && opposite >= 0)
        index = opposite;
      semblance_vocab_accumulate (self->vocab, index,
          negate && opposite < 0 ? -weight : weight, self->acc);
      total += weight;
    }
    negate = FALSE;
  }

  if (info) {
    info->known = known;
    info->unknown = unknown;
  }
  if (known == 0 || !(total > 0.0)) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_EMPTY,
        tokens->len == 0 ? "the text has no words"
        : "no word of the text is known");
    return FALSE;
  }

  for (i = 0; i < dim; i++) {
    vector[i] = (float) (self->acc[i] / total - common[i]);
    norm += (double) vector[i] * vector[i];
  }
  norm = sqrt (norm);
  if (!(norm > 1e-9)) {
    g_set_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_EMPTY,
        "the words of the text cancel out");
    return FALSE;
  }
  for (i = 0; i < dim; i++)
    vector[i] = (float) (vector[i] / norm);
  return TRUE;
}

void
semblance_text_info_clear (SemblanceTextInfo *info)
{
  g_clear_pointer (&info->unknown_words, g_ptr_array_unref);
}

float
semblance_text_distance (const float *a, const float *b, guint dim)
{
  double dot = 0.0;
  guint i;

  for (i = 0; i < dim; i++)
    dot += (double) a[i] * b[i];
  return (float) (1.0 - CLAMP (dot, -1.0, 1.0));
}
