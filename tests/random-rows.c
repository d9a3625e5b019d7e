/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "random-rows.h"

#include <math.h>

void
random_unit_rows (GRand *rand, float *v, guint rows, guint dim)
{
  guint i, j;

  for (i = 0; i < rows; i++) {
    double n = 0.0;

    for (j = 0; j < dim; j++) {
      v[i * dim + j] = (float) g_rand_double_range (rand, -1, 1);
      n += v[i * dim + j] * v[i * dim + j];
    }
    for (j = 0; j < dim; j++)
      v[i * dim + j] /= (float) sqrt (n);
  }
}
