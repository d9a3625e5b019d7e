/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-words.h"

#include <string.h>

/* Words that say something a listener can hear; each is one word so that
 * the list reads well in a sidebar. */
static const char *const words[] = {
  /* mood */
  "calm", "peaceful", "dreamy", "melancholic", "sad", "dark", "gloomy",
  "mysterious", "tense", "ominous", "epic", "heroic", "triumphant",
  "joyful", "happy", "cheerful", "playful", "romantic", "tender",
  "nostalgic", "aggressive", "angry", "energetic", "uplifting", "hopeful",
  "solemn", "haunting", "eerie", "relaxing", "soothing", "intense",
  "majestic", "lonely", "warm", "cold", "bright",
  /* pace and shape */
  "slow", "fast", "upbeat", "driving", "steady", "sparse", "dense",
  "quiet", "loud", "soft", "heavy", "minimal", "repetitive", "danceable",
  /* instruments and voices: the first is FIRST_NOT_QUALITY */
  "piano", "guitar", "strings", "violin", "cello", "flute", "harp",
  "choir", "vocals", "drums", "percussion", "bass", "synthesizer",
  "organ", "brass", "trumpet", "horns", "bells", "orchestral", "acoustic",
  "electric",
  /* styles */
  "ambient", "classical", "cinematic", "folk", "celtic", "medieval",
  "rock", "metal", "punk", "electronic", "techno", "trance", "jazz",
  "blues", "funk", "pop", "chiptune", "lullaby", "march", "waltz",
};

#define FIRST_NOT_QUALITY "piano"

const char *const *
semblance_words_list (guint *n)
{
  *n = G_N_ELEMENTS (words);
  return words;
}

static gssize
find (const char *word)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (words); i++)
    if (strcmp (words[i], word) == 0)
      return (gssize) i;
  return -1;
}

gboolean
semblance_words_is_known (const char *word)
{
  return find (word) >= 0;
}

gboolean
semblance_words_is_quality (const char *word)
{
  gssize at = find (word);

  return at >= 0 && at < find (FIRST_NOT_QUALITY);
}
