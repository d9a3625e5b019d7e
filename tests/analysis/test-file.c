/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Analysing files: both decoders, real excerpts, other containers, bad input. */
#include <glib/gstdio.h>
#include <errno.h>
#include <math.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "semblance-file-private.h"
#include "signals.h"

static char *tmpdir;

static char *
demo_path (const char *name)
{
  return g_build_filename (g_getenv ("SEMBLANCE_DEMO_DIR"), name, NULL);
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static double
max_scaled_difference (const SemblanceProperties *a,
                       const SemblanceProperties *b)
{
  double worst = 0.0;
  gsize i;

  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++)
    worst = MAX (worst, fabs (a->vector[i] - b->vector[i]) /
        MAX (1.0, fabs (a->vector[i])));
  return worst;
}

static void
analyze_ok (const char *path, SemblanceDecoder decoder,
            SemblanceProperties *props)
{
  g_autoptr (GError) error = NULL;

  semblance_analyze_file (path, decoder, NULL, props, &error);
  g_assert_no_error (error);
  assert_properties_finite (props);
}

static void
test_demo_excerpts (void)
{
  g_autoptr (GDir) dir = g_dir_open (g_getenv ("SEMBLANCE_DEMO_DIR"), 0, NULL);
  const char *name;
  int count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir))) {
    g_autofree char *path = NULL;
    SemblanceProperties snd, gst;
    double d;

    if (!g_str_has_suffix (name, ".ogg"))
      continue;
    path = demo_path (name);
    analyze_ok (path, SEMBLANCE_DECODER_SNDFILE, &snd);
    analyze_ok (path, SEMBLANCE_DECODER_GSTREAMER, &gst);
    d = max_scaled_difference (&snd, &gst);
    g_test_message ("%s: %.1f s, %.1f BPM (confidence %.2f), %s %s "
        "(strength %.2f), %.1f LUFS, %.0f Hz, flags %u; libsndfile vs "
        "GStreamer %.2g", name, snd.seconds, snd.tempo, snd.tempo_confidence,
        semblance_key_pitch_name (snd.key), snd.major ? "major" : "minor",
        snd.key_strength, snd.loudness, snd.brightness, snd.flags, d);
    g_assert_cmpfloat_with_epsilon (snd.seconds, 20.0, 0.05);
    g_assert_cmpfloat_with_epsilon (gst.seconds, snd.seconds, 1e-3);
    g_assert_cmpfloat (d, <, 1e-3);
    /* Real music: not silent, not clipped, and loud as game music is.
     * Two excerpts carry a flag about the music itself: nebula.ogg has no
     * key (its pitches centre on D and G#, a tritone apart, as aubio's
     * note tracker finds too, and match no major or minor key: strength
     * 0.28); sad.ogg, rubato piano, has no clear pulse (autocorrelation
     * 0.01 at the best candidate's period, aubio reads 134 BPM). */
    g_assert_cmpuint (snd.flags & ~SEMBLANCE_FLAG_DC_OFFSET, ==,
        g_str_equal (name, "nebula.ogg") ? SEMBLANCE_FLAG_NO_KEY
        : g_str_equal (name, "sad.ogg") ? SEMBLANCE_FLAG_NO_PULSE : 0);
    g_assert_cmpfloat (snd.loudness, >, -35.0);
    g_assert_cmpfloat (snd.loudness, <, -8.0);
    if (!(snd.flags & SEMBLANCE_FLAG_NO_PULSE))
      g_assert_cmpfloat (snd.tempo, >=, 40.0);
    g_assert_cmpfloat (snd.brightness, >, 200.0);
    count++;
  }
  g_assert_cmpint (count, >=, 5);
}

/* Writes @x (mono) as a stereo file in @format with libsndfile. */
static void
write_sndfile (const char *path, int format, const float *x, gsize n, int rate)
{
  SF_INFO info = { .samplerate = rate, .channels = 2, .format = format };
  g_autofree float *stereo = g_new (float, 2 * n);
  SNDFILE *f;
  gsize i;

  for (i = 0; i < n; i++)
    stereo[2 * i] = stereo[2 * i + 1] = x[i];
  f = sf_open (path, SFM_WRITE, &info);
  g_assert_nonnull (f);
  g_assert_cmpint (sf_writef_float (f, stereo, n), ==, n);
  sf_close (f);
}

static float *
test_music (gsize n, int rate)
{
  static const int chord[] = { 57, 60, 64, -1 };
  float *x = signal_chord (rate, n, 0.15, chord);
  g_autofree float *clicks = signal_clicks (rate, n, 128.0);
  gsize i;

  for (i = 0; i < n; i++)
    x[i] += 0.5f * clicks[i];
  return x;
}

static void
test_wav_flac (void)
{
  const int rate = 44100;
  gsize n = 10 * rate;
  g_autofree float *x = test_music (n, rate);
  g_autofree char *wav_float = tmp_path ("music-float.wav");
  g_autofree char *wav = tmp_path ("music.wav");
  g_autofree char *flac = tmp_path ("music.flac");
  SemblanceProperties direct, pwf, pw, pf, pg;

  write_sndfile (wav_float, SF_FORMAT_WAV | SF_FORMAT_FLOAT, x, n, rate);
  write_sndfile (wav, SF_FORMAT_WAV | SF_FORMAT_PCM_16, x, n, rate);
  write_sndfile (flac, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, x, n, rate);
  signal_analyze (x, n, rate, &direct);
  /* The files hold the signal in both channels, which BS.1770 sums: twice
   * the energy, 3.01 LU louder than the mono signal analysed directly. */
  direct.loudness += 10.0 * log10 (2.0);

  analyze_ok (wav_float, SEMBLANCE_DECODER_AUTO, &pwf);
  analyze_ok (wav, SEMBLANCE_DECODER_AUTO, &pw);
  analyze_ok (flac, SEMBLANCE_DECODER_AUTO, &pf);
  analyze_ok (flac, SEMBLANCE_DECODER_GSTREAMER, &pg);
  /* All three loudness values are read from histograms of block loudness,
   * where 3.01 LU is no whole number of bins. */
  g_assert_cmpfloat_with_epsilon (pwf.loudness, direct.loudness, 0.02);
  g_assert_cmpfloat_with_epsilon (pwf.vector[SEMBLANCE_F_LOUDNESS_RANGE],
      direct.vector[SEMBLANCE_F_LOUDNESS_RANGE], 0.05);
  g_assert_cmpfloat_with_epsilon (pwf.vector[SEMBLANCE_F_LOUDNESS_VARIATION],
      direct.vector[SEMBLANCE_F_LOUDNESS_VARIATION], 0.05);
  direct.vector[SEMBLANCE_F_LOUDNESS] = pwf.vector[SEMBLANCE_F_LOUDNESS];
  direct.vector[SEMBLANCE_F_LOUDNESS_RANGE] =
      pwf.vector[SEMBLANCE_F_LOUDNESS_RANGE];
  direct.vector[SEMBLANCE_F_LOUDNESS_VARIATION] =
      pwf.vector[SEMBLANCE_F_LOUDNESS_VARIATION];
  /* Float samples come back exactly; 16 bits add quantisation noise, which
   * shows only in the near-silent high bands. */
  g_assert_cmpfloat (max_scaled_difference (&direct, &pwf), <, 1e-5);
  g_assert_cmpfloat_with_epsilon (pw.loudness, direct.loudness, 0.01);
  g_assert_cmpfloat_with_epsilon (pw.tempo, direct.tempo, 0.01);
  g_assert_cmpfloat (max_scaled_difference (&pw, &pf), <, 1e-6);
  g_assert_cmpfloat (max_scaled_difference (&pf, &pg), <, 1e-4);
  g_assert_cmpfloat_with_epsilon (pw.tempo, 128.0, 1.0);
  g_assert_cmpint (pw.key, ==, 9);
  g_assert_cmpint (pw.major, ==, 0);
}

/* Runs a gst-launch style pipeline to EOS. */
static void
run_pipeline (const char *description)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) msg = NULL;

  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    g_autoptr (GError) failure = NULL;

    gst_message_parse_error (msg, &failure, NULL);
    g_error ("%s: %s", description, failure->message);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

static void
test_gstreamer_only_formats (void)
{
  const int rate = 44100;
  gsize n = 10 * rate;
  g_autofree float *x = test_music (n, rate);
  g_autofree char *flac = tmp_path ("lossless.flac");
  g_autofree char *wv = tmp_path ("lossless.wv");
  g_autofree char *ogg = demo_path ("battle.ogg");
  g_autofree char *m4a = tmp_path ("battle.m4a");
  g_autofree char *to_wavpack = g_strdup_printf ("filesrc location=\"%s\" ! "
      "flacparse ! flacdec ! audioconvert ! wavpackenc ! filesink location=\"%s\"", flac, wv);
  g_autofree char *to_aac = g_strdup_printf ("filesrc location=\"%s\" ! "
      "decodebin ! audioconvert ! avenc_aac bitrate=192000 ! mp4mux ! "
      "filesink location=\"%s\"", ogg, m4a);
  g_autoptr (GError) error = NULL;
  SemblanceProperties pf, pw, po, pa;

  write_sndfile (flac, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, x, n, rate);
  run_pipeline (to_wavpack);
  run_pipeline (to_aac);
  analyze_ok (flac, SEMBLANCE_DECODER_SNDFILE, &pf);
  analyze_ok (ogg, SEMBLANCE_DECODER_SNDFILE, &po);

  /* libsndfile reads neither WavPack nor MP4: the automatic choice falls
   * back to GStreamer. */
  g_assert_false (semblance_analyze_file (wv, SEMBLANCE_DECODER_SNDFILE,
          NULL, &pw, &error));
  g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_FORMAT);
  analyze_ok (wv, SEMBLANCE_DECODER_AUTO, &pw);
  analyze_ok (m4a, SEMBLANCE_DECODER_AUTO, &pa);

  /* Lossless in both: the same samples, the same features. */
  g_assert_cmpfloat (max_scaled_difference (&pf, &pw), <, 1e-4);

  /* AAC is lossy, and its encoder delay shifts the frames: the two
   * codecs' different treatment of the quietest high bands shows in the
   * vector, so the headline properties are compared. */
  g_test_message ("Ogg Vorbis vs AAC: %.3f; tempo %.2f vs %.2f, %.0f vs "
      "%.0f Hz", max_scaled_difference (&po, &pa), po.tempo, pa.tempo,
      po.brightness, pa.brightness);
  g_assert_cmpfloat_with_epsilon (pa.seconds, po.seconds, 0.1);
  g_assert_cmpfloat_with_epsilon (pa.tempo, po.tempo, 1.0);
  g_assert_cmpint (pa.key, ==, po.key);
  g_assert_cmpfloat_with_epsilon (pa.loudness, po.loudness, 0.3);
  g_assert_cmpfloat_with_epsilon (pa.brightness, po.brightness,
      0.03 * po.brightness);
}

/* @path analysed with @decoder, and the tags the same decoding read. */
static GstTagList *
analyze_tagged (const char *path, SemblanceDecoder decoder,
                SemblanceProperties *props)
{
  g_autoptr (GError) error = NULL;
  GstTagList *tags = NULL;

  g_assert_true (semblance_analyze_file_tagged (path, decoder, NULL, NULL,
          NULL, props, &tags, &error));
  g_assert_no_error (error);
  g_assert_nonnull (tags);
  return tags;
}

static void
assert_tag (const GstTagList *tags, const char *tag, const char *expected)
{
  g_autofree char *value = NULL;

  if (!expected) {
    g_assert_false (gst_tag_list_get_string (tags, tag, &value));
    return;
  }
  g_assert_true (gst_tag_list_get_string (tags, tag, &value));
  g_assert_cmpstr (value, ==, expected);
}

static double
tag_seconds (const GstTagList *tags)
{
  guint64 duration = 0;

  g_assert_true (gst_tag_list_get_uint64 (tags, GST_TAG_DURATION, &duration));
  return (double) duration / GST_SECOND;
}

static guint
tag_track_number (const GstTagList *tags)
{
  guint number = 0;

  gst_tag_list_get_uint (tags, GST_TAG_TRACK_NUMBER, &number);
  return number;
}

/* Tags and duration from the decoding itself: libsndfile's strings (FLAC's
 * Vorbis comments, MP3's ID3v2, a WAV's text chunks in Latin-1) and the
 * GStreamer pipeline's tag messages (MP4), with the features of an
 * untagged analysis. */
static void
test_tags (void)
{
  const int rate = 44100;
  gsize n = 3 * rate;
  g_autofree float *x = test_music (n, rate);
  g_autofree char *flac = tmp_path ("tagged.flac");
  g_autofree char *wav = tmp_path ("latin1.wav");
  g_autofree char *plain = tmp_path ("plain.wav");
  g_autofree char *mp3 = tmp_path ("tagged.mp3");
  g_autofree char *m4a = tmp_path ("tagged.m4a");
  g_autofree char *vorbis = tmp_path ("tagged.ogg");
  g_autofree char *battle = demo_path ("battle.ogg");
  const char *inject = "taginject tags=\"title=\\\"Night Ride\\\","
      "artist=\\\"Ann Example\\\",album=\\\"Roads\\\","
      "album-artist=\\\"Various Artists\\\",genre=Ambient,"
      "track-number=(uint)4\"";
  /* From the untagged file: the tags are those injected. */
  g_autofree char *to_mp3 = g_strdup_printf ("filesrc location=\"%s\" ! "
      "decodebin ! audioconvert ! %s ! lamemp3enc ! id3v2mux ! "
      "filesink location=\"%s\"", plain, inject, mp3);
  g_autofree char *to_vorbis = g_strdup_printf ("filesrc location=\"%s\" ! "
      "decodebin ! audioconvert ! %s ! vorbisenc ! oggmux ! "
      "filesink location=\"%s\"", plain, inject, vorbis);
  g_autofree char *to_m4a = g_strdup_printf ("filesrc location=\"%s\" ! "
      "decodebin ! audioconvert ! %s ! avenc_aac ! mp4mux ! "
      "filesink location=\"%s\"", plain, inject, m4a);
  SF_INFO info = { .samplerate = rate, .channels = 1,
    .format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16 };
  SemblanceProperties p, untagged;
  GstTagList *tags;
  SNDFILE *f;

  f = sf_open (flac, SFM_WRITE, &info);
  g_assert_nonnull (f);
  g_assert_cmpint (sf_set_string (f, SF_STR_TITLE, "Über Nacht"), ==, 0);
  g_assert_cmpint (sf_set_string (f, SF_STR_ARTIST, "Ann Example"), ==, 0);
  g_assert_cmpint (sf_set_string (f, SF_STR_ALBUM, "Roads"), ==, 0);
  g_assert_cmpint (sf_set_string (f, SF_STR_GENRE, "Ambient"), ==, 0);
  g_assert_cmpint (sf_set_string (f, SF_STR_TRACKNUMBER, "7/12"), ==, 0);
  g_assert_cmpint (sf_writef_float (f, x, n), ==, n);
  sf_close (f);
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  f = sf_open (wav, SFM_WRITE, &info);
  g_assert_nonnull (f);
  /* "Été" in Latin-1: WAV's INFO chunk declares no encoding. */
  g_assert_cmpint (sf_set_string (f, SF_STR_TITLE, "\xc9t\xe9"), ==, 0);
  g_assert_cmpint (sf_writef_float (f, x, n), ==, n);
  sf_close (f);
  write_sndfile (plain, SF_FORMAT_WAV | SF_FORMAT_PCM_16, x, n, rate);
  run_pipeline (to_mp3);
  run_pipeline (to_m4a);
  run_pipeline (to_vorbis);

  tags = analyze_tagged (flac, SEMBLANCE_DECODER_SNDFILE, &p);
  assert_tag (tags, GST_TAG_TITLE, "Über Nacht");
  assert_tag (tags, GST_TAG_ARTIST, "Ann Example");
  assert_tag (tags, GST_TAG_ALBUM, "Roads");
  assert_tag (tags, GST_TAG_GENRE, "Ambient");
  g_assert_cmpuint (tag_track_number (tags), ==, 7);
  g_assert_cmpfloat (fabs (tag_seconds (tags) - 3.0), <, 1e-6);
  assert_tag (tags, GST_TAG_ALBUM_ARTIST, NULL);
  gst_tag_list_unref (tags);
  /* The tags cost the analysis nothing. */
  analyze_ok (flac, SEMBLANCE_DECODER_SNDFILE, &untagged);
  g_assert_cmpfloat (max_scaled_difference (&p, &untagged), ==, 0.0);

  /* The same file through GStreamer: the same tags, the duration its
   * query gives. */
  tags = analyze_tagged (flac, SEMBLANCE_DECODER_GSTREAMER, &p);
  assert_tag (tags, GST_TAG_TITLE, "Über Nacht");
  assert_tag (tags, GST_TAG_ARTIST, "Ann Example");
  assert_tag (tags, GST_TAG_ALBUM, "Roads");
  assert_tag (tags, GST_TAG_GENRE, "Ambient");
  g_assert_cmpuint (tag_track_number (tags), ==, 7);
  g_assert_cmpfloat (fabs (tag_seconds (tags) - 3.0), <, 1e-3);
  gst_tag_list_unref (tags);

  tags = analyze_tagged (wav, SEMBLANCE_DECODER_AUTO, &p);
  assert_tag (tags, GST_TAG_TITLE, "Été");
  assert_tag (tags, GST_TAG_ARTIST, NULL);
  gst_tag_list_unref (tags);

  tags = analyze_tagged (plain, SEMBLANCE_DECODER_AUTO, &p);
  assert_tag (tags, GST_TAG_TITLE, NULL);
  g_assert_cmpuint (tag_track_number (tags), ==, 0);
  g_assert_cmpfloat (fabs (tag_seconds (tags) - 3.0), <, 1e-6);
  gst_tag_list_unref (tags);

  /* ID3v2, read by libsndfile, and its album artist (TPE2), which
   * libsndfile has not, by TagLib. */
  tags = analyze_tagged (mp3, SEMBLANCE_DECODER_SNDFILE, &p);
  assert_tag (tags, GST_TAG_TITLE, "Night Ride");
  assert_tag (tags, GST_TAG_ARTIST, "Ann Example");
  assert_tag (tags, GST_TAG_ALBUM, "Roads");
  assert_tag (tags, GST_TAG_ALBUM_ARTIST, "Various Artists");
  assert_tag (tags, GST_TAG_GENRE, "Ambient");
  g_assert_cmpuint (tag_track_number (tags), ==, 4);
  g_assert_cmpfloat (fabs (tag_seconds (tags) - p.seconds), <, 1e-6);
  gst_tag_list_unref (tags);

  /* Vorbis comments, ALBUMARTIST among them. */
  tags = analyze_tagged (vorbis, SEMBLANCE_DECODER_SNDFILE, &p);
  assert_tag (tags, GST_TAG_TITLE, "Night Ride");
  assert_tag (tags, GST_TAG_ALBUM_ARTIST, "Various Artists");
  gst_tag_list_unref (tags);

  /* MP4, which libsndfile does not read: the pipeline's tag messages. */
  tags = analyze_tagged (m4a, SEMBLANCE_DECODER_AUTO, &p);
  assert_tag (tags, GST_TAG_TITLE, "Night Ride");
  assert_tag (tags, GST_TAG_ARTIST, "Ann Example");
  assert_tag (tags, GST_TAG_ALBUM, "Roads");
  assert_tag (tags, GST_TAG_ALBUM_ARTIST, "Various Artists");
  assert_tag (tags, GST_TAG_GENRE, "Ambient");
  g_assert_cmpuint (tag_track_number (tags), ==, 4);
  g_assert_cmpfloat (fabs (tag_seconds (tags) - 3.0), <, 0.1);
  gst_tag_list_unref (tags);

  /* A demo clip, as oggenc tagged it. */
  tags = analyze_tagged (battle, SEMBLANCE_DECODER_AUTO, &p);
  assert_tag (tags, GST_TAG_TITLE, "Battle Music");
  assert_tag (tags, GST_TAG_ARTIST, "Aleksi Aubry-Carlson");
  assert_tag (tags, GST_TAG_ALBUM, NULL);
  g_assert_cmpfloat (fabs (tag_seconds (tags) - 20.0), <, 0.1);
  gst_tag_list_unref (tags);

  g_unlink (flac);
  g_unlink (wav);
  g_unlink (plain);
  g_unlink (mp3);
  g_unlink (m4a);
  g_unlink (vorbis);
}

static void
write_bytes (const char *path, const void *data, gsize len)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, data, len, &error));
}

/* The error is in SEMBLANCE_ERROR and names the file. */
static void
assert_fails (const char *path, SemblanceDecoder decoder, int code)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *base = g_path_get_basename (path);
  SemblanceProperties p;

  g_assert_false (semblance_analyze_file (path, decoder, NULL, &p, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (error->domain == SEMBLANCE_ERROR);
  if (code >= 0)
    g_assert_cmpint (error->code, ==, code);
  g_assert_nonnull (strstr (error->message, base));
}

static void
test_bad_files (void)
{
  g_autofree char *missing = tmp_path ("missing.ogg");
  g_autofree char *empty = tmp_path ("empty.wav");
  g_autofree char *text = tmp_path ("text.flac");
  g_autofree char *noise = tmp_path ("noise.mp3");
  g_autofree char *truncated = tmp_path ("truncated.flac");
  g_autofree char *flac = tmp_path ("whole.flac");
  g_autofree char *flac_bytes = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  guint8 random_bytes[65536];
  gsize flac_len, i;
  const int rate = 22050;
  g_autofree float *x = test_music (5 * rate, rate);

  assert_fails (missing, SEMBLANCE_DECODER_AUTO, SEMBLANCE_ERROR_OPEN);
  assert_fails (tmpdir, SEMBLANCE_DECODER_AUTO, SEMBLANCE_ERROR_OPEN);

  write_bytes (empty, "", 0);
  assert_fails (empty, SEMBLANCE_DECODER_AUTO, -1);

  write_bytes (text, "This is not a FLAC file.\n", 25);
  assert_fails (text, SEMBLANCE_DECODER_AUTO, SEMBLANCE_ERROR_FORMAT);

  for (i = 0; i < sizeof random_bytes; i++)
    random_bytes[i] = (guint8) g_rand_int (rand);
  write_bytes (noise, random_bytes, sizeof random_bytes);
  assert_fails (noise, SEMBLANCE_DECODER_AUTO, -1);

  /* A file cut in the middle fails with the reason. */
  write_sndfile (flac, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, x, 5 * rate, rate);
  g_assert_true (g_file_get_contents (flac, &flac_bytes, &flac_len, NULL));
  write_bytes (truncated, flac_bytes, flac_len / 2);
  assert_fails (truncated, SEMBLANCE_DECODER_AUTO, SEMBLANCE_ERROR_DECODE);
}

/* The first Ogg page of @from (the Vorbis identification header) filled
 * with random bytes: decodebin may then drop the demuxer's error and never
 * finish. */
static void
write_damaged_ogg (const char *from, const char *to, guint32 seed)
{
  g_autofree char *bytes = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  gsize len, body, body_len, i;
  guint8 *b;

  g_assert_true (g_file_get_contents (from, &bytes, &len, NULL));
  b = (guint8 *) bytes;
  g_assert_true (len > 4096 && memcmp (b, "OggS", 4) == 0);
  body = 27 + b[26];
  for (body_len = 0, i = 0; i < b[26]; i++)
    body_len += b[27 + i];
  for (i = body; i < body + body_len; i++)
    b[i] = (guint8) g_rand_int (rand);
  write_bytes (to, bytes, len);
}

/* Twenty damaged Ogg files in a row: each ends with a reason, soon,
 * whether the demuxer's error arrives or not. */
static void
test_damaged_ogg_ends (void)
{
  g_autofree char *sad = demo_path ("sad.ogg");
  g_autofree char *damaged = tmp_path ("hdr-random.ogg");
  gint64 start = g_get_monotonic_time ();
  guint i;

  write_damaged_ogg (sad, damaged, 7);
  for (i = 0; i < 20; i++) {
    g_autoptr (GError) error = NULL;
    gint64 t = g_get_monotonic_time ();
    SemblanceProperties p;

    g_assert_false (semblance_analyze_file (damaged, SEMBLANCE_DECODER_AUTO,
            NULL, &p, &error));
    g_assert_nonnull (error);
    g_assert_true (error->domain == SEMBLANCE_ERROR);
    g_assert_nonnull (strstr (error->message, "hdr-random.ogg"));
    g_assert_cmpint (g_get_monotonic_time () - t, <, 5 * G_USEC_PER_SEC);
  }
  g_test_message ("20 damaged Ogg files in %.1f s",
      (g_get_monotonic_time () - start) / 1e6);
}

/* The watchdog's bound on the whole decoding, with the limits made
 * small: a file that decodes does not get for ever. */
static void
test_decoding_bound (void)
{
  const int rate = 44100;
  g_autofree float *x = test_music (60 * rate, rate);
  g_autofree char *flac = tmp_path ("minute.flac");
  SemblanceDecodeLimits limits = semblance_decode_limits_default;
  g_autoptr (GError) error = NULL;
  SemblanceProperties p;

  write_sndfile (flac, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, x, 60 * rate, rate);
  limits.overall_base = 0;
  limits.overall_bytes_per_second = G_MAXINT64;
  g_assert_false (semblance_analyze_file_with_limits (flac,
          SEMBLANCE_DECODER_GSTREAMER, &limits, NULL, &p, &error));
  g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_DECODE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "minute.flac: decoding took "
          "more than 0 s"));
  g_clear_error (&error);
  /* The default limits let it through. */
  g_assert_true (semblance_analyze_file_with_limits (flac,
          SEMBLANCE_DECODER_GSTREAMER, &semblance_decode_limits_default, NULL,
          &p, &error));
  g_assert_no_error (error);
}

typedef struct
{
  const char *path;
  GError *error;
  gint done;
} Attempt;

static gpointer
analyze_in_thread (gpointer data)
{
  Attempt *a = data;
  SemblanceProperties p;

  semblance_analyze_file (a->path, SEMBLANCE_DECODER_AUTO, NULL, &p,
      &a->error);
  g_atomic_int_set (&a->done, 1);
  return NULL;
}

/* The error of analysing @path, which must come within @seconds: the
 * analysis runs on a thread, so that a file that blocks fails the test
 * instead of hanging it. */
static GError *
analyze_within (const char *path, double seconds)
{
  Attempt *a = g_new0 (Attempt, 1);
  GThread *thread;
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  GError *error;

  a->path = path;
  thread = g_thread_new ("analyze", analyze_in_thread, a);
  while (!g_atomic_int_get (&a->done))
    if (g_get_monotonic_time () > end)
      g_error ("%s: no answer within %.0f s", path, seconds);
    else
      g_usleep (10000);
  g_thread_join (thread);
  error = a->error;
  g_free (a);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  return error;
}

/* What is not a regular file is refused before it is opened, symbolic
 * links followed, and each fault has its own reason. */
static void
test_not_regular_files (void)
{
  g_autofree char *fifo = tmp_path ("fifo.wav");
  g_autofree char *to_fifo = tmp_path ("to-fifo.wav");
  g_autofree char *to_zero = tmp_path ("zero.wav");
  g_autofree char *loop_a = tmp_path ("loop-a.wav");
  g_autofree char *loop_b = tmp_path ("loop-b.wav");
  g_autofree char *dangling = tmp_path ("dangling.wav");
  g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink (fifo, to_fifo), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", to_zero), ==, 0);
  g_assert_cmpint (symlink (loop_b, loop_a), ==, 0);
  g_assert_cmpint (symlink (loop_a, loop_b), ==, 0);
  g_assert_cmpint (symlink ("nowhere.wav", dangling), ==, 0);

  e1 = analyze_within (fifo, 10);
  g_assert_error (e1, SEMBLANCE_ERROR, SEMBLANCE_ERROR_OPEN);
  g_assert_nonnull (strstr (e1->message, "fifo.wav: is a named pipe"));
  e2 = analyze_within (to_fifo, 10);
  g_assert_nonnull (strstr (e2->message, "to-fifo.wav: is a named pipe"));
  e3 = analyze_within (to_zero, 10);
  g_assert_nonnull (strstr (e3->message, "zero.wav: is a device"));
  e4 = analyze_within (loop_a, 10);
  g_assert_nonnull (strstr (e4->message, g_strerror (ELOOP)));
  e5 = analyze_within (dangling, 10);
  g_assert_nonnull (strstr (e5->message, "dangling.wav: no such file"));
}

/* Files that end before their header says are failures that say so, on
 * both decoders. */
static void
test_truncated_files (void)
{
  const int rate = 22050;
  g_autofree float *x = test_music (5 * rate, rate);
  g_autofree char *wav = tmp_path ("whole.wav");
  g_autofree char *flac = tmp_path ("whole-cut.flac");
  g_autofree char *cut_wav = tmp_path ("cut.wav");
  g_autofree char *cut_flac = tmp_path ("cut.flac");
  g_autofree char *cut_ogg = tmp_path ("cut.ogg");
  g_autofree char *battle = demo_path ("battle.ogg");
  g_autofree char *bytes = NULL;
  SemblanceDecoder decoders[] = { SEMBLANCE_DECODER_AUTO,
    SEMBLANCE_DECODER_GSTREAMER };
  gsize len;
  guint d;

  write_sndfile (wav, SF_FORMAT_WAV | SF_FORMAT_PCM_16, x, 5 * rate, rate);
  g_assert_true (g_file_get_contents (wav, &bytes, &len, NULL));
  write_bytes (cut_wav, bytes, len / 2);
  g_clear_pointer (&bytes, g_free);
  write_sndfile (flac, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, x, 5 * rate, rate);
  g_assert_true (g_file_get_contents (flac, &bytes, &len, NULL));
  write_bytes (cut_flac, bytes, len / 2);
  g_clear_pointer (&bytes, g_free);
  g_assert_true (g_file_get_contents (battle, &bytes, &len, NULL));
  write_bytes (cut_ogg, bytes, len / 3);

  {
    g_autoptr (GError) error = NULL;
    SemblanceProperties p;

    g_assert_false (semblance_analyze_file (cut_wav, SEMBLANCE_DECODER_AUTO,
            NULL, &p, &error));
    g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_DECODE);
    g_assert_nonnull (strstr (error->message, "cut.wav: truncated"));
  }
  /* A data chunk of an odd length, all there, is whole: libsndfile's log
   * says it "should be an even number of bytes", which is no truncation
   * (nor is a header that announces less than the file holds, as in WAVs
   * beyond 4 GB). */
  {
    g_autofree char *odd = tmp_path ("odd.wav");
    g_autofree guint8 *b = g_malloc (44 + 22051);
    guint8 header[44] = { 'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E',
      'f', 'm', 't', ' ', 16, 0, 0, 0, 1, 0, 1, 0, 0x22, 0x56, 0, 0, 0x22,
      0x56, 0, 0, 1, 0, 8, 0, 'd', 'a', 't', 'a', 0, 0, 0, 0 };
    g_autoptr (GError) error = NULL;
    SemblanceProperties p;
    gsize i;

    GST_WRITE_UINT32_LE (header + 4, 36 + 22051);
    GST_WRITE_UINT32_LE (header + 40, 22051);
    memcpy (b, header, 44);
    for (i = 0; i < 22051; i++)
      b[44 + i] = (guint8) (128 + 60 * sin (i * 0.05));
    write_bytes (odd, b, 44 + 22051);
    g_assert_true (semblance_analyze_file (odd, SEMBLANCE_DECODER_AUTO, NULL,
            &p, &error));
    g_assert_no_error (error);
    g_assert_cmpfloat_with_epsilon (p.seconds, 22051.0 / 22050, 1e-6);
  }
  for (d = 0; d < G_N_ELEMENTS (decoders); d++) {
    const char *cut[] = { cut_flac, cut_ogg };
    guint i;

    for (i = 0; i < G_N_ELEMENTS (cut); i++) {
      g_autoptr (GError) error = NULL;
      g_autofree char *base = g_path_get_basename (cut[i]);
      g_autofree char *expected = g_strdup_printf ("%s: truncated", base);
      SemblanceProperties p;

      /* GStreamer's Ogg demuxer finds the length from the pages that are
       * there: nothing announces more. */
      if (decoders[d] == SEMBLANCE_DECODER_GSTREAMER && cut[i] == cut_ogg)
        continue;
      g_assert_false (semblance_analyze_file (cut[i], decoders[d], NULL, &p,
              &error));
      g_test_message ("%s", error->message);
      g_assert_error (error, SEMBLANCE_ERROR, SEMBLANCE_ERROR_DECODE);
      g_assert_nonnull (strstr (error->message, expected));
    }
  }
}

/* The Ogg page CRC: CRC-32 of polynomial 0x04c11db7, not reflected, over
 * the page with its CRC field zeroed. */
static guint32
ogg_crc (const guint8 *page, gsize len)
{
  guint32 crc = 0;
  gsize i;
  int b;

  for (i = 0; i < len; i++) {
    crc ^= (guint32) page[i] << 24;
    for (b = 0; b < 8; b++)
      crc = crc & 0x80000000u ? (crc << 1) ^ 0x04c11db7u : crc << 1;
  }
  return crc;
}

/* An Ogg whose last page announces 0.2 s more than its packets hold, as
 * libsndfile finds of some whole files (its Vorbis decoding stops short of
 * the last granule position), is whole: it has its end-of-stream page. */
static void
test_ogg_short_of_its_granule (void)
{
  g_autofree char *demo = demo_path ("sad.ogg");
  g_autofree char *path = tmp_path ("long-granule.ogg");
  g_autofree char *bytes = NULL;
  g_autoptr (GError) error = NULL;
  SemblanceProperties whole, p;
  guint8 *b, *last = NULL;
  gsize len, i, page_len;
  guint64 granule;
  guint32 crc;
  SF_INFO info = { 0 };
  SNDFILE *f = sf_open (demo, SFM_READ, &info);

  g_assert_nonnull (f);
  sf_close (f);
  g_assert_true (semblance_analyze_file (demo, SEMBLANCE_DECODER_AUTO, NULL,
          &whole, NULL));
  g_assert_true (g_file_get_contents (demo, &bytes, &len, NULL));
  b = (guint8 *) bytes;
  for (i = 0; i + 27 < len; i++)
    if (memcmp (b + i, "OggS", 4) == 0)
      last = b + i;
  g_assert_nonnull (last);
  g_assert_true (last[5] & 0x04);  /* end of stream */
  page_len = 27 + last[26];
  for (i = 0; i < last[26]; i++)
    page_len += last[27 + i];
  g_assert_cmpuint (last - b + page_len, ==, len);
  /* Byte by byte: the page's fields are not aligned. */
  for (granule = 0, i = 0; i < 8; i++)
    granule |= (guint64) last[6 + i] << (8 * i);
  granule += (guint64) (0.2 * info.samplerate);
  for (i = 0; i < 8; i++)
    last[6 + i] = (guint8) (granule >> (8 * i));
  memset (last + 22, 0, 4);
  crc = ogg_crc (last, page_len);
  for (i = 0; i < 4; i++)
    last[22 + i] = (guint8) (crc >> (8 * i));
  write_bytes (path, bytes, len);

  g_assert_true (semblance_analyze_file (path, SEMBLANCE_DECODER_AUTO, NULL,
          &p, &error));
  g_assert_no_error (error);
  /* The decoder may take a few packets' worth more (measured: 0.02 s). */
  g_assert_cmpfloat_with_epsilon (p.seconds, whole.seconds, 0.05);
}

static void
test_cancel (void)
{
  g_autofree char *ogg = demo_path ("sad.ogg");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  SemblanceProperties p;

  g_cancellable_cancel (cancellable);
  g_assert_false (semblance_analyze_file (ogg, SEMBLANCE_DECODER_AUTO,
          cancellable, &p, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (semblance_analyze_file (ogg, SEMBLANCE_DECODER_GSTREAMER,
          cancellable, &p, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("semblance-test-file-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/file/demo-excerpts", test_demo_excerpts);
  g_test_add_func ("/file/wav-flac", test_wav_flac);
  g_test_add_func ("/file/gstreamer-only-formats", test_gstreamer_only_formats);
  g_test_add_func ("/file/tags", test_tags);
  g_test_add_func ("/file/bad-files", test_bad_files);
  g_test_add_func ("/file/cancel", test_cancel);
  g_test_add_func ("/file/not-regular-files", test_not_regular_files);
  g_test_add_func ("/file/truncated-files", test_truncated_files);
  g_test_add_func ("/file/ogg-short-of-its-granule",
      test_ogg_short_of_its_granule);
  g_test_add_func ("/file/damaged-ogg-ends", test_damaged_ogg_ends);
  g_test_add_func ("/file/decoding-bound", test_decoding_bound);
  status = g_test_run ();

  {
    g_autoptr (GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir))) {
      g_autofree char *path = tmp_path (name);

      g_unlink (path);
    }
    g_rmdir (tmpdir);
    g_free (tmpdir);
  }
  return status;
}
