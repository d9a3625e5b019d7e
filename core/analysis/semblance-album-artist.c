/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-album-artist.h"

#include <dlfcn.h>

static SemblanceTaglibReadAlbumArtist read_album_artist;

/* The module: the file $SEMBLANCE_TAGLIB_MODULE names (the build tree's,
 * for the tests), else the installed one, else the name searched in the
 * folders of the calling object's RUNPATH and the loader's usual ones.
 * RUNPATH alone is not enough: a sanitizer's dlopen interceptor becomes
 * the calling object, and its RUNPATH has neither folder. */
static void
load_module (void)
{
  const char *candidates[] = { g_getenv ("SEMBLANCE_TAGLIB_MODULE"),
    SEMBLANCE_TAGLIB_INSTALLED, SEMBLANCE_TAGLIB_MODULE };
  void *module = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (candidates) && !module; i++)
    if (candidates[i] && *candidates[i])
      module = dlopen (candidates[i], RTLD_LAZY | RTLD_LOCAL);
  if (module) {
    *(void **) &read_album_artist = dlsym (module,
        SEMBLANCE_TAGLIB_READ_ALBUM_ARTIST);
    if (read_album_artist)
      return;               /* kept for the life of the process */
  }
  /* Tracks are then stored without an album artist; say why, once. */
  g_warning ("album artists cannot be read: %s", dlerror ());
  if (module)
    dlclose (module);
}

char *
semblance_read_album_artist (int fd)
{
  static gsize once;

  if (g_once_init_enter (&once)) {
    load_module ();
    g_once_init_leave (&once, 1);
  }
  return read_album_artist ? read_album_artist (fd) : NULL;
}
