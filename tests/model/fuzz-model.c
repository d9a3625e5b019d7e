/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: arbitrary bytes as a model file, as they come and with the
 * payload size and digest of the header made right, so that the checks
 * behind the digest are reached too. */
#include <math.h>
#include <stdint.h>

#include "semblance.h"
#include "semblance-model.h"
#include "semblance-model-card.h"
#include "semblance-words.h"

#define HEADER_SIZE 56

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The finiteness contract, probed: extreme feature vectors give finite
 * property vectors, finite distances between them, and finite semantic
 * vectors both ways. */
static void
assert_outputs_finite (SemblanceModel *model)
{
  const float probes[] = { G_MAXFLOAT, -G_MAXFLOAT, NAN, INFINITY, 0.0f };
  guint k = semblance_model_get_property_dim (model), sd = model->semantic_dim;
  g_autofree float *features = g_new (float, G_N_ELEMENTS (probes) *
      SEMBLANCE_FEATURE_DIM);
  g_autofree float *out = g_new (float, G_N_ELEMENTS (probes) * k);
  g_autofree float *semantic = g_new0 (float, MAX (sd, 1));
  g_autofree float *back = g_new (float, k);
  gsize p, i;

  for (p = 0; p < G_N_ELEMENTS (probes); p++)
    for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++)
      features[p * SEMBLANCE_FEATURE_DIM + i] = i % 2 ? probes[p] : -probes[p];
  semblance_model_embed (model, features, G_N_ELEMENTS (probes), out);
  for (p = 0; p < G_N_ELEMENTS (probes); p++) {
    float d = 0.0f;

    for (i = 0; i < k; i++) {
      float diff = out[p * k + i] - out[i];

      g_assert_true (isfinite (out[p * k + i]));
      d += diff * diff;
    }
    g_assert_true (isfinite (d));
  }
  if (sd > 0) {
    g_autoptr (GBytes) bytes = semblance_model_serialize (model);
    g_autoptr (SemblanceEmbedder) embedder = semblance_embedder_new
        (semblance_model_load_from_bytes (bytes, NULL));

    g_assert_true (semblance_embedder_project (embedder, out, semantic));
    for (i = 0; i < sd; i++)
      g_assert_true (isfinite (semantic[i]));
    g_assert_true (semblance_embedder_unproject (embedder, semantic, back));
    for (i = 0; i < k; i++)
      g_assert_true (isfinite (back[i]));
  }
}

static void
try_load (GBytes *bytes)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceModel) model = semblance_model_load_from_bytes (bytes,
      &error);
  g_autoptr (GString) card = NULL;
  g_autofree char *sum = NULL;
  guint64 map_size;
  gsize i;

  if (!model) {
    g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT);
    return;
  }

  /* A model that loads can be used throughout: every array has the length
   * its dimensions imply (the sanitizers watch), every value is finite. */
  map_size = (guint64) semblance_model_get_property_dim (model) *
      model->semantic_dim;
  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++) {
    g_assert_true (isfinite (model->mean[i]));
    g_assert_true (isfinite (model->std[i]) && model->std[i] > 0.0f);
  }
  for (i = 0; i < model->n_params; i++)
    g_assert_true (isfinite (model->params[i]));
  for (i = 0; i < map_size; i++)
    g_assert_true (isfinite (model->semantic_map[i]));
  for (i = 0; i < model->semantic_dim; i++)
    g_assert_true (isfinite (model->semantic_bias[i]));
  g_assert_true (isfinite (model->scale) && model->scale > 0.0f);
  for (i = 0; i < model->calibrations->len; i++) {
    const SemblanceWordCalibration *c = &g_array_index (model->calibrations,
        SemblanceWordCalibration, i);

    g_assert_true (semblance_words_is_known (c->word));
    g_assert_true (isfinite (c->a) && isfinite (c->b));
  }

  assert_outputs_finite (model);

  card = g_string_new (NULL);
  semblance_cmd_model_card (model, card);
  g_assert_true (g_utf8_validate (card->str, card->len, NULL));

  /* The loader accepts only the one file the writer makes for a model. */
  sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_assert_cmpstr (semblance_model_get_id (model), ==, sum);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GBytes) as_is = g_bytes_new (data, size);

  try_load (as_is);
  if (size >= HEADER_SIZE) {
    guint8 *copy = g_memdup2 (data, size);
    g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
    g_autoptr (GBytes) signed_bytes = NULL;
    guint64 payload_size = size - HEADER_SIZE;
    gsize len = 32, i;

    for (i = 0; i < 8; i++)
      copy[16 + i] = (guint8) (payload_size >> (8 * i));
    g_checksum_update (sum, copy + HEADER_SIZE, payload_size);
    g_checksum_get_digest (sum, copy + 24, &len);
    signed_bytes = g_bytes_new_take (copy, size);
    try_load (signed_bytes);
  }
  return 0;
}
