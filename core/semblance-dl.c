/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-dl.h"

#include <dlfcn.h>

void *
semblance_dl_open (const char *soname)
{
  void *lib = dlopen (soname, RTLD_NOW | RTLD_LOCAL);

  if (!lib)
    g_error ("cannot load %s: %s", soname, dlerror ());
  return lib;
}

void *
semblance_dl_symbol (void *lib, const char *soname, const char *name)
{
  void *f = dlsym (lib, name);

  if (!f)
    g_error ("%s has no %s", soname, name);
  return f;
}
