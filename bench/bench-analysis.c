/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-analysis: how much CPU time and memory the analysis costs, measured
 * against a baseline on the same input in the same run (see bench/README.md
 * and bench/run-bench.sh).
 *
 *   throughput FILE|DIR…   decoding alone against decoding + analysis, and
 *                          the analysis of decoded PCM split into conversion
 *                          and extraction (CPU time of this one thread)
 *   element FILE [SECONDS] the semblance element's share of one core during
 *                          real-time playback
 *   memory MINUTES         peak RSS after analysing MINUTES of Ogg Vorbis
 *   make-long MINUTES OUT [FILE|DIR…]
 *                          writes the long Ogg Vorbis file that memory reads
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gst/audio/audio.h>
#include <gst/gst.h>
#include <sndfile.h>

#include "bench-clock.h"
#include "semblance.h"
#include "semblance-analyzer-private.h"
#include "semblance-resampler.h"

/* Frames per sf_readf_float() call and per analyzer push: the values of
 * core/semblance-file.c, so that the baseline decodes exactly as the
 * analysis path does. */
#define DECODE_CHUNK 8192
/* Input frames per conversion call: CHUNK_FRAMES of core/semblance-analyzer.c. */
#define CONVERT_CHUNK 4096
/* Samples per extractor push: what one conversion call yields at 44.1 kHz. */
#define EXTRACT_CHUNK 2048
/* One float in 16 is one per 64-byte cache line: enough to read every line
 * the decoder wrote, cheap enough not to weigh on the baseline. */
#define TOUCH_STRIDE 16

#define DEFAULT_REPEAT 3
#define DEFAULT_ELEMENT_SECONDS 20.0

/* The goals of the issue, printed next to the figures. */
#define GOAL_OVERHEAD_PCT 30.0
#define GOAL_REALTIME 500.0
#define GOAL_ELEMENT_PCT 0.5

/* The long file for the memory benchmark. */
#define LONG_RATE 44100
#define LONG_CHANNELS 2
/* libsndfile's Vorbis quality, 0-1: 0.3 matches the demo excerpts (oggenc -q 3). */
#define LONG_QUALITY 0.3

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SNDFILE, sf_close)

/* Results go through here so the compiler cannot drop the work. */
static volatile double bench_sink;

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* User + system time of every thread of the process. */
static double
rusage_cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6
      + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
}

static long
peak_rss_kib (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

static const char *
verdict (gboolean met)
{
  return met ? "met" : "MISSED";
}

/* ------------------------------------------------------------------------ */
/* Input files */

static gboolean
is_audio_name (const char *name)
{
  static const char *const exts[] = {
    ".ogg", ".oga", ".opus", ".flac", ".wav", ".mp3", ".aif", ".aiff",
  };
  g_autofree char *lower = g_ascii_strdown (name, -1);
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (exts); i++)
    if (g_str_has_suffix (lower, exts[i]))
      return TRUE;
  return FALSE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* Folders are searched recursively for audio files, in name order so runs
 * are comparable. */
static gboolean
collect_files (const char *path, GPtrArray *files, GError **error)
{
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GPtrArray) names = NULL;
  const char *name;
  guint i;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR)) {
    if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
          "%s: no such file", path);
      return FALSE;
    }
    g_ptr_array_add (files, g_strdup (path));
    return TRUE;
  }

  dir = g_dir_open (path, 0, error);
  if (!dir)
    return FALSE;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_strings);
  for (i = 0; i < names->len; i++) {
    const char *child = g_ptr_array_index (names, i);

    if (g_file_test (child, G_FILE_TEST_IS_DIR)) {
      if (!collect_files (child, files, error))
        return FALSE;
    } else if (is_audio_name (child)) {
      g_ptr_array_add (files, g_strdup (child));
    }
  }
  return TRUE;
}

static GPtrArray *
collect_all (char **paths, GError **error)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  for (; *paths; paths++)
    if (!collect_files (*paths, files, error))
      return NULL;
  return g_steal_pointer (&files);
}

/* ------------------------------------------------------------------------ */
/* Decoding and conversion */

typedef struct
{
  float *data;                  /* interleaved */
  gsize n_frames;
  int rate, channels;
} Pcm;

static void
pcm_clear (Pcm *pcm)
{
  g_clear_pointer (&pcm->data, g_free);
  pcm->n_frames = 0;
}

static SNDFILE *
open_sndfile (const char *path, SF_INFO *info, GError **error)
{
  SNDFILE *file;

  memset (info, 0, sizeof *info);
  file = sf_open (path, SFM_READ, info);
  if (!file)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path,
        sf_strerror (NULL));
  return file;
}

/* The baseline: what semblance_analyze_file() spends in libsndfile, with
 * the samples read once and dropped. Returns CPU seconds, or -1. */
static double
time_decode_only (const char *path, GError **error)
{
  double start = cpu_seconds ();
  g_autoptr (SNDFILE) file = NULL;
  g_autofree float *buf = NULL;
  SF_INFO info;
  sf_count_t got;
  float sum = 0.0f;

  file = open_sndfile (path, &info, error);
  if (!file)
    return -1.0;
  buf = g_new (float, (gsize) DECODE_CHUNK * info.channels);
  while ((got = sf_readf_float (file, buf, DECODE_CHUNK)) > 0) {
    sf_count_t i, n = got * info.channels;

    for (i = 0; i < n; i += TOUCH_STRIDE)
      sum += buf[i];
  }
  g_clear_pointer (&file, sf_close);
  bench_sink += sum;
  return cpu_seconds () - start;
}

/* The whole analysis path with libsndfile: decoding, conversion and
 * extraction. Returns CPU seconds, or -1. */
static double
time_analyze_file (const char *path, GError **error)
{
  double start = cpu_seconds ();
  SemblanceProperties props;

  if (!semblance_analyze_file (path, SEMBLANCE_DECODER_SNDFILE, NULL, &props,
          error))
    return -1.0;
  bench_sink += props.vector[0];
  return cpu_seconds () - start;
}

static gboolean
decode_to_memory (const char *path, Pcm *pcm, GError **error)
{
  g_autoptr (SNDFILE) file = NULL;
  SF_INFO info;
  gsize capacity;
  sf_count_t got;

  file = open_sndfile (path, &info, error);
  if (!file)
    return FALSE;
  pcm->rate = info.samplerate;
  pcm->channels = info.channels;
  pcm->n_frames = 0;
  /* Some formats only estimate their length: grow if it was short. */
  capacity = (gsize) MAX (info.frames, 0) + DECODE_CHUNK;
  pcm->data = g_new (float, capacity * info.channels);
  for (;;) {
    if (capacity - pcm->n_frames < DECODE_CHUNK) {
      capacity *= 2;
      pcm->data = g_renew (float, pcm->data, capacity * info.channels);
    }
    got = sf_readf_float (file, pcm->data + pcm->n_frames * info.channels,
        DECODE_CHUNK);
    if (got <= 0)
      break;
    pcm->n_frames += got;
  }
  if (sf_error (file) != SF_ERR_NO_ERROR) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path,
        sf_strerror (file));
    pcm_clear (pcm);
    return FALSE;
  }
  return TRUE;
}

static void
pcm_info (const Pcm *pcm, GstAudioInfo *info)
{
  gst_audio_info_set_format (info, GST_AUDIO_FORMAT_F32, pcm->rate,
      pcm->channels, NULL);
}

/* Runs @conv over @in in chunks of CONVERT_CHUNK frames, as the analyzer
 * does, appending to @out (grown as needed). Returns the frames written. */
static gsize
run_converter (GstAudioConverter *conv, const float *in, gsize n_frames,
               int in_channels, int out_channels, float **out,
               gsize *capacity)
{
  gsize done = 0;

  while (n_frames > 0) {
    gsize take = MIN (n_frames, CONVERT_CHUNK);
    gsize out_frames = gst_audio_converter_get_out_frames (conv, take);
    gpointer in_planes[1], out_planes[1];

    /* Only when the estimate made by the caller was short: the timed runs
     * reuse a buffer that is already large enough. */
    if (done + out_frames > *capacity) {
      *capacity = MAX (*capacity * 2, done + out_frames);
      *out = g_renew (float, *out, *capacity * out_channels);
    }
    in_planes[0] = (gpointer) in;
    out_planes[0] = *out + done * out_channels;
    if (gst_audio_converter_samples (conv, GST_AUDIO_CONVERTER_FLAG_NONE,
            in_planes, take, out_planes, out_frames))
      done += out_frames;
    in += take * in_channels;
    n_frames -= take;
  }
  return done;
}

/* SemblanceAnalyzer on decoded PCM, pushed as semblance-file.c pushes it. */
static double
time_analyzer (const Pcm *pcm)
{
  double start = cpu_seconds ();
  g_autoptr (SemblanceAnalyzer) analyzer = NULL;
  SemblanceProperties props;
  GstAudioInfo info;
  gsize off;

  pcm_info (pcm, &info);
  analyzer = semblance_analyzer_new (&info, NULL);
  g_assert (analyzer != NULL);
  for (off = 0; off < pcm->n_frames; off += DECODE_CHUNK)
    semblance_analyzer_push (analyzer, pcm->data + off * pcm->channels,
        MIN (DECODE_CHUNK, pcm->n_frames - off));
  semblance_analyzer_get_properties (analyzer, &props);
  g_clear_pointer (&analyzer, semblance_analyzer_free);
  bench_sink += props.vector[0];
  return cpu_seconds () - start;
}

/* Resamples @n samples of @in into @out (grown as needed) with the
 * analyzer's resampler and filter @f, in chunks of CONVERT_CHUNK. Returns
 * the outputs. */
static gsize
run_resampler (const SemblanceResampling *f, const float *in, gsize n,
               float **out, gsize *capacity)
{
  SemblanceResampler *r = semblance_resampler_new (f->taps, f->start,
      f->n_taps, f->up, f->down, CONVERT_CHUNK);
  gsize done = 0, off, most;

  g_assert (r != NULL);
  /* In pieces, the outputs are those of one call with all @n. */
  most = semblance_resampler_max_out (r, n);
  if (most > *capacity) {
    *capacity = most;
    *out = g_renew (float, *out, *capacity);
  }
  for (off = 0; off < n; off += CONVERT_CHUNK)
    done += semblance_resampler_process (r, in + off, MIN (CONVERT_CHUNK,
            n - off), *out + done);
  semblance_resampler_free (r);
  return done;
}

/* The analyzer's conversion alone, to 22,050 Hz mono in @mono: stereo is
 * mixed to mono first (1/2 each, as the analyzer does it), then resampled
 * by the analyzer's resampler, or by GstAudioConverter at rates without
 * its filter; other input goes to GstAudioConverter whole. @scratch
 * (grown as needed, kept between calls) holds the mix. */
static double
time_convert (const Pcm *pcm, float **mono, gsize *capacity, gsize *n_mono,
              float **scratch, gsize *scratch_frames)
{
  double start = cpu_seconds ();
  const float *in = pcm->data;
  int channels = pcm->channels;
  const SemblanceResampling *filter;
  GstAudioConverter *conv;
  GstAudioInfo info;
  gsize i;

  if (channels == 2) {
    if (pcm->n_frames > *scratch_frames) {
      *scratch_frames = pcm->n_frames;
      *scratch = g_renew (float, *scratch, *scratch_frames);
    }
    for (i = 0; i < pcm->n_frames; i++)
      (*scratch)[i] = 0.5f * in[2 * i] + 0.5f * in[2 * i + 1];
    in = *scratch;
    channels = 1;
  }
  filter = channels == 1 ? semblance_analysis_resampling (pcm->rate) : NULL;
  if (filter) {
    *n_mono = run_resampler (filter, in, pcm->n_frames, mono, capacity);
    bench_sink += *n_mono ? (*mono)[*n_mono / 2] : 0.0f;
    return cpu_seconds () - start;
  }
  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_F32, pcm->rate, channels,
      NULL);
  conv = semblance_analysis_converter_new (&info);
  g_assert (conv != NULL);
  *n_mono = run_converter (conv, in, pcm->n_frames, channels, 1, mono,
      capacity);
  gst_audio_converter_free (conv);
  bench_sink += *n_mono ? (*mono)[*n_mono / 2] : 0.0f;
  return cpu_seconds () - start;
}

/* The extractor alone on 22,050 Hz mono. */
static double
time_extract (const float *mono, gsize n)
{
  double start = cpu_seconds ();
  g_autoptr (SemblanceExtractor) extractor = semblance_extractor_new ();
  SemblanceProperties props;
  gsize off;

  for (off = 0; off < n; off += EXTRACT_CHUNK)
    semblance_extractor_push (extractor, mono + off,
        MIN (EXTRACT_CHUNK, n - off));
  semblance_extractor_get_properties (extractor, &props);
  g_clear_pointer (&extractor, semblance_extractor_free);
  bench_sink += props.vector[0];
  return cpu_seconds () - start;
}

/* ------------------------------------------------------------------------ */
/* throughput */

typedef struct
{
  double seconds;
  double decode, full, analyzer, convert, extract;
} Times;

static void
times_min (Times *best, const Times *t)
{
  best->decode = MIN (best->decode, t->decode);
  best->full = MIN (best->full, t->full);
  best->analyzer = MIN (best->analyzer, t->analyzer);
  best->convert = MIN (best->convert, t->convert);
  best->extract = MIN (best->extract, t->extract);
}

static void
times_add (Times *sum, const Times *t)
{
  sum->seconds += t->seconds;
  sum->decode += t->decode;
  sum->full += t->full;
  sum->analyzer += t->analyzer;
  sum->convert += t->convert;
  sum->extract += t->extract;
}

/* Every measurement of a file is repeated @repeat times, the kinds taken in
 * turn so that a slow spell of the machine hits all of them alike; the
 * minimum is kept, as interruptions only ever add time. */
static gboolean
measure_file (const char *path, int repeat, int split_runs, Times *best,
              Pcm *pcm, GError **error)
{
  g_autofree float *mono = NULL, *scratch = NULL;
  gsize capacity, n_mono = 0, scratch_frames = 0;
  GstAudioInfo info;
  int r;

  /* Untimed: also brings the file into the page cache before the first
   * timed run. */
  if (!decode_to_memory (path, pcm, error))
    return FALSE;
  pcm_info (pcm, &info);
  {
    g_autoptr (SemblanceAnalyzer) check = semblance_analyzer_new (&info,
        error);

    if (!check)
      return FALSE;
  }
  best->seconds = (double) pcm->n_frames / pcm->rate;
  best->decode = best->full = best->analyzer = G_MAXDOUBLE;
  best->convert = best->extract = G_MAXDOUBLE;

  /* Room for the whole track at the analysis rate, plus the resampler's
   * rounding per chunk. */
  capacity = (gsize) ((double) pcm->n_frames * SEMBLANCE_ANALYSIS_RATE /
      pcm->rate) + pcm->n_frames / CONVERT_CHUNK * 4 + 1024;
  mono = g_new (float, capacity);

  for (r = 0; r < repeat; r++) {
    Times t = { 0 };

    t.decode = time_decode_only (path, error);
    if (t.decode < 0.0)
      return FALSE;
    t.full = time_analyze_file (path, error);
    if (t.full < 0.0)
      return FALSE;
    /* The split is a proportion, steady from run to run: fewer runs of it
     * keep a large corpus quick. */
    t.analyzer = t.convert = t.extract = G_MAXDOUBLE;
    if (r < split_runs) {
      t.analyzer = time_analyzer (pcm);
      t.convert = time_convert (pcm, &mono, &capacity, &n_mono, &scratch,
          &scratch_frames);
      t.extract = time_extract (mono, n_mono);
    }
    times_min (best, &t);
  }
  return TRUE;
}

static double
xrt (double audio, double cpu)
{
  return cpu > 0.0 ? audio / cpu : INFINITY;
}

static int
run_throughput (char **paths, int repeat, int split_runs, const char *label)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) files = NULL;
  g_autoptr (GHashTable) formats = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, NULL);
  g_autoptr (GString) format_list = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;
  Times total = { 0 };
  double overhead, analysis, other;
  guint i, n = 0, skipped = 0;

  files = collect_all (paths, &error);
  if (!files) {
    g_printerr ("bench-analysis: %s\n", error->message);
    return 1;
  }
  if (files->len == 0) {
    g_printerr ("bench-analysis: no audio files found\n");
    return 1;
  }

  g_print ("== throughput: %s, %u files, CPU time of one thread, best of "
      "%d interleaved runs (%d for the analyzer split) ==\n", label,
      files->len, repeat, split_runs);
  g_print ("%-28s %8s %6s %8s %8s %6s %8s %8s %8s\n", "file", "audio s",
      "rate", "decode", "+analys", "ovrhd", "analyzer", "convert",
      "extract");
  for (i = 0; i < files->len; i++) {
    const char *path = g_ptr_array_index (files, i);
    g_autofree char *base = g_path_get_basename (path);
    g_autoptr (GError) local = NULL;
    Pcm pcm = { 0 };
    Times best;
    gboolean ok;

    ok = measure_file (path, repeat, split_runs, &best, &pcm, &local);
    if (!ok) {
      g_printerr ("bench-analysis: skipped: %s\n", local->message);
      pcm_clear (&pcm);
      skipped++;
      continue;
    }
    {
      g_autofree char *fmt = g_strdup_printf ("%d Hz %d ch", pcm.rate,
          pcm.channels);

      g_hash_table_replace (formats, g_strdup (fmt), GINT_TO_POINTER (
              GPOINTER_TO_INT (g_hash_table_lookup (formats, fmt)) + 1));
    }
    g_print ("%-28.28s %8.1f %6d %8.3f %8.3f %5.0f%% %8.3f %8.3f %8.3f\n",
        base, best.seconds, pcm.rate, best.decode, best.full,
        100.0 * (best.full - best.decode) / best.decode, best.analyzer,
        best.convert, best.extract);
    pcm_clear (&pcm);
    times_add (&total, &best);
    n++;
  }
  if (n == 0)
    return 1;

  g_hash_table_iter_init (&iter, formats);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_INT (value) > 0)
      g_string_append_printf (format_list, "%s%s: %d", format_list->len
          ? ", " : "", (const char *) key, GPOINTER_TO_INT (value));

  analysis = total.full - total.decode;
  overhead = 100.0 * analysis / total.decode;
  other = total.analyzer - total.convert - total.extract;

  g_print ("\n%s totals (%u files, %u skipped; %s)\n", label, n, skipped,
      format_list->str);
  g_print ("  audio                               %9.1f s (%.1f min, %.1f s "
      "per track)\n", total.seconds, total.seconds / 60.0,
      total.seconds / n);
  g_print ("  (i)  decode only (libsndfile)       %9.3f CPU s %7.0fx real "
      "time per core\n", total.decode, xrt (total.seconds, total.decode));
  g_print ("  (ii) decode + analysis (file path)  %9.3f CPU s %7.0fx real "
      "time per core  (goal >= %.0fx: %s)\n", total.full,
      xrt (total.seconds, total.full), GOAL_REALTIME,
      verdict (xrt (total.seconds, total.full) >= GOAL_REALTIME));
  g_print ("  analysis alone, (ii) - (i)          %9.3f CPU s %7.0fx real "
      "time per core  (goal >= %.0fx: %s)\n", analysis,
      xrt (total.seconds, analysis), GOAL_REALTIME,
      verdict (xrt (total.seconds, analysis) >= GOAL_REALTIME));
  g_print ("  analysis overhead on decoding       %9.1f %%                "
      "               (goal <= %.0f%%: %s)\n", overhead, GOAL_OVERHEAD_PCT,
      verdict (overhead <= GOAL_OVERHEAD_PCT));
  g_print ("  per track (mean)                    %9.3f CPU s decode + "
      "analysis, %.3f CPU s analysis\n", total.full / n, analysis / n);
  g_print ("  per 4-minute track                  %9.3f CPU s decode + "
      "analysis, %.3f CPU s analysis\n", 240.0 * total.full / total.seconds,
      240.0 * analysis / total.seconds);
  g_print ("analysis of decoded PCM (SemblanceAnalyzer, no decoding)\n");
  g_print ("  analyzer                            %9.3f CPU s %7.0fx real "
      "time per core  100%%\n", total.analyzer,
      xrt (total.seconds, total.analyzer));
  g_print ("    conversion (mix, resampling)       %8.3f CPU s %7.0fx       "
      "        %5.1f%%\n", total.convert, xrt (total.seconds, total.convert),
      100.0 * total.convert / total.analyzer);
  g_print ("    extractor (22,050 Hz mono)        %9.3f CPU s %7.0fx       "
      "        %5.1f%%\n", total.extract, xrt (total.seconds, total.extract),
      100.0 * total.extract / total.analyzer);
  /* A difference of minima: within the noise it may come out negative. */
  g_print ("    rest (NaN scan, copies, glue)     %9.3f CPU s %7s        "
      "        %5.1f%%\n", other, "", 100.0 * other / total.analyzer);

  /* One line for bench/run-bench.sh to read. */
  g_print ("RESULT throughput label=%s files=%u repeat=%d split_runs=%d "
      "audio_s=%.1f "
      "decode_s=%.3f full_s=%.3f analysis_s=%.3f overhead_pct=%.1f "
      "decode_xrt=%.0f full_xrt=%.0f analysis_xrt=%.0f analyzer_s=%.3f "
      "analyzer_xrt=%.0f convert_s=%.3f extract_s=%.3f rest_s=%.3f "
      "convert_pct=%.1f extract_pct=%.1f full_per_track_s=%.3f "
      "analysis_per_track_s=%.3f\n", label, n, repeat, split_runs,
      total.seconds,
      total.decode, total.full, analysis, overhead,
      xrt (total.seconds, total.decode), xrt (total.seconds, total.full),
      xrt (total.seconds, analysis), total.analyzer,
      xrt (total.seconds, total.analyzer), total.convert, total.extract,
      other, 100.0 * total.convert / total.analyzer,
      100.0 * total.extract / total.analyzer, total.full / n, analysis / n);
  return skipped ? 1 : 0;
}

/* ------------------------------------------------------------------------ */
/* element */

typedef struct
{
  GMainLoop *loop;
  GstElement *pipeline;
  GstElement *convert;
  guint timeout_id;
  GError *error;
  guint loops;
  /* The streaming thread's CPU time inside semblance, from the buffer
   * entering its sink pad to the same buffer leaving its source pad. */
  gint measuring;               /* atomic */
  gint64 enter_ns;
  gint64 own_ns;
  guint64 bytes;
} Playback;

typedef struct
{
  double wall;                  /* s of real time measured */
  double cpu;                   /* CPU s of the whole process meanwhile */
  double own;                   /* CPU s inside semblance */
  double audio;                 /* s of audio through semblance */
} PlaybackResult;

static void
on_decoded_pad (GstElement *decodebin, GstPad *pad, Playback *pb)
{
  g_autoptr (GstPad) sink = gst_element_get_static_pad (pb->convert, "sink");
  g_autoptr (GstCaps) caps = gst_pad_get_current_caps (pad);

  if (!caps)
    caps = gst_pad_query_caps (pad, NULL);
  if (gst_pad_is_linked (sink) || gst_caps_is_empty (caps)
      || !g_str_has_prefix (gst_structure_get_name (
              gst_caps_get_structure (caps, 0)), "audio/"))
    return;
  gst_pad_link (pad, sink);
}

static GstPadProbeReturn
on_semblance_sink (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Playback *pb = user_data;

  pb->enter_ns = bench_thread_cpu_ns ();
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_semblance_src (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Playback *pb = user_data;
  gint64 now = bench_thread_cpu_ns ();

  if (!g_atomic_int_get (&pb->measuring) || pb->enter_ns < 0)
    return GST_PAD_PROBE_OK;
  pb->own_ns += now - pb->enter_ns;
  pb->enter_ns = -1;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    pb->bytes += gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER (info));
  else
    pb->bytes += gst_buffer_list_calculate_size (
        GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  return GST_PAD_PROBE_OK;
}

static gboolean
on_timeout (gpointer user_data)
{
  Playback *pb = user_data;

  pb->timeout_id = 0;
  g_main_loop_quit (pb->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_bus (GstBus *bus, GstMessage *msg, gpointer user_data)
{
  Playback *pb = user_data;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:
      if (!pb->error) {
        g_autofree char *debug = NULL;

        gst_message_parse_error (msg, &pb->error, &debug);
      }
      g_main_loop_quit (pb->loop);
      break;
    case GST_MESSAGE_SEGMENT_DONE:
      /* A non-flushing segment seek loops the file without a gap, so that
       * a short file plays for as long as asked. */
      pb->loops++;
      gst_element_seek (pb->pipeline, 1.0, GST_FORMAT_TIME,
          GST_SEEK_FLAG_SEGMENT, GST_SEEK_TYPE_SET, 0, GST_SEEK_TYPE_NONE,
          GST_CLOCK_TIME_NONE);
      break;
    case GST_MESSAGE_EOS:
      /* Only if segment seeks were refused: start again, with a flush. */
      pb->loops++;
      gst_element_seek_simple (pb->pipeline, GST_FORMAT_TIME,
          GST_SEEK_FLAG_FLUSH, 0);
      break;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
wait_state (Playback *pb, GstBus *bus, const char *what, GError **error)
{
  GstStateChangeReturn ret = gst_element_get_state (pb->pipeline, NULL, NULL,
      30 * GST_SECOND);
  g_autoptr (GstMessage) msg = NULL;

  if (ret != GST_STATE_CHANGE_FAILURE && ret != GST_STATE_CHANGE_ASYNC)
    return TRUE;
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  if (msg) {
    g_autoptr (GError) gerr = NULL;
    g_autofree char *debug = NULL;

    gst_message_parse_error (msg, &gerr, &debug);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what,
        gerr->message);
  } else {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed", what);
  }
  return FALSE;
}

static gboolean
play (const char *file, gboolean with_semblance, double seconds,
      PlaybackResult *res, GError **error)
{
  g_autoptr (GstElement) pipeline = gst_pipeline_new ("bench");
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GstPad) src_pad = NULL;
  g_autoptr (GstCaps) caps = NULL;
  GstElement *src, *decode, *convert, *resample, *analyse = NULL, *sink;
  Playback pb = { 0 };
  GstAudioInfo info;
  guint watch;
  double cpu0, cpu1;
  gint64 wall0, wall1;
  gboolean ok = FALSE;

  src = gst_element_factory_make ("filesrc", NULL);
  decode = gst_element_factory_make ("decodebin", NULL);
  convert = gst_element_factory_make ("audioconvert", NULL);
  resample = gst_element_factory_make ("audioresample", NULL);
  sink = gst_element_factory_make ("fakesink", NULL);
  if (with_semblance)
    analyse = gst_element_factory_make ("semblance", NULL);
  if (!src || !decode || !convert || !resample || !sink
      || (with_semblance && !analyse)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "missing GStreamer elements (filesrc, decodebin, audioconvert, "
        "audioresample, fakesink%s)", with_semblance ? ", semblance: set "
        "GST_PLUGIN_PATH to the build's elements folder" : "");
    g_clear_object (&src);
    g_clear_object (&decode);
    g_clear_object (&convert);
    g_clear_object (&resample);
    g_clear_object (&sink);
    g_clear_object (&analyse);
    return FALSE;
  }
  g_object_set (src, "location", file, NULL);
  g_object_set (sink, "sync", TRUE, NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, decode, convert, resample, sink,
      NULL);
  gst_element_link (src, decode);
  if (analyse) {
    gst_bin_add (GST_BIN (pipeline), analyse);
    gst_element_link_many (convert, resample, analyse, sink, NULL);
  } else {
    gst_element_link_many (convert, resample, sink, NULL);
  }

  pb.loop = loop;
  pb.pipeline = pipeline;
  pb.convert = convert;
  pb.enter_ns = -1;
  g_signal_connect (decode, "pad-added", G_CALLBACK (on_decoded_pad), &pb);
  if (analyse) {
    g_autoptr (GstPad) sink_pad = gst_element_get_static_pad (analyse, "sink");

    src_pad = gst_element_get_static_pad (analyse, "src");
    gst_pad_add_probe (sink_pad, GST_PAD_PROBE_TYPE_BUFFER |
        GST_PAD_PROBE_TYPE_BUFFER_LIST, on_semblance_sink, &pb, NULL);
    gst_pad_add_probe (src_pad, GST_PAD_PROBE_TYPE_BUFFER |
        GST_PAD_PROBE_TYPE_BUFFER_LIST, on_semblance_src, &pb, NULL);
  }

  /* Preroll and the looping seek happen before the measurement. */
  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  if (!wait_state (&pb, bus, "prerolling", error))
    goto out;
  gst_element_seek (pipeline, 1.0, GST_FORMAT_TIME,
      GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_SEGMENT, GST_SEEK_TYPE_SET, 0,
      GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE);
  if (!wait_state (&pb, bus, "seeking", error))
    goto out;
  watch = gst_bus_add_watch (bus, on_bus, &pb);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  if (!wait_state (&pb, bus, "starting playback", error)) {
    g_source_remove (watch);
    goto out;
  }

  /* The probes count nothing before this. */
  g_atomic_int_set (&pb.measuring, 1);
  cpu0 = rusage_cpu_seconds ();
  wall0 = g_get_monotonic_time ();
  pb.timeout_id = g_timeout_add ((guint) (seconds * 1000.0), on_timeout, &pb);
  g_main_loop_run (loop);
  cpu1 = rusage_cpu_seconds ();
  wall1 = g_get_monotonic_time ();
  g_atomic_int_set (&pb.measuring, 0);
  if (pb.timeout_id)
    g_source_remove (pb.timeout_id);
  g_source_remove (watch);

  if (pb.error) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "playback: %s",
        pb.error->message);
    goto out;
  }
  if (src_pad)
    caps = gst_pad_get_current_caps (src_pad);
  /* Stopping joins the streaming threads: their counts are final after it. */
  gst_element_set_state (pipeline, GST_STATE_NULL);
  res->wall = (wall1 - wall0) * 1e-6;
  res->cpu = cpu1 - cpu0;
  res->own = pb.own_ns * 1e-9;
  res->audio = 0.0;
  if (caps && gst_audio_info_from_caps (&info, caps))
    res->audio = (double) pb.bytes / GST_AUDIO_INFO_BPF (&info)
        / GST_AUDIO_INFO_RATE (&info);
  ok = TRUE;

out:
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_clear_error (&pb.error);
  return ok;
}

/* Run from the build tree without GST_PLUGIN_PATH: the element is looked
 * for in this build's elements folder. */
static void
find_semblance_element (void)
{
  g_autoptr (GstElementFactory) factory = gst_element_factory_find ("semblance");

  if (!factory)
    gst_registry_scan_path (gst_registry_get (), SEMBLANCE_ELEMENTS_DIR);
}

/* Rounds of the two pipelines, taken in turn: an order effect (warm-up,
 * a busy spell of the machine) then hits both, and the two baseline rounds
 * show how noisy the difference of process CPU times is. */
#define ELEMENT_ROUNDS 2

static void
playback_add (PlaybackResult *sum, const PlaybackResult *r)
{
  sum->wall += r->wall;
  sum->cpu += r->cpu;
  sum->own += r->own;
  sum->audio += r->audio;
}

static double
share_pct (const PlaybackResult *r)
{
  return r->wall > 0.0 ? 100.0 * r->cpu / r->wall : 0.0;
}

static int
run_element (const char *file, double seconds)
{
  g_autoptr (GError) error = NULL;
  PlaybackResult base = { 0 }, with = { 0 }, base_round[ELEMENT_ROUNDS];
  double base_pct, with_pct, diff_pct, own_pct, noise_pct = 0.0;
  int r;

  find_semblance_element ();
  g_print ("== element: %s, %.0f s of real-time playback per pipeline, in "
      "%d alternating rounds ==\n", file, seconds, ELEMENT_ROUNDS);
  for (r = 0; r < ELEMENT_ROUNDS; r++) {
    PlaybackResult round;

    if (!play (file, FALSE, seconds / ELEMENT_ROUNDS, &base_round[r], &error)
        || !play (file, TRUE, seconds / ELEMENT_ROUNDS, &round, &error)) {
      g_printerr ("bench-analysis: %s: %s\n", file, error->message);
      return 1;
    }
    playback_add (&base, &base_round[r]);
    playback_add (&with, &round);
    g_print ("  round %d: baseline %.3f%%, with semblance %.3f%% of one core\n",
        r + 1, share_pct (&base_round[r]), share_pct (&round));
  }
  for (r = 1; r < ELEMENT_ROUNDS; r++)
    noise_pct = MAX (noise_pct, fabs (share_pct (&base_round[r]) -
            share_pct (&base_round[0])));
  base_pct = share_pct (&base);
  with_pct = share_pct (&with);
  diff_pct = with_pct - base_pct;
  own_pct = with.audio > 0.0 ? 100.0 * with.own / with.audio : 0.0;

  g_print ("  baseline: filesrc ! decodebin ! audioconvert ! audioresample ! "
      "fakesink sync=true\n");
  g_print ("    %.3f CPU s in %.2f s = %.3f%% of one core\n", base.cpu,
      base.wall, base_pct);
  g_print ("  with semblance before fakesink\n");
  g_print ("    %.3f CPU s in %.2f s = %.3f%% of one core\n", with.cpu,
      with.wall, with_pct);
  g_print ("  difference (process CPU time, getrusage)   %.3f%% of one core  "
      "(goal < %.1f%%: %s)\n", diff_pct, GOAL_ELEMENT_PCT,
      verdict (diff_pct < GOAL_ELEMENT_PCT));
  g_print ("    noise: the baseline rounds differ by %.3f%% of one core\n",
      noise_pct);
  g_print ("  semblance's own processing (thread CPU time between its pads):"
      "\n    %.4f CPU s for %.2f s of audio = %.3f%% of one core at real "
      "time  (goal < %.1f%%: %s)\n", with.own, with.audio, own_pct,
      GOAL_ELEMENT_PCT, verdict (own_pct < GOAL_ELEMENT_PCT));
  g_print ("RESULT element file=%s seconds=%.1f base_pct=%.3f with_pct=%.3f "
      "diff_pct=%.3f noise_pct=%.3f own_pct=%.3f own_s=%.4f audio_s=%.2f\n",
      file, with.wall, base_pct, with_pct, diff_pct, noise_pct, own_pct,
      with.own, with.audio);
  return 0;
}

/* ------------------------------------------------------------------------ */
/* memory and make-long */

static char *
long_file_path (guint minutes)
{
  return g_strdup_printf ("%s/semblance/bench/long-%umin.ogg",
      g_get_user_cache_dir (), minutes);
}

/* Decodes @path to LONG_RATE Hz, LONG_CHANNELS channels. */
static gboolean
load_long_format (const char *path, Pcm *out, GError **error)
{
  Pcm pcm = { 0 };
  GstAudioInfo in_info, out_info;
  GstAudioConverter *conv;
  gsize capacity;

  if (!decode_to_memory (path, &pcm, error))
    return FALSE;
  if (pcm.rate == LONG_RATE && pcm.channels == LONG_CHANNELS) {
    *out = pcm;
    return TRUE;
  }
  pcm_info (&pcm, &in_info);
  gst_audio_info_set_format (&out_info, GST_AUDIO_FORMAT_F32, LONG_RATE,
      LONG_CHANNELS, NULL);
  conv = gst_audio_converter_new (GST_AUDIO_CONVERTER_FLAG_NONE, &in_info,
      &out_info, NULL);
  if (!conv) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "%s: cannot convert to %d Hz", path, LONG_RATE);
    pcm_clear (&pcm);
    return FALSE;
  }
  capacity = (gsize) ((double) pcm.n_frames * LONG_RATE / pcm.rate) + 1024;
  out->data = g_new (float, capacity * LONG_CHANNELS);
  out->rate = LONG_RATE;
  out->channels = LONG_CHANNELS;
  out->n_frames = run_converter (conv, pcm.data, pcm.n_frames, pcm.channels,
      LONG_CHANNELS, &out->data, &capacity);
  gst_audio_converter_free (conv);
  pcm_clear (&pcm);
  return TRUE;
}

/* Writes @minutes of the given music, repeated as needed, as one Ogg Vorbis
 * stream: a real file, so that the memory benchmark reads it through the
 * same decoder and analyzer as any track. */
static int
run_make_long (guint minutes, const char *out_path, char **sources)
{
  static const char *const demo[] = { SEMBLANCE_DEMO_DIR, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) files = NULL;
  g_autoptr (GArray) clips = g_array_new (FALSE, TRUE, sizeof (Pcm));
  g_autoptr (SNDFILE) file = NULL;
  g_autofree char *dir = g_path_get_dirname (out_path);
  g_autofree char *tmp = g_strdup_printf ("%s.tmp-%d", out_path,
      (int) getpid ());
  SF_INFO sfinfo = { 0 };
  double quality = LONG_QUALITY;
  guint64 target = (guint64) minutes * 60 * LONG_RATE, written = 0;
  guint i;
  int status = 1;

  files = collect_all (sources && *sources ? sources : (char **) demo,
      &error);
  if (!files) {
    g_printerr ("bench-analysis: %s\n", error->message);
    return 1;
  }
  for (i = 0; i < files->len; i++) {
    g_autoptr (GError) local = NULL;
    Pcm clip = { 0 };

    if (load_long_format (g_ptr_array_index (files, i), &clip, &local)
        && clip.n_frames > 0)
      g_array_append_val (clips, clip);
    else if (local)
      g_printerr ("bench-analysis: skipped: %s\n", local->message);
  }
  if (clips->len == 0) {
    g_printerr ("bench-analysis: no music to build %s from\n", out_path);
    return 1;
  }

  g_printerr ("bench-analysis: writing %s: %u min of %u excerpts, "
      "repeated (once; it stays in the cache)\n", out_path, minutes,
      clips->len);
  if (g_mkdir_with_parents (dir, 0755) != 0) {
    g_printerr ("bench-analysis: %s: %s\n", dir, g_strerror (errno));
    goto out;
  }
  sfinfo.samplerate = LONG_RATE;
  sfinfo.channels = LONG_CHANNELS;
  sfinfo.format = SF_FORMAT_OGG | SF_FORMAT_VORBIS;
  file = sf_open (tmp, SFM_WRITE, &sfinfo);
  if (!file) {
    g_printerr ("bench-analysis: %s: %s\n", tmp, sf_strerror (NULL));
    goto out;
  }
  sf_command (file, SFC_SET_VBR_ENCODING_QUALITY, &quality, sizeof quality);
  for (i = 0; written < target; i = (i + 1) % clips->len) {
    const Pcm *clip = &g_array_index (clips, Pcm, i);
    sf_count_t take = (sf_count_t) MIN ((guint64) clip->n_frames,
        target - written);

    if (sf_writef_float (file, clip->data, take) != take) {
      g_printerr ("bench-analysis: %s: %s\n", tmp, sf_strerror (file));
      goto out;
    }
    written += take;
  }
  if (sf_close (g_steal_pointer (&file)) != 0 || g_rename (tmp, out_path)
      != 0) {
    g_printerr ("bench-analysis: cannot write %s\n", out_path);
    goto out;
  }
  status = 0;

out:
  if (status != 0)
    g_unlink (tmp);
  for (i = 0; i < clips->len; i++)
    pcm_clear (&g_array_index (clips, Pcm, i));
  return status;
}

/* The long file is written by a child process, so that this process's
 * peak RSS holds the analysis alone. */
static gboolean
ensure_long_file (guint minutes, const char *path, GError **error)
{
  g_autofree char *self = NULL;
  g_autofree char *arg = g_strdup_printf ("%u", minutes);
  int wait_status;

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  self = g_file_read_link ("/proc/self/exe", error);
  if (!self)
    return FALSE;
  {
    const char *argv[] = { self, "make-long", arg, path, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL,
            NULL, NULL, NULL, &wait_status, error))
      return FALSE;
  }
  return g_spawn_check_wait_status (wait_status, error);
}

static int
run_memory (guint minutes)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = long_file_path (minutes);
  SemblanceProperties props;
  long startup_kib, decode_kib, peak_kib;
  double cpu;

  if (!ensure_long_file (minutes, path, &error)) {
    g_printerr ("bench-analysis: %s: %s\n", path, error->message);
    return 1;
  }
  startup_kib = peak_rss_kib ();
  /* Decoding alone first: what it leaves in the peak belongs to libsndfile
   * and the codecs, the rest of the final peak to the analysis. */
  if (time_decode_only (path, &error) < 0.0) {
    g_printerr ("bench-analysis: %s\n", error->message);
    return 1;
  }
  decode_kib = peak_rss_kib ();
  cpu = cpu_seconds ();
  if (!semblance_analyze_file (path, SEMBLANCE_DECODER_SNDFILE, NULL, &props,
          &error)) {
    g_printerr ("bench-analysis: %s\n", error->message);
    return 1;
  }
  cpu = cpu_seconds () - cpu;
  peak_kib = peak_rss_kib ();
  g_print ("== memory: %u min of Ogg Vorbis through semblance_analyze_file "
      "(libsndfile) ==\n", minutes);
  g_print ("  %s: %.1f s analysed in %.2f CPU s\n", path, props.seconds, cpu);
  g_print ("  peak RSS %ld KiB: %ld KiB at start-up, %ld KiB after decoding "
      "alone\n", peak_kib, startup_kib, decode_kib);
  g_print ("RESULT memory minutes=%u seconds=%.1f peak_rss_kib=%ld "
      "startup_rss_kib=%ld decode_rss_kib=%ld cpu_s=%.2f\n", minutes,
      props.seconds, peak_kib, startup_kib, decode_kib, cpu);
  return 0;
}

/* ------------------------------------------------------------------------ */

static gboolean
parse_positive (const char *text, double max, double *value)
{
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);

  if (!end || *end || !(v > 0.0) || v > max)
    return FALSE;
  *value = v;
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *label = NULL;
  int repeat = DEFAULT_REPEAT, split_runs = 0;
  GOptionEntry entries[] = {
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeat,
      "Runs of each throughput measurement; the minimum is kept (default 3)",
      "N" },
    { "split-runs", 's', 0, G_OPTION_ARG_INT, &split_runs,
      "Runs of the analyzer split, at most --repeat (default: --repeat)",
      "N" },
    { "label", 'l', 0, G_OPTION_ARG_STRING, &label,
      "Name of the corpus in the throughput report", "NAME" },
    G_OPTION_ENTRY_NULL
  };
  double value;

  context = g_option_context_new ("MODE ARGUMENT…");
  g_option_context_set_summary (context,
      "Modes:\n"
      "  throughput FILE|DIR…    decoding vs decoding + analysis, CPU time\n"
      "  element FILE [SECONDS]  the element's CPU share at real time "
      "(default 20 s)\n"
      "  memory MINUTES          peak RSS analysing MINUTES of Ogg Vorbis\n"
      "  make-long MINUTES OUTPUT [FILE|DIR…]\n"
      "                          writes the long file that memory reads");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("bench-analysis: %s\n", error->message);
    return 2;
  }
  gst_init (NULL, NULL);

  if (argc >= 3 && g_str_equal (argv[1], "throughput")) {
    if (repeat < 1 || split_runs < 0 || split_runs > repeat) {
      g_printerr ("bench-analysis: --repeat must be at least 1, "
          "--split-runs from 1 to --repeat\n");
      return 2;
    }
    return run_throughput (argv + 2, repeat, split_runs ? split_runs : repeat,
        label ? label : "corpus");
  }
  if ((argc == 3 || argc == 4) && g_str_equal (argv[1], "element")) {
    value = DEFAULT_ELEMENT_SECONDS;
    if (argc == 4 && !parse_positive (argv[3], 3600.0, &value)) {
      g_printerr ("bench-analysis: SECONDS must be a number from 0 to 3600\n");
      return 2;
    }
    return run_element (argv[2], value);
  }
  if (argc == 3 && g_str_equal (argv[1], "memory")) {
    if (!parse_positive (argv[2], 24 * 60, &value) || value != floor (value)) {
      g_printerr ("bench-analysis: MINUTES must be a whole number from 1 to "
          "1440\n");
      return 2;
    }
    return run_memory ((guint) value);
  }
  if (argc >= 4 && g_str_equal (argv[1], "make-long")) {
    if (!parse_positive (argv[2], 24 * 60, &value) || value != floor (value)) {
      g_printerr ("bench-analysis: MINUTES must be a whole number from 1 to "
          "1440\n");
      return 2;
    }
    return run_make_long ((guint) value, argv[3], argv + 4);
  }

  {
    g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

    g_printerr ("%s", help);
  }
  return 2;
}
