/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * For the analyzer and its tests: the low-pass filter with which
 * GStreamer's converter halves a rate, which the analyzer's decimator
 * applies instead (semblance-decimator.h).
 */
#pragma once

#include <glib.h>
#include <stddef.h>

/* Whether there is one: GStreamer's filter for 2:1, read off its impulse
 * response once per process, in SEMBLANCE_DECIMATOR_LANES taps or a
 * multiple, for inputs 2j - n / 2 + 1 to 2j + n / 2 of output j. FALSE
 * when this GStreamer's filter is not of that shape. The taps belong to
 * the process. */
gboolean semblance_analysis_halving_taps (const float **taps, size_t *n_taps);
