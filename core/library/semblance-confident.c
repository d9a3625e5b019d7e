/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-confident.h"

#include <math.h>

#include "semblance-platt.h"

static void
clear_word (gpointer data)
{
  SemblanceConfidentWord *w = data;

  g_free (w->word);
}

static gint
more_probable (gconstpointer a, gconstpointer b)
{
  double pa = ((const SemblanceConfidentWord *) a)->p;
  double pb = ((const SemblanceConfidentWord *) b)->p;

  return pa > pb ? -1 : pa < pb;
}

GArray *
semblance_confident_words (const SemblanceModel *model,
                           SemblanceTextEncoder *encoder,
                           const float *properties, guint n)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (SemblanceConfidentWord));
  guint sd = model->semantic_dim, k = semblance_model_get_property_dim (model);
  g_autofree double *s = NULL;
  g_autofree float *v = NULL;
  double n2 = 0.0;
  guint i, c, j;

  g_array_set_clear_func (out, clear_word);
  if (model->calibrations->len == 0 || sd == 0
      || semblance_text_encoder_get_dim (encoder) != sd)
    return out;
  /* The predicted semantic vector, s = p M + bias, as training calibrated
   * the words on it. */
  s = g_new (double, sd);
  for (c = 0; c < sd; c++) {
    s[c] = model->semantic_bias[c];
    for (j = 0; j < k; j++)
      s[c] += (double) properties[j] * model->semantic_map[(gsize) j * sd + c];
    n2 += s[c] * s[c];
  }
  if (!(n2 > 0.0) || !isfinite (n2))
    return out;
  v = g_new (float, sd);
  for (i = 0; i < model->calibrations->len; i++) {
    const SemblanceWordCalibration *cal = &g_array_index (model->calibrations,
        SemblanceWordCalibration, i);
    SemblanceConfidentWord w;
    double dot = 0.0;

    if (!semblance_text_encoder_embed (encoder, cal->word, v, NULL, NULL))
      continue;
    for (c = 0; c < sd; c++)
      dot += s[c] * v[c];
    w.p = semblance_platt_probability (cal->a, cal->b, dot / sqrt (n2));
    if (!(w.p >= SEMBLANCE_WORD_MIN_PROBABILITY))
      continue;
    w.word = g_strdup (cal->word);
    g_array_append_val (out, w);
  }
  g_array_sort (out, more_probable);
  if (out->len > n)
    g_array_set_size (out, n);
  return out;
}
