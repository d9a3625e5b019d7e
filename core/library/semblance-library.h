/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The library as a player sees it (its sidebar, its plugin):
 * an index database and a model, queried by URI or by text. The property
 * vectors are held in memory and reloaded when another connection (the
 * indexer, another process) has changed the database since.
 *
 * Every call is thread-safe. The plain calls may wait for the database or
 * reload the vectors; a user interface uses their _async() forms, which
 * run on a worker thread of the engine and call back in the thread-default
 * main context of the caller. Cancelling an _async() call's cancellable
 * makes it finish with G_IO_ERROR_CANCELLED, so that a caller that goes
 * away (a plugin deactivated) is never called back with results.
 *
 * A SemblanceLibrary is a GInitable and a GAsyncInitable, with the
 * construct-only properties "database" and "model" (see
 * semblance_library_new()).
 */
#pragma once

#include <gio/gio.h>

#include "semblance-export.h"
#include "semblance-query.h"
#include "semblance-extractor.h"

G_BEGIN_DECLS

#define SEMBLANCE_TYPE_LIBRARY (semblance_library_get_type ())
SEMBLANCE_EXPORT GType semblance_library_get_type (void);
G_DECLARE_FINAL_TYPE (SemblanceLibrary, semblance_library, SEMBLANCE,
                      LIBRARY, GObject)

/* A track of the library, as queries return it. */
typedef struct
{
  char *uri;
  char *title, *artist, *album;         /* NULL when the tags lack them */
  double duration;                      /* seconds, 0 when unknown */
  float distance;
  float similarity;                     /* 0-1: the mutual proximity to the
                                         * query, or a fall-off of the
                                         * distance without it */
  float closeness[SEMBLANCE_N_GROUPS];  /* see SemblanceMatch; all 0 for
                                         * text search */
  char **matched;                       /* text search: the words of the
                                         * query the track matches on its
                                         * own, NULL-terminated, maybe
                                         * none; NULL for other queries */
} SemblanceResult;

SEMBLANCE_EXPORT
void semblance_result_free (SemblanceResult *result);

/**
 * semblance_library_new:
 * @database: (nullable): the index, or the default one
 * @model: (nullable): the model file, or the default model
 *
 * Fails when the model cannot be loaded or the database cannot be opened
 * (it is created when missing).
 */
SEMBLANCE_EXPORT
SemblanceLibrary *semblance_library_new (const char *database,
                                         const char *model, GError **error);

/* The same, opened on a worker thread. */
SEMBLANCE_EXPORT
void semblance_library_new_async (const char *database, const char *model,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
SEMBLANCE_EXPORT
SemblanceLibrary *semblance_library_new_finish (GAsyncResult *result,
                                                GError **error);

SEMBLANCE_EXPORT
const char *semblance_library_get_database (SemblanceLibrary *self);
SEMBLANCE_EXPORT
const char *semblance_library_get_model_path (SemblanceLibrary *self);

/* Tracks with a property vector of the library's model. */
SEMBLANCE_EXPORT
guint semblance_library_get_size (SemblanceLibrary *self);

/* Whether @uri has a property vector of the library's model. */
SEMBLANCE_EXPORT
gboolean semblance_library_contains (SemblanceLibrary *self, const char *uri);

/* Tracks like @uris (their mean), best first (GPtrArray of
 * SemblanceResult), by the property distance blended with the distance
 * between the tracks' predicted semantic vectors when the model has a
 * semantic map (semblance-blend.h; results' distances are of the blend).
 * While tracks of an older feature layout wait to be analysed again, by
 * the previous model's property vectors alone (its map is not loaded).
 * G_IO_ERROR_NOT_FOUND names a seed without a vector. */
SEMBLANCE_EXPORT
GPtrArray *semblance_library_similar (SemblanceLibrary *self,
                                      const char *const *uris,
                                      const SemblanceQueryOptions *options,
                                      GError **error);

/* @uri itself as a result (distance 0, close in every group), for lists
 * that start with their seeds. G_IO_ERROR_NOT_FOUND when it has no vector. */
SEMBLANCE_EXPORT
SemblanceResult *semblance_library_get_track (SemblanceLibrary *self,
                                              const char *uri,
                                              GError **error);

/* @steps tracks leading from @from to @to (both left out), no track twice;
 * see semblance_catalog_path(). */
SEMBLANCE_EXPORT
GPtrArray *semblance_library_path (SemblanceLibrary *self, const char *from,
                                   const char *to, guint steps,
                                   GError **error);

/* Tracks nearest to a property vector of the library's model (for a track
 * heard live, before the index has it), by the same blend as similar. */
SEMBLANCE_EXPORT
GPtrArray *semblance_library_nearest (SemblanceLibrary *self,
                                      const float *vector,
                                      const SemblanceQueryOptions *options);

/* Tracks that fit a description, best first: ranked in semantic space
 * against each track's predicted semantic vector, with hubs corrected
 * (semblance-search.h). A result's distance is the cosine distance of the
 * description and the track's prediction centred on the library, its
 * similarity how far above a typical track of the library its score is
 * (1 for the best track, 0 at the median), and matched says which words
 * of the description it matches. Short clips only with
 * options->include_short. */
SEMBLANCE_EXPORT
GPtrArray *semblance_library_search (SemblanceLibrary *self, const char *text,
                                     const SemblanceQueryOptions *options,
                                     GError **error);

/**
 * semblance_library_similar_like:
 * @uris: the seeds, NULL-terminated
 * @text: a description to move towards ("calmer", "with piano")
 *
 * "Like these, but …": the seeds' nearest tracks (ten for each result
 * wanted, 200 at least, with @options' exclusions and caps) ranked again
 * by how like the seeds they are and how near the description, as the
 * sum of two z-scores: the seeds' mutual proximity to the track, and the
 * text search score (semblance-search.h) over the library. A result's
 * distance and closeness are to the seeds, its similarity scales the
 * combined score (1 for the best, 0 at the median of those ranked), and
 * matched says which words of @text it matches. As in text search, short
 * clips only with options->include_short.
 */
SEMBLANCE_EXPORT
GPtrArray *semblance_library_similar_like (SemblanceLibrary *self,
                                           const char *const *uris,
                                           const char *text,
                                           const SemblanceQueryOptions *options,
                                           GError **error);

/* @n words that say how @uri differs from the rest of the library
 * ("calm", "piano"...), as a NULL-terminated array. */
SEMBLANCE_EXPORT
char **semblance_library_describe (SemblanceLibrary *self, const char *uri,
                                   guint n, GError **error);

/* The same for a property vector. */
SEMBLANCE_EXPORT
char **semblance_library_describe_vector (SemblanceLibrary *self,
                                          const float *vector, guint n,
                                          GError **error);

/* The words of semblance_confident_words() for @uri, or for @vector when
 * the library does not have @uri (either may be NULL), at most @n, as a
 * NULL-terminated array: empty when none is confident, the model has no
 * calibrations, or neither the track nor a vector is known. */
SEMBLANCE_EXPORT
char **semblance_library_confident_words (SemblanceLibrary *self,
                                          const char *uri,
                                          const float *vector, guint n);

/* The property vector of @features (layout SEMBLANCE_FEATURE_DIM values);
 * the caller frees it. Its length is semblance_library_get_dim(). */
SEMBLANCE_EXPORT
float *semblance_library_embed (SemblanceLibrary *self, const float *features);

SEMBLANCE_EXPORT
guint semblance_library_get_dim (SemblanceLibrary *self);

/* What a player shows for a track: the tracks like it and a few words for
 * it. */
typedef struct
{
  GPtrArray *results;         /* SemblanceResult, best first */
  GStrv words;                /* the confident words for the track
                               * (semblance_library_confident_words()),
                               * often none */
} SemblanceSuggestions;

SEMBLANCE_EXPORT
void semblance_suggestions_free (SemblanceSuggestions *suggestions);

/**
 * semblance_library_suggest:
 * @uri: the track
 * @live_vector: (nullable): its property vector as measured while it plays
 *   (semblance_library_get_dim() values), for a track not indexed yet
 * @n_words: how many words to describe it with
 *
 * "More like this" for one track: from the index when it has the track,
 * else from @live_vector. Fails with G_IO_ERROR_NOT_FOUND when the index
 * does not have the track and there is no live vector.
 */
SEMBLANCE_EXPORT
SemblanceSuggestions *semblance_library_suggest (SemblanceLibrary *self,
                                                 const char *uri,
                                                 const float *live_vector,
                                                 guint n_words,
                                                 const SemblanceQueryOptions *options,
                                                 GError **error);

/**
 * semblance_library_store_analysis:
 * @uri: a local file's URI
 * @props: the analysis of the whole file, for example by the element
 *   while the file played
 *
 * Records the file (size, modification time, tags) with its features and
 * its property vector, so that the indexer does not analyse it again.
 */
SEMBLANCE_EXPORT
gboolean semblance_library_store_analysis (SemblanceLibrary *self,
                                           const char *uri,
                                           const SemblanceProperties *props,
                                           GError **error);

/* Forgets @uri (a file the player no longer has); FALSE when the index did
 * not have it. */
SEMBLANCE_EXPORT
gboolean semblance_library_forget (SemblanceLibrary *self, const char *uri);

/* The _async() forms of the calls above, with the same arguments, and
 * their _finish() calls, which return what the plain call returns. The
 * arguments are copied: they need not outlive the call. */
SEMBLANCE_EXPORT
void semblance_library_similar_async (SemblanceLibrary *self,
                                      const char *const *uris,
                                      const SemblanceQueryOptions *options,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data);
SEMBLANCE_EXPORT
GPtrArray *semblance_library_similar_finish (SemblanceLibrary *self,
                                             GAsyncResult *result,
                                             GError **error);

SEMBLANCE_EXPORT
void semblance_library_similar_like_async (SemblanceLibrary *self,
                                           const char *const *uris,
                                           const char *text,
                                           const SemblanceQueryOptions *options,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
SEMBLANCE_EXPORT
GPtrArray *semblance_library_similar_like_finish (SemblanceLibrary *self,
                                                  GAsyncResult *result,
                                                  GError **error);
SEMBLANCE_EXPORT
void semblance_library_search_async (SemblanceLibrary *self,
                                     const char *text,
                                     const SemblanceQueryOptions *options,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
SEMBLANCE_EXPORT
GPtrArray *semblance_library_search_finish (SemblanceLibrary *self,
                                            GAsyncResult *result,
                                            GError **error);

SEMBLANCE_EXPORT
void semblance_library_path_async (SemblanceLibrary *self, const char *from,
                                   const char *to, guint steps,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
SEMBLANCE_EXPORT
GPtrArray *semblance_library_path_finish (SemblanceLibrary *self,
                                          GAsyncResult *result,
                                          GError **error);

SEMBLANCE_EXPORT
void semblance_library_suggest_async (SemblanceLibrary *self,
                                      const char *uri,
                                      const float *live_vector,
                                      guint n_words,
                                      const SemblanceQueryOptions *options,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data);
SEMBLANCE_EXPORT
SemblanceSuggestions *semblance_library_suggest_finish (SemblanceLibrary *self,
                                                        GAsyncResult *result,
                                                        GError **error);

SEMBLANCE_EXPORT
void semblance_library_store_analysis_async (SemblanceLibrary *self,
                                             const char *uri,
                                             const SemblanceProperties *props,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data);
SEMBLANCE_EXPORT
gboolean semblance_library_store_analysis_finish (SemblanceLibrary *self,
                                                  GAsyncResult *result,
                                                  GError **error);

SEMBLANCE_EXPORT
void semblance_library_forget_async (SemblanceLibrary *self, const char *uri,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
/* FALSE without an error when the index did not have the track. */
SEMBLANCE_EXPORT
gboolean semblance_library_forget_finish (SemblanceLibrary *self,
                                          GAsyncResult *result,
                                          GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceResult, semblance_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceSuggestions,
                               semblance_suggestions_free)

G_END_DECLS
