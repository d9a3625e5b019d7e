/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the widgets share: their translations and how they name a track. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Binds the "semblance" text domain to the installed translations, once. */
void semblance_ui_init_i18n (void);

/* @title, or else the file's name without its folder (in UTF-8), or else
 * @uri itself. */
char *semblance_ui_track_name (const char *uri, const char *title);

G_END_DECLS
