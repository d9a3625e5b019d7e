/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Runs a libFuzzer target without libFuzzer: seeded, repeatable mutations
 * of seed inputs (bit flips, random bytes, insertions, deletions,
 * truncation, splicing) and plain random inputs, for a fixed number of
 * iterations. The test suite runs each target this way, briefly; a clang
 * build with -Dfuzzing=true links the same targets with libFuzzer, as
 * NAME-libfuzzer (./test runs each of those for a minute).
 *
 * Usage: fuzz-TARGET ITERATIONS [SEED-FILE...]
 */
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define MAX_FUZZ_INPUT (8u << 20)

static GByteArray *
mutate (GRand *rand, const GByteArray *seed, GPtrArray *seeds)
{
  GByteArray *b = g_byte_array_sized_new (seed->len + 64);
  int rounds = g_rand_int_range (rand, 1, 9), r;

  g_byte_array_append (b, seed->data, seed->len);
  for (r = 0; r < rounds; r++) {
    guint len = b->len, pos = len ? g_rand_int_range (rand, 0, len) : 0;

    switch (g_rand_int_range (rand, 0, 6)) {
      case 0:
        if (len)
          b->data[pos] ^= 1u << g_rand_int_range (rand, 0, 8);
        break;
      case 1:
        if (len)
          b->data[pos] = (guint8) g_rand_int (rand);
        break;
      case 2:{
        guint8 bytes[16];
        guint n = g_rand_int_range (rand, 1, 17), i;

        for (i = 0; i < n; i++)
          bytes[i] = (guint8) g_rand_int (rand);
        if (b->len + n <= MAX_FUZZ_INPUT) {
          g_byte_array_set_size (b, len + n);
          memmove (b->data + pos + n, b->data + pos, len - pos);
          memcpy (b->data + pos, bytes, n);
        }
        break;
      }
      case 3:
        if (len)
          g_byte_array_remove_range (b, pos, g_rand_int_range (rand, 1,
                  MIN (len - pos, 64u) + 1));
        break;
      case 4:
        g_byte_array_set_size (b, pos);
        break;
      default:{
        const GByteArray *other = seeds->pdata[g_rand_int_range (rand, 0,
                seeds->len)];

        if (other->len) {
          guint from = g_rand_int_range (rand, 0, other->len);
          guint n = MIN (other->len - from, 256u);

          g_byte_array_set_size (b, pos);
          g_byte_array_append (b, other->data + from, n);
        }
        break;
      }
    }
  }
  return b;
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) seeds = g_ptr_array_new_with_free_func
      ((GDestroyNotify) g_byte_array_unref);
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261122);
  guint64 iterations;
  guint64 i;
  int a;

  if (argc < 2) {
    g_printerr ("usage: %s ITERATIONS [SEED-FILE...]\n", argv[0]);
    return 2;
  }
  iterations = g_ascii_strtoull (argv[1], NULL, 10);
  for (a = 2; a < argc; a++) {
    g_autoptr (GError) error = NULL;
    char *contents;
    gsize len;

    if (!g_file_get_contents (argv[a], &contents, &len, &error)) {
      g_printerr ("%s\n", error->message);
      return 1;
    }
    g_ptr_array_add (seeds, g_byte_array_new_take ((guint8 *) contents, len));
  }
  if (seeds->len == 0)
    g_ptr_array_add (seeds, g_byte_array_new ());

  for (i = 0; i < seeds->len; i++) {
    const GByteArray *s = seeds->pdata[i];

    LLVMFuzzerTestOneInput (s->data, s->len);
  }
  for (i = 0; i < iterations; i++) {
    GByteArray *input;

    if (i % 8 == 7) {
      guint n = g_rand_int_range (rand, 0, 512), k;

      input = g_byte_array_sized_new (n);
      for (k = 0; k < n; k++) {
        guint8 byte = (guint8) g_rand_int (rand);

        g_byte_array_append (input, &byte, 1);
      }
    } else {
      input = mutate (rand, seeds->pdata[g_rand_int_range (rand, 0,
                  seeds->len)], seeds);
    }
    LLVMFuzzerTestOneInput (input->data, input->len);
    g_byte_array_unref (input);
  }
  g_print ("1..1\nok 1 - %" G_GUINT64_FORMAT " inputs from %u seeds, no crash\n",
      iterations + seeds->len, seeds->len);
  return 0;
}
