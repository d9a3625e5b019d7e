/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-library.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "semblance-blend.h"
#include "semblance-confident.h"
#include "semblance-describe.h"
#include "semblance-embedder.h"
#include "semblance-fingerprint.h"
#include "semblance-gaussian.h"
#include "semblance-layout.h"
#include "semblance-search.h"
#include "semblance-store-private.h"
#include "semblance-tags.h"
#include "semblance-text.h"
#include "semblance-wordnet.h"

struct _SemblanceLibrary
{
  GObject parent;

  char *database;
  char *model_path;
  /* Everything below is used under the lock: one connection, one embedder
   * and one encoder, each of which wants one thread at a time. */
  GMutex lock;
  SemblanceStore *store;
  SemblanceEmbedder *embedder;
  SemblanceCatalog *catalog;
  gint64 catalog_version;
  /* While tracks of an older feature layout wait to be analysed again, the
   * vectors of the model the library had before, for queries from tracks
   * in the library; NULL when the model's own serve. */
  SemblanceCatalog *serving;
  gint64 serving_version;
  float *mean;                  /* the catalog's mean property vector */
  /* What extends the catalog's property vectors for the blended distance
   * of "more like this" (semblance-blend.h), or NULL without one. */
  SemblanceBlend *blend;
  SemblanceSearch *search;      /* the catalog's predictions, on the first
                                 * search after each load */
  SemblanceTextEncoder *encoder;  /* loaded on first use */
  SemblanceDescriber *describer;
};

enum
{
  PROP_0,
  PROP_DATABASE,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void semblance_library_initable_iface_init (GInitableIface *iface);

/* GAsyncInitable's default runs GInitable's init on a worker thread. */
G_DEFINE_FINAL_TYPE_WITH_CODE (SemblanceLibrary, semblance_library,
    G_TYPE_OBJECT,
    G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
        semblance_library_initable_iface_init)
    G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_INITABLE, NULL))

void
semblance_result_free (SemblanceResult *result)
{
  if (!result)
    return;
  g_free (result->uri);
  g_free (result->title);
  g_free (result->artist);
  g_free (result->album);
  g_strfreev (result->matched);
  g_free (result);
}

static void
semblance_library_finalize (GObject *object)
{
  SemblanceLibrary *self = SEMBLANCE_LIBRARY (object);

  g_clear_pointer (&self->describer, semblance_describer_free);
  g_clear_pointer (&self->encoder, semblance_text_encoder_free);
  g_clear_pointer (&self->search, semblance_search_free);
  g_clear_pointer (&self->catalog, semblance_catalog_free);
  g_clear_pointer (&self->embedder, semblance_embedder_free);
  g_clear_pointer (&self->store, semblance_store_close);
  g_free (self->mean);
  g_clear_pointer (&self->blend, semblance_blend_free);
  g_clear_pointer (&self->serving, semblance_catalog_free);
  g_free (self->database);
  g_free (self->model_path);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (semblance_library_parent_class)->finalize (object);
}

static void
semblance_library_set_property (GObject *object, guint id,
                                const GValue *value, GParamSpec *pspec)
{
  SemblanceLibrary *self = SEMBLANCE_LIBRARY (object);

  switch (id) {
    case PROP_DATABASE:
      self->database = g_value_dup_string (value);
      break;
    case PROP_MODEL:
      /* The setting, until init resolves it to a file. */
      self->model_path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
      break;
  }
}

static void
semblance_library_get_property (GObject *object, guint id, GValue *value,
                                GParamSpec *pspec)
{
  SemblanceLibrary *self = SEMBLANCE_LIBRARY (object);

  switch (id) {
    case PROP_DATABASE:
      g_value_set_string (value, self->database);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model_path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
      break;
  }
}

static void
semblance_library_class_init (SemblanceLibraryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = semblance_library_set_property;
  object_class->get_property = semblance_library_get_property;
  object_class->finalize = semblance_library_finalize;

  properties[PROP_DATABASE] = g_param_spec_string ("database", "Database",
      "The index database file (NULL: the default one)", NULL,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL] = g_param_spec_string ("model", "Model",
      "The model file (NULL or \"default\": the default model); once "
      "initialised, the file in use", NULL,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
semblance_library_init (SemblanceLibrary *self)
{
  g_mutex_init (&self->lock);
  self->catalog_version = -1;
  self->serving_version = -1;
}

static gboolean
semblance_library_initable_init (GInitable *initable,
                                 GCancellable *cancellable, GError **error)
{
  SemblanceLibrary *self = SEMBLANCE_LIBRARY (initable);
  g_autofree char *setting = g_steal_pointer (&self->model_path);

  if (!self->database)
    self->database = g_strdup (semblance_store_default_path ());
  self->model_path = semblance_model_resolve (setting, TRUE, error);
  if (!self->model_path)
    return FALSE;
  self->embedder = semblance_embedder_new_from_file (self->model_path, error);
  if (!self->embedder)
    return FALSE;
  self->store = semblance_store_open (self->database, error);
  return self->store != NULL;
}

static void
semblance_library_initable_iface_init (GInitableIface *iface)
{
  iface->init = semblance_library_initable_init;
}

SemblanceLibrary *
semblance_library_new (const char *database, const char *model,
                       GError **error)
{
  return g_initable_new (SEMBLANCE_TYPE_LIBRARY, NULL, error, "database",
      database, "model", model, NULL);
}

void
semblance_library_new_async (const char *database, const char *model,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_async_initable_new_async (SEMBLANCE_TYPE_LIBRARY, G_PRIORITY_DEFAULT,
      cancellable, callback, user_data, "database", database, "model", model,
      NULL);
}

SemblanceLibrary *
semblance_library_new_finish (GAsyncResult *result, GError **error)
{
  g_autoptr (GObject) source = g_async_result_get_source_object (result);

  return SEMBLANCE_LIBRARY (g_async_initable_new_finish (G_ASYNC_INITABLE
          (source), result, error));
}

const char *
semblance_library_get_database (SemblanceLibrary *self)
{
  return self->database;
}

const char *
semblance_library_get_model_path (SemblanceLibrary *self)
{
  return self->model_path;
}

guint
semblance_library_get_dim (SemblanceLibrary *self)
{
  return semblance_embedder_get_dim (self->embedder);
}

/* Reloads the vectors when the database changed since they were read. Call
 * with the lock held. */
static SemblanceCatalog *
catalog (SemblanceLibrary *self)
{
  gint64 version = semblance_store_data_version (self->store);
  g_autoptr (GBytes) saved = NULL, refitted = NULL;
  gint64 generation;
  const char *id;
  SemblanceModel *m;

  if (self->catalog && version == self->catalog_version)
    return self->catalog;
  m = semblance_embedder_get_model (self->embedder);
  id = semblance_model_get_id (m);
  g_clear_pointer (&self->catalog, semblance_catalog_free);
  g_clear_pointer (&self->search, semblance_search_free);
  self->catalog = semblance_store_load_catalog_fit (self->store, id,
      m->group_out, &generation, &saved);
  self->catalog_version = version;
  g_clear_pointer (&self->mean, g_free);
  self->mean = g_new (float, semblance_embedder_get_dim (self->embedder));
  if (!semblance_catalog_mean (self->catalog, self->mean))
    g_clear_pointer (&self->mean, g_free);
  g_clear_pointer (&self->blend, semblance_blend_free);
  self->blend = semblance_catalog_blend_saved (self->catalog, m,
      SEMBLANCE_BLEND_RANK, saved, &refitted);
  if (refitted)
    semblance_store_offer_blend (self->store, id, generation, refitted);
  return self->catalog;
}

/* The catalog of queries from tracks in the library (similar, path):
 * after a change of the feature layout, the previous model's vectors of
 * every track, until the last of them is analysed again; queries from
 * elsewhere (a live vector, a text) need the model's own space and use
 * catalog(). Call with the lock held. */
static SemblanceCatalog *
serving_catalog (SemblanceLibrary *self)
{
  gint64 version = semblance_store_data_version (self->store);
  const char *own = semblance_model_get_id (semblance_embedder_get_model
      (self->embedder));
  g_autofree char *model_id = NULL;
  guint group_out = 0;

  if (version != self->serving_version) {
    g_clear_pointer (&self->serving, semblance_catalog_free);
    model_id = semblance_store_serving_model (self->store, own, &group_out);
    if (g_strcmp0 (model_id, own) != 0)
      self->serving = semblance_store_load_catalog (self->store, model_id,
          group_out);
    self->serving_version = version;
  }
  return self->serving ? self->serving : catalog (self);
}

guint
semblance_library_get_size (SemblanceLibrary *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return semblance_catalog_size (serving_catalog (self));
}

/* The id of @uri when it has a vector, else 0 and an error naming it. */
static gint64
track_with_vector (SemblanceLibrary *self, const char *uri, GError **error)
{
  gint64 id = semblance_store_lookup (self->store, uri);

  if (id == 0 || !semblance_catalog_get_vector (serving_catalog (self), id)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "%s has not been analysed yet", uri);
    return 0;
  }
  return id;
}

gboolean
semblance_library_contains (SemblanceLibrary *self, const char *uri)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return track_with_vector (self, uri, NULL) != 0;
}

/* The result for @id (with its tags) at match @m, or NULL when the store
 * no longer has the track. */
static SemblanceResult *
result_new (SemblanceLibrary *self, const SemblanceMatch *m)
{
  SemblanceTrackInfo t = { 0 };
  SemblanceResult *r;

  if (!semblance_store_get_track (self->store, m->id, &t))
    return NULL;
  r = g_new0 (SemblanceResult, 1);
  r->uri = g_steal_pointer (&t.uri);
  r->title = g_steal_pointer (&t.title);
  r->artist = g_steal_pointer (&t.artist);
  r->album = g_steal_pointer (&t.album);
  r->duration = t.duration;
  r->distance = m->distance;
  r->similarity = m->proximity;
  memcpy (r->closeness, m->closeness, sizeof r->closeness);
  semblance_track_info_clear (&t);
  return r;
}

static GPtrArray *
results (SemblanceLibrary *self, GArray *matches)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)
      semblance_result_free);
  guint i;

  for (i = 0; i < matches->len; i++) {
    SemblanceResult *r = result_new (self, &g_array_index (matches,
            SemblanceMatch, i));

    if (r)
      g_ptr_array_add (out, r);
  }
  return out;
}

/* The ids of options->exclude that the store has. Call with the lock
 * held. */
static GArray *
exclude_ids (SemblanceLibrary *self, const SemblanceQueryOptions *options)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint i;

  for (i = 0; options && options->exclude && options->exclude[i]; i++) {
    gint64 id = semblance_store_lookup (self->store, options->exclude[i]);

    if (id)
      g_array_append_val (ids, id);
  }
  return ids;
}

/* The options for the catalog: more results than wanted when
 * near-duplicates are to be folded out of them. */
static SemblanceQueryOptions
catalog_options (const SemblanceQueryOptions *options)
{
  SemblanceQueryOptions o;

  if (options)
    o = *options;
  else
    semblance_query_options_init (&o);
  if (!o.keep_duplicates)
    o.n = o.n * 2 + 8;
  return o;
}

typedef struct
{
  guint32 *items;
  guint n;
} Fingerprint;

static void
fingerprint_clear (Fingerprint *f)
{
  g_free (f->items);
}

/* Drops from @matches each one that is the same recording as a seed or
 * as a match kept before it, and keeps @n at most. Tracks without a
 * fingerprint are nobody's duplicate. Call with the lock held. */
static void
fold_duplicates (SemblanceLibrary *self, const SemblanceQueryOptions *options,
                 const gint64 *seeds, guint n_seeds, GArray *matches)
{
  g_autoptr (GArray) kept = g_array_new (FALSE, TRUE, sizeof (Fingerprint));
  guint n = options ? options->n : 20, i, j, out = 0;

  if (options && options->keep_duplicates) {
    g_array_set_size (matches, MIN (matches->len, n));
    return;
  }
  g_array_set_clear_func (kept, (GDestroyNotify) fingerprint_clear);
  for (i = 0; i < n_seeds; i++) {
    Fingerprint f = { 0 };

    f.items = semblance_store_get_fingerprint (self->store, seeds[i], &f.n);
    if (f.items)
      g_array_append_val (kept, f);
  }
  for (i = 0; i < matches->len && out < n; i++) {
    SemblanceMatch *m = &g_array_index (matches, SemblanceMatch, i);
    Fingerprint f = { 0 };
    gboolean duplicate = FALSE;

    f.items = semblance_store_get_fingerprint (self->store, m->id, &f.n);
    if (f.items) {
      g_autoptr (SemblanceFingerprintIndex) index =
          semblance_fingerprint_index_new (f.items, f.n);

      for (j = 0; j < kept->len && !duplicate; j++)
        duplicate = semblance_fingerprint_index_match (index,
            g_array_index (kept, Fingerprint, j).items,
            g_array_index (kept, Fingerprint, j).n);
    }
    if (duplicate) {
      g_free (f.items);
      continue;
    }
    if (f.items)
      g_array_append_val (kept, f);
    g_array_index (matches, SemblanceMatch, out++) = *m;
  }
  g_array_set_size (matches, out);
}

/* The ids of the seeds @uris, or NULL when one has no vector. Call with
 * the lock held. */
static GArray *
seed_ids (SemblanceLibrary *self, const char *const *uris, GError **error)
{
  g_autoptr (GArray) seeds = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint i;

  for (i = 0; uris && uris[i]; i++) {
    gint64 id = track_with_vector (self, uris[i], error);

    if (id == 0)
      return NULL;
    g_array_append_val (seeds, id);
  }
  return g_steal_pointer (&seeds);
}

GPtrArray *
semblance_library_similar (SemblanceLibrary *self, const char *const *uris,
                           const SemblanceQueryOptions *options,
                           GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr (GArray) seeds = seed_ids (self, uris, error);
  g_autoptr (GArray) matches = NULL, excluded = NULL;
  SemblanceQueryOptions wide;

  if (!seeds)
    return NULL;
  excluded = exclude_ids (self, options);
  wide = catalog_options (options);
  matches = semblance_catalog_similar_excluding (serving_catalog (self),
      (const gint64 *) seeds->data, seeds->len,
      (const gint64 *) excluded->data, excluded->len, &wide, error);
  if (!matches)
    return NULL;
  fold_duplicates (self, options, (const gint64 *) seeds->data, seeds->len,
      matches);
  return results (self, matches);
}

SemblanceResult *
semblance_library_get_track (SemblanceLibrary *self, const char *uri,
                             GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  SemblanceMatch m = { 0 };
  guint g;

  m.id = track_with_vector (self, uri, error);
  if (m.id == 0)
    return NULL;
  for (g = 0; g < SEMBLANCE_N_GROUPS; g++)
    m.closeness[g] = 1.0f;
  m.proximity = 1.0f;
  return result_new (self, &m);
}

GPtrArray *
semblance_library_path (SemblanceLibrary *self, const char *from,
                        const char *to, guint steps, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr (GArray) matches = NULL;
  gint64 a, b;

  if (!(a = track_with_vector (self, from, error))
      || !(b = track_with_vector (self, to, error)))
    return NULL;
  matches = semblance_catalog_path (serving_catalog (self), a, b, steps,
      error);
  return matches ? results (self, matches) : NULL;
}

GPtrArray *
semblance_library_nearest (SemblanceLibrary *self, const float *vector,
                           const SemblanceQueryOptions *options)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr (GArray) excluded = exclude_ids (self, options);
  SemblanceQueryOptions wide = catalog_options (options);
  SemblanceCatalog *c = catalog (self);
  guint dim = semblance_embedder_get_dim (self->embedder);
  g_autofree float *extended = g_new (float, semblance_catalog_get_dim (c));
  g_autoptr (GArray) matches = NULL;

  /* Extended as the catalog's vectors are. */
  memcpy (extended, vector, dim * sizeof (float));
  if (self->blend)
    semblance_blend_apply (self->blend, vector, 1, extended + dim);
  matches = semblance_catalog_nearest_excluding (c, extended,
      (const gint64 *) excluded->data, excluded->len, &wide);

  fold_duplicates (self, options, NULL, 0, matches);
  return results (self, matches);
}

/* The text encoder and the word list, on first use: most sessions of a
 * player never search. Call with the lock held. */
static gboolean
ensure_encoder (SemblanceLibrary *self, GError **error)
{
  SemblanceModel *m = semblance_embedder_get_model (self->embedder);

  if (!self->encoder) {
    self->encoder = semblance_text_encoder_new_default (error);
    if (!self->encoder)
      return FALSE;
    self->describer = semblance_describer_new (self->encoder);
  }
  if (m->semantic_dim != semblance_text_encoder_get_dim (self->encoder)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
        "%s has no semantic map for this text encoder", self->model_path);
    return FALSE;
  }
  return TRUE;
}

/* The semantic vector of a description (the encoder's dim values), or NULL.
 * Call with the lock held. */
static float *
embed_query (SemblanceLibrary *self, const char *text, GError **error)
{
  g_autofree float *semantic = NULL;

  if (!ensure_encoder (self, error))
    return NULL;
  semantic = g_new (float, semblance_text_encoder_get_dim (self->encoder));
  if (!semblance_text_encoder_embed (self->encoder, text, semantic, NULL,
          error))
    return NULL;
  return g_steal_pointer (&semantic);
}

static void
add_prediction (gint64 id, const float *s, guint dim, double duration,
                gpointer data)
{
  SemblanceSearch *search = data;

  if (dim == semblance_search_get_dim (search))
    semblance_search_add (search, id, s, duration);
}

/* The predictions of the catalog's tracks, loaded on the first search
 * after the catalog: most sessions of a player never search. Call with
 * the lock held, after ensure_encoder(). */
static SemblanceSearch *
search_index (SemblanceLibrary *self)
{
  SemblanceModel *m = semblance_embedder_get_model (self->embedder);
  const float *references;
  guint n_references;

  catalog (self);
  if (self->search)
    return self->search;
  references = semblance_describer_get_vectors (self->describer,
      &n_references);
  self->search = semblance_search_new (m->semantic_dim, references,
      n_references);
  semblance_store_foreach_prediction (self->store, semblance_model_get_id (m),
      add_prediction, self->search);
  return self->search;
}

/* A word of a query, or a negation with the word it negates ("not
 * calm"), as the result's list of matched words shows it. */
typedef struct
{
  char *text;
  float *vector;
} QueryWord;

static void
query_word_clear (QueryWord *w)
{
  g_free (w->text);
  g_free (w->vector);
}

/* Words as common as these (by their smooth-inverse-frequency weight,
 * about the hundred most frequent words) say nothing a track could
 * match: "a", "with", "and". */
#define MIN_WORD_WEIGHT 0.5f

/* The text encoder's negations (semblance-text.h), which turn the next
 * word into its opposite: a track matches the two together ("not
 * calm"). */
static gboolean
is_negation (const char *token)
{
  static const char *const negations[] = { "not", "no", "never", "without",
    "non", "nor" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (negations); i++)
    if (strcmp (token, negations[i]) == 0)
      return TRUE;
  return g_str_has_suffix (token, "n't");
}

/* Whether @token is a word a track can match: a genre's name ("heavy
 * metal"), or in the vocabulary itself or by a WordNet base form ("drums":
 * "drum"), and not among the most common words. A word known only through
 * its synonyms is not ("a": "angstrom"). */
static gboolean
descriptive (const SemblanceVocab *vocab, const char *token)
{
  int index = semblance_vocab_lookup (vocab, token);
  g_autoptr (GPtrArray) lemmas = NULL;
  guint i;

  if (strchr (token, ' '))
    return TRUE;
  if (index >= 0)
    return semblance_vocab_get_weight (vocab, index) >= MIN_WORD_WEIGHT;
  lemmas = semblance_wordnet_lemmas (token);
  for (i = 0; lemmas && i < lemmas->len; i++) {
    index = semblance_vocab_lookup (vocab, lemmas->pdata[i]);
    if (index >= 0)
      return semblance_vocab_get_weight (vocab, index) >= MIN_WORD_WEIGHT;
  }
  return FALSE;
}

/* The words of @text that a track can match on its own. Call with the
 * lock held, after ensure_encoder(). */
static GArray *
query_words (SemblanceLibrary *self, const char *text)
{
  g_autoptr (GPtrArray) tokens = semblance_text_encoder_terms (self->encoder,
      text);
  const SemblanceVocab *vocab = semblance_text_encoder_get_vocab
      (self->encoder);
  GArray *words = g_array_new (FALSE, TRUE, sizeof (QueryWord));
  guint dim = semblance_text_encoder_get_dim (self->encoder), i;

  g_array_set_clear_func (words, (GDestroyNotify) query_word_clear);
  for (i = 0; i < tokens->len; i++) {
    const char *token = tokens->pdata[i];
    QueryWord w = { 0 };

    if (is_negation (token)) {
      if (i + 1 == tokens->len)
        break;
      w.text = g_strdup_printf ("%s %s", token,
          (const char *) tokens->pdata[++i]);
    } else {
      if (!descriptive (vocab, token))
        continue;
      w.text = g_strdup (token);
    }
    w.vector = g_new (float, dim);
    if (!semblance_text_encoder_embed (self->encoder, w.text, w.vector, NULL,
            NULL)) {
      query_word_clear (&w);
      continue;
    }
    g_array_append_val (words, w);
  }
  return words;
}

/* Each result's words of the query: those it matches on its own. */
static void
set_matched (SemblanceLibrary *self, GPtrArray *found, GArray *words)
{
  g_autofree gint64 *ids = g_new (gint64, MAX (found->len, 1));
  g_autofree float *z = g_new (float, (gsize) MAX (found->len, 1)
      * MAX (words->len, 1));
  guint i, w;

  for (i = 0; i < found->len; i++)
    ids[i] = semblance_store_lookup (self->store,
        ((SemblanceResult *) found->pdata[i])->uri);
  for (w = 0; w < words->len; w++)
    semblance_search_word_z (self->search, g_array_index (words, QueryWord,
            w).vector, ids, found->len, z + (gsize) w * found->len);
  for (i = 0; i < found->len; i++) {
    GStrvBuilder *b = g_strv_builder_new ();
    SemblanceResult *r = found->pdata[i];

    for (w = 0; w < words->len; w++)
      if (z[(gsize) w * found->len + i] >= SEMBLANCE_SEARCH_MATCH_Z)
        g_strv_builder_add (b, g_array_index (words, QueryWord, w).text);
    r->matched = g_strv_builder_end (b);
    g_strv_builder_unref (b);
  }
}

GPtrArray *
semblance_library_search (SemblanceLibrary *self, const char *text,
                          const SemblanceQueryOptions *options,
                          GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autofree float *semantic = NULL;
  g_autoptr (GArray) ranked = NULL, matches = NULL, excluded = NULL;
  g_autoptr (GArray) words = NULL;
  SemblanceQueryOptions wide;
  SemblanceSearchOptions o;
  GPtrArray *found;
  guint i;

  if (!(semantic = embed_query (self, text, error)))
    return NULL;
  excluded = exclude_ids (self, options);
  wide = catalog_options (options);
  semblance_search_options_init (&o);
  o.n = wide.n;
  o.include_short = wide.include_short;
  o.min_duration = wide.min_duration;
  o.max_duration = wide.max_duration;
  o.exclude = (const gint64 *) excluded->data;
  o.n_exclude = excluded->len;
  ranked = semblance_search_rank (search_index (self), semantic, &o);
  matches = g_array_sized_new (FALSE, TRUE, sizeof (SemblanceMatch),
      ranked->len);
  for (i = 0; i < ranked->len; i++) {
    const SemblanceSearchMatch *r = &g_array_index (ranked,
        SemblanceSearchMatch, i);
    SemblanceMatch m = { 0 };

    m.id = r->id;
    m.distance = 1.0f - r->cosine;
    m.proximity = r->similarity;
    g_array_append_val (matches, m);
  }
  fold_duplicates (self, options, NULL, 0, matches);
  found = results (self, matches);
  words = query_words (self, text);
  set_matched (self, found, words);
  return found;
}

/* A description re-ranks at least this many of the seeds' nearest tracks,
 * and ten for each result wanted. */
#define LIKE_SHORTLIST 200

typedef struct
{
  SemblanceMatch match;
  double score;
  guint order;                  /* in the shortlist, to break ties */
} LikeCandidate;

static int
compare_like (const void *a, const void *b)
{
  const LikeCandidate *x = a, *y = b;

  if (x->score != y->score)
    return (x->score < y->score) - (x->score > y->score);
  return (x->order > y->order) - (x->order < y->order);
}

/* Each candidate's evidence of being like the seeds, as a z-score: its
 * mutual proximity is the probability that a track drawn from the
 * library is farther from it than the seeds are, and farther from the
 * seeds than it is. */
static double
acoustic_z (const SemblanceMatch *m)
{
  return semblance_normal_isf (1.0 - (double) m->proximity);
}

GPtrArray *
semblance_library_similar_like (SemblanceLibrary *self,
                                const char *const *uris, const char *text,
                                const SemblanceQueryOptions *options,
                                GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr (GArray) seeds = seed_ids (self, uris, error);
  g_autoptr (GArray) shortlist = NULL, excluded = NULL, words = NULL;
  g_autofree float *semantic = NULL, *text_z = NULL;
  g_autofree gint64 *ids = NULL;
  g_autofree LikeCandidate *candidates = NULL;
  SemblanceQueryOptions wide;
  GPtrArray *found;
  double best, median;
  guint i, n;

  if (!seeds || !(semantic = embed_query (self, text, error)))
    return NULL;
  excluded = exclude_ids (self, options);
  wide = catalog_options (options);
  wide.n = MAX (wide.n * 10, LIKE_SHORTLIST);
  /* The combination needs the probability that mutual proximity is. */
  wide.mutual_proximity = TRUE;
  /* As in text search, jingles and effects only when asked for (every
   * analysed track's length is known, from its decoding). */
  if (!wide.include_short)
    wide.min_duration = MAX (wide.min_duration,
        SEMBLANCE_SEARCH_SHORT_SECONDS);
  shortlist = semblance_catalog_similar_excluding (serving_catalog (self),
      (const gint64 *) seeds->data, seeds->len,
      (const gint64 *) excluded->data, excluded->len, &wide, error);
  if (!shortlist)
    return NULL;
  n = shortlist->len;
  ids = g_new (gint64, MAX (n, 1));
  text_z = g_new (float, MAX (n, 1));
  for (i = 0; i < n; i++)
    ids[i] = g_array_index (shortlist, SemblanceMatch, i).id;
  semblance_search_score_z (search_index (self), semantic, ids, n, text_z);
  /* Stouffer's sum of the two z-scores: a track must be like the seeds
   * and near the description, and much of one makes up for a little of
   * the other. A track without a prediction of this model yet (analysed
   * again after a new layout) counts as neutral on the description. */
  candidates = g_new (LikeCandidate, MAX (n, 1));
  for (i = 0; i < n; i++) {
    candidates[i].match = g_array_index (shortlist, SemblanceMatch, i);
    candidates[i].order = i;
    candidates[i].score = (acoustic_z (&candidates[i].match)
        + (isnan (text_z[i]) ? 0.0 : text_z[i])) / G_SQRT2;
  }
  qsort (candidates, n, sizeof (LikeCandidate), compare_like);
  best = n ? candidates[0].score : 0.0;
  median = n ? candidates[n / 2].score : 0.0;
  g_array_set_size (shortlist, 0);
  for (i = 0; i < n; i++) {
    SemblanceMatch m = candidates[i].match;

    /* The bars tell the results apart: 1 for the best, 0 at the
     * shortlist's median. */
    m.proximity = best > median ? (float) CLAMP ((candidates[i].score
            - median) / (best - median), 0.0, 1.0) : 1.0f;
    g_array_append_val (shortlist, m);
  }
  fold_duplicates (self, options, (const gint64 *) seeds->data, seeds->len,
      shortlist);
  found = results (self, shortlist);
  words = query_words (self, text);
  set_matched (self, found, words);
  return found;
}

/* Words for where @vector lies relative to the library's mean: the map
 * pulls every track towards the same general words, the difference is
 * what sets it apart. Call with the lock held. */
static char **
describe (SemblanceLibrary *self, const float *vector, guint n, GError **error)
{
  SemblanceModel *m = semblance_embedder_get_model (self->embedder);
  g_autofree float *here = NULL, *there = NULL;
  g_autoptr (GPtrArray) words = NULL;
  char **out;
  guint i;

  if (!ensure_encoder (self, error))
    return NULL;
  here = g_new (float, m->semantic_dim);
  there = g_new0 (float, m->semantic_dim);
  if (!semblance_embedder_project (self->embedder, vector, here)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
        "%s has no semantic map", self->model_path);
    return NULL;
  }
  catalog (self);
  if (self->mean)
    semblance_embedder_project (self->embedder, self->mean, there);
  for (i = 0; i < m->semantic_dim; i++)
    here[i] -= there[i];
  words = semblance_describer_words (self->describer, here, n);
  out = g_new0 (char *, words->len + 1);
  for (i = 0; i < words->len; i++)
    out[i] = g_strdup (words->pdata[i]);
  return out;
}

char **
semblance_library_describe_vector (SemblanceLibrary *self,
                                   const float *vector, guint n,
                                   GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return describe (self, vector, n, error);
}

char **
semblance_library_describe (SemblanceLibrary *self, const char *uri, guint n,
                            GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autofree float *copy = NULL;
  gint64 id = semblance_store_lookup (self->store, uri);
  const float *vector = id ? semblance_catalog_get_vector (catalog (self), id)
      : NULL;

  if (!vector) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "%s has not been analysed yet", uri);
    return NULL;
  }
  /* describe() may reload the catalog, which owns the vector. */
  copy = g_memdup2 (vector, semblance_embedder_get_dim (self->embedder) *
      sizeof (float));
  return describe (self, copy, n, error);
}

void
semblance_suggestions_free (SemblanceSuggestions *suggestions)
{
  if (!suggestions)
    return;
  g_clear_pointer (&suggestions->results, g_ptr_array_unref);
  g_strfreev (suggestions->words);
  g_free (suggestions);
}

/* Call with the lock held. */
static char **
confident (SemblanceLibrary *self, const float *vector, guint n)
{
  SemblanceModel *m = semblance_embedder_get_model (self->embedder);
  g_autoptr (GArray) words = NULL;
  char **out;
  guint i;

  /* Without calibrations there is no word to trust, and no need to load
   * the encoder. */
  if (!vector || m->calibrations->len == 0 || !ensure_encoder (self, NULL))
    return g_new0 (char *, 1);
  words = semblance_confident_words (m, self->encoder, vector, n);
  out = g_new0 (char *, words->len + 1);
  for (i = 0; i < words->len; i++)
    out[i] = g_strdup (g_array_index (words, SemblanceConfidentWord,
            i).word);
  return out;
}

char **
semblance_library_confident_words (SemblanceLibrary *self, const char *uri,
                                   const float *vector, guint n)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autofree float *copy = NULL;
  gint64 id = uri ? semblance_store_lookup (self->store, uri) : 0;
  const float *stored = id ? semblance_catalog_get_vector (catalog (self),
      id) : NULL;

  /* ensure_encoder() may reload the catalog, which owns the vector. */
  if (stored)
    vector = copy = g_memdup2 (stored,
        semblance_embedder_get_dim (self->embedder) * sizeof (float));
  return confident (self, vector, n);
}

SemblanceSuggestions *
semblance_library_suggest (SemblanceLibrary *self, const char *uri,
                           const float *live_vector, guint n_words,
                           const SemblanceQueryOptions *options,
                           GError **error)
{
  g_autoptr (SemblanceSuggestions) out = g_new0 (SemblanceSuggestions, 1);

  if (semblance_library_contains (self, uri)) {
    const char *seeds[] = { uri, NULL };

    out->results = semblance_library_similar (self, seeds, options, error);
    if (!out->results)
      return NULL;
  } else if (live_vector) {
    out->results = semblance_library_nearest (self, live_vector, options);
  } else {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "%s has not been analysed yet", uri);
    return NULL;
  }
  /* Only words that can be trusted: a wrong word is worse than none. */
  out->words = semblance_library_confident_words (self, uri, live_vector,
      n_words);
  return g_steal_pointer (&out);
}

float *
semblance_library_embed (SemblanceLibrary *self, const float *features)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  float *v = g_new (float, semblance_embedder_get_dim (self->embedder));

  semblance_embedder_embed (self->embedder, features, 1, v);
  return v;
}

gboolean
semblance_library_store_analysis (SemblanceLibrary *self, const char *uri,
                                  const SemblanceProperties *props,
                                  GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autofree char *path = g_filename_from_uri (uri, NULL, NULL);
  g_autofree float *v = NULL;
  SemblanceModel *m = semblance_embedder_get_model (self->embedder);
  g_auto (SemblanceTrackInfo) info = { 0 };
  guint dim = semblance_embedder_get_dim (self->embedder);
  GStatBuf st;

  if (!path || g_stat (path, &st) != 0) {
    int saved = errno;

    g_set_error (error, G_IO_ERROR, path ? g_io_error_from_errno (saved)
        : G_IO_ERROR_INVALID_ARGUMENT, "%s: %s", uri, path ?
        g_strerror (saved) : "not a local file");
    return FALSE;
  }
  info.uri = g_strdup (uri);
  info.size = st.st_size;
  info.mtime = st.st_mtime;
  semblance_read_tags (path, &info);
  v = g_new (float, dim);
  semblance_embedder_embed (self->embedder, props->vector, 1, v);
  if (!semblance_store_begin (self->store, error))
    return FALSE;
  if (!semblance_store_put_analysis (self->store, &info,
          props->layout_version, props->vector, semblance_model_get_id (m),
          v, dim, error)
      || !semblance_search_store_prediction (self->store, self->embedder,
          semblance_store_lookup (self->store, uri), v, error)
      || !semblance_store_commit (self->store, error)) {
    semblance_store_rollback (self->store);
    return FALSE;
  }
  /* data_version only tells of other connections' changes. */
  g_clear_pointer (&self->catalog, semblance_catalog_free);
  self->serving_version = -1;
  return TRUE;
}

gboolean
semblance_library_forget (SemblanceLibrary *self, const char *uri)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (!semblance_store_remove (self->store, uri))
    return FALSE;
  g_clear_pointer (&self->catalog, semblance_catalog_free);
  self->serving_version = -1;
  return TRUE;
}
