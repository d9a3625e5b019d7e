/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Live analysis: the `semblance` element in the player's filter chain, and
 * its messages read from the player's bus. Each message reports the track's
 * analysis so far; the last one of a track is marked final.
 */
#pragma once

#include <glib-object.h>

#include "semblance.h"

G_BEGIN_DECLS

typedef struct _RbSemblanceLive RbSemblanceLive;

/* On the main thread: @props holds the analysis so far (props->seconds of
 * audio), @vector its property vector of the element's model. */
typedef void (*RbSemblanceLiveFunc) (const SemblanceProperties *props,
                                     const float *vector, guint dim,
                                     gboolean final, gpointer data);

/* Adds the element to @player (an RBPlayerGstFilter) with @model (NULL for
 * the default one). Fails when the element cannot be made. */
RbSemblanceLive *rb_semblance_live_new (GObject *player, const char *model,
                                        RbSemblanceLiveFunc func,
                                        gpointer data, GError **error);

/* Removes the element from the player. */
void rb_semblance_live_free (RbSemblanceLive *self);

G_END_DECLS
