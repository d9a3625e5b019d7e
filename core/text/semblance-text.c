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
 * of a hyphenated word). */
#define MAX_PARTS 4

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
  float *acc;
};

GPtrArray *
semblance_text_tokenize (const char *text)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *normal = NULL;
  g_autofree char *folded = NULL;
  const char *p, *start = NULL, *end = NULL;

  if (!g_utf8_validate (text, -1, NULL))
    return out;
  normal = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  folded = g_utf8_casefold (normal, -1);

  /* A token is letters and digits, joined by single inner hyphens or
   * apostrophes. */
  for (p = folded;; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (c != 0 && g_unichar_isalnum (c)) {
      if (!start)
        start = p;
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
      start = NULL;
    }
    if (c == 0)
      break;
  }
  return out;
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
  self->id = g_strdup_printf ("semblance-text-1+%s",
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

/* A word's base form when the vocabulary has it ("drums" and "drum" meet),
 * else the word itself. The vocabulary knows the base forms of its own
 * words; WordNet is asked only about the others. */
static int
lookup_word (SemblanceTextEncoder *self, const char *word)
{
  g_autoptr (GPtrArray) lemmas = NULL;
  int index = semblance_vocab_lookup (self->vocab, word);
  guint i;

  if (index >= 0) {
    int lemma = semblance_vocab_get_lemma (self->vocab, index);

    return lemma >= 0 ? lemma : index;
  }
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
  Resolution *r = g_hash_table_lookup (self->cache, token);

  if (!r) {
    r = g_new (Resolution, 1);
    *r = resolve_uncached (self, token);
    g_hash_table_insert (self->cache, g_strdup (token), r);
  }
  return r;
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
  g_autoptr (GPtrArray) tokens = semblance_text_tokenize (text);
  const char *const *words;
  gboolean negate = FALSE;
  guint n_words, i, j;

  /* The encoder's existence is what says WordNet is open. */
  (void) self;
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
  tokens = semblance_text_tokenize (text);
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
