/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define SEMBLANCE_LAZY_TABLE
#include "semblance-lazy.h"

#include <dlfcn.h>

/* By SemblanceLazyLibrary; from meson.build. */
static const char *const library_names[SEMBLANCE_LAZY_N_LIBRARIES] = {
  SEMBLANCE_SNDFILE_SONAME,
  SEMBLANCE_GST_AUDIO_SONAME,
#ifdef SEMBLANCE_HAVE_FFTW
  SEMBLANCE_FFT_SONAME,
#endif
  SEMBLANCE_GST_APP_SONAME,
  SEMBLANCE_GST_PBUTILS_SONAME,
  SEMBLANCE_EBUR128_SONAME,
};

static const struct
{
  SemblanceLazyLibrary library;
  const char *name;
  gsize offset;
} functions[] = {
#define SEMBLANCE_LAZY_ENTRY(library, name) \
  { SEMBLANCE_LAZY_ ## library, #name, G_STRUCT_OFFSET (SemblanceLazy, name) },
  SEMBLANCE_LAZY_FUNCTIONS (SEMBLANCE_LAZY_ENTRY)
#undef SEMBLANCE_LAZY_ENTRY
};

static SemblanceLazy table;

static void
load (void)
{
  void *libraries[SEMBLANCE_LAZY_N_LIBRARIES];
  guint i;

  /* Kept for the life of the process, as if they were linked. */
  for (i = 0; i < SEMBLANCE_LAZY_N_LIBRARIES; i++)
    if (!(libraries[i] = dlopen (library_names[i], RTLD_NOW | RTLD_LOCAL)))
      g_error ("cannot load %s: %s", library_names[i], dlerror ());
  for (i = 0; i < G_N_ELEMENTS (functions); i++) {
    void *f = dlsym (libraries[functions[i].library], functions[i].name);

    if (!f)
      g_error ("%s has no %s", library_names[functions[i].library],
          functions[i].name);
    G_STRUCT_MEMBER (void *, &table, functions[i].offset) = f;
  }
}

const SemblanceLazy *
semblance_lazy (void)
{
  static gsize once;

  if (g_once_init_enter (&once)) {
    load ();
    g_once_init_leave (&once, 1);
  }
  return &table;
}
