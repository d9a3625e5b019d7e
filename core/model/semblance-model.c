/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-model-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "semblance-bytes.h"
#include "semblance-digest-cache.h"
#include "semblance-error.h"
#include "semblance-network.h"
#include "semblance-words.h"

#define MAGIC "SMBLMDL"         /* with its NUL, 8 bytes */
#define HEADER_SIZE 56
#define SIZE_OFFSET 16
#define DIGEST_OFFSET 24
#define DIGEST_SIZE 32
/* The model's digest cache (semblance-digest-cache.h): file identities,
 * payload digests and ids. */
#define MODEL_DIGEST_CACHE "model-digests"

/* The file stores input_dims as GVariant "au". */
G_STATIC_ASSERT (sizeof (guint) == sizeof (guint32));

static const char *
str_or_empty (const char *s)
{
  return s ? s : "";
}

static void
clear_calibration (gpointer data)
{
  SemblanceWordCalibration *c = data;

  g_free (c->word);
}

/* Allocates what every model has, whatever its dimensions. */
static SemblanceModel *
model_new (void)
{
  SemblanceModel *model = g_new0 (SemblanceModel, 1);

  model->card.metric_names = g_ptr_array_new_with_free_func (g_free);
  model->card.metric_values = g_array_new (FALSE, FALSE, sizeof (double));
  model->calibrations = g_array_new (FALSE, FALSE,
      sizeof (SemblanceWordCalibration));
  g_array_set_clear_func (model->calibrations, clear_calibration);
  return model;
}

/* The bounds of check_shape() keep every count far below 2^40. */
static guint64
count_params (const SemblanceModel *model)
{
  guint64 n = 0;
  guint g;

  for (g = 0; g < model->n_groups; g++)
    n += (guint64) model->hidden * (model->input_dims[g] + 1) +
        (guint64) model->group_out * (model->hidden + 1);
  return n;
}

SemblanceModel *
semblance_model_new_empty (guint hidden, guint group_out, guint semantic_dim)
{
  SemblanceModel *model;
  SemblanceModelCard *card;
  guint g, i;

  g_return_val_if_fail (hidden >= 1 && hidden <= SEMBLANCE_MODEL_MAX_UNITS,
      NULL);
  g_return_val_if_fail (group_out >= 1
      && group_out <= SEMBLANCE_MODEL_MAX_UNITS, NULL);
  g_return_val_if_fail (semantic_dim <= SEMBLANCE_MODEL_MAX_SEMANTIC_DIM,
      NULL);

  model = model_new ();
  model->layout_version = SEMBLANCE_LAYOUT_VERSION;
  model->n_groups = SEMBLANCE_N_GROUPS;
  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    size_t start, length;

    semblance_layout_group_range (g, &start, &length);
    model->input_dims[g] = length;
  }
  model->hidden = hidden;
  model->group_out = group_out;
  model->semantic_dim = semantic_dim;
  model->mean = g_new0 (float, SEMBLANCE_FEATURE_DIM);
  model->std = g_new (float, SEMBLANCE_FEATURE_DIM);
  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++)
    model->std[i] = 1.0f;
  model->n_params = count_params (model);
  model->params = g_new0 (float, model->n_params);
  model->scale = 1.0f;
  model->semantic_map = g_new0 (float, (gsize)
      semblance_model_get_property_dim (model) * semantic_dim);
  model->semantic_bias = g_new0 (float, semantic_dim);

  card = &model->card;
  card->name = g_strdup ("");
  card->description = g_strdup ("");
  card->license = g_strdup ("");
  card->authors = g_strdup ("");
  card->created = g_strdup ("");
  card->training_data = g_strdup ("");
  card->training_licenses = g_strdup ("");
  card->training_list_sha256 = g_strdup ("");
  card->text_encoder = g_strdup ("");
  return model;
}

void
semblance_model_free (SemblanceModel *model)
{
  SemblanceModelCard *card;

  if (!model)
    return;
  card = &model->card;
  g_free (card->name);
  g_free (card->description);
  g_free (card->license);
  g_free (card->authors);
  g_free (card->created);
  g_free (card->training_data);
  g_free (card->training_licenses);
  g_free (card->training_list_sha256);
  g_free (card->text_encoder);
  g_clear_pointer (&card->metric_names, g_ptr_array_unref);
  g_clear_pointer (&card->metric_values, g_array_unref);
  g_clear_pointer (&model->calibrations, g_array_unref);
  g_free (model->mean);
  g_free (model->std);
  g_free (model->params);
  g_free (model->semantic_map);
  g_free (model->semantic_bias);
  g_free (model->id);
  g_free (model);
}

guint
semblance_model_get_property_dim (const SemblanceModel *model)
{
  return model->n_groups * model->group_out;
}

/* Checks the dimensions, before anything is sized by them. */
static gboolean
check_shape (const SemblanceModel *model, GError **error)
{
  guint g;

  if (model->layout_version != SEMBLANCE_LAYOUT_VERSION)
    return semblance_error_corrupt (error, "made for feature layout version %u, this program "
        "extracts features in layout version %u", model->layout_version,
        SEMBLANCE_LAYOUT_VERSION);
  if (model->n_groups != SEMBLANCE_N_GROUPS)
    return semblance_error_corrupt (error, "%u property groups where layout version %u has "
        "%u", model->n_groups, SEMBLANCE_LAYOUT_VERSION, SEMBLANCE_N_GROUPS);
  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    size_t start, length;

    semblance_layout_group_range (g, &start, &length);
    if (model->input_dims[g] != length)
      return semblance_error_corrupt (error, "group %u (“%s”) has %u inputs where layout "
          "version %u has %zu", g, semblance_layout_group_name (g),
          model->input_dims[g], SEMBLANCE_LAYOUT_VERSION, length);
  }
  if (model->hidden < 1 || model->hidden > SEMBLANCE_MODEL_MAX_UNITS)
    return semblance_error_corrupt (error, "%u hidden units, not between 1 and %d",
        model->hidden, SEMBLANCE_MODEL_MAX_UNITS);
  if (model->group_out < 1 || model->group_out > SEMBLANCE_MODEL_MAX_UNITS)
    return semblance_error_corrupt (error, "%u outputs per group, not between 1 and %d",
        model->group_out, SEMBLANCE_MODEL_MAX_UNITS);
  if (model->semantic_dim > SEMBLANCE_MODEL_MAX_SEMANTIC_DIM)
    return semblance_error_corrupt (error, "semantic dimension %u is above %d",
        model->semantic_dim, SEMBLANCE_MODEL_MAX_SEMANTIC_DIM);
  return TRUE;
}

/* Where weight @index lies, for error messages. */
static void
locate_param (const SemblanceModel *model, gsize index, guint *group,
              const char **tensor)
{
  static const char *const names[] = { "W1", "b1", "W2", "b2" };
  guint g, t;

  for (g = 0; g < model->n_groups; g++) {
    const gsize sizes[] = {
      (gsize) model->hidden * model->input_dims[g], model->hidden,
      (gsize) model->group_out * model->hidden, model->group_out,
    };

    for (t = 0; t < G_N_ELEMENTS (sizes); t++) {
      if (index < sizes[t]) {
        *group = g;
        *tensor = names[t];
        return;
      }
      index -= sizes[t];
    }
  }
  g_assert_not_reached ();
}

static gboolean
check_finite (const float *values, gsize n, const char *what, GError **error)
{
  gsize i;

  for (i = 0; i < n; i++)
    if (!isfinite (values[i]))
      return semblance_error_corrupt (error, "value %zu of the %s is not finite", i, what);
  return TRUE;
}

static gboolean
check_text (const char *field, const char *text, GError **error)
{
  const char *p;

  if (!g_utf8_validate (text, -1, NULL))
    return semblance_error_corrupt (error, "the card's %s is not valid UTF-8", field);
  /* The card is printed on terminals: a downloaded model must not be able to
   * send them escape sequences. */
  for (p = text; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (g_unichar_iscntrl (c) && c != '\n' && c != '\t')
      return semblance_error_corrupt (error, "the card's %s contains the control character "
          "U+%04X", field, c);
  }
  return TRUE;
}

static gboolean
check_card (const SemblanceModelCard *card, GError **error)
{
  const struct
  {
    const char *field;
    const char *text;
  } texts[] = {
    { "name", card->name },
    { "description", card->description },
    { "license", card->license },
    { "authors", card->authors },
    { "creation date", card->created },
    { "training data", card->training_data },
    { "training material licenses", card->training_licenses },
    { "training list SHA-256", card->training_list_sha256 },
    { "text encoder", card->text_encoder },
  };
  const char *sha = str_or_empty (card->training_list_sha256);
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (texts); i++)
    if (!check_text (texts[i].field, str_or_empty (texts[i].text), error))
      return FALSE;
  if (str_or_empty (card->license)[0] == '\0')
    return semblance_error_corrupt (error, "the card names no license");
  if (sha[0] != '\0' && (strlen (sha) != 64
          || strspn (sha, "0123456789abcdefABCDEF") != 64))
    return semblance_error_corrupt (error, "the training list SHA-256 is not 64 hexadecimal "
        "digits");
  if (card->metric_names->len != card->metric_values->len)
    return semblance_error_corrupt (error, "the card has %u metric names and %u values",
        card->metric_names->len, card->metric_values->len);
  for (i = 0; i < card->metric_names->len; i++) {
    const char *name = str_or_empty (card->metric_names->pdata[i]);

    if (!check_text ("metric name", name, error))
      return FALSE;
    if (name[0] == '\0')
      return semblance_error_corrupt (error, "metric %zu has no name", i);
    if (!isfinite (g_array_index (card->metric_values, double, i)))
      return semblance_error_corrupt (error, "metric “%s” is not finite", name);
  }
  return TRUE;
}

/* Safely below FLT_MAX: sums bounded by this stay finite whatever the
 * order of their terms. */
#define SUM_BOUND 1e37

/* The finiteness contract (semblance-model.h): for any input the network
 * may see, no sum overflows and every output stays within the bound.
 * Sums in double, so that the check itself cannot overflow. */
static gboolean
check_bounds (const SemblanceModel *model, GError **error)
{
  guint k = semblance_model_get_property_dim (model), g, h, o, j, c;
  g_autofree double *out_bound = g_new0 (double, k);
  const float *p = model->params;

  for (g = 0; g < model->n_groups; g++) {
    guint in = model->input_dims[g];
    const float *w1 = p, *b1 = w1 + (gsize) model->hidden * in;
    const float *w2 = b1 + model->hidden, *b2 = w2 + (gsize)
        model->group_out * model->hidden;
    const char *name = semblance_layout_group_name (g);

    for (h = 0; h < model->hidden; h++) {
      double sum = fabs (b1[h]);

      for (j = 0; j < in; j++)
        sum += fabs (w1[(gsize) h * in + j]) * SEMBLANCE_MODEL_INPUT_BOUND;
      if (!(sum < SUM_BOUND))
        return semblance_error_corrupt (error, "hidden unit %u of group "
            "“%s” can reach %g, beyond what a float holds: its outputs "
            "cannot stay finite", h, name, sum);
    }
    for (o = 0; o < model->group_out; o++) {
      double sum = fabs (b2[o]);

      for (h = 0; h < model->hidden; h++)
        sum += fabs (w2[(gsize) o * model->hidden + h]);
      if (!(sum <= SEMBLANCE_MODEL_OUTPUT_BOUND))
        return semblance_error_corrupt (error, "output %u of group “%s” can "
            "reach %g, beyond the bound of %g: distances between property "
            "vectors could not stay finite", o, name, sum,
            SEMBLANCE_MODEL_OUTPUT_BOUND);
      out_bound[g * model->group_out + o] = sum;
    }
    p = b2 + model->group_out;
  }
  for (c = 0; c < model->semantic_dim; c++) {
    double sum = fabs (model->semantic_bias[c]), squares = 0.0;

    for (j = 0; j < k; j++) {
      double m = model->semantic_map[(gsize) j * model->semantic_dim + c];

      sum += out_bound[j] * fabs (m);
      squares += m * m;
    }
    if (!(sum < SUM_BOUND) || !(squares < SUM_BOUND))
      return semblance_error_corrupt (error, "semantic value %u can reach "
          "%g, beyond what a float holds: the semantic map cannot stay "
          "finite", c, MAX (sum, squares));
  }
  return TRUE;
}

static gboolean
check_calibrations (const SemblanceModel *model, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint i;

  if (model->calibrations->len > 0 && model->semantic_dim == 0)
    return semblance_error_corrupt (error, "%u word calibrations without a "
        "semantic map to predict words from", model->calibrations->len);
  for (i = 0; i < model->calibrations->len; i++) {
    const SemblanceWordCalibration *c = &g_array_index (model->calibrations,
        SemblanceWordCalibration, i);
    const char *word = str_or_empty (c->word);

    /* Known words are plain ASCII: an unknown one is not printed, it could
     * be anything. */
    if (!semblance_words_is_known (word))
      return semblance_error_corrupt (error, "word calibration %u is for a "
          "word the describer does not know", i);
    if (!g_hash_table_add (seen, (gpointer) word))
      return semblance_error_corrupt (error, "the word “%s” is calibrated "
          "twice", word);
    if (!isfinite (c->a) || !isfinite (c->b))
      return semblance_error_corrupt (error, "the calibration of “%s” is not "
          "finite", word);
  }
  return TRUE;
}

/* Checks the values, once the arrays are known to have their lengths. */
static gboolean
check_values (const SemblanceModel *model, GError **error)
{
  guint64 map_size = (guint64) semblance_model_get_property_dim (model) *
      model->semantic_dim;
  gsize i;

  if (!check_finite (model->mean, SEMBLANCE_FEATURE_DIM, "input means", error)
      || !check_finite (model->std, SEMBLANCE_FEATURE_DIM,
          "input standard deviations", error))
    return FALSE;
  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++)
    if (!(model->std[i] > 0.0f))
      return semblance_error_corrupt (error, "input standard deviation %zu is %g, not "
          "positive", i, model->std[i]);
  for (i = 0; i < model->n_params; i++)
    if (!isfinite (model->params[i])) {
      const char *tensor;
      guint g;

      locate_param (model, i, &g, &tensor);
      return semblance_error_corrupt (error, "weight %zu (in %s of group “%s”) is not "
          "finite", i, tensor, semblance_layout_group_name (g));
    }
  if (!isfinite (model->scale) || !(model->scale > 0.0f))
    return semblance_error_corrupt (error, "the distance scale %g is not a positive number",
        model->scale);
  if (!check_finite (model->semantic_map, map_size, "semantic map", error)
      || !check_finite (model->semantic_bias, model->semantic_dim,
          "semantic bias", error)
      || !check_bounds (model, error)
      || !check_calibrations (model, error))
    return FALSE;
  return check_card (&model->card, error);
}

/* A blob of little-endian float32, which GVariant has no type for. */
static GVariant *
float_blob (const float *values, gsize n)
{
  guint8 *data = g_malloc (n * 4);
  gsize i;

  for (i = 0; i < n; i++) {
    guint32 u;

    memcpy (&u, &values[i], 4);
    semblance_put_u32 (data + 4 * i, u);
  }
  return g_variant_new_from_data (G_VARIANT_TYPE_BYTESTRING, data, n * 4,
      TRUE, g_free, data);
}

/* Version 2's tuple: version 1's fields, then the calibrations. Takes
 * @v1. */
static GVariant *
with_calibrations (GVariant *v1, const GArray *calibrations)
{
  g_auto (GVariantBuilder) list =
      G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a(sdd)"));
  gsize n = g_variant_n_children (v1), i;
  g_autofree GVariant **children = g_new (GVariant *, n + 1);
  GVariant *v2;

  for (i = 0; i < calibrations->len; i++) {
    const SemblanceWordCalibration *c = &g_array_index (calibrations,
        SemblanceWordCalibration, i);

    g_variant_builder_add (&list, "(sdd)", str_or_empty (c->word), c->a,
        c->b);
  }
  for (i = 0; i < n; i++)
    children[i] = g_variant_get_child_value (v1, i);
  children[n] = g_variant_builder_end (&list);
  v2 = g_variant_ref_sink (g_variant_new_tuple (children, n + 1));
  for (i = 0; i < n; i++)
    g_variant_unref (children[i]);
  g_variant_unref (v1);
  return v2;
}

GBytes *
semblance_model_serialize (const SemblanceModel *model)
{
  const SemblanceModelCard *card = &model->card;
  g_auto (GVariantBuilder) metrics =
      G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a(sd)"));
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GVariant) variant = NULL;
  gsize payload_size, digest_size = DIGEST_SIZE, i;
  guint32 version = SEMBLANCE_MODEL_FORMAT_VERSION;
  guint8 *file;

  g_return_val_if_fail (model->n_groups <= SEMBLANCE_N_GROUPS, NULL);
  g_return_val_if_fail (card->metric_names->len == card->metric_values->len,
      NULL);

  for (i = 0; i < card->metric_names->len; i++)
    g_variant_builder_add (&metrics, "(sd)",
        str_or_empty (card->metric_names->pdata[i]),
        g_array_index (card->metric_values, double, i));
  variant = g_variant_ref_sink (g_variant_new
      ("(u@auuuu@ay@ay@ay@ay@ay@ay(ssssssusss@a(sd)))",
          model->layout_version,
          g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, model->input_dims,
              model->n_groups, sizeof (guint32)),
          model->hidden, model->group_out, model->semantic_dim,
          float_blob (model->mean, SEMBLANCE_FEATURE_DIM),
          float_blob (model->std, SEMBLANCE_FEATURE_DIM),
          float_blob (model->params, model->n_params),
          float_blob (&model->scale, 1),
          float_blob (model->semantic_map, (gsize)
              semblance_model_get_property_dim (model) * model->semantic_dim),
          float_blob (model->semantic_bias, model->semantic_dim),
          str_or_empty (card->name), str_or_empty (card->description),
          str_or_empty (card->license), str_or_empty (card->authors),
          str_or_empty (card->created), str_or_empty (card->training_data),
          card->training_tracks, str_or_empty (card->training_licenses),
          str_or_empty (card->training_list_sha256),
          str_or_empty (card->text_encoder),
          g_variant_builder_end (&metrics)));
  if (model->calibrations->len > 0) {
    variant = with_calibrations (variant, model->calibrations);
    version = SEMBLANCE_MODEL_FORMAT_VERSION_2;
  }
  if (G_BYTE_ORDER == G_BIG_ENDIAN) {
    GVariant *swapped = g_variant_byteswap (variant);

    g_variant_unref (variant);
    variant = swapped;
  }

  /* A variant built from values is serialised in normal form. */
  payload_size = g_variant_get_size (variant);
  file = g_malloc0 (HEADER_SIZE + payload_size);
  memcpy (file, MAGIC, 8);
  semblance_put_u32 (file + 8, version);
  semblance_put_u64 (file + SIZE_OFFSET, payload_size);
  g_variant_store (variant, file + HEADER_SIZE);
  g_checksum_update (sum, file + HEADER_SIZE, payload_size);
  g_checksum_get_digest (sum, file + DIGEST_OFFSET, &digest_size);
  return g_bytes_new_take (file, HEADER_SIZE + payload_size);
}

/* @check_digest: whether to check the payload's digest, which only a
 * digest cache may skip (semblance-digest-cache.h). */
static gboolean
check_header (const guint8 *data, gsize size, gboolean check_digest,
              guint32 *version_out, GError **error)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[DIGEST_SIZE];
  gsize digest_size = sizeof digest;
  guint32 version;
  guint64 payload_size;

  if (size < HEADER_SIZE)
    return semblance_error_corrupt (error, "%zu bytes is shorter than the %d-byte header",
        size, HEADER_SIZE);
  if (memcmp (data, MAGIC, 8) != 0)
    return semblance_error_corrupt (error, "wrong magic number, not a Semblance model");
  version = semblance_read_u32 (data + 8);
  if (version != SEMBLANCE_MODEL_FORMAT_VERSION
      && version != SEMBLANCE_MODEL_FORMAT_VERSION_2)
    return semblance_error_corrupt (error, "format version %u, this program "
        "reads versions %u and %u", version, SEMBLANCE_MODEL_FORMAT_VERSION,
        SEMBLANCE_MODEL_FORMAT_VERSION_2);
  *version_out = version;
  if (semblance_read_u32 (data + 12) != 0)
    return semblance_error_corrupt (error, "the reserved header field is not 0");
  payload_size = semblance_read_u64 (data + SIZE_OFFSET);
  if (payload_size > size - HEADER_SIZE)
    return semblance_error_corrupt (error, "truncated: %zu bytes of payload where the header "
        "announces %" G_GUINT64_FORMAT, size - HEADER_SIZE, payload_size);
  if (payload_size < size - HEADER_SIZE)
    return semblance_error_corrupt (error, "%zu bytes of payload where the header announces %"
        G_GUINT64_FORMAT, size - HEADER_SIZE, payload_size);

  if (!check_digest)
    return TRUE;
  g_checksum_update (sum, data + HEADER_SIZE, payload_size);
  g_checksum_get_digest (sum, digest, &digest_size);
  if (memcmp (digest, data + DIGEST_OFFSET, DIGEST_SIZE) != 0)
    return semblance_error_corrupt (error, "the SHA-256 digest does not match the contents");
  return TRUE;
}

/* Copies a float32 blob of @count values out of the variant: its bytes need
 * not be aligned for floats. */
static gboolean
take_floats (GVariant *blob, guint64 count, const char *what, float **out,
             GError **error)
{
  gsize size, i;
  const guint8 *p = g_variant_get_fixed_array (blob, &size, 1);

  /* Before allocating: a small file must not claim a huge array. */
  if (size != count * 4)
    return semblance_error_corrupt (error, "the %s take %zu bytes where the dimensions imply %"
        G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " values)", what, size,
        count * 4, count);
  *out = g_new (float, count);
  for (i = 0; i < count; i++) {
    guint32 u = semblance_read_u32 (p + 4 * i);

    memcpy (*out + i, &u, 4);
  }
  return TRUE;
}

/* g_variant_is_normal_form (@variant), a tuple, without its cost:
 * GLib's checked each byte of the byte arrays (the weights) as a child of
 * its own, 6 M instructions for the default model, more than the rest of
 * loading it. Any bytes are a byte array in normal form; the other
 * children are checked, and the tuple's framing by serialising the
 * children again, which gives the normal form, and comparing. */
static gboolean
is_normal_form (GVariant *variant)
{
  gsize n = g_variant_n_children (variant), i;
  g_autofree GVariant **children = g_new (GVariant *, n);
  g_autoptr (GVariant) again = NULL;
  gboolean normal = TRUE;

  for (i = 0; i < n; i++) {
    children[i] = g_variant_get_child_value (variant, i);
    if (!g_variant_is_of_type (children[i], G_VARIANT_TYPE_BYTESTRING)
        && !g_variant_is_normal_form (children[i]))
      normal = FALSE;
  }
  again = g_variant_ref_sink (g_variant_new_tuple (children, n));
  for (i = 0; i < n; i++)
    g_variant_unref (children[i]);
  return normal && g_variant_get_size (again) == g_variant_get_size (variant)
      && memcmp (g_variant_get_data (again), g_variant_get_data (variant),
          g_variant_get_size (variant)) == 0;
}

/* A version-2 tuple as version 1's, and its calibrations apart. Takes
 * @v2. */
static GVariant *
split_calibrations (GVariant *v2, GVariant **calibrations)
{
  gsize n = g_variant_n_children (v2) - 1, i;
  g_autofree GVariant **children = g_new (GVariant *, n);
  GVariant *v1;

  for (i = 0; i < n; i++)
    children[i] = g_variant_get_child_value (v2, i);
  *calibrations = g_variant_get_child_value (v2, n);
  v1 = g_variant_ref_sink (g_variant_new_tuple (children, n));
  for (i = 0; i < n; i++)
    g_variant_unref (children[i]);
  g_variant_unref (v2);
  return v1;
}

static SemblanceModel *
parse (GBytes *bytes, gboolean check_digest, GError **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autoptr (SemblanceModel) model = NULL;
  g_autoptr (GBytes) payload = NULL;
  g_autoptr (GVariant) variant = NULL;
  g_autoptr (GVariant) dims = NULL;
  g_autoptr (GVariant) mean = NULL;
  g_autoptr (GVariant) std = NULL;
  g_autoptr (GVariant) params = NULL;
  g_autoptr (GVariant) scale = NULL;
  g_autoptr (GVariant) map = NULL;
  g_autoptr (GVariant) bias = NULL;
  g_autoptr (GVariant) metrics = NULL;
  g_autoptr (GVariant) calibrations = NULL;
  g_autofree float *scale_value = NULL;
  const char *type;
  guint32 version = 0;
  SemblanceModelCard *card;
  const guint32 *dim_values;
  gsize n_dims;
  GVariantIter iter;
  char *name;
  double value;

  if (!check_header (data, size, check_digest, &version, error))
    return NULL;

  type = version == SEMBLANCE_MODEL_FORMAT_VERSION ?
      SEMBLANCE_MODEL_VARIANT_TYPE : SEMBLANCE_MODEL_VARIANT_TYPE_2;
  payload = g_bytes_new_from_bytes (bytes, HEADER_SIZE, size - HEADER_SIZE);
  variant = g_variant_ref_sink (g_variant_new_from_bytes
      (G_VARIANT_TYPE (type), payload, FALSE));
  /* Only the normal form is accepted: GVariant reads invalid parts of other
   * forms as default values, which would hide damage, and the model's id
   * needs a single file per model. Normal form also means valid UTF-8. */
  if (!is_normal_form (variant)) {
    semblance_error_corrupt (error, "the contents are not a GVariant of type %s in normal "
        "form", type);
    return NULL;
  }
  if (G_BYTE_ORDER == G_BIG_ENDIAN) {
    GVariant *swapped = g_variant_byteswap (variant);

    g_variant_unref (variant);
    variant = swapped;
  }
  if (version == SEMBLANCE_MODEL_FORMAT_VERSION_2)
    variant = split_calibrations (variant, &calibrations);

  model = model_new ();
  card = &model->card;
  g_variant_get (variant,
      "(u@auuuu@ay@ay@ay@ay@ay@ay(ssssssusss@a(sd)))",
      &model->layout_version, &dims, &model->hidden, &model->group_out,
      &model->semantic_dim, &mean, &std, &params, &scale, &map, &bias,
      &card->name, &card->description, &card->license, &card->authors,
      &card->created, &card->training_data, &card->training_tracks,
      &card->training_licenses, &card->training_list_sha256,
      &card->text_encoder, &metrics);
  dim_values = g_variant_get_fixed_array (dims, &n_dims, sizeof (guint32));
  model->n_groups = MIN (n_dims, G_MAXUINT);
  /* Otherwise check_shape() refuses the group count. */
  if (n_dims == SEMBLANCE_N_GROUPS)
    memcpy (model->input_dims, dim_values, sizeof model->input_dims);
  if (!check_shape (model, error))
    return NULL;

  model->n_params = count_params (model);
  if (!take_floats (mean, SEMBLANCE_FEATURE_DIM, "input means", &model->mean,
          error)
      || !take_floats (std, SEMBLANCE_FEATURE_DIM, "input standard deviations",
          &model->std, error)
      || !take_floats (params, model->n_params, "weights", &model->params,
          error)
      || !take_floats (scale, 1, "distance scale", &scale_value, error)
      || !take_floats (map, (guint64) semblance_model_get_property_dim (model)
          * model->semantic_dim, "semantic map", &model->semantic_map, error)
      || !take_floats (bias, model->semantic_dim, "semantic bias",
          &model->semantic_bias, error))
    return NULL;
  model->scale = scale_value[0];

  g_variant_iter_init (&iter, metrics);
  while (g_variant_iter_next (&iter, "(sd)", &name, &value)) {
    g_ptr_array_add (card->metric_names, name);
    g_array_append_val (card->metric_values, value);
  }

  if (calibrations) {
    SemblanceWordCalibration c;

    g_variant_iter_init (&iter, calibrations);
    while (g_variant_iter_next (&iter, "(sdd)", &c.word, &c.a, &c.b))
      g_array_append_val (model->calibrations, c);
    /* Else the same model would have two files. */
    if (model->calibrations->len == 0) {
      semblance_error_corrupt (error, "format version %u without word "
          "calibrations, which are written in version %u",
          SEMBLANCE_MODEL_FORMAT_VERSION_2, SEMBLANCE_MODEL_FORMAT_VERSION);
      return NULL;
    }
  }

  if (!check_values (model, error))
    return NULL;
  return g_steal_pointer (&model);
}

/* @bytes checked; with @identity (a file's, semblance_file_identity()),
 * their digests only when the digest cache has no line for that identity
 * and the payload digest of the header, which then gets one that gives the
 * id too. */
static SemblanceModel *
model_load (GBytes *bytes, const char *identity, gboolean *digest_computed,
            GError **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autofree char *entry = NULL, *id = NULL;
  SemblanceModel *model;

  if (identity && size >= HEADER_SIZE) {
    g_autofree char *hex = semblance_digest_hex (data + DIGEST_OFFSET);

    entry = g_strdup_printf ("%s %s ", identity, hex);
    id = semblance_digest_cache_lookup (MODEL_DIGEST_CACHE, entry);
    /* A damaged line is no id. */
    if (id && (strlen (id) != 64 || strspn (id, "0123456789abcdef") != 64))
      g_clear_pointer (&id, g_free);
  }
  if (digest_computed)
    *digest_computed = !id;
  if (!(model = parse (bytes, !id, error))) {
    g_prefix_error (error, "not a valid model: ");
    return NULL;
  }
  if (id) {
    model->id = g_steal_pointer (&id);
    return model;
  }
  /* In normal form, the bytes are the serialisation: their digest is the
   * id. */
  model->id = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  if (entry) {
    g_autofree char *line = g_strconcat (entry, model->id, NULL);

    semblance_digest_cache_add (MODEL_DIGEST_CACHE, line);
  }
  return model;
}

SemblanceModel *
semblance_model_load_from_bytes (GBytes *bytes, GError **error)
{
  return model_load (bytes, NULL, NULL, error);
}

SemblanceModel *
semblance_model_load_file (const char *path, gboolean *digest_computed,
                           GError **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *identity = NULL;
  g_autoptr (GMappedFile) file = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) local = NULL;
  SemblanceModel *model;
  GStatBuf st;
  int fd;

  /* The identity of what is read: fstat() of the same descriptor. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) {
    int saved = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
        "Failed to open file “%s”: %s", display, g_strerror (saved));
    return NULL;
  }
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
    identity = semblance_file_identity (&st);
  file = g_mapped_file_new_from_fd (fd, FALSE, &local);
  close (fd);
  if (!file) {
    g_set_error (error, local->domain, local->code, "%s", local->message);
    return NULL;
  }
  /* Copied, unlike the vocabulary: 36 KB, and a file cut short under a
   * model kept for the life of the process must not take it down. */
  bytes = g_bytes_new (g_mapped_file_get_contents (file),
      g_mapped_file_get_length (file));
  model = model_load (bytes, identity, digest_computed, error);
  if (!model)
    g_prefix_error (error, "%s: ", display);
  return model;
}

SemblanceModel *
semblance_model_load (const char *path, GError **error)
{
  return semblance_model_load_file (path, NULL, error);
}

/* What the loader checks, on a model built in memory. */
static gboolean
check_model (const SemblanceModel *model, GError **error)
{
  if (!check_shape (model, error))
    return FALSE;
  if (model->n_params != count_params (model))
    return semblance_error_corrupt (error, "%zu weights where the dimensions imply %"
        G_GUINT64_FORMAT, model->n_params, count_params (model));
  return check_values (model, error);
}

gboolean
semblance_model_save (SemblanceModel *model, const char *path,
                      GError **error)
{
  g_autoptr (GBytes) bytes = NULL;
  gsize size;
  const char *data;

  if (!check_model (model, error)) {
    g_autofree char *display = g_filename_display_name (path);

    g_prefix_error (error, "%s: not saved, the model is not valid: ",
        display);
    return FALSE;
  }
  bytes = semblance_model_serialize (model);
  data = g_bytes_get_data (bytes, &size);
  if (!g_file_set_contents (path, data, size, error))
    return FALSE;
  /* The model is now what the file holds. */
  g_free (model->id);
  model->id = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  return TRUE;
}

const char *
semblance_model_get_id (SemblanceModel *model)
{
  if (!model->id) {
    g_autoptr (GBytes) bytes = semblance_model_serialize (model);

    model->id = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  }
  return model->id;
}

void
semblance_model_standardise (const SemblanceModel *model,
                             const float *features, guint rows, float *out)
{
  SemblanceNetShape shape;

  semblance_net_shape_init (&shape, model->hidden, model->group_out);
  semblance_net_standardise (&shape, model->mean, model->std, features, rows,
      out);
  semblance_model_clamp_inputs (out, (gsize) rows * shape.input_dim);
}

void
semblance_model_clamp_inputs (float *x, gsize n)
{
  gsize i;

  for (i = 0; i < n; i++)
    x[i] = isnan (x[i]) ? 0.0f : CLAMP (x[i],
        (float) -SEMBLANCE_MODEL_INPUT_BOUND,
        (float) SEMBLANCE_MODEL_INPUT_BOUND);
}

void
semblance_model_embed (const SemblanceModel *model, const float *features,
                       guint rows, float *out)
{
  SemblanceNetShape shape;
  g_autoptr (SemblanceNetWork) work = NULL;
  g_autofree float *x = NULL;

  semblance_net_shape_init (&shape, model->hidden, model->group_out);
  work = semblance_net_work_new (&shape, MAX (rows, 1));
  x = g_new (float, (gsize) MAX (rows, 1) * shape.input_dim);
  semblance_net_standardise (&shape, model->mean, model->std, features, rows,
      x);
  semblance_model_clamp_inputs (x, (gsize) rows * shape.input_dim);
  semblance_net_forward (&shape, model->params, x, rows, out, work);
}

const char *
semblance_model_default_path (void)
{
  const char *env = g_getenv ("SEMBLANCE_MODEL");

  return env && *env ? env : SEMBLANCE_DATADIR "/semblance-default.smodel";
}

char *
semblance_model_resolve (const char *setting, gboolean required,
                         GError **error)
{
  const char *path;

  if (setting && (setting[0] == '\0' || g_str_equal (setting, "none")))
    return NULL;
  if (setting && !g_str_equal (setting, "default"))
    return g_strdup (setting);
  path = semblance_model_default_path ();
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_strdup (path);
  if (required) {
    g_autofree char *display = g_filename_display_name (path);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "no default model is installed (looked for %s); name a model file",
        display);
  }
  return NULL;
}
