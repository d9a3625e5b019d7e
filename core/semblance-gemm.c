/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-gemm.h"

#include <blis.h>

void
semblance_gemm (bool trans_a, bool trans_b, size_t m, size_t n, size_t k,
                float alpha, const float *a, size_t lda, const float *b,
                size_t ldb, float beta, float *c, size_t ldc)
{
  /* BLIS takes non-const pointers for its inputs but does not write them. */
  bli_sgemm (trans_a ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE,
      trans_b ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE, (dim_t) m, (dim_t) n,
      (dim_t) k, &alpha, (float *) a, (inc_t) lda, 1, (float *) b,
      (inc_t) ldb, 1, &beta, c, (inc_t) ldc, 1);
}
