/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The semblance element: passthrough, messages, tracks and real pipelines. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>

#include "signals.h"

#define RATE 44100
#define BUFFER_FRAMES (RATE / 10)
#define S16_STEREO_CAPS "audio/x-raw, format=" GST_AUDIO_NE (S16) \
  ", rate=44100, channels=2, layout=interleaved"

typedef struct
{
  GstHarness *h;
  GstBus *bus;
  GstClockTime pts;
  /* fed the same bytes as the element, when a test compares with it */
  SemblanceAnalyzer *reference;
} Fixture;

static void
fixture_init (Fixture * f, guint64 interval, gboolean with_reference)
{
  f->h = gst_harness_new ("semblance");
  f->bus = gst_bus_new ();
  gst_element_set_bus (f->h->element, f->bus);
  g_object_set (f->h->element, "interval", interval, NULL);
  gst_harness_set_src_caps_str (f->h, S16_STEREO_CAPS);
  /* Only the messages matter: unpulled buffers would pile up. */
  gst_harness_set_drop_buffers (f->h, TRUE);
  f->pts = 0;
  f->reference = NULL;
  if (with_reference) {
    g_autoptr (GstCaps) caps = gst_caps_from_string (S16_STEREO_CAPS);
    g_autoptr (GError) error = NULL;
    GstAudioInfo info;

    fail_unless (gst_audio_info_from_caps (&info, caps));
    f->reference = semblance_analyzer_new (&info, &error);
    g_assert_no_error (error);
  }
}

static void
fixture_clear (Fixture * f)
{
  gst_element_set_bus (f->h->element, NULL);
  gst_object_unref (f->bus);
  gst_harness_teardown (f->h);
  g_clear_pointer (&f->reference, semblance_analyzer_free);
}

/* @n frames of the mono signal @x as S16 stereo, the same on both channels. */
static GstBuffer *
buffer_s16_stereo (const float *x, gsize n, GstClockTime pts)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, n * 2 * sizeof (gint16),
      NULL);
  GstMapInfo map;
  gint16 *out;
  gsize i;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_WRITE));
  out = (gint16 *) map.data;
  for (i = 0; i < n; i++)
    out[2 * i] = out[2 * i + 1] =
        (gint16) lrintf (CLAMP (x[i], -1.0f, 1.0f) * 32767.0f);
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = pts;
  GST_BUFFER_DURATION (buf) = GST_FRAMES_TO_CLOCK_TIME (n, RATE);
  return buf;
}

static void
push_buffer (Fixture * f, GstBuffer * buf)
{
  if (f->reference && !GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_GAP)) {
    GstMapInfo map;

    fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
    semblance_analyzer_push (f->reference, map.data, map.size / 4);
    gst_buffer_unmap (buf, &map);
  }
  fail_unless_equals_int (gst_harness_push (f->h, buf), GST_FLOW_OK);
}

/* Pushes @x in 100 ms buffers with consecutive timestamps from f->pts. */
static void
push_signal (Fixture * f, const float *x, gsize n)
{
  gsize i;

  for (i = 0; i < n; i += BUFFER_FRAMES) {
    gsize take = MIN (BUFFER_FRAMES, n - i);

    push_buffer (f, buffer_s16_stereo (x + i, take, f->pts));
    f->pts += GST_FRAMES_TO_CLOCK_TIME (take, RATE);
  }
}

static void
push_segment (Fixture * f, GstClockTime start, GstClockTime time)
{
  GstSegment segment;

  gst_segment_init (&segment, GST_FORMAT_TIME);
  segment.start = start;
  segment.time = time;
  fail_unless (gst_harness_push_event (f->h, gst_event_new_segment (&segment)));
  f->pts = start;
}

static void
push_eos (Fixture * f)
{
  fail_unless (gst_harness_push_event (f->h, gst_event_new_eos ()));
}

/* The 'semblance' messages posted since the last call, oldest first. */
static GPtrArray *
pop_messages (GstBus * bus)
{
  GPtrArray *messages =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gst_message_unref);
  GstMessage *m;

  while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    if (gst_message_has_name (m, "semblance"))
      g_ptr_array_add (messages, m);
    else
      gst_message_unref (m);
  }
  return messages;
}

static gdouble
get_double (GstMessage * m, const gchar * field)
{
  gdouble v = NAN;

  fail_unless (gst_structure_get_double (gst_message_get_structure (m), field,
          &v), "no double field '%s'", field);
  return v;
}

static GstClockTime
get_time (GstMessage * m, const gchar * field)
{
  guint64 v = 0;

  fail_unless (gst_structure_get_uint64 (gst_message_get_structure (m), field,
          &v), "no time field '%s'", field);
  return v;
}

static gboolean
is_final (GstMessage * m)
{
  gboolean v = FALSE;

  fail_unless (gst_structure_get_boolean (gst_message_get_structure (m),
          "final", &v));
  return v;
}

static void
get_features (GstMessage * m, float features[SEMBLANCE_FEATURE_DIM])
{
  const GValue *array =
      gst_structure_get_value (gst_message_get_structure (m), "features");
  guint i;

  fail_unless (array != NULL && GST_VALUE_HOLDS_ARRAY (array));
  fail_unless_equals_int (gst_value_array_get_size (array),
      SEMBLANCE_FEATURE_DIM);
  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++) {
    const GValue *v = gst_value_array_get_value (array, i);

    fail_unless (G_VALUE_HOLDS_FLOAT (v));
    features[i] = g_value_get_float (v);
  }
}

static void
assert_features_finite (GstMessage * m)
{
  float features[SEMBLANCE_FEATURE_DIM];
  guint i;

  get_features (m, features);
  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++)
    fail_unless (isfinite (features[i]), "feature %u is not finite", i);
}

static void
assert_span (GstMessage * m, gboolean final, gdouble seconds,
    GstClockTime timestamp, GstClockTime duration)
{
  fail_unless_equals_int (is_final (m), final);
  assert_equals_float (get_double (m, "seconds"), seconds);
  fail_unless_equals_uint64 (get_time (m, "timestamp"), timestamp);
  fail_unless_equals_uint64 (get_time (m, "duration"), duration);
}

/* The buffer that leaves is the one that came in, with the same bytes:
 * passthrough, and no writable copy is made even of a shared buffer, nor of
 * one without a duration, nor of one outside the segment. */
GST_START_TEST (test_passthrough)
{
  static const gchar *const caps[] = {
    S16_STEREO_CAPS,
    "audio/x-raw, format=" GST_AUDIO_NE (F32) ", rate=44100, channels=2, "
        "layout=interleaved",
    "audio/x-raw, format=" GST_AUDIO_NE (S24) ", rate=48000, channels=1, "
        "layout=interleaved",
    "audio/x-raw, format=" GST_AUDIO_NE (F64) ", rate=8000, channels=8, "
        "channel-mask=(bitmask)0xc3f, layout=interleaved",
  };
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  GstSegment segment;
  guint c, i, j;

  gst_segment_init (&segment, GST_FORMAT_TIME);
  segment.start = GST_SECOND / 2;
  for (c = 0; c < G_N_ELEMENTS (caps); c++) {
    GstHarness *h = gst_harness_new ("semblance");
    g_autoptr (GstCaps) gcaps = gst_caps_from_string (caps[c]);
    GstAudioInfo info;

    fail_unless (gst_audio_info_from_caps (&info, gcaps));
    gst_harness_set_src_caps (h, g_steal_pointer (&gcaps));
    fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
    for (i = 0; i < 3; i++) {
      gsize size = 1000 * GST_AUDIO_INFO_BPF (&info);
      g_autofree guint8 *bytes = g_malloc (size);
      GstBuffer *in, *out;

      /* Random bytes: for float formats these include NaNs and infinities,
       * which must leave untouched too. */
      for (j = 0; j < size; j++)
        bytes[j] = g_rand_int_range (rand, 0, 256);
      in = gst_buffer_new_memdup (bytes, size);
      GST_BUFFER_PTS (in) = i * GST_SECOND;
      gst_buffer_ref (in);

      fail_unless_equals_int (gst_harness_push (h, in), GST_FLOW_OK);
      out = gst_harness_try_pull (h);
      fail_unless (out == in, "%s: buffer %u was replaced", caps[c], i);
      fail_unless_equals_uint64 (gst_buffer_get_size (out), size);
      fail_unless (gst_buffer_memcmp (out, 0, bytes, size) == 0);
      gst_buffer_unref (out);
      gst_buffer_unref (in);
    }
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

/* 10 s of a sine in 100 ms buffers, then EOS. */
static GPtrArray *
analyse_sine (guint64 interval, gboolean post_messages)
{
  gsize n = 10 * RATE;
  g_autofree float *x = signal_sine (RATE, n, 440.0, 0.5);
  GPtrArray *messages;
  Fixture f;

  fixture_init (&f, interval, FALSE);
  g_object_set (f.h->element, "post-messages", post_messages, NULL);
  push_signal (&f, x, n);
  push_eos (&f);
  messages = pop_messages (f.bus);
  fixture_clear (&f);
  return messages;
}

/* A span's partial message waits for the next sample, and the final message
 * replaces the last one: a track of T gives ceil (T / interval) - 1 partial
 * messages and a final one, whose spans tile the track. */
GST_START_TEST (test_message_count)
{
  g_autoptr (GPtrArray) seconds = analyse_sine (GST_SECOND, TRUE);
  g_autoptr (GPtrArray) odd = analyse_sine (750 * GST_MSECOND, TRUE);
  g_autoptr (GPtrArray) final_only = analyse_sine (0, TRUE);
  g_autoptr (GPtrArray) quiet = analyse_sine (GST_SECOND, FALSE);
  guint k;

  fail_unless_equals_int (seconds->len, 10);
  for (k = 0; k < 9; k++)
    assert_span (seconds->pdata[k], FALSE, k + 1.0, k * GST_SECOND, GST_SECOND);
  assert_span (seconds->pdata[9], TRUE, 10.0, 9 * GST_SECOND, GST_SECOND);

  /* 750 ms does not divide the 100 ms buffers: spans end inside them. */
  fail_unless_equals_int (odd->len, 14);
  for (k = 0; k < 13; k++)
    assert_span (odd->pdata[k], FALSE, 0.75 * (k + 1),
        k * 750 * GST_MSECOND, 750 * GST_MSECOND);
  assert_span (odd->pdata[13], TRUE, 10.0, 9750 * GST_MSECOND,
      250 * GST_MSECOND);

  fail_unless_equals_int (final_only->len, 1);
  assert_span (final_only->pdata[0], TRUE, 10.0, 0, 10 * GST_SECOND);
  fail_unless_equals_uint64 (get_time (final_only->pdata[0], "running-time"),
      0);
  fail_unless_equals_uint64 (get_time (final_only->pdata[0], "stream-time"), 0);

  fail_unless_equals_int (quiet->len, 0);
}

GST_END_TEST;

/* The interval can change while playing; a span already longer than the new
 * interval ends at the next sample. */
GST_START_TEST (test_interval_change)
{
  gsize n = 5 * RATE;
  g_autofree float *x = signal_sine (RATE, n, 440.0, 0.5);
  g_autoptr (GPtrArray) messages = NULL;
  Fixture f;

  fixture_init (&f, 0, FALSE);
  push_signal (&f, x, n);
  g_object_set (f.h->element, "interval", 2 * GST_SECOND, NULL);
  push_signal (&f, x, n);
  push_eos (&f);
  messages = pop_messages (f.bus);
  fixture_clear (&f);

  fail_unless_equals_int (messages->len, 4);
  assert_span (messages->pdata[0], FALSE, 5.0, 0, 5 * GST_SECOND);
  assert_span (messages->pdata[1], FALSE, 7.0, 5 * GST_SECOND, 2 * GST_SECOND);
  assert_span (messages->pdata[2], FALSE, 9.0, 7 * GST_SECOND, 2 * GST_SECOND);
  assert_span (messages->pdata[3], TRUE, 10.0, 9 * GST_SECOND, GST_SECOND);
}

GST_END_TEST;

static void
assert_matches (GstMessage * m, const SemblanceProperties * p)
{
  const GstStructure *s = gst_message_get_structure (m);
  float features[SEMBLANCE_FEATURE_DIM];
  g_autofree gchar *key = g_strdup_printf ("%s %s",
      semblance_key_pitch_name (p->key), p->major ? "major" : "minor");
  char flags[64];
  guint version = 0, typed_flags = 0;
  gint key_index = -2;

  get_features (m, features);
  fail_unless (memcmp (features, p->vector, sizeof features) == 0,
      "features differ from the analyzer's");
  fail_unless (gst_structure_get_uint (s, "layout-version", &version));
  fail_unless_equals_int (version, SEMBLANCE_LAYOUT_VERSION);
  fail_unless_equals_int (version, p->layout_version);
  fail_unless_equals_string (gst_structure_get_string (s, "key"), key);
  fail_unless_equals_string (gst_structure_get_string (s, "flags"),
      semblance_flags_to_string (p->flags, flags, sizeof flags));
  /* The same flags typed, and the key as numbers. */
  fail_unless (gst_structure_get_flags (s, "semblance-flags",
          SEMBLANCE_TYPE_FLAGS, &typed_flags));
  fail_unless_equals_int (typed_flags, p->flags);
  fail_unless (gst_structure_get_int (s, "key-index", &key_index));
  fail_unless_equals_int (key_index, p->key);
  fail_unless_equals_string (gst_structure_get_string (s, "mode"),
      p->major ? "major" : "minor");
  fail_unless (get_double (m, "seconds") == p->seconds);
  fail_unless (get_double (m, "tempo") == p->tempo);
  fail_unless (get_double (m, "pulse-clarity") == p->pulse_clarity);
  fail_unless (get_double (m, "key-strength") == p->key_strength);
  fail_unless (get_double (m, "loudness") == p->loudness);
  fail_unless (get_double (m, "loudness-range") == p->loudness_range);
  fail_unless (get_double (m, "brightness") == p->brightness);
}

/* Every message holds what the analyzer computes from the same audio, and
 * its times follow the segment. */
GST_START_TEST (test_message_contents)
{
  const gsize n = 20 * RATE, part = 5 * RATE;
  g_autofree float *x = signal_clicks (RATE, n, 120.0);
  g_autoptr (GPtrArray) messages = NULL;
  SemblanceProperties expected[4];
  GstElement *element;
  Fixture f;
  guint k;

  fixture_init (&f, 5 * GST_SECOND, TRUE);
  element = f.h->element;
  /* Audio from 1 s, shown as the minute mark of the stream. */
  push_segment (&f, GST_SECOND, 60 * GST_SECOND);
  for (k = 0; k < 4; k++) {
    push_signal (&f, x + k * part, part);
    semblance_analyzer_get_properties (f.reference, &expected[k]);
  }
  push_eos (&f);
  messages = pop_messages (f.bus);
  fixture_clear (&f);

  fail_unless_equals_int (messages->len, 4);
  for (k = 0; k < 4; k++) {
    GstMessage *m = messages->pdata[k];

    /* The message holds a reference to its source. */
    fail_unless (GST_MESSAGE_SRC (m) == GST_OBJECT (element));
    assert_span (m, k == 3, 5.0 * (k + 1), (1 + 5 * k) * GST_SECOND,
        5 * GST_SECOND);
    fail_unless_equals_uint64 (get_time (m, "running-time"),
        5 * k * GST_SECOND);
    fail_unless_equals_uint64 (get_time (m, "stream-time"),
        (60 + 5 * k) * GST_SECOND);
    assert_matches (m, &expected[k]);
  }
  assert_equals_float (expected[3].seconds, 20.0);
  fail_unless (fabs (get_double (messages->pdata[3], "tempo") - 120.0) < 1.0,
      "tempo %f", get_double (messages->pdata[3], "tempo"));
}

GST_END_TEST;

/* A new stream-start ends the track and starts a new analysis; the same
 * stream-start sent again does not. */
GST_START_TEST (test_stream_start)
{
  g_autofree float *sine = signal_sine (RATE, 5 * RATE, 440.0, 0.5);
  g_autofree float *noise = signal_white_noise (RATE, 3 * RATE, 0.5, 1);
  g_autoptr (GPtrArray) track1 = NULL;
  g_autoptr (GPtrArray) track2 = NULL;
  gdouble brightness;
  Fixture f;

  fixture_init (&f, 0, FALSE);
  push_signal (&f, sine, 5 * RATE);
  fail_unless (gst_harness_push_event (f.h,
          gst_event_new_stream_start ("track-2")));
  track1 = pop_messages (f.bus);
  fail_unless_equals_int (track1->len, 1);
  assert_span (track1->pdata[0], TRUE, 5.0, 0, 5 * GST_SECOND);
  assert_equals_float (get_double (track1->pdata[0], "seconds"), 5.0);
  brightness = get_double (track1->pdata[0], "brightness");
  fail_unless (fabs (brightness - 440.0) < 10.0, "brightness %f", brightness);

  push_segment (&f, 0, 0);
  push_signal (&f, noise, RATE);
  fail_unless (gst_harness_push_event (f.h,
          gst_event_new_stream_start ("track-2")));
  push_signal (&f, noise + RATE, 2 * RATE);
  push_eos (&f);
  track2 = pop_messages (f.bus);
  fixture_clear (&f);

  fail_unless_equals_int (track2->len, 1);
  assert_span (track2->pdata[0], TRUE, 3.0, 0, 3 * GST_SECOND);
  brightness = get_double (track2->pdata[0], "brightness");
  fail_unless (brightness > 3000.0, "brightness %f", brightness);
  assert_features_finite (track2->pdata[0]);
}

GST_END_TEST;

/* A flushing seek cuts the signal but not the track: the statistics go on,
 * as with semblance_analyzer_discont() between the two parts. */
GST_START_TEST (test_flush)
{
  const gsize n1 = 3 * RATE, n2 = 2 * RATE;
  g_autofree float *x = signal_clicks (RATE, n1 + n2, 120.0);
  g_autoptr (GPtrArray) flushed = NULL;
  g_autoptr (GPtrArray) messages = NULL;
  SemblanceProperties expected;
  Fixture f;

  fixture_init (&f, 0, TRUE);
  push_signal (&f, x, n1);
  fail_unless (gst_harness_push_event (f.h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (f.h, gst_event_new_flush_stop (TRUE)));
  flushed = pop_messages (f.bus);
  fail_unless_equals_int (flushed->len, 0);
  semblance_analyzer_discont (f.reference);
  push_segment (&f, 30 * GST_SECOND, 30 * GST_SECOND);
  push_signal (&f, x + n1, n2);
  push_eos (&f);
  messages = pop_messages (f.bus);
  semblance_analyzer_get_properties (f.reference, &expected);
  fixture_clear (&f);

  fail_unless_equals_int (messages->len, 1);
  /* The span began before the seek: its duration counts analysed audio. */
  assert_span (messages->pdata[0], TRUE, 5.0, 0, 5 * GST_SECOND);
  assert_features_finite (messages->pdata[0]);
  assert_matches (messages->pdata[0], &expected);
}

GST_END_TEST;

/* Seeks back play a stretch again: it counts once, so that a track heard
 * to its end after seeking back claims its length, not more. */
GST_START_TEST (test_seek_back)
{
  const gsize n = 32 * RATE;
  g_autofree float *x = signal_clicks (RATE, n, 120.0);
  g_autoptr (GPtrArray) messages = NULL;
  Fixture f;
  int seek;

  fixture_init (&f, 0, FALSE);
  push_signal (&f, x, 20 * RATE);
  /* Back to 5 s, then to 12 s, each played on to 20 s and beyond. */
  for (seek = 0; seek < 2; seek++) {
    GstClockTime to = (seek ? 12 : 5) * GST_SECOND;

    fail_unless (gst_harness_push_event (f.h, gst_event_new_flush_start ()));
    fail_unless (gst_harness_push_event (f.h,
            gst_event_new_flush_stop (TRUE)));
    push_segment (&f, to, to);
    push_signal (&f, x + GST_CLOCK_TIME_TO_FRAMES (to, RATE),
        GST_CLOCK_TIME_TO_FRAMES (20 * GST_SECOND - to, RATE));
  }
  push_signal (&f, x + 20 * RATE, 12 * RATE);
  push_eos (&f);
  messages = pop_messages (f.bus);
  fixture_clear (&f);

  fail_unless_equals_int (messages->len, 1);
  fail_unless (fabs (get_double (messages->pdata[0], "seconds") - 32.0) < 1e-6,
      "seconds %f", get_double (messages->pdata[0], "seconds"));
}

GST_END_TEST;

/* A track of gaps only still ends with its final message. */
GST_START_TEST (test_gaps_only)
{
  g_autoptr (GPtrArray) messages = NULL;
  Fixture f;
  int i;

  fixture_init (&f, GST_SECOND, FALSE);
  push_segment (&f, 0, 0);
  for (i = 0; i < 10; i++)
    fail_unless (gst_harness_push_event (f.h, gst_event_new_gap (i *
                GST_SECOND, GST_SECOND)));
  push_eos (&f);
  messages = pop_messages (f.bus);
  fixture_clear (&f);

  fail_unless_equals_int (messages->len, 1);
  fail_unless (is_final (messages->pdata[0]));
  fail_unless_equals_float (get_double (messages->pdata[0], "seconds"), 0.0);
  fail_unless_equals_uint64 (get_time (messages->pdata[0], "timestamp"), 0);
}

GST_END_TEST;

/* interval=1 does not post a message per sample frame. */
GST_START_TEST (test_tiny_interval)
{
  g_autoptr (GPtrArray) messages = analyse_sine (1, TRUE);

  /* 10 s in spans of 100 ms. */
  fail_unless_equals_int (messages->len, 100);
  assert_span (messages->pdata[0], FALSE, 0.1, 0, 100 * GST_MSECOND);
}

GST_END_TEST;

/* A DISCONT buffer and a GAP buffer cut the signal too; a gap is not
 * analysed. */
GST_START_TEST (test_discont_and_gap)
{
  const gsize n = 2 * RATE;
  g_autofree float *x = signal_clicks (RATE, 3 * n, 120.0);
  g_autofree float *zeros = g_new0 (float, n);
  g_autoptr (GPtrArray) messages = NULL;
  SemblanceProperties expected;
  GstBuffer *buf;
  Fixture f;

  fixture_init (&f, 0, TRUE);
  push_signal (&f, x, n);

  buf = buffer_s16_stereo (x + n, BUFFER_FRAMES, f.pts);
  GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
  semblance_analyzer_discont (f.reference);
  push_buffer (&f, buf);
  f.pts += GST_FRAMES_TO_CLOCK_TIME (BUFFER_FRAMES, RATE);
  push_signal (&f, x + n + BUFFER_FRAMES, n - BUFFER_FRAMES);

  buf = buffer_s16_stereo (zeros, n, f.pts);
  GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_GAP);
  semblance_analyzer_discont (f.reference);
  push_buffer (&f, buf);
  f.pts += 2 * GST_SECOND;
  push_signal (&f, x + 2 * n, n);
  push_eos (&f);
  messages = pop_messages (f.bus);
  semblance_analyzer_get_properties (f.reference, &expected);
  fixture_clear (&f);

  fail_unless_equals_int (messages->len, 1);
  assert_span (messages->pdata[0], TRUE, 6.0, 0, 6 * GST_SECOND);
  assert_matches (messages->pdata[0], &expected);
}

GST_END_TEST;

/* The same caps again leave the track alone; another format ends it, as
 * the analysis cannot go on across the change. */
GST_START_TEST (test_caps_change)
{
  g_autofree float *x = signal_sine (48000, 48000, 440.0, 0.5);
  g_autoptr (GPtrArray) messages = NULL;
  GstBuffer *buf;
  Fixture f;

  fixture_init (&f, 0, FALSE);
  push_signal (&f, x, RATE);
  gst_harness_set_src_caps_str (f.h, S16_STEREO_CAPS);
  push_signal (&f, x, RATE);
  gst_harness_set_src_caps_str (f.h, "audio/x-raw, format="
      GST_AUDIO_NE (F32) ", rate=48000, channels=1, layout=interleaved");
  buf = gst_buffer_new_memdup (x, 48000 * sizeof (float));
  GST_BUFFER_PTS (buf) = 0;
  fail_unless_equals_int (gst_harness_push (f.h, buf), GST_FLOW_OK);
  push_eos (&f);
  messages = pop_messages (f.bus);
  fixture_clear (&f);

  fail_unless_equals_int (messages->len, 2);
  assert_span (messages->pdata[0], TRUE, 2.0, 0, 2 * GST_SECOND);
  assert_span (messages->pdata[1], TRUE, 1.0, 0, GST_SECOND);
  fail_unless (fabs (get_double (messages->pdata[1], "brightness") - 440.0)
      < 10.0);
}

GST_END_TEST;

/* Runs @pipeline to EOS and returns its 'semblance' messages. */
static GPtrArray *
run_to_eos (GstElement * pipeline)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  GPtrArray *messages =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gst_message_unref);
  gboolean eos = FALSE;

  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  while (!eos) {
    GstMessage *m = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);

    fail_unless (m != NULL, "no EOS within 10 s");
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
      g_autoptr (GError) error = NULL;
      g_autofree gchar *debug = NULL;

      gst_message_parse_error (m, &error, &debug);
      fail ("error from %s: %s (%s)", GST_MESSAGE_SRC_NAME (m),
          error->message, debug);
    }
    eos = GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS;
    if (gst_message_has_name (m, "semblance")) {
      fail_unless (G_TYPE_CHECK_INSTANCE_TYPE (GST_MESSAGE_SRC (m),
              g_type_from_name ("GstSemblance")));
      g_ptr_array_add (messages, m);
    } else {
      gst_message_unref (m);
    }
  }
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  return messages;
}

static void
assert_one_final (GPtrArray * messages, gdouble seconds)
{
  GstMessage *final = NULL;
  guint i;

  for (i = 0; i < messages->len; i++) {
    if (is_final (messages->pdata[i])) {
      fail_unless (final == NULL, "more than one final message");
      final = messages->pdata[i];
    }
  }
  fail_unless (final != NULL, "no final message");
  fail_unless (final == messages->pdata[messages->len - 1]);
  fail_unless (fabs (get_double (final, "seconds") - seconds) < 0.1,
      "seconds %f", get_double (final, "seconds"));
  assert_features_finite (final);
}

static gchar *
demo_path (const gchar * name)
{
  const gchar *dir = g_getenv ("SEMBLANCE_DEMO_DIR");

  fail_unless (dir != NULL, "SEMBLANCE_DEMO_DIR is not set");
  return g_build_filename (dir, name, NULL);
}

/* A decoding pipeline, as fast as it can run. */
GST_START_TEST (test_pipeline)
{
  g_autofree gchar *path = demo_path ("sad.ogg");
  g_autofree gchar *description = g_strdup_printf ("filesrc location=\"%s\" "
      "! decodebin ! audioconvert ! semblance ! fakesink sync=false", path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr (GPtrArray) messages = NULL;

  g_assert_no_error (error);
  messages = run_to_eos (pipeline);
  assert_one_final (messages, 20.0);
}

GST_END_TEST;

/* The playbin form of the documentation, with sinks that do not wait. */
GST_START_TEST (test_playbin)
{
  g_autofree gchar *path = demo_path ("sad.ogg");
  g_autofree gchar *uri = gst_filename_to_uri (path, NULL);
  g_autofree gchar *description = g_strdup_printf ("playbin uri=\"%s\" "
      "audio-filter=semblance video-sink=fakesink "
      "audio-sink=\"fakesink sync=false\"", uri);
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr (GPtrArray) messages = NULL;

  g_assert_no_error (error);
  messages = run_to_eos (pipeline);
  assert_one_final (messages, 20.0);
}

GST_END_TEST;

/* A WAVE_FORMAT_EXTENSIBLE file of @seconds of sines, 16 bits, @channels
 * at @rate, placed by @mask, as recorders and converters write them. */
static void
write_wav (const gchar * path, gint rate, gint channels, guint32 mask,
    gdouble seconds)
{
  static const guint8 pcm_guid[16] = { 1, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0,
    0xaa, 0, 0x38, 0x9b, 0x71
  };
  guint frames = (guint) (rate * seconds), i, c;
  guint32 data = frames * channels * 2;
  gsize size = 68 + data;
  g_autofree guint8 *b = g_malloc0 (size);
  guint8 *samples = b + 68;

  memcpy (b, "RIFF", 4);
  GST_WRITE_UINT32_LE (b + 4, size - 8);
  memcpy (b + 8, "WAVEfmt ", 8);
  GST_WRITE_UINT32_LE (b + 16, 40);
  GST_WRITE_UINT16_LE (b + 20, 0xfffe);
  GST_WRITE_UINT16_LE (b + 22, channels);
  GST_WRITE_UINT32_LE (b + 24, rate);
  GST_WRITE_UINT32_LE (b + 28, rate * channels * 2);
  GST_WRITE_UINT16_LE (b + 32, channels * 2);
  GST_WRITE_UINT16_LE (b + 34, 16);
  GST_WRITE_UINT16_LE (b + 36, 22);
  GST_WRITE_UINT16_LE (b + 38, 16);
  GST_WRITE_UINT32_LE (b + 40, mask);
  memcpy (b + 44, pcm_guid, 16);
  memcpy (b + 60, "data", 4);
  GST_WRITE_UINT32_LE (b + 64, data);
  for (i = 0; i < frames; i++)
    for (c = 0; c < (guint) channels; c++)
      GST_WRITE_UINT16_LE (samples + 2 * (i * channels + c),
          (guint16) (gint16) (8000 * sin (2 * G_PI * 220.0 * (c + 1) * i /
                  rate)));
  fail_unless (g_file_set_contents (path, (gchar *) b, size, NULL));
}

/* Audio the analysis can reduce plays through the filter: in a player the
 * element sees what the decoder gives, before any converter. */
GST_START_TEST (test_playbin_any_format)
{
  const struct
  {
    gint rate, channels;
    guint32 mask;
  } formats[] = { { 44100, 10, 0x3ff }, { 384000, 2, 0x3 }, { 8000, 1, 0x4 } };
  g_autofree gchar *dir = g_dir_make_tmp ("semblance-element-XXXXXX", NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    g_autofree gchar *name = g_strdup_printf ("%d-%d.wav", formats[i].rate,
        formats[i].channels);
    g_autofree gchar *path = g_build_filename (dir, name, NULL);
    g_autofree gchar *uri = gst_filename_to_uri (path, NULL);
    g_autofree gchar *description = g_strdup_printf ("playbin uri=\"%s\" "
        "audio-filter=semblance video-sink=fakesink "
        "audio-sink=\"fakesink sync=false\"", uri);
    g_autoptr (GError) error = NULL;
    g_autoptr (GstElement) pipeline = NULL;
    g_autoptr (GPtrArray) messages = NULL;

    write_wav (path, formats[i].rate, formats[i].channels, formats[i].mask,
        2.0);
    pipeline = gst_parse_launch (description, &error);
    g_assert_no_error (error);
    messages = run_to_eos (pipeline);
    assert_one_final (messages, 2.0);
    g_unlink (path);
  }
  g_rmdir (dir);
}

GST_END_TEST;

/* With a model, messages carry its id and the property vector it makes of
 * the features; a model that cannot be loaded stops the pipeline. */
GST_START_TEST (test_model)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-element-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "model.smodel", NULL);
  g_autofree char *launch = g_strdup_printf ("semblance interval=0 "
      "model=\"%s\"", path);
  g_autofree float *x = signal_sine (RATE, 2 * RATE, 440.0, 0.5);
  g_autofree float *features = g_new (float, SEMBLANCE_FEATURE_DIM);
  g_autofree float *expected = NULL;
  g_autoptr (SemblanceModel) model = semblance_model_new_empty (4, 2, 0);
  g_autoptr (SemblanceEmbedder) embedder = NULL;
  g_autoptr (GPtrArray) messages = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) broken = NULL;
  g_autoptr (GstBus) broken_bus = NULL;
  g_autoptr (GstMessage) failure = NULL;
  const GstStructure *s;
  const GValue *vector, *feature_values;
  Fixture f;
  gsize i;

  for (i = 0; i < model->n_params; i++)
    model->params[i] = (float) sin (i * 0.37);
  g_free (model->card.license);
  model->card.license = g_strdup ("CC0-1.0");
  fail_unless (semblance_model_save (model, path, &error));
  embedder = semblance_embedder_new_from_file (path, &error);
  g_assert_no_error (error);

  f.h = gst_harness_new_parse (launch);
  f.bus = gst_bus_new ();
  f.reference = NULL;
  gst_element_set_bus (f.h->element, f.bus);
  gst_harness_set_src_caps_str (f.h, S16_STEREO_CAPS);
  gst_harness_set_drop_buffers (f.h, TRUE);
  f.pts = 0;
  push_signal (&f, x, 2 * RATE);
  push_eos (&f);
  messages = pop_messages (f.bus);
  fixture_clear (&f);

  fail_unless_equals_int (messages->len, 1);
  s = gst_message_get_structure (messages->pdata[0]);
  fail_unless_equals_string (gst_structure_get_string (s, "model"),
      semblance_model_get_id (semblance_embedder_get_model (embedder)));
  feature_values = gst_structure_get_value (s, "features");
  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++)
    features[i] = g_value_get_float (gst_value_array_get_value
        (feature_values, i));
  expected = g_new (float, semblance_embedder_get_dim (embedder));
  semblance_embedder_embed (embedder, features, 1, expected);
  vector = gst_structure_get_value (s, "property-vector");
  fail_unless_equals_int (gst_value_array_get_size (vector), 10);
  for (i = 0; i < 10; i++)
    assert_equals_float (g_value_get_float (gst_value_array_get_value (vector,
                i)), expected[i]);

  broken = gst_parse_launch ("audiotestsrc num-buffers=5 ! semblance "
      "model=/nonexistent/model.smodel ! fakesink", &error);
  g_assert_no_error (error);
  broken_bus = gst_element_get_bus (broken);
  gst_element_set_state (broken, GST_STATE_PLAYING);
  failure = gst_bus_timed_pop_filtered (broken_bus, 10 * GST_SECOND,
      GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  fail_unless (failure && GST_MESSAGE_TYPE (failure) == GST_MESSAGE_ERROR);
  gst_element_set_state (broken, GST_STATE_NULL);

  g_unlink (path);
  g_rmdir (dir);
}

GST_END_TEST;

/* Whether the last message of a run of @launch carries a property
 * vector. */
static gboolean
final_has_vector (const char *launch)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = gst_parse_launch (launch, &error);
  g_autoptr (GstBus) bus = NULL;
  gboolean has = FALSE, final = FALSE;

  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (;;) {
    g_autoptr (GstMessage) m = gst_bus_timed_pop_filtered (bus,
        10 * GST_SECOND, GST_MESSAGE_ELEMENT | GST_MESSAGE_EOS
        | GST_MESSAGE_ERROR);
    const GstStructure *s;

    fail_unless (m && GST_MESSAGE_TYPE (m) != GST_MESSAGE_ERROR);
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS)
      break;
    s = gst_message_get_structure (m);
    if (gst_structure_has_name (s, "semblance")) {
      has = gst_structure_has_field (s, "property-vector");
      final = TRUE;
    }
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  fail_unless (final);
  return has;
}

/* "none" and "default" name no model and the default one where a
 * gst-launch-1.0 line cannot give an empty string without quoting. */
GST_START_TEST (test_model_words)
{
  fail_if (final_has_vector ("audiotestsrc num-buffers=100 ! semblance "
          "model=none ! fakesink"));
  fail_unless (final_has_vector ("audiotestsrc num-buffers=100 ! semblance "
          "model=default ! fakesink"));
}

GST_END_TEST;

static Suite *
semblance_suite (void)
{
  Suite *s = suite_create ("semblance");
  TCase *element = tcase_create ("element");
  TCase *pipelines = tcase_create ("pipelines");

  suite_add_tcase (s, element);
  tcase_add_test (element, test_passthrough);
  tcase_add_test (element, test_message_count);
  tcase_add_test (element, test_interval_change);
  tcase_add_test (element, test_seek_back);
  tcase_add_test (element, test_gaps_only);
  tcase_add_test (element, test_tiny_interval);
  tcase_add_test (element, test_message_contents);
  tcase_add_test (element, test_stream_start);
  tcase_add_test (element, test_flush);
  tcase_add_test (element, test_discont_and_gap);
  tcase_add_test (element, test_caps_change);
  tcase_add_test (element, test_model);
  tcase_add_test (element, test_model_words);

  suite_add_tcase (s, pipelines);
  /* Sanitizer builds decode several times slower. */
  tcase_set_timeout (pipelines, 60);
  tcase_add_test (pipelines, test_pipeline);
  tcase_add_test (pipelines, test_playbin);
  tcase_add_test (pipelines, test_playbin_any_format);
  return s;
}

int
main (int argc, char **argv)
{
#ifdef __SANITIZE_ADDRESS__
  /* The system's plugin scanner, built without the sanitizers, cannot load
   * the instrumented plugin and would blacklist it in the registry that the
   * tests share; scanning in this process instead would load every system
   * plugin. Load just this one here. */
  g_autofree gchar *plugin_dir = g_strdup (g_getenv ("GST_PLUGIN_PATH_1_0"));
  g_autofree gchar *plugin_path = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GstPlugin) plugin = NULL;

  g_assert_nonnull (plugin_dir);
  g_unsetenv ("GST_PLUGIN_PATH_1_0");
  gst_check_init (&argc, &argv);
  plugin_path = g_build_filename (plugin_dir, "libgstsemblance.so", NULL);
  plugin = gst_plugin_load_file (plugin_path, &error);
  g_assert_no_error (error);
#else
  gst_check_init (&argc, &argv);
#endif
  return gst_check_run_suite (semblance_suite (), "semblance", __FILE__);
}
