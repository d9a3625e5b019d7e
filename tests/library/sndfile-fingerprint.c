/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sndfile-fingerprint.h"

#include <sndfile.h>

#include "semblance-fingerprint.h"

guint32 *
sndfile_fingerprint (const char *path, guint *n_items)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceFingerprinter) fp = semblance_fingerprinter_new
      (&error);
  g_autofree float *chunk = NULL;
  SF_INFO info = { 0 };
  SNDFILE *file = sf_open (path, SFM_READ, &info);
  sf_count_t left, got;

  g_assert_no_error (error);
  g_assert_nonnull (file);
  chunk = g_new (float, (gsize) 4096 * info.channels);
  left = (sf_count_t) SEMBLANCE_FINGERPRINT_SECONDS * info.samplerate;
  while (left > 0 && (got = sf_readf_float (file, chunk, MIN (left,
                  4096))) > 0) {
    semblance_fingerprinter_feed (fp, info.samplerate, info.channels, chunk,
        (gsize) got);
    left -= got;
  }
  sf_close (file);
  return semblance_fingerprinter_finish (fp, n_items);
}
