/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-fingerprint.h"

#include <chromaprint.h>
#include <dlfcn.h>
#include <math.h>
#include <string.h>

#include "semblance-analyzer-private.h"
#include "semblance-resampler.h"

/* Chromaprint's values come every 4096 / 3 samples at 11,025 Hz. */
#define ITEMS_PER_SECOND 8.07
#define MIN_OVERLAP (guint) (10 * ITEMS_PER_SECOND)
#define MAX_BIT_ERROR_RATE 0.25
/* Frames mixed to mono, and samples given to Chromaprint, per step. */
#define CHUNK_SAMPLES 8192
/* Chromaprint's own rate: it resamples everything to this. */
#define CHROMAPRINT_RATE 11025
/* Halvings at most: 176.4 kHz to 11,025 Hz. */
#define MAX_HALVINGS 4

/* Chromaprint is loaded when the first file is fingerprinted, not linked:
 * Debian's links FFmpeg's libavcodec and its dozens of libraries, whose
 * loading cost every process of the engine more than a query does. Matching
 * stored fingerprints needs none of it. */
typedef struct
{
  __typeof__ (chromaprint_new) *new;
  __typeof__ (chromaprint_start) *start;
  __typeof__ (chromaprint_feed) *feed;
  __typeof__ (chromaprint_finish) *finish;
  __typeof__ (chromaprint_get_raw_fingerprint) *get_raw_fingerprint;
  __typeof__ (chromaprint_dealloc) *dealloc;
  __typeof__ (chromaprint_free) *free;
} Chromaprint;

static const struct
{
  const char *name;
  gsize offset;
} chromaprint_symbols[] = {
  { "chromaprint_new", G_STRUCT_OFFSET (Chromaprint, new) },
  { "chromaprint_start", G_STRUCT_OFFSET (Chromaprint, start) },
  { "chromaprint_feed", G_STRUCT_OFFSET (Chromaprint, feed) },
  { "chromaprint_finish", G_STRUCT_OFFSET (Chromaprint, finish) },
  { "chromaprint_get_raw_fingerprint",
    G_STRUCT_OFFSET (Chromaprint, get_raw_fingerprint) },
  { "chromaprint_dealloc", G_STRUCT_OFFSET (Chromaprint, dealloc) },
  { "chromaprint_free", G_STRUCT_OFFSET (Chromaprint, free) },
};

static Chromaprint chromaprint;
static char *chromaprint_failure;       /* NULL once it is loaded */

static void
load_chromaprint (void)
{
  void *lib = dlopen (SEMBLANCE_CHROMAPRINT_SONAME, RTLD_LAZY | RTLD_LOCAL);
  guint i;

  if (!lib) {
    chromaprint_failure = g_strdup (dlerror ());
  } else {
    for (i = 0; i < G_N_ELEMENTS (chromaprint_symbols)
        && !chromaprint_failure; i++) {
      void *f = dlsym (lib, chromaprint_symbols[i].name);

      if (f)
        G_STRUCT_MEMBER (void *, &chromaprint,
            chromaprint_symbols[i].offset) = f;
      else
        chromaprint_failure = g_strdup_printf ("%s has no %s",
            SEMBLANCE_CHROMAPRINT_SONAME, chromaprint_symbols[i].name);
    }
    /* Otherwise kept for the life of the process, as if it were linked. */
    if (chromaprint_failure)
      dlclose (lib);
  }
  /* The indexer stores a track without a fingerprint when it has none, so
   * this is the one place that says why no track has one. */
  if (chromaprint_failure)
    g_warning ("near-duplicates cannot be found: %s", chromaprint_failure);
}

/* Chromaprint's functions, loaded on the first call; NULL with an error,
 * on every call, when they cannot be. */
static const Chromaprint *
get_chromaprint (GError **error)
{
  static gsize once;

  if (g_once_init_enter (&once)) {
    load_chromaprint ();
    g_once_init_leave (&once, 1);
  }
  if (chromaprint_failure) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
        "no fingerprint: Chromaprint cannot be loaded: %s",
        chromaprint_failure);
    return NULL;
  }
  return &chromaprint;
}

struct _SemblanceFingerprinter
{
  const Chromaprint *cp;
  ChromaprintContext *ctx;      /* NULL until the first frames */
  int channels;
  gboolean started;             /* Chromaprint took the rate and channels */
  guint64 left;                 /* frames still to fingerprint */
  /* Chromaprint mixes to mono and resamples to 11,025 Hz itself, with a
   * filter whose cost grows with the ratio: from 44.1 kHz stereo that was
   * six times what its fingerprint of 11,025 Hz mono costs (18.7 against
   * 2.8 ms for 30 s). So the audio is mixed to mono here and halved by the
   * analysis' 2:1 filter (flat to about 0.36 of the output rate: 3.97 kHz
   * at the last halving, above the 3.52 kHz that Chromaprint's chroma
   * reads) while it stays at 11,025 Hz or above; Chromaprint resamples only what is left (12 kHz from 48 kHz). */
  SemblanceResampler *halve[MAX_HALVINGS];
  guint n_halvings;
  float mono[CHUNK_SAMPLES];
  float halved[CHUNK_SAMPLES / 2 + 1];  /* semblance_resampler_max_out() */
  gint16 chunk[CHUNK_SAMPLES];
};

SemblanceFingerprinter *
semblance_fingerprinter_new (GError **error)
{
  const Chromaprint *cp = get_chromaprint (error);
  SemblanceFingerprinter *self;

  if (!cp)
    return NULL;
  self = g_new0 (SemblanceFingerprinter, 1);
  self->cp = cp;
  return self;
}

void
semblance_fingerprinter_free (SemblanceFingerprinter *self)
{
  guint k;

  if (!self)
    return;
  if (self->ctx)
    self->cp->free (self->ctx);
  for (k = 0; k < self->n_halvings; k++)
    semblance_resampler_free (self->halve[k]);
  g_free (self);
}

/* Chromaprint takes 16-bit samples. Scaled by 2^15, as libsndfile scales
 * 16-bit files to floats, the samples of such a file come back exactly. */
static void
to_s16 (const float *x, gsize n, gint16 *out)
{
  gsize i;

  for (i = 0; i < n; i++) {
    float v = x[i] * 32768.0f;

    /* NaN fails both tests and becomes silence. */
    v = v >= -32768.0f ? MIN (v, 32767.0f) : (v < 0.0f ? -32768.0f : 0.0f);
    out[i] = (gint16) lrintf (v);
  }
}

/* The mono mix of @n frames of @channels: the mean of the channels, as
 * Chromaprint mixes (it averages the 16-bit samples, here the floats are
 * averaged before the rounding). Stereo, most music, in a loop of its own, which
 * the compiler can vectorise. */
static void
mix_to_mono (const float *frames, gsize n, int channels, float *out)
{
  const float scale = 1.0f / (float) channels;
  gsize i;
  int c;

  if (channels == 2) {
    for (i = 0; i < n; i++)
      out[i] = (frames[2 * i] + frames[2 * i + 1]) * 0.5f;
    return;
  }
  for (i = 0; i < n; i++) {
    float sum = 0.0f;

    for (c = 0; c < channels; c++)
      sum += frames[i * channels + c];
    out[i] = sum * scale;
  }
}

/* How often @rate can be halved above Chromaprint's rate, with a
 * resampler for each halving. */
static void
plan_halvings (SemblanceFingerprinter *self, int rate)
{
  const SemblanceResampling *half =
      semblance_analysis_resampling (2 * SEMBLANCE_ANALYSIS_RATE);

  if (!half)
    return;
  while (self->n_halvings < MAX_HALVINGS && rate % 2 == 0
      && rate / 2 >= CHROMAPRINT_RATE) {
    self->halve[self->n_halvings++] = semblance_resampler_new (half->taps,
        half->start, half->n_taps, 1, 2, CHUNK_SAMPLES);
    rate /= 2;
  }
}

/* Mono samples @x (@n, at most CHUNK_SAMPLES) at the fed rate, halved as
 * planned, to Chromaprint. */
static void
feed_mono (SemblanceFingerprinter *self, const float *x, gsize n)
{
  guint k;

  for (k = 0; k < self->n_halvings; k++) {
    n = semblance_resampler_process (self->halve[k], x, n, self->halved);
    x = memcpy (self->mono, self->halved, n * sizeof (float));
  }
  to_s16 (x, n, self->chunk);
  self->cp->feed (self->ctx, self->chunk, (int) n);
}

void
semblance_fingerprinter_feed (SemblanceFingerprinter *self, int rate,
                              int channels, const float *frames,
                              gsize n_frames)
{
  g_return_if_fail (rate > 0 && channels > 0);

  if (!self->ctx) {
    self->ctx = self->cp->new (CHROMAPRINT_ALGORITHM_DEFAULT);
    self->channels = channels;
    plan_halvings (self, rate);
    /* Chromaprint refuses rates it cannot resample (under 1 kHz): such
     * audio is not fed, and has no fingerprint. */
    self->started = self->cp->start (self->ctx, rate >> self->n_halvings,
        1) != 0;
    if (self->started)
      self->left = (guint64) SEMBLANCE_FINGERPRINT_SECONDS * rate;
  }
  g_return_if_fail (channels == self->channels);
  n_frames = MIN (n_frames, self->left);
  self->left -= n_frames;
  while (n_frames > 0) {
    gsize take = MIN (n_frames, CHUNK_SAMPLES);

    /* Mono, what the indexer feeds (the analysis' audio), as it is. */
    if (channels == 1) {
      feed_mono (self, frames, take);
    } else {
      mix_to_mono (frames, take, channels, self->mono);
      feed_mono (self, self->mono, take);
    }
    frames += take * channels;
    n_frames -= take;
  }
}

guint32 *
semblance_fingerprinter_finish (SemblanceFingerprinter *self, guint *n_items)
{
  const Chromaprint *cp = self->cp;
  uint32_t *raw = NULL;
  guint32 *out = NULL;
  int size = 0;

  *n_items = 0;
  if (!self->started)
    return NULL;
  self->left = 0;
  if (cp->finish (self->ctx)
      && cp->get_raw_fingerprint (self->ctx, &raw, &size)
      && size >= (int) (3 * ITEMS_PER_SECOND)) {
    out = g_memdup2 (raw, (gsize) size * sizeof (guint32));
    *n_items = (guint) size;
  }
  if (raw)
    cp->dealloc (raw);
  self->started = FALSE;
  return out;
}

/* The bits in which @a at @offset and @b differ, over their overlap. */
static double
bit_error_rate (const guint32 *a, guint n_a, const guint32 *b, guint n_b,
                gint offset, guint *overlap)
{
  guint64 bits = 0;
  guint i, n = 0;

  for (i = 0; i < n_a; i++) {
    gint j = (gint) i - offset;

    if (j < 0 || j >= (gint) n_b)
      continue;
    bits += (guint) __builtin_popcount (a[i] ^ b[j]);
    n++;
  }
  *overlap = n;
  return n ? bits / (32.0 * n) : 1.0;
}

/* Where each value of a fingerprint is, in an open-addressing table of
 * four times its length or more (most lookups miss, and end at the first
 * slot): a query compares its fingerprint with each of the seeds and
 * better results, and the table was the most of its time when it was
 * built again for each pair. */
struct _SemblanceFingerprintIndex
{
  const guint32 *items;
  guint n, shift;
  guint32 *keys;                /* the values | 1, 0 for an empty slot */
  guint32 *at;                  /* the last position of each */
};

/* Fibonacci hashing: the top bits of the key times 2^32 / φ, so that keys
 * alike in their low bits spread. */
static inline guint
slot_of (guint32 key, guint shift)
{
  return (key * 0x9e3779b1u) >> shift;
}

SemblanceFingerprintIndex *
semblance_fingerprint_index_new (const guint32 *items, guint n)
{
  SemblanceFingerprintIndex *index = g_new0 (SemblanceFingerprintIndex, 1);
  guint bits = 1, mask, i;

  index->items = items;
  index->n = n;
  /* Too short to match anything: no table. */
  if (n < MIN_OVERLAP)
    return index;
  while ((1u << bits) < 4 * n)
    bits++;
  index->shift = 32 - bits;
  mask = (1u << bits) - 1;
  index->keys = g_new0 (guint32, (gsize) 1 << bits);
  index->at = g_new (guint32, (gsize) 1 << bits);
  /* The values | 1, as the votes below have always been counted. */
  for (i = 0; i < n; i++) {
    guint32 key = items[i] | 1u;
    guint s = slot_of (key, index->shift);

    while (index->keys[s] && index->keys[s] != key)
      s = (s + 1) & mask;
    index->keys[s] = key;
    index->at[s] = i;
  }
  return index;
}

void
semblance_fingerprint_index_free (SemblanceFingerprintIndex *index)
{
  if (!index)
    return;
  g_free (index->keys);
  g_free (index->at);
  g_free (index);
}

gboolean
semblance_fingerprint_index_match (const SemblanceFingerprintIndex *index,
                                   const guint32 *b, guint n_b)
{
  /* Local copies: the votes' stores could otherwise be the table's, for
   * the compiler, which would read it again after each. */
  const guint32 *a = index->items, *keys = index->keys, *where = index->at;
  guint n_a = index->n, shift = index->shift, mask = G_MAXUINT32 >> shift;
  g_autofree guint *votes = NULL;
  guint i, best = 0, overlap = 0;
  gint offset = 0;

  if (n_a < MIN_OVERLAP || n_b < MIN_OVERLAP)
    return FALSE;
  /* Equal values vote for the offset between the two: the same recording
   * shares many, unrelated music few, and those at random offsets. */
  votes = g_new0 (guint, n_a + n_b);
  for (i = 0; i < n_b; i++) {
    guint32 key = b[i] | 1u, k;
    guint s = slot_of (key, shift), at;

    while ((k = keys[s]) != key && k)
      s = (s + 1) & mask;
    if (!k)
      continue;
    at = where[s];
    if (++votes[at + n_b - i] > best) {
      best = votes[at + n_b - i];
      offset = (gint) at - (gint) i;
    }
  }
  if (best < 2)
    return FALSE;
  return bit_error_rate (a, n_a, b, n_b, offset, &overlap)
      < MAX_BIT_ERROR_RATE && overlap >= MIN_OVERLAP;
}

gboolean
semblance_fingerprint_match (const guint32 *a, guint n_a, const guint32 *b,
                             guint n_b)
{
  g_autoptr (SemblanceFingerprintIndex) index =
      semblance_fingerprint_index_new (a, n_a);

  return semblance_fingerprint_index_match (index, b, n_b);
}
