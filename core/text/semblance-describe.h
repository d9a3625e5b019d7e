/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A few words for a place in semantic space: the nearest of a fixed list of
 * words people use to describe music (moods, pace, instruments, styles), so
 * that a player can say what a track is like ("calm, piano, melancholic").
 */
#pragma once

#include "semblance-text.h"

G_BEGIN_DECLS

typedef struct _SemblanceDescriber SemblanceDescriber;

/* Embeds the word list with @encoder, which must outlive the describer. */
SemblanceDescriber *semblance_describer_new (SemblanceTextEncoder *encoder);

void semblance_describer_free (SemblanceDescriber *self);

/* The @n words nearest to @direction (the encoder's dim values, any
 * length), best first; the strings are static. */
GPtrArray *semblance_describer_words (const SemblanceDescriber *self,
                                      const float *direction, guint n);

/* The known words' vectors (*n x the encoder's dim, unit length), for
 * text search's reference descriptions. */
const float *semblance_describer_get_vectors (const SemblanceDescriber *self,
                                              guint *n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceDescriber, semblance_describer_free)

G_END_DECLS
