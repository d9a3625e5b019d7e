/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-key.h"

#include <math.h>

/* Krumhansl and Kessler (1982), probe-tone ratings, tonic first. */
static const double major_profile[12] = {
  6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88,
};

static const double minor_profile[12] = {
  6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17,
};

static double
correlate (const double *chroma, const double *profile, int tonic)
{
  double mc = 0.0, mp = 0.0, sxy = 0.0, sxx = 0.0, syy = 0.0;
  int i;

  for (i = 0; i < 12; i++) {
    mc += chroma[(i + tonic) % 12] / 12.0;
    mp += profile[i] / 12.0;
  }
  for (i = 0; i < 12; i++) {
    double x = chroma[(i + tonic) % 12] - mc, y = profile[i] - mp;

    sxy += x * y;
    sxx += x * x;
    syy += y * y;
  }
  if (!(sxx > 1e-20))
    return 0.0;
  return sxy / sqrt (sxx * syy);
}

void
semblance_key_estimate (const double chroma[12], SemblanceKey *key)
{
  double best_major = -2.0, best_minor = -2.0;
  int tonic, major_tonic = 0, minor_tonic = 0;

  for (tonic = 0; tonic < 12; tonic++) {
    double c = correlate (chroma, major_profile, tonic);

    if (c > best_major) {
      best_major = c;
      major_tonic = tonic;
    }
    c = correlate (chroma, minor_profile, tonic);
    if (c > best_minor) {
      best_minor = c;
      minor_tonic = tonic;
    }
  }

  key->major = best_major >= best_minor;
  key->tonic = key->major ? major_tonic : minor_tonic;
  key->strength = key->major ? best_major : best_minor;
  key->mode = best_major - best_minor;
}
