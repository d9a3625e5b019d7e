/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Little-endian integers and floats at any address, for the binary files
 * (vocabulary, models) that may come from machines of another byte order
 * and are read from bytes of no particular alignment.
 */
#pragma once

#include <glib.h>
#include <string.h>

static inline guint32
semblance_read_u32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 |
      (guint32) p[3] << 24;
}

static inline guint64
semblance_read_u64 (const guint8 *p)
{
  return semblance_read_u32 (p) | (guint64) semblance_read_u32 (p + 4) << 32;
}

static inline float
semblance_read_f32 (const guint8 *p)
{
  guint32 u = semblance_read_u32 (p);
  float f;

  memcpy (&f, &u, sizeof f);
  return f;
}

static inline void
semblance_put_u32 (guint8 *p, guint32 v)
{
  p[0] = v;
  p[1] = v >> 8;
  p[2] = v >> 16;
  p[3] = v >> 24;
}

static inline void
semblance_put_u64 (guint8 *p, guint64 v)
{
  semblance_put_u32 (p, (guint32) v);
  semblance_put_u32 (p + 4, (guint32) (v >> 32));
}

static inline void
semblance_put_f32 (guint8 *p, float f)
{
  guint32 u;

  memcpy (&u, &f, sizeof u);
  semblance_put_u32 (p, u);
}
