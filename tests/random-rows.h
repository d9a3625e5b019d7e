/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Random vectors for numeric tests. */
#pragma once

#include <glib.h>

/* Fills @v with @rows vectors of @dim values, each drawn uniformly from
 * [-1, 1) by @rand, one value after another, then scaled to unit length. */
void random_unit_rows (GRand *rand, float *v, guint rows, guint dim);
