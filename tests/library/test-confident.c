/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Confident words: the calibrations decide, above one half only, best
 * first; nothing without calibrations. */
#include <glib.h>
#include <math.h>

#include "semblance.h"

static void
add_calibration (SemblanceModel *model, const char *word, double a, double b)
{
  SemblanceWordCalibration c = { g_strdup (word), a, b };

  g_array_append_val (model->calibrations, c);
}

static void
test_confident (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceTextEncoder) encoder =
      semblance_text_encoder_new_default (&error);
  guint dim = semblance_text_encoder_get_dim (encoder);
  g_autoptr (SemblanceModel) model = semblance_model_new_empty (4, 2, dim);
  g_autofree float *properties = g_new0 (float,
      semblance_model_get_property_dim (model));
  g_autoptr (GArray) none = NULL, words = NULL, one = NULL;
  const SemblanceConfidentWord *w;

  g_assert_no_error (error);
  /* A map that predicts "calm" of every track. */
  g_assert_true (semblance_text_encoder_embed (encoder, "calm",
          model->semantic_bias, NULL, NULL));
  none = semblance_confident_words (model, encoder, properties, 5);
  g_assert_cmpuint (none->len, ==, 0);

  add_calibration (model, "calm", 10, -5);      /* at cosine 1: 0.993 */
  add_calibration (model, "metal", 10, -9);     /* far from calm: below */
  add_calibration (model, "sad", 0, 1);         /* 0.731 whatever is said */
  words = semblance_confident_words (model, encoder, properties, 5);
  g_assert_cmpuint (words->len, ==, 2);
  w = &g_array_index (words, SemblanceConfidentWord, 0);
  g_assert_cmpstr (w->word, ==, "calm");
  g_assert_cmpfloat_with_epsilon (w->p, 1 / (1 + exp (-5.0)), 1e-5);
  w = &g_array_index (words, SemblanceConfidentWord, 1);
  g_assert_cmpstr (w->word, ==, "sad");
  g_assert_cmpfloat_with_epsilon (w->p, 1 / (1 + exp (-1.0)), 1e-9);
  one = semblance_confident_words (model, encoder, properties, 1);
  g_assert_cmpuint (one->len, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/confident/words", test_confident);
  return g_test_run ();
}
