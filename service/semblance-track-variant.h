/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The answers of org.gnome.Semblance1 as GVariants: tracks as a{sv}, lists
 * of them as aa{sv}, an analysis as a{sv}; org.gnome.Semblance1.xml
 * documents the keys.
 */
#pragma once

#include "semblance-service.h"

G_BEGIN_DECLS

/* A floating a{sv}; @id is the index's id of the track. */
GVariant *semblance_track_to_variant (const SemblanceResult *track,
                                      gint64 id);

/* A floating aa{sv} of @tracks (SemblanceResult), with their ids. */
GVariant *semblance_tracks_to_variant (GPtrArray *tracks,
                                       SemblanceService *service);

/* A floating a{sv}, without the tracks. */
GVariant *semblance_analysis_to_variant (const SemblanceServiceAnalysis *a);

G_END_DECLS
