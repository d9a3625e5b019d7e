/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-gemm.h"

#include <blis.h>
#include <math.h>

void
semblance_gemm (bool trans_a, bool trans_b, size_t m, size_t n, size_t k,
                float alpha, const float *a, size_t lda, const float *b,
                size_t ldb, float beta, float *c, size_t ldc)
{
  rntm_t rntm = BLIS_RNTM_INITIALIZER;

  /* One thread, whatever BLIS_NUM_THREADS says: the products here are
   * small (a batch of 64 by a few dozen units), and Debian's OpenMP BLIS
   * spent more on starting threads than on the work: training 500 tracks
   * took 91 s on two threads against 1 s on one (bench/bench-network).
   * Parallelism lives a level up, in analysing tracks on every core. */
  bli_rntm_set_num_threads (1, &rntm);
  /* BLIS takes non-const pointers for its inputs but does not write them. */
  bli_sgemm_ex (trans_a ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE,
      trans_b ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE, (dim_t) m, (dim_t) n,
      (dim_t) k, &alpha, (float *) a, (inc_t) lda, 1, (float *) b,
      (inc_t) ldb, 1, &beta, c, (inc_t) ldc, 1, NULL, &rntm);
}

void
semblance_gemv (size_t m, size_t n, float alpha, const float *a, size_t lda,
                const float *x, float beta, float *y)
{
  rntm_t rntm = BLIS_RNTM_INITIALIZER;

  /* As above: one thread. gemm with one column would pack the whole
   * matrix on every call; gemv reads it in place. */
  bli_rntm_set_num_threads (1, &rntm);
  bli_sgemv_ex (BLIS_NO_TRANSPOSE, BLIS_NO_CONJUGATE, (dim_t) m, (dim_t) n,
      &alpha, (float *) a, (inc_t) lda, 1, (float *) x, 1, &beta, y, 1, NULL,
      &rntm);
}

/* Solves (A + lambda I) X = B for symmetric positive definite A (n x n) by
 * Cholesky; B (n x m) is overwritten with X. */
void
semblance_solve_ridge (double *a, size_t n, double lambda, double *b,
                       size_t m)
{
  size_t i, j, k;

  for (i = 0; i < n; i++)
    a[ i * n + i] += lambda;
  for (j = 0; j < n; j++) {
    double s = a[ j * n + j];

    for (k = 0; k < j; k++)
      s -= a[ j * n + k] * a[ j * n + k];
    a[ j * n + j] = sqrt ((s > 1e-12 ? s : 1e-12));
    for (i = j + 1; i < n; i++) {
      double t = a[ i * n + j];

      for (k = 0; k < j; k++)
        t -= a[ i * n + k] * a[ j * n + k];
      a[ i * n + j] = t / a[ j * n + j];
    }
  }
  for (k = 0; k < m; k++) {
    for (i = 0; i < n; i++) {
      double t = b[ i * m + k];

      for (j = 0; j < i; j++)
        t -= a[ i * n + j] * b[ j * m + k];
      b[ i * m + k] = t / a[ i * n + i];
    }
    for (i = n; i-- > 0;) {
      double t = b[ i * m + k];

      for (j = i + 1; j < n; j++)
        t -= a[ j * n + i] * b[ j * m + k];
      b[ i * m + k] = t / a[ i * n + i];
    }
  }
}

