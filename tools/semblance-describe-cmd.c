/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* semblance describe: the words a model can trust of an audio file. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "semblance.h"
#include "semblance-cmd.h"
#include "semblance-output.h"

/* What was asked: a file name, or a file:// URI. Returns the path, or NULL
 * with a message naming @arg. As `similar` reads its seeds, only "://"
 * makes a URI: "take:2.wav" is a file name, whatever g_uri_parse_scheme()
 * says of it. */
static char *
path_of (const char *arg, GError **error)
{
  g_autofree char *scheme = NULL;

  if (!strstr (arg, "://") || !(scheme = g_uri_parse_scheme (arg)))
    return g_strdup (arg);
  if (g_ascii_strcasecmp (scheme, "file") == 0) {
    char *path = g_filename_from_uri (arg, NULL, error);

    if (!path)
      g_prefix_error (error, "%s: ", arg);
    return path;
  }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
      "%s: only local files (file:// URIs) can be described", arg);
  return NULL;
}

int
semblance_cmd_describe (int argc, char **argv)
{
  g_auto (GStrv) args = NULL;
  g_autofree char *model_path = NULL, *resolved = NULL, *path = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceEmbedder) embedder = NULL;
  g_autoptr (SemblanceTextEncoder) encoder = NULL;
  g_autoptr (GArray) words = NULL;
  g_autofree float *vector = NULL;
  SemblanceModel *model;
  SemblanceProperties props;
  gboolean json = FALSE;
  gint n = 5;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "Print a JSON array of {\"word\", \"p\"}", NULL },
    { "words", 'n', 0, G_OPTION_ARG_INT, &n,
      "At most N words (default 5)", "N" },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path,
      "Model (default: the installed one)", "MODEL" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL,
      NULL },
    { NULL }
  };
  guint i;

  context = g_option_context_new ("FILE|URI - the words the model is "
      "confident of for an audio file");
  g_option_context_set_description (context,
      "Only words whose probability, calibrated on held-out tracks when "
      "the model was trained, is at least 0.5 are shown, most probable "
      "first: a wrong word is worse than none. A model without "
      "calibrations is confident of no word.\n");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("semblance describe: %s\n", error->message);
    return 2;
  }
  if (!args || !args[0] || args[1]) {
    g_printerr ("semblance describe: give one file or file:// URI\n");
    return 2;
  }
  if (n < 1) {
    g_printerr ("semblance describe: -n must be at least 1\n");
    return 2;
  }
  path = path_of (args[0], &error);
  resolved = path ? semblance_model_resolve (model_path, TRUE, &error) : NULL;
  if (resolved)
    embedder = semblance_embedder_new_from_file (resolved, &error);
  if (embedder && !semblance_analyze_file (path, SEMBLANCE_DECODER_AUTO,
          NULL, &props, &error))
    g_clear_pointer (&embedder, semblance_embedder_free);
  if (!embedder) {
    g_printerr ("semblance describe: %s\n", error->message);
    return 1;
  }
  model = semblance_embedder_get_model (embedder);
  vector = g_new (float, semblance_embedder_get_dim (embedder));
  semblance_embedder_embed (embedder, props.vector, 1, vector);
  /* Without calibrations no word is confident: the encoder is not needed. */
  if (model->calibrations->len > 0) {
    encoder = semblance_text_encoder_new_default (&error);
    if (!encoder) {
      g_printerr ("semblance describe: %s\n", error->message);
      return 1;
    }
    words = semblance_confident_words (model, encoder, vector, n);
  } else {
    words = g_array_new (FALSE, FALSE, sizeof (SemblanceConfidentWord));
  }

  if (json) {
    g_autoptr (JsonBuilder) b = json_builder_new ();
    g_autoptr (JsonNode) root = NULL;
    g_autofree char *text = NULL;

    json_builder_begin_array (b);
    for (i = 0; i < words->len; i++) {
      const SemblanceConfidentWord *w = &g_array_index (words,
          SemblanceConfidentWord, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "word");
      json_builder_add_string_value (b, w->word);
      json_builder_set_member_name (b, "p");
      semblance_json_add_number (b, w->p);
      json_builder_end_object (b);
    }
    json_builder_end_array (b);
    root = json_builder_get_root (b);
    text = semblance_json_to_string (root);
    g_print ("%s\n", text);
    return 0;
  }
  if (words->len == 0) {
    g_autofree char *display = g_filename_display_name (path);

    g_print ("%s: no word is confident (%s)\n", display,
        model->calibrations->len > 0 ? "none reaches p 0.5"
        : "the model has no calibrated words");
    return 0;
  }
  for (i = 0; i < words->len; i++) {
    const SemblanceConfidentWord *w = &g_array_index (words,
        SemblanceConfidentWord, i);

    g_print ("%-14s %.2f\n", w->word, w->p);
  }
  return 0;
}
