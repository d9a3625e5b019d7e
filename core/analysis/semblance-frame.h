/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Descriptors of one analysis frame: a Hann-windowed FFT (semblance-fft.h)
 * and what is measured on its spectrum and samples.
 */
#pragma once

#include <glib.h>
#include <stddef.h>

#include "semblance-layout.h"

/* The level below which a value in dB is not told apart from silence. */
#define SEMBLANCE_DB_FLOOR (-100.0f)

typedef struct _SemblanceFrameAnalyzer SemblanceFrameAnalyzer;

typedef struct
{
  float rms_db;                      /* dBFS: a full-scale sine is -3 dB */
  float zcr;                         /* zero crossings per sample */
  float mel_db[SEMBLANCE_N_MEL];     /* log-mel band energies */
  float mfcc[SEMBLANCE_N_MFCC];      /* orthonormal DCT-II of mel_db */
  float centroid;                    /* Hz */
  float bandwidth;                   /* Hz, spread around the centroid */
  float rolloff;                     /* Hz below which 85% of the magnitude lies */
  float flatness_db;                 /* geometric over arithmetic mean power, dB */
  float flux;                        /* change of the normalised spectrum, 0-sqrt(2) */
  gboolean has_contrast;             /* contrast is measured on some frames only */
  float contrast[SEMBLANCE_N_CONTRAST]; /* peak over valley per octave band, dB */
  float chroma[12];                  /* pitch-class energy, sums to 1 (or all 0) */
  float onset;                       /* rise of the log-mel bands, dB per band */
} SemblanceFrame;

/* @rate: sample rate; @size: frame length in samples, even. */
SemblanceFrameAnalyzer *semblance_frame_analyzer_new (double rate, size_t size);
void semblance_frame_analyzer_free (SemblanceFrameAnalyzer *self);

/* Flux and onset compare with the previous frame; after this call the next
 * frame has none. */
void semblance_frame_analyzer_discont (SemblanceFrameAnalyzer *self);

/* Analyses @samples (the frame length given at creation; not modified). */
void semblance_frame_analyzer_process (SemblanceFrameAnalyzer *self,
                                       const float *samples,
                                       SemblanceFrame *frame);
