/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rb-semblance-feed.h"

#define FEED_SLICE 2000

struct _RBSemblanceFeed
{
  GObject parent;

  RhythmDB *db;
  SemblanceLibrary *library;
  SemblanceIndexer *indexer;
  GCancellable *cancellable;
  GPtrArray *waiting;           /* song entries not handed over yet */
  guint idle;
};

G_DEFINE_DYNAMIC_TYPE (RBSemblanceFeed, rb_semblance_feed, G_TYPE_OBJECT)

static gboolean
is_local_song (RhythmDBEntry *entry)
{
  return rhythmdb_entry_get_entry_type (entry) == RHYTHMDB_ENTRY_TYPE_SONG
      && g_str_has_prefix (rhythmdb_entry_get_string (entry,
              RHYTHMDB_PROP_LOCATION), "file://");
}

static void
on_indexed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;

  if (!semblance_indexer_run_finish (SEMBLANCE_INDEXER (source), result,
          &error) && !g_error_matches (error, G_IO_ERROR,
          G_IO_ERROR_CANCELLED))
    g_warning ("Semblance: the library could not be indexed: %s",
        error->message);
}

static gboolean
feed_some (gpointer data)
{
  RBSemblanceFeed *self = data;
  guint n = MIN (FEED_SLICE, self->waiting->len), i;

  for (i = 0; i < n; i++) {
    RhythmDBEntry *entry = self->waiting->pdata[self->waiting->len - 1 - i];
    g_autofree char *path = g_filename_from_uri (rhythmdb_entry_get_string
        (entry, RHYTHMDB_PROP_LOCATION), NULL, NULL);

    if (path)
      semblance_indexer_add_path (self->indexer, path);
  }
  g_ptr_array_set_size (self->waiting, self->waiting->len - n);
  /* A run under way takes the new paths itself. */
  if (!semblance_indexer_get_running (self->indexer))
    semblance_indexer_run_async (self->indexer, self->cancellable,
        on_indexed, NULL);
  if (self->waiting->len > 0)
    return G_SOURCE_CONTINUE;
  self->idle = 0;
  return G_SOURCE_REMOVE;
}

static void
queue_entry (RhythmDBEntry *entry, RBSemblanceFeed *self)
{
  if (!is_local_song (entry))
    return;
  g_ptr_array_add (self->waiting, rhythmdb_entry_ref (entry));
  if (!self->idle)
    self->idle = g_idle_add (feed_some, self);
}

static void
on_entry_added (RhythmDB *db, RhythmDBEntry *entry, RBSemblanceFeed *self)
{
  queue_entry (entry, self);
}

static void
on_entry_deleted (RhythmDB *db, RhythmDBEntry *entry, RBSemblanceFeed *self)
{
  if (is_local_song (entry))
    semblance_library_forget_async (self->library, rhythmdb_entry_get_string
        (entry, RHYTHMDB_PROP_LOCATION), self->cancellable, NULL, NULL);
}

RBSemblanceFeed *
rb_semblance_feed_new (RhythmDB *db, SemblanceLibrary *library,
                       SemblanceIndexer *indexer)
{
  RBSemblanceFeed *self = g_object_new (RB_TYPE_SEMBLANCE_FEED, NULL);

  self->db = g_object_ref (db);
  self->library = g_object_ref (library);
  self->indexer = g_object_ref (indexer);
  g_signal_connect (db, "entry-added", G_CALLBACK (on_entry_added), self);
  g_signal_connect (db, "entry-deleted", G_CALLBACK (on_entry_deleted), self);
  rhythmdb_entry_foreach_by_type (db, RHYTHMDB_ENTRY_TYPE_SONG,
      (RhythmDBEntryForeachFunc) queue_entry, self);
  return self;
}

static void
rb_semblance_feed_dispose (GObject *object)
{
  RBSemblanceFeed *self = RB_SEMBLANCE_FEED (object);

  /* The run under way stops between two files, on its own. */
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->idle, g_source_remove);
  if (self->db)
    g_signal_handlers_disconnect_by_data (self->db, self);
  g_clear_object (&self->db);
  g_clear_object (&self->library);
  g_clear_object (&self->indexer);
  g_ptr_array_set_size (self->waiting, 0);
  G_OBJECT_CLASS (rb_semblance_feed_parent_class)->dispose (object);
}

static void
rb_semblance_feed_finalize (GObject *object)
{
  RBSemblanceFeed *self = RB_SEMBLANCE_FEED (object);

  g_object_unref (self->cancellable);
  g_ptr_array_unref (self->waiting);
  G_OBJECT_CLASS (rb_semblance_feed_parent_class)->finalize (object);
}

static void
rb_semblance_feed_class_init (RBSemblanceFeedClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rb_semblance_feed_dispose;
  G_OBJECT_CLASS (klass)->finalize = rb_semblance_feed_finalize;
}

static void
rb_semblance_feed_class_finalize (RBSemblanceFeedClass *klass)
{
}

static void
rb_semblance_feed_init (RBSemblanceFeed *self)
{
  self->cancellable = g_cancellable_new ();
  self->waiting = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rhythmdb_entry_unref);
}

void
_rb_semblance_feed_register_type (GTypeModule *module)
{
  rb_semblance_feed_register_type (module);
}
