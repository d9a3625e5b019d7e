/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The eigendecomposition of a symmetric matrix of a hundred or more rows,
 * such as the covariance of 100-value semantic vectors: Householder
 * reduction to tridiagonal form, then the implicit QL algorithm with
 * Wilkinson's shift. On the blend's 100 x 100 covariance it takes 17 M
 * instructions where the cyclic Jacobi rotations of semblance-gaussian.h
 * take 275 M, and it is backward stable: each eigenvalue is exact to
 * rounding relative to the largest one. Jacobi's rotations stay where the smallest eigenvalues
 * must be exact relative to themselves (logarithms of covariances). Plain
 * C over double arrays; matrices are d x d, row-major.
 */
#pragma once

#include <stddef.h>

/* Eigenvalues (@values, ascending) and eigenvectors (the columns of
 * @vectors, d x d, orthonormal) of the symmetric @a, which is not changed;
 * only its lower triangle is read. @work holds d doubles. */
void semblance_eigen_symmetric (const double *a, size_t d, double *values,
                                double *vectors, double *work);

/* Sorts @values (d) ascending and the columns of @vectors (d x d) with
 * them: how both eigensolvers return their results. */
void semblance_eigen_sort (double *values, double *vectors, size_t d);
