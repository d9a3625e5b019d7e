/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The extractor against signals whose properties are known. */
#include <math.h>

#include "signals.h"

#define RATE 22050.0

static int
absolute_chroma_peak (const SemblanceProperties *p)
{
  int i, best = 0;

  for (i = 1; i < 12; i++)
    if (p->vector[SEMBLANCE_F_CHROMA + i] > p->vector[SEMBLANCE_F_CHROMA + best])
      best = i;
  return (best + p->key) % 12;
}

static void
test_sine_440 (void)
{
  gsize n = (gsize) (5 * RATE);
  g_autofree float *x = signal_sine (RATE, n, 440.0, 0.5);
  SemblanceProperties p;

  signal_analyze (x, n, RATE, &p);
  assert_properties_finite (&p);
  /* A steady tone has no pulse, and says so. */
  g_assert_cmpuint (p.flags, ==, SEMBLANCE_FLAG_NO_PULSE);
  g_assert_cmpfloat_with_epsilon (p.brightness, 440.0, 5.0);
  g_assert_cmpfloat_with_epsilon (p.vector[SEMBLANCE_F_CENTROID_SD], 0.0, 1.0);
  g_assert_cmpint (absolute_chroma_peak (&p), ==, 9);   /* A */
  /* A pure tone is as far from noise as a spectrum gets. */
  g_assert_cmpfloat (p.vector[SEMBLANCE_F_FLATNESS_MEAN], <, -40.0);
  g_assert_cmpfloat_with_epsilon (p.vector[SEMBLANCE_F_ZCR_MEAN],
      2.0 * 440.0 / RATE, 0.001);
  g_assert_cmpfloat (p.tempo, ==, 0.0);
  g_assert_cmpfloat (p.vector[SEMBLANCE_F_TEMPO], ==, 0.0);
  g_assert_cmpfloat (p.tempo_confidence, ==, 0.0);
  g_assert_cmpfloat (p.pulse_clarity, ==, 0.0);
  g_assert_cmpfloat (p.vector[SEMBLANCE_F_ONSET_RATE], ==, 0.0);
}

static void
test_sine_loudness (void)
{
  /* -20 dBFS: peak amplitude 0.1. BS.1770 calibrates a 1 kHz sine at
   * 0 dBFS to -3.01 LUFS, so this one reads -23.01 LUFS. */
  gsize n = (gsize) (10 * RATE);
  g_autofree float *x = signal_sine (RATE, n, 1000.0, 0.1);
  SemblanceProperties p;

  signal_analyze (x, n, RATE, &p);
  g_assert_cmpfloat_with_epsilon (p.vector[SEMBLANCE_F_RMS_MEAN], -23.01, 0.05);
  g_assert_cmpfloat_with_epsilon (p.loudness, -23.01, 0.2);
  g_assert_cmpfloat_with_epsilon (p.loudness_range, 0.0, 0.2);
  g_assert_cmpfloat_with_epsilon (p.vector[SEMBLANCE_F_CREST], 3.01, 0.05);
  g_assert_cmpfloat_with_epsilon (p.vector[SEMBLANCE_F_SILENT_FRACTION], 0.0,
      1e-9);
}

static void
test_loudness_range (void)
{
  /* 10 s at -30 dBFS then 10 s at -10 dBFS: a 20 LU range (EBU Tech 3342
   * gives 20 for this case, within the 3 s windows' transitions). */
  gsize half = (gsize) (10 * RATE), i;
  g_autofree float *x = signal_sine (RATE, 2 * half, 1000.0, 1.0);
  SemblanceProperties p;

  for (i = 0; i < 2 * half; i++)
    x[i] *= i < half ? 0.0316228f : 0.316228f;
  signal_analyze (x, 2 * half, RATE, &p);
  g_assert_cmpfloat_with_epsilon (p.loudness_range, 20.0, 1.0);
}

typedef struct
{
  double bpm;
  double rate;
} TempoCase;

static void
test_click_tempo (gconstpointer data)
{
  const TempoCase *c = data;
  gsize n = (gsize) (30 * c->rate);
  g_autofree float *x = signal_clicks (c->rate, n, c->bpm);
  SemblanceProperties p;

  signal_analyze (x, n, c->rate, &p);
  assert_properties_finite (&p);
  g_test_message ("%.0f BPM clicks at %.0f Hz: %.2f BPM, confidence %.2f, "
      "clarity %.2f", c->bpm, c->rate, p.tempo, p.tempo_confidence,
      p.pulse_clarity);
  g_assert_cmpfloat_with_epsilon (p.tempo, c->bpm, 0.25);
  g_assert_false (p.flags & SEMBLANCE_FLAG_NO_PULSE);
  g_assert_cmpfloat (p.tempo_confidence, >, 0.5);
  g_assert_cmpfloat (p.pulse_clarity, >, 0.5);
  g_assert_cmpfloat_with_epsilon (p.vector[SEMBLANCE_F_ONSET_RATE],
      c->bpm / 60.0, 0.1 * c->bpm / 60.0);
}

static void
test_noise_flatness (void)
{
  gsize n = (gsize) (5 * RATE);
  g_autofree float *white = signal_white_noise (RATE, n, 0.5, 1);
  g_autofree float *pink = signal_pink_noise (RATE, n, 0.5, 1);
  SemblanceProperties pw, pp;

  signal_analyze (white, n, RATE, &pw);
  signal_analyze (pink, n, RATE, &pp);
  g_test_message ("flatness: white %.2f dB, pink %.2f dB",
      pw.vector[SEMBLANCE_F_FLATNESS_MEAN], pp.vector[SEMBLANCE_F_FLATNESS_MEAN]);
  /* White noise is flat up to the estimator's own variance (about -2.5 dB
   * for a periodogram); pink noise falls by 3 dB an octave. */
  g_assert_cmpfloat (pw.vector[SEMBLANCE_F_FLATNESS_MEAN], >, -4.0);
  g_assert_cmpfloat (pw.vector[SEMBLANCE_F_FLATNESS_MEAN], >,
      pp.vector[SEMBLANCE_F_FLATNESS_MEAN] + 3.0);
  g_assert_cmpfloat (pw.brightness, >, pp.brightness);
  g_assert_cmpfloat (pw.vector[SEMBLANCE_F_ZCR_MEAN], >,
      pp.vector[SEMBLANCE_F_ZCR_MEAN]);
  g_test_message ("noise: white %.2f BPM (confidence %.2f, clarity %.2f), "
      "pink %.2f BPM (confidence %.2f, clarity %.2f)", pw.tempo,
      pw.tempo_confidence, pw.pulse_clarity, pp.tempo, pp.tempo_confidence,
      pp.pulse_clarity);
  /* Noise has onsets everywhere and a pulse nowhere, and no pitch. */
  g_assert_cmpfloat (pw.pulse_clarity, <, 0.2);
  g_assert_cmpfloat (pp.pulse_clarity, <, 0.2);
  g_assert_cmpuint (pw.flags, ==,
      SEMBLANCE_FLAG_NO_PULSE | SEMBLANCE_FLAG_NO_KEY);
  g_assert_cmpuint (pp.flags, ==,
      SEMBLANCE_FLAG_NO_PULSE | SEMBLANCE_FLAG_NO_KEY);
  g_assert_cmpfloat (pw.tempo, ==, 0.0);
  g_assert_cmpfloat (pp.tempo, ==, 0.0);
}

/* Clicks faster or slower than the tempo range (40 to 240 BPM) are read at
 * a metrical level inside it (a half, a third or a quarter of 250 BPM;
 * twice, three or four times 36), never at the range's ends. */
static void
test_tempo_beyond_range (void)
{
  static const double bpm[] = { 250.0, 36.0 };
  gsize n = (gsize) (30 * RATE), i;

  for (i = 0; i < G_N_ELEMENTS (bpm); i++) {
    g_autofree float *x = signal_clicks (RATE, n, bpm[i]);
    SemblanceProperties p;
    double ratio;

    signal_analyze (x, n, RATE, &p);
    g_test_message ("%.0f BPM clicks: %.2f BPM, confidence %.2f", bpm[i],
        p.tempo, p.tempo_confidence);
    g_assert_cmpfloat (p.tempo, >, 42.0);
    g_assert_cmpfloat (p.tempo, <, 235.0);
    ratio = bpm[i] > p.tempo ? bpm[i] / p.tempo : p.tempo / bpm[i];
    g_assert_cmpfloat (ratio, >, 1.9);
    g_assert_cmpfloat_with_epsilon (ratio, round (ratio), 0.01);
  }
}

/* Adds a click (as signal_clicks() makes them) of @amplitude on every beat
 * at @bpm. */
static void
add_clicks (float *x, gsize n, double bpm, double amplitude)
{
  double period = 60.0 * RATE / bpm, t;
  gsize burst = (gsize) (0.015 * RATE), i;

  for (t = 0.0; t < n; t += period) {
    gsize start = (gsize) llround (t);

    for (i = 0; i < burst && start + i < n; i++)
      x[start + i] += (float) (amplitude * exp (-(double) i / (0.003 * RATE))
          * sin (2.0 * G_PI * 2000.0 * i / RATE));
  }
}

/* Loud clicks at 80 BPM and softer ones at 120 over a faint noise, which
 * meet every 1.5 s: the same pulses grouped in threes and in twos. When
 * the 120 BPM grouping is nearly as strong, it is taken (nearer where
 * listeners tap); when it is faint, the 80 BPM clicks are the beat. */
static void
test_tempo_three_two (void)
{
  static const struct
  {
    double soft, bpm;
  } cases[] = {
    { 0.4, 120.0 }, { 0.1, 80.0 },
  };
  gsize n = (gsize) (30 * RATE), i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree float *x = signal_white_noise (RATE, n, 0.01, 1);
    SemblanceProperties p;

    add_clicks (x, n, 80.0, 0.8);
    add_clicks (x, n, 120.0, cases[i].soft);
    signal_analyze (x, n, RATE, &p);
    g_test_message ("80 BPM clicks at 0.8 and 120 BPM at %.1f: %.2f BPM, "
        "confidence %.2f", cases[i].soft, p.tempo, p.tempo_confidence);
    g_assert_false (p.flags & SEMBLANCE_FLAG_NO_PULSE);
    g_assert_cmpfloat_with_epsilon (p.tempo, cases[i].bpm, 0.5);
  }
}

/* A drum loop at 100 BPM: a kick gliding from 120 to 45 Hz on beats 1 and
 * 3, a noise snare on 2 and 4, a noise hi-hat on every eighth. */
static float *
drum_loop (gsize n)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  float *x = g_new0 (float, n);
  double eighth = 60.0 / 100.0 / 2.0 * RATE, prev = 0.0;
  gsize hit, i;

  for (hit = 0; hit * eighth < n; hit++) {
    gsize start = (gsize) (hit * eighth);
    gboolean kick = hit % 4 == 0, snare = hit % 4 == 2;

    for (i = 0; i < (gsize) (0.3 * RATE) && start + i < n; i++) {
      double t = i / RATE, noise = g_rand_double_range (rand, -1.0, 1.0);
      double v = 0.0;

      if (kick)
        v += 0.7 * exp (-t / 0.08) * sin (2.0 * G_PI * (45.0 * t +
                75.0 * 0.03 * (1.0 - exp (-t / 0.03))));
      if (snare)
        v += 0.4 * exp (-t / 0.06) * noise;
      /* The hat is differentiated noise: mostly above 5 kHz. */
      v += 0.08 * exp (-t / 0.02) * (noise - prev);
      prev = noise;
      x[start + i] += (float) v;
    }
  }
  return x;
}

static void
test_drum_loop_has_no_key (void)
{
  gsize n = (gsize) (20 * RATE);
  g_autofree float *x = drum_loop (n);
  SemblanceProperties p;

  signal_analyze (x, n, RATE, &p);
  assert_properties_finite (&p);
  g_test_message ("drum loop: %.2f BPM, %s %s, strength %.2f, flags %u",
      p.tempo, semblance_key_pitch_name (p.key), p.major ? "major" : "minor",
      p.key_strength, p.flags);
  g_assert_true (p.flags & SEMBLANCE_FLAG_NO_KEY);
  g_assert_false (p.flags & SEMBLANCE_FLAG_NO_PULSE);
  /* The hi-hat's eighths make 200 BPM a fair reading too. */
  g_assert_true (fabs (p.tempo - 100.0) < 0.5 || fabs (p.tempo - 200.0) < 1.0);
  /* Without a key, the circle of fifths and the mode are left at 0. */
  g_assert_cmpfloat (p.vector[SEMBLANCE_F_KEY_SIN], ==, 0.0);
  g_assert_cmpfloat (p.vector[SEMBLANCE_F_KEY_COS], ==, 0.0);
  g_assert_cmpfloat (p.vector[SEMBLANCE_F_MODE], ==, 0.0);
}

/* Adds @midi (a note with six harmonics falling as 1/h, as a plucked or
 * bowed string has) from @start for @seconds, with a short attack and a
 * decay. */
static void
add_note (float *x, gsize n, double start, double seconds, int midi,
          double amplitude, double cents)
{
  double hz = 440.0 * pow (2.0, (midi - 69 + cents / 100.0) / 12.0);
  gsize first = (gsize) (start * RATE), i;
  int h;

  for (i = 0; i < (gsize) (seconds * RATE) && first + i < n; i++) {
    double t = i / RATE, env = MIN (1.0, t / 0.01) * exp (-t / 0.8), v = 0.0;

    for (h = 1; h <= 6; h++)
      v += sin (2.0 * G_PI * h * hz * t) / h;
    x[first + i] += (float) (amplitude * env * v);
  }
}

/* I IV V I in B-flat major (B-flat, E-flat, F, B-flat), each chord a bar
 * of four beats at 120 BPM over its root in the bass, looped: the key of
 * the report, which used to read D minor. */
static float *
chord_loop (gsize n, double cents)
{
  static const int chords[4][4] = {
    { 46, 58, 62, 65 },        /* Bb2; Bb3 D4 F4 */
    { 51, 58, 63, 67 },        /* Eb3; Bb3 Eb4 G4 */
    { 41, 57, 60, 65 },        /* F2; A3 C4 F4 */
    { 46, 58, 62, 65 },
  };
  float *x = g_new0 (float, n);
  double beat = 0.5;
  int bar, b, k;

  for (bar = 0; bar * 4 * beat < (double) n / RATE; bar++)
    for (b = 0; b < 4; b++)
      for (k = 0; k < 4; k++)
        add_note (x, n, (bar * 4 + b) * beat, beat * 0.9,
            chords[bar % 4][k], k == 0 ? 0.15 : 0.08, cents);
  return x;
}

static void
test_chord_loop_key (void)
{
  static const double tunings[] = { 0.0, 30.0, -25.0 };
  gsize n = (gsize) (24 * RATE), i;

  for (i = 0; i < G_N_ELEMENTS (tunings); i++) {
    g_autofree float *x = chord_loop (n, tunings[i]);
    SemblanceProperties p;

    signal_analyze (x, n, RATE, &p);
    assert_properties_finite (&p);
    g_test_message ("B-flat major loop, %+.0f cents: %s %s, strength %.2f, "
        "%.2f BPM, flags %u", tunings[i], semblance_key_pitch_name (p.key),
        p.major ? "major" : "minor", p.key_strength, p.tempo, p.flags);
    g_assert_cmpuint (p.flags, ==, 0);
    g_assert_cmpint (p.key, ==, 10);
    g_assert_cmpint (p.major, ==, 1);
    g_assert_cmpfloat_with_epsilon (p.tempo, 120.0, 0.5);
  }
}

static void
test_triad_mode (void)
{
  static const int c_major[] = { 60, 64, 67, -1 };   /* C4 E4 G4 */
  static const int a_minor[] = { 57, 60, 64, -1 };   /* A3 C4 E4 */
  gsize n = (gsize) (5 * RATE);
  g_autofree float *major = signal_chord (RATE, n, 0.2, c_major);
  g_autofree float *minor = signal_chord (RATE, n, 0.2, a_minor);
  SemblanceProperties pc, pa;

  signal_analyze (major, n, RATE, &pc);
  signal_analyze (minor, n, RATE, &pa);
  g_assert_cmpint (pc.major, ==, 1);
  g_assert_cmpint (pc.key, ==, 0);
  g_assert_cmpfloat (pc.vector[SEMBLANCE_F_MODE], >, 0.0);
  g_assert_cmpint (pa.major, ==, 0);
  g_assert_cmpint (pa.key, ==, 9);
  g_assert_cmpfloat (pa.vector[SEMBLANCE_F_MODE], <, 0.0);
  /* Relative keys sit at the same place on the circle of fifths. */
  g_assert_cmpfloat_with_epsilon (pc.vector[SEMBLANCE_F_KEY_SIN],
      pa.vector[SEMBLANCE_F_KEY_SIN], 1e-6);
  g_assert_cmpfloat_with_epsilon (pc.vector[SEMBLANCE_F_KEY_COS],
      pa.vector[SEMBLANCE_F_KEY_COS], 1e-6);
}

static void
test_silence (void)
{
  gsize n = (gsize) (5 * RATE);
  g_autofree float *x = g_new0 (float, n);
  SemblanceProperties p;

  signal_analyze (x, n, RATE, &p);
  assert_properties_finite (&p);
  g_assert_cmpuint (p.flags, ==, SEMBLANCE_FLAG_SILENT);
  g_assert_cmpfloat (p.tempo, ==, 0.0);
  g_assert_cmpfloat (p.loudness, ==, -70.0);
  g_assert_cmpfloat (p.vector[SEMBLANCE_F_SILENT_FRACTION], ==, 1.0);
  g_assert_cmpfloat (p.vector[SEMBLANCE_F_MEL_MEAN], ==, -100.0);
}

static void
test_nonfinite (void)
{
  gsize n = (gsize) (5 * RATE), i;
  g_autofree float *x = signal_sine (RATE, n, 440.0, 0.5);
  SemblanceProperties p;

  for (i = 0; i < n; i += 1000)
    x[i] = (i / 1000) % 2 ? NAN : INFINITY;
  x[1] = -INFINITY;
  signal_analyze (x, n, RATE, &p);
  assert_properties_finite (&p);
  g_assert_true (p.flags & SEMBLANCE_FLAG_NONFINITE);
  g_assert_false (p.flags & SEMBLANCE_FLAG_SILENT);

  for (i = 0; i < n; i++)
    x[i] = NAN;
  signal_analyze (x, n, RATE, &p);
  assert_properties_finite (&p);
  g_assert_cmpuint (p.flags, ==, SEMBLANCE_FLAG_NONFINITE | SEMBLANCE_FLAG_SILENT);
}

static void
test_short (void)
{
  gsize n = (gsize) (0.5 * RATE);
  g_autofree float *x = signal_sine (RATE, n, 440.0, 0.5);
  SemblanceProperties p;

  signal_analyze (x, n, RATE, &p);
  assert_properties_finite (&p);
  g_assert_cmpuint (p.flags, ==,
      SEMBLANCE_FLAG_SHORT | SEMBLANCE_FLAG_NO_PULSE);
  g_assert_cmpfloat_with_epsilon (p.seconds, 0.5, 1e-6);

  /* Fewer samples than one frame: no frame at all, still defined. */
  signal_analyze (x, 100, RATE, &p);
  assert_properties_finite (&p);
  g_assert_cmpuint (p.flags, ==, SEMBLANCE_FLAG_SHORT | SEMBLANCE_FLAG_SILENT);
}

static void
test_dc_offset (void)
{
  gsize n = (gsize) (5 * RATE), i;
  g_autofree float *x = signal_sine (RATE, n, 440.0, 0.5);
  SemblanceProperties clean, offset;

  signal_analyze (x, n, RATE, &clean);
  for (i = 0; i < n; i++)
    x[i] += 0.25f;
  signal_analyze (x, n, RATE, &offset);
  assert_properties_finite (&offset);
  /* A steady tone: no pulse either. */
  g_assert_cmpuint (offset.flags, ==,
      SEMBLANCE_FLAG_DC_OFFSET | SEMBLANCE_FLAG_NO_PULSE);
  /* The offset is removed before analysis. */
  g_assert_cmpfloat_with_epsilon (offset.brightness, clean.brightness, 2.0);
  g_assert_cmpfloat_with_epsilon (offset.loudness, clean.loudness, 0.1);
}

static void
test_clipping (void)
{
  gsize n = (gsize) (5 * RATE), i;
  g_autofree float *x = signal_sine (RATE, n, 440.0, 2.0);
  SemblanceProperties p;

  for (i = 0; i < n; i++)
    x[i] = CLAMP (x[i], -1.0f, 1.0f);
  signal_analyze (x, n, RATE, &p);
  assert_properties_finite (&p);
  g_assert_cmpuint (p.flags, ==,
      SEMBLANCE_FLAG_CLIPPED | SEMBLANCE_FLAG_NO_PULSE);
  /* Clipping adds odd harmonics: brighter than the pure tone. */
  g_assert_cmpfloat (p.brightness, >, 600.0);
}

static void
test_extreme_values (void)
{
  gsize n = (gsize) (2 * RATE), i;
  g_autofree float *x = signal_white_noise (RATE, n, 1.0, 7);
  SemblanceProperties p;

  for (i = 0; i < n; i++)
    x[i] *= 1e30f;
  signal_analyze (x, n, RATE, &p);
  assert_properties_finite (&p);
  g_assert_true (p.flags & SEMBLANCE_FLAG_CLIPPED);
}

static void
test_partial_results_do_not_disturb (void)
{
  gsize n = (gsize) (10 * RATE), half = n / 2;
  g_autofree float *x = signal_clicks (RATE, n, 120.0);
  g_autoptr (SemblanceExtractor) e = semblance_extractor_new ();
  SemblanceProperties mid, once, twice;

  semblance_extractor_push (e, x, half);
  semblance_extractor_get_properties (e, &mid);
  semblance_extractor_push (e, x + half, n - half);
  semblance_extractor_get_properties (e, &once);
  semblance_extractor_get_properties (e, &twice);
  g_assert_cmpmem (once.vector, sizeof once.vector, twice.vector,
      sizeof twice.vector);
  g_assert_cmpfloat_with_epsilon (mid.seconds, 5.0, 1e-3);

  semblance_extractor_reset (e);
  semblance_extractor_push (e, x, n);
  semblance_extractor_get_properties (e, &twice);
  g_assert_cmpmem (once.vector, sizeof once.vector, twice.vector,
      sizeof twice.vector);
}

static void
test_layout (void)
{
  char name[SEMBLANCE_VALUE_NAME_MAX];
  size_t start, length, total = 0;
  SemblanceGroup g;

  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    semblance_layout_group_range (g, &start, &length);
    g_assert_cmpuint (start, ==, total);
    g_assert_cmpuint (length, >, 0);
    g_assert_cmpint (semblance_layout_group_of (start), ==, g);
    total += length;
  }
  g_assert_cmpuint (total, ==, SEMBLANCE_FEATURE_DIM);
  g_assert_cmpuint (SEMBLANCE_FEATURE_DIM, ==, 122);
  semblance_layout_value_name (SEMBLANCE_F_TEMPO, name);
  g_assert_cmpstr (name, ==, "tempo");
  semblance_layout_value_name (SEMBLANCE_F_MFCC_SD + 3, name);
  g_assert_cmpstr (name, ==, "mfcc_sd_3");
  semblance_layout_value_name (SEMBLANCE_FEATURE_DIM - 1, name);
  g_assert_cmpstr (name, ==, "loudness_variation");
  g_assert_cmpint (semblance_layout_group_of (SEMBLANCE_F_CHROMA), ==,
      SEMBLANCE_GROUP_TONALITY);
}

int
main (int argc, char **argv)
{
  static const TempoCase tempi[] = {
    { 90, RATE }, { 120, RATE }, { 128, RATE }, { 140, RATE }, { 174, RATE },
    { 120, 44100 }, { 174, 48000 },
  };
  gsize i;

  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/extractor/layout", test_layout);
  g_test_add_func ("/extractor/sine-440", test_sine_440);
  g_test_add_func ("/extractor/sine-loudness", test_sine_loudness);
  g_test_add_func ("/extractor/loudness-range", test_loudness_range);
  for (i = 0; i < G_N_ELEMENTS (tempi); i++) {
    g_autofree char *path = g_strdup_printf ("/extractor/clicks/%.0f-bpm-%.0f-hz",
        tempi[i].bpm, tempi[i].rate);

    g_test_add_data_func (path, &tempi[i], test_click_tempo);
  }
  g_test_add_func ("/extractor/noise-flatness", test_noise_flatness);
  g_test_add_func ("/extractor/tempo-beyond-range", test_tempo_beyond_range);
  g_test_add_func ("/extractor/tempo-three-two", test_tempo_three_two);
  g_test_add_func ("/extractor/drum-loop-no-key", test_drum_loop_has_no_key);
  g_test_add_func ("/extractor/chord-loop-key", test_chord_loop_key);
  g_test_add_func ("/extractor/triad-mode", test_triad_mode);
  g_test_add_func ("/extractor/silence", test_silence);
  g_test_add_func ("/extractor/nonfinite", test_nonfinite);
  g_test_add_func ("/extractor/short", test_short);
  g_test_add_func ("/extractor/dc-offset", test_dc_offset);
  g_test_add_func ("/extractor/clipping", test_clipping);
  g_test_add_func ("/extractor/extreme-values", test_extreme_values);
  g_test_add_func ("/extractor/partial-results", test_partial_results_do_not_disturb);
  return g_test_run ();
}
