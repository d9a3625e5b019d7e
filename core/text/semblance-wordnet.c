/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-wordnet.h"

#include <gio/gio.h>
#include <string.h>
#include <wn.h>

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
