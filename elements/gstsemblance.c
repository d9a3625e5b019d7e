/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-semblance
 * @title: semblance
 * @short_description: measures the tempo, key, loudness and timbre of music
 *
 * semblance passes audio through unchanged and analyses it with the
 * Semblance engine: the headline properties of the music (tempo, key,
 * loudness, brightness) and the feature vector that Semblance compares
 * tracks by. If #GstSemblance:post-messages is %TRUE, it posts element
 * messages named `semblance` on the bus: a partial one after every
 * #GstSemblance:interval of analysed audio, and a final one at the end of
 * each track.
 *
 * Every message describes the track from its first sample up to the last
 * one analysed. The message also reports its span: the audio analysed since
 * the previous message of the track, or since the track began. The
 * structure holds these fields:
 *
 * * #GstClockTime `timestamp`: the timestamp of the first sample of the span.
 * * #GstClockTime `stream-time`: the stream time of that sample.
 * * #GstClockTime `running-time`: the running time of that sample.
 * * #GstClockTime `duration`: how much audio the span holds.
 * * #gdouble `seconds`: how much of the track has been analysed: audio
 *   heard again after a seek back counts once, so that a track heard to
 *   its end never claims more than its length.
 * * #gboolean `final`: %TRUE for the message that ends a track.
 * * #guint `layout-version`: the version of the layout of `features`.
 * * #gchararray `flags`: caveats about the values, such as `silent,short`;
 *   empty when there are none.
 * * #SemblanceFlags `semblance-flags`: the same caveats, typed.
 * * #gdouble `tempo`: beats per minute, 0 when there is no pulse.
 * * #gdouble `pulse-clarity`: how clear the beat is, from 0 to 1.
 * * #gchararray `key`: the estimated key, such as `A minor`.
 * * #gint `key-index`: its tonic as a pitch class, 0 for C to 11 for B; -1
 *   when the music has no key.
 * * #gchararray `mode`: `major` or `minor`; empty when there is no key.
 * * #gdouble `key-strength`: how well the music fits that key, -1 to 1.
 * * #gdouble `loudness`: the integrated loudness, in LUFS.
 * * #gdouble `loudness-range`: the loudness range, in LU.
 * * #gdouble `brightness`: the mean spectral centroid, in Hz.
 * * #GstValueArray of #gfloat `features`: the feature vector, in the layout
 *   given by `layout-version`.
 * * #gchararray `model`, #GstValueArray of #gfloat `property-vector`: with a
 *   model (#GstSemblance:model), its id and the property vector it makes
 *   of the features, in which music that feels alike lies close.
 *
 * Time is counted in samples, so messages come at the same points of the
 * music however fast the pipeline runs. Once a span holds `interval` of
 * audio, its partial message is posted when the next sample arrives; at the
 * end of a track the final message takes the place of the last partial one.
 * A track of length T thus gives ceil (T / `interval`) - 1 partial messages
 * and one final message, and no two messages of a track share a sample.
 * Without seeks, the span of a message runs from `timestamp` to `timestamp`
 * + `duration`.
 *
 * A track ends at EOS, and when a stream-start event with a new stream id or
 * group id arrives, as in gapless playback: the final message is posted if
 * any audio or gap came (a track of gaps only gets one with `seconds` 0),
 * and the analysis starts afresh. Caps with another
 * format end the track too, since the analysis cannot go on across the
 * change. A flushing seek, a buffer marked DISCONT or a gap tells the
 * analysis that the signal jumps, so that no onset is detected across the
 * cut; the statistics of the track are kept. A pipeline stopped before the
 * end of a track posts no final message.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 -m uridecodebin uri=file:///path/to/music.ogg ! audioconvert ! semblance interval=5000000000 ! fakesink
 * ]| Prints a message for every five seconds of music, and the final one.
 * |[
 * gst-launch-1.0 -m playbin uri=file:///path/to/music.ogg audio-filter=semblance
 * ]| Plays the music and analyses it on the way.
 */

#include "gstsemblance.h"

#include "semblance-analyzer.h"
#include "semblance-embedder.h"
#include "semblance-enums.h"

GST_DEBUG_CATEGORY_STATIC (gst_semblance_debug);
#define GST_CAT_DEFAULT gst_semblance_debug

#define DEFAULT_INTERVAL (10 * GST_SECOND)
#define DEFAULT_POST_MESSAGES TRUE

/* Whatever the analysis converts: as a filter in a player the element
 * sees the decoder's output before any converter, and refusing a format
 * would stop playback (a 10-channel or a 384 kHz file did). */
#define ALLOWED_CAPS \
  "audio/x-raw, " \
  "format = (string) " GST_AUDIO_FORMATS_ALL ", " \
  "rate = (int) [ " G_STRINGIFY (SEMBLANCE_MIN_RATE) ", " \
  G_STRINGIFY (SEMBLANCE_MAX_RATE) " ], " \
  "channels = (int) [ 1, " G_STRINGIFY (SEMBLANCE_MAX_CHANNELS) " ], " \
  "layout = (string) interleaved"

/* Shorter intervals would post a message for every few samples (interval=1
 * posted one per sample frame), each with the whole feature vector. */
#define MIN_INTERVAL (100 * GST_MSECOND)

enum
{
  PROP_0,
  PROP_INTERVAL,
  PROP_POST_MESSAGES,
  PROP_MODEL,
};

struct _GstSemblance
{
  GstBaseTransform parent;

  /* properties, under the object lock */
  guint64 interval;
  gboolean post_messages;
  gchar *model;

  /* Only the streaming thread touches the rest, or stop() once streaming
   * has ended. */
  GstAudioInfo info;            /* of the negotiated caps */
  SemblanceAnalyzer *analyzer;
  SemblanceEmbedder *embedder;
  gchar *model_id;
  /* samples analysed since the last reset or discontinuity */
  gboolean continuing;
  /* the timestamp after the last buffer, for buffers without one */
  GstClockTime next_ts;

  guint64 span_frames;
  GstClockTime span_ts, span_stream_time, span_running_time;

  /* What of the track was analysed: stretches of timestamps, sorted and
   * apart, and frames that came without any. */
  GArray *covered;
  guint64 untimed_frames;
  /* the first gap of a track that has had nothing else yet */
  gboolean gap_only;
  GstClockTime gap_ts;

  gchar *stream_id;
  gboolean has_group_id;
  guint group_id;
};

#define gst_semblance_parent_class parent_class
G_DEFINE_TYPE (GstSemblance, gst_semblance, GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE (semblance, "semblance", GST_RANK_NONE,
    GST_TYPE_SEMBLANCE);

static void
gst_semblance_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSemblance *self = GST_SEMBLANCE (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_INTERVAL:
      self->interval = g_value_get_uint64 (value);
      break;
    case PROP_POST_MESSAGES:
      self->post_messages = g_value_get_boolean (value);
      break;
    case PROP_MODEL:
      g_free (self->model);
      self->model = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_semblance_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstSemblance *self = GST_SEMBLANCE (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_INTERVAL:
      g_value_set_uint64 (value, self->interval);
      break;
    case PROP_POST_MESSAGES:
      g_value_set_boolean (value, self->post_messages);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

typedef struct
{
  GstClockTime start, end;
} Stretch;

/* Adds [@start, @end) to the covered stretches, merging what overlaps. */
static void
gst_semblance_cover (GstSemblance * self, GstClockTime start,
    GstClockTime end)
{
  GArray *c = self->covered;
  guint i = 0, j;
  Stretch s = { start, end };

  while (i < c->len && g_array_index (c, Stretch, i).end < start)
    i++;
  for (j = i; j < c->len && g_array_index (c, Stretch, j).start <= end; j++) {
    s.start = MIN (s.start, g_array_index (c, Stretch, j).start);
    s.end = MAX (s.end, g_array_index (c, Stretch, j).end);
  }
  g_array_remove_range (c, i, j - i);
  g_array_insert_val (c, i, s);
}

static gdouble
gst_semblance_covered_seconds (GstSemblance * self)
{
  GstClockTime total = 0;
  guint i;

  for (i = 0; i < self->covered->len; i++)
    total += g_array_index (self->covered, Stretch, i).end -
        g_array_index (self->covered, Stretch, i).start;
  return (gdouble) total / GST_SECOND + (GST_AUDIO_INFO_RATE (&self->info)
      ? (gdouble) self->untimed_frames / GST_AUDIO_INFO_RATE (&self->info)
      : 0.0);
}

static void
gst_semblance_clear_track (GstSemblance * self)
{
  g_array_set_size (self->covered, 0);
  self->untimed_frames = 0;
  self->gap_only = FALSE;
  self->gap_ts = GST_CLOCK_TIME_NONE;
}

static void
gst_semblance_clear_stream (GstSemblance * self)
{
  self->continuing = FALSE;
  self->next_ts = GST_CLOCK_TIME_NONE;
  self->span_frames = 0;
  g_clear_pointer (&self->stream_id, g_free);
  self->has_group_id = FALSE;
  self->group_id = 0;
  gst_semblance_clear_track (self);
}

static GstMessage *
gst_semblance_message_new (GstSemblance * self, gboolean final)
{
  SemblanceProperties props;
  GstStructure *s;
  GValue features = G_VALUE_INIT;
  char flags[64];
  g_autofree gchar *key = NULL;
  gsize i;

  semblance_analyzer_get_properties (self->analyzer, &props);
  props.seconds = gst_semblance_covered_seconds (self);
  key = g_strdup_printf ("%s %s", semblance_key_pitch_name (props.key),
      props.major ? "major" : "minor");
  s = gst_structure_new ("semblance",
      "timestamp", GST_TYPE_CLOCK_TIME, self->span_ts,
      "stream-time", GST_TYPE_CLOCK_TIME, self->span_stream_time,
      "running-time", GST_TYPE_CLOCK_TIME, self->span_running_time,
      "duration", GST_TYPE_CLOCK_TIME,
      GST_FRAMES_TO_CLOCK_TIME (self->span_frames,
          GST_AUDIO_INFO_RATE (&self->info)),
      "seconds", G_TYPE_DOUBLE, props.seconds,
      "final", G_TYPE_BOOLEAN, final,
      "layout-version", G_TYPE_UINT, props.layout_version,
      "flags", G_TYPE_STRING,
      semblance_flags_to_string (props.flags, flags, sizeof flags),
      "semblance-flags", SEMBLANCE_TYPE_FLAGS, props.flags,
      "tempo", G_TYPE_DOUBLE, props.tempo,
      "pulse-clarity", G_TYPE_DOUBLE, props.pulse_clarity,
      "key", G_TYPE_STRING, key,
      "key-index", G_TYPE_INT, props.key,
      "mode", G_TYPE_STRING, props.major ? "major" : "minor",
      "key-strength", G_TYPE_DOUBLE, props.key_strength,
      "loudness", G_TYPE_DOUBLE, props.loudness,
      "loudness-range", G_TYPE_DOUBLE, props.loudness_range,
      "brightness", G_TYPE_DOUBLE, props.brightness, NULL);

  g_value_init (&features, GST_TYPE_ARRAY);
  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++) {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_FLOAT);
    g_value_set_float (&v, props.vector[i]);
    gst_value_array_append_and_take_value (&features, &v);
  }
  gst_structure_take_value (s, "features", &features);

  if (self->embedder) {
    guint dim = semblance_embedder_get_dim (self->embedder);
    g_autofree float *property = g_new (float, dim);
    GValue vector = G_VALUE_INIT;

    semblance_embedder_embed (self->embedder, props.vector, 1, property);
    g_value_init (&vector, GST_TYPE_ARRAY);
    for (i = 0; i < dim; i++) {
      GValue v = G_VALUE_INIT;

      g_value_init (&v, G_TYPE_FLOAT);
      g_value_set_float (&v, property[i]);
      gst_value_array_append_and_take_value (&vector, &v);
    }
    gst_structure_set (s, "model", G_TYPE_STRING, self->model_id, NULL);
    gst_structure_take_value (s, "property-vector", &vector);
  }

  return gst_message_new_element (GST_OBJECT (self), s);
}

/* Ends the current span, with a message when messages are wanted. */
static void
gst_semblance_end_span (GstSemblance * self, gboolean final)
{
  gboolean post;

  GST_OBJECT_LOCK (self);
  post = self->post_messages;
  GST_OBJECT_UNLOCK (self);

  GST_LOG_OBJECT (self, "%s span of %" G_GUINT64_FORMAT " frames at %"
      GST_TIME_FORMAT, final ? "final" : "partial", self->span_frames,
      GST_TIME_ARGS (self->span_ts));
  if (post)
    gst_element_post_message (GST_ELEMENT (self),
        gst_semblance_message_new (self, final));
  self->span_frames = 0;
}

/* Posts the final message of the track, if it has any audio, and starts a
 * new analysis. */
static void gst_semblance_start_span (GstSemblance * self, GstClockTime ts);

static void
gst_semblance_end_track (GstSemblance * self)
{
  /* Partial messages wait for the next sample, so every track with audio
   * ends with a non-empty span; a track of gaps only ends with an empty
   * one, so that whoever waits for the end of the track gets it. */
  if (self->span_frames == 0 && !self->gap_only)
    return;
  if (self->span_frames == 0)
    gst_semblance_start_span (self, self->gap_ts);

  GST_DEBUG_OBJECT (self, "end of track after %.3f s",
      gst_semblance_covered_seconds (self));
  gst_semblance_end_span (self, TRUE);
  semblance_analyzer_reset (self->analyzer);
  gst_semblance_clear_track (self);
  self->continuing = FALSE;
}

/* A gap in a track that has had nothing else yet: the track exists. */
static void
gst_semblance_gap (GstSemblance * self, GstClockTime ts)
{
  if (self->span_frames > 0 || self->covered->len > 0
      || self->untimed_frames > 0 || self->gap_only)
    return;
  self->gap_only = TRUE;
  self->gap_ts = ts;
}

static void
gst_semblance_discont (GstSemblance * self)
{
  if (!self->continuing)
    return;

  GST_DEBUG_OBJECT (self, "discontinuity");
  semblance_analyzer_discont (self->analyzer);
  self->continuing = FALSE;
}

static void
gst_semblance_start_span (GstSemblance * self, GstClockTime ts)
{
  const GstSegment *segment = &GST_BASE_TRANSFORM (self)->segment;

  self->span_ts = ts;
  self->span_stream_time = GST_CLOCK_TIME_NONE;
  self->span_running_time = GST_CLOCK_TIME_NONE;
  /* A seek may replace the segment before the span ends: convert now. */
  if (GST_CLOCK_TIME_IS_VALID (ts) && segment->format == GST_FORMAT_TIME) {
    self->span_stream_time =
        gst_segment_to_stream_time (segment, GST_FORMAT_TIME, ts);
    self->span_running_time =
        gst_segment_to_running_time (segment, GST_FORMAT_TIME, ts);
  }
}

/* Sticky events are sent again when pads are relinked: only a stream-start
 * with another stream id or group id begins a new track. */
static gboolean
gst_semblance_is_new_stream (GstSemblance * self, GstEvent * event)
{
  const gchar *stream_id;
  guint group_id = 0;
  gboolean has_group_id, is_new;

  gst_event_parse_stream_start (event, &stream_id);
  has_group_id = gst_event_parse_group_id (event, &group_id);
  is_new = g_strcmp0 (stream_id, self->stream_id) != 0
      || has_group_id != self->has_group_id || group_id != self->group_id;

  g_free (self->stream_id);
  self->stream_id = g_strdup (stream_id);
  self->has_group_id = has_group_id;
  self->group_id = group_id;
  return is_new;
}

static gboolean
gst_semblance_sink_event (GstBaseTransform * trans, GstEvent * event)
{
  GstSemblance *self = GST_SEMBLANCE (trans);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_STREAM_START:
      if (gst_semblance_is_new_stream (self, event))
        gst_semblance_end_track (self);
      break;
    case GST_EVENT_GAP:{
      GstClockTime ts;

      gst_event_parse_gap (event, &ts, NULL);
      gst_semblance_discont (self);
      if (self->analyzer)
        gst_semblance_gap (self, ts);
      break;
    }
    case GST_EVENT_FLUSH_STOP:
      gst_semblance_discont (self);
      self->next_ts = GST_CLOCK_TIME_NONE;
      break;
    case GST_EVENT_EOS:
      gst_semblance_end_track (self);
      break;
    default:
      break;
  }

  return GST_BASE_TRANSFORM_CLASS (parent_class)->sink_event (trans, event);
}

static GstFlowReturn
gst_semblance_transform_ip (GstBaseTransform * trans, GstBuffer * buf)
{
  GstSemblance *self = GST_SEMBLANCE (trans);
  gint rate = GST_AUDIO_INFO_RATE (&self->info);
  gsize bpf = GST_AUDIO_INFO_BPF (&self->info);
  guint64 interval, interval_frames = 0, n_frames, offset = 0;
  GstClockTime ts;
  GstMapInfo map;

  /* Passthrough lets buffers through before caps have been set. */
  if (!self->analyzer)
    return GST_FLOW_NOT_NEGOTIATED;

  ts = GST_BUFFER_PTS_IS_VALID (buf) ? GST_BUFFER_PTS (buf) : self->next_ts;
  n_frames = gst_buffer_get_size (buf) / bpf;
  self->next_ts = GST_CLOCK_TIME_IS_VALID (ts)
      ? ts + GST_FRAMES_TO_CLOCK_TIME (n_frames, rate) : GST_CLOCK_TIME_NONE;

  if (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DISCONT)
      || GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_GAP))
    gst_semblance_discont (self);
  /* A gap carries no music: it is a jump in the signal, not silence. */
  if (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_GAP)) {
    gst_semblance_gap (self, ts);
    return GST_FLOW_OK;
  }

  if (!gst_buffer_map (buf, &map, GST_MAP_READ)) {
    GST_ELEMENT_ERROR (self, RESOURCE, READ, (NULL),
        ("cannot map a buffer for reading"));
    return GST_FLOW_ERROR;
  }

  GST_OBJECT_LOCK (self);
  interval = self->interval;
  GST_OBJECT_UNLOCK (self);
  if (interval > 0)
    interval_frames = GST_CLOCK_TIME_TO_FRAMES (MAX (interval, MIN_INTERVAL),
        rate);
  self->gap_only = FALSE;

  while (offset < n_frames) {
    guint64 take = n_frames - offset;

    if (interval_frames > 0) {
      if (self->span_frames >= interval_frames)
        gst_semblance_end_span (self, FALSE);
      take = MIN (take, interval_frames - self->span_frames);
    }
    if (self->span_frames == 0)
      gst_semblance_start_span (self, GST_CLOCK_TIME_IS_VALID (ts)
          ? ts + GST_FRAMES_TO_CLOCK_TIME (offset, rate) : GST_CLOCK_TIME_NONE);

    semblance_analyzer_push (self->analyzer, map.data + offset * bpf, take);
    if (GST_CLOCK_TIME_IS_VALID (ts))
      gst_semblance_cover (self, ts + GST_FRAMES_TO_CLOCK_TIME (offset, rate),
          ts + GST_FRAMES_TO_CLOCK_TIME (offset + take, rate));
    else
      self->untimed_frames += take;
    self->span_frames += take;
    self->continuing = TRUE;
    offset += take;
  }
  gst_buffer_unmap (buf, &map);
  return GST_FLOW_OK;
}

/* The element takes the caps itself, as level does: GstAudioFilter would
 * also clip buffers to the segment, and an analyser lets the stream through
 * as it came. */
static gboolean
gst_semblance_set_caps (GstBaseTransform * trans, GstCaps * incaps,
    GstCaps * outcaps)
{
  GstSemblance *self = GST_SEMBLANCE (trans);
  g_autoptr (GError) error = NULL;
  SemblanceAnalyzer *analyzer;
  GstAudioInfo info;

  if (!gst_audio_info_from_caps (&info, incaps)) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("cannot read caps %" GST_PTR_FORMAT, incaps));
    return FALSE;
  }
  /* Caps sent again unchanged must not cut the track short. */
  if (self->analyzer && gst_audio_info_is_equal (&info, &self->info))
    return TRUE;

  analyzer = semblance_analyzer_new (&info, &error);
  if (!analyzer) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("Cannot analyse this audio: %s", error->message), (NULL));
    return FALSE;
  }

  /* The old analysis cannot go on in another format: it ends here, while
   * the info still describes it. */
  if (self->analyzer) {
    gst_semblance_end_track (self);
    semblance_analyzer_free (self->analyzer);
  }
  self->analyzer = analyzer;
  self->info = info;
  self->continuing = FALSE;
  gst_semblance_clear_track (self);
  return TRUE;
}

static gboolean
gst_semblance_stop (GstBaseTransform * trans)
{
  GstSemblance *self = GST_SEMBLANCE (trans);

  g_clear_pointer (&self->analyzer, semblance_analyzer_free);
  gst_semblance_clear_stream (self);
  gst_audio_info_init (&self->info);
  return TRUE;
}

static gboolean
gst_semblance_start (GstBaseTransform * trans)
{
  GstSemblance *self = GST_SEMBLANCE (trans);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *model = NULL, *path = NULL;

  GST_OBJECT_LOCK (self);
  model = g_strdup (self->model);
  GST_OBJECT_UNLOCK (self);

  g_clear_pointer (&self->embedder, semblance_embedder_free);
  g_clear_pointer (&self->model_id, g_free);
  /* Without a model of its own choosing the element works on, feature
   * vector only, when no default model is installed. */
  path = semblance_model_resolve (model, FALSE, NULL);
  if (!path)
    return TRUE;
  self->embedder = semblance_embedder_new_from_file (path, &error);
  if (!self->embedder) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not load the Semblance model."), ("%s", error->message));
    return FALSE;
  }
  /* The id is a digest of the whole model: computed once. */
  self->model_id = g_strdup (semblance_model_get_id
      (semblance_embedder_get_model (self->embedder)));
  GST_INFO_OBJECT (self, "model %s (%s)", path, self->model_id);
  return TRUE;
}

static void
gst_semblance_finalize (GObject * object)
{
  GstSemblance *self = GST_SEMBLANCE (object);

  g_clear_pointer (&self->analyzer, semblance_analyzer_free);
  g_clear_pointer (&self->embedder, semblance_embedder_free);
  g_free (self->model_id);
  g_free (self->stream_id);
  g_free (self->model);
  g_array_unref (self->covered);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_semblance_class_init (GstSemblanceClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstCaps *caps;

  gobject_class->set_property = gst_semblance_set_property;
  gobject_class->get_property = gst_semblance_get_property;
  gobject_class->finalize = gst_semblance_finalize;

  /**
   * GstSemblance:interval:
   *
   * How much audio, in nanoseconds, each partial message covers. Counted in
   * samples, not by the clock. The default of ten seconds shows progress in
   * `gst-launch-1.0 -m` without flooding it; 0 posts only the final message
   * of each track. Intervals under 100 ms count as 100 ms.
   */
  g_object_class_install_property (gobject_class, PROP_INTERVAL,
      g_param_spec_uint64 ("interval", "Interval",
          "Nanoseconds of analysed audio between partial 'semblance' "
          "messages (0 = only the final message of each track)",
          0, G_MAXUINT64, DEFAULT_INTERVAL,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstSemblance:post-messages:
   *
   * Whether to post `semblance` element messages on the bus. The audio is
   * analysed either way.
   */
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post Messages",
          "Whether to post 'semblance' element messages on the bus",
          DEFAULT_POST_MESSAGES,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstSemblance:model:
   *
   * The model file that turns the feature vector into a property vector
   * (`semblance model-info` shows what a model is). When unset, the model
   * installed with Semblance is used if there is one, as with "default"; an
   * empty string, or "none" (which a gst-launch-1.0 line can give without
   * shell quoting), turns the property vector off. A model that cannot be
   * loaded is an error.
   */
  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "Model file for the property vector (unset or \"default\": the "
          "installed default model, if any; empty or \"none\": none)", NULL,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  GST_DEBUG_CATEGORY_INIT (gst_semblance_debug, "semblance", 0,
      "Semblance property analyser");

  gst_element_class_set_static_metadata (element_class,
      "Semblance property analyser", "Filter/Analyzer/Audio",
      "Measures the tempo, key, loudness, brightness and timbre of music "
      "and posts them, with Semblance's feature vector, as element messages",
      "Semblance developers");

  caps = gst_caps_from_string (ALLOWED_CAPS);
  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new ("src", GST_PAD_SRC, GST_PAD_ALWAYS, caps));
  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new ("sink", GST_PAD_SINK, GST_PAD_ALWAYS, caps));
  gst_caps_unref (caps);

  trans_class->set_caps = GST_DEBUG_FUNCPTR (gst_semblance_set_caps);
  trans_class->transform_ip = GST_DEBUG_FUNCPTR (gst_semblance_transform_ip);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_semblance_sink_event);
  trans_class->start = GST_DEBUG_FUNCPTR (gst_semblance_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_semblance_stop);
}

static void
gst_semblance_init (GstSemblance * self)
{
  self->interval = DEFAULT_INTERVAL;
  self->post_messages = DEFAULT_POST_MESSAGES;
  self->covered = g_array_new (FALSE, FALSE, sizeof (Stretch));
  gst_semblance_clear_stream (self);
  gst_audio_info_init (&self->info);

  /* The audio is only read: let every buffer through as it is, without the
   * copy that writing in place would need. */
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self), TRUE);
}
