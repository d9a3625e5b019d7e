/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The width of a sidebar in a player's GtkPaned: it opens at the width a
 * setting holds, measured from the pane's far edge (so that it stays when
 * the window grows), and the setting follows the width the user drags it
 * to. A player's own position for the pane (Rhythmbox keeps one measured
 * from the near edge, 400 pixels by default, which gave the sidebar most
 * of a wide window) is overridden once, when the sidebar is first placed.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Keeps @sidebar, the second child of a GtkPaned (now or once it is put
 * into one), at the width of @settings' unsigned key @key, never wider than
 * half the pane: the pane's main child stays readable. Lasts as long as
 * @sidebar. */
void semblance_pane_width_keep (GtkWidget *sidebar, GSettings *settings,
                                const char *key);

G_END_DECLS
