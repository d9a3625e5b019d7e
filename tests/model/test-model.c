/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Model files: exact round trips, a stable id, and a clear error for every
 * fault of a file that is, like any download, untrusted input. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "files.h"
#include "semblance.h"
#include "semblance-bytes.h"
#include "semblance-embedder.h"
#include "semblance-file.h"
#include "semblance-model.h"
#include "semblance-model-card.h"
#include "semblance-model-private.h"

#define HEADER_SIZE 56

static char *tmp_dir;
static char *cache_home;        /* XDG_CACHE_HOME, the test's own */

static void
fill_random (GRand *rand, float *values, gsize n, double lo, double hi)
{
  gsize i;

  for (i = 0; i < n; i++)
    values[i] = (float) g_rand_double_range (rand, lo, hi);
}

static void
replace (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static void
add_metric (SemblanceModel *model, const char *name, double value)
{
  g_ptr_array_add (model->card.metric_names, g_strdup (name));
  g_array_append_val (model->card.metric_values, value);
}

static void
add_calibration (SemblanceModel *model, const char *word, double a, double b)
{
  SemblanceWordCalibration c = { g_strdup (word), a, b };

  g_array_append_val (model->calibrations, c);
}

/* A model with every value set: seeded random weights and a full card. */
static SemblanceModel *
make_model (guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  SemblanceModel *model = semblance_model_new_empty (8, 4, 6);
  SemblanceModelCard *card = &model->card;

  fill_random (rand, model->mean, SEMBLANCE_FEATURE_DIM, -50, 50);
  fill_random (rand, model->std, SEMBLANCE_FEATURE_DIM, 0.01, 20);
  fill_random (rand, model->params, model->n_params, -2, 2);
  model->scale = (float) g_rand_double_range (rand, 0.5, 3);
  fill_random (rand, model->semantic_map,
      semblance_model_get_property_dim (model) * model->semantic_dim, -1, 1);
  fill_random (rand, model->semantic_bias, model->semantic_dim, -1, 1);
  replace (&card->name, "Semblance test model");
  replace (&card->description, "Trained on synthetic signals.\n"
      "Second line: “quotes”, café.");
  replace (&card->license, "CC-BY-4.0");
  replace (&card->authors, "A. Tester, B. Prüfer");
  replace (&card->created, "2026-01-05T12:00:00Z");
  replace (&card->training_data, "Free Music Archive, small subset");
  card->training_tracks = 8000;
  replace (&card->training_licenses, "CC-BY-4.0, CC-BY-SA-4.0");
  replace (&card->training_list_sha256, "0123456789abcdef0123456789ABCDEF"
      "0123456789abcdef0123456789abcdef");
  replace (&card->text_encoder, "semblance-vocab-1-0011223344556677");
  add_metric (model, "spearman", 0.61);
  add_metric (model, "precision@10", 0.4321);
  add_metric (model, "triplet accuracy", 0.875);
  return model;
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static void
assert_same_floats (const float *a, const float *b, gsize n)
{
  g_assert_true ((a == NULL) == (b == NULL));
  if (n)
    g_assert_cmpmem (a, n * sizeof (float), b, n * sizeof (float));
}

static void
assert_same_model (const SemblanceModel *a, const SemblanceModel *b)
{
  const SemblanceModelCard *x = &a->card, *y = &b->card;
  guint i;

  g_assert_cmpuint (a->layout_version, ==, b->layout_version);
  g_assert_cmpuint (a->n_groups, ==, b->n_groups);
  g_assert_cmpmem (a->input_dims, sizeof a->input_dims, b->input_dims,
      sizeof b->input_dims);
  g_assert_cmpuint (a->hidden, ==, b->hidden);
  g_assert_cmpuint (a->group_out, ==, b->group_out);
  g_assert_cmpuint (a->semantic_dim, ==, b->semantic_dim);
  g_assert_cmpuint (a->n_params, ==, b->n_params);
  assert_same_floats (a->mean, b->mean, SEMBLANCE_FEATURE_DIM);
  assert_same_floats (a->std, b->std, SEMBLANCE_FEATURE_DIM);
  assert_same_floats (a->params, b->params, a->n_params);
  assert_same_floats (&a->scale, &b->scale, 1);
  assert_same_floats (a->semantic_map, b->semantic_map,
      semblance_model_get_property_dim (a) * a->semantic_dim);
  assert_same_floats (a->semantic_bias, b->semantic_bias, a->semantic_dim);

  g_assert_cmpstr (x->name, ==, y->name);
  g_assert_cmpstr (x->description, ==, y->description);
  g_assert_cmpstr (x->license, ==, y->license);
  g_assert_cmpstr (x->authors, ==, y->authors);
  g_assert_cmpstr (x->created, ==, y->created);
  g_assert_cmpstr (x->training_data, ==, y->training_data);
  g_assert_cmpuint (x->training_tracks, ==, y->training_tracks);
  g_assert_cmpstr (x->training_licenses, ==, y->training_licenses);
  g_assert_cmpstr (x->training_list_sha256, ==, y->training_list_sha256);
  g_assert_cmpstr (x->text_encoder, ==, y->text_encoder);
  g_assert_cmpuint (x->metric_names->len, ==, y->metric_names->len);
  g_assert_cmpuint (y->metric_values->len, ==, y->metric_names->len);
  for (i = 0; i < x->metric_names->len; i++) {
    double u = g_array_index (x->metric_values, double, i);
    double v = g_array_index (y->metric_values, double, i);

    g_assert_cmpstr (x->metric_names->pdata[i], ==, y->metric_names->pdata[i]);
    g_assert_cmpmem (&u, sizeof u, &v, sizeof v);
  }
  g_assert_cmpuint (a->calibrations->len, ==, b->calibrations->len);
  for (i = 0; i < a->calibrations->len; i++) {
    const SemblanceWordCalibration *c = &g_array_index (a->calibrations,
        SemblanceWordCalibration, i);
    const SemblanceWordCalibration *d = &g_array_index (b->calibrations,
        SemblanceWordCalibration, i);

    g_assert_cmpstr (c->word, ==, d->word);
    g_assert_cmpmem (&c->a, sizeof c->a, &d->a, sizeof d->a);
    g_assert_cmpmem (&c->b, sizeof c->b, &d->b, sizeof d->b);
  }
}

static gboolean
is_lower_hex (const char *s, gsize length)
{
  gsize i;

  for (i = 0; s[i]; i++)
    if (!g_ascii_isdigit (s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
      return FALSE;
  return i == length;
}

static void
test_round_trip (void)
{
  g_autoptr (SemblanceModel) model = make_model (1);
  g_autoptr (SemblanceModel) loaded = NULL;
  g_autoptr (SemblanceModel) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = tmp_path ("round-trip.smodel");
  g_autofree char *path2 = tmp_path ("round-trip-2.smodel");
  g_autofree char *contents = NULL, *contents2 = NULL, *file_sum = NULL;
  g_autofree char *id = NULL;
  gsize length, length2;

  g_assert_true (semblance_model_save (model, path, &error));
  g_assert_no_error (error);
  loaded = semblance_model_load (path, &error);
  g_assert_no_error (error);
  assert_same_model (model, loaded);

  /* The id is the SHA-256 of the file, which is the same for every save of
   * the same model, and the loaded model writes it again byte for byte. */
  id = g_strdup (semblance_model_get_id (model));
  g_assert_true (is_lower_hex (id, 64));
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  file_sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
      (const guint8 *) contents, length);
  g_assert_cmpstr (id, ==, file_sum);
  g_assert_cmpstr (semblance_model_get_id (loaded), ==, id);
  g_assert_cmpstr (semblance_model_get_id (model), ==, id);
  g_assert_true (semblance_model_save (loaded, path2, &error));
  g_assert_true (g_file_get_contents (path2, &contents2, &length2, NULL));
  g_assert_cmpmem (contents, length, contents2, length2);

  /* One weight one step away gives another model, and another id (an id
   * is computed when the model is saved or loaded). */
  loaded->params[loaded->n_params / 2] =
      nextafterf (loaded->params[loaded->n_params / 2], INFINITY);
  g_assert_true (semblance_model_save (loaded, path2, &error));
  g_assert_cmpstr (semblance_model_get_id (loaded), !=, id);
  g_assert_true (is_lower_hex (semblance_model_get_id (loaded), 64));

  /* So does a change in the card. */
  again = make_model (1);
  replace (&again->card.authors, "someone else");
  g_assert_cmpstr (semblance_model_get_id (again), !=, id);

  g_unlink (path);
  g_unlink (path2);
}

static void
test_empty (void)
{
  g_autoptr (SemblanceModel) model = semblance_model_new_empty (3, 2, 0);
  g_autoptr (SemblanceModel) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = tmp_path ("empty.smodel");
  gsize expected = 0, i;
  guint g;

  g_assert_cmpuint (model->layout_version, ==, SEMBLANCE_LAYOUT_VERSION);
  g_assert_cmpuint (model->n_groups, ==, SEMBLANCE_N_GROUPS);
  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    size_t start, length;

    semblance_layout_group_range (g, &start, &length);
    g_assert_cmpuint (model->input_dims[g], ==, length);
    expected += 3 * length + 3 + 2 * 3 + 2;
  }
  g_assert_cmpuint (model->n_params, ==, expected);
  g_assert_cmpuint (semblance_model_get_property_dim (model), ==,
      2 * SEMBLANCE_N_GROUPS);
  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++) {
    g_assert_cmpfloat (model->mean[i], ==, 0.0f);
    g_assert_cmpfloat (model->std[i], ==, 1.0f);
  }
  for (i = 0; i < model->n_params; i++)
    g_assert_cmpfloat (model->params[i], ==, 0.0f);
  g_assert_cmpfloat (model->scale, ==, 1.0f);
  g_assert_null (model->semantic_map);
  g_assert_null (model->semantic_bias);
  g_assert_cmpstr (model->card.name, ==, "");
  g_assert_cmpuint (model->card.metric_names->len, ==, 0);

  /* A model must say under which license it may be used. */
  g_assert_false (semblance_model_save (model, path, &error));
  g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "empty.smodel: not saved"));
  g_assert_nonnull (strstr (error->message, "no license"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  replace (&model->card.license, "MIT");
  g_assert_true (semblance_model_save (model, path, &error));
  loaded = semblance_model_load (path, &error);
  g_assert_no_error (error);
  assert_same_model (model, loaded);
  g_unlink (path);
}

static void
test_card (void)
{
  g_autoptr (SemblanceModel) model = make_model (2);
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *id = NULL;

  semblance_cmd_model_card (model, out);
  g_test_message ("%s", out->str);
  id = g_strdup_printf ("Model id           %s\n",
      semblance_model_get_id (model));
  g_assert_true (g_str_has_prefix (out->str, id));
  g_assert_nonnull (strstr (out->str,
          "\nName               Semblance test model\n"));
  g_assert_nonnull (strstr (out->str,
          "\nDescription        Trained on synthetic signals.\n"
          "                   Second line: “quotes”, café.\n"));
  g_assert_nonnull (strstr (out->str, "\nLicense            CC-BY-4.0\n"));
  g_assert_nonnull (strstr (out->str, "\nArchitecture       5 groups x "
          "(in -> 8 tanh -> 4), property vector 20\n"));
  g_assert_nonnull (strstr (out->str, "\nInputs             timbre 66, "
          "spectral 19, rhythm 13, tonality 17, dynamics 7\n"));
  g_assert_nonnull (strstr (out->str, "\nFeature layout     version 2\n"));
  g_assert_nonnull (strstr (out->str, "\nSemantic map       linear, "
          "20 -> 6\n"));
  g_assert_nonnull (strstr (out->str, "\nTraining tracks    8000\n"));
  g_assert_nonnull (strstr (out->str, "\nText encoder       "
          "semblance-vocab-1-0011223344556677\n"));
  g_assert_nonnull (strstr (out->str, "\nHeld-out metrics   "
          "spearman          0.61\n"
          "                   precision@10      0.4321\n"
          "                   triplet accuracy  0.875\n"));
  g_assert_true (g_utf8_validate (out->str, out->len, NULL));
}

/* Writes @bytes to a file and checks that loading it fails with @fragment
 * in the message, which names the file too. */
static void
assert_load_fails (GBytes *bytes, const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceModel) model = NULL;
  g_autofree char *path = tmp_path ("faulty.smodel");

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
          g_bytes_get_size (bytes), NULL));
  model = semblance_model_load (path, &error);
  g_assert_null (model);
  g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  if (!strstr (error->message, fragment)
      || !strstr (error->message, "faulty.smodel: not a valid model: "))
    g_error ("“%s” lacks “%s” or the file's name", error->message, fragment);
  g_unlink (path);
}

/* A copy of the first @size bytes of @data with the payload size and digest
 * of the header made right, so that the checks behind them are reached. */
static void
assert_resigned_fails (const guint8 *data, gsize size, const char *fragment)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 *copy = g_memdup2 (data, size);
  g_autoptr (GBytes) bytes = NULL;
  gsize len = 32;

  semblance_put_u64 (copy + 16, size - HEADER_SIZE);
  g_checksum_update (sum, copy + HEADER_SIZE, size - HEADER_SIZE);
  g_checksum_get_digest (sum, copy + 24, &len);
  bytes = g_bytes_new_take (copy, size);
  assert_load_fails (bytes, fragment);
}

static guint8 *
serialized (const SemblanceModel *model, gsize *size)
{
  g_autoptr (GBytes) bytes = semblance_model_serialize (model);

  return g_bytes_unref_to_data (g_steal_pointer (&bytes), size);
}

static void
test_header_faults (void)
{
  g_autoptr (SemblanceModel) model = make_model (3);
  g_autoptr (GError) error = NULL;
  gsize size;
  g_autofree guint8 *good = serialized (model, &size);
  struct
  {
    gsize offset;
    guint8 flip;                /* XORed with the byte at offset */
    const char *fragment;
  } patches[] = {
    { 0, 'S' ^ 'X', "wrong magic number" },
    { 7, '!', "wrong magic number" },
    { 8, 1 ^ 7, "format version 7, this program reads versions 1 and 2" },
    { 12, 1, "reserved header field" },
    { 20, 1, "truncated: " },
    { 24, 1, "digest does not match" },
    { HEADER_SIZE + 100, 0xa5, "digest does not match" },
    { size - 1, 0x5a, "digest does not match" },
  };
  struct
  {
    gsize size;
    const char *fragment;
  } cuts[] = {
    { size - 1, "truncated: " },
    { HEADER_SIZE, "truncated: " },
    { HEADER_SIZE - 1, "shorter than the 56-byte header" },
    { 0, "shorter than the 56-byte header" },
  };
  g_autoptr (GBytes) longer = NULL;
  g_autofree char *fragment = NULL;
  g_autofree char *missing = tmp_path ("no-such-model.smodel");
  guint8 *extended;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (patches); i++) {
    g_autoptr (GBytes) bytes = NULL;
    guint8 *data = g_memdup2 (good, size);

    data[patches[i].offset] ^= patches[i].flip;
    bytes = g_bytes_new_take (data, size);
    assert_load_fails (bytes, patches[i].fragment);
  }
  for (i = 0; i < G_N_ELEMENTS (cuts); i++) {
    g_autoptr (GBytes) bytes = g_bytes_new (good, cuts[i].size);

    assert_load_fails (bytes, cuts[i].fragment);
  }
  extended = g_malloc0 (size + 3);
  memcpy (extended, good, size);
  longer = g_bytes_new_take (extended, size + 3);
  fragment = g_strdup_printf ("%zu bytes of payload where the header "
      "announces %zu", size + 3 - HEADER_SIZE, size - HEADER_SIZE);
  assert_load_fails (longer, fragment);

  g_assert_null (semblance_model_load (missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "no-such-model.smodel"));
}

/* Changes the payload bytes and signs them again: faults that only the
 * GVariant checks catch. */
static void
test_payload_faults (void)
{
  g_autoptr (SemblanceModel) model = make_model (4);
  gsize size;
  g_autofree guint8 *good = serialized (model, &size);
  const char *name = model->card.name;
  gsize at;

  /* A payload cut short, and none at all. */
  assert_resigned_fails (good, size - 1, "not a GVariant of type "
      SEMBLANCE_MODEL_VARIANT_TYPE " in normal form");
  assert_resigned_fails (good, HEADER_SIZE, "normal form");

  /* Invalid UTF-8 is not in normal form either. */
  for (at = HEADER_SIZE; memcmp (good + at, name, strlen (name)) != 0; at++)
    g_assert_cmpuint (at + strlen (name), <, size);
  good[at + 3] = 0xff;
  assert_resigned_fails (good, size, "normal form");
}

/* The loader's own check of the normal form decides as GLib's
 * g_variant_is_normal_form() does: bytes changed at random, in the
 * framing at the end of the payload (the offsets of the tuples) more
 * often than elsewhere, and signed again. */
static void
test_normal_form_as_glib (void)
{
  g_autoptr (SemblanceModel) model = make_model (4);
  gsize size, payload;
  g_autofree guint8 *good = serialized (model, &size);
  guint round, normal = 0, rounds = 3000;

  payload = size - HEADER_SIZE;
  for (round = 0; round < rounds; round++) {
    g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
    g_autofree guint8 *copy = g_memdup2 (good, size);
    g_autoptr (GBytes) bytes = NULL, part = NULL;
    g_autoptr (GVariant) variant = NULL;
    g_autoptr (SemblanceModel) loaded = NULL;
    g_autoptr (GError) error = NULL;
    gsize at, len = 32;
    gboolean glib_normal;

    at = round % 2 ? payload - 1 - (gsize) g_test_rand_int_range (0, 64)
        : (gsize) g_test_rand_int_range (0, (gint) payload);
    copy[HEADER_SIZE + at] ^= 1u << g_test_rand_int_range (0, 8);
    g_checksum_update (sum, copy + HEADER_SIZE, payload);
    g_checksum_get_digest (sum, copy + 24, &len);
    bytes = g_bytes_new (copy, size);
    part = g_bytes_new_from_bytes (bytes, HEADER_SIZE, payload);
    variant = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE
            (SEMBLANCE_MODEL_VARIANT_TYPE), part, FALSE));
    glib_normal = g_variant_is_normal_form (variant);
    loaded = semblance_model_load_from_bytes (bytes, &error);
    g_assert_true (glib_normal == !(error && strstr (error->message,
                "normal form")));
    normal += glib_normal;
  }
  g_test_message ("%u of %u changed payloads in normal form", normal,
      rounds);
  /* Both answers, many times each. */
  g_assert_cmpuint (normal, >, rounds / 10);
  g_assert_cmpuint (normal, <, rounds * 9 / 10);
}

typedef void (*Damage) (SemblanceModel *model);

static void
nan_weight (SemblanceModel *model)
{
  /* The first value of group 1's W2. */
  model->params[model->hidden * (model->input_dims[0] + 1) +
      model->group_out * (model->hidden + 1) +
      model->hidden * (model->input_dims[1] + 1)] = NAN;
}

static void
infinite_mean (SemblanceModel *model)
{
  model->mean[7] = -INFINITY;
}

static void
std_zero (SemblanceModel *model)
{
  model->std[5] = 0.0f;
}

static void
std_negative (SemblanceModel *model)
{
  model->std[SEMBLANCE_FEATURE_DIM - 1] = -1.0f;
}

static void
scale_zero (SemblanceModel *model)
{
  model->scale = 0.0f;
}

static void
map_nan (SemblanceModel *model)
{
  model->semantic_map[11] = NAN;
}

static void
bias_infinite (SemblanceModel *model)
{
  model->semantic_bias[0] = INFINITY;
}

static void
layout_version (SemblanceModel *model)
{
  model->layout_version = SEMBLANCE_LAYOUT_VERSION + 1;
}

static void
input_dim (SemblanceModel *model)
{
  model->input_dims[SEMBLANCE_GROUP_RHYTHM]++;
}

static void
four_groups (SemblanceModel *model)
{
  model->n_groups = 4;
}

static void
hidden_zero (SemblanceModel *model)
{
  model->hidden = 0;
}

/* Dimensions out of range, with arrays to match for serialising. */
static void
resize_semantic_map (SemblanceModel *model)
{
  g_free (model->semantic_map);
  g_free (model->semantic_bias);
  model->semantic_map = g_new0 (float, semblance_model_get_property_dim
      (model) * model->semantic_dim);
  model->semantic_bias = g_new0 (float, model->semantic_dim);
}

static void
group_out_huge (SemblanceModel *model)
{
  model->group_out = 1025;
  resize_semantic_map (model);
}

static void
semantic_dim_huge (SemblanceModel *model)
{
  model->semantic_dim = 5000;
  resize_semantic_map (model);
}

static void
params_short (SemblanceModel *model)
{
  model->n_params--;
}

static void
bad_sha256 (SemblanceModel *model)
{
  replace (&model->card.training_list_sha256, "0123456789abcdef");
}

static void
sha256_not_hex (SemblanceModel *model)
{
  char *sha = model->card.training_list_sha256;

  sha[63] = 'g';
}

static void
no_license (SemblanceModel *model)
{
  replace (&model->card.license, "");
}

static void
escape_in_name (SemblanceModel *model)
{
  replace (&model->card.name, "evil \033[2J model");
}

/* Finite weights whose outputs cannot stay finite. */
static void
huge_output_weight (SemblanceModel *model)
{
  /* W2 of group 0 starts after W1 (8 x 66) and b1 (8). */
  model->params[8 * 66 + 8] = 3e38f;
}

static void
huge_hidden_weight (SemblanceModel *model)
{
  model->params[0] = -1e36f;
}

static void
huge_semantic_map (SemblanceModel *model)
{
  model->semantic_map[0] = 3e38f;
}

static void
metric_nan (SemblanceModel *model)
{
  add_metric (model, "recall", NAN);
}

static void
metric_unnamed (SemblanceModel *model)
{
  add_metric (model, "", 0.5);
}

static void
calibration_unknown_word (SemblanceModel *model)
{
  add_calibration (model, "calm", 4, -1);
  add_calibration (model, "\033[2Jwobbly", 4, -1);
}

static void
calibration_twice (SemblanceModel *model)
{
  add_calibration (model, "piano", 4, -1);
  add_calibration (model, "calm", 4, -1);
  add_calibration (model, "piano", 5, -2);
}

static void
calibration_nan (SemblanceModel *model)
{
  add_calibration (model, "calm", NAN, -1);
}

static void
calibration_without_map (SemblanceModel *model)
{
  add_calibration (model, "calm", 4, -1);
  model->semantic_dim = 0;
}

/* A model at the edge of the contract gives finite property vectors and
 * distances for any input; a feature that is not finite is refused by the
 * checked embedding. */
static void
test_finite_outputs (void)
{
  g_autoptr (SemblanceModel) model = make_model (9);
  g_autoptr (SemblanceEmbedder) embedder = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  guint k = semblance_model_get_property_dim (model), i;
  float features[2 * SEMBLANCE_FEATURE_DIM], out[2 * 40], semantic[6];
  float back[40];
  double d = 0.0;

  /* Each output just within its bound; each std tiny, so that features
   * standardise to huge values. */
  for (i = 0; i < model->n_params; i++)
    model->params[i] = i % 2 ? 1e14f : -1e14f;
  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++)
    model->std[i] = 1e-30f;
  bytes = semblance_model_serialize (model);
  embedder = semblance_embedder_new (semblance_model_load_from_bytes (bytes,
          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (k, <=, 40);
  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++) {
    features[i] = i % 2 ? G_MAXFLOAT : -G_MAXFLOAT;
    features[SEMBLANCE_FEATURE_DIM + i] = -features[i];
  }
  semblance_embedder_embed (embedder, features, 2, out);
  for (i = 0; i < k; i++) {
    g_assert_true (isfinite (out[i]) && isfinite (out[k + i]));
    d += (double) (out[i] - out[k + i]) * (out[i] - out[k + i]);
  }
  g_assert_true (isfinite ((float) d));
  g_assert_true (semblance_embedder_project (embedder, out, semantic));
  for (i = 0; i < 6; i++)
    g_assert_true (isfinite (semantic[i]));
  g_assert_true (semblance_embedder_unproject (embedder, semantic, back));
  for (i = 0; i < k; i++)
    g_assert_true (isfinite (back[i]));

  features[7] = NAN;
  g_assert_false (semblance_embedder_embed_checked (embedder, features, 2,
          out, &error));
  g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_NOT_FINITE);
  g_assert_nonnull (strstr (error->message, "feature 7 of vector 0"));
  /* Unchecked, it counts as the mean: still finite. */
  semblance_embedder_embed (embedder, features, 2, out);
  for (i = 0; i < k; i++)
    g_assert_true (isfinite (out[i]));
}

/* Models that serialise, with a right digest, but that a loader must
 * refuse, and that semblance_model_save() refuses to write. */
static void
test_content_faults (void)
{
  const struct
  {
    Damage damage;
    const char *fragment;
  } cases[] = {
    { nan_weight, "weight 732 (in W2 of group “spectral”) is not finite" },
    { infinite_mean, "value 7 of the input means is not finite" },
    { std_zero, "input standard deviation 5 is 0, not positive" },
    { std_negative, "input standard deviation 121 is -1, not positive" },
    { scale_zero, "distance scale 0 is not a positive number" },
    { map_nan, "value 11 of the semantic map is not finite" },
    { bias_infinite, "value 0 of the semantic bias is not finite" },
    { layout_version, "made for feature layout version 3, this program "
          "extracts features in layout version 2" },
    { input_dim, "group 2 (“rhythm”) has 14 inputs where layout version 2 "
          "has 13" },
    { four_groups, "4 property groups where layout version 2 has 5" },
    { hidden_zero, "0 hidden units, not between 1 and 1024" },
    { group_out_huge, "1025 outputs per group, not between 1 and 1024" },
    { semantic_dim_huge, "semantic dimension 5000 is above 4096" },
    { params_short, "the weights take 4780 bytes where the dimensions imply "
          "4784 (1196 values)" },
    { bad_sha256, "the training list SHA-256 is not 64 hexadecimal digits" },
    { sha256_not_hex, "the training list SHA-256 is not 64 hexadecimal "
          "digits" },
    { no_license, "the card names no license" },
    { escape_in_name, "the card's name contains the control character U+001B" },
    { metric_nan, "metric “recall” is not finite" },
    { huge_output_weight, "output 0 of group “timbre” can reach 3e+38, "
          "beyond the bound of 1e+15" },
    { huge_hidden_weight, "hidden unit 0 of group “timbre” can reach 1e+40, "
          "beyond what a float holds" },
    { huge_semantic_map, "semantic value 0 can reach" },
    { metric_unnamed, "metric 3 has no name" },
    { calibration_unknown_word, "word calibration 1 is for a word the "
          "describer does not know" },
    { calibration_twice, "the word “piano” is calibrated twice" },
    { calibration_nan, "the calibration of “calm” is not finite" },
    { calibration_without_map, "1 word calibrations without a semantic map" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (SemblanceModel) model = make_model (5);
    g_autoptr (GError) error = NULL;
    g_autoptr (GBytes) bytes = NULL;
    g_autofree char *path = tmp_path ("refused.smodel");

    g_test_message ("case %zu", i);
    cases[i].damage (model);
    bytes = semblance_model_serialize (model);
    assert_load_fails (bytes, cases[i].fragment);

    g_assert_false (semblance_model_save (model, path, &error));
    g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT);
    g_assert_nonnull (strstr (error->message, "refused.smodel: not saved"));
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
}

/* Calibrations make a version-2 file that keeps them bit for bit; without
 * them the file is version 1's, byte for byte what it was before
 * calibrations existed, so models keep their ids. */
static void
test_calibrations (void)
{
  g_autoptr (SemblanceModel) model = make_model (6);
  g_autoptr (SemblanceModel) plain = make_model (6);
  g_autoptr (SemblanceModel) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *seed = NULL;
  g_autofree guint8 *v1 = NULL, *v2 = NULL, *again = NULL, *stripped = NULL;
  g_autofree guint8 *seed_again = NULL;
  gsize v1_size, v2_size, again_size, stripped_size, seed_size;
  gsize seed_again_size;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (SemblanceModel) seed_model = NULL;

  add_calibration (model, "calm", 7.25, -2.5);
  add_calibration (model, "piano", 0.1 / 3, 1e-300);
  v1 = serialized (plain, &v1_size);
  v2 = serialized (model, &v2_size);
  g_assert_cmpuint (semblance_read_u32 (v1 + 8), ==, 1);
  g_assert_cmpuint (semblance_read_u32 (v2 + 8), ==, 2);
  bytes = g_bytes_new (v2, v2_size);
  loaded = semblance_model_load_from_bytes (bytes, &error);
  g_assert_no_error (error);
  assert_same_model (model, loaded);
  again = serialized (loaded, &again_size);
  g_assert_cmpmem (v2, v2_size, again, again_size);

  g_array_set_size (loaded->calibrations, 0);
  stripped = serialized (loaded, &stripped_size);
  g_assert_cmpmem (v1, v1_size, stripped, stripped_size);

  /* The seed is a model file written before calibrations. */
  g_assert_true (g_file_get_contents (SEED_MODEL, &seed, &seed_size, NULL));
  seed_model = semblance_model_load (SEED_MODEL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seed_model->calibrations->len, ==, 0);
  seed_again = serialized (seed_model, &seed_again_size);
  g_assert_cmpmem (seed, seed_size, seed_again, seed_again_size);
}

/* Version 2 says there are calibrations: a version-1 payload under a
 * version-2 header is refused, and so is an empty list, which would be a
 * second file for a model without calibrations. */
static void
test_calibration_faults (void)
{
  g_autoptr (SemblanceModel) model = make_model (7);
  gsize size, i, n;
  g_autofree guint8 *v1 = serialized (model, &size);
  g_autoptr (GBytes) part = g_bytes_new (v1 + HEADER_SIZE,
      size - HEADER_SIZE);
  g_autoptr (GVariant) variant = g_variant_ref_sink (g_variant_new_from_bytes
      (G_VARIANT_TYPE (SEMBLANCE_MODEL_VARIANT_TYPE), part, FALSE));
  g_autofree GVariant **children = NULL;
  g_autoptr (GVariant) empty = NULL;
  g_autofree guint8 *file = NULL;

  v1[8] = 2;
  assert_resigned_fails (v1, size, "not a GVariant of type "
      SEMBLANCE_MODEL_VARIANT_TYPE_2 " in normal form");

  n = g_variant_n_children (variant);
  children = g_new (GVariant *, n + 1);
  for (i = 0; i < n; i++)
    children[i] = g_variant_get_child_value (variant, i);
  children[n] = g_variant_new_array (G_VARIANT_TYPE ("(sdd)"), NULL, 0);
  empty = g_variant_ref_sink (g_variant_new_tuple (children, n + 1));
  for (i = 0; i < n; i++)
    g_variant_unref (children[i]);
  file = g_malloc (HEADER_SIZE + g_variant_get_size (empty));
  memcpy (file, v1, HEADER_SIZE);
  g_variant_store (empty, file + HEADER_SIZE);
  assert_resigned_fails (file, HEADER_SIZE + g_variant_get_size (empty),
      "format version 2 without word calibrations");
}

/* The fuzz target's seed must stay a valid model, or fuzzing would not get
 * past the first checks. */
static void
test_seed_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceModel) model = semblance_model_load (SEED_MODEL,
      &error);

  g_assert_no_error (error);
  g_assert_cmpuint (model->semantic_dim, >, 0);
  g_assert_cmpuint (model->card.metric_names->len, >, 0);
  g_clear_pointer (&model, semblance_model_free);
  model = semblance_model_load (SEED_MODEL_CALIBRATED, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (model->calibrations->len, >, 0);
}

static double
card_metric (const SemblanceModel *model, const char *name)
{
  guint i;

  for (i = 0; i < model->card.metric_names->len; i++)
    if (g_str_equal (model->card.metric_names->pdata[i], name))
      return g_array_index (model->card.metric_values, double, i);
  g_error ("the card has no metric \"%s\"", name);
}

/* The model the project ships: it loads, its card says what it was trained
 * on and under which license, its held-out figures beat the raw features on
 * the measure it was trained for and match them at least on the games'
 * labels, and it tells the demo clips apart. */
static void
test_default_model (void)
{
  static const char *clips[] = { "battle.ogg", "sad.ogg", "nebula.ogg" };
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceEmbedder) embedder =
      semblance_embedder_new_from_file (NULL, &error);
  SemblanceModel *model;
  float property[G_N_ELEMENTS (clips)][64], semantic[4096];
  double norm = 0.0;
  guint i, j, k;

  g_assert_no_error (error);
  model = semblance_embedder_get_model (embedder);
  g_assert_cmpstr (model->card.license, ==, "GPL-3.0-or-later");
  g_assert_cmpuint (model->card.training_tracks, >=, 300);
  g_assert_nonnull (strstr (model->card.training_licenses, "CC-BY-SA-3.0"));
  g_assert_cmpuint (strlen (model->card.training_list_sha256), ==, 64);
  g_assert_cmpfloat (card_metric (model, "leave-games-out Spearman, model"),
      >, card_metric (model, "leave-games-out Spearman, raw features"));
  /* Nor does it rank the held-out games' tracks below its own inputs. */
  g_assert_cmpfloat (card_metric (model,
          "leave-games-out precision@10, model"), >=,
      card_metric (model, "leave-games-out precision@10, raw features"));

  k = semblance_embedder_get_dim (embedder);
  g_assert_cmpuint (k, ==, 60);
  for (i = 0; i < G_N_ELEMENTS (clips); i++) {
    g_autofree char *path = g_build_filename (g_getenv ("SEMBLANCE_DEMO_DIR"),
        clips[i], NULL);
    SemblanceProperties props;

    g_assert_true (semblance_analyze_file (path, SEMBLANCE_DECODER_AUTO, NULL,
            &props, &error));
    g_assert_no_error (error);
    semblance_embedder_embed (embedder, props.vector, 1, property[i]);
    for (j = 0; j < k; j++)
      g_assert_true (isfinite (property[i][j]));
  }
  for (i = 1; i < G_N_ELEMENTS (clips); i++) {
    double d = 0.0;

    for (j = 0; j < k; j++)
      d += (property[i][j] - property[0][j]) * (property[i][j] - property[0][j]);
    g_assert_cmpfloat (sqrt (d), >, 0.05);
  }
  g_assert_true (semblance_embedder_project (embedder, property[0], semantic));
  for (j = 0; j < model->semantic_dim; j++)
    norm += semantic[j] * semantic[j];
  g_assert_cmpfloat_with_epsilon (norm, 1.0, 1e-4);
}

/* Loads @path; returns whether its digests were computed, or -1 when the
 * load failed with an error that names the digest. The id is always the
 * file's SHA-256. */
static int
load_computed (const char *path, const char *id)
{
  g_autoptr (GError) error = NULL;
  gboolean computed = FALSE;
  g_autoptr (SemblanceModel) model = semblance_model_load_file (path,
      &computed, &error);

  if (!model) {
    g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_CORRUPT);
    g_assert_nonnull (strstr (error->message, "digest"));
    g_assert_true (computed);
    return -1;
  }
  g_assert_cmpstr (semblance_model_get_id (model), ==, id);
  return computed;
}

/* The digests are computed once per file identity, remembered with the id
 * in the user's cache folder; a changed file is checked again, even one
 * whose size and modification time were kept; a damaged cache line or an
 * unwritable cache costs only the time. */
static void
test_digest_cache (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "cached.smodel", NULL);
  g_autofree char *copy = g_build_filename (tmp_dir, "copy.smodel", NULL);
  g_autofree char *cache_dir = g_build_filename (cache_home, "semblance",
      NULL);
  g_autofree char *cache = g_build_filename (cache_dir, "model-digests",
      NULL);
  g_autofree char *original = NULL, *id = NULL, *line = NULL;
  g_autofree char *damaged = NULL;
  gsize size;

  g_assert_true (g_file_get_contents (semblance_model_default_path (),
          &original, &size, NULL));
  id = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) original,
      size);
  g_assert_true (g_file_set_contents (path, original, size, NULL));
  g_assert_cmpint (load_computed (path, id), ==, 1);
  g_assert_true (g_file_test (cache, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (load_computed (path, id), ==, 0);

  /* Timestamps move in clock ticks of a few milliseconds. */
  g_usleep (50 * 1000);
  flip_in_place (path, (goffset) size / 2);
  g_assert_cmpint (load_computed (path, id), ==, -1);
  g_usleep (50 * 1000);
  flip_in_place (path, (goffset) size / 2);
  g_assert_cmpint (load_computed (path, id), ==, 1);
  g_assert_cmpint (load_computed (path, id), ==, 0);

  /* Another file put in its place, with the same contents. */
  g_assert_true (g_file_set_contents (copy, original, size, NULL));
  g_assert_cmpint (g_rename (copy, path), ==, 0);
  g_assert_cmpint (load_computed (path, id), ==, 1);
  g_assert_cmpint (load_computed (path, id), ==, 0);

  /* The line with its id cut short: no id, so checked and learnt again. */
  g_assert_true (g_file_get_contents (cache, &line, NULL, NULL));
  *strchr (line, '\n') = '\0';
  damaged = g_strndup (line, strlen (line) - 1);
  g_assert_true (g_file_set_contents (cache, damaged, -1, NULL));
  g_assert_cmpint (load_computed (path, id), ==, 1);
  g_assert_cmpint (load_computed (path, id), ==, 0);

  /* No cache folder can be made: checked every time. */
  g_assert_cmpint (g_unlink (cache), ==, 0);
  g_assert_cmpint (g_rmdir (cache_dir), ==, 0);
  g_assert_true (g_file_set_contents (cache_dir, "", 0, NULL));
  g_assert_cmpint (load_computed (path, id), ==, 1);
  g_assert_cmpint (load_computed (path, id), ==, 1);
  g_assert_cmpint (g_unlink (cache_dir), ==, 0);
  g_unlink (path);
}

int
main (int argc, char **argv)
{
  int status;

  /* Before anything asks GLib for the cache folder, which it reads once:
   * the digest cache goes to a folder of the test's own. */
  cache_home = g_dir_make_tmp ("semblance-cache-XXXXXX", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("semblance-test-model-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_test_add_func ("/model/round-trip", test_round_trip);
  g_test_add_func ("/model/empty", test_empty);
  g_test_add_func ("/model/card", test_card);
  g_test_add_func ("/model/faults/header", test_header_faults);
  g_test_add_func ("/model/faults/payload", test_payload_faults);
  g_test_add_func ("/model/faults/normal-form", test_normal_form_as_glib);
  g_test_add_func ("/model/faults/contents", test_content_faults);
  g_test_add_func ("/model/seed-file", test_seed_file);
  g_test_add_func ("/model/calibrations", test_calibrations);
  g_test_add_func ("/model/faults/calibrations", test_calibration_faults);
  g_test_add_func ("/model/finite-outputs", test_finite_outputs);
  g_test_add_func ("/model/default", test_default_model);
  g_test_add_func ("/model/digest-cache", test_digest_cache);
  status = g_test_run ();
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  {
    g_autofree char *cache_dir = g_build_filename (cache_home, "semblance",
        NULL);
    g_autofree char *cache = g_build_filename (cache_dir, "model-digests",
        NULL);

    g_unlink (cache);
    g_rmdir (cache_dir);
    g_rmdir (cache_home);
  }
  return status;
}
