/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the tests of the vocabulary's digest cache look at. */
#pragma once

#include "semblance-vocab.h"

G_BEGIN_DECLS

/* Whether loading @self hashed its contents: FALSE when the digest cache
 * knew the file as it is. */
gboolean semblance_vocab_digest_was_computed (const SemblanceVocab *self);

G_END_DECLS
