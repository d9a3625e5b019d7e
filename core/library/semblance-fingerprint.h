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

/* The raw fingerprint (Chromaprint's default algorithm, one value per
 * 0.124 s) of @path's first SEMBLANCE_FINGERPRINT_SECONDS, decoded with
 * libsndfile; NULL with an error naming the file when it cannot be read
 * that way or is shorter than 3 seconds. */
guint32 *semblance_fingerprint_file (const char *path,
                                     GCancellable *cancellable,
                                     guint *n_items, GError **error);

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
