/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Live analysis: the `semblance` element in the player's filter chain, its
 * messages read from the player's bus, and the rules that tie them to the
 * library. While a track plays, its property vector so far comes out as
 * the "vector" signal, so that a track the index does not have yet gets
 * suggestions; a local track heard (nearly) to the end is stored in the
 * index with the analysis made while it played, and "stored" tells so.
 *
 * Signals, on the main thread:
 *   "vector" (gpointer floats): the playing track's property vector, of
 *     semblance_library_get_dim() values;
 *   "stored" (const char *uri): its whole-track analysis reached the index.
 */
#pragma once

#include <glib-object.h>

#include "semblance.h"

G_BEGIN_DECLS

#define RB_TYPE_SEMBLANCE_LIVE (rb_semblance_live_get_type ())
G_DECLARE_FINAL_TYPE (RBSemblanceLive, rb_semblance_live, RB, SEMBLANCE_LIVE,
                      GObject)

void _rb_semblance_live_register_type (GTypeModule *module);

/* Adds the element to @player (an RBPlayerGstFilter), with the model of
 * @library. Fails when the element cannot be made. The element leaves the
 * player when the object is disposed. */
RBSemblanceLive *rb_semblance_live_new (GObject *player,
                                        SemblanceLibrary *library,
                                        GError **error);

/* The track the player plays now (NULL for none), and its duration in
 * seconds as the player knows it (0 when unknown). */
void rb_semblance_live_set_playing (RBSemblanceLive *self, const char *uri,
                                    double duration);

G_END_DECLS
