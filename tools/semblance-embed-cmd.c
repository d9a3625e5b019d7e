/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* semblance embed: descriptions of music to semantic vectors. */
#include <json-glib/json-glib.h>

#include "semblance.h"
#include "semblance-cmd.h"
#include "semblance-output.h"

#define PER_LINE 10
/* Beyond this many texts the matrix of distances (n² cells) is printed
 * only when asked for. */
#define MATRIX_MAX_TEXTS 20

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
  g_clear_pointer (&e->vector, g_free);
  semblance_text_info_clear (&e->info);
  g_clear_error (&e->error);
}

static void
append_text (GString *out, const Embedding *e, guint dim)
{
  guint j;

  g_string_append_printf (out, "“%s”\n", e->text);
  /* Its error went to standard error already. */
  if (e->error) {
    g_string_append (out, "  no vector\n\n");
    return;
  }
  g_string_append_printf (out, "  %u known word%s", e->info.known,
      e->info.known == 1 ? "" : "s");
  if (e->info.unknown) {
    g_string_append_printf (out, ", %u unknown: ", e->info.unknown);
    for (j = 0; j < e->info.unknown_words->len; j++)
      g_string_append_printf (out, "%s%s", j ? ", " : "",
          (const char *) e->info.unknown_words->pdata[j]);
  }
  g_string_append_c (out, '\n');
  for (j = 0; j < dim; j++)
    g_string_append_printf (out, "%s%7.4f%s", j % PER_LINE ? " " : "  ",
        e->vector[j], j % PER_LINE == PER_LINE - 1 || j == dim - 1 ? "\n"
        : "");
  g_string_append_c (out, '\n');
}

static void
print_matrix_text (GString *out, const Embedding *items, guint n, guint dim)
{
  guint i, j;

  g_string_append_printf (out, "Cosine distances:\n%6s", "");
  for (j = 0; j < n; j++)
    g_string_append_printf (out, " %6u", j + 1);
  g_string_append_c (out, '\n');
  for (i = 0; i < n; i++) {
    g_string_append_printf (out, "%6u", i + 1);
    for (j = 0; j < n; j++) {
      if (items[i].error || items[j].error)
        g_string_append_printf (out, " %6s", "-");
      else
        g_string_append_printf (out, " %6.3f", semblance_text_distance
            (items[i].vector, items[j].vector, dim));
    }
    g_string_append_printf (out, "  %s\n", items[i].text);
    semblance_output_flush (out, FALSE);
  }
}

/* One text's object, at the depth of the "texts" array's elements, as
 * semblance_json_append() would write it from a node, without building
 * one: 10,000 texts are 10,000 objects of a few hundred numbers. */
static void
append_json (GString *out, const Embedding *e, guint dim)
{
  guint j;

  g_string_append (out, "    {\n      \"text\" : ");
  semblance_json_append_string (out, e->text);
  if (e->error) {
    g_string_append (out, ",\n      \"error\" : ");
    semblance_json_append_string (out, e->error->message);
    g_string_append (out, "\n    }");
    return;
  }
  g_string_append_printf (out, ",\n      \"known\" : %u,\n      "
      "\"unknown\" : ", e->info.known);
  if (e->info.unknown_words->len == 0)
    g_string_append (out, "[]");
  for (j = 0; j < e->info.unknown_words->len; j++) {
    g_string_append (out, j ? ",\n        " : "[\n        ");
    semblance_json_append_string (out, e->info.unknown_words->pdata[j]);
    if (j + 1 == e->info.unknown_words->len)
      g_string_append (out, "\n      ]");
  }
  g_string_append (out, ",\n      \"vector\" : ");
  if (dim == 0)
    g_string_append (out, "[]");
  for (j = 0; j < dim; j++) {
    g_string_append (out, j ? ",\n        " : "[\n        ");
    semblance_json_append_number (out, e->vector[j]);
    if (j + 1 == dim)
      g_string_append (out, "\n      ]");
  }
  g_string_append (out, "\n    }");
}

static void
print_matrix_json (GString *out, const Embedding *items, guint n, guint dim)
{
  guint i, j;

  g_string_append (out, ",\n  \"distances\" : [\n");
  /* Rows as semblance_json_append() writes arrays at depth 2 (n >= 2). */
  for (i = 0; i < n; i++) {
    for (j = 0; j < n; j++) {
      g_string_append (out, j ? ",\n      " : "    [\n      ");
      if (items[i].error || items[j].error)
        g_string_append (out, "null");
      else
        semblance_json_append_number (out, semblance_text_distance
            (items[i].vector, items[j].vector, dim));
    }
    g_string_append (out, i + 1 < n ? "\n    ],\n" : "\n    ]\n");
    semblance_output_flush (out, FALSE);
  }
  g_string_append (out, "  ]");
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
  g_autoptr (GString) out = NULL;
  gboolean json = FALSE, matrix = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { "matrix", 0, 0, G_OPTION_ARG_NONE, &matrix,
      "Print the matrix of distances for any number of texts", NULL },
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
      "Prints each text's vector, the words it did not know, and for 2 to "
      "20 texts (or with --matrix) the matrix of cosine distances (0 = same "
      "meaning, 2 = opposite).\n");
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
  matrix = n >= 2 && (matrix || n <= MATRIX_MAX_TEXTS);
  /* Each text is printed as soon as it is embedded; only the matrix
   * keeps the vectors. */
  items = g_new0 (Embedding, n);
  out = g_string_sized_new (128 * 1024);
  if (json) {
    g_autoptr (JsonNode) id = json_node_init_string (json_node_alloc (),
        semblance_text_encoder_get_id (encoder));

    g_string_append (out, "{\n  \"encoder\" : ");
    semblance_json_append (out, id, 1);
    g_string_append (out, ",\n  \"texts\" : [\n");
  }
  for (i = 0; i < n; i++) {
    Embedding *e = &items[i];

    e->text = texts[i];
    e->vector = g_new (float, dim);
    if (!semblance_text_encoder_embed (encoder, texts[i], e->vector,
            &e->info, &e->error)) {
      g_printerr ("semblance embed: “%s”: %s\n", texts[i],
          e->error->message);
      status = 1;
    }
    if (json) {
      append_json (out, e, dim);
      g_string_append (out, i + 1 < n ? ",\n" : "\n");
    } else {
      append_text (out, e, dim);
    }
    semblance_output_flush (out, FALSE);
    if (!matrix)
      embedding_clear (e);
  }
  if (json) {
    g_string_append (out, "  ]");
    if (matrix)
      print_matrix_json (out, items, n, dim);
    g_string_append (out, "\n}\n");
  } else if (matrix) {
    print_matrix_text (out, items, n, dim);
  } else if (n > MATRIX_MAX_TEXTS) {
    g_string_append_printf (out, "(No matrix of distances for more than %u "
        "texts without --matrix.)\n", MATRIX_MAX_TEXTS);
  }
  semblance_output_flush (out, TRUE);
  for (i = 0; i < n; i++)
    embedding_clear (&items[i]);
  return status;
}
