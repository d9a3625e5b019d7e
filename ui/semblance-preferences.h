/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The preferences page: a grid of controls bound to a GSettings object of
 * the schema org.gnome.rhythmbox.plugins.semblance (data/), so that every
 * change applies at once and nothing needs saving.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWidget *semblance_preferences_new (GSettings *settings);

G_END_DECLS
