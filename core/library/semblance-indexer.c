/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-indexer.h"

#include <gst/gst.h>

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "semblance-collect.h"
#include "semblance-embedder.h"
#include "semblance-search.h"
#include "semblance-file-private.h"
#include "semblance-fingerprint.h"
#include "semblance-store-private.h"
#include "semblance-tags.h"
#include "semblance-watcher.h"

/* A batch is committed after this many tracks or this long. */
#define BATCH_TRACKS 32
#define BATCH_USECONDS (2 * G_USEC_PER_SEC)
#define POP_TIMEOUT (200 * G_TIME_SPAN_MILLISECOND)
/* Linux's idle I/O class: the indexer reads only when nothing else does. */
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_IDLE (3 << 13)

struct _SemblanceIndexer
{
  GObject parent;

  char *database;
  char *model;
  guint threads;
  GPtrArray *roots;             /* every path added: what watch() follows */

  GMutex lock;
  GCond resume;
  gboolean paused;
  guint done, total, failures, forgotten;
  char *current_file;
  GPtrArray *pending;           /* paths added, for the next run */
  GPtrArray *pending_removed;   /* files gone, for the next run */
  /* The context that an asynchronous run reports its progress in, and
   * whether a report waits there. */
  GMainContext *progress_context;
  gboolean progress_queued;

  /* In the caller's thread: whether a run is under way. */
  gboolean running;

  /* watching, in the main context of semblance_indexer_watch() */
  SemblanceWatcher *watcher;
  GCancellable *watch_cancel;
};

enum
{
  PROP_0,
  PROP_DONE,
  PROP_TOTAL,
  PROP_FAILURES,
  PROP_FORGOTTEN,
  PROP_CURRENT_FILE,
  PROP_PAUSED,
  PROP_RUNNING,
  N_PROPS
};

enum
{
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SemblanceIndexer, semblance_indexer, G_TYPE_OBJECT)

/* What an analysis thread hands to the writer. */
typedef struct
{
  SemblanceTrackInfo info;
  gboolean ok;
  float features[SEMBLANCE_FEATURE_DIM];
  guint32 *fingerprint;         /* NULL without Chromaprint, or too short */
  guint n_fingerprint;
  char *failure;
} Result;

static void
result_free (Result *r)
{
  semblance_track_info_clear (&r->info);
  g_free (r->fingerprint);
  g_free (r->failure);
  g_free (r);
}

typedef struct
{
  SemblanceIndexer *self;
  GAsyncQueue *results;
  GCancellable *cancellable;
} Shared;

static void
lower_priority (void)
{
  static GPrivate lowered;
  pid_t tid = (pid_t) syscall (SYS_gettid);

  if (g_private_get (&lowered))
    return;
  /* Best effort: the indexer runs beside a player, never before it. */
  if (setpriority (PRIO_PROCESS, tid, 19) != 0)
    g_debug ("cannot lower the CPU priority of analysis thread %d", tid);
  if (syscall (SYS_ioprio_set, IOPRIO_WHO_PROCESS, tid, IOPRIO_IDLE) != 0)
    g_debug ("cannot lower the I/O priority of analysis thread %d", tid);
  g_private_set (&lowered, GINT_TO_POINTER (1));
}

/* The analysis' own mono audio at 22,050 Hz, which the fingerprinter only
 * halves to Chromaprint's 11,025 Hz: fed the file's own rate and channels,
 * it mixed them a second time, and Chromaprint resampled 32 or 48 kHz
 * music again itself (its resampler from 16 kHz was 9 % of the indexer's
 * time on 4Q's MP3 clips). */
static void
fingerprint_audio (const float *samples, gsize n, gpointer fingerprinter)
{
  semblance_fingerprinter_feed (fingerprinter, SEMBLANCE_ANALYSIS_RATE, 1,
      samples, n);
}

static void
analyse (gpointer data, gpointer user_data)
{
  Result *r = data;
  Shared *shared = user_data;
  SemblanceIndexer *self = shared->self;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_filename_from_uri (r->info.uri, NULL, NULL);
  g_autoptr (GstTagList) tags = NULL;
  g_autoptr (SemblanceFingerprinter) fingerprinter = NULL;
  SemblanceProperties measured;

  lower_priority ();
  g_mutex_lock (&self->lock);
  while (self->paused && !g_cancellable_is_cancelled (shared->cancellable))
    g_cond_wait (&self->resume, &self->lock);
  g_mutex_unlock (&self->lock);

  if (g_cancellable_is_cancelled (shared->cancellable)) {
    result_free (r);
    return;
  }
  /* The tags, the duration and the fingerprint (for near-duplicates) come
   * from the decoding: opening the file a second time for the tags cost
   * more than decoding a short MP3, decoding its opening again for the
   * fingerprint a sixth of the indexer's time. Without Chromaprint, tracks
   * go without fingerprints, and are never folded. */
  fingerprinter = semblance_fingerprinter_new (NULL);
  r->ok = semblance_analyze_file_tagged (path, SEMBLANCE_DECODER_AUTO,
      shared->cancellable, fingerprinter ? fingerprint_audio : NULL,
      fingerprinter, &measured, &tags, &error);
  if (r->ok) {
    memcpy (r->features, measured.vector, sizeof r->features);
    if (fingerprinter)
      r->fingerprint = semblance_fingerprinter_finish (fingerprinter,
          &r->n_fingerprint);
    semblance_track_info_set_tags (&r->info, tags);
  } else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    result_free (r);
    return;
  } else
    r->failure = g_strdup (error->message);
  g_async_queue_push (shared->results, r);
}

static void
emit_progress (SemblanceIndexer *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TOTAL]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CURRENT_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FAILURES]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FORGOTTEN]);
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
}

static gboolean
report_progress (gpointer data)
{
  SemblanceIndexer *self = data;

  g_mutex_lock (&self->lock);
  self->progress_queued = FALSE;
  g_mutex_unlock (&self->lock);
  emit_progress (self);
  return G_SOURCE_REMOVE;
}

/* Progress after every file: on the writer's thread for a plain run; for
 * an asynchronous one, in the caller's context, one report waiting at a
 * time (a fast run does not flood the main loop). */
static void
set_current (SemblanceIndexer *self, const char *uri, gboolean failed)
{
  GSource *source = NULL;

  g_mutex_lock (&self->lock);
  g_free (self->current_file);
  self->current_file = g_filename_from_uri (uri, NULL, NULL);
  self->done++;
  self->failures += failed;
  if (self->progress_context && !self->progress_queued) {
    self->progress_queued = TRUE;
    source = g_idle_source_new ();
    g_source_set_callback (source, report_progress, g_object_ref (self),
        g_object_unref);
    g_source_attach (source, self->progress_context);
  }
  g_mutex_unlock (&self->lock);
  if (source)
    g_source_unref (source);
  else if (!self->progress_context)
    emit_progress (self);
}

static gboolean
write_result (SemblanceIndexer *self, SemblanceStore *store,
              SemblanceEmbedder *embedder, const char *model_id, Result *r,
              GError **error)
{
  guint dim = embedder ? semblance_embedder_get_dim (embedder) : 0;
  g_autofree float *v = g_new (float, dim);

  g_autoptr (GError) local = NULL;
  gint64 id;

  /* Without a model, model_id is NULL: features only. A vector that is
   * not finite is this track's failure, not the run's. */
  if (r->ok && embedder && !semblance_embedder_embed_checked (embedder,
          r->features, 1, v, &local)) {
    g_autofree char *path = g_filename_from_uri (r->info.uri, NULL, NULL);
    g_autofree char *display = path ? g_filename_display_name (path)
        : g_strdup (r->info.uri);

    r->ok = FALSE;
    r->failure = g_strdup_printf ("%s: %s", display, local->message);
  }
  if (!r->ok) {
    id = semblance_store_put_track (store, &r->info, error);

    return id != 0 && semblance_store_set_failure (store, id, r->failure,
        error);
  }
  if (!semblance_store_put_analysis (store, &r->info,
          SEMBLANCE_LAYOUT_VERSION, r->features, model_id, v, dim, error))
    return FALSE;
  if (!r->fingerprint && !embedder)
    return TRUE;
  id = semblance_store_lookup (store, r->info.uri);
  return (!embedder || semblance_search_store_prediction (store, embedder,
          id, v, error))
      && (!r->fingerprint || semblance_store_set_fingerprint (store, id,
              r->fingerprint, r->n_fingerprint, error));
}

/* A new model: the tracks analysed before get its vectors from their stored
 * features, without decoding anything again. */
static gboolean
reembed (SemblanceStore *store, SemblanceEmbedder *embedder,
         const char *model_id, GError **error)
{
  g_autoptr (GArray) ids = semblance_store_missing_vectors (store, model_id);
  guint dim = semblance_embedder_get_dim (embedder), i;
  g_autofree float *v = g_new (float, dim);

  if (ids->len == 0)
    return semblance_store_take_error (store, error);
  if (!semblance_store_begin (store, error))
    return FALSE;
  for (i = 0; i < ids->len; i++) {
    gint64 id = g_array_index (ids, gint64, i);
    guint n = 0;
    g_autofree float *features = semblance_store_get_features (store, id,
        SEMBLANCE_LAYOUT_VERSION, &n);

    /* Features of an older layout need the audio: plan() queues those
     * tracks for analysis, after the new files. */
    if (!features || n != SEMBLANCE_FEATURE_DIM)
      continue;
    semblance_embedder_embed (embedder, features, 1, v);
    if (!semblance_store_set_vector (store, id, model_id, v, dim, error))
      return FALSE;
  }
  return semblance_store_take_error (store, error)
      && semblance_store_commit (store, error);
}

/* A failure of @path (in the file system's encoding) for @reason. */
static Result *
failure_new (const char *path, const char *reason)
{
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  Result *r = g_new0 (Result, 1);
  GStatBuf st;

  r->info.uri = g_filename_to_uri (canonical, NULL, NULL);
  if (!r->info.uri) {
    result_free (r);
    return NULL;
  }
  if (g_stat (canonical, &st) == 0) {
    r->info.size = st.st_size;
    r->info.mtime = st.st_mtime;
  }
  r->failure = g_strdup (reason);
  return r;
}

static void
add_unreadable (const char *folder, const GError *error, gpointer failed)
{
  Result *r = failure_new (folder, error->message);

  if (r)
    g_ptr_array_add (failed, r);
}

/* The files that need analysis, as results to fill. A file that cannot be
 * read at all, and a folder that cannot be read, are recorded as failures
 * at once; a folder read again is no failure any more. */
static GPtrArray *
plan (GPtrArray *paths, SemblanceStore *store, GPtrArray *failed)
{
  g_autoptr (GPtrArray) files = NULL;
  g_autoptr (GPtrArray) folders = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) stale = g_ptr_array_new ();
  GPtrArray *todo = g_ptr_array_new ();
  guint i;

  g_ptr_array_add (paths, NULL);
  files = semblance_collect_audio_files_full ((char *const *) paths->pdata,
      folders, add_unreadable, failed);
  g_ptr_array_remove_index (paths, paths->len - 1);
  for (i = 0; i < folders->len; i++) {
    g_autofree char *path = g_canonicalize_filename (folders->pdata[i], NULL);
    g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);

    if (uri && semblance_store_lookup (store, uri))
      semblance_store_remove (store, uri);
  }

  for (i = 0; i < files->len; i++) {
    /* URIs are absolute: the same file is the same track whatever folder
     * it was indexed from. */
    g_autofree char *path = g_canonicalize_filename (files->pdata[i], NULL);
    g_autofree char *display = g_filename_display_name (path);
    Result *r = g_new0 (Result, 1);
    GStatBuf st;

    r->info.uri = g_filename_to_uri (path, NULL, NULL);
    if (!r->info.uri) {
      result_free (r);
      continue;
    }
    /* A file that is not there at all (given by name, or gone since the
     * folder was read) is no failure: forget_missing() forgets it. */
    if (g_lstat (path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR)) {
      result_free (r);
      continue;
    }
    /* What is there but not a regular file (a FIFO, a device, a dangling
     * link) goes to the analysis, which refuses it with the reason. */
    if (g_stat (path, &st) != 0) {
      int saved = errno;

      r->failure = g_strdup_printf ("%s: %s", display, saved == ENOENT
          ? "no such file" : g_strerror (saved));
      g_ptr_array_add (failed, r);
      continue;
    }
    r->info.size = st.st_size;
    r->info.mtime = st.st_mtime;
    switch (semblance_store_needs_analysis (store, r->info.uri, r->info.size,
            r->info.mtime)) {
      case SEMBLANCE_NEED_NONE:
        result_free (r);
        break;
      case SEMBLANCE_NEED_ANALYSIS:
        g_ptr_array_add (todo, r);
        break;
      case SEMBLANCE_NEED_REANALYSIS:
        g_ptr_array_add (stale, r);
        break;
    }
  }
  /* Tracks of an older layout keep their old vectors meanwhile: what is
   * new or changed, and has none, goes first. */
  g_ptr_array_extend_and_steal (todo, g_steal_pointer (&stale));
  return todo;
}

/* Whether the file at @path is gone: not even a dangling link is left.
 * An unreadable folder on the way is no proof. */
static gboolean
is_gone (const char *path)
{
  GStatBuf st;

  return g_lstat (path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR);
}

typedef enum
{
  NOT_COVERED,
  COVERED_AS_FILE,              /* named itself, or no paths at all */
  COVERED_BY_FOLDER,            /* under a folder that is there */
} Coverage;

/* How @path is among @files and @folders (sets of canonical file names;
 * NULL for all the store). */
static Coverage
coverage (const char *path, GHashTable *files, GHashTable *folders)
{
  g_autofree char *dir = NULL;

  if (!folders)
    return COVERED_AS_FILE;
  dir = g_path_get_dirname (path);
  for (;;) {
    char *up;

    if (g_hash_table_contains (folders, dir))
      return COVERED_BY_FOLDER;
    up = g_path_get_dirname (dir);
    if (g_str_equal (up, dir)) {
      g_free (up);
      return g_hash_table_contains (files, path) ? COVERED_AS_FILE
          : NOT_COVERED;
    }
    g_free (dir);
    dir = up;
  }
}

/* Whether the track of @path is to be forgotten: its file is gone, and
 * the folder that should hold it is there (a folder indexed, or the
 * file's own): a folder missing with its files may be a disk not mounted,
 * whose tracks come back with it. */
static gboolean
is_forgotten (const char *path, GHashTable *files, GHashTable *folders)
{
  Coverage c = coverage (path, files, folders);
  g_autofree char *dir = NULL;

  if (c == NOT_COVERED || !is_gone (path))
    return FALSE;
  if (c == COVERED_BY_FOLDER)
    return TRUE;
  dir = g_path_get_dirname (path);
  return g_file_test (dir, G_FILE_TEST_IS_DIR);
}

/* Forgets the tracks whose files are gone (is_forgotten()), among those
 * of @paths (each a file, or a folder and everything under it), or among
 * all tracks when @paths is NULL; adds their number to self->forgotten. */
static gboolean
forget_missing (SemblanceIndexer *self, SemblanceStore *store,
                GPtrArray *paths, GError **error)
{
  g_autoptr (GPtrArray) uris = NULL;
  g_autoptr (GHashTable) files = NULL, folders = NULL;
  guint forgotten = 0, i;
  gboolean begun = FALSE;

  if (paths) {
    files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    for (i = 0; i < paths->len; i++) {
      char *path = g_canonicalize_filename (paths->pdata[i], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        g_hash_table_add (folders, path);
      else
        g_hash_table_add (files, path);
    }
  }
  /* Files only (the watcher's changes, a player's entries): their own
   * tracks, without reading every URI of the store. */
  if (folders && g_hash_table_size (folders) == 0) {
    GHashTableIter iter;
    gpointer path;

    uris = g_ptr_array_new_with_free_func (g_free);
    g_hash_table_iter_init (&iter, files);
    while (g_hash_table_iter_next (&iter, &path, NULL)) {
      char *uri = g_filename_to_uri (path, NULL, NULL);

      if (uri && semblance_store_lookup (store, uri))
        g_ptr_array_add (uris, uri);
      else
        g_free (uri);
    }
  } else {
    uris = semblance_store_list_uris (store);
  }
  if (!semblance_store_take_error (store, error))
    return FALSE;
  for (i = 0; i < uris->len; i++) {
    g_autofree char *path = g_filename_from_uri (uris->pdata[i], NULL, NULL);

    if (!path || !is_forgotten (path, files, folders))
      continue;
    if (!begun && !(begun = semblance_store_begin (store, error)))
      return FALSE;
    forgotten += semblance_store_remove (store, uris->pdata[i]);
  }
  if (!semblance_store_take_error (store, error)) {
    semblance_store_rollback (store);
    return FALSE;
  }
  if (begun && !semblance_store_commit (store, error))
    return FALSE;
  g_mutex_lock (&self->lock);
  self->forgotten += forgotten;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
cancel_too (GCancellable *cancelled, gpointer other)
{
  g_cancellable_cancel (other);
}

/* Fits the blend of the catalog the run leaves and saves it, unless a fit
 * of it is saved already, so that the first query after a run takes it
 * rather than fitting (semblance-blend.h). A fit that cannot be saved at
 * once (another writer) is left to that query. */
static void
save_blend (SemblanceStore *store, SemblanceEmbedder *embedder)
{
  SemblanceModel *m = semblance_embedder_get_model (embedder);
  const char *id = semblance_model_get_id (m);
  g_autoptr (GBytes) saved = NULL, fit = NULL;
  g_autoptr (SemblanceCatalog) catalog = NULL;
  g_autoptr (SemblanceBlend) blend = NULL;
  gint64 generation = semblance_store_catalog_generation (store);

  /* A run that changed nothing (the usual scheduled one) loads no catalog
   * of a large library to find its fit saved. */
  if (generation >= 0
      && (saved = semblance_store_get_blend (store, id, generation)))
    return;
  catalog = semblance_store_load_catalog_fit (store, id, m->group_out,
      &generation, &saved);
  if (saved || generation < 0)
    return;
  blend = semblance_catalog_fit_blend (catalog, m, SEMBLANCE_BLEND_RANK);
  if (!blend)
    return;
  fit = semblance_blend_save (blend);
  semblance_store_offer_blend (store, id, generation, fit);
}

/* Indexes @paths and forgets the files of @removed (both lists of file
 * names). */
static gboolean
run_paths (SemblanceIndexer *self, GPtrArray *paths, GPtrArray *removed,
           GCancellable *cancellable, GError **error)
{
  g_autoptr (SemblanceStore) store = NULL;
  g_autoptr (SemblanceEmbedder) embedder = NULL;
  g_autoptr (GPtrArray) todo = NULL;
  g_autoptr (GPtrArray) failed = g_ptr_array_new ();
  g_autoptr (GAsyncQueue) results = NULL;
  g_autoptr (GCancellable) stop = g_cancellable_new ();
  gulong chained = 0;
  g_autofree char *model_id = NULL, *model_path = NULL;
  Shared shared;
  GThreadPool *pool;
  guint written = 0, in_batch = 0, n, i;
  gint64 batch_start = 0;
  gboolean ok = TRUE;

  /* Before the threads: GStreamer's first use from two threads at once
   * loses one of them its tags (seen: a duration of 0). */
  if (!gst_is_initialized () && !gst_init_check (NULL, NULL, error))
    return FALSE;
  store = semblance_store_open (self->database, error);
  if (!store)
    return FALSE;
  /* Without a model of the caller's choosing, features only when no
   * default model is installed. */
  model_path = semblance_model_resolve (self->model, FALSE, error);
  if (model_path) {
    embedder = semblance_embedder_new_from_file (model_path, error);
    if (!embedder)
      return FALSE;
    model_id = g_strdup (semblance_model_get_id (semblance_embedder_get_model
            (embedder)));
  }

  if (embedder && !(reembed (store, embedder, model_id, error)
          && semblance_search_fill_predictions (store, embedder, error)))
    return FALSE;
  for (i = 0; removed && i < removed->len; i++) {
    g_autofree char *path = g_canonicalize_filename (removed->pdata[i], NULL);
    g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);

    if (uri && semblance_store_remove (store, uri)) {
      g_mutex_lock (&self->lock);
      self->forgotten++;
      g_mutex_unlock (&self->lock);
    }
  }
  if (!semblance_store_take_error (store, error)
      || !forget_missing (self, store, paths, error))
    return FALSE;
  todo = plan (paths, store, failed);
  if (!semblance_store_take_error (store, error)) {
    g_ptr_array_set_free_func (todo, (GDestroyNotify) result_free);
    g_ptr_array_set_free_func (failed, (GDestroyNotify) result_free);
    return FALSE;
  }
  n = todo->len + failed->len;
  /* The counters add up over the batches of one run. */
  g_mutex_lock (&self->lock);
  self->total += n;
  g_mutex_unlock (&self->lock);
  if (!self->progress_context)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TOTAL]);

  results = g_async_queue_new_full ((GDestroyNotify) result_free);
  for (i = 0; i < failed->len; i++)
    g_async_queue_push (results, failed->pdata[i]);
  /* The threads stop on a cancellable of the run's own, which the
   * caller's cancels too: ending the run must not cancel the caller's. */
  if (cancellable)
    chained = g_cancellable_connect (cancellable,
        G_CALLBACK (cancel_too), g_object_ref (stop), g_object_unref);
  shared = (Shared) { self, results, stop };
  /* Exclusive: the threads, whose priority is lowered for good, serve no
   * other pool and end with the run. A run that ends early drops the
   * files still queued, freeing them. */
  pool = g_thread_pool_new_full (analyse, &shared,
      (GDestroyNotify) result_free, self->threads, TRUE, error);
  if (!pool)
    return FALSE;
  for (i = 0; i < todo->len; i++)
    g_thread_pool_push (pool, todo->pdata[i], NULL);

  while (ok && written < n) {
    Result *r = g_async_queue_timeout_pop (results, POP_TIMEOUT);

    if (g_cancellable_is_cancelled (stop))
      break;
    if (r) {
      if (in_batch == 0) {
        ok = semblance_store_begin (store, error);
        batch_start = g_get_monotonic_time ();
      }
      ok = ok && write_result (self, store, embedder, model_id, r, error);
      in_batch++;
      written++;
      set_current (self, r->info.uri, !r->ok);
      result_free (r);
    }
    if (ok && in_batch > 0 && (in_batch >= BATCH_TRACKS || written == n
            || g_get_monotonic_time () - batch_start >
            BATCH_USECONDS)) {
      ok = semblance_store_commit (store, error);
      in_batch = 0;
    }
  }

  /* Stop the threads: queued files are dropped, running ones give up. */
  g_cancellable_cancel (stop);
  semblance_indexer_set_paused (self, FALSE);
  g_thread_pool_free (pool, TRUE, TRUE);
  if (chained)
    g_cancellable_disconnect (cancellable, chained);
  if (ok && in_batch > 0)
    ok = semblance_store_commit (store, error);
  if (ok && written < n) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
        "indexing cancelled after %u of %u files", written, n);
    ok = FALSE;
  }
  if (ok && embedder)
    save_blend (store, embedder);
  return ok;
}

/* Runs batches until nothing is pending: paths added during the run are
 * indexed by it. */
static gboolean
run_pending (SemblanceIndexer *self, GCancellable *cancellable,
             GError **error)
{
  g_mutex_lock (&self->lock);
  self->done = self->failures = self->total = self->forgotten = 0;
  g_mutex_unlock (&self->lock);

  for (;;) {
    g_autoptr (GPtrArray) paths = NULL, removed = NULL;

    g_mutex_lock (&self->lock);
    if (self->pending->len || self->pending_removed->len) {
      paths = g_steal_pointer (&self->pending);
      removed = g_steal_pointer (&self->pending_removed);
      self->pending = g_ptr_array_new_with_free_func (g_free);
      self->pending_removed = g_ptr_array_new_with_free_func (g_free);
    }
    g_mutex_unlock (&self->lock);
    if (!paths)
      return TRUE;
    if (!run_paths (self, paths, removed, cancellable, error))
      return FALSE;
  }
}

static void
set_running (SemblanceIndexer *self, gboolean running)
{
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNNING]);
}

gboolean
semblance_indexer_run (SemblanceIndexer *self, GCancellable *cancellable,
                       GError **error)
{
  gboolean ok;

  g_return_val_if_fail (SEMBLANCE_IS_INDEXER (self), FALSE);
  if (self->running) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_PENDING,
        "the indexer is already running");
    return FALSE;
  }
  set_running (self, TRUE);
  ok = run_pending (self, cancellable, error);
  set_running (self, FALSE);
  return ok;
}

static void
run_in_thread (GTask *task, gpointer source, gpointer data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (run_pending (source, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Back in the caller's context: the last progress report, the end of the
 * run, then the caller's callback. */
static void
run_done (GObject *source, GAsyncResult *result, gpointer data)
{
  SemblanceIndexer *self = SEMBLANCE_INDEXER (source);
  g_autoptr (GTask) outer = data;
  GError *error = NULL;
  gboolean queued;

  g_mutex_lock (&self->lock);
  queued = self->progress_queued;
  g_clear_pointer (&self->progress_context, g_main_context_unref);
  g_mutex_unlock (&self->lock);
  if (queued)
    emit_progress (self);
  set_running (self, FALSE);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, error);
}

void
semblance_indexer_run_async (SemblanceIndexer *self,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_autoptr (GTask) outer = NULL;
  GTask *inner;

  g_return_if_fail (SEMBLANCE_IS_INDEXER (self));
  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, semblance_indexer_run_async);
  if (self->running) {
    g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_PENDING,
        "the indexer is already running");
    return;
  }
  /* Before the threads: GStreamer's first use from two threads at once
   * loses one of them its tags (seen: a duration of 0). */
  if (!gst_is_initialized ()) {
    GError *error = NULL;

    if (!gst_init_check (NULL, NULL, &error)) {
      g_task_return_error (outer, error);
      return;
    }
  }
  g_mutex_lock (&self->lock);
  self->progress_context = g_main_context_ref_thread_default ();
  g_mutex_unlock (&self->lock);
  set_running (self, TRUE);
  inner = g_task_new (self, cancellable, run_done, g_steal_pointer (&outer));
  g_task_run_in_thread (inner, run_in_thread);
  g_object_unref (inner);
}

gboolean
semblance_indexer_run_finish (SemblanceIndexer *self, GAsyncResult *result,
                              GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
semblance_indexer_prune (SemblanceIndexer *self, GCancellable *cancellable,
                         GError **error)
{
  g_autoptr (SemblanceStore) store = NULL;

  g_return_val_if_fail (SEMBLANCE_IS_INDEXER (self), FALSE);
  if (self->running) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_PENDING,
        "the indexer is already running");
    return FALSE;
  }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  g_mutex_lock (&self->lock);
  self->forgotten = 0;
  g_mutex_unlock (&self->lock);
  store = semblance_store_open (self->database, error);
  return store && forget_missing (self, store, self->roots->len ?
      self->roots : NULL, error);
}

gboolean
semblance_indexer_get_running (SemblanceIndexer *self)
{
  return self->running;
}

/* Watching: changes gather while the folders settle (see the watcher); a
 * run under way takes the changes that come meanwhile too. */
#define SETTLE_MS 1000

static void
watch_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;

  if (!semblance_indexer_run_finish (SEMBLANCE_INDEXER (source), result,
          &error) && !g_error_matches (error, G_IO_ERROR,
          G_IO_ERROR_CANCELLED))
    g_warning ("indexing changes: %s", error->message);
}

static void
on_changes (GPtrArray *changed, GPtrArray *removed, gpointer data)
{
  SemblanceIndexer *self = data;
  guint i;

  g_mutex_lock (&self->lock);
  for (i = 0; i < changed->len; i++)
    g_ptr_array_add (self->pending, g_strdup (changed->pdata[i]));
  for (i = 0; i < removed->len; i++)
    g_ptr_array_add (self->pending_removed, g_strdup (removed->pdata[i]));
  g_mutex_unlock (&self->lock);
  if (!self->running)
    semblance_indexer_run_async (self, self->watch_cancel, watch_done, NULL);
}

void
semblance_indexer_watch (SemblanceIndexer *self)
{
  guint i;

  if (!self->watcher)
    self->watcher = semblance_watcher_new (SETTLE_MS, on_changes, self);
  for (i = 0; i < self->roots->len; i++)
    if (g_file_test (self->roots->pdata[i], G_FILE_TEST_IS_DIR))
      semblance_watcher_add_folder (self->watcher, self->roots->pdata[i]);
}

void
semblance_indexer_set_paused (SemblanceIndexer *self, gboolean paused)
{
  g_mutex_lock (&self->lock);
  self->paused = paused;
  g_cond_broadcast (&self->resume);
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PAUSED]);
}

void
semblance_indexer_add_path (SemblanceIndexer *self, const char *path)
{
  g_ptr_array_add (self->roots, g_strdup (path));
  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->pending, g_strdup (path));
  g_mutex_unlock (&self->lock);
}

static guint
read_counter (SemblanceIndexer *self, guint *counter)
{
  guint value;

  g_mutex_lock (&self->lock);
  value = *counter;
  g_mutex_unlock (&self->lock);
  return value;
}

guint
semblance_indexer_get_done (SemblanceIndexer *self)
{
  return read_counter (self, &self->done);
}

guint
semblance_indexer_get_total (SemblanceIndexer *self)
{
  return read_counter (self, &self->total);
}

guint
semblance_indexer_get_failures (SemblanceIndexer *self)
{
  return read_counter (self, &self->failures);
}

guint
semblance_indexer_get_forgotten (SemblanceIndexer *self)
{
  return read_counter (self, &self->forgotten);
}

SemblanceIndexer *
semblance_indexer_new (const char *database, const char *model,
                       guint threads)
{
  SemblanceIndexer *self = g_object_new (SEMBLANCE_TYPE_INDEXER, NULL);

  self->database = g_strdup (database);
  self->model = g_strdup (model);
  self->threads = threads ? threads
      : MAX (g_get_num_processors (), 2) - 1;
  return self;
}

static void
semblance_indexer_get_property (GObject *object, guint prop_id, GValue *value,
                                GParamSpec *pspec)
{
  SemblanceIndexer *self = SEMBLANCE_INDEXER (object);

  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_DONE:
      g_value_set_uint (value, self->done);
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;
    case PROP_FAILURES:
      g_value_set_uint (value, self->failures);
      break;
    case PROP_FORGOTTEN:
      g_value_set_uint (value, self->forgotten);
      break;
    case PROP_CURRENT_FILE:
      g_value_set_string (value, self->current_file);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->lock);
}

static void
semblance_indexer_set_property (GObject *object, guint prop_id,
                                const GValue *value, GParamSpec *pspec)
{
  SemblanceIndexer *self = SEMBLANCE_INDEXER (object);

  switch (prop_id) {
    case PROP_PAUSED:
      semblance_indexer_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
semblance_indexer_dispose (GObject *object)
{
  SemblanceIndexer *self = SEMBLANCE_INDEXER (object);

  g_cancellable_cancel (self->watch_cancel);
  g_clear_pointer (&self->watcher, semblance_watcher_free);
  G_OBJECT_CLASS (semblance_indexer_parent_class)->dispose (object);
}

static void
semblance_indexer_finalize (GObject *object)
{
  SemblanceIndexer *self = SEMBLANCE_INDEXER (object);

  g_ptr_array_unref (self->pending);
  g_ptr_array_unref (self->pending_removed);
  g_object_unref (self->watch_cancel);
  g_free (self->database);
  g_free (self->model);
  g_ptr_array_unref (self->roots);
  g_free (self->current_file);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->resume);
  G_OBJECT_CLASS (semblance_indexer_parent_class)->finalize (object);
}

static void
semblance_indexer_class_init (SemblanceIndexerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = semblance_indexer_get_property;
  object_class->set_property = semblance_indexer_set_property;
  object_class->dispose = semblance_indexer_dispose;
  object_class->finalize = semblance_indexer_finalize;

  props[PROP_DONE] = g_param_spec_uint ("done", "Done",
      "Files written in this run", 0, G_MAXUINT, 0,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_TOTAL] = g_param_spec_uint ("total", "Total",
      "Files to index in this run", 0, G_MAXUINT, 0,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_FAILURES] = g_param_spec_uint ("failures", "Failures",
      "Files that could not be analysed in this run", 0, G_MAXUINT, 0,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_FORGOTTEN] = g_param_spec_uint ("forgotten", "Forgotten",
      "Tracks forgotten in this run because their files are gone", 0,
      G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_CURRENT_FILE] = g_param_spec_string ("current-file",
      "Current file", "The file written last", NULL,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_PAUSED] = g_param_spec_boolean ("paused", "Paused",
      "Whether the analysis threads wait", FALSE,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_RUNNING] = g_param_spec_boolean ("running", "Running",
      "Whether a run is under way (notified in the caller's thread)", FALSE,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_PROGRESS] = g_signal_new ("progress",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
}

static void
semblance_indexer_init (SemblanceIndexer *self)
{
  self->roots = g_ptr_array_new_with_free_func (g_free);
  self->pending = g_ptr_array_new_with_free_func (g_free);
  self->pending_removed = g_ptr_array_new_with_free_func (g_free);
  self->watch_cancel = g_cancellable_new ();
  g_mutex_init (&self->lock);
  g_cond_init (&self->resume);
}
