/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Synthetic test signals, generated at any rate, and a helper that analyses them. */
#pragma once

#include <glib.h>

#include "semblance.h"

/* Each returns a newly allocated mono signal of @n samples at @rate. */
float *signal_sine (double rate, gsize n, double hz, double amplitude);
float *signal_clicks (double rate, gsize n, double bpm);
float *signal_white_noise (double rate, gsize n, double amplitude, guint32 seed);
float *signal_pink_noise (double rate, gsize n, double amplitude, guint32 seed);
/* Sum of sines at the given MIDI notes (-1 ends the list). */
float *signal_chord (double rate, gsize n, double amplitude, const int *midi_notes);

/* Analyses a mono float signal at @rate through the analyzer. */
void signal_analyze (const float *x, gsize n, double rate,
                     SemblanceProperties *props);

/* Asserts that every value in @props is finite. */
void assert_properties_finite (const SemblanceProperties *props);
