/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: arbitrary bytes as a vocabulary file, as they come and with
 * their digest made right, so that the checks behind the digest are reached
 * too. */
#include <stdint.h>
#include <string.h>

#include "semblance.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
try_load (GBytes *bytes)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceVocab) vocab = semblance_vocab_new_from_bytes (bytes,
      &error);
  g_autofree float *acc = NULL;
  guint i;

  if (!vocab) {
    g_assert_true (error->domain == SEMBLANCE_ERROR);
    return;
  }
  /* A vocabulary that loads can be used throughout. */
  acc = g_new0 (float, semblance_vocab_get_dim (vocab));
  for (i = 0; i < semblance_vocab_get_size (vocab); i++) {
    const char *word = semblance_vocab_get_word (vocab, i);

    g_assert_cmpint (semblance_vocab_lookup (vocab, word), ==, i);
    semblance_vocab_accumulate (vocab, i, semblance_vocab_get_weight (vocab,
            i), acc);
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GBytes) as_is = g_bytes_new (data, size);

  try_load (as_is);
  if (size >= 64) {
    guint8 *copy = g_memdup2 (data, size);
    g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
    g_autoptr (GBytes) signed_bytes = NULL;
    gsize len = 32;

    g_checksum_update (sum, copy + 64, size - 64);
    g_checksum_get_digest (sum, copy + 24, &len);
    signed_bytes = g_bytes_new_take (copy, size);
    try_load (signed_bytes);
  }
  return 0;
}
