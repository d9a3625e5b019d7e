/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every matrix product of the project goes through BLIS: this is the one
 * place that spells out BLIS's typed API for row-major float matrices. And
 * the one small solver the project needs.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* C = alpha op(A) op(B) + beta C, all row-major. op(A) is m x k and op(B)
 * k x n. With @trans_a, A is stored k x m with @lda floats per row; else
 * m x k. Likewise for B; C is m x n with @ldc floats per row. */
void semblance_gemm (bool trans_a, bool trans_b, size_t m, size_t n, size_t k,
                     float alpha, const float *a, size_t lda, const float *b,
                     size_t ldb, float beta, float *c, size_t ldc);

/* y = alpha A x + beta y, with A m x n, row-major with @lda floats per row. */
void semblance_gemv (size_t m, size_t n, float alpha, const float *a,
                     size_t lda, const float *x, float beta, float *y);

/* Solves (A + lambda I) X = B by Cholesky, A (n x n) symmetric positive
 * semi-definite, B (n x m) row-major; A is overwritten with its factor and
 * B with X. */
void semblance_solve_ridge (double *a, size_t n, double lambda, double *b,
                            size_t m);
