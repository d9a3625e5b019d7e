/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Near-duplicates: the same recording in other versions matches, other
 * music does not. */
#include <chromaprint.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sndfile.h>

#include "semblance-file-private.h"
#include "semblance-fingerprint.h"
#include "sndfile-fingerprint.h"
#include "versions.h"

static const char *const clips[] = {
  "awakening.ogg", "battle.ogg", "love-theme.ogg", "nebula.ogg", "sad.ogg",
  "traveling-minstrels.ogg",
};

static char *
demo (const char *name)
{
  return g_build_filename (g_getenv ("SEMBLANCE_DEMO_DIR"), name, NULL);
}

static guint32 *
fingerprint (const char *path, guint *n)
{
  guint32 *fp = sndfile_fingerprint (path, n);

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

/* Only the opening counts; audio too short for a fingerprint, none at
 * all, at a rate Chromaprint does not take or after the end gives none. */
static void
test_fed_opening (void)
{
  g_autoptr (SemblanceFingerprinter) a = semblance_fingerprinter_new (NULL);
  g_autoptr (SemblanceFingerprinter) b = semblance_fingerprinter_new (NULL);
  g_autoptr (SemblanceFingerprinter) c = semblance_fingerprinter_new (NULL);
  g_autoptr (SemblanceFingerprinter) d = semblance_fingerprinter_new (NULL);
  g_autoptr (SemblanceFingerprinter) e = semblance_fingerprinter_new (NULL);
  gsize rate = 8000, n = (SEMBLANCE_FINGERPRINT_SECONDS + 10) * rate, i;
  g_autofree float *x = g_new (float, n);
  g_autofree guint32 *fa = NULL, *fb = NULL, *fc = NULL;
  guint na, nb, nc;

  g_random_set_seed (7);
  for (i = 0; i < n; i++)
    x[i] = (float) (0.3 * sin (i * (0.05 + 0.04 * ((i / 4000) % 7)))
        + 0.1 * g_random_double_range (-1.0, 1.0));
  /* Some of it NaN, as a damaged float file may hold: silence. */
  x[100] = NAN;
  semblance_fingerprinter_feed (a, (int) rate, 1, x, n);
  for (i = 0; i < n; i += 1000)
    semblance_fingerprinter_feed (b, (int) rate, 1, x + i, MIN (1000, n - i));
  fa = semblance_fingerprinter_finish (a, &na);
  fb = semblance_fingerprinter_finish (b, &nb);
  g_assert_nonnull (fa);
  g_assert_cmpmem (fa, na * 4, fb, nb * 4);
  /* About 8 values a second of the first two minutes. */
  g_assert_cmpuint (na, >, (SEMBLANCE_FINGERPRINT_SECONDS - 3) * 8);
  g_assert_cmpuint (na, <, SEMBLANCE_FINGERPRINT_SECONDS * 8.1);

  semblance_fingerprinter_feed (c, (int) rate, 1, x, 2 * rate);
  fc = semblance_fingerprinter_finish (c, &nc);
  g_assert_null (fc);
  g_assert_cmpuint (nc, ==, 0);
  nc = 1;
  g_assert_null (semblance_fingerprinter_finish (d, &nc));
  g_assert_cmpuint (nc, ==, 0);
  /* Finished, it takes nothing more. */
  semblance_fingerprinter_feed (a, (int) rate, 1, x, n);
  g_assert_null (semblance_fingerprinter_finish (a, &nc));
  g_assert_cmpuint (nc, ==, 0);
  /* Chromaprint resamples to 11,025 Hz, from no rate below 1 kHz. */
  semblance_fingerprinter_feed (e, 500, 1, x, n);
  g_assert_null (semblance_fingerprinter_finish (e, &nc));
}

/* The fingerprint Chromaprint makes on its own of @n interleaved 16-bit
 * frames, with its own mixing and resampling. */
static guint32 *
chromaprint_of (const gint16 *x, gsize n, int rate, int channels,
                guint *n_items)
{
  ChromaprintContext *ctx = chromaprint_new (CHROMAPRINT_ALGORITHM_DEFAULT);
  uint32_t *raw = NULL;
  guint32 *out;
  int size = 0;

  g_assert_true (chromaprint_start (ctx, rate, channels));
  g_assert_true (chromaprint_feed (ctx, x, (int) (n * channels)));
  g_assert_true (chromaprint_finish (ctx));
  g_assert_true (chromaprint_get_raw_fingerprint (ctx, &raw, &size));
  out = g_memdup2 (raw, (gsize) size * sizeof (guint32));
  *n_items = (guint) size;
  chromaprint_dealloc (raw);
  chromaprint_free (ctx);
  return out;
}

/* The same of @path's opening, at the file's rate and channels. */
static guint32 *
chromaprint_own (const char *path, guint *n_items)
{
  SF_INFO info = { 0 };
  SNDFILE *file = sf_open (path, SFM_READ, &info);
  sf_count_t n = MIN (info.frames,
      (sf_count_t) SEMBLANCE_FINGERPRINT_SECONDS * info.samplerate);
  g_autofree gint16 *x = g_new (gint16, (gsize) n * info.channels);

  g_assert_nonnull (file);
  g_assert_cmpint (sf_readf_short (file, x, n), ==, n);
  sf_close (file);
  return chromaprint_of (x, (gsize) n, info.samplerate, info.channels,
      n_items);
}

/* The bits in which two fingerprints of the same length differ. */
static guint
differing_bits (const guint32 *a, const guint32 *b, guint n)
{
  guint k, bits = 0;

  for (k = 0; k < n; k++)
    bits += (guint) __builtin_popcount (a[k] ^ b[k]);
  return bits;
}

/* The fingerprinter mixes and halves the audio towards Chromaprint's
 * 11,025 Hz itself, for speed: its fingerprints must be Chromaprint's own,
 * to a few bits, so that those stored before still match, and at 48 kHz,
 * where Chromaprint resamples what is left (12 kHz), too. */
static void
test_halved (void)
{
  static const char *const names[] = { "sad.ogg", "awakening.ogg" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autofree char *path = demo (names[i]);
    g_autofree guint32 *own = NULL, *ours = NULL;
    guint n_own, n_ours, bits;

    own = chromaprint_own (path, &n_own);
    ours = fingerprint (path, &n_ours);
    g_assert_cmpuint (n_ours, ==, n_own);
    bits = differing_bits (own, ours, n_own);
    g_test_message ("%s: %u of %u bits differ", names[i], bits, 32 * n_own);
    /* Unrelated music differs in half its bits, a match in under a
     * quarter. */
    g_assert_cmpuint (bits, <, 32 * n_own / 100);
    g_assert_true (semblance_fingerprint_match (own, n_own, ours, n_ours));
  }
}

/* The analysis' audio, as the indexer feeds it. */
static void
feed (const float *samples, gsize n, gpointer fingerprinter)
{
  semblance_fingerprinter_feed (fingerprinter, SEMBLANCE_ANALYSIS_RATE, 1,
      samples, n);
}

/* The fingerprint of what the analysis of @path with @decoder reads. */
static guint32 *
fingerprint_decoded (const char *path, SemblanceDecoder decoder, guint *n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceFingerprinter) fp = semblance_fingerprinter_new
      (&error);
  g_autoptr (GstTagList) tags = NULL;
  SemblanceProperties props;

  g_assert_no_error (error);
  g_assert_true (semblance_analyze_file_tagged (path, decoder, NULL, feed, fp,
          &props, &tags, &error));
  g_assert_no_error (error);
  return semblance_fingerprinter_finish (fp, n);
}

/* The indexer fingerprints the analysis' mono audio at 22,050 Hz, which
 * the analyzer's resampler made from 48 kHz with GStreamer's filter: that
 * must give Chromaprint's own fingerprint of the file, to a few bits, so that those stored before still match. The same
 * recording, too, from GStreamer's decoders, which also fingerprint what
 * libsndfile cannot read. */
static void
test_fed_by_analysis (void)
{
  g_autofree char *sad = demo ("sad.ogg");
  g_autofree guint32 *own_sad = NULL, *gstreamer = NULL;
  guint n_own_sad, n_gstreamer, i;

  for (i = 0; i < G_N_ELEMENTS (clips); i++) {
    g_autofree char *path = demo (clips[i]);
    g_autofree guint32 *own = NULL, *ours = NULL;
    guint n_own, n_ours, bits;

    own = chromaprint_own (path, &n_own);
    ours = fingerprint_decoded (path, SEMBLANCE_DECODER_SNDFILE, &n_ours);
    g_assert_nonnull (ours);
    g_assert_cmpuint (n_ours, ==, n_own);
    bits = differing_bits (own, ours, n_own);
    g_test_message ("%s: %u of %u bits differ", clips[i], bits, 32 * n_own);
    g_assert_cmpuint (bits, <, 32 * n_own / 100);
  }
  own_sad = chromaprint_own (sad, &n_own_sad);
  gstreamer = fingerprint_decoded (sad, SEMBLANCE_DECODER_GSTREAMER,
      &n_gstreamer);
  g_assert_nonnull (gstreamer);
  g_assert_true (semblance_fingerprint_match (own_sad, n_own_sad, gstreamer,
          n_gstreamer));
}

/* Music with strong highs, which the demo clips lack: halving without its
 * low-pass filter would fold 7 to 13 kHz into the chroma's range and
 * change a fifth of the bits. Fed in uneven pieces, 44.1 kHz stereo. */
static void
test_halved_highs (void)
{
  const int rate = 44100;
  const gsize n = 20 * rate;
  g_autofree float *x = g_new (float, 2 * n);
  g_autofree gint16 *x16 = g_new (gint16, 2 * n);
  g_autoptr (SemblanceFingerprinter) fp = semblance_fingerprinter_new (NULL);
  g_autofree guint32 *own = NULL, *ours = NULL;
  guint n_own, n_ours, bits;
  gsize i, step;

  for (i = 0; i < n; i++) {
    guint k = (guint) (i / (rate / 2));
    double t = (double) i / rate;
    double low = 220.0 * pow (2.0, (k * 7 % 12) / 12.0);
    double high = 7000.0 + (k % 7) * 950.0;
    double v = 0.3 * sin (2 * G_PI * low * t) + 0.3 * sin (2 * G_PI * high * t);

    x[2 * i] = (float) v;
    x[2 * i + 1] = (float) (0.8 * v);
    x16[2 * i] = (gint16) lrint (x[2 * i] * 32768.0);
    x16[2 * i + 1] = (gint16) lrint (x[2 * i + 1] * 32768.0);
  }
  own = chromaprint_of (x16, n, rate, 2, &n_own);
  for (i = 0, step = 1; i < n; i += step, step = step * 3 % 20011 + 1)
    semblance_fingerprinter_feed (fp, rate, 2, x + 2 * i, MIN (step, n - i));
  ours = semblance_fingerprinter_finish (fp, &n_ours);
  g_assert_nonnull (ours);
  g_assert_cmpuint (n_ours, ==, n_own);
  bits = differing_bits (own, ours, n_own);
  g_test_message ("%u of %u bits differ", bits, 32 * n_own);
  g_assert_cmpuint (bits, <, 32 * n_own / 100);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fingerprint/versions", test_versions);
  g_test_add_func ("/fingerprint/other-music", test_other_music);
  g_test_add_func ("/fingerprint/same-as-reference", test_same_as_reference);
  g_test_add_func ("/fingerprint/fed-by-analysis", test_fed_by_analysis);
  g_test_add_func ("/fingerprint/fed-opening", test_fed_opening);
  g_test_add_func ("/fingerprint/halved", test_halved);
  g_test_add_func ("/fingerprint/halved-highs", test_halved_highs);
  return g_test_run ();
}
