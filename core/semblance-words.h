/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The words the describer may say of a track. They are a contract: text/
 * embeds them, and a model file calibrates some of them, so the model
 * loader, which never calls text/, must know which words exist.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The words, static, in a fixed order. */
const char *const *semblance_words_list (guint *n);

gboolean semblance_words_is_known (const char *word);

/* Whether @word is one of the words of mood or pace ("calm", "heavy"),
 * which say on their own how a track sounds, rather than what plays it or
 * its style. */
gboolean semblance_words_is_quality (const char *word);

G_END_DECLS
