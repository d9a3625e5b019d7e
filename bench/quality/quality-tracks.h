/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the quality benchmark knows of each file: the engine's feature
 * vector (semblance_analyze_file, as `semblance analyze` and the indexer
 * make it) and our Musly-grade timbre model (quality-audio.h), analysed on
 * a pool of threads and cached per file under
 * ${XDG_CACHE_HOME:-~/.cache}/semblance/bench-quality, keyed by the path,
 * size and modification time, and by the feature layout version (features)
 * or QUALITY_TIMBRE_VERSION (timbre models), so that a rerun decodes
 * nothing that has not changed.
 */
#pragma once

#include <glib.h>

#include "quality-audio.h"
#include "semblance-layout.h"

/* Bump when the timbre model of quality-audio.c changes what it makes. */
#define QUALITY_TIMBRE_VERSION 2

typedef struct
{
  char *path;
  double seconds;               /* audio the engine analysed */
  float features[SEMBLANCE_FEATURE_DIM];
  QualityGaussian timbre;
} QualityTrack;

void quality_track_free (QualityTrack *track);

/**
 * quality_tracks_analyse:
 * @paths: the files
 * @threads: analysis threads (at least 1)
 * @failures: gets one "FILE: reason" string per file that could not be
 *   analysed, which is also printed on standard error
 *
 * Returns: (element-type QualityTrack): the files that could be analysed,
 *   in the order of @paths. Progress goes to standard error.
 */
GPtrArray *quality_tracks_analyse (GPtrArray *paths, guint threads,
                                   GPtrArray *failures);
