/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the benchmarks share to time and order their measurements.
 */
#pragma once

#include <glib.h>
#include <time.h>

/* CPU time of the calling thread, in nanoseconds. */
static inline gint64
bench_thread_cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* qsort() order of doubles, ascending. */
static inline int
bench_compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}
