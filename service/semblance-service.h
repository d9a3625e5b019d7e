/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The engine as semblanced's front ends (the D-Bus object, the HTTP API)
 * share it: one SemblanceLibrary for the queries, the one SemblanceIndexer
 * of the database, and the index's track ids, by which the HTTP API names
 * the files it streams. Both front ends call the same queries here, so
 * that they answer alike.
 *
 * Tracks are named by file URI or absolute file name; anything else fails
 * with G_IO_ERROR_INVALID_ARGUMENT (as do bad options and a description of
 * no known word), a track the index has no vector for with
 * G_IO_ERROR_NOT_FOUND. The calls run in the thread-default main
 * context of semblance_service_new_async(), the waiting on the engine's
 * worker threads.
 *
 * Properties, read-only but "paused": "database", "model", "indexing", "done",
 * "total", "failures", "current-file" (of the current or last run, as the
 * indexer counts them) and "paused". Signals: "progress" after files of a
 * run, "index-finished" (done, failures, error message or NULL) at its end.
 */
#pragma once

#include "semblance.h"
#include "semblance-query-options.h"

G_BEGIN_DECLS

#define SEMBLANCE_TYPE_SERVICE (semblance_service_get_type ())
G_DECLARE_FINAL_TYPE (SemblanceService, semblance_service, SEMBLANCE,
                      SERVICE, GObject)

/* Opens the library (@database and @model as for semblance_library_new())
 * and makes its indexer, with @threads analysis threads (0: cores less
 * one). */
void semblance_service_new_async (const char *database, const char *model,
                                  guint threads, GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
SemblanceService *semblance_service_new_finish (GAsyncResult *result,
                                                GError **error);

const char *semblance_service_get_database (SemblanceService *self);

/* The index's id of @uri, or 0 when the index does not have it: one read
 * by the store's unique index, which never waits for the indexer's writes
 * (WAL), so it is made where it is needed. */
gint64 semblance_service_get_track_id (SemblanceService *self,
                                       const char *uri);

/* The URI of track @id when it has been analysed, or NULL. */
char *semblance_service_dup_track_uri (SemblanceService *self, gint64 id);

/* Tracks like @uris, leaving out @query's previous tracks: a GPtrArray of
 * SemblanceResult, best first. */
void semblance_service_similar_async (SemblanceService *self,
                                      const char *const *uris,
                                      const SemblanceServiceQuery *query,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data);
GPtrArray *semblance_service_similar_finish (SemblanceService *self,
                                             GAsyncResult *result,
                                             GError **error);

/* Tracks that fit @text, the same way. */
void semblance_service_search_async (SemblanceService *self, const char *text,
                                     const SemblanceServiceQuery *query,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
GPtrArray *semblance_service_search_finish (SemblanceService *self,
                                            GAsyncResult *result,
                                            GError **error);

/* @uri as a result, with @n_words words for it. */
void semblance_service_describe_async (SemblanceService *self,
                                       const char *uri, guint n_words,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
SemblanceResult *semblance_service_describe_finish (SemblanceService *self,
                                                   GAsyncResult *result,
                                                   GStrv *words,
                                                   GError **error);

/* @steps (1 to SEMBLANCE_SERVICE_MAX_RESULTS) tracks from @from to @to. */
void semblance_service_path_async (SemblanceService *self, const char *from,
                                   const char *to, guint steps,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
GPtrArray *semblance_service_path_finish (SemblanceService *self,
                                          GAsyncResult *result,
                                          GError **error);

/* A file analysed as the index would analyse it, without storing it. */
typedef struct
{
  char *file;                       /* the file name */
  SemblanceProperties props;
  float *vector;                    /* property vector, @dim values */
  guint dim;
  GStrv words;                      /* three words for it */
  GPtrArray *tracks;                /* SemblanceResult nearest to it */
} SemblanceServiceAnalysis;

void semblance_service_analysis_free (SemblanceServiceAnalysis *analysis);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceServiceAnalysis,
                               semblance_service_analysis_free)

void semblance_service_analyze_file_async (SemblanceService *self,
                                           const char *uri,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
SemblanceServiceAnalysis *
semblance_service_analyze_file_finish (SemblanceService *self,
                                       GAsyncResult *result, GError **error);

/* Adds folders or files to the run under way, or starts a run. Fails,
 * adding nothing, when a name is not a file URI or absolute file name
 * (G_IO_ERROR_INVALID_ARGUMENT) or does not exist (G_IO_ERROR_NOT_FOUND). */
gboolean semblance_service_index (SemblanceService *self,
                                  const char *const *paths, GError **error);

/* Cancels the run under way, which stops between two files; "indexing"
 * turns FALSE when it has. */
void semblance_service_close (SemblanceService *self);

/* Holds the analysis of this and later runs between two files, or lets it
 * go on. */
void semblance_service_set_paused (SemblanceService *self, gboolean paused);
gboolean semblance_service_get_paused (SemblanceService *self);

G_END_DECLS
