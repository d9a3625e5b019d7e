/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-properties.h"

#include "semblance-enums.h"

const char *
semblance_flags_to_string (unsigned flags, char *buf, size_t size)
{
  GFlagsClass *klass;
  size_t len = 0;
  guint i;

  g_return_val_if_fail (size >= 64, NULL);
  /* The nicks of the registered type are the names: one list of them. */
  klass = g_type_class_ref (semblance_flags_get_type ());
  buf[0] = '\0';
  for (i = 0; i < klass->n_values; i++) {
    if (!(flags & klass->values[i].value))
      continue;
    len += g_snprintf (buf + len, size - len, "%s%s", len ? "," : "",
        klass->values[i].value_nick);
  }
  g_type_class_unref (klass);
  return buf;
}

const char *
semblance_key_pitch_name (int pitch_class)
{
  static const char *const names[12] = {
    "C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B",
  };

  return names[((pitch_class % 12) + 12) % 12];
}
