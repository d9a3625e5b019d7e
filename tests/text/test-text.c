/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The text encoder and its vocabulary: does it put descriptions where a
 * person would? */
#include <math.h>
#include <string.h>

#include "semblance.h"

static SemblanceTextEncoder *encoder;
static guint dim;

static void
embed (const char *text, float *v)
{
  g_autoptr (GError) error = NULL;

  semblance_text_encoder_embed (encoder, text, v, NULL, &error);
  g_assert_no_error (error);
}

static float
distance (const char *a, const char *b)
{
  g_autofree float *va = g_new (float, dim);
  g_autofree float *vb = g_new (float, dim);

  embed (a, va);
  embed (b, vb);
  return semblance_text_distance (va, vb, dim);
}

/* Cosine of two vocabulary words' vectors, as counter-fitting left them. */
static double
word_cosine (const char *a, const char *b)
{
  const SemblanceVocab *vocab = semblance_text_encoder_get_vocab (encoder);
  g_autofree float *va = g_new0 (float, dim);
  g_autofree float *vb = g_new0 (float, dim);
  int ia = semblance_vocab_lookup (vocab, a), ib = semblance_vocab_lookup
      (vocab, b);
  double dot = 0, na = 0, nb = 0;
  guint i;

  if (ia < 0 || ib < 0)
    g_error ("“%s” or “%s” is not in the vocabulary", a, b);
  semblance_vocab_accumulate (vocab, ia, 1.0f, va);
  semblance_vocab_accumulate (vocab, ib, 1.0f, vb);
  for (i = 0; i < dim; i++) {
    dot += va[i] * vb[i];
    na += va[i] * va[i];
    nb += vb[i] * vb[i];
  }
  return dot / sqrt (na * nb);
}

/* A text and how it splits: its words (or terms), separated by '|'. */
typedef struct
{
  const char *text;
  const char *split;
} SplitCase;

static void
check_splits (const SplitCase *cases, gsize n,
              GPtrArray *(*split) (const char *text))
{
  gsize i;

  for (i = 0; i < n; i++) {
    g_autoptr (GPtrArray) words = split (cases[i].text);
    g_autofree char *joined = NULL;

    g_ptr_array_add (words, NULL);
    joined = g_strjoinv ("|", (char **) words->pdata);
    g_assert_cmpstr (joined, ==, cases[i].split);
  }
}

static void
test_tokenize (void)
{
  static const SplitCase cases[] = {
    { "Up-tempo, LO-FI beats!", "up-tempo|lo-fi|beats" },
    { "120 BPM, 80s synth-pop", "120|bpm|80s|synth-pop" },
    { "don't stop — rock'n'roll", "don't|stop|rock'n'roll" },
    { "it\xe2\x80\x99s CAFÉ ｍｕｓｉｃ", "it's|café|music" },
    { "--dash-- 'quoted' a-", "dash|quoted|a" },
    { "", "" },
    { "?!", "" },
  };

  check_splits (cases, G_N_ELEMENTS (cases), semblance_text_tokenize);
}

static GPtrArray *
terms (const char *text)
{
  return semblance_text_encoder_terms (encoder, text);
}

/* WordNet's names of kinds of popular music read as one term each, and
 * as what they name. */
static void
test_genre_terms (void)
{
  static const SplitCase cases[] = {
    { "Heavy metal guitar", "heavy metal|guitar" },
    { "rock and roll, punk rock", "rock and roll|punk rock" },
    { "country and western", "country and western" },
    { "heavy metal music", "heavy metal music" },
    /* Neither it nor a broader genre has a one-word name: word by word. */
    { "dance music", "dance|music" },
    /* Not kinds of popular music, or not names at all. */
    { "a video game with an electric guitar",
          "a|video|game|with|an|electric|guitar" },
    { "heavy drums, metal pipes", "heavy|drums|metal|pipes" },
    /* Punctuation divides a name, hyphens and apostrophes do not. */
    { "slow and heavy. Metal guitars", "slow|and|heavy|metal|guitars" },
    { "not heavy, metal guitar", "not|heavy|metal|guitar" },
    { "Rock 'n' roll!", "rock n roll" },
    /* Hyphens may join a name's words; other hyphenated words stay. */
    { "heavy-metal guitar", "heavy metal|guitar" },
    { "heavy-metal", "heavy metal" },
    { "up-tempo rock", "up-tempo|rock" },
    { "calm piano", "calm|piano" },
    { "metal", "metal" },
    { "", "" },
  };

  check_splits (cases, G_N_ELEMENTS (cases), terms);

  /* Its words, when one of them names the genre alone (the same words in
   * another order are no name)... */
  g_assert_cmpfloat (distance ("rock and roll", "roll and rock"), <, 1e-6);
  g_assert_cmpfloat (distance ("punk rock", "rock punk"), <, 1e-6);
  /* ...and WordNet's "folksong", none of them, is not taken. */
  g_assert_cmpfloat (distance ("folk song", "song folk"), <, 1e-6);
  /* Else its words, less those of mood or pace, and the broader genre:
   * heavy metal is a kind of rock, and does not say "heavy"; country music
   * is a kind of folk music. */
  g_assert_cmpfloat (distance ("country music", "music country folk"), <,
      1e-6);
  g_assert_cmpfloat (distance ("heavy metal", "metal rock"), <, 1e-6);
  g_assert_cmpfloat (distance ("heavy metal", "rock"), <,
      distance ("heavy metal", "heavy"));
  g_assert_cmpfloat (distance ("heavy metal guitar", "metal rock guitar"), <,
      1e-6);
  g_assert_cmpfloat (distance ("heavy-metal", "heavy metal"), <, 1e-6);
  /* A negation takes the whole name. */
  g_assert_cmpfloat (distance ("not heavy metal", "not metal not rock"), <,
      1e-6);
}

static const char *const antonyms[][2] = {
  { "happy", "sad" }, { "calm", "agitated" }, { "fast", "slow" },
  { "loud", "quiet" }, { "bright", "dark" }, { "gentle", "aggressive" },
  { "soft", "loud" }, { "cheerful", "gloomy" }, { "joyful", "sorrowful" },
  { "relaxed", "tense" }, { "peaceful", "violent" }, { "light", "heavy" },
  { "high", "low" }, { "major", "minor" }, { "energetic", "lethargic" },
  { "lively", "dull" }, { "warm", "cold" }, { "smooth", "rough" },
  { "simple", "complex" }, { "old", "new" }, { "quick", "slow" },
  { "noisy", "quiet" }, { "hard", "soft" }, { "sweet", "bitter" },
  { "clean", "distorted" }, { "optimistic", "pessimistic" },
  { "hopeful", "hopeless" }, { "tender", "harsh" }, { "serene", "turbulent" },
  { "mellow", "harsh" }, { "slow", "rapid" }, { "strong", "weak" },
  { "thick", "thin" }, { "wet", "dry" }, { "pleasant", "unpleasant" },
  { "beautiful", "ugly" }, { "relaxing", "stressful" }, { "glad", "sad" },
  { "bright", "dim" }, { "fast", "sluggish" }, { "calm", "frantic" },
  { "soothing", "irritating" }, { "delicate", "rough" }, { "sad", "joyful" },
  { "dark", "light" }, { "peaceful", "aggressive" }, { "upbeat", "downbeat" },
  { "tranquil", "chaotic" },
};

static const char *const synonyms[][2] = {
  { "sad", "melancholic" }, { "sad", "sorrowful" }, { "happy", "joyful" },
  { "happy", "cheerful" }, { "calm", "peaceful" }, { "calm", "serene" },
  { "fast", "quick" }, { "fast", "rapid" }, { "slow", "sluggish" },
  { "loud", "noisy" }, { "quiet", "silent" }, { "soft", "gentle" },
  { "bright", "brilliant" }, { "dark", "gloomy" }, { "aggressive", "violent" },
  { "gentle", "mild" }, { "energetic", "lively" }, { "relaxed", "calm" },
  { "mellow", "soft" }, { "intense", "fierce" }, { "upbeat", "cheerful" },
  { "melancholy", "sad" }, { "joyous", "joyful" }, { "tranquil", "peaceful" },
  { "soothing", "calming" }, { "angry", "furious" }, { "scary", "frightening" },
  { "eerie", "spooky" }, { "epic", "grand" }, { "tender", "gentle" },
  { "haunting", "eerie" }, { "dreamy", "ethereal" }, { "sorrowful", "mournful" },
  { "heavy", "weighty" }, { "harsh", "rough" }, { "smooth", "silky" },
  { "huge", "enormous" }, { "tiny", "small" }, { "beautiful", "lovely" },
  { "groovy", "funky" }, { "lively", "spirited" }, { "gloomy", "dismal" },
};

static double
mean_cosine (const char *const (*pairs)[2], gsize n)
{
  double sum = 0.0;
  gsize i;

  for (i = 0; i < n; i++)
    sum += word_cosine (pairs[i][0], pairs[i][1]);
  return sum / n;
}

static void
test_antonyms_and_synonyms (void)
{
  double ant = mean_cosine (antonyms, G_N_ELEMENTS (antonyms));
  double syn = mean_cosine (synonyms, G_N_ELEMENTS (synonyms));

  g_test_message ("%zu antonym pairs: mean cosine %.3f; %zu synonym pairs: "
      "mean cosine %.3f", G_N_ELEMENTS (antonyms), ant,
      G_N_ELEMENTS (synonyms), syn);
  g_assert_cmpuint (G_N_ELEMENTS (antonyms), >=, 40);
  g_assert_cmpuint (G_N_ELEMENTS (synonyms), >=, 40);
  g_assert_cmpfloat (ant, <, 0.3);
  g_assert_cmpfloat (syn, >, 0.6);
}

static void
test_descriptions (void)
{
  /* anchor, nearer, farther: mood, tempo, instrumentation and genre */
  static const char *const triplets[][3] = {
    { "sad slow piano ballad", "melancholic mellow piano",
      "energetic dance track with heavy bass" },
    { "calm ambient pads for sleeping", "peaceful relaxing soundscape",
      "aggressive heavy metal with screaming vocals" },
    { "fast energetic techno", "rapid electronic dance music",
      "slow acoustic lullaby" },
    { "slow romantic love song", "tender slow ballad",
      "fast upbeat party anthem" },
    { "intense battle music with taiko drums", "epic war drums and orchestra",
      "gentle flute melody by a stream" },
    { "solo acoustic guitar fingerpicking", "gentle folk guitar",
      "distorted electric guitar riffs with pounding drums" },
    { "orchestral strings and brass, cinematic", "symphonic film score",
      "lo-fi hip hop beat" },
    { "happy cheerful children's song", "joyful playful melody",
      "dark gloomy funeral dirge" },
    { "jazz saxophone solo with swing drums", "smooth jazz with saxophone",
      "techno with synthesizers" },
    { "dark eerie horror soundtrack", "spooky haunting atmosphere",
      "bright sunny pop song" },
    { "loud aggressive punk rock", "noisy fast hardcore",
      "quiet soft lullaby" },
    { "female vocalist singing a soulful ballad",
      "soulful woman singing slowly", "instrumental techno loop" },
    { "relaxing meditation music", "calm soothing tones",
      "frantic chaotic noise" },
    { "baroque harpsichord and violin", "classical chamber music",
      "heavy metal guitar solo" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (triplets); i++) {
    float near = distance (triplets[i][0], triplets[i][1]);
    float far = distance (triplets[i][0], triplets[i][2]);

    g_test_message ("“%s”: %.3f to “%s”, %.3f to “%s”", triplets[i][0], near,
        triplets[i][1], far, triplets[i][2]);
    g_assert_cmpfloat (near, <, far);
  }
}

static void
test_lemmas (void)
{
  g_assert_cmpfloat (distance ("drums", "drum"), <, 1e-6);
  g_assert_cmpfloat (distance ("drumming", "drum"), <, 1e-6);
  g_assert_cmpfloat (distance ("calmer", "calm"), <, 1e-6);
  g_assert_cmpfloat (distance ("saddest", "sad"), <, 1e-6);
}

static void
test_synonym_fallback (void)
{
  const SemblanceVocab *vocab = semblance_text_encoder_get_vocab (encoder);
  g_autofree float *v = g_new (float, dim);
  g_auto (SemblanceTextInfo) info = { 0 };
  g_autoptr (GError) error = NULL;

  /* Not in the vocabulary, but WordNet knows it as "tearful". */
  g_assert_cmpint (semblance_vocab_lookup (vocab, "lachrymose"), <, 0);
  g_assert_true (semblance_text_encoder_embed (encoder, "lachrymose", v,
          &info, &error));
  g_assert_cmpuint (info.known, ==, 1);
  g_assert_cmpuint (info.unknown, ==, 0);
  g_assert_cmpfloat (distance ("lachrymose", "tearful"), <, 1e-6);
}

static gboolean
mentions (const char *text, const char *word)
{
  guint n, i;
  const char *const *words = semblance_text_describer_words (&n);
  g_autofree guint8 *marks = g_new (guint8, n);

  semblance_text_encoder_mentions (encoder, text, marks);
  for (i = 0; i < n; i++)
    if (g_str_equal (words[i], word))
      return marks[i];
  g_error ("the describer has no word \"%s\"", word);
}

/* What a description says of the describer's words, for calibration: the
 * word itself, inflected, or a synonym, and not when negated. */
static void
test_mentions (void)
{
  g_assert_true (mentions ("A calm piano piece", "calm"));
  g_assert_true (mentions ("A calm piano piece", "piano"));
  g_assert_false (mentions ("A calm piano piece", "guitar"));
  g_assert_true (mentions ("pounding drums", "drums"));
  g_assert_true (mentions ("two guitars", "guitar"));
  g_assert_true (mentions ("a tranquil evening", "calm"));
  g_assert_false (mentions ("not calm at all", "calm"));
  g_assert_false (mentions ("not very loud", "loud"));
  g_assert_true (mentions ("not loud but sad", "sad"));
  /* A genre's name mentions what it reads as, not its words. */
  g_assert_true (mentions ("heavy metal guitar", "metal"));
  g_assert_true (mentions ("heavy metal guitar", "rock"));
  g_assert_true (mentions ("heavy metal guitar", "guitar"));
  g_assert_false (mentions ("heavy metal guitar", "heavy"));
  g_assert_false (mentions ("not heavy metal", "rock"));
  g_assert_true (mentions ("heavy, metal guitar", "heavy"));
  g_assert_false (mentions ("heavy, metal guitar", "rock"));
  g_assert_true (mentions ("heavy drums", "heavy"));
}

static void
test_negation (void)
{
  g_assert_cmpfloat (distance ("not happy", "sad"), <,
      distance ("not happy", "happy"));
  g_assert_cmpfloat (distance ("music that isn't fast", "slow music"), <,
      distance ("music that isn't fast", "fast music"));
  g_assert_cmpfloat (distance ("not very loud", "quiet"), <,
      distance ("not very loud", "loud"));
}

static void
test_numbers (void)
{
  g_assert_cmpfloat (distance ("a song at 60 bpm", "a slow song"), <,
      distance ("a song at 60 bpm", "a fast song"));
  g_assert_cmpfloat (distance ("170bpm track", "fast track"), <,
      distance ("170bpm track", "slow track"));
  g_assert_cmpfloat (distance ("80s synth-pop", "eighties synthesizer pop"), <,
      distance ("80s synth-pop", "baroque harpsichord"));
}

static void
test_unknown_words (void)
{
  g_autofree float *v = g_new (float, dim);
  g_auto (SemblanceTextInfo) info = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_true (semblance_text_encoder_embed (encoder,
          "sad xyzzyqq piano xyzzyqq qwxzzv", v, &info, &error));
  g_assert_cmpuint (info.known, ==, 2);
  g_assert_cmpuint (info.unknown, ==, 3);
  g_assert_cmpuint (info.unknown_words->len, ==, 2);
  g_assert_cmpstr (info.unknown_words->pdata[0], ==, "xyzzyqq");
  g_assert_cmpstr (info.unknown_words->pdata[1], ==, "qwxzzv");
}

static void
test_errors (void)
{
  static const struct
  {
    const char *text;
    int code;
  } cases[] = {
    { "", SEMBLANCE_ERROR_EMPTY },
    { "?! ... ---", SEMBLANCE_ERROR_EMPTY },
    { "xyzzyqq qwxzzv", SEMBLANCE_ERROR_EMPTY },
    { "sad \xff\xfe piano", SEMBLANCE_ERROR_FORMAT },
  };
  g_autofree float *v = g_new (float, dim);
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) error = NULL;

    g_assert_false (semblance_text_encoder_embed (encoder, cases[i].text, v,
            NULL, &error));
    g_assert_error (error, SEMBLANCE_ERROR, cases[i].code);
  }
}

static void
test_deterministic (void)
{
  const char *text = "intense battle music with taiko drums, not calm";
  g_autoptr (SemblanceTextEncoder) other = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree float *a = g_new (float, dim);
  g_autofree float *b = g_new (float, dim);
  g_autofree float *c = g_new (float, dim);
  double norm = 0.0;
  guint i;

  other = semblance_text_encoder_new_default (&error);
  g_assert_no_error (error);
  embed (text, a);
  embed (text, b);
  g_assert_true (semblance_text_encoder_embed (other, text, c, NULL, &error));
  g_assert_cmpmem (a, dim * sizeof (float), b, dim * sizeof (float));
  g_assert_cmpmem (a, dim * sizeof (float), c, dim * sizeof (float));
  for (i = 0; i < dim; i++)
    norm += a[i] * a[i];
  g_assert_cmpfloat_with_epsilon (norm, 1.0, 1e-5);
  g_assert_true (g_str_has_prefix (semblance_text_encoder_get_id (encoder),
          "semblance-text-2+semblance-vocab-1-"));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  encoder = semblance_text_encoder_new_default (&error);
  g_assert_no_error (error);
  dim = semblance_text_encoder_get_dim (encoder);

  g_test_add_func ("/text/tokenize", test_tokenize);
  g_test_add_func ("/text/antonyms-and-synonyms", test_antonyms_and_synonyms);
  g_test_add_func ("/text/descriptions", test_descriptions);
  g_test_add_func ("/text/lemmas", test_lemmas);
  g_test_add_func ("/text/genre-terms", test_genre_terms);
  g_test_add_func ("/text/synonym-fallback", test_synonym_fallback);
  g_test_add_func ("/text/negation", test_negation);
  g_test_add_func ("/text/mentions", test_mentions);
  g_test_add_func ("/text/numbers", test_numbers);
  g_test_add_func ("/text/unknown-words", test_unknown_words);
  g_test_add_func ("/text/errors", test_errors);
  g_test_add_func ("/text/deterministic", test_deterministic);
  status = g_test_run ();
  semblance_text_encoder_free (encoder);
  return status;
}
