/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the analysis says about a track: the feature vector (its layout is
 * semblance-layout.h), the headline properties a musician reads (tempo, key,
 * loudness, brightness) and flags for values that need a caveat.
 */
#pragma once

#include <glib-object.h>

#include "semblance-export.h"
#include "semblance-layout.h"

G_BEGIN_DECLS

/**
 * SemblanceFlags:
 * @SEMBLANCE_FLAG_SILENT: no frame rose above SEMBLANCE_SILENCE_DB; the
 *   vector holds the values of silence (floors and zeros)
 * @SEMBLANCE_FLAG_SHORT: less than one second was analysed; rhythm and
 *   loudness range are not meaningful
 * @SEMBLANCE_FLAG_CLIPPED: at least 0.1% of the samples are at full scale
 * @SEMBLANCE_FLAG_NONFINITE: NaN or infinite samples were replaced by zeros
 * @SEMBLANCE_FLAG_DC_OFFSET: the input has a DC offset above 1% of full
 *   scale; it was removed before analysis
 * @SEMBLANCE_FLAG_NO_PULSE: no clear periodic pulse (a steady sound,
 *   noise, free time); the tempo is 0
 * @SEMBLANCE_FLAG_NO_KEY: the pitch content is too flat or too noisy for
 *   a key (drums, noise, atonal music); key, mode and key strength name
 *   the nearest key only
 *
 * Registered as a GFlags type (SEMBLANCE_TYPE_FLAGS) whose nicks are the
 * names semblance_flags_to_string() writes.
 */
typedef enum /*< flags,prefix=SEMBLANCE_FLAG >*/
{
  SEMBLANCE_FLAG_SILENT = 1 << 0,     /*< nick=silent >*/
  SEMBLANCE_FLAG_SHORT = 1 << 1,      /*< nick=short >*/
  SEMBLANCE_FLAG_CLIPPED = 1 << 2,    /*< nick=clipped >*/
  SEMBLANCE_FLAG_NONFINITE = 1 << 3,  /*< nick=nonfinite >*/
  SEMBLANCE_FLAG_DC_OFFSET = 1 << 4,  /*< nick=dc-offset >*/
  SEMBLANCE_FLAG_NO_PULSE = 1 << 5,   /*< nick=no-pulse >*/
  SEMBLANCE_FLAG_NO_KEY = 1 << 6,     /*< nick=no-key >*/
} SemblanceFlags;

typedef struct
{
  unsigned layout_version;   /* SEMBLANCE_LAYOUT_VERSION */
  double seconds;            /* audio analysed */
  unsigned flags;            /* SemblanceFlags */
  double tempo;              /* BPM, 0 without a pulse */
  double pulse_clarity;      /* 0-1 */
  int key;                   /* tonic pitch class, 0 = C */
  int major;                 /* 1 major, 0 minor */
  double key_strength;       /* -1 to 1 */
  double loudness;           /* integrated, LUFS */
  double loudness_range;     /* LU */
  double brightness;         /* mean spectral centroid, Hz */
  float vector[SEMBLANCE_FEATURE_DIM];
  double tempo_confidence;   /* 0-1: how far the tempo stands out from the
                              * other candidates; 0 without a pulse */
} SemblanceProperties;

/* A short text for @flags, such as "silent,short", or "" for none. The
 * buffer must hold at least 64 bytes. */
SEMBLANCE_EXPORT
const char *semblance_flags_to_string (unsigned flags, char *buf, size_t size);

/* "C", "C#", "D", "Eb" ... "B" for pitch classes 0 to 11. */
SEMBLANCE_EXPORT
const char *semblance_key_pitch_name (int pitch_class);

G_END_DECLS
