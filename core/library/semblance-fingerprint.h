/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Near-duplicates: Chromaprint fingerprints of a track's opening, and
 * whether two are the same recording (a copy, another encoding, a version
 * cut or faded differently). Such tracks sound alike but their property
 * vectors need not be neighbours, and a list that holds both says one
 * thing twice.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The audio fingerprinted: the opening, as Chromaprint's own tools do. */
#define SEMBLANCE_FINGERPRINT_SECONDS 120

/* A fingerprint made of audio as something else decodes it: the indexer
 * feeds it its analysis' own mono audio at 22,050 Hz, so that no file is
 * decoded, mixed or resampled twice.
 * It keeps the first SEMBLANCE_FINGERPRINT_SECONDS of what it is fed. */
typedef struct _SemblanceFingerprinter SemblanceFingerprinter;

/* NULL with an error when Chromaprint cannot be loaded. */
SemblanceFingerprinter *semblance_fingerprinter_new (GError **error);
void semblance_fingerprinter_free (SemblanceFingerprinter *self);

/* @n_frames interleaved float frames of @channels at @rate, full scale
 * ±1; every call of one fingerprint has the same rate and channels. */
void semblance_fingerprinter_feed (SemblanceFingerprinter *self, int rate,
                                   int channels, const float *frames,
                                   gsize n_frames);

/* The raw fingerprint (Chromaprint's default algorithm, one value per
 * 0.124 s) of what was fed; NULL, with *@n_items 0, when that was shorter
 * than 3 seconds or at a rate Chromaprint does not take. Ends the
 * feeding: what is fed after it, and another call, give nothing. */
guint32 *semblance_fingerprinter_finish (SemblanceFingerprinter *self,
                                         guint *n_items);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceFingerprinter,
    semblance_fingerprinter_free)

/* Whether @a and @b are fingerprints of the same recording: at the offset
 * most of their equal values agree on, at least 10 seconds overlap and
 * fewer than a quarter of their bits differ (unrelated music differs in
 * about half). */
gboolean semblance_fingerprint_match (const guint32 *a, guint n_a,
                                      const guint32 *b, guint n_b);

/* Fingerprint @items prepared to be matched with many others, which it
 * borrows: semblance_fingerprint_index_match (index, b, n_b) is
 * semblance_fingerprint_match (items, n, b, n_b), without the work on
 * @items that every pair repeated. */
typedef struct _SemblanceFingerprintIndex SemblanceFingerprintIndex;

SemblanceFingerprintIndex *semblance_fingerprint_index_new
    (const guint32 *items, guint n);
void semblance_fingerprint_index_free (SemblanceFingerprintIndex *index);
gboolean semblance_fingerprint_index_match
    (const SemblanceFingerprintIndex *index, const guint32 *b, guint n_b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceFingerprintIndex,
    semblance_fingerprint_index_free)

G_END_DECLS
