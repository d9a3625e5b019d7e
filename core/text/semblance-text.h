/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Natural-language descriptions of music to semantic vectors.
 *
 * Text is normalised (NFKC, case folding) and split into words: runs of
 * letters and digits, with inner hyphens and apostrophes kept ("up-tempo",
 * "rock'n'roll"), and a genre's name of several words is one term ("heavy
 * metal": see semblance_text_encoder_terms()). Each word is reduced to its
 * base form with WordNet and looked up in the vocabulary; a word not found
 * falls back to its WordNet synonyms, and is reported as unknown when none is
 * known either. A hyphenated word not found whole is tried without the
 * hyphens, then part by part.
 * "120 bpm" becomes a tempo word; "not", "no", "never", "without" and "n't"
 * turn the next descriptive word into its antonym (or subtract it).
 *
 * The semantic vector is the weighted mean of the word vectors (smooth inverse
 * frequency weights), minus the common component of music descriptions (their
 * mean), scaled to unit length. Distances are cosine distances, 0 to 2.
 */
#pragma once

#include <glib.h>

#include "semblance-export.h"
#include "semblance-vocab.h"

G_BEGIN_DECLS

typedef struct _SemblanceTextEncoder SemblanceTextEncoder;

typedef struct
{
  guint known;        /* words that contributed */
  guint unknown;      /* words that did not */
  GPtrArray *unknown_words; /* (element-type utf8): each unknown word once */
} SemblanceTextInfo;

/* Splits @text into normalised words, as the encoder sees them; none when
 * @text is not valid UTF-8. */
SEMBLANCE_EXPORT
GPtrArray *semblance_text_tokenize (const char *text);

/* @text's words as the encoder reads them: semblance_text_tokenize(), but
 * with the names of kinds of popular music that WordNet knows in two or
 * three words as one term, words separated by a space ("heavy metal",
 * "rock and roll"), when only spaces separate them in @text ("heavy, metal"
 * is two words). A name reads as its words without those of mood or
 * pace, and with the broader genre's name when none of its words names the
 * genre alone ("heavy metal": metal, rock), so that heavy metal reads as a
 * kind of rock and not as "heavy". A name with no broader genre's name
 * either stays words ("dance music"). */
SEMBLANCE_EXPORT
GPtrArray *semblance_text_encoder_terms (SemblanceTextEncoder *self,
                                         const char *text);

/* Takes ownership of @vocab. Fails when WordNet is not available. An encoder
 * caches word lookups: use one per thread. */
SEMBLANCE_EXPORT
SemblanceTextEncoder *semblance_text_encoder_new (SemblanceVocab *vocab,
                                                  GError **error);

/* With the default vocabulary (see semblance_vocab_new_default()). */
SEMBLANCE_EXPORT
SemblanceTextEncoder *semblance_text_encoder_new_default (GError **error);

SEMBLANCE_EXPORT
void semblance_text_encoder_free (SemblanceTextEncoder *self);

SEMBLANCE_EXPORT
guint semblance_text_encoder_get_dim (const SemblanceTextEncoder *self);

/* Identifies the encoder and its vocabulary, for model cards. */
SEMBLANCE_EXPORT
const char *semblance_text_encoder_get_id (const SemblanceTextEncoder *self);

SEMBLANCE_EXPORT
const SemblanceVocab *semblance_text_encoder_get_vocab (const SemblanceTextEncoder *self);

/**
 * semblance_text_encoder_embed:
 * @text: UTF-8 text (invalid sequences are an error)
 * @vector: (out caller-allocates): dim values, unit length
 * @info: (out caller-allocates) (optional): what was understood; clear it
 *   with semblance_text_info_clear()
 *
 * Fails with SEMBLANCE_ERROR_EMPTY when no word of @text is known, and
 * SEMBLANCE_ERROR_FORMAT when @text is not valid UTF-8.
 */
SEMBLANCE_EXPORT
gboolean semblance_text_encoder_embed (SemblanceTextEncoder *self,
                                       const char *text, float *vector,
                                       SemblanceTextInfo *info,
                                       GError **error);

SEMBLANCE_EXPORT
void semblance_text_info_clear (SemblanceTextInfo *info);

/* The words the describer may say of a track (moods, pace, instruments,
 * styles), static, in a fixed order: the words a model's calibrations
 * are for. */
SEMBLANCE_EXPORT
const char *const *semblance_text_describer_words (guint *n);

/* Which describer words @text (valid UTF-8) mentions: @mentions gets one
 * byte per word, 1 when a term of @text (semblance_text_encoder_terms()), or
 * its WordNet base form, is the describer word or a WordNet synonym of it,
 * and is not negated ("not calm"); else 0. A genre's name mentions the words
 * it reads as ("heavy metal": metal and rock, not heavy). */
SEMBLANCE_EXPORT
void semblance_text_encoder_mentions (SemblanceTextEncoder *self,
                                      const char *text, guint8 *mentions);

/* Cosine distance between two unit vectors of @dim values. */
SEMBLANCE_EXPORT
float semblance_text_distance (const float *a, const float *b, guint dim);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceTextEncoder, semblance_text_encoder_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SemblanceTextInfo, semblance_text_info_clear)

G_END_DECLS
