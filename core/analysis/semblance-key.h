/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Key, mode and whether there is a key at all.
 *
 * The key finder takes the mono signal, halves its rate and measures a
 * chroma from spectral peaks (long frames, so that bass notes are told
 * apart): each peak's interpolated frequency places it on a pitch circle
 * of 10-cent bins, so a flat spectrum (noise, drums) gives a flat chroma
 * whatever the FFT's bin spacing. At the end the tuning is taken from the
 * peaks themselves (the circular mean of their offsets from the
 * equal-tempered grid) and the circle is folded into 12 pitch classes
 * around it. The key is the best of the 24 rotations of a major and a
 * minor key profile. Memory is fixed at creation.
 */
#pragma once

#include <glib.h>
#include <stddef.h>

typedef struct
{
  int tonic;          /* pitch class of the tonic: 0 = C ... 11 = B */
  int major;          /* 1 for major, 0 for minor */
  double strength;    /* correlation with the best key's profile, -1 to 1 */
  double mode;        /* best major minus best minor correlation: > 0 major */
  gboolean keyless;   /* the chroma is too flat or too noisy for a key */
  double tuning;      /* semitones from A = 440 Hz, -0.5 to 0.5 */
  double chroma[12];  /* tuned pitch-class weights, C first, sum 1 (or all 0) */
} SemblanceKey;

/* Estimates the key of @chroma (12 non-negative values, C first) by the
 * profiles alone: tonic, major, strength and mode (keyless, tuning and
 * chroma are left alone). A flat or empty chroma gives C major with
 * strength 0. */
void semblance_key_estimate (const double chroma[12], SemblanceKey *key);

typedef struct _SemblanceKeyFinder SemblanceKeyFinder;

/* @rate: the rate of the pushed signal, 16 kHz or more. */
SemblanceKeyFinder *semblance_key_finder_new (double rate);
void semblance_key_finder_free (SemblanceKeyFinder *self);

/* Forgets everything: a new signal starts. */
void semblance_key_finder_reset (SemblanceKeyFinder *self);

/* The signal jumps (a seek): the frame under way is dropped. */
void semblance_key_finder_discont (SemblanceKeyFinder *self);

void semblance_key_finder_push (SemblanceKeyFinder *self, const float *x,
                                size_t n);

/* The key of what was pushed so far; keyless when nothing was heard. */
void semblance_key_finder_result (const SemblanceKeyFinder *self,
                                  SemblanceKey *key);
