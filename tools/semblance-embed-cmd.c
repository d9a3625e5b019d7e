/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* semblance embed: descriptions of music to semantic vectors. */
#include <json-glib/json-glib.h>

#include "semblance.h"
#include "semblance-cmd.h"
#include "semblance-output.h"

#define PER_LINE 10

typedef struct
{
  char *text;
  float *vector;
  SemblanceTextInfo info;
  GError *error;
} Embedding;

static void
embedding_clear (Embedding *e)
{
  g_free (e->vector);
  semblance_text_info_clear (&e->info);
  g_clear_error (&e->error);
}

static void
print_text (Embedding *items, guint n, guint dim)
{
  guint i, j;

  for (i = 0; i < n; i++) {
    g_print ("“%s”\n", items[i].text);
    /* Its error went to standard error already. */
    if (items[i].error) {
      g_print ("  no vector\n\n");
      continue;
    }
    g_print ("  %u known word%s", items[i].info.known,
        items[i].info.known == 1 ? "" : "s");
    if (items[i].info.unknown) {
      g_autofree char *words = NULL;

      g_ptr_array_add (items[i].info.unknown_words, NULL);
      words = g_strjoinv (", ", (char **) items[i].info.unknown_words->pdata);
      g_ptr_array_remove_index (items[i].info.unknown_words,
          items[i].info.unknown_words->len - 1);
      g_print (", %u unknown: %s", items[i].info.unknown, words);
    }
    g_print ("\n");
    for (j = 0; j < dim; j++)
      g_print ("%s%7.4f%s", j % PER_LINE ? " " : "  ", items[i].vector[j],
          j % PER_LINE == PER_LINE - 1 || j == dim - 1 ? "\n" : "");
    g_print ("\n");
  }

  if (n < 2)
    return;
  g_print ("Cosine distances:\n%6s", "");
  for (j = 0; j < n; j++)
    g_print (" %6u", j + 1);
  g_print ("\n");
  for (i = 0; i < n; i++) {
    g_print ("%6u", i + 1);
    for (j = 0; j < n; j++) {
      if (items[i].error || items[j].error)
        g_print (" %6s", "-");
      else
        g_print (" %6.3f", semblance_text_distance (items[i].vector,
                items[j].vector, dim));
    }
    g_print ("  %s\n", items[i].text);
  }
}

static void
print_json (Embedding *items, guint n, guint dim, const char *encoder_id)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *out = NULL;
  guint i, j;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "encoder");
  json_builder_add_string_value (b, encoder_id);
  json_builder_set_member_name (b, "texts");
  json_builder_begin_array (b);
  for (i = 0; i < n; i++) {
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "text");
    json_builder_add_string_value (b, items[i].text);
    if (items[i].error) {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, items[i].error->message);
    } else {
      json_builder_set_member_name (b, "known");
      json_builder_add_int_value (b, items[i].info.known);
      json_builder_set_member_name (b, "unknown");
      json_builder_begin_array (b);
      for (j = 0; j < items[i].info.unknown_words->len; j++)
        json_builder_add_string_value (b,
            items[i].info.unknown_words->pdata[j]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "vector");
      json_builder_begin_array (b);
      for (j = 0; j < dim; j++)
        semblance_json_add_number (b, items[i].vector[j]);
      json_builder_end_array (b);
    }
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  if (n >= 2) {
    json_builder_set_member_name (b, "distances");
    json_builder_begin_array (b);
    for (i = 0; i < n; i++) {
      json_builder_begin_array (b);
      for (j = 0; j < n; j++) {
        if (items[i].error || items[j].error)
          json_builder_add_null_value (b);
        else
          semblance_json_add_number (b, semblance_text_distance
              (items[i].vector, items[j].vector, dim));
      }
      json_builder_end_array (b);
    }
    json_builder_end_array (b);
  }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  out = semblance_json_to_string (root);
  g_print ("%s\n", out);
}

int
semblance_cmd_embed (int argc, char **argv)
{
  g_auto (GStrv) texts = NULL;
  g_autofree char *vocab_path = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceVocab) vocab = NULL;
  g_autoptr (SemblanceTextEncoder) encoder = NULL;
  g_autofree Embedding *items = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { "vocab", 0, 0, G_OPTION_ARG_FILENAME, &vocab_path,
      "Vocabulary file (default: the installed one, or $SEMBLANCE_VOCAB)",
      "FILE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &texts, NULL,
      NULL },
    { NULL }
  };
  guint n, i, dim;
  int status = 0;

  context = g_option_context_new ("TEXT… - describe music in words, get "
      "semantic vectors");
  g_option_context_set_description (context,
      "Prints each text's vector, the words it did not know, and with two "
      "or more texts the matrix of cosine distances (0 = same meaning, "
      "2 = opposite).\n");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("semblance embed: %s\n", error->message);
    return 2;
  }
  if (!texts || !texts[0]) {
    g_printerr ("semblance embed: give at least one text\n");
    return 2;
  }

  vocab = vocab_path ? semblance_vocab_new_from_file (vocab_path, &error)
      : semblance_vocab_new_default (&error);
  if (vocab)
    encoder = semblance_text_encoder_new (g_steal_pointer (&vocab), &error);
  if (!encoder) {
    g_printerr ("semblance embed: %s\n", error->message);
    return 1;
  }

  dim = semblance_text_encoder_get_dim (encoder);
  n = g_strv_length (texts);
  items = g_new0 (Embedding, n);
  for (i = 0; i < n; i++) {
    items[i].text = texts[i];
    items[i].vector = g_new (float, dim);
    if (!semblance_text_encoder_embed (encoder, texts[i], items[i].vector,
            &items[i].info, &items[i].error)) {
      g_printerr ("semblance embed: “%s”: %s\n", texts[i],
          items[i].error->message);
      status = 1;
    }
  }
  if (json)
    print_json (items, n, dim, semblance_text_encoder_get_id (encoder));
  else
    print_text (items, n, dim);
  for (i = 0; i < n; i++)
    embedding_clear (&items[i]);
  return status;
}
