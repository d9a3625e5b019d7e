/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-watcher.h"

#include "semblance-collect.h"

struct _SemblanceWatcher
{
  guint settle_ms;
  SemblanceWatcherFunc func;
  gpointer data;
  GMainContext *context;
  GPtrArray *monitors;
  GPtrArray *changed, *removed;
  GSource *settle;
  gboolean held;
};

static void
deliver (SemblanceWatcher *self)
{
  g_autoptr (GPtrArray) changed = NULL, removed = NULL;

  if (self->held || (self->changed->len == 0 && self->removed->len == 0))
    return;
  changed = g_steal_pointer (&self->changed);
  removed = g_steal_pointer (&self->removed);
  self->changed = g_ptr_array_new_with_free_func (g_free);
  self->removed = g_ptr_array_new_with_free_func (g_free);
  self->func (changed, removed, self->data);
}

static gboolean
on_settled (gpointer data)
{
  SemblanceWatcher *self = data;

  g_clear_pointer (&self->settle, g_source_unref);
  deliver (self);
  return G_SOURCE_REMOVE;
}

/* Every change starts the wait again. */
static void
schedule (SemblanceWatcher *self)
{
  if (self->settle) {
    g_source_destroy (self->settle);
    g_source_unref (self->settle);
  }
  self->settle = g_timeout_source_new (self->settle_ms);
  g_source_set_callback (self->settle, on_settled, self, NULL);
  g_source_attach (self->settle, self->context);
}

static void
on_changed (GFileMonitor *monitor, GFile *file, GFile *other,
            GFileMonitorEvent event, gpointer data)
{
  SemblanceWatcher *self = data;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *other_path = other ? g_file_get_path (other) : NULL;

  if (!path)
    return;
  switch (event) {
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
      if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
        semblance_watcher_add_folder (self, path);
        g_ptr_array_add (self->changed, g_strdup (path));
        break;
      }
      /* Files are taken when written: see CHANGES_DONE_HINT. */
      if (event == G_FILE_MONITOR_EVENT_MOVED_IN
          && semblance_has_audio_extension (path))
        g_ptr_array_add (self->changed, g_strdup (path));
      break;
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
      if (semblance_has_audio_extension (path))
        g_ptr_array_add (self->changed, g_strdup (path));
      break;
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      g_ptr_array_add (self->removed, g_strdup (path));
      break;
    case G_FILE_MONITOR_EVENT_RENAMED:
      g_ptr_array_add (self->removed, g_strdup (path));
      if (other_path && semblance_has_audio_extension (other_path))
        g_ptr_array_add (self->changed, g_strdup (other_path));
      break;
    default:
      return;
  }
  schedule (self);
}

void
semblance_watcher_add_folder (SemblanceWatcher *self, const char *folder)
{
  g_autoptr (GFile) file = g_file_new_for_path (folder);
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GError) error = NULL;
  GFileMonitor *monitor;
  const char *name;

  monitor = g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL,
      &error);
  if (!monitor) {
    g_warning ("cannot watch %s: %s", folder, error->message);
    return;
  }
  g_signal_connect (monitor, "changed", G_CALLBACK (on_changed), self);
  g_ptr_array_add (self->monitors, monitor);

  /* GFileMonitor watches one folder: every subfolder needs its own. */
  dir = g_dir_open (folder, 0, NULL);
  while (dir && (name = g_dir_read_name (dir))) {
    g_autofree char *child = g_build_filename (folder, name, NULL);

    if (name[0] != '.' && g_file_test (child, G_FILE_TEST_IS_DIR)
        && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
      semblance_watcher_add_folder (self, child);
  }
}

void
semblance_watcher_hold (SemblanceWatcher *self, gboolean hold)
{
  self->held = hold;
  if (!hold && !self->settle)
    deliver (self);
}

SemblanceWatcher *
semblance_watcher_new (guint settle_ms, SemblanceWatcherFunc func,
                       gpointer data)
{
  SemblanceWatcher *self = g_new0 (SemblanceWatcher, 1);

  self->settle_ms = settle_ms;
  self->func = func;
  self->data = data;
  self->context = g_main_context_ref_thread_default ();
  self->monitors = g_ptr_array_new ();
  self->changed = g_ptr_array_new_with_free_func (g_free);
  self->removed = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
semblance_watcher_free (SemblanceWatcher *self)
{
  guint i;

  if (!self)
    return;
  if (self->settle) {
    g_source_destroy (self->settle);
    g_source_unref (self->settle);
  }
  for (i = 0; i < self->monitors->len; i++) {
    g_signal_handlers_disconnect_by_data (self->monitors->pdata[i], self);
    g_file_monitor_cancel (self->monitors->pdata[i]);
    g_object_unref (self->monitors->pdata[i]);
  }
  g_ptr_array_unref (self->monitors);
  g_ptr_array_unref (self->changed);
  g_ptr_array_unref (self->removed);
  g_main_context_unref (self->context);
  g_free (self);
}
