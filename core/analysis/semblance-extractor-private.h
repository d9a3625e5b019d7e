/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * For the analyzer: an extractor whose owner measures loudness on the audio
 * before its downmix to mono, as BS.1770 asks, and hands in the result.
 */
#pragma once

#include "semblance-extractor.h"
#include "semblance-loudness.h"

G_BEGIN_DECLS

/* An extractor without a loudness meter of its own: its properties read
 * the loudness of silence until semblance_properties_set_loudness(). */
SemblanceExtractor *semblance_extractor_new_unmetered (void);

/* Writes @loud into @props: the headline loudness and loudness range and
 * the vector's loudness values. */
void semblance_properties_set_loudness (SemblanceProperties *props,
                                        const SemblanceLoudnessResult *loud);

G_END_DECLS
