/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-fft: the analysis' FFT (semblance-fft.h, whichever this build
 * computes) against GStreamer's real FFT, the analysis' transform before
 * issue 15, at the lengths the analysis uses, in one run: CPU time of this
 * thread per transform, the two taking turns over ROUNDS rounds, medians;
 * and how far apart their bins are, against the bins' own size.
 *
 *   bench-fft [ROUNDS]
 */
#include <glib.h>
#include <gst/fft/gstfftf32.h>
#include <math.h>
#include <stdlib.h>

#include "bench-clock.h"
#include "semblance-fft.h"

#define DEFAULT_ROUNDS 15
/* Values transformed per timing, whatever the length: about 10 ms. */
#define VALUES_PER_TIMING (1 << 23)

static const size_t lengths[] = { 1024, 2048, 4096 };

/* Results go through here so the compiler cannot drop the work. */
static volatile float bench_sink;

static double
median (double *values, guint n)
{
  qsort (values, n, sizeof *values, bench_compare_doubles);
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

/* Microseconds per transform of @x by ours (@gst NULL) or GStreamer's. */
static double
time_transform (SemblanceFft *ours, GstFFTF32 *gst, const float *x,
                size_t n, SemblanceComplex *bins)
{
  size_t reps = VALUES_PER_TIMING / n, r;
  gint64 start = bench_thread_cpu_ns ();

  for (r = 0; r < reps; r++) {
    if (gst)
      gst_fft_f32_fft (gst, x, (GstFFTF32Complex *) bins);
    else
      semblance_fft_forward (ours, x, bins);
    bench_sink += bins[r % (n / 2)].r;
  }
  return (bench_thread_cpu_ns () - start) / 1e3 / reps;
}

int
main (int argc, char **argv)
{
  guint rounds = DEFAULT_ROUNDS, l, r;

  G_STATIC_ASSERT (sizeof (SemblanceComplex) == sizeof (GstFFTF32Complex));
  if (argc > 2 || (argc == 2 && (rounds = (guint) atoi (argv[1])) < 1)) {
    g_printerr ("usage: bench-fft [ROUNDS]\n");
    return 2;
  }
  g_print ("== the analysis' FFT (%s) against GStreamer's, %u rounds, "
      "medians ==\n", semblance_fft_backend (), rounds);
  g_print ("| length | %s, us | GStreamer's, us | speed-up | largest "
      "difference / bin RMS |\n| --- | --- | --- | --- | --- |\n",
      semblance_fft_backend ());
  for (l = 0; l < G_N_ELEMENTS (lengths); l++) {
    size_t n = lengths[l], k;
    g_autoptr (GRand) rand = g_rand_new_with_seed (42);
    g_autofree float *x = g_new (float, n);
    g_autofree SemblanceComplex *a = g_new (SemblanceComplex, n / 2 + 1);
    g_autofree SemblanceComplex *b = g_new (SemblanceComplex, n / 2 + 1);
    g_autofree double *ours_us = g_new (double, rounds);
    g_autofree double *gst_us = g_new (double, rounds);
    SemblanceFft *ours = semblance_fft_new (n);
    GstFFTF32 *gst = gst_fft_f32_new ((gint) n, FALSE);
    double worst = 0.0, power = 0.0, m_ours, m_gst;

    for (k = 0; k < n; k++)
      x[k] = (float) g_rand_double_range (rand, -1.0, 1.0);
    semblance_fft_forward (ours, x, a);
    gst_fft_f32_fft (gst, x, (GstFFTF32Complex *) b);
    for (k = 0; k <= n / 2; k++) {
      worst = MAX (worst, hypot (a[k].r - b[k].r, a[k].i - b[k].i));
      power += (double) b[k].r * b[k].r + (double) b[k].i * b[k].i;
    }
    for (r = 0; r < rounds; r++) {
      /* Each goes first in every other round. */
      if (r % 2) {
        gst_us[r] = time_transform (NULL, gst, x, n, b);
        ours_us[r] = time_transform (ours, NULL, x, n, a);
      } else {
        ours_us[r] = time_transform (ours, NULL, x, n, a);
        gst_us[r] = time_transform (NULL, gst, x, n, b);
      }
    }
    m_ours = median (ours_us, rounds);
    m_gst = median (gst_us, rounds);
    g_print ("| %zu | %.2f | %.2f | %.2fx | %.1e |\n", n, m_ours, m_gst,
        m_gst / m_ours, worst / sqrt (power / (n / 2 + 1)));
    g_print ("RESULT fft n=%zu ours_us=%.3f gstreamer_us=%.3f\n", n, m_ours,
        m_gst);
    semblance_fft_free (ours);
    gst_fft_f32_free (gst);
  }
  return 0;
}
