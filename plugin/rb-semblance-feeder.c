/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rb-semblance-feeder.h"

#include "semblance.h"

struct _RbSemblanceFeeder
{
  char *database, *model;
  guint threads;
  RbSemblanceFeederFunc func;
  gpointer data;
  gboolean paused;
  GPtrArray *queued;            /* paths for the next run */
  guint start_idle;

  /* The run in progress. */
  SemblanceIndexer *indexer;
  GCancellable *cancellable;
  GThread *thread;

  /* Shared by the run's thread and the main thread. */
  GMutex lock;
  guint progress_idle, finished_idle;
  gboolean detached;            /* freed: the run's thread cleans up */
};

static gboolean start_run (gpointer data);

static gboolean
report_progress (gpointer data)
{
  RbSemblanceFeeder *self = data;

  g_mutex_lock (&self->lock);
  self->progress_idle = 0;
  g_mutex_unlock (&self->lock);
  self->func (semblance_indexer_get_done (self->indexer),
      semblance_indexer_get_total (self->indexer), TRUE, self->data);
  return G_SOURCE_REMOVE;
}

/* On the run's thread, after every file: one report waits at a time. */
static void
on_progress (SemblanceIndexer *indexer, RbSemblanceFeeder *self)
{
  g_mutex_lock (&self->lock);
  if (!self->progress_idle && !self->detached)
    self->progress_idle = g_idle_add (report_progress, self);
  g_mutex_unlock (&self->lock);
}

static gboolean
run_finished (gpointer data)
{
  RbSemblanceFeeder *self = data;

  g_mutex_lock (&self->lock);
  self->finished_idle = 0;
  if (self->progress_idle) {
    g_source_remove (self->progress_idle);
    self->progress_idle = 0;
  }
  g_mutex_unlock (&self->lock);
  g_thread_join (self->thread);
  self->thread = NULL;
  g_clear_object (&self->indexer);
  g_clear_object (&self->cancellable);
  self->func (0, 0, FALSE, self->data);
  if (self->queued->len > 0)
    start_run (self);
  return G_SOURCE_REMOVE;
}

static void
destroy (RbSemblanceFeeder *self)
{
  g_clear_object (&self->indexer);
  g_clear_object (&self->cancellable);
  g_mutex_clear (&self->lock);
  g_ptr_array_unref (self->queued);
  g_free (self->database);
  g_free (self->model);
  g_free (self);
}

static gpointer
run_thread (gpointer data)
{
  RbSemblanceFeeder *self = data;
  g_autoptr (GError) error = NULL;
  gboolean detached;

  if (!semblance_indexer_run (self->indexer, self->cancellable, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Semblance: the library could not be indexed: %s",
        error->message);
  g_mutex_lock (&self->lock);
  detached = self->detached;
  if (!detached)
    self->finished_idle = g_idle_add (run_finished, self);
  g_mutex_unlock (&self->lock);
  if (detached)
    destroy (self);
  return NULL;
}

static gboolean
start_run (gpointer data)
{
  RbSemblanceFeeder *self = data;
  guint i;

  self->start_idle = 0;
  if (self->thread || self->queued->len == 0)
    return G_SOURCE_REMOVE;
  self->indexer = semblance_indexer_new (self->database,
      self->model ? self->model : NULL, self->threads);
  for (i = 0; i < self->queued->len; i++)
    semblance_indexer_add_path (self->indexer, self->queued->pdata[i]);
  g_ptr_array_set_size (self->queued, 0);
  semblance_indexer_set_paused (self->indexer, self->paused);
  g_signal_connect (self->indexer, "progress", G_CALLBACK (on_progress),
      self);
  self->cancellable = g_cancellable_new ();
  self->thread = g_thread_new ("semblance-index", run_thread, self);
  return G_SOURCE_REMOVE;
}

RbSemblanceFeeder *
rb_semblance_feeder_new (const char *database, const char *model,
                         guint threads, RbSemblanceFeederFunc func,
                         gpointer data)
{
  RbSemblanceFeeder *self = g_new0 (RbSemblanceFeeder, 1);

  self->database = g_strdup (database);
  self->model = g_strdup (model);
  self->threads = threads;
  self->func = func;
  self->data = data;
  self->queued = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&self->lock);
  return self;
}

void
rb_semblance_feeder_free (RbSemblanceFeeder *self)
{
  gboolean running;

  if (!self)
    return;
  g_clear_handle_id (&self->start_idle, g_source_remove);
  g_mutex_lock (&self->lock);
  g_clear_handle_id (&self->progress_idle, g_source_remove);
  running = self->thread && !self->finished_idle;
  if (running) {
    /* The run ends between two files, its last batch written; waiting for
     * that would hold the main loop, so the run's thread cleans up. */
    self->detached = TRUE;
    g_cancellable_cancel (self->cancellable);
    semblance_indexer_set_paused (self->indexer, FALSE);
    g_thread_unref (self->thread);
  }
  g_mutex_unlock (&self->lock);
  if (running)
    return;
  if (self->thread)
    g_thread_join (self->thread);
  g_clear_handle_id (&self->finished_idle, g_source_remove);
  destroy (self);
}

void
rb_semblance_feeder_add (RbSemblanceFeeder *self, const char *path)
{
  g_ptr_array_add (self->queued, g_strdup (path));
  /* Entries arrive by the thousand when a library loads: one run for all
   * that came in the same main loop iteration, and the next run when this
   * one ends. */
  if (!self->thread && !self->start_idle)
    self->start_idle = g_idle_add (start_run, self);
}

void
rb_semblance_feeder_set_paused (RbSemblanceFeeder *self, gboolean paused)
{
  self->paused = paused;
  if (self->indexer)
    semblance_indexer_set_paused (self->indexer, paused);
}
