/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define SEMBLANCE_LAZY_TABLE
#include "semblance-lazy.h"

#include "semblance-dl.h"

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

  for (i = 0; i < SEMBLANCE_LAZY_N_LIBRARIES; i++)
    libraries[i] = semblance_dl_open (library_names[i]);
  for (i = 0; i < G_N_ELEMENTS (functions); i++)
    G_STRUCT_MEMBER (void *, &table, functions[i].offset) =
        semblance_dl_symbol (libraries[functions[i].library],
            library_names[functions[i].library], functions[i].name);
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
