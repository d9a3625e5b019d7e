/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-vocab-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "semblance-bytes.h"
#include "semblance-digest-cache.h"
#include "semblance-error.h"

#define HEADER_SIZE 64
#define DIGEST_SIZE 32
#define RECORD_SIZE 20
#define MAX_DIM 4096
#define MAX_WORDS (16u << 20)
/* The vocabulary's digest cache (semblance-digest-cache.h). */
#define VOCAB_DIGEST_CACHE "vocab-digests"

typedef struct
{
  guint32 pool_offset;
  float scale;
  float weight;
  gint32 antonym;
  gint32 lemma;
} Record;

struct _SemblanceVocab
{
  GBytes *bytes;
  guint dim;
  guint n_words;
  float *common;
  const guint8 *records;
  const gint8 *vectors;
  const char *pool;
  char *id;
  gboolean digest_computed;
};

static Record
get_record (const SemblanceVocab *self, guint index)
{
  const guint8 *p = self->records + (gsize) index * RECORD_SIZE;
  Record r;

  r.pool_offset = semblance_read_u32 (p);
  r.scale = semblance_read_f32 (p + 4);
  r.weight = semblance_read_f32 (p + 8);
  r.antonym = (gint32) semblance_read_u32 (p + 12);
  r.lemma = (gint32) semblance_read_u32 (p + 16);
  return r;
}

static gboolean
check_layout (SemblanceVocab *self, const guint8 *data, gsize size,
              GError **error)
{
  guint32 version, pool_size;
  guint64 expected;

  if (size < HEADER_SIZE)
    return semblance_error_corrupt (error, "%" G_GSIZE_FORMAT " bytes is shorter than the "
        "header", size);
  if (memcmp (data, "SMBLVOC\0", 8) != 0)
    return semblance_error_corrupt (error, "wrong magic number");
  version = semblance_read_u32 (data + 8);
  if (version != SEMBLANCE_VOCAB_VERSION)
    return semblance_error_corrupt (error, "version %u, this program reads version %u",
        version, SEMBLANCE_VOCAB_VERSION);
  self->dim = semblance_read_u32 (data + 12);
  self->n_words = semblance_read_u32 (data + 16);
  pool_size = semblance_read_u32 (data + 20);
  if (self->dim == 0 || self->dim > MAX_DIM)
    return semblance_error_corrupt (error, "dimension %u out of range", self->dim);
  if (self->n_words == 0 || self->n_words > MAX_WORDS)
    return semblance_error_corrupt (error, "word count %u out of range", self->n_words);

  expected = (guint64) HEADER_SIZE + 4ull * self->dim +
      (guint64) RECORD_SIZE * self->n_words +
      (guint64) self->dim * self->n_words + pool_size;
  if (expected != size)
    return semblance_error_corrupt (error, "%" G_GSIZE_FORMAT " bytes where the header "
        "announces %" G_GUINT64_FORMAT, size, expected);

  self->records = data + HEADER_SIZE + 4 * self->dim;
  self->vectors = (const gint8 *) (self->records +
      (gsize) RECORD_SIZE * self->n_words);
  self->pool = (const char *) self->vectors + (gsize) self->dim *
      self->n_words;
  if (pool_size == 0 || self->pool[pool_size - 1] != '\0')
    return semblance_error_corrupt (error, "the word pool does not end with a NUL byte");
  return TRUE;
}

static gboolean
check_digest (const guint8 *data, gsize size, GError **error)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[DIGEST_SIZE];
  gsize len = sizeof digest;

  g_checksum_update (sum, data + HEADER_SIZE, size - HEADER_SIZE);
  g_checksum_get_digest (sum, digest, &len);
  if (memcmp (digest, data + 24, DIGEST_SIZE) != 0)
    return semblance_error_corrupt (error, "the SHA-256 digest does not match the contents");
  return TRUE;
}

static gboolean
check_contents (SemblanceVocab *self, const guint8 *common, gsize pool_size,
                GError **error)
{
  const char *prev = NULL;
  double norm = 0.0;
  guint i;

  /* Copied out: the caller's bytes need not be aligned for floats. */
  self->common = g_new (float, self->dim);
  for (i = 0; i < self->dim; i++) {
    float c = semblance_read_f32 (common + 4 * i);

    if (!isfinite (c))
      return semblance_error_corrupt (error, "the common component is not finite");
    self->common[i] = c;
    norm += (double) c * c;
  }
  /* A mean of unit vectors. */
  if (sqrt (norm) > 1.0 + 1e-3)
    return semblance_error_corrupt (error, "the common component is longer than 1");

  for (i = 0; i < self->n_words; i++) {
    Record r = get_record (self, i);
    const char *word;

    if (r.pool_offset >= pool_size)
      return semblance_error_corrupt (error, "word %u lies outside the pool", i);
    word = self->pool + r.pool_offset;
    if (!g_utf8_validate (word, -1, NULL) || word[0] == '\0')
      return semblance_error_corrupt (error, "word %u is not valid UTF-8 text", i);
    if (prev && strcmp (prev, word) >= 0)
      return semblance_error_corrupt (error, "words are not in strictly ascending order at "
          "“%s”", word);
    if (!isfinite (r.scale) || r.scale <= 0.0f || !isfinite (r.weight)
        || r.weight < 0.0f || r.weight > 1.0f)
      return semblance_error_corrupt (error, "word “%s” has an invalid scale or weight", word);
    if (r.antonym < -1 || r.antonym >= (gint64) self->n_words)
      return semblance_error_corrupt (error, "word “%s” has an antonym out of range", word);
    if (r.lemma < -1 || r.lemma >= (gint64) self->n_words
        || r.lemma == (gint64) i)
      return semblance_error_corrupt (error, "word “%s” has a base form out of range", word);
    prev = word;
  }
  return TRUE;
}

/* @bytes checked; their digest only when @identity (a file's, from
 * file_identity()) is not in the digest cache, which then learns it. */
static SemblanceVocab *
vocab_new (GBytes *bytes, const char *identity, GError **error)
{
  g_autoptr (SemblanceVocab) self = g_new0 (SemblanceVocab, 1);
  g_autofree char *entry = NULL, *cached = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  self->bytes = g_bytes_ref (bytes);
  if (!check_layout (self, data, size, error))
    goto corrupt;
  /* The entry names the digest the header gives, too: a cached file
   * identity stands only for those contents. */
  if (identity) {
    g_autofree char *hex = semblance_digest_hex (data + 24);

    entry = g_strdup_printf ("%s %s", identity, hex);
    cached = semblance_digest_cache_lookup (VOCAB_DIGEST_CACHE, entry);
  }
  /* The whole line, not only its start. */
  self->digest_computed = !cached || *cached;
  if (self->digest_computed) {
    if (!check_digest (data, size, error))
      goto corrupt;
    if (entry)
      semblance_digest_cache_add (VOCAB_DIGEST_CACHE, entry);
  }
  if (!check_contents (self, data + HEADER_SIZE, data + size -
          (const guint8 *) self->pool, error))
    goto corrupt;
  self->id = g_strdup_printf ("semblance-vocab-%u-%02x%02x%02x%02x%02x%02x%02x%02x",
      SEMBLANCE_VOCAB_VERSION, data[24], data[25], data[26], data[27],
      data[28], data[29], data[30], data[31]);
  return g_steal_pointer (&self);

corrupt:
  g_prefix_error (error, "not a valid vocabulary: ");
  return NULL;
}

SemblanceVocab *
semblance_vocab_new_from_bytes (GBytes *bytes, GError **error)
{
  return vocab_new (bytes, NULL, error);
}

SemblanceVocab *
semblance_vocab_new_from_file (const char *path, GError **error)
{
  g_autoptr (GMappedFile) file = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *identity = NULL;
  SemblanceVocab *self;
  GStatBuf st;
  int fd;

  /* The identity of what is mapped: fstat() of the same descriptor. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) {
    int saved = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
        "Failed to open file “%s”: %s", display, g_strerror (saved));
    return NULL;
  }
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
    identity = semblance_file_identity (&st);
  file = g_mapped_file_new_from_fd (fd, FALSE, &local);
  close (fd);
  if (!file) {
    g_set_error (error, local->domain, local->code, "%s", local->message);
    return NULL;
  }
  bytes = g_mapped_file_get_bytes (file);
  self = vocab_new (bytes, identity, &local);
  if (!self)
    g_set_error (error, local->domain, local->code, "%s: %s", display,
        local->message);
  return self;
}

gboolean
semblance_vocab_digest_was_computed (const SemblanceVocab *self)
{
  return self->digest_computed;
}

const char *
semblance_vocab_default_path (void)
{
  const char *env = g_getenv ("SEMBLANCE_VOCAB");
  const char *installed = SEMBLANCE_DATADIR "/semblance-vocab.bin";

  return env && *env ? env : installed;
}

SemblanceVocab *
semblance_vocab_new_default (GError **error)
{
  return semblance_vocab_new_from_file (semblance_vocab_default_path (),
      error);
}

void
semblance_vocab_free (SemblanceVocab *self)
{
  if (!self)
    return;
  g_bytes_unref (self->bytes);
  g_free (self->common);
  g_free (self->id);
  g_free (self);
}

guint
semblance_vocab_get_dim (const SemblanceVocab *self)
{
  return self->dim;
}

guint
semblance_vocab_get_size (const SemblanceVocab *self)
{
  return self->n_words;
}

const char *
semblance_vocab_get_id (const SemblanceVocab *self)
{
  return self->id;
}

const char *
semblance_vocab_get_word (const SemblanceVocab *self, guint index)
{
  g_return_val_if_fail (index < self->n_words, NULL);
  return self->pool + get_record (self, index).pool_offset;
}

int
semblance_vocab_lookup (const SemblanceVocab *self, const char *word)
{
  guint lo = 0, hi = self->n_words;

  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    int c = strcmp (word, semblance_vocab_get_word (self, mid));

    if (c == 0)
      return (int) mid;
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return -1;
}

void
semblance_vocab_accumulate (const SemblanceVocab *self, guint index,
                            float factor, float *acc)
{
  const gint8 *q = self->vectors + (gsize) index * self->dim;
  float f = factor * get_record (self, index).scale;
  guint i;

  for (i = 0; i < self->dim; i++)
    acc[i] += f * q[i];
}

float
semblance_vocab_get_weight (const SemblanceVocab *self, guint index)
{
  return get_record (self, index).weight;
}

int
semblance_vocab_get_antonym (const SemblanceVocab *self, guint index)
{
  return get_record (self, index).antonym;
}

int
semblance_vocab_get_lemma (const SemblanceVocab *self, guint index)
{
  return get_record (self, index).lemma;
}

const float *
semblance_vocab_get_common (const SemblanceVocab *self)
{
  return self->common;
}
