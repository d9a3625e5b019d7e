/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-wordnet.h"

#include <gio/gio.h>
#include <string.h>
#include <wn.h>

#include "semblance-dl.h"

/* libwordnet, loaded when WordNet is first asked (semblance-dl.h): only
 * the text encoder uses it, and linked, every process of the engine
 * loaded it, queries among them. */
typedef struct
{
  __typeof__ (wninit) *wninit;
  __typeof__ (morphstr) *morphstr;
  __typeof__ (findtheinfo_ds) *findtheinfo_ds;
  __typeof__ (free_syns) *free_syns;
  __typeof__ (read_synset) *read_synset;
  __typeof__ (free_synset) *free_synset;
} WordNet;

static const WordNet *
wordnet (void)
{
  static gsize once;
  static WordNet table;

  if (g_once_init_enter (&once)) {
    void *lib = semblance_dl_open (SEMBLANCE_WORDNET_SONAME);

#define LOAD(name) \
    *(void **) &table.name = semblance_dl_symbol (lib, \
        SEMBLANCE_WORDNET_SONAME, #name);
    LOAD (wninit)
    LOAD (morphstr)
    LOAD (findtheinfo_ds)
    LOAD (free_syns)
    LOAD (read_synset)
    LOAD (free_synset)
#undef LOAD
    g_once_init_leave (&once, 1);
  }
  return &table;
}

#define wninit (wordnet ()->wninit)
#define morphstr (wordnet ()->morphstr)
#define findtheinfo_ds (wordnet ()->findtheinfo_ds)
#define free_syns (wordnet ()->free_syns)
#define read_synset (wordnet ()->read_synset)
#define free_synset (wordnet ()->free_synset)

/* WordNet's own limit on the length of a search string. */
#define MAX_WORD 256

static GMutex lock;
static gboolean opened;

static const int parts_of_speech[] = { ADJ, NOUN, VERB, ADV };

gboolean
semblance_wordnet_init (GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&lock);

  if (!opened)
    opened = wninit () == 0;
  if (!opened)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "cannot open the WordNet database (install Debian's wordnet-base, "
        "or set WNSEARCHDIR)");
  return opened;
}

static void
add_unique (GPtrArray *out, const char *word)
{
  guint i;

  for (i = 0; i < out->len; i++)
    if (g_str_equal (out->pdata[i], word))
      return;
  g_ptr_array_add (out, g_strdup (word));
}

static gboolean
copy_word (const char *word, char buf[MAX_WORD])
{
  gsize len = strlen (word);

  if (len == 0 || len >= MAX_WORD)
    return FALSE;
  memcpy (buf, word, len + 1);
  return TRUE;
}

GPtrArray *
semblance_wordnet_lemmas (const char *word)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&lock);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  char buf[MAX_WORD];
  gsize i;

  if (!opened || !copy_word (word, buf))
    return out;
  for (i = 0; i < G_N_ELEMENTS (parts_of_speech); i++) {
    char *base;

    for (base = morphstr (buf, parts_of_speech[i]); base;
        base = morphstr (NULL, parts_of_speech[i]))
      if (!strchr (base, '_') && !g_str_equal (base, word))
        add_unique (out, base);
  }
  return out;
}

GPtrArray *
semblance_wordnet_synonyms (const char *word)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&lock);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  char buf[MAX_WORD];
  gsize i;

  if (!opened || !copy_word (word, buf))
    return out;
  for (i = 0; i < G_N_ELEMENTS (parts_of_speech); i++) {
    SynsetPtr senses = findtheinfo_ds (buf, parts_of_speech[i], SYNS,
        ALLSENSES), s;

    for (s = senses; s; s = s->nextss) {
      int w;

      for (w = 0; w < s->wcount; w++) {
        g_autofree char *lower = g_ascii_strdown (s->words[w], -1);

        if (!strchr (lower, '_') && !g_str_equal (lower, word))
          add_unique (out, lower);
      }
    }
    if (senses)
      free_syns (senses);
  }
  return out;
}

static GArray *genres;

/* "rock_'n'_roll" -> "rock 'n' roll" */
static char *
wordnet_phrase (const char *word)
{
  char *out = g_ascii_strdown (word, -1);

  g_strdelimit (out, "_", ' ');
  return out;
}

typedef struct
{
  long offset;
  int broader;
} Visit;

/* Breadth first from "popular music", so that every kind's broader kind
 * comes before it; a kind under two broader kinds keeps the first found. */
static void
read_popular_genres (void)
{
  g_autoptr (GArray) queue = g_array_new (FALSE, FALSE, sizeof (Visit));
  char root[] = "popular_music";
  SynsetPtr first = findtheinfo_ds (root, NOUN, SYNS, 1);
  guint at;

  genres = g_array_new (FALSE, TRUE, sizeof (SemblanceWordnetGenre));
  if (!first)
    return;
  g_array_append_val (queue, ((Visit) { first->hereiam, -1 }));
  free_syns (first);
  for (at = 0; at < queue->len; at++) {
    Visit v = g_array_index (queue, Visit, at);
    SynsetPtr s = read_synset (NOUN, v.offset, NULL);
    SemblanceWordnetGenre g = { 0 };
    int i;

    if (!s)
      break;
    g.phrases = g_ptr_array_new_with_free_func (g_free);
    g.names = g_ptr_array_new_with_free_func (g_free);
    g.broader = v.broader;
    for (i = 0; i < s->wcount; i++)
      g_ptr_array_add (strchr (s->words[i], '_') ? g.phrases : g.names,
          wordnet_phrase (s->words[i]));
    for (i = 0; i < s->ptrcount; i++) {
      Visit next = { s->ptroff[i], (int) at };
      guint j;

      if (s->ptrtyp[i] != HYPOPTR || s->ppos[i] != NOUN)
        continue;
      for (j = 0; j < queue->len; j++)
        if (g_array_index (queue, Visit, j).offset == next.offset)
          break;
      if (j == queue->len)
        g_array_append_val (queue, next);
    }
    free_synset (s);
    g_array_append_val (genres, g);
  }
}

const SemblanceWordnetGenre *
semblance_wordnet_popular_genres (guint *n)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&lock);

  *n = 0;
  if (!opened)
    return NULL;
  if (!genres)
    read_popular_genres ();
  *n = genres->len;
  return (const SemblanceWordnetGenre *) genres->data;
}
