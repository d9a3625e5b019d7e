/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: arbitrary bytes as a music file whose tags are read, as
 * the indexer reads them. */
#include <stdint.h>

#include <glib/gstdio.h>

#include "semblance-tags.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
assert_text (const char *s)
{
  g_assert_true (s == NULL || g_utf8_validate (s, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *path;
  g_auto (SemblanceTrackInfo) info = { 0 };

  if (!path) {
    g_autofree char *dir = g_dir_make_tmp ("semblance-fuzz-XXXXXX", NULL);

    g_assert_nonnull (dir);
    path = g_build_filename (dir, "track.ogg", NULL);
  }
  g_assert_true (g_file_set_contents (path, (const char *) data, size, NULL));
  semblance_read_tags (path, &info);
  /* Tags are text the store keeps and the tools print. */
  assert_text (info.title);
  assert_text (info.artist);
  assert_text (info.album);
  assert_text (info.album_artist);
  assert_text (info.genre);
  g_assert_true (info.duration >= 0.0 && info.duration < 1e9);
  return 0;
}
