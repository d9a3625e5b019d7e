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

/* The match as it was first written, a hash table for each pair: the
 * index must decide every pair as it does, ties between offsets
 * included. */
static gboolean
reference_match (const guint32 *a, guint n_a, const guint32 *b, guint n_b)
{
  g_autoptr (GHashTable) where = NULL;
  g_autofree guint *votes = NULL;
  guint i, best = 0, bits = 0, overlap = 0;
  gint offset = 0;

  if (n_a < 80 || n_b < 80)
    return FALSE;
  where = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (i = 0; i < n_a; i++)
    g_hash_table_insert (where, GUINT_TO_POINTER (a[i] | 1u),
        GUINT_TO_POINTER (i + 1));
  votes = g_new0 (guint, n_a + n_b);
  for (i = 0; i < n_b; i++) {
    guint at = GPOINTER_TO_UINT (g_hash_table_lookup (where,
            GUINT_TO_POINTER (b[i] | 1u)));

    if (at && ++votes[at - 1 + n_b - i] > best) {
      best = votes[at - 1 + n_b - i];
      offset = (gint) (at - 1) - (gint) i;
    }
  }
  if (best < 2)
    return FALSE;
  for (i = 0; i < n_a; i++) {
    gint j = (gint) i - offset;

    if (j >= 0 && j < (gint) n_b) {
      bits += (guint) __builtin_popcount (a[i] ^ b[j]);
      overlap++;
    }
  }
  return overlap >= 80 && bits / (32.0 * overlap) < 0.25;
}

/* @n values: random words, or, to make equal values, repeats and offset
 * ties, words from a few, some of them one bit 0 apart. */
static guint32 *
random_fingerprint (guint n, guint alphabet)
{
  guint32 *fp = g_new (guint32, n), words[8];
  guint i;

  for (i = 0; i < G_N_ELEMENTS (words); i++)
    words[i] = (guint32) g_test_rand_int () ^ (i & 1);
  for (i = 0; i < n; i++)
    fp[i] = alphabet ? words[g_test_rand_int_range (0, (gint) alphabet)]
        : (guint32) g_test_rand_int ();
  return fp;
}

/* @from from @start on, @n values, each with up to @flips bits changed. */
static guint32 *
version_of (const guint32 *from, guint n_from, gint start, guint n,
            guint flips)
{
  guint32 *fp = g_new (guint32, n);
  guint i, k;

  for (i = 0; i < n; i++) {
    gint j = start + (gint) i;

    fp[i] = j >= 0 && j < (gint) n_from ? from[j]
        : (guint32) g_test_rand_int ();
    for (k = g_test_rand_int_range (0, (gint) flips + 1); k > 0; k--)
      fp[i] ^= 1u << g_test_rand_int_range (0, 32);
  }
  return fp;
}

static void
test_same_as_reference (void)
{
  guint same = 0, pairs = 0, round;

  for (round = 0; round < 300; round++) {
    guint alphabet = round % 3 == 0 ? 0 : 1 + round % 8;
    guint n_a = g_test_rand_int_range (60, 1000);
    guint n_b = g_test_rand_int_range (60, 1000);
    gint start = g_test_rand_int_range (-(gint) n_b / 2, (gint) n_a / 2);
    g_autofree guint32 *a = random_fingerprint (n_a, alphabet);
    g_autofree guint32 *b = version_of (a, n_a, start, n_b,
        g_test_rand_int_range (0, 24));
    g_autofree guint32 *c = random_fingerprint (n_b, alphabet);
    g_autoptr (SemblanceFingerprintIndex) index =
        semblance_fingerprint_index_new (a, n_a);
    const guint32 *others[] = { b, c, a };
    guint n_others[] = { n_b, n_b, n_a }, i;

    for (i = 0; i < G_N_ELEMENTS (others); i++) {
      gboolean expected = reference_match (a, n_a, others[i], n_others[i]);

      g_assert_cmpint (semblance_fingerprint_index_match (index, others[i],
              n_others[i]), ==, expected);
      g_assert_cmpint (semblance_fingerprint_match (others[i], n_others[i],
              a, n_a), ==, reference_match (others[i], n_others[i], a, n_a));
      same += expected;
      pairs++;
    }
  }
  g_test_message ("%u of %u pairs the same recording", same, pairs);
  /* Both answers, many times each. */
  g_assert_cmpuint (same, >, pairs / 5);
  g_assert_cmpuint (same, <, pairs * 4 / 5);
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
  g_test_add_func ("/fingerprint/same-as-reference", test_same_as_reference);
  g_test_add_func ("/fingerprint/not-audio", test_not_audio);
  return g_test_run ();
}
