/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-album-artist.h"

#include <dlfcn.h>

static SemblanceTaglibReadAlbumArtist read_album_artist;

/* The module, from the folders of the engine's RUNPATH (where it is
 * installed, or the build tree's), then the loader's usual ones. */
static void
load_module (void)
{
  void *module = dlopen (SEMBLANCE_TAGLIB_MODULE, RTLD_LAZY | RTLD_LOCAL);

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
