/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dladdr () */
#define _GNU_SOURCE
#include "semblance-album-artist.h"

#include <dlfcn.h>

static SemblanceTaglibReadAlbumArtist read_album_artist;

/* The module, the first of: the file $SEMBLANCE_TAGLIB_MODULE names (the
 * tests'); the one beside the library that holds this code, installed
 * (libdir/semblance-1) or in the build tree (core/analysis); the installed
 * path; the bare name, searched in the calling object's RUNPATH (the tests
 * that link the engine statically). Found by path, the library needs no
 * RUNPATH of its own: one made the loader look in that folder first for
 * each of its libraries, 68 failed opens and 0.2 ms of CPU at every start
 * (README, "Small commands"). */
static void
load_module (void)
{
  Dl_info self = { 0 };
  g_autofree char *folder = NULL, *installed = NULL, *built = NULL;
  const char *candidates[5] = { g_getenv ("SEMBLANCE_TAGLIB_MODULE") };
  void *module = NULL;
  guint i;

  if (dladdr ((void *) load_module, &self) && self.dli_fname) {
    folder = g_path_get_dirname (self.dli_fname);
    installed = g_build_filename (folder, "semblance-1",
        SEMBLANCE_TAGLIB_MODULE, NULL);
    built = g_build_filename (folder, "analysis", SEMBLANCE_TAGLIB_MODULE,
        NULL);
  }
  candidates[1] = installed;
  candidates[2] = built;
  candidates[3] = SEMBLANCE_TAGLIB_INSTALLED;
  candidates[4] = SEMBLANCE_TAGLIB_MODULE;
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
