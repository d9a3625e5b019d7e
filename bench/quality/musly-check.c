/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * musly-check RAW.txt [MP.txt]: does our Musly baseline agree with the real
 * thing? RAW.txt and MP.txt are real Musly's distance matrices (without and
 * with mutual proximity) of the same files; this decodes each file, takes
 * Musly's excerpt, makes its timbre model with core/analysis's
 * semblance-timbre (the gain set from the excerpt's peak, as Musly does)
 * and prints the Spearman correlation over all pairs between our
 * distances and Musly's. The goal is at least 0.95.
 */
#include <gst/gst.h>
#include <math.h>
#include <stdio.h>

#include "quality-audio.h"
#include "quality-eval.h"
#include "semblance-gaussian.h"
#include "semblance-metrics.h"

/* The upper triangle of @d (n x n), as semblance_pair_distances orders it. */
static float *
pairs_of (const float *d, guint n)
{
  float *p = g_new (float, (gsize) n * (n - 1) / 2);
  gsize k = 0;
  guint i, j;

  for (i = 0; i < n; i++)
    for (j = i + 1; j < n; j++)
      p[k++] = d[(gsize) i * n + j];
  return p;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (QualityMatrix) raw = NULL, mp = NULL;
  g_autofree QualityGaussian *g = NULL;
  g_autofree float *ours = NULL, *ours_mp = NULL;
  g_autofree float *a = NULL, *b = NULL;
  gsize pairs;
  guint n, i, j;

  gst_init (&argc, &argv);
  if (argc < 2) {
    g_printerr ("usage: musly-check RAW.txt [MP.txt]\n");
    return 2;
  }
  raw = quality_matrix_load (argv[1], &error);
  if (raw && argc > 2)
    mp = quality_matrix_load (argv[2], &error);
  if (!raw || (argc > 2 && !mp)) {
    g_printerr ("musly-check: %s\n", error->message);
    return 1;
  }
  n = raw->n;
  g = g_new0 (QualityGaussian, n);
  for (i = 0; i < n; i++) {
    gsize len = 0, start, length;
    g_autofree float *x = quality_decode (raw->paths[i], &len, &error);

    if (!x) {
      g_printerr ("musly-check: %s\n", error->message);
      return 1;
    }
    quality_musly_excerpt (len, &start, &length);
    if (!quality_musly_gaussian (x + start, length, &g[i])) {
      g_printerr ("musly-check: %s: too short\n", raw->paths[i]);
      return 1;
    }
  }
  ours = g_new0 (float, (gsize) n * n);
  for (i = 0; i < n; i++)
    for (j = i + 1; j < n; j++)
      ours[(gsize) i * n + j] = ours[(gsize) j * n + i] =
          (float) quality_gaussian_distance (&g[i], &g[j]);
  pairs = (gsize) n * (n - 1) / 2;
  a = pairs_of (ours, n);
  b = pairs_of (raw->d, n);
  g_print ("%u tracks, %" G_GSIZE_FORMAT " pairs\n", n, pairs);
  g_print ("Spearman, our raw distance vs Musly's raw distance: %.4f\n",
      semblance_spearman (a, b, pairs));
  if (mp) {
    g_autofree float *c = NULL, *e = NULL;

    ours_mp = quality_mutual_proximity (ours, n);
    c = pairs_of (ours_mp, n);
    e = pairs_of (mp->d, n);
    g_print ("Spearman, our mutual proximity vs Musly's: %.4f\n",
        semblance_spearman (c, e, pairs));
  }
  return 0;
}
