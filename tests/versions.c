/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "versions.h"

#include <sndfile.h>

void
write_version (const char *from, const char *to, double gain, double skip)
{
  SF_INFO in = { 0 }, out;
  SNDFILE *a = sf_open (from, SFM_READ, &in), *b;
  g_autofree float *x = NULL;
  sf_count_t n, i;

  g_assert_nonnull (a);
  out = (SF_INFO) { .samplerate = in.samplerate, .channels = in.channels,
    .format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16 };
  b = sf_open (to, SFM_WRITE, &out);
  g_assert_nonnull (b);
  x = g_new (float, (gsize) in.frames * in.channels);
  n = sf_readf_float (a, x, in.frames);
  for (i = 0; i < n * in.channels; i++)
    x[i] *= (float) gain;
  i = (sf_count_t) (skip * in.samplerate);
  sf_writef_float (b, x + i * in.channels, n - i);
  sf_close (a);
  sf_close (b);
}
