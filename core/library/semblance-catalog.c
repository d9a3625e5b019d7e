/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-catalog.h"

#include <gio/gio.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "semblance-blend.h"
#include "semblance-gaussian.h"
#include "semblance-gemm.h"

/* Pairs sampled to learn each group's typical distance. */
#define SCALE_PAIRS 2000
/* Tracks that each track's distance statistics are measured against, as
 * Musly advises for mutual proximity. */
#define HUB_SAMPLE 512
/* Candidates by distance ranked again by mutual proximity: the neighbours
 * that mutual proximity promotes are near by distance too. */
#define SHORTLIST 256
/* Rows whose distance statistics one product computes: a bounded block
 * (512 KB of distances), however wide the shortlist grows. */
#define HUB_BATCH 256
/* Rows whose distance statistics are computed four at a time, each with
 * its own sums: the same additions in the same order as one at a time,
 * without waiting on each addition in turn. */
#define STATS_LANES 4
/* Rows whose distances one call to BLIS computes, then shortlisted while
 * they are in the cache (16 KB of distances). */
#define DISTANCE_BLOCK 4096
/* BLIS's gemv gives a row's product to the last bit the same in a call on
 * the whole block and in a call on the group of this many rows that holds
 * it, counted from the block's start: its kernels take a fixed number of
 * rows at a time and the rest of a block apart, and this is a multiple of
 * every such number, so that the rows the compact scan leaves get exactly
 * the distances of a full scan on any processor. Measured with BLIS 0.9
 * (Debian 12) under each of its x86-64 kernel sets (BLIS_ARCH_TYPE 0, 1
 * and 3 to 12): 8 holds for Intel's and Zen's, which take 8 rows; the
 * Bulldozer family's (9 to 11) need a multiple of 6. */
#define DISTANCE_GROUP 24
/* The compact copy's codes: a row's values are its scale times codes in
 * [-127, 127], the query's its scale times codes in [-32767, 32767], so
 * that a product of two codes fits 31 bits for up to this many values. */
#define COMPACT_MAX_DIM 512
/* Codes per row are padded with zeros to a multiple of this, so that the
 * compiler vectorises the scan. */
#define COMPACT_ALIGN 16

struct _SemblanceCatalog
{
  guint group_out, dim;
  GArray *ids;                  /* gint64 */
  GArray *vectors;              /* float, rows x dim */
  GArray *norms;                /* float, squared length of each row */
  GArray *durations;            /* double */
  GArray *artists, *albums;     /* guint: index + 1 in names, 0 for none */
  GPtrArray *names;
  GHashTable *name_index;       /* name -> index + 1 */
  GHashTable *row_of;           /* id -> row + 1 */
  float group_scale[SEMBLANCE_N_GROUPS];
  gboolean scales_valid;
  /* Each row's mean and standard deviation of distances to the sample,
   * computed when a query first needs them; a standard deviation below 0
   * marks a row not computed yet. */
  GArray *hub_mean, *hub_sd;
  guint *hub_rows;
  guint n_hub_rows;
  float *hub_sample, *hub_sample_norms;
  gboolean hubs_valid;
  float *scores;
  guint scores_size;
  float *proximity;             /* per row in a shortlist */
  /* A query's buffers, kept from one query to the next: candidates by
   * distance, those ranked so far by mutual proximity, per candidate the
   * query's term of its log mutual proximity and the greatest such term
   * from it to the last candidate, and counts per artist and album. */
  guint *candidates, *ranked;
  double *query_term;
  float *term_bound;
  guint candidates_size;
  guint *per_name;
  guint per_name_size;
  /* Each batch of hub statistics: the rows, their vectors, and their
   * products with the sample. */
  guint *hub_batch;
  float *hub_x, *hub_block, *hub_d2;
  gboolean exhaustive;
  /* The compact copy of the vectors, which queries scan first (when
   * c->compact): per row c->code_stride int8 codes, their scale, and the
   * Euclidean length of the rounding error, rounded up. */
  gboolean compact;
  guint code_stride;
  GArray *codes;                /* gint8 */
  GArray *code_scale, *code_error;      /* float */
  /* A compact scan's buffers: the query's codes, a block's products of
   * codes, the rows whose bounds may place them among the best with those
   * lower bounds, and a max-heap of the best upper bounds. */
  gint16 *query_codes;
  gint32 *code_dots;
  guint *maybe;
  float *maybe_low;
  double *upper_heap;
  guint maybe_size, upper_size;
  /* c->scores holds only the rows the last compact scan computed. */
  gboolean scores_partial;
};

void
semblance_query_options_init (SemblanceQueryOptions *o)
{
  memset (o, 0, sizeof *o);
  o->n = 20;
  o->mutual_proximity = TRUE;
}

void
semblance_closeness_top2 (const float *closeness, guint *first,
                          guint *second)
{
  guint best = 0, next = 1, g;

  if (closeness[next] > closeness[best]) {
    best = 1;
    next = 0;
  }
  for (g = 2; g < SEMBLANCE_N_GROUPS; g++) {
    if (closeness[g] > closeness[best]) {
      next = best;
      best = g;
    } else if (closeness[g] > closeness[next]) {
      next = g;
    }
  }
  *first = best;
  *second = next;
}

SemblanceCatalog *
semblance_catalog_new (guint group_out)
{
  SemblanceCatalog *c = g_new0 (SemblanceCatalog, 1);

  c->group_out = group_out;
  c->dim = SEMBLANCE_N_GROUPS * group_out;
  c->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  c->vectors = g_array_new (FALSE, FALSE, sizeof (float));
  c->norms = g_array_new (FALSE, FALSE, sizeof (float));
  c->durations = g_array_new (FALSE, FALSE, sizeof (double));
  c->artists = g_array_new (FALSE, FALSE, sizeof (guint));
  c->albums = g_array_new (FALSE, FALSE, sizeof (guint));
  c->names = g_ptr_array_new_with_free_func (g_free);
  c->name_index = g_hash_table_new (g_str_hash, g_str_equal);
  c->row_of = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
      NULL);
  c->hub_mean = g_array_new (FALSE, FALSE, sizeof (float));
  c->hub_sd = g_array_new (FALSE, FALSE, sizeof (float));
  c->compact = TRUE;
  c->code_stride = (c->dim + COMPACT_ALIGN - 1) / COMPACT_ALIGN *
      COMPACT_ALIGN;
  c->codes = g_array_new (FALSE, TRUE, sizeof (gint8));
  c->code_scale = g_array_new (FALSE, FALSE, sizeof (float));
  c->code_error = g_array_new (FALSE, FALSE, sizeof (float));
  return c;
}

void
semblance_catalog_free (SemblanceCatalog *c)
{
  if (!c)
    return;
  g_array_unref (c->ids);
  g_array_unref (c->vectors);
  g_array_unref (c->norms);
  g_array_unref (c->durations);
  g_array_unref (c->artists);
  g_array_unref (c->albums);
  g_hash_table_unref (c->name_index);
  g_ptr_array_unref (c->names);
  g_hash_table_unref (c->row_of);
  g_array_unref (c->hub_mean);
  g_array_unref (c->hub_sd);
  g_free (c->hub_rows);
  g_free (c->hub_sample);
  g_free (c->hub_sample_norms);
  g_free (c->scores);
  g_free (c->proximity);
  g_free (c->candidates);
  g_free (c->ranked);
  g_free (c->query_term);
  g_free (c->term_bound);
  g_free (c->per_name);
  g_free (c->hub_batch);
  g_free (c->hub_x);
  g_free (c->hub_block);
  g_free (c->hub_d2);
  g_array_unref (c->codes);
  g_array_unref (c->code_scale);
  g_array_unref (c->code_error);
  g_free (c->query_codes);
  g_free (c->code_dots);
  g_free (c->maybe);
  g_free (c->maybe_low);
  g_free (c->upper_heap);
  g_free (c);
}

/* Artists and albums repeat: each name is stored once. */
static guint
intern (SemblanceCatalog *c, const char *name)
{
  gpointer index;

  if (!name || !*name)
    return 0;
  index = g_hash_table_lookup (c->name_index, name);
  if (!index) {
    char *copy = g_strdup (name);

    g_ptr_array_add (c->names, copy);
    index = GUINT_TO_POINTER (c->names->len);
    g_hash_table_insert (c->name_index, copy, index);
  }
  return GPOINTER_TO_UINT (index);
}

/* Appends @v's codes, scale and rounding error to the compact copy. */
static void
add_codes (SemblanceCatalog *c, const float *v)
{
  gsize base = c->codes->len;
  float peak = 0.0f, scale;
  double error = 0.0;
  gint8 *code;
  guint i;

  g_array_set_size (c->codes, base + c->code_stride);
  code = &g_array_index (c->codes, gint8, base);
  for (i = 0; i < c->dim; i++)
    peak = MAX (peak, fabsf (v[i]));
  scale = peak / 127.0f;
  for (i = 0; i < c->dim; i++) {
    long k = scale > 0.0f ? lrintf (v[i] / scale) : 0;
    double e;

    code[i] = (gint8) CLAMP (k, -127, 127);
    /* Exact in double: a float minus a float times a small integer. */
    e = v[i] - (double) scale * code[i];
    error += e * e;
  }
  g_array_append_val (c->code_scale, scale);
  g_array_append_val (c->code_error, (float) { nextafterf ((float) sqrt
          (error), INFINITY) });
}

void
semblance_catalog_add (SemblanceCatalog *c, gint64 id, const float *vector,
                       const char *artist, const char *album, double duration)
{
  guint artist_index = intern (c, artist), album_index = intern (c, album);
  double norm = 0.0;
  guint i;

  for (i = 0; i < c->dim; i++)
    norm += (double) vector[i] * vector[i];
  g_hash_table_insert (c->row_of, g_memdup2 (&id, sizeof id),
      GUINT_TO_POINTER (c->ids->len + 1));
  g_array_append_val (c->ids, id);
  g_array_append_vals (c->vectors, vector, c->dim);
  g_array_append_val (c->norms, (float) { norm });
  g_array_append_val (c->durations, duration);
  g_array_append_val (c->artists, artist_index);
  g_array_append_val (c->albums, album_index);
  c->scales_valid = FALSE;
  c->hubs_valid = FALSE;
}

void
semblance_catalog_set_exhaustive (SemblanceCatalog *c, gboolean exhaustive)
{
  c->exhaustive = exhaustive;
}

void
semblance_catalog_set_compact (SemblanceCatalog *c, gboolean compact)
{
  c->compact = compact;
}

guint
semblance_catalog_size (const SemblanceCatalog *c)
{
  return c->ids->len;
}

gsize
semblance_catalog_bytes_per_track (const SemblanceCatalog *c)
{
  /* Row, norm, id, duration, two name indices, the id's hash entry, the
   * distance statistics, and the compact copy's codes, scale and error. */
  return c->dim * sizeof (float) + sizeof (float) + sizeof (gint64) +
      sizeof (double) + 2 * sizeof (guint) + sizeof (gint64) +
      3 * sizeof (gpointer) + 2 * sizeof (float) +
      (c->dim <= COMPACT_MAX_DIM ? c->code_stride + 2 * sizeof (float) : 0);
}

static const float *
row (const SemblanceCatalog *c, guint r)
{
  return &g_array_index (c->vectors, float, (gsize) r * c->dim);
}

static float
squared_length (const float *q, guint dim)
{
  double sum = 0.0;
  guint i;

  for (i = 0; i < dim; i++)
    sum += (double) q[i] * q[i];
  return (float) sum;
}

/* The squared distance between a row and the query from the row's squared
 * length, its product with the query, and the query's squared length. */
static inline float
squared_distance (float norm, float product, float qq)
{
  return MAX (0.0f, norm - 2.0f * product + qq);
}

void
semblance_catalog_extend (SemblanceCatalog *c, guint extra,
                          const float *values)
{
  g_autoptr (GArray) old = c->vectors;
  guint n = c->ids->len, from = c->dim, r;

  if (extra == 0)
    return;
  c->dim += extra;
  c->code_stride = (c->dim + COMPACT_ALIGN - 1) / COMPACT_ALIGN *
      COMPACT_ALIGN;
  c->vectors = g_array_sized_new (FALSE, FALSE, sizeof (float),
      (guint) ((gsize) n * c->dim));
  g_array_set_size (c->norms, 0);
  g_array_set_size (c->codes, 0);
  g_array_set_size (c->code_scale, 0);
  g_array_set_size (c->code_error, 0);
  for (r = 0; r < n; r++) {
    g_array_append_vals (c->vectors, &g_array_index (old, float, (gsize) r
            * from), from);
    g_array_append_vals (c->vectors, values + (gsize) r * extra, extra);
    g_array_append_val (c->norms, (float) { squared_length (row (c, r),
              c->dim) });
  }
  /* Buffers sized by the vectors' length are made again on next use. */
  g_clear_pointer (&c->hub_batch, g_free);
  g_clear_pointer (&c->hub_x, g_free);
  g_clear_pointer (&c->query_codes, g_free);
  g_clear_pointer (&c->code_dots, g_free);
  c->hubs_valid = FALSE;
}

guint
semblance_catalog_get_dim (const SemblanceCatalog *c)
{
  return c->dim;
}

const float *
semblance_catalog_get_vectors (const SemblanceCatalog *c)
{
  return (const float *) c->vectors->data;
}

gboolean
semblance_catalog_mean (const SemblanceCatalog *c, float *mean)
{
  g_autofree double *sum = g_new0 (double, c->dim);
  guint r, i;

  if (c->ids->len == 0)
    return FALSE;
  for (r = 0; r < c->ids->len; r++)
    for (i = 0; i < c->dim; i++)
      sum[i] += row (c, r)[i];
  for (i = 0; i < c->dim; i++)
    mean[i] = (float) (sum[i] / c->ids->len);
  return TRUE;
}

static gboolean
row_of (const SemblanceCatalog *c, gint64 id, guint *r)
{
  guint v = GPOINTER_TO_UINT (g_hash_table_lookup (c->row_of, &id));

  *r = v - 1;
  return v > 0;
}

const float *
semblance_catalog_get_vector (const SemblanceCatalog *c, gint64 id)
{
  guint r;

  return row_of (c, id, &r) ? row (c, r) : NULL;
}

/* Mean distance between tracks, per group, on a fixed sample of pairs. */
static void
update_scales (SemblanceCatalog *c)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  guint n = c->ids->len, p, g, k;

  for (g = 0; g < SEMBLANCE_N_GROUPS; g++)
    c->group_scale[g] = 1.0f;
  if (n >= 2) {
    double sum[SEMBLANCE_N_GROUPS] = { 0 };

    for (p = 0; p < SCALE_PAIRS; p++) {
      const float *a = row (c, g_rand_int_range (rand, 0, n));
      const float *b = row (c, g_rand_int_range (rand, 0, n));

      for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
        double d = 0.0;

        for (k = g * c->group_out; k < (g + 1) * c->group_out; k++)
          d += (a[k] - b[k]) * (a[k] - b[k]);
        sum[g] += sqrt (d);
      }
    }
    for (g = 0; g < SEMBLANCE_N_GROUPS; g++)
      if (sum[g] > 0.0)
        c->group_scale[g] = (float) (sum[g] / SCALE_PAIRS);
  }
  c->scales_valid = TRUE;
}

/* Row @a ranks after row @b: by score, then on a tie by row, so that the
 * best @cap rows are the same set however they are found. */
static inline gboolean
worse (const float *scores, guint a, guint b)
{
  return scores[a] > scores[b] || (scores[a] == scores[b] && a > b);
}

/* A max-heap of rows by worse(), of at most @cap entries: the @cap best. */
static void
heap_push (guint *heap, guint *size, guint cap, const float *scores, guint r)
{
  guint i, parent;

  if (*size == cap) {
    guint child;

    if (worse (scores, r, heap[0]))
      return;
    /* Replace the worst and sift down. */
    i = 0;
    heap[0] = r;
    while ((child = 2 * i + 1) < *size) {
      if (child + 1 < *size && worse (scores, heap[child + 1], heap[child]))
        child++;
      if (!worse (scores, heap[child], heap[i]))
        break;
      parent = heap[i];
      heap[i] = heap[child];
      heap[child] = parent;
      i = child;
    }
    return;
  }
  i = (*size)++;
  heap[i] = r;
  while (i > 0 && worse (scores, heap[i], heap[parent = (i - 1) / 2])) {
    guint t = heap[parent];

    heap[parent] = heap[i];
    heap[i] = t;
    i = parent;
  }
}

static gint
compare_rows (gconstpointer a, gconstpointer b, gpointer scores)
{
  const float *s = scores;
  guint ra = *(const guint *) a, rb = *(const guint *) b;

  if (s[ra] != s[rb])
    return s[ra] < s[rb] ? -1 : 1;
  return (ra > rb) - (ra < rb);
}

static gint
compare_proximity (gconstpointer a, gconstpointer b, gpointer proximity)
{
  const float *p = proximity;
  guint ra = *(const guint *) a, rb = *(const guint *) b;

  if (p[ra] != p[rb])
    return p[ra] > p[rb] ? -1 : 1;
  return (ra > rb) - (ra < rb);
}

/* The mean and standard deviation of @n distances from their sum @s and
 * the sum of their squares @s2. */
static void
finish_stats (double s, double s2, guint n, float *mean, float *sd)
{
  *mean = (float) (s / n);
  *sd = n > 1 ? (float) sqrt (MAX (0.0, (s2 - s * s / n) / (n - 1))) : 0.0f;
}

/* The mean and standard deviation of the distances from @d2 (squared
 * distances to the sample rows, @n of them). */
static void
distance_stats (const float *d2, guint n, float *mean, float *sd)
{
  double s = 0.0, s2 = 0.0;
  guint i;

  for (i = 0; i < n; i++) {
    double d = sqrt (d2[i]);

    s += d;
    s2 += d * d;
  }
  finish_stats (s, s2, n, mean, sd);
}

/* The sample of rows that distance statistics are measured against:
 * evenly spaced, so that the same catalog gives the same sample. Forgets
 * every row's statistics. */
static void
update_hubs (SemblanceCatalog *c)
{
  guint n = c->ids->len, k = MIN (n, HUB_SAMPLE), j;

  g_free (c->hub_rows);
  g_free (c->hub_sample);
  g_free (c->hub_sample_norms);
  g_free (c->hub_block);
  g_free (c->hub_d2);
  c->hub_rows = g_new (guint, MAX (k, 1));
  c->hub_sample = g_new (float, (gsize) MAX (k, 1) * c->dim);
  c->hub_sample_norms = g_new (float, MAX (k, 1));
  c->hub_block = g_new (float, (gsize) HUB_BATCH * MAX (k, 1));
  c->hub_d2 = g_new (float, MAX (k, 1));
  if (!c->hub_batch) {
    c->hub_batch = g_new (guint, HUB_BATCH);
    c->hub_x = g_new (float, (gsize) HUB_BATCH * c->dim);
  }
  c->n_hub_rows = k;
  for (j = 0; j < k; j++) {
    c->hub_rows[j] = (guint) ((guint64) j * n / k);
    memcpy (c->hub_sample + (gsize) j * c->dim, row (c, c->hub_rows[j]),
        c->dim * sizeof (float));
    c->hub_sample_norms[j] = g_array_index (c->norms, float, c->hub_rows[j]);
  }
  g_array_set_size (c->hub_mean, n);
  g_array_set_size (c->hub_sd, n);
  for (j = 0; j < n; j++)
    g_array_index (c->hub_sd, float, j) = -1.0f;
  c->hubs_valid = TRUE;
}

/* The statistics of the @todo rows of c->hub_batch, whose products with
 * the sample c->hub_block holds. */
static void
batch_stats (SemblanceCatalog *c, guint todo)
{
  guint k = c->n_hub_rows, base, lane, j;

  for (base = 0; base < todo; base += STATS_LANES) {
    double s[STATS_LANES] = { 0 }, s2[STATS_LANES] = { 0 };
    const float *block[STATS_LANES];
    float norm[STATS_LANES];

    /* Past the last row, a lane repeats it and is not kept. */
    for (lane = 0; lane < STATS_LANES; lane++) {
      guint i = MIN (base + lane, todo - 1);

      block[lane] = c->hub_block + (gsize) i * k;
      norm[lane] = g_array_index (c->norms, float, c->hub_batch[i]);
    }
    for (j = 0; j < k; j++)
      for (lane = 0; lane < STATS_LANES; lane++) {
        double d = sqrt (MAX (0.0f, norm[lane] + c->hub_sample_norms[j] -
                2.0f * block[lane][j]));

        s[lane] += d;
        s2[lane] += d * d;
      }
    for (lane = 0; lane < STATS_LANES && base + lane < todo; lane++) {
      guint r = c->hub_batch[base + lane];

      finish_stats (s[lane], s2[lane], k, &g_array_index (c->hub_mean, float,
              r), &g_array_index (c->hub_sd, float, r));
    }
  }
}

/* Computes the statistics of those of @rows that have none yet, a batch
 * at a time, each batch in one product through BLIS: a query needs them
 * only for the candidates it ranks. */
static void
ensure_hub_stats (SemblanceCatalog *c, const guint *rows, guint n_rows)
{
  guint k = c->n_hub_rows, i = 0;

  if (k == 0)
    return;
  while (i < n_rows) {
    guint todo = 0, t;

    for (; i < n_rows && todo < HUB_BATCH; i++)
      if (g_array_index (c->hub_sd, float, rows[i]) < 0.0f)
        c->hub_batch[todo++] = rows[i];
    if (todo == 0)
      break;
    for (t = 0; t < todo; t++)
      memcpy (c->hub_x + (gsize) t * c->dim, row (c, c->hub_batch[t]),
          c->dim * sizeof (float));
    semblance_gemm (false, true, todo, k, c->dim, 1.0f, c->hub_x, c->dim,
        c->hub_sample, c->dim, 0.0f, c->hub_block, k);
    batch_stats (c, todo);
  }
}

/* The distance statistics of the query @q, from one product with the
 * sample: whether a query computed the distances of the sample's rows or
 * not, they are the same. */
static void
query_stats (SemblanceCatalog *c, const float *q, float *mean, float *sd)
{
  float qq = squared_length (q, c->dim);
  guint i;

  if (!c->hubs_valid)
    update_hubs (c);
  semblance_gemv (c->n_hub_rows, c->dim, 1.0f, c->hub_sample, c->dim, q,
      0.0f, c->hub_d2);
  for (i = 0; i < c->n_hub_rows; i++)
    c->hub_d2[i] = squared_distance (c->hub_sample_norms[i], c->hub_d2[i],
        qq);
  distance_stats (c->hub_d2, c->n_hub_rows, mean, sd);
}

/* For the @n_rows candidates @rows, the query's term of each one's log
 * mutual proximity into c->query_term and, into c->term_bound, from each
 * candidate to the last the greatest of those terms as a float: no
 * candidate from i on has a proximity above c->term_bound[i]. */
static void
proximity_terms (SemblanceCatalog *c, const guint *rows, guint n_rows,
                 float qmean, float qsd)
{
  guint i;

  c->term_bound[n_rows] = -INFINITY;
  for (i = n_rows; i-- > 0;) {
    c->query_term[i] = semblance_proximity_log_term (sqrt
        (c->scores[rows[i]]), qmean, qsd);
    c->term_bound[i] = MAX ((float) c->query_term[i], c->term_bound[i + 1]);
  }
}

/* c->proximity of the candidates @rows[from..to) (the indices of
 * proximity_terms()): ln (1 - mutual proximity), the greatest first. */
static void
score_candidates (SemblanceCatalog *c, const guint *rows, guint from,
                  guint to)
{
  guint i;

  ensure_hub_stats (c, rows + from, to - from);
  for (i = from; i < to; i++) {
    guint r = rows[i];

    c->proximity[r] = (float) (c->query_term[i] +
        semblance_proximity_log_term (sqrt (c->scores[r]),
            g_array_index (c->hub_mean, float, r),
            g_array_index (c->hub_sd, float, r)));
  }
}

/* Ranks @rows by mutual proximity to the query whose squared distances
 * c->scores holds: c->proximity gets, by row, ln (1 - mutual proximity),
 * the greatest first. */
static void
rank_by_proximity (SemblanceCatalog *c, const float *q, guint *rows,
                   guint n_rows)
{
  float qmean, qsd;

  query_stats (c, q, &qmean, &qsd);
  proximity_terms (c, rows, n_rows, qmean, qsd);
  score_candidates (c, rows, 0, n_rows);
  g_qsort_with_data (rows, n_rows, sizeof (guint), compare_proximity,
      c->proximity);
}

/* heap_push() of row @r, but for a full heap only when it would keep it
 * (better than the worst kept, @worst), without a call otherwise. Rows
 * come in increasing order: on a tie with the worst kept, @r is worse. */
static inline void
shortlist (guint *heap, guint *size, guint cap, const float *scores, guint r,
           float *worst)
{
  if (*size < cap || !(scores[r] >= *worst)) {
    heap_push (heap, size, cap, scores, r);
    *worst = scores[heap[0]];
  }
}

/* The @cap best rows by c->scores, best first. */
static guint
best_rows (SemblanceCatalog *c, guint cap, guint *out)
{
  guint n = c->ids->len, size = 0, r;
  float worst = 0.0f;

  for (r = 0; r < n; r++)
    shortlist (out, &size, cap, c->scores, r, &worst);
  g_qsort_with_data (out, size, sizeof (guint), compare_rows, c->scores);
  return size;
}

/* Room for a squared distance and a proximity per row. */
static void
ensure_scores (SemblanceCatalog *c)
{
  guint n = c->ids->len;

  if (c->scores_size < n) {
    c->scores_size = MAX (n, c->scores_size * 2);
    c->scores = g_renew (float, c->scores, c->scores_size);
    c->proximity = g_renew (float, c->proximity, c->scores_size);
  }
}

/* Squared distances from @q to every row into c->scores, and the @cap
 * best rows, best first, as best_rows() gives them: one pass, a block of
 * rows at a time, each block's distances shortlisted while they are in
 * the cache. A row's distance is the same whichever block computes it. */
static guint
nearest_rows (SemblanceCatalog *c, const float *q, guint cap, guint *out)
{
  guint n = c->ids->len, size = 0, start, r;
  const float *norms = (const float *) c->norms->data;
  float worst = 0.0f, qq = squared_length (q, c->dim);

  ensure_scores (c);
  c->scores_partial = FALSE;
  for (start = 0; start < n; start += DISTANCE_BLOCK) {
    guint end = MIN (n, start + DISTANCE_BLOCK);

    /* scores = M q, then |m|^2 - 2 m.q + |q|^2 */
    semblance_gemv (end - start, c->dim, 1.0f, row (c, start), c->dim, q,
        0.0f, c->scores + start);
    for (r = start; r < end; r++) {
      c->scores[r] = squared_distance (norms[r], c->scores[r], qq);
      shortlist (out, &size, cap, c->scores, r, &worst);
    }
  }
  g_qsort_with_data (out, size, sizeof (guint), compare_rows, c->scores);
  return size;
}

/* The squared distances from @q of the @n_rows @rows (increasing) into
 * c->scores, each to the last bit as nearest_rows() gives it: computed by
 * BLIS with the group of DISTANCE_GROUP rows that holds it, counted from
 * its block's start. */
static void
exact_rows (SemblanceCatalog *c, const float *q, float qq, const guint *rows,
            guint n_rows)
{
  const float *norms = (const float *) c->norms->data;
  float product[DISTANCE_GROUP];
  guint n = c->ids->len, done = 0, i, k;

  for (i = 0; i < n_rows; i++) {
    guint r = rows[i], block, group, end;

    if (r < done)
      continue;
    block = r - r % DISTANCE_BLOCK;
    group = block + (r - block) / DISTANCE_GROUP * DISTANCE_GROUP;
    end = MIN (MIN (n, block + DISTANCE_BLOCK), group + DISTANCE_GROUP);
    semblance_gemv (end - group, c->dim, 1.0f, row (c, group), c->dim, q,
        0.0f, product);
    for (k = group; k < end; k++)
      c->scores[k] = squared_distance (norms[k], product[k - group], qq);
    done = end;
  }
}

/* The products of @n_rows rows of codes with the query's codes: exact in
 * 32 bits (COMPACT_MAX_DIM), and in plain C. */
static inline void
code_products_n (const gint8 *codes, const gint16 *q, guint n_rows,
                 guint stride, gint32 *out)
{
  guint r, i;

  for (r = 0; r < n_rows; r++) {
    const gint8 *x = codes + (gsize) r * stride;
    gint32 sum = 0;

    for (i = 0; i < stride; i++)
      sum += (gint16) x[i] * q[i];
    out[r] = sum;
  }
}

/* Built for AVX2 too where the compiler can choose at run time: twice the
 * codes per instruction (measured at 1,000,000 rows of 64 codes, three
 * runs each: 8.1 to 8.9 ms against 9.6 to 12.9 ms with SSE2). */
#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define CODE_PRODUCTS_TARGETS __attribute__ ((target_clones ("avx2", "default")))
#endif
#endif
#ifndef CODE_PRODUCTS_TARGETS
#define CODE_PRODUCTS_TARGETS
#endif

/* code_products_n() with the strides of vectors up to 128 values as
 * constants, which the compiler vectorises at -O2 (measured at 1,000,000
 * rows of 64 codes: 9.5 ms against 38 ms with the stride a variable). */
CODE_PRODUCTS_TARGETS static void
code_products (const gint8 *codes, const gint16 *q, guint n_rows,
               guint stride, gint32 *out)
{
  switch (stride) {
#define STRIDE_CASE(s) \
    case s: \
      code_products_n (codes, q, n_rows, s, out); \
      return;
    STRIDE_CASE (16)
    STRIDE_CASE (32)
    STRIDE_CASE (48)
    STRIDE_CASE (64)
    STRIDE_CASE (80)
    STRIDE_CASE (96)
    STRIDE_CASE (112)
    STRIDE_CASE (128)
#undef STRIDE_CASE
    default:
      code_products_n (codes, q, n_rows, stride, out);
  }
}

/* Pushes @x on the max-heap @heap of the @cap smallest values. */
static void
upper_push (double *heap, guint *size, guint cap, double x)
{
  guint i, child;

  if (*size < cap) {
    for (i = (*size)++; i > 0 && heap[(i - 1) / 2] < x; i = (i - 1) / 2)
      heap[i] = heap[(i - 1) / 2];
    heap[i] = x;
    return;
  }
  if (!(x < heap[0]))
    return;
  for (i = 0; (child = 2 * i + 1) < *size; i = child) {
    if (child + 1 < *size && heap[child + 1] > heap[child])
      child++;
    if (!(heap[child] > x))
      break;
    heap[i] = heap[child];
  }
  heap[i] = x;
}

/* The @cap best rows for @q, best first, the same as nearest_rows() gives
 * (@cap below the catalog's size), from a scan of the compact copy, a
 * quarter of the bytes. The codes give each row's squared distance within
 * a bound: the row's rounding error e and the query's f (their lengths),
 * by Cauchy-Schwarz, move the product x.q by at most
 * |x| f + e |q| + e f, so the distance by twice that, with
 * 2 |x| <= |x|^2 + 1; and float rounding in nearest_rows() and here moves
 * it by at most (dim + 16) float epsilons of |x|^2 + |q|^2 (x.q is at
 * most half that). The best rows by distance are among those whose lower
 * bound is at most the @cap-th smallest upper bound: only those get their
 * exact distance, as nearest_rows() would compute it, and then the same
 * choice of the best (ties by row) gives the same rows. */
static guint
compact_rows (SemblanceCatalog *c, const float *q, guint cap, guint *out)
{
  const float *norms = (const float *) c->norms->data;
  const float *scale = (const float *) c->code_scale->data;
  const float *error = (const float *) c->code_error->data;
  const gint8 *codes = (const gint8 *) c->codes->data;
  guint n = c->ids->len, stride = c->code_stride, size = 0, n_maybe = 0;
  guint kept = 0, start, r, i;
  float qq = squared_length (q, c->dim), peak = 0.0f, qscale, worst = 0.0f;
  double qerror = 0.0, qlength = 0.0, rel, ce, cx, c0, top = INFINITY;

  ensure_scores (c);
  if (!c->query_codes) {
    c->query_codes = g_new0 (gint16, stride);
    c->code_dots = g_new (gint32, DISTANCE_BLOCK);
  }
  if (c->upper_size < cap) {
    c->upper_size = cap;
    g_free (c->upper_heap);
    c->upper_heap = g_new (double, cap);
  }
  for (i = 0; i < c->dim; i++)
    peak = MAX (peak, fabsf (q[i]));
  qscale = peak / 32767.0f;
  for (i = 0; i < c->dim; i++) {
    long k = qscale > 0.0f ? lrintf (q[i] / qscale) : 0;
    double e;

    c->query_codes[i] = (gint16) CLAMP (k, -32767, 32767);
    e = q[i] - (double) qscale * c->query_codes[i];
    qerror += e * e;
    qlength += (double) q[i] * q[i];
  }
  qerror = sqrt (qerror);
  qlength = sqrt (qlength);
  /* The bound e ce + |x|^2 cx + c0, with a thousandth to spare for the
   * rounding of the bound itself. */
  rel = (c->dim + 16) * (double) FLT_EPSILON;
  ce = 1.001 * 2.0 * (qlength + qerror);
  cx = 1.001 * (qerror + 2.0 * rel);
  c0 = 1.001 * (qerror + 2.0 * rel * qq);

  for (start = 0; start < n; start += DISTANCE_BLOCK) {
    guint end = MIN (n, start + DISTANCE_BLOCK);

    code_products (codes + (gsize) start * stride, c->query_codes,
        end - start, stride, c->code_dots);
    for (r = start; r < end; r++) {
      double d = norms[r] - 2.0 * c->code_dots[r - start] *
          ((double) scale[r] * qscale) + qq;
      double e = error[r] * ce + norms[r] * cx + c0;

      if (size < cap || d + e < top) {
        upper_push (c->upper_heap, &size, cap, d + e);
        if (size == cap)
          top = c->upper_heap[0];
      }
      if (d - e <= top) {
        if (n_maybe == c->maybe_size) {
          c->maybe_size = MAX (2 * c->maybe_size, 1024);
          c->maybe = g_renew (guint, c->maybe, c->maybe_size);
          c->maybe_low = g_renew (float, c->maybe_low, c->maybe_size);
        }
        c->maybe[n_maybe] = r;
        /* Rounded down, so that no row is lost to the float. */
        c->maybe_low[n_maybe++] = nextafterf ((float) (d - e), -INFINITY);
      }
    }
  }
  /* The threshold only fell during the scan: keep the rows under its
   * last value. */
  for (i = 0; i < n_maybe; i++)
    if (c->maybe_low[i] <= top)
      c->maybe[kept++] = c->maybe[i];
  exact_rows (c, q, qq, c->maybe, kept);
  c->scores_partial = TRUE;
  size = 0;
  for (i = 0; i < kept; i++)
    shortlist (out, &size, cap, c->scores, c->maybe[i], &worst);
  g_qsort_with_data (out, size, sizeof (guint), compare_rows, c->scores);
  return size;
}

/* The codes of the rows added (or extended) since the last compact scan:
 * made when a scan first needs them, so that a library whose vectors are
 * extended once loaded (the blend's) codes them once, and a query that
 * scans every row (a small library) never. */
static void
ensure_codes (SemblanceCatalog *c)
{
  guint r;

  for (r = c->code_scale->len; r < c->ids->len; r++)
    add_codes (c, row (c, r));
}

/* The @cap best rows for @q, best first, as nearest_rows() gives them,
 * from the compact copy when it can; c->scores has the exact distance of
 * at least those rows. */
static guint
query_rows (SemblanceCatalog *c, const float *q, guint cap, guint *out)
{
  if (c->compact && c->dim <= COMPACT_MAX_DIM && cap < c->ids->len) {
    ensure_codes (c);
    return compact_rows (c, q, cap, out);
  }
  return nearest_rows (c, q, cap, out);
}

static gboolean
in_list (guint value, const guint *list, guint n)
{
  guint i;

  for (i = 0; i < n; i++)
    if (list[i] == value)
      return TRUE;
  return FALSE;
}

static void
fill_match (SemblanceCatalog *c, guint r, const float *q, gboolean mp,
            SemblanceMatch *m)
{
  const float *v = row (c, r);
  guint g, k;

  m->id = g_array_index (c->ids, gint64, r);
  m->distance = sqrtf (c->scores[r]);
  /* Without mutual proximity, a smooth fall-off of the distance. */
  m->proximity = mp ? expf (c->proximity[r])
      : expf (-m->distance * m->distance / 2.0f);
  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    double d = 0.0;

    for (k = g * c->group_out; k < (g + 1) * c->group_out; k++)
      d += (v[k] - q[k]) * (v[k] - q[k]);
    m->closeness[g] = (float) exp (-sqrt (d) / c->group_scale[g]);
  }
}

static int
compare_guint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* A query's track, seeds and filters. */
typedef struct
{
  const float *q;
  const guint *seed_rows, *seed_albums;
  guint n_seeds;
  const guint *excluded;        /* sorted */
  guint n_excluded;
  const SemblanceQueryOptions *o;
} Query;

/* Room for @n candidates in the query's buffers, and a count for every
 * artist and album name. */
static void
ensure_query_buffers (SemblanceCatalog *c, guint n)
{
  /* Artists and albums share the name table. */
  guint names = c->names->len + 1;

  if (c->candidates_size < n) {
    c->candidates_size = MAX (n, c->candidates_size * 2);
    c->candidates = g_renew (guint, c->candidates, c->candidates_size);
    c->ranked = g_renew (guint, c->ranked, c->candidates_size);
    c->query_term = g_renew (double, c->query_term, c->candidates_size);
    c->term_bound = g_renew (float, c->term_bound, c->candidates_size + 1);
  }
  if (c->per_name_size < names) {
    g_free (c->per_name);
    c->per_name = g_new0 (guint, 2 * (gsize) names);
    c->per_name_size = names;
  }
}

/* Appends to @out, which has no results yet, the first of @rows that pass
 * the filters, up to options->n of them, in order. */
static void
take (SemblanceCatalog *c, const Query *query, const guint *rows,
      guint n_rows, GArray *out)
{
  const SemblanceQueryOptions *o = query->o;
  guint *per_artist = c->per_name, *per_album = c->per_name +
      c->per_name_size;
  guint i, j;

  for (i = 0; i < n_rows && out->len < o->n; i++) {
    guint r = rows[i], artist = g_array_index (c->artists, guint, r);
    guint album = g_array_index (c->albums, guint, r);
    double duration = g_array_index (c->durations, double, r);
    SemblanceMatch m;

    if (!o->keep_seeds && in_list (r, query->seed_rows, query->n_seeds))
      continue;
    if (query->n_excluded && bsearch (&r, query->excluded,
            query->n_excluded, sizeof (guint), compare_guint))
      continue;
    if (o->exclude_seed_albums && album && in_list (album,
            query->seed_albums, query->n_seeds))
      continue;
    if (o->max_per_artist && artist && per_artist[artist] >=
        o->max_per_artist)
      continue;
    if (o->max_per_album && album && per_album[album] >= o->max_per_album)
      continue;
    if ((o->min_duration > 0 && duration < o->min_duration)
        || (o->max_duration > 0 && duration > o->max_duration))
      continue;
    per_artist[artist]++;
    per_album[album]++;
    fill_match (c, r, query->q, o->mutual_proximity, &m);
    g_array_append_val (out, m);
  }
  /* Back to zero for the next pass: only the rows looked at counted. */
  for (j = 0; j < i; j++) {
    per_artist[g_array_index (c->artists, guint, rows[j])] = 0;
    per_album[g_array_index (c->albums, guint, rows[j])] = 0;
  }
}

/* Appends to @out what take() would give from all @n_candidates of
 * c->candidates ranked by mutual proximity, ranking only as many as it
 * needs. Ranked candidates whose proximity is above the bound of every
 * candidate not yet ranked come before all those in the full ranking, in
 * the same order; when enough of them pass the filters, the rest cannot
 * change the results. Otherwise a quarter more candidates are ranked. */
static void
take_by_proximity (SemblanceCatalog *c, const Query *query,
                   guint n_candidates, GArray *out)
{
  const guint *rows = c->candidates;
  guint ranked = 0, m = n_candidates, sure;
  float qmean, qsd;

  query_stats (c, query->q, &qmean, &qsd);
  proximity_terms (c, rows, n_candidates, qmean, qsd);
  if (!c->exhaustive)
    m = MIN (n_candidates, query->o->n + query->n_seeds + 16);
  for (;;) {
    score_candidates (c, rows, ranked, m);
    memcpy (c->ranked + ranked, rows + ranked, (m - ranked) * sizeof (guint));
    ranked = m;
    g_qsort_with_data (c->ranked, ranked, sizeof (guint), compare_proximity,
        c->proximity);
    for (sure = 0; sure < ranked && c->proximity[c->ranked[sure]] >
        c->term_bound[ranked]; sure++);
    g_array_set_size (out, 0);
    take (c, query, c->ranked, sure, out);
    if (out->len >= query->o->n || ranked == n_candidates)
      return;
    m = MIN (n_candidates, m + MAX (m / 4, 1));
  }
}

/* Best rows for @q that pass the options; @seed_rows are the seeds, and
 * @excluded (sorted) the rows never to give. */
static GArray *
query (SemblanceCatalog *c, const float *q, const guint *seed_rows,
       guint n_seeds, const guint *excluded, guint n_excluded,
       const SemblanceQueryOptions *o)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (SemblanceMatch));
  guint n = c->ids->len, cap, i;
  gboolean first;
  g_autofree guint *seed_albums = g_new0 (guint, MAX (n_seeds, 1));
  Query query = { q, seed_rows, seed_albums, n_seeds, excluded, n_excluded,
    o };

  if (n == 0 || o->n == 0)
    return out;
  if (!c->scales_valid)
    update_scales (c);
  for (i = 0; i < n_seeds; i++)
    seed_albums[i] = g_array_index (c->albums, guint, seed_rows[i]);

  /* Filters may reject candidates: widen the net until enough pass or
   * every track was considered. */
  for (cap = MIN (n, 4 * o->n + n_seeds + n_excluded + 16), first = TRUE;;
       cap = MIN (n, cap * 4), first = FALSE) {
    guint got;

    if (o->mutual_proximity)
      cap = MIN (n, MAX (cap, SHORTLIST));
    ensure_query_buffers (c, cap);
    if (first)
      got = query_rows (c, q, cap, c->candidates);
    else if (c->scores_partial)
      got = nearest_rows (c, q, cap, c->candidates);
    else
      got = best_rows (c, cap, c->candidates);
    g_array_set_size (out, 0);
    if (o->mutual_proximity)
      take_by_proximity (c, &query, got, out);
    else
      take (c, &query, c->candidates, got, out);
    if (out->len >= o->n || cap == n)
      return out;
  }
}

/* The rows of the ids of @exclude that the catalog has, sorted. */
static guint *
excluded_rows (SemblanceCatalog *c, const gint64 *exclude, guint n_exclude,
               guint *n_rows)
{
  guint *rows = g_new (guint, MAX (n_exclude, 1)), i;

  *n_rows = 0;
  for (i = 0; i < n_exclude; i++)
    if (row_of (c, exclude[i], &rows[*n_rows]))
      (*n_rows)++;
  qsort (rows, *n_rows, sizeof (guint), compare_guint);
  return rows;
}

GArray *
semblance_catalog_similar (SemblanceCatalog *c, const gint64 *seeds,
                           guint n_seeds, const SemblanceQueryOptions *o,
                           GError **error)
{
  return semblance_catalog_similar_excluding (c, seeds, n_seeds, NULL, 0, o,
      error);
}

GArray *
semblance_catalog_similar_excluding (SemblanceCatalog *c,
                                     const gint64 *seeds, guint n_seeds,
                                     const gint64 *exclude, guint n_exclude,
                                     const SemblanceQueryOptions *o,
                                     GError **error)
{
  guint n_excluded;
  g_autofree guint *excluded = excluded_rows (c, exclude, n_exclude,
      &n_excluded);
  g_autofree guint *seed_rows = g_new (guint, MAX (n_seeds, 1));
  g_autofree float *q = g_new0 (float, c->dim);
  guint i, k;

  if (n_seeds == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "no seed track");
    return NULL;
  }
  for (i = 0; i < n_seeds; i++) {
    if (!row_of (c, seeds[i], &seed_rows[i])) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
          "track %" G_GINT64_FORMAT " is not in the catalog", seeds[i]);
      return NULL;
    }
    for (k = 0; k < c->dim; k++)
      q[k] += row (c, seed_rows[i])[k] / n_seeds;
  }
  return query (c, q, seed_rows, n_seeds, excluded, n_excluded, o);
}

GArray *
semblance_catalog_nearest (SemblanceCatalog *c, const float *vector,
                           const SemblanceQueryOptions *o)
{
  return semblance_catalog_nearest_excluding (c, vector, NULL, 0, o);
}

GArray *
semblance_catalog_nearest_excluding (SemblanceCatalog *c,
                                     const float *vector,
                                     const gint64 *exclude, guint n_exclude,
                                     const SemblanceQueryOptions *o)
{
  guint n_excluded;
  g_autofree guint *excluded = excluded_rows (c, exclude, n_exclude,
      &n_excluded);

  return query (c, vector, NULL, 0, excluded, n_excluded, o);
}

GArray *
semblance_catalog_path (SemblanceCatalog *c, gint64 from, gint64 to,
                        guint steps, GError **error)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (SemblanceMatch));
  g_autofree guint *used = g_new (guint, steps + 2);
  g_autofree float *q = g_new (float, c->dim);
  g_autofree guint *rows = NULL;
  guint a, b, n_used = 2, t, k;

  if (!row_of (c, from, &a) || !row_of (c, to, &b)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "track %" G_GINT64_FORMAT " is not in the catalog",
        row_of (c, from, &a) ? to : from);
    g_array_unref (out);
    return NULL;
  }
  if (!c->scales_valid)
    update_scales (c);
  used[0] = a;
  used[1] = b;
  rows = g_new (guint, MIN (c->ids->len, steps + 2 + SHORTLIST));
  ensure_query_buffers (c, MIN (c->ids->len, steps + 2 + SHORTLIST));
  for (t = 1; t <= steps && n_used < c->ids->len; t++) {
    double f = (double) t / (steps + 1);
    guint got, i;

    for (k = 0; k < c->dim; k++)
      q[k] = (float) ((1.0 - f) * row (c, a)[k] + f * row (c, b)[k]);
    /* Enough candidates that one is unused, ranked by mutual proximity:
     * a hub would otherwise be every step's nearest. */
    got = query_rows (c, q, MIN (c->ids->len, n_used + 1 + SHORTLIST),
        rows);
    rank_by_proximity (c, q, rows, got);
    for (i = 0; i < got; i++)
      if (!in_list (rows[i], used, n_used)) {
        SemblanceMatch m;

        fill_match (c, rows[i], q, TRUE, &m);
        g_array_append_val (out, m);
        used[n_used++] = rows[i];
        break;
      }
  }
  return out;
}

SemblanceBlend *
semblance_catalog_blend (SemblanceCatalog *catalog,
                         const SemblanceModel *model, guint rank)
{
  return semblance_catalog_blend_saved (catalog, model, rank, NULL, NULL);
}

SemblanceBlend *
semblance_catalog_fit_blend (const SemblanceCatalog *catalog,
                             const SemblanceModel *model, guint rank)
{
  if (catalog->dim != model->n_groups * model->group_out)
    return NULL;
  return semblance_blend_fit (model->semantic_map, model->semantic_bias,
      catalog->dim, model->semantic_dim, semblance_catalog_get_vectors
      (catalog), catalog->ids->len, semblance_blend_default_weight (), rank);
}

SemblanceBlend *
semblance_catalog_blend_saved (SemblanceCatalog *catalog,
                               const SemblanceModel *model, guint rank,
                               GBytes *saved, GBytes **refitted)
{
  guint n = catalog->ids->len;
  guint dim = catalog->dim;
  const float *vectors = semblance_catalog_get_vectors (catalog);
  double weight = semblance_blend_default_weight ();
  g_autofree float *values = NULL;
  SemblanceBlend *b;

  /* A catalog of another model's vectors is not the map's to blend. */
  if (dim != model->n_groups * model->group_out)
    return NULL;
  b = semblance_blend_restore (saved, model->semantic_map,
      model->semantic_bias, dim, model->semantic_dim, n, weight, rank);
  if (!b) {
    b = semblance_catalog_fit_blend (catalog, model, rank);
    if (b && refitted)
      *refitted = semblance_blend_save (b);
  }
  if (!b)
    return NULL;
  values = g_new (float, (gsize) n * semblance_blend_get_rank (b));
  semblance_blend_apply (b, vectors, n, values);
  semblance_catalog_extend (catalog, semblance_blend_get_rank (b), values);
  return b;
}
