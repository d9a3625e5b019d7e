/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The _async() forms of SemblanceLibrary's calls: each runs the plain call
 * on a worker thread of GIO's pool. The library is thread-safe, so the
 * forms need nothing of its inside.
 */
#include "semblance-library.h"

#include <string.h>

typedef enum
{
  CALL_SIMILAR,
  CALL_SEARCH,
  CALL_SIMILAR_LIKE,
  CALL_PATH,
  CALL_SUGGEST,
  CALL_STORE_ANALYSIS,
  CALL_FORGET,
} CallKind;

/* A call's arguments, copied. */
typedef struct
{
  CallKind kind;
  GStrv uris;
  char *text;                   /* search text, a URI, or the path's start */
  char *to;
  guint steps, n_words;
  float *vector;
  SemblanceQueryOptions options;
  char **exclude;               /* options.exclude, copied */
  SemblanceProperties props;
} Call;

static void
call_free (Call *call)
{
  g_strfreev (call->uris);
  g_strfreev (call->exclude);
  g_free (call->text);
  g_free (call->to);
  g_free (call->vector);
  g_free (call);
}

static Call *
call_new (CallKind kind, const SemblanceQueryOptions *options)
{
  Call *call = g_new0 (Call, 1);

  call->kind = kind;
  if (options)
    call->options = *options;
  else
    semblance_query_options_init (&call->options);
  /* The caller's list may be gone before the call runs. */
  call->exclude = g_strdupv ((char **) call->options.exclude);
  call->options.exclude = (const char *const *) call->exclude;
  return call;
}

static void
run_call (GTask *task, gpointer source, gpointer data,
          GCancellable *cancellable)
{
  SemblanceLibrary *self = source;
  Call *call = data;
  GError *error = NULL;
  gpointer out = NULL;
  GDestroyNotify free_out = (GDestroyNotify) g_ptr_array_unref;
  gboolean done;

  switch (call->kind) {
    case CALL_SIMILAR:
      out = semblance_library_similar (self, (const char *const *) call->uris,
          &call->options, &error);
      break;
    case CALL_SEARCH:
      out = semblance_library_search (self, call->text, &call->options,
          &error);
      break;
    case CALL_SIMILAR_LIKE:
      out = semblance_library_similar_like (self,
          (const char *const *) call->uris, call->text, &call->options,
          &error);
      break;
    case CALL_PATH:
      out = semblance_library_path (self, call->text, call->to, call->steps,
          &error);
      break;
    case CALL_SUGGEST:
      out = semblance_library_suggest (self, call->text, call->vector,
          call->n_words, &call->options, &error);
      free_out = (GDestroyNotify) semblance_suggestions_free;
      break;
    case CALL_STORE_ANALYSIS:
      done = semblance_library_store_analysis (self, call->text,
          &call->props, &error);
      if (done)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;
    case CALL_FORGET:
      g_task_return_boolean (task, semblance_library_forget (self,
              call->text));
      return;
  }
  if (out)
    g_task_return_pointer (task, out, free_out);
  else
    g_task_return_error (task, error);
}

static void
start (SemblanceLibrary *self, Call *call, gpointer tag,
       GCancellable *cancellable, GAsyncReadyCallback callback,
       gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback,
      user_data);

  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  /* A cancelled call reports the cancellation, never a late result. */
  g_task_set_check_cancellable (task, TRUE);
  g_task_run_in_thread (task, run_call);
}

static gpointer
finish_pointer (SemblanceLibrary *self, GAsyncResult *result, gpointer tag,
                GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
finish_boolean (SemblanceLibrary *self, GAsyncResult *result, gpointer tag,
                GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tag,
      FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
semblance_library_similar_async (SemblanceLibrary *self,
                                 const char *const *uris,
                                 const SemblanceQueryOptions *options,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  Call *call = call_new (CALL_SIMILAR, options);

  g_return_if_fail (SEMBLANCE_IS_LIBRARY (self));
  call->uris = g_strdupv ((char **) uris);
  start (self, call, semblance_library_similar_async, cancellable, callback,
      user_data);
}

GPtrArray *
semblance_library_similar_finish (SemblanceLibrary *self,
                                  GAsyncResult *result, GError **error)
{
  return finish_pointer (self, result, semblance_library_similar_async,
      error);
}

void
semblance_library_similar_like_async (SemblanceLibrary *self,
                                      const char *const *uris,
                                      const char *text,
                                      const SemblanceQueryOptions *options,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  Call *call = call_new (CALL_SIMILAR_LIKE, options);

  g_return_if_fail (SEMBLANCE_IS_LIBRARY (self));
  call->uris = g_strdupv ((char **) uris);
  call->text = g_strdup (text);
  start (self, call, semblance_library_similar_like_async, cancellable,
      callback, user_data);
}

GPtrArray *
semblance_library_similar_like_finish (SemblanceLibrary *self,
                                       GAsyncResult *result, GError **error)
{
  return finish_pointer (self, result, semblance_library_similar_like_async,
      error);
}

void
semblance_library_search_async (SemblanceLibrary *self, const char *text,
                                const SemblanceQueryOptions *options,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  Call *call = call_new (CALL_SEARCH, options);

  g_return_if_fail (SEMBLANCE_IS_LIBRARY (self));
  call->text = g_strdup (text);
  start (self, call, semblance_library_search_async, cancellable, callback,
      user_data);
}

GPtrArray *
semblance_library_search_finish (SemblanceLibrary *self,
                                 GAsyncResult *result, GError **error)
{
  return finish_pointer (self, result, semblance_library_search_async, error);
}

void
semblance_library_path_async (SemblanceLibrary *self, const char *from,
                              const char *to, guint steps,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  Call *call = call_new (CALL_PATH, NULL);

  g_return_if_fail (SEMBLANCE_IS_LIBRARY (self));
  call->text = g_strdup (from);
  call->to = g_strdup (to);
  call->steps = steps;
  start (self, call, semblance_library_path_async, cancellable, callback,
      user_data);
}

GPtrArray *
semblance_library_path_finish (SemblanceLibrary *self, GAsyncResult *result,
                               GError **error)
{
  return finish_pointer (self, result, semblance_library_path_async, error);
}

void
semblance_library_suggest_async (SemblanceLibrary *self, const char *uri,
                                 const float *live_vector, guint n_words,
                                 const SemblanceQueryOptions *options,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  Call *call = call_new (CALL_SUGGEST, options);

  g_return_if_fail (SEMBLANCE_IS_LIBRARY (self));
  call->text = g_strdup (uri);
  call->n_words = n_words;
  if (live_vector)
    call->vector = g_memdup2 (live_vector, semblance_library_get_dim (self) *
        sizeof (float));
  start (self, call, semblance_library_suggest_async, cancellable, callback,
      user_data);
}

SemblanceSuggestions *
semblance_library_suggest_finish (SemblanceLibrary *self,
                                  GAsyncResult *result, GError **error)
{
  return finish_pointer (self, result, semblance_library_suggest_async,
      error);
}

void
semblance_library_store_analysis_async (SemblanceLibrary *self,
                                        const char *uri,
                                        const SemblanceProperties *props,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  Call *call = call_new (CALL_STORE_ANALYSIS, NULL);

  g_return_if_fail (SEMBLANCE_IS_LIBRARY (self));
  call->text = g_strdup (uri);
  call->props = *props;
  start (self, call, semblance_library_store_analysis_async, cancellable,
      callback, user_data);
}

gboolean
semblance_library_store_analysis_finish (SemblanceLibrary *self,
                                         GAsyncResult *result, GError **error)
{
  return finish_boolean (self, result, semblance_library_store_analysis_async,
      error);
}

void
semblance_library_forget_async (SemblanceLibrary *self, const char *uri,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  Call *call = call_new (CALL_FORGET, NULL);

  g_return_if_fail (SEMBLANCE_IS_LIBRARY (self));
  call->text = g_strdup (uri);
  start (self, call, semblance_library_forget_async, cancellable, callback,
      user_data);
}

gboolean
semblance_library_forget_finish (SemblanceLibrary *self,
                                 GAsyncResult *result, GError **error)
{
  return finish_boolean (self, result, semblance_library_forget_async, error);
}
