/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a query of the library asks for (how many results, which tracks may
 * be among them), and how a player explains a result: the property groups
 * in which it is close to the query.
 */
#pragma once

#include <glib.h>

#include "semblance-export.h"
#include "semblance-layout.h"

G_BEGIN_DECLS

typedef struct
{
  guint n;                    /* results wanted (20) */
  gboolean keep_seeds;        /* let the seeds themselves be results (FALSE) */
  gboolean exclude_seed_albums; /* no track from a seed's album (FALSE) */
  guint max_per_artist;       /* 0: no cap (0) */
  guint max_per_album;        /* 0: no cap (0) */
  double min_duration;        /* seconds; 0: no bound (0) */
  double max_duration;        /* seconds; 0: no bound (0) */
  gboolean mutual_proximity;  /* rank by mutual proximity, which keeps the
                               * tracks that are near everything (hubs)
                               * from filling every list (TRUE) */
  const char *const *exclude; /* URIs never among the results, NULL-ended;
                               * tracks not in the library are ignored
                               * (NULL); the _async calls copy them */
  gboolean keep_duplicates;   /* let near-duplicates (the same recording in
                               * another version, by their Chromaprint
                               * fingerprints) of the seeds or of a better
                               * result be results (FALSE) */
  gboolean include_short;     /* text search: rank short clips (jingles,
                               * effects: under 10 s) too (FALSE) */
} SemblanceQueryOptions;

/* Sets every option to its default (the values in brackets above). */
SEMBLANCE_EXPORT
void semblance_query_options_init (SemblanceQueryOptions *options);

/* The two property groups that make a match close: the indices of the two
 * largest of @closeness (SEMBLANCE_N_GROUPS values, as in SemblanceResult). */
SEMBLANCE_EXPORT
void semblance_closeness_top2 (const float *closeness, guint *first,
                               guint *second);

G_END_DECLS
