/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-describe.h"

#include <math.h>

#include "semblance-words.h"


struct _SemblanceDescriber
{
  guint dim;
  GPtrArray *names;             /* the known words */
  float *vectors;               /* names->len x dim, unit length */
};

SemblanceDescriber *
semblance_describer_new (SemblanceTextEncoder *encoder)
{
  SemblanceDescriber *self = g_new0 (SemblanceDescriber, 1);
  guint n_words, i;
  const char *const *words = semblance_words_list (&n_words);

  self->dim = semblance_text_encoder_get_dim (encoder);
  self->names = g_ptr_array_new ();
  self->vectors = g_new (float, (gsize) n_words * self->dim);
  for (i = 0; i < n_words; i++) {
    float *v = self->vectors + (gsize) self->names->len * self->dim;

    if (semblance_text_encoder_embed (encoder, words[i], v, NULL, NULL))
      g_ptr_array_add (self->names, (gpointer) words[i]);
  }
  return self;
}

const float *
semblance_describer_get_vectors (const SemblanceDescriber *self, guint *n)
{
  *n = self->names->len;
  return self->vectors;
}

void
semblance_describer_free (SemblanceDescriber *self)
{
  if (!self)
    return;
  g_ptr_array_unref (self->names);
  g_free (self->vectors);
  g_free (self);
}

GPtrArray *
semblance_describer_words (const SemblanceDescriber *self,
                           const float *direction, guint n)
{
  GPtrArray *best = g_ptr_array_new ();
  g_autofree float *score = g_new (float, self->names->len);
  g_autofree gboolean *taken = g_new0 (gboolean, self->names->len);
  guint i, j, k;

  for (i = 0; i < self->names->len; i++) {
    const float *v = self->vectors + (gsize) i * self->dim;
    double dot = 0.0;

    for (j = 0; j < self->dim; j++)
      dot += (double) v[j] * direction[j];
    score[i] = isfinite (dot) ? (float) dot : -INFINITY;
  }
  /* n is a handful: selection is enough. */
  for (k = 0; k < MIN (n, self->names->len); k++) {
    guint arg = G_MAXUINT;

    for (i = 0; i < self->names->len; i++)
      if (!taken[i] && (arg == G_MAXUINT || score[i] > score[arg]))
        arg = i;
    taken[arg] = TRUE;
    g_ptr_array_add (best, self->names->pdata[arg]);
  }
  return best;
}
