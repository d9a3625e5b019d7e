/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "files.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

void
flip_in_place (const char *path, goffset at)
{
  struct stat st;
  struct timespec times[2];
  guint8 byte;
  int fd = g_open (path, O_RDWR, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fstat (fd, &st), ==, 0);
  g_assert_cmpint (pread (fd, &byte, 1, at), ==, 1);
  byte ^= 0x40;
  g_assert_cmpint (pwrite (fd, &byte, 1, at), ==, 1);
  times[0] = st.st_atim;
  times[1] = st.st_mtim;
  g_assert_cmpint (futimens (fd, times), ==, 0);
  close (fd);
}

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
