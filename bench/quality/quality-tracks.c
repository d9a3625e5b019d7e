/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "quality-tracks.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "semblance-extractor.h"
#include "semblance-file.h"

#define FEATURES_MAGIC "SMBQFEAT"
#define TIMBRE_MAGIC "SMBQTIMB"
#define TIMBRE_VALUES (SEMBLANCE_TIMBRE_DIM + SEMBLANCE_TIMBRE_DIM \
    * SEMBLANCE_TIMBRE_DIM + 1)

void
quality_track_free (QualityTrack *track)
{
  if (!track)
    return;
  g_free (track->path);
  g_free (track);
}

/* The cache file of @kind for @path as it is now, or NULL when the file
 * cannot be looked at (its analysis then reports why). */
static char *
cache_file (const char *path, const char *kind, int version)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInfo) info = g_file_query_info (file,
      G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_TIME_MODIFIED,
      G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_autofree char *key = NULL, *digest = NULL, *name = NULL;

  if (!info)
    return NULL;
  key = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%" G_GUINT64_FORMAT
      "\n%s %d", path, g_file_info_get_size (info),
      g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED),
      kind, version);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  name = g_strdup_printf ("%s-%s", kind, digest);
  return g_build_filename (g_get_user_cache_dir (), "semblance",
      "bench-quality", name, NULL);
}

/* Reads @size bytes after @magic into @out; FALSE for anything else. */
static gboolean
cache_read (const char *file, const char *magic, void *out, gsize size)
{
  g_autofree char *data = NULL;
  gsize len;

  if (!file || !g_file_get_contents (file, &data, &len, NULL)
      || len != 8 + size || memcmp (data, magic, 8) != 0)
    return FALSE;
  memcpy (out, data + 8, size);
  return TRUE;
}

static void
cache_write (const char *file, const char *magic, const void *in, gsize size)
{
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;

  if (!file)
    return;
  dir = g_path_get_dirname (file);
  data = g_malloc (8 + size);
  memcpy (data, magic, 8);
  memcpy (data + 8, in, size);
  /* A cache that cannot be written only costs time. */
  if (g_mkdir_with_parents (dir, 0700) == 0)
    g_file_set_contents (file, data, 8 + size, NULL);
}

static gboolean
all_finite (const double *v, gsize n)
{
  gsize i;

  for (i = 0; i < n; i++)
    if (!isfinite (v[i]))
      return FALSE;
  return TRUE;
}

/* The engine's analysis of @t->path, from the cache or made now. */
static gboolean
load_features (QualityTrack *t, gboolean *cached, GError **error)
{
  g_autofree char *file = cache_file (t->path, "features",
      SEMBLANCE_LAYOUT_VERSION);
  double blob[1 + SEMBLANCE_FEATURE_DIM / 2 + 1];
  SemblanceProperties props;
  guint i;

  G_STATIC_ASSERT (sizeof blob >= sizeof (double) + sizeof t->features);
  if (cache_read (file, FEATURES_MAGIC, blob, sizeof (double)
          + sizeof t->features)) {
    t->seconds = blob[0];
    memcpy (t->features, blob + 1, sizeof t->features);
    for (i = 0; i < SEMBLANCE_FEATURE_DIM && isfinite (t->features[i]); i++)
      ;
    if (i == SEMBLANCE_FEATURE_DIM && isfinite (t->seconds)) {
      *cached = TRUE;
      return TRUE;
    }
  }
  *cached = FALSE;
  if (!semblance_analyze_file (t->path, SEMBLANCE_DECODER_AUTO, NULL, &props,
          error))
    return FALSE;
  t->seconds = props.seconds;
  memcpy (t->features, props.vector, sizeof t->features);
  blob[0] = t->seconds;
  memcpy (blob + 1, t->features, sizeof t->features);
  cache_write (file, FEATURES_MAGIC, blob, sizeof (double)
      + sizeof t->features);
  return TRUE;
}

/* Our Musly-grade timbre model of @t->path, from the cache or made now. */
static gboolean
load_timbre (QualityTrack *t, gboolean *cached, GError **error)
{
  g_autofree char *file = cache_file (t->path, "timbre",
      QUALITY_TIMBRE_VERSION);
  g_autofree double *blob = g_new (double, TIMBRE_VALUES);
  g_autofree float *pcm = NULL;
  QualityGaussian *g = &t->timbre;
  gsize n = 0, start, length;

  if (cache_read (file, TIMBRE_MAGIC, blob, TIMBRE_VALUES * sizeof (double))
      && all_finite (blob, TIMBRE_VALUES)) {
    memcpy (g->mean, blob, sizeof g->mean);
    memcpy (g->cov, blob + SEMBLANCE_TIMBRE_DIM, sizeof g->cov);
    g->logdet = blob[TIMBRE_VALUES - 1];
    *cached = TRUE;
    return TRUE;
  }
  *cached = FALSE;
  pcm = quality_decode (t->path, &n, error);
  if (!pcm)
    return FALSE;
  quality_musly_excerpt (n, &start, &length);
  if (!quality_musly_gaussian (pcm + start, length, g)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "%s: too short or too uniform for a timbre model (%.1f s)",
        t->path, (double) n / SEMBLANCE_ANALYSIS_RATE);
    return FALSE;
  }
  memcpy (blob, g->mean, sizeof g->mean);
  memcpy (blob + SEMBLANCE_TIMBRE_DIM, g->cov, sizeof g->cov);
  blob[TIMBRE_VALUES - 1] = g->logdet;
  cache_write (file, TIMBRE_MAGIC, blob, TIMBRE_VALUES * sizeof (double));
  return TRUE;
}

typedef struct
{
  GPtrArray *paths;
  QualityTrack **tracks;
  char **errors;
  guint done, cached;
  GMutex lock;
  gboolean tty;
} Job;

static void
analyse_one (gpointer data, gpointer user_data)
{
  guint index = GPOINTER_TO_UINT (data) - 1;
  Job *job = user_data;
  QualityTrack *t = g_new0 (QualityTrack, 1);
  g_autoptr (GError) error = NULL;
  gboolean cached_features = FALSE, cached_timbre = FALSE;

  t->path = g_strdup (job->paths->pdata[index]);
  if (load_features (t, &cached_features, &error)
      && load_timbre (t, &cached_timbre, &error))
    job->tracks[index] = t;
  else
    quality_track_free (t);

  g_mutex_lock (&job->lock);
  job->done++;
  job->cached += cached_features && cached_timbre;
  if (error) {
    job->errors[index] = g_strdup (error->message);
    g_printerr ("%sbench-quality: %s\n", job->tty ? "\n" : "",
        error->message);
  }
  if (job->tty || job->done == job->paths->len || job->done % 100 == 0)
    g_printerr ("%sanalysing: %u of %u (%u from the cache)%s",
        job->tty ? "\r" : "", job->done, job->paths->len, job->cached,
        job->tty && job->done < job->paths->len ? "" : "\n");
  g_mutex_unlock (&job->lock);
}

GPtrArray *
quality_tracks_analyse (GPtrArray *paths, guint threads, GPtrArray *failures)
{
  g_autofree QualityTrack **tracks = g_new0 (QualityTrack *,
      MAX (paths->len, 1));
  g_autofree char **errors = g_new0 (char *, MAX (paths->len, 1));
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)
      quality_track_free);
  Job job = { paths, tracks, errors, 0, 0, { 0 }, isatty (STDERR_FILENO) };
  GThreadPool *pool;
  guint i;

  g_mutex_init (&job.lock);
  pool = g_thread_pool_new (analyse_one, &job, (gint) MAX (threads, 1),
      TRUE, NULL);
  for (i = 0; i < paths->len; i++)
    g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
  g_mutex_clear (&job.lock);
  for (i = 0; i < paths->len; i++) {
    if (tracks[i])
      g_ptr_array_add (out, tracks[i]);
    else
      g_ptr_array_add (failures, errors[i]);
  }
  return out;
}
