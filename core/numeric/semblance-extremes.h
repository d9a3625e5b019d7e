/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sums of the k smallest and the k largest of n values, as spectral
 * contrast takes them from each band of a frame's power spectrum: the two
 * order statistics are found by radix selection on the values' bit
 * patterns (for non-negative floats they order as unsigned integers), in
 * passes without data-dependent branches, where Hoare's selection spent
 * most of its time in mispredicted comparisons. The sums are those of
 * sorting the values and adding the first and last k, but for the order of
 * the additions. Plain C over float arrays.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* @v: @n values, each +0 or positive and finite (not modified); @k: 1 to
 * n / 2; @scratch: 2 n values of room. */
void semblance_extreme_sums (const float *v, size_t n, size_t k,
                             uint32_t *scratch, double *smallest,
                             double *largest);
