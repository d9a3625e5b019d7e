/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Near-duplicates: the same recording in other versions matches, other
 * music does not. */
#include <glib/gstdio.h>
#include <sndfile.h>

#include "semblance-fingerprint.h"

static const char *const clips[] = {
  "awakening.ogg", "battle.ogg", "love-theme.ogg", "nebula.ogg", "sad.ogg",
  "traveling-minstrels.ogg",
};

static char *
demo (const char *name)
{
  return g_build_filename (g_getenv ("SEMBLANCE_DEMO_DIR"), name, NULL);
}

/* @from again as FLAC: @gain times as loud, without its first @skip
 * seconds. */
static void
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

static guint32 *
fingerprint (const char *path, guint *n)
{
  g_autoptr (GError) error = NULL;
  guint32 *fp = semblance_fingerprint_file (path, NULL, n, &error);

  g_assert_no_error (error);
  g_assert_nonnull (fp);
  /* 18.7 s clips or more: about 8 values a second, less Chromaprint's
   * delay. */
  g_assert_cmpuint (*n, >, 120);
  return fp;
}

static void
test_versions (void)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-fp-XXXXXX", NULL);
  g_autofree char *sad = demo ("sad.ogg");
  g_autofree char *quieter = g_build_filename (dir, "quieter.flac", NULL);
  g_autofree char *cut = g_build_filename (dir, "cut.flac", NULL);
  g_autofree guint32 *a = NULL, *b = NULL, *c = NULL;
  guint na, nb, nc;

  write_version (sad, quieter, 0.5, 0.0);
  write_version (sad, cut, 0.9, 1.3);
  a = fingerprint (sad, &na);
  b = fingerprint (quieter, &nb);
  c = fingerprint (cut, &nc);
  g_assert_true (semblance_fingerprint_match (a, na, b, nb));
  g_assert_true (semblance_fingerprint_match (a, na, c, nc));
  g_assert_true (semblance_fingerprint_match (c, nc, a, na));
  g_assert_true (semblance_fingerprint_match (b, nb, c, nc));
  g_unlink (quieter);
  g_unlink (cut);
  g_rmdir (dir);
}

static void
test_other_music (void)
{
  guint32 *fp[G_N_ELEMENTS (clips)];
  guint n[G_N_ELEMENTS (clips)], i, j;

  for (i = 0; i < G_N_ELEMENTS (clips); i++) {
    g_autofree char *path = demo (clips[i]);

    fp[i] = fingerprint (path, &n[i]);
  }
  for (i = 0; i < G_N_ELEMENTS (clips); i++)
    for (j = 0; j < G_N_ELEMENTS (clips); j++) {
      gboolean same = semblance_fingerprint_match (fp[i], n[i], fp[j], n[j]);

      g_test_message ("%s %s: %s", clips[i], clips[j], same ? "same" : "-");
      g_assert_true (same == (i == j));
    }
  for (i = 0; i < G_N_ELEMENTS (clips); i++)
    g_free (fp[i]);
}

static void
test_not_audio (void)
{
  g_autofree char *dir = g_dir_make_tmp ("semblance-fp-XXXXXX", NULL);
  g_autofree char *text = g_build_filename (dir, "text.mp3", NULL);
  g_autoptr (GError) error = NULL;
  guint n = 1;

  g_assert_true (g_file_set_contents (text, "not audio\n", -1, NULL));
  g_assert_null (semblance_fingerprint_file (text, NULL, &n, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (g_strstr_len (error->message, -1, "text.mp3"));
  g_assert_cmpuint (n, ==, 0);
  g_unlink (text);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fingerprint/versions", test_versions);
  g_test_add_func ("/fingerprint/other-music", test_other_music);
  g_test_add_func ("/fingerprint/not-audio", test_not_audio);
  return g_test_run ();
}
