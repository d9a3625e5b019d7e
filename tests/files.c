/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "files.h"

#include <fcntl.h>
#include <glib/gstdio.h>
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
