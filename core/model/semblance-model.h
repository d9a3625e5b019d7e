/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A trained model in one versioned file: the property network's weights, the
 * input standardisation, the learned distance scale, the semantic map and a
 * model card saying what the model is and how it was made. Model files are
 * shared and downloaded, so the loader treats them as untrusted input and
 * checks every length, dimension, version and value before use.
 *
 * The network has one small MLP per property group g of the feature layout
 * (semblance-layout.h): in_g standardised features -> hidden units (tanh) ->
 * group_out linear outputs. The property vector is the concatenation of the
 * group outputs, K = n_groups * group_out values. params holds, for each
 * group g = 0 .. n_groups - 1 in turn:
 *
 *   W1_g (hidden x in_g, row-major), b1_g (hidden),
 *   W2_g (group_out x hidden, row-major), b2_g (group_out)
 *
 * The semantic map (a ridge regression) takes a property vector p to the
 * semantic space of the text encoder: s = p M + bias, with M K x
 * semantic_dim, row-major.
 *
 * File layout, format version 1 (integers little-endian):
 *
 *   offset  size
 *    0       8   magic "SMBLMDL\0"
 *    8       4   format version, SEMBLANCE_MODEL_FORMAT_VERSION
 *   12       4   reserved, 0
 *   16       8   payload size in bytes
 *   24      32   SHA-256 of the payload
 *   56       -   payload: a GVariant of type SEMBLANCE_MODEL_VARIANT_TYPE,
 *                little-endian, in normal form, to the end of the file
 *
 * The GVariant "(uauuuuayayayayayay(ssssssusssa(sd)))" holds, in order:
 *
 *   u    feature layout version (SEMBLANCE_LAYOUT_VERSION)
 *   au   input_dims, one per group: n_groups is the array's length
 *   u    hidden (1 .. SEMBLANCE_MODEL_MAX_UNITS)
 *   u    group_out (1 .. SEMBLANCE_MODEL_MAX_UNITS)
 *   u    semantic_dim (0 .. SEMBLANCE_MODEL_MAX_SEMANTIC_DIM; 0: no map)
 *   ay   mean, std, params, scale (a single value), semantic_map,
 *        semantic_bias: six blobs of little-endian IEEE 754 float32, 4 bytes
 *        per value, bit-exact
 *   (ssssssusssa(sd))  the model card: name, description, license, authors,
 *        created, training_data, training_tracks, training_licenses,
 *        training_list_sha256, text_encoder, metrics as (name, value) pairs
 *
 * Format version 2 is version 1 with word calibrations after the card:
 * the GVariant SEMBLANCE_MODEL_VARIANT_TYPE_2 adds
 *
 *   a(sdd)  one (word, a, b) per calibrated word of the describer
 *           (semblance-words.h), each word at most once: a track whose
 *           predicted semantic vector has cosine c with the word's vector
 *           is described by it with probability 1 / (1 + exp (-(a c + b)))
 *           (Platt scaling on held-out tracks)
 *
 * A model without calibrations is written in version 1, so that models
 * made before calibrations existed keep their files and ids; a version-2
 * file has at least one calibration.
 *
 * There is exactly one file for a model (the payload must be in normal form,
 * the reserved field 0), so the SHA-256 of the whole file, which tools show
 * as the model's id, identifies the model: `sha256sum FILE` prints it too.
 */
#pragma once

#include <gio/gio.h>

#include "semblance-export.h"
#include "semblance-layout.h"

G_BEGIN_DECLS

#define SEMBLANCE_MODEL_FORMAT_VERSION 1
#define SEMBLANCE_MODEL_VARIANT_TYPE "(uauuuuayayayayayay(ssssssusssa(sd)))"
#define SEMBLANCE_MODEL_FORMAT_VERSION_2 2
#define SEMBLANCE_MODEL_VARIANT_TYPE_2 \
  "(uauuuuayayayayayay(ssssssusssa(sd))a(sdd))"
#define SEMBLANCE_MODEL_MAX_UNITS 1024
#define SEMBLANCE_MODEL_MAX_SEMANTIC_DIM 4096

/* The finiteness contract. The network sees each standardised feature
 * clamped to ±SEMBLANCE_MODEL_INPUT_BOUND (NaN as 0). The loader refuses a
 * model whose weights could, for such inputs, overflow a hidden unit's sum
 * or give a property value beyond ±SEMBLANCE_MODEL_OUTPUT_BOUND (with tanh
 * units, the bound of output o is |b2_o| + the sum of |W2_o,h|), or
 * overflow the semantic map: every property vector is then finite, and so
 * is every distance between two of them. */
#define SEMBLANCE_MODEL_INPUT_BOUND 1e4
#define SEMBLANCE_MODEL_OUTPUT_BOUND 1e15

/* All strings are UTF-8 without control characters other than newline and
 * TAB (the card is shown on terminals); NULL is saved as "". */
typedef struct
{
  char *name;
  char *description;
  char *license;                /* SPDX id or expression; required */
  char *authors;
  char *created;                /* ISO 8601 */
  char *training_data;          /* what the training material is */
  guint training_tracks;
  char *training_licenses;      /* licenses of the training material */
  char *training_list_sha256;   /* 64 hex digits, or "" */
  char *text_encoder;           /* id of the text encoder */
  /* Held-out metrics: metric_names[i] (char *, for example "spearman" or
   * "precision@10") has the finite value metric_values[i] (double). */
  GPtrArray *metric_names;
  GArray *metric_values;
} SemblanceModelCard;

/* How far a describer word can be trusted of a track: see format version
 * 2 above. */
typedef struct
{
  char *word;
  double a, b;
} SemblanceWordCalibration;

/* A word is said of a track when its calibrated probability reaches this. */
#define SEMBLANCE_WORD_MIN_PROBABILITY 0.5

typedef struct
{
  guint layout_version;
  guint n_groups;
  guint input_dims[SEMBLANCE_N_GROUPS];
  guint hidden;
  guint group_out;
  float *mean;                  /* SEMBLANCE_FEATURE_DIM values */
  float *std;                   /* SEMBLANCE_FEATURE_DIM values, > 0 */
  float *params;                /* n_params values, in the order above */
  gsize n_params;
  float scale;                  /* distance scale, > 0 */
  guint semantic_dim;
  float *semantic_map;          /* K x semantic_dim, or NULL when 0 */
  float *semantic_bias;         /* semantic_dim values, or NULL when 0 */
  SemblanceModelCard card;
  GArray *calibrations;         /* of SemblanceWordCalibration; may be
                                 * empty, never NULL */
  char *id;                     /* private: see semblance_model_get_id() */
} SemblanceModel;

/* A model for the current feature layout with zero weights, std 1, scale 1
 * and an empty card (empty strings, no metrics). The card's license must be
 * set before the model can be saved. */
SEMBLANCE_EXPORT
SemblanceModel *semblance_model_new_empty (guint hidden, guint group_out,
                                           guint semantic_dim);

SEMBLANCE_EXPORT
void semblance_model_free (SemblanceModel *model);

/* K: the length of the property vector. */
SEMBLANCE_EXPORT
guint semblance_model_get_property_dim (const SemblanceModel *model);

/* The file's bytes, without any check: the arrays must hold the lengths the
 * dimensions imply. */
SEMBLANCE_EXPORT
GBytes *semblance_model_serialize (const SemblanceModel *model);

/* Writes the file atomically. Refuses, with SEMBLANCE_ERROR_CORRUPT, a model
 * that semblance_model_load() would refuse (a non-finite weight after a
 * diverged training, a card without a license...), so that every model
 * written can be read. The model's id becomes the file's. */
SEMBLANCE_EXPORT
gboolean semblance_model_save (SemblanceModel *model, const char *path,
                               GError **error);

/* Errors: G_FILE_ERROR when the file cannot be read, SEMBLANCE_ERROR_CORRUPT
 * with "FILE: not a valid model: reason" for the first fault found. */
SEMBLANCE_EXPORT
SemblanceModel *semblance_model_load (const char *path, GError **error);

/* The same checks on bytes in memory (not kept). */
SEMBLANCE_EXPORT
SemblanceModel *semblance_model_load_from_bytes (GBytes *bytes,
                                                 GError **error);

/* The model's id: the SHA-256 of semblance_model_serialize(), in lowercase
 * hex, which is the SHA-256 of its file. Computed once, when the model is
 * loaded or saved (or, for a model made in memory and never saved, when
 * first asked for): changing the fields of a model does not change its id
 * until it is saved. The string belongs to @model. */
SEMBLANCE_EXPORT
const char *semblance_model_get_id (SemblanceModel *model);

/* The property vectors of @rows feature vectors (rows x
 * SEMBLANCE_FEATURE_DIM) into @out (rows x K), for a few calls; an embedder
 * (semblance-embedder.h) keeps its buffers for many. Inputs are clamped as
 * the finiteness contract says. */
SEMBLANCE_EXPORT
void semblance_model_embed (const SemblanceModel *model,
                            const float *features, guint rows, float *out);

/* The features as the network sees them: standardised with the model's
 * mean and std, and clamped (rows x SEMBLANCE_FEATURE_DIM both). */
SEMBLANCE_EXPORT
void semblance_model_standardise (const SemblanceModel *model,
                                  const float *features, guint rows,
                                  float *out);

/* The model installed with the project, or $SEMBLANCE_MODEL when set. */
SEMBLANCE_EXPORT
const char *semblance_model_default_path (void);

/**
 * semblance_model_resolve:
 * @setting: (nullable): what the user chose: a model file; NULL or
 *   "default" for the default model; "" or "none" for no model
 * @required: whether a model is needed: then a missing default model is an
 *   error instead of no model
 *
 * The one answer to "which model" for every client (the element, the
 * indexer, the library, the command line).
 *
 * Returns: (transfer full) (nullable): the model file to load, or NULL for
 * no model, without an error when none is wanted (or none is installed and
 * none is @required); NULL with G_IO_ERROR_NOT_FOUND when a required
 * default model is not installed.
 */
SEMBLANCE_EXPORT
char *semblance_model_resolve (const char *setting, gboolean required,
                               GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceModel, semblance_model_free)

G_END_DECLS
