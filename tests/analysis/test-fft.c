/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The analysis' FFT, whichever this build computes (our own or FFTW's):
 * against a DFT in double precision at every length from the shortest,
 * whose stages are all special cases, to the analysis' own, on signals
 * whose spectra are known, and with transforms made, used and freed in
 * several threads at once, as the indexer's analysis threads do. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "semblance-fft.h"

#define N_THREADS 4

static const size_t lengths[] = { 1024, 2048, 4096, 16, 32, 64, 128, 256,
  512 };

static void
dft (const float *x, size_t n, double *re, double *im)
{
  size_t k, t;

  for (k = 0; k <= n / 2; k++) {
    double r = 0.0, i = 0.0;

    for (t = 0; t < n; t++) {
      /* (k t) mod n keeps the angle small, and the sum exact enough. */
      double a = -2.0 * G_PI * (double) ((k * t) % n) / n;

      r += x[t] * cos (a);
      i += x[t] * sin (a);
    }
    re[k] = r;
    im[k] = i;
  }
}

static void
noise (float *x, size_t n, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  size_t i;

  for (i = 0; i < n; i++)
    x[i] = (float) g_rand_double_range (rand, -1.0, 1.0);
}

static void
test_backend (void)
{
#ifdef SEMBLANCE_HAVE_FFTW
  g_assert_cmpstr (semblance_fft_backend (), ==, "fftw3");
#else
  g_assert_cmpstr (semblance_fft_backend (), ==, "semblance");
#endif
}

/* Lengths the transforms do not compute are refused, not misread. */
static void
test_refused_lengths (void)
{
  const size_t refused[] = { 0, 2, 8, 1000, 3072 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (refused); i++) {
    g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
        "*assertion*failed*");
    g_assert_null (semblance_fft_new (refused[i]));
    g_test_assert_expected_messages ();
  }
}

/* Every bin of noise, within float rounding of the exact transform; the
 * input is left as it was. */
static void
test_against_dft (void)
{
  guint l;

  for (l = 0; l < G_N_ELEMENTS (lengths); l++) {
    size_t n = lengths[l], k;
    g_autofree float *x = g_new (float, n);
    g_autofree float *copy = NULL;
    g_autofree SemblanceComplex *bins = g_new (SemblanceComplex, n / 2 + 1);
    g_autofree double *re = g_new (double, n / 2 + 1);
    g_autofree double *im = g_new (double, n / 2 + 1);
    SemblanceFft *fft = semblance_fft_new (n);
    double worst = 0.0;

    noise (x, n, 7 + l);
    copy = g_memdup2 (x, n * sizeof (float));
    semblance_fft_forward (fft, x, bins);
    g_assert_cmpmem (x, n * sizeof (float), copy, n * sizeof (float));
    dft (x, n, re, im);
    for (k = 0; k <= n / 2; k++)
      worst = MAX (worst, hypot (bins[k].r - re[k], bins[k].i - im[k]));
    /* Bins of noise are about sqrt(n / 3); float rounding over log2(n)
     * stages leaves errors about a million times smaller (6e-6 at 1024
     * values), a wrong transform errors as large as the bins. */
    g_assert_cmpfloat (worst, <, 1e-6 * sqrt ((double) n));
    semblance_fft_free (fft);
  }
}

/* Unscaled, and the sign of the forward transform: a cosine of amplitude
 * A at bin k is A n / 2 in bin k's real part, a sine -A n / 2 in its
 * imaginary part, a constant c is c n in bin 0; nothing else. */
static void
test_known_spectra (void)
{
  const size_t n = 2048, k0 = 100;
  g_autofree float *x = g_new (float, n);
  g_autofree SemblanceComplex *bins = g_new (SemblanceComplex, n / 2 + 1);
  SemblanceFft *fft = semblance_fft_new (n);
  size_t t, k;

  for (t = 0; t < n; t++)
    x[t] = 0.5f + 0.25f * (float) cos (2.0 * G_PI * k0 * t / n)
        + 0.125f * (float) sin (2.0 * G_PI * 3 * k0 * t / n);
  semblance_fft_forward (fft, x, bins);
  g_assert_cmpfloat_with_epsilon (bins[0].r, 0.5 * n, 1e-3);
  g_assert_cmpfloat_with_epsilon (bins[k0].r, 0.25 * n / 2, 1e-3);
  g_assert_cmpfloat_with_epsilon (bins[k0].i, 0.0, 1e-3);
  g_assert_cmpfloat_with_epsilon (bins[3 * k0].r, 0.0, 1e-3);
  g_assert_cmpfloat_with_epsilon (bins[3 * k0].i, -0.125 * n / 2, 1e-3);
  for (k = 0; k <= n / 2; k++)
    if (k != 0 && k != k0 && k != 3 * k0)
      g_assert_cmpfloat (hypot (bins[k].r, bins[k].i), <, 1e-3);
  semblance_fft_free (fft);
}

typedef struct
{
  const float *x;
  const SemblanceComplex *expected;
  size_t n;
} Job;

/* Transforms made, used and freed over and over, each time giving the
 * bins that one thread alone gave. */
static gpointer
transform_often (gpointer data)
{
  const Job *job = data;
  g_autofree SemblanceComplex *bins = g_new (SemblanceComplex,
      job->n / 2 + 1);
  guint round;

  for (round = 0; round < 50; round++) {
    SemblanceFft *fft = semblance_fft_new (job->n);

    semblance_fft_forward (fft, job->x, bins);
    semblance_fft_free (fft);
    g_assert_cmpmem (bins, (job->n / 2 + 1) * sizeof *bins, job->expected,
        (job->n / 2 + 1) * sizeof *bins);
  }
  return NULL;
}

static void
test_threads (void)
{
  GThread *threads[N_THREADS];
  Job jobs[N_THREADS];
  float *x[N_THREADS];
  SemblanceComplex *expected[N_THREADS];
  guint i;

  for (i = 0; i < N_THREADS; i++) {
    size_t n = lengths[i % G_N_ELEMENTS (lengths)];
    SemblanceFft *fft = semblance_fft_new (n);

    x[i] = g_new (float, n);
    expected[i] = g_new (SemblanceComplex, n / 2 + 1);
    noise (x[i], n, 100 + i);
    semblance_fft_forward (fft, x[i], expected[i]);
    semblance_fft_free (fft);
    jobs[i] = (Job) { x[i], expected[i], n };
  }
  for (i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("fft", transform_often, &jobs[i]);
  for (i = 0; i < N_THREADS; i++) {
    g_thread_join (threads[i]);
    g_free (x[i]);
    g_free (expected[i]);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fft/backend", test_backend);
  g_test_add_func ("/fft/refused-lengths", test_refused_lengths);
  g_test_add_func ("/fft/against-dft", test_against_dft);
  g_test_add_func ("/fft/known-spectra", test_known_spectra);
  g_test_add_func ("/fft/threads", test_threads);
  return g_test_run ();
}
