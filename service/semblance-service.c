/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-service.h"

#include <string.h>

/* Words AnalyzeFile() gives, as many as the sidebar shows. */
#define N_WORDS 3
/* Tracks AnalyzeFile() lists. */
#define N_NEAREST 20

struct _SemblanceService
{
  GObject parent;

  SemblanceLibrary *library;
  SemblanceIndexer *indexer;
  /* The front ends' id lookups, on the service's thread (a store is one
   * connection per thread). */
  SemblanceStore *store;
  /* Cancelled when the service goes: the index run stops between files. */
  GCancellable *cancellable;

  gboolean paused;
  guint done, total, failures;
  char *current_file;
};

enum
{
  PROP_0,
  PROP_DATABASE,
  PROP_MODEL,
  PROP_INDEXING,
  PROP_DONE,
  PROP_TOTAL,
  PROP_FAILURES,
  PROP_CURRENT_FILE,
  PROP_PAUSED,
  N_PROPS
};

enum
{
  SIGNAL_PROGRESS,
  SIGNAL_INDEX_FINISHED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SemblanceService, semblance_service, G_TYPE_OBJECT)

/* A track as the caller named it, as a URI: file URIs as they are,
 * absolute file names turned into URIs; the index stores file URIs. */
static char *
track_uri (const char *arg, GError **error)
{
  if (!g_utf8_validate (arg, -1, NULL)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "a track name must be UTF-8 text");
    return NULL;
  }
  if (g_str_has_prefix (arg, "file:///")) {
    g_autofree char *path = g_filename_from_uri (arg, NULL, NULL);

    if (path)
      return g_strdup (arg);
  } else if (g_path_is_absolute (arg)) {
    g_autofree char *path = g_canonicalize_filename (arg, NULL);

    return g_filename_to_uri (path, NULL, error);
  }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
      "“%s” is neither a file URI (file:///…) nor an absolute file name",
      arg);
  return NULL;
}

static GStrv
track_uris (const char *const *args, GError **error)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  guint i;

  for (i = 0; args && args[i]; i++) {
    g_autofree char *uri = track_uri (args[i], error);

    if (!uri)
      return NULL;
    g_strv_builder_add (builder, uri);
  }
  return g_strv_builder_end (builder);
}

static void
on_progress (SemblanceIndexer *indexer, SemblanceService *self)
{
  g_autofree char *current = NULL;

  /* A run resumes itself after each batch of files: hold it again. */
  if (self->paused)
    semblance_indexer_set_paused (indexer, TRUE);
  g_object_get (indexer, "done", &self->done, "total", &self->total,
      "failures", &self->failures, "current-file", &current, NULL);
  g_free (self->current_file);
  self->current_file = g_strdup (current ? current : "");
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TOTAL]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FAILURES]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CURRENT_FILE]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
}

static void
on_running (SemblanceIndexer *indexer, GParamSpec *pspec,
            SemblanceService *self)
{
  /* A run starts unpaused: the service's wish holds for every run. */
  if (semblance_indexer_get_running (indexer) && self->paused)
    semblance_indexer_set_paused (indexer, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_INDEXING]);
}

static void
on_index_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (SemblanceService) self = data;
  g_autoptr (GError) error = NULL;

  if (semblance_indexer_run_finish (SEMBLANCE_INDEXER (source), result,
          &error))
    g_clear_error (&error);
  else
    g_warning ("indexing stopped: %s", error->message);
  /* The last progress came before the run ended: counters are final. */
  on_progress (SEMBLANCE_INDEXER (source), self);
  g_signal_emit (self, signals[SIGNAL_INDEX_FINISHED], 0, self->done,
      self->failures, error ? error->message : NULL);
}

gboolean
semblance_service_index (SemblanceService *self, const char *const *paths,
                         GError **error)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  guint i;

  /* Every name first: a mistake adds nothing. */
  for (i = 0; paths[i]; i++) {
    g_autofree char *uri = track_uri (paths[i], error);
    char *file = uri ? g_filename_from_uri (uri, NULL, error) : NULL;

    if (!file)
      return FALSE;
    g_ptr_array_add (files, file);
    if (!g_file_test (file, G_FILE_TEST_EXISTS)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
          "%s: no such file or folder", file);
      return FALSE;
    }
  }
  for (i = 0; i < files->len; i++)
    semblance_indexer_add_path (self->indexer, files->pdata[i]);
  /* A run under way takes the new names itself. */
  if (files->len && !semblance_indexer_get_running (self->indexer))
    semblance_indexer_run_async (self->indexer, self->cancellable,
        on_index_done, g_object_ref (self));
  return TRUE;
}

void
semblance_service_close (SemblanceService *self)
{
  g_cancellable_cancel (self->cancellable);
}

void
semblance_service_set_paused (SemblanceService *self, gboolean paused)
{
  if (self->paused == !!paused)
    return;
  self->paused = !!paused;
  semblance_indexer_set_paused (self->indexer, self->paused);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PAUSED]);
}

gboolean
semblance_service_get_paused (SemblanceService *self)
{
  return self->paused;
}

const char *
semblance_service_get_database (SemblanceService *self)
{
  return semblance_library_get_database (self->library);
}

gint64
semblance_service_get_track_id (SemblanceService *self, const char *uri)
{
  return semblance_store_lookup (self->store, uri);
}

char *
semblance_service_dup_track_uri (SemblanceService *self, gint64 id)
{
  g_auto (SemblanceTrackInfo) info = { 0 };

  if (id <= 0 || semblance_store_get_state (self->store, id) !=
      SEMBLANCE_TRACK_ANALYSED || !semblance_store_get_track (self->store,
          id, &info))
    return NULL;
  return g_steal_pointer (&info.uri);
}

/* Queries that leave out tracks played before ask the engine for as many
 * more and drop them. */
typedef struct
{
  GStrv previous;               /* URIs */
  guint n;
} Filter;

static void
filter_free (Filter *filter)
{
  g_strfreev (filter->previous);
  g_free (filter);
}

static Filter *
filter_new (const SemblanceServiceQuery *query, SemblanceQueryOptions *asked,
            GError **error)
{
  g_auto (GStrv) previous = NULL;
  Filter *filter;

  if (query->previous && !(previous = track_uris ((const char *const *)
              query->previous, error)))
    return NULL;
  filter = g_new0 (Filter, 1);
  filter->previous = g_steal_pointer (&previous);
  filter->n = query->options.n;
  *asked = query->options;
  asked->n += filter->previous ? g_strv_length (filter->previous) : 0;
  return filter;
}

static GPtrArray *
filter_apply (const Filter *filter, GPtrArray *found)
{
  guint i = 0;

  while (i < found->len) {
    const SemblanceResult *r = found->pdata[i];

    if (filter->previous && g_strv_contains ((const char *const *)
            filter->previous, r->uri))
      g_ptr_array_remove_index (found, i);
    else
      i++;
  }
  if (found->len > filter->n)
    g_ptr_array_set_size (found, filter->n);
  return found;
}

static void
on_results (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  SemblanceLibrary *library = SEMBLANCE_LIBRARY (source);
  const Filter *filter = g_task_get_task_data (task);
  GError *error = NULL;
  GPtrArray *found;

  if (g_task_get_source_tag (task) == semblance_service_search_async) {
    found = semblance_library_search_finish (library, result, &error);
    /* A text of no known word is the caller's mistake, as a bad option. */
    if (g_error_matches (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_EMPTY)) {
      error->domain = G_IO_ERROR;
      error->code = G_IO_ERROR_INVALID_ARGUMENT;
    }
  } else
    found = semblance_library_similar_finish (library, result, &error);
  if (found)
    g_task_return_pointer (task, filter_apply (filter, found),
        (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
semblance_service_similar_async (SemblanceService *self,
                                 const char *const *uris,
                                 const SemblanceServiceQuery *query,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback,
      user_data);
  g_auto (GStrv) seeds = NULL;
  GError *error = NULL;
  SemblanceQueryOptions asked;
  Filter *filter;

  g_task_set_source_tag (task, semblance_service_similar_async);
  if (!(seeds = track_uris (uris, &error))
      || !(filter = filter_new (query, &asked, &error))) {
    g_task_return_error (task, error);
    return;
  }
  if (!seeds[0]) {
    filter_free (filter);
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "give at least one track to find tracks like");
    return;
  }
  g_task_set_task_data (task, filter, (GDestroyNotify) filter_free);
  semblance_library_similar_async (self->library,
      (const char *const *) seeds, &asked, cancellable, on_results,
      g_steal_pointer (&task));
}

GPtrArray *
semblance_service_similar_finish (SemblanceService *self,
                                  GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
semblance_service_search_async (SemblanceService *self, const char *text,
                                const SemblanceServiceQuery *query,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback,
      user_data);
  GError *error = NULL;
  SemblanceQueryOptions asked;
  Filter *filter;

  g_task_set_source_tag (task, semblance_service_search_async);
  if (!g_utf8_validate (text, -1, NULL)) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "the description must be UTF-8 text");
    return;
  }
  if (!(filter = filter_new (query, &asked, &error))) {
    g_task_return_error (task, error);
    return;
  }
  g_task_set_task_data (task, filter, (GDestroyNotify) filter_free);
  semblance_library_search_async (self->library, text, &asked, cancellable,
      on_results, g_steal_pointer (&task));
}

GPtrArray *
semblance_service_search_finish (SemblanceService *self,
                                 GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_path (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  GError *error = NULL;
  GPtrArray *found = semblance_library_path_finish (SEMBLANCE_LIBRARY
      (source), result, &error);

  if (found)
    g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
semblance_service_path_async (SemblanceService *self, const char *from,
                              const char *to, guint steps,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback,
      user_data);
  g_autofree char *from_uri = NULL, *to_uri = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, semblance_service_path_async);
  if (!(from_uri = track_uri (from, &error))
      || !(to_uri = track_uri (to, &error))) {
    g_task_return_error (task, error);
    return;
  }
  if (steps < 1 || steps > SEMBLANCE_SERVICE_MAX_RESULTS) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "a path has from 1 to %u steps, not %u",
        SEMBLANCE_SERVICE_MAX_RESULTS, steps);
    return;
  }
  semblance_library_path_async (self->library, from_uri, to_uri, steps,
      cancellable, on_path, g_steal_pointer (&task));
}

GPtrArray *
semblance_service_path_finish (SemblanceService *self, GAsyncResult *result,
                               GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The library has no asynchronous form of describe(): its plain calls are
 * thread-safe, so Describe() and AnalyzeFile() run them on GIO's worker
 * threads as the library's own _async() calls do. */
typedef struct
{
  SemblanceResult *track;
  GStrv words;
} Description;

static void
description_free (Description *d)
{
  g_clear_pointer (&d->track, semblance_result_free);
  g_strfreev (d->words);
  g_free (d);
}

typedef struct
{
  char *uri;
  guint n_words;
} DescribeCall;

static void
describe_call_free (DescribeCall *call)
{
  g_free (call->uri);
  g_free (call);
}

static void
describe_in_thread (GTask *task, gpointer source, gpointer data,
                    GCancellable *cancellable)
{
  SemblanceService *self = source;
  const DescribeCall *call = data;
  g_autoptr (SemblanceResult) track = NULL;
  GError *error = NULL;
  GStrv words;
  Description *d;

  if (!(track = semblance_library_get_track (self->library, call->uri,
              &error))) {
    g_task_return_error (task, error);
    return;
  }
  /* Only the words that can be trusted, as the sidebar shows them: a wrong
   * word is worse than none. */
  words = semblance_library_confident_words (self->library, call->uri, NULL,
      call->n_words);
  d = g_new0 (Description, 1);
  d->track = g_steal_pointer (&track);
  d->words = words;
  g_task_return_pointer (task, d, (GDestroyNotify) description_free);
}

void
semblance_service_describe_async (SemblanceService *self, const char *uri,
                                  guint n_words, GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback,
      user_data);
  GError *error = NULL;
  char *track = track_uri (uri, &error);
  DescribeCall *call;

  g_task_set_source_tag (task, semblance_service_describe_async);
  if (!track) {
    g_task_return_error (task, error);
    return;
  }
  call = g_new (DescribeCall, 1);
  call->uri = track;
  call->n_words = n_words;
  g_task_set_task_data (task, call, (GDestroyNotify) describe_call_free);
  g_task_run_in_thread (task, describe_in_thread);
}

SemblanceResult *
semblance_service_describe_finish (SemblanceService *self,
                                   GAsyncResult *result, GStrv *words,
                                   GError **error)
{
  Description *d = g_task_propagate_pointer (G_TASK (result), error);
  SemblanceResult *track;

  if (!d)
    return NULL;
  *words = g_steal_pointer (&d->words);
  track = g_steal_pointer (&d->track);
  description_free (d);
  return track;
}

void
semblance_service_analysis_free (SemblanceServiceAnalysis *analysis)
{
  g_free (analysis->file);
  g_free (analysis->vector);
  g_strfreev (analysis->words);
  if (analysis->tracks)
    g_ptr_array_unref (analysis->tracks);
  g_free (analysis);
}

static void
analyze_in_thread (GTask *task, gpointer source, gpointer data,
                   GCancellable *cancellable)
{
  SemblanceService *self = source;
  g_autoptr (SemblanceServiceAnalysis) a = g_new0 (SemblanceServiceAnalysis,
      1);
  SemblanceQueryOptions options;
  GError *error = NULL;

  a->file = g_strdup (data);
  if (!semblance_analyze_file (a->file, SEMBLANCE_DECODER_AUTO, cancellable,
          &a->props, &error)) {
    g_task_return_error (task, error);
    return;
  }
  a->dim = semblance_library_get_dim (self->library);
  a->vector = semblance_library_embed (self->library, a->props.vector);
  a->words = semblance_library_confident_words (self->library, NULL,
      a->vector, N_WORDS);
  semblance_query_options_init (&options);
  options.n = N_NEAREST;
  a->tracks = semblance_library_nearest (self->library, a->vector, &options);
  g_task_return_pointer (task, g_steal_pointer (&a),
      (GDestroyNotify) semblance_service_analysis_free);
}

void
semblance_service_analyze_file_async (SemblanceService *self,
                                      const char *uri,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback,
      user_data);
  g_autofree char *track = NULL;
  GError *error = NULL;
  char *file;

  g_task_set_source_tag (task, semblance_service_analyze_file_async);
  if (!(track = track_uri (uri, &error))
      || !(file = g_filename_from_uri (track, NULL, &error))) {
    g_task_return_error (task, error);
    return;
  }
  if (!g_file_test (file, G_FILE_TEST_IS_REGULAR)) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "%s: no such file", file);
    g_free (file);
    return;
  }
  g_task_set_task_data (task, file, g_free);
  g_task_run_in_thread (task, analyze_in_thread);
}

SemblanceServiceAnalysis *
semblance_service_analyze_file_finish (SemblanceService *self,
                                       GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_library (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  SemblanceService *self = g_task_get_task_data (task);
  GError *error = NULL;

  self->library = semblance_library_new_finish (result, &error);
  if (!self->library
      || !(self->store = semblance_store_open (semblance_library_get_database
              (self->library), &error))) {
    g_task_return_error (task, error);
    return;
  }
  self->indexer = semblance_indexer_new (semblance_library_get_database
      (self->library), semblance_library_get_model_path (self->library),
      GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "threads")));
  g_signal_connect (self->indexer, "progress", G_CALLBACK (on_progress),
      self);
  g_signal_connect (self->indexer, "notify::running",
      G_CALLBACK (on_running), self);
  g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

void
semblance_service_new_async (const char *database, const char *model,
                             guint threads, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, semblance_service_new_async);
  g_task_set_task_data (task, g_object_new (SEMBLANCE_TYPE_SERVICE, NULL),
      g_object_unref);
  g_object_set_data (G_OBJECT (task), "threads", GUINT_TO_POINTER (threads));
  semblance_library_new_async (database, model, cancellable, on_library,
      task);
}

SemblanceService *
semblance_service_new_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
semblance_service_get_property (GObject *object, guint prop_id,
                                GValue *value, GParamSpec *pspec)
{
  SemblanceService *self = SEMBLANCE_SERVICE (object);

  switch (prop_id) {
    case PROP_DATABASE:
      g_value_set_string (value, semblance_service_get_database (self));
      break;
    case PROP_MODEL:
      g_value_set_string (value, semblance_library_get_model_path
          (self->library));
      break;
    case PROP_INDEXING:
      g_value_set_boolean (value, self->indexer
          && semblance_indexer_get_running (self->indexer));
      break;
    case PROP_DONE:
      g_value_set_uint (value, self->done);
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;
    case PROP_FAILURES:
      g_value_set_uint (value, self->failures);
      break;
    case PROP_CURRENT_FILE:
      g_value_set_string (value, self->current_file);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
semblance_service_set_property (GObject *object, guint prop_id,
                                const GValue *value, GParamSpec *pspec)
{
  switch (prop_id) {
    case PROP_PAUSED:
      semblance_service_set_paused (SEMBLANCE_SERVICE (object),
          g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
semblance_service_dispose (GObject *object)
{
  SemblanceService *self = SEMBLANCE_SERVICE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->indexer)
    g_signal_handlers_disconnect_by_data (self->indexer, self);
  g_clear_object (&self->indexer);
  g_clear_object (&self->library);
  g_clear_pointer (&self->store, semblance_store_close);
  G_OBJECT_CLASS (semblance_service_parent_class)->dispose (object);
}

static void
semblance_service_finalize (GObject *object)
{
  SemblanceService *self = SEMBLANCE_SERVICE (object);

  g_object_unref (self->cancellable);
  g_free (self->current_file);
  G_OBJECT_CLASS (semblance_service_parent_class)->finalize (object);
}

static void
semblance_service_class_init (SemblanceServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = semblance_service_get_property;
  object_class->set_property = semblance_service_set_property;
  object_class->dispose = semblance_service_dispose;
  object_class->finalize = semblance_service_finalize;

  props[PROP_DATABASE] = g_param_spec_string ("database", "Database",
      "The index's database file", NULL, ro);
  props[PROP_MODEL] = g_param_spec_string ("model", "Model",
      "The model file of the queries and the indexer", NULL, ro);
  props[PROP_INDEXING] = g_param_spec_boolean ("indexing", "Indexing",
      "Whether an index run is under way", FALSE, ro);
  props[PROP_DONE] = g_param_spec_uint ("done", "Done",
      "Files analysed or failed in the current or last run", 0, G_MAXUINT,
      0, ro);
  props[PROP_TOTAL] = g_param_spec_uint ("total", "Total",
      "Files the current or last run found to analyse", 0, G_MAXUINT, 0,
      ro);
  props[PROP_FAILURES] = g_param_spec_uint ("failures", "Failures",
      "Files of the current or last run that could not be analysed", 0,
      G_MAXUINT, 0, ro);
  props[PROP_CURRENT_FILE] = g_param_spec_string ("current-file",
      "Current file", "The URI the run handled last, or \"\"", "", ro);
  props[PROP_PAUSED] = g_param_spec_boolean ("paused", "Paused",
      "Whether the analysis is held between two files", FALSE,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_PROGRESS] = g_signal_new ("progress",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  signals[SIGNAL_INDEX_FINISHED] = g_signal_new ("index-finished",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING);
}

static void
semblance_service_init (SemblanceService *self)
{
  self->cancellable = g_cancellable_new ();
  self->current_file = g_strdup ("");
}
