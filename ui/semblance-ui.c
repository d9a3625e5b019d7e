/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-ui.h"

#include <glib/gi18n-lib.h>

void
semblance_ui_init_i18n (void)
{
  static gsize done;

  if (g_once_init_enter (&done)) {
    bindtextdomain (GETTEXT_PACKAGE, SEMBLANCE_LOCALEDIR);
    bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    g_once_init_leave (&done, 1);
  }
}

char *
semblance_ui_track_name (const char *uri, const char *title)
{
  g_autofree char *path = NULL, *base = NULL;

  if (title && *title)
    return g_strdup (title);
  path = g_filename_from_uri (uri, NULL, NULL);
  if (!path)
    return g_strdup (uri);
  base = g_path_get_basename (path);
  return g_filename_display_name (base);
}
