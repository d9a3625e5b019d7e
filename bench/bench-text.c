/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The text encoder on MusicCaps: for 1,000 clips, is each caption's nearest
 * aspect list its own? Recall at 1 and 10 for the encoder and, in the same
 * run, for a bag-of-words baseline (TF-IDF cosine over the same tokens).
 * Also the time to load the vocabulary and to embed 10,000 descriptions.
 *
 * Usage: bench-text MUSICCAPS.csv
 */
#include <math.h>
#include <string.h>

#include "bench-clock.h"
#include "semblance.h"

#define CLIPS 1000
#define EMBED_COUNT 10000
#define LOAD_RUNS 20

/* One record of an RFC 4180 CSV file; advances *p. NULL at the end. */
static GPtrArray *
csv_record (const char **p)
{
  GPtrArray *fields;
  GString *field = g_string_new (NULL);
  const char *s = *p;
  gboolean quoted = FALSE;

  if (*s == '\0') {
    g_string_free (field, TRUE);
    return NULL;
  }
  fields = g_ptr_array_new_with_free_func (g_free);
  for (;; s++) {
    if (quoted) {
      if (*s == '\0')
        break;
      if (*s == '"' && s[1] == '"') {
        g_string_append_c (field, '"');
        s++;
      } else if (*s == '"') {
        quoted = FALSE;
      } else {
        g_string_append_c (field, *s);
      }
    } else if (*s == '"') {
      quoted = TRUE;
    } else if (*s == ',') {
      g_ptr_array_add (fields, g_string_free (field, FALSE));
      field = g_string_new (NULL);
    } else if (*s == '\n' || *s == '\0') {
      break;
    } else if (*s != '\r') {
      g_string_append_c (field, *s);
    }
  }
  g_ptr_array_add (fields, g_string_free (field, FALSE));
  *p = *s ? s + 1 : s;
  return fields;
}

/* "['sad', 'slow tempo']" -> "sad, slow tempo" */
static char *
aspect_text (const char *list)
{
  GString *out = g_string_new (NULL);
  const char *s;
  gboolean in_item = FALSE;
  char quote = 0;

  for (s = list; *s; s++) {
    if (!in_item && (*s == '\'' || *s == '"')) {
      in_item = TRUE;
      quote = *s;
      if (out->len)
        g_string_append (out, ", ");
    } else if (in_item && *s == quote) {
      in_item = FALSE;
    } else if (in_item) {
      g_string_append_c (out, *s);
    }
  }
  return g_string_free (out, FALSE);
}

typedef struct
{
  double r1, r10;
} Recall;

static Recall
recall (const float *queries, const float *targets, guint n, guint dim)
{
  Recall r = { 0, 0 };
  guint i, j;

  for (i = 0; i < n; i++) {
    const float *q = queries + (gsize) i * dim;
    double own = 0.0;
    guint better = 0;

    for (j = 0; j < dim; j++)
      own += q[j] * targets[(gsize) i * dim + j];
    for (j = 0; j < n; j++) {
      const float *t = targets + (gsize) j * dim;
      double s = 0.0;
      guint k;

      if (j == i)
        continue;
      for (k = 0; k < dim; k++)
        s += q[k] * t[k];
      better += s > own;
    }
    r.r1 += better < 1;
    r.r10 += better < 10;
  }
  r.r1 /= n;
  r.r10 /= n;
  return r;
}

/* TF-IDF vectors of @texts over their own vocabulary, unit length. */
static float *
tfidf (char **texts, guint n, guint *dim)
{
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, NULL);
  g_autoptr (GArray) df = g_array_new (FALSE, TRUE, sizeof (guint));
  GPtrArray **tokens = g_new (GPtrArray *, n);
  float *m;
  guint i, j;

  for (i = 0; i < n; i++) {
    g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    tokens[i] = semblance_text_tokenize (texts[i]);
    for (j = 0; j < tokens[i]->len; j++) {
      const char *t = tokens[i]->pdata[j];
      gpointer id;

      if (!g_hash_table_lookup_extended (ids, t, NULL, &id)) {
        id = GUINT_TO_POINTER (g_hash_table_size (ids));
        g_hash_table_insert (ids, g_strdup (t), id);
        g_array_set_size (df, df->len + 1);
      }
      if (!g_hash_table_contains (seen, t)) {
        g_hash_table_add (seen, (gpointer) t);
        g_array_index (df, guint, GPOINTER_TO_UINT (id))++;
      }
    }
  }
  *dim = g_hash_table_size (ids);
  m = g_new0 (float, (gsize) n * *dim);
  for (i = 0; i < n; i++) {
    float *row = m + (gsize) i * *dim;
    double norm = 0.0;

    for (j = 0; j < tokens[i]->len; j++) {
      guint id = GPOINTER_TO_UINT (g_hash_table_lookup (ids,
              tokens[i]->pdata[j]));

      row[id] += (float) log ((double) n / g_array_index (df, guint, id));
    }
    for (j = 0; j < *dim; j++)
      norm += row[j] * row[j];
    for (j = 0; j < *dim && norm > 0; j++)
      row[j] = (float) (row[j] / sqrt (norm));
    g_ptr_array_unref (tokens[i]);
  }
  g_free (tokens);
  return m;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autoptr (GPtrArray) captions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) aspects = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (SemblanceTextEncoder) encoder = NULL;
  g_autofree float *cap_v = NULL, *asp_v = NULL, *v = NULL;
  g_autofree float *bow = NULL;
  double loads[LOAD_RUNS], t0, cold, warm;
  const char *p;
  GPtrArray *rec;
  guint dim, bow_dim, first, i;
  Recall ours, base;

  if (argc != 2) {
    g_printerr ("usage: %s MUSICCAPS.csv\n", argv[0]);
    return 2;
  }
  if (!g_file_get_contents (argv[1], &csv, NULL, &error)) {
    g_printerr ("%s\n", error->message);
    return 1;
  }
  p = csv;
  g_ptr_array_unref (csv_record (&p));  /* header */
  while ((rec = csv_record (&p))) {
    if (rec->len >= 6) {
      g_ptr_array_add (captions, g_strdup (rec->pdata[5]));
      g_ptr_array_add (aspects, aspect_text (rec->pdata[4]));
    }
    g_ptr_array_unref (rec);
  }

  for (i = 0; i < LOAD_RUNS; i++) {
    g_autoptr (SemblanceVocab) vocab = NULL;

    t0 = g_get_monotonic_time ();
    vocab = semblance_vocab_new_default (&error);
    loads[i] = (g_get_monotonic_time () - t0) / 1000.0;
    if (!vocab) {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  }
  qsort (loads, LOAD_RUNS, sizeof (double), bench_compare_doubles);

  /* Time: a fresh encoder (every word looked up in WordNet once), then the
   * same descriptions again from its cache. */
  encoder = semblance_text_encoder_new_default (&error);
  if (!encoder) {
    g_printerr ("%s\n", error->message);
    return 1;
  }
  dim = semblance_text_encoder_get_dim (encoder);
  v = g_new (float, dim);
  t0 = g_get_monotonic_time ();
  for (i = 0; i < EMBED_COUNT; i++) {
    GPtrArray *from = i % 2 ? aspects : captions;

    semblance_text_encoder_embed (encoder, from->pdata[(i / 2) % from->len],
        v, NULL, NULL);
  }
  cold = (g_get_monotonic_time () - t0) / 1e6;
  t0 = g_get_monotonic_time ();
  for (i = 0; i < EMBED_COUNT; i++) {
    GPtrArray *from = i % 2 ? aspects : captions;

    semblance_text_encoder_embed (encoder, from->pdata[(i / 2) % from->len],
        v, NULL, NULL);
  }
  warm = (g_get_monotonic_time () - t0) / 1e6;

  /* The last 1,000 clips. */
  first = captions->len - CLIPS;
  cap_v = g_new (float, (gsize) CLIPS * dim);
  asp_v = g_new (float, (gsize) CLIPS * dim);
  for (i = 0; i < CLIPS; i++) {
    if (!semblance_text_encoder_embed (encoder, captions->pdata[first + i],
            cap_v + (gsize) i * dim, NULL, NULL))
      memset (cap_v + (gsize) i * dim, 0, dim * sizeof (float));
    if (!semblance_text_encoder_embed (encoder, aspects->pdata[first + i],
            asp_v + (gsize) i * dim, NULL, NULL))
      memset (asp_v + (gsize) i * dim, 0, dim * sizeof (float));
  }
  ours = recall (cap_v, asp_v, CLIPS, dim);
  {
    g_autofree char **texts = g_new (char *, 2 * CLIPS);

    for (i = 0; i < CLIPS; i++) {
      texts[i] = captions->pdata[first + i];
      texts[CLIPS + i] = aspects->pdata[first + i];
    }
    bow = tfidf (texts, 2 * CLIPS, &bow_dim);
    base = recall (bow, bow + (gsize) CLIPS * bow_dim, CLIPS, bow_dim);
  }

  g_print ("MusicCaps caption -> own aspect list among %d clips (the last %d "
      "rows of %u)\n", CLIPS, CLIPS, captions->len);
  g_print ("  %-26s R@1 %.3f  R@10 %.3f\n", "semblance text encoder",
      ours.r1, ours.r10);
  g_print ("  %-26s R@1 %.3f  R@10 %.3f\n", "bag of words (TF-IDF)",
      base.r1, base.r10);
  g_print ("  ratio (ours / baseline)     R@1 %.2f  R@10 %.2f\n",
      ours.r1 / base.r1, ours.r10 / base.r10);
  g_print ("vocabulary load: median %.1f ms, min %.1f ms over %d loads (%u "
      "words)\n", loads[LOAD_RUNS / 2], loads[0], LOAD_RUNS,
      semblance_vocab_get_size (semblance_text_encoder_get_vocab (encoder)));
  g_print ("embedding %d descriptions on one core: %.3f s with a fresh "
      "encoder, %.3f s again\n", EMBED_COUNT, cold, warm);
  return 0;
}
