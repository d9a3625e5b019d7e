/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "signals.h"

#include <math.h>

float *
signal_sine (double rate, gsize n, double hz, double amplitude)
{
  float *x = g_new (float, n);
  gsize i;

  for (i = 0; i < n; i++)
    x[i] = (float) (amplitude * sin (2.0 * G_PI * hz * i / rate));
  return x;
}

/* A 15 ms burst of a decaying 2 kHz tone on every beat: a metronome. */
float *
signal_clicks (double rate, gsize n, double bpm)
{
  float *x = g_new0 (float, n);
  double period = 60.0 * rate / bpm, t;
  gsize burst = (gsize) (0.015 * rate), i;

  for (t = 0.0; t < n; t += period) {
    gsize start = (gsize) llround (t);

    for (i = 0; i < burst && start + i < n; i++)
      x[start + i] = (float) (0.8 * exp (-(double) i / (0.003 * rate)) *
          sin (2.0 * G_PI * 2000.0 * i / rate));
  }
  return x;
}

float *
signal_white_noise (double rate, gsize n, double amplitude, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  float *x = g_new (float, n);
  gsize i;

  for (i = 0; i < n; i++)
    x[i] = (float) (amplitude * g_rand_double_range (rand, -1.0, 1.0));
  return x;
}

/* Paul Kellet's economy filter: white noise to a 1/f spectrum within 0.5 dB. */
float *
signal_pink_noise (double rate, gsize n, double amplitude, guint32 seed)
{
  float *x = signal_white_noise (rate, n, 1.0, seed);
  double b0 = 0, b1 = 0, b2 = 0;
  gsize i;

  for (i = 0; i < n; i++) {
    double w = x[i];

    b0 = 0.99765 * b0 + w * 0.0990460;
    b1 = 0.96300 * b1 + w * 0.2965164;
    b2 = 0.57000 * b2 + w * 1.0526913;
    x[i] = (float) (amplitude * 0.25 * (b0 + b1 + b2 + w * 0.1848));
  }
  return x;
}

float *
signal_chord (double rate, gsize n, double amplitude, const int *midi_notes)
{
  float *x = g_new0 (float, n);
  gsize i;

  for (; *midi_notes >= 0; midi_notes++) {
    double hz = 440.0 * pow (2.0, (*midi_notes - 69) / 12.0);

    for (i = 0; i < n; i++)
      x[i] += (float) (amplitude * sin (2.0 * G_PI * hz * i / rate));
  }
  return x;
}

void
signal_analyze (const float *x, gsize n, double rate, SemblanceProperties *props)
{
  g_autoptr (SemblanceAnalyzer) analyzer = NULL;
  g_autoptr (GError) error = NULL;
  GstAudioInfo info;

  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_F32, (gint) rate, 1,
      NULL);
  analyzer = semblance_analyzer_new (&info, &error);
  g_assert_no_error (error);
  semblance_analyzer_push (analyzer, x, n);
  semblance_analyzer_get_properties (analyzer, props);
}

void
assert_properties_finite (const SemblanceProperties *props)
{
  gsize i;

  g_assert_true (isfinite (props->tempo));
  g_assert_true (isfinite (props->pulse_clarity));
  g_assert_true (isfinite (props->key_strength));
  g_assert_true (isfinite (props->loudness));
  g_assert_true (isfinite (props->loudness_range));
  g_assert_true (isfinite (props->brightness));
  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++) {
    if (!isfinite (props->vector[i])) {
      char name[SEMBLANCE_VALUE_NAME_MAX];

      semblance_layout_value_name (i, name);
      g_error ("feature %s (%zu) is not finite", name, i);
    }
  }
}
