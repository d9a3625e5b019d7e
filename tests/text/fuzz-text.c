/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: arbitrary bytes as a description of music. */
#include <stdint.h>
#include <string.h>

#include "semblance.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static SemblanceTextEncoder *encoder;
  g_autofree char *text = g_malloc (size + 1);
  g_autoptr (GPtrArray) tokens = NULL;
  g_autofree float *v = NULL;
  g_auto (SemblanceTextInfo) info = { 0 };
  g_autoptr (GError) error = NULL;

  if (size)
    memcpy (text, data, size);
  text[size] = '\0';
  if (!encoder) {
    encoder = semblance_text_encoder_new_default (&error);
    g_assert_no_error (error);
  }
  tokens = semblance_text_tokenize (text);
  v = g_new (float, semblance_text_encoder_get_dim (encoder));
  if (semblance_text_encoder_embed (encoder, text, v, &info, &error)) {
    g_assert_cmpuint (info.known, >, 0);
    g_assert_cmpfloat (semblance_text_distance (v, v,
            semblance_text_encoder_get_dim (encoder)), <, 1e-5);
  } else {
    g_assert_true (error->domain == SEMBLANCE_ERROR);
  }
  return 0;
}
