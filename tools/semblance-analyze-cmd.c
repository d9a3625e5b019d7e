/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* semblance analyze: the properties and feature vector of audio files. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "semblance.h"
#include "semblance-cmd.h"
#include "semblance-output.h"

#define COLUMNS 4

typedef struct
{
  gboolean json;
  gboolean brief;
  SemblanceDecoder decoder;
  SemblanceEmbedder *embedder;
  const char *model_id;
} Options;

static char *
key_text (const SemblanceProperties *p)
{
  if (p->flags & SEMBLANCE_FLAG_SILENT)
    return g_strdup ("-");
  if (p->flags & SEMBLANCE_FLAG_NO_KEY)
    return g_strdup ("no key");
  return g_strdup_printf ("%s %s", semblance_key_pitch_name (p->key),
      p->major ? "major" : "minor");
}

static const char *
flags_text (const SemblanceProperties *p, char *buf)
{
  semblance_flags_to_string (p->flags, buf, 64);
  return buf[0] ? buf : "-";
}

static void
print_brief_header (void)
{
  g_print ("%8s %7s %-9s %10s %10s %5s  %-14s %s\n", "LENGTH", "TEMPO",
      "KEY", "LOUDNESS", "BRIGHTNESS", "DIMS", "FLAGS", "FILE");
}

static void
print_brief (const char *display, const SemblanceProperties *p)
{
  g_autofree char *key = key_text (p);
  g_autofree char *flag_column = NULL;
  char flags[64];

  /* The file last, whole, as it was named: names alone are ambiguous
   * across folders, and a path of any length keeps the columns. */
  flag_column = semblance_pad (flags_text (p, flags), 14);
  g_print ("%6.1f s %7.1f %-9s %5.1f LUFS %7.0f Hz %5d  %s %s\n",
      p->seconds, p->tempo, key, p->loudness, p->brightness,
      SEMBLANCE_FEATURE_DIM, flag_column, display);
}

static void
print_property_vector (const Options *opt, const SemblanceProperties *p)
{
  SemblanceEmbedder *embedder = opt->embedder;
  guint dim = semblance_embedder_get_dim (embedder), i;
  g_autofree float *v = g_new (float, dim);

  semblance_embedder_embed (embedder, p->vector, 1, v);
  g_print ("    property vector (%u values, model %.12s)\n", dim,
      opt->model_id);
  for (i = 0; i < dim; i++)
    g_print ("%s%9.4f%s", i % 8 ? " " : "      ", v[i],
        i % 8 == 7 || i == dim - 1 ? "\n" : "");
}

static void
print_table (const char *display, const SemblanceProperties *p,
             const Options *opt)
{
  g_autofree char *key = key_text (p);
  char flags[64];
  SemblanceGroup g;

  g_print ("%s\n", display);
  g_print ("  %-12s %.2f s\n", "length", p->seconds);
  g_print ("  %-12s %.1f BPM (confidence %.2f, pulse clarity %.2f)\n",
      "tempo", p->tempo, p->tempo_confidence, p->pulse_clarity);
  g_print ("  %-12s %s (strength %.2f)\n", "key", key, p->key_strength);
  g_print ("  %-12s %.1f LUFS (range %.1f LU)\n", "loudness", p->loudness,
      p->loudness_range);
  g_print ("  %-12s %.0f Hz\n", "brightness", p->brightness);
  g_print ("  %-12s %s\n", "flags", flags_text (p, flags));
  g_print ("  %-12s %d values, layout %u\n", "features", SEMBLANCE_FEATURE_DIM,
      p->layout_version);

  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    size_t start, length, i;

    semblance_layout_group_range (g, &start, &length);
    g_print ("    %s (%zu)\n", semblance_layout_group_name (g), length);
    for (i = 0; i < length; i++) {
      char name[SEMBLANCE_VALUE_NAME_MAX];

      semblance_layout_value_name (start + i, name);
      g_print ("%s%-20s %9.3f", i % COLUMNS ? "  " : "      ", name,
          p->vector[start + i]);
      if (i % COLUMNS == COLUMNS - 1 || i == length - 1)
        g_print ("\n");
    }
  }
  if (opt->embedder)
    print_property_vector (opt, p);
  g_print ("\n");
}

static JsonNode *
properties_to_json (const char *display, const SemblanceProperties *p,
                    const Options *opt)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  char flags[64];
  SemblanceGroup g;
  gsize i;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, display);
  json_builder_set_member_name (b, "seconds");
  semblance_json_add_number (b, p->seconds);
  json_builder_set_member_name (b, "flags");
  json_builder_begin_array (b);
  semblance_flags_to_string (p->flags, flags, sizeof flags);
  if (flags[0]) {
    g_auto (GStrv) names = g_strsplit (flags, ",", -1);
    char **n;

    for (n = names; *n; n++)
      json_builder_add_string_value (b, *n);
  }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "tempo");
  semblance_json_add_number (b, p->tempo);
  json_builder_set_member_name (b, "tempo_confidence");
  semblance_json_add_number (b, p->tempo_confidence);
  json_builder_set_member_name (b, "pulse_clarity");
  semblance_json_add_number (b, p->pulse_clarity);
  /* Silence has no key, and neither has music flagged no-key. */
  json_builder_set_member_name (b, "key");
  if (p->flags & (SEMBLANCE_FLAG_SILENT | SEMBLANCE_FLAG_NO_KEY))
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, semblance_key_pitch_name (p->key));
  json_builder_set_member_name (b, "mode");
  if (p->flags & (SEMBLANCE_FLAG_SILENT | SEMBLANCE_FLAG_NO_KEY))
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, p->major ? "major" : "minor");
  json_builder_set_member_name (b, "key_strength");
  semblance_json_add_number (b, p->key_strength);
  json_builder_set_member_name (b, "loudness");
  semblance_json_add_number (b, p->loudness);
  json_builder_set_member_name (b, "loudness_range");
  semblance_json_add_number (b, p->loudness_range);
  json_builder_set_member_name (b, "brightness");
  semblance_json_add_number (b, p->brightness);

  json_builder_set_member_name (b, "layout");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, p->layout_version);
  json_builder_set_member_name (b, "groups");
  json_builder_begin_object (b);
  for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
    size_t start, length;

    semblance_layout_group_range (g, &start, &length);
    json_builder_set_member_name (b, semblance_layout_group_name (g));
    json_builder_begin_array (b);
    json_builder_add_int_value (b, start);
    json_builder_add_int_value (b, length);
    json_builder_end_array (b);
  }
  json_builder_end_object (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "features");
  json_builder_begin_array (b);
  for (i = 0; i < SEMBLANCE_FEATURE_DIM; i++)
    semblance_json_add_number (b, p->vector[i]);
  json_builder_end_array (b);
  if (opt->embedder) {
    guint dim = semblance_embedder_get_dim (opt->embedder);
    g_autofree float *v = g_new (float, dim);

    semblance_embedder_embed (opt->embedder, p->vector, 1, v);
    json_builder_set_member_name (b, "model");
    json_builder_add_string_value (b, opt->model_id);
    json_builder_set_member_name (b, "property_vector");
    json_builder_begin_array (b);
    for (i = 0; i < dim; i++)
      semblance_json_add_number (b, v[i]);
    json_builder_end_array (b);
  }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
error_to_json (const char *display, const GError *error);

typedef struct
{
  const Options *opt;
  JsonArray *results;
  int *status;
} Unreadable;

/* A folder that cannot be read is a failure of the run, said as a file's
 * would be. */
static void
report_unreadable (const char *folder, const GError *error, gpointer data)
{
  Unreadable *u = data;
  g_autofree char *display = g_filename_display_name (folder);

  g_printerr ("semblance analyze: %s\n", error->message);
  if (u->opt->json)
    json_array_add_element (u->results, error_to_json (display, error));
  *u->status = 1;
}

static JsonNode *
error_to_json (const char *display, const GError *error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, display);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, error->message);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
semblance_cmd_analyze (int argc, char **argv)
{
  g_auto (GStrv) args = NULL;
  g_autofree char *decoder_name = NULL;
  g_autofree char *model_path = NULL;
  g_autoptr (SemblanceEmbedder) embedder = NULL;
  g_autofree char *resolved = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) files = NULL;
  g_autoptr (JsonArray) results = json_array_new ();
  Options opt = { 0 };
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt.json,
      "Print JSON instead of a table", NULL },
    { "brief", 'b', 0, G_OPTION_ARG_NONE, &opt.brief,
      "One line per file, without the feature vector", NULL },
    { "decoder", 0, 0, G_OPTION_ARG_STRING, &decoder_name,
      "Decoder: auto (default), sndfile or gstreamer", "NAME" },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path,
      "Model for the property vector (default: the installed one, if any; "
      "\"\" for none)", "MODEL" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL,
      NULL },
    { NULL }
  };
  int status = 0;
  guint i;

  context = g_option_context_new ("FILE|FOLDER… - measure the properties of "
      "audio files");
  g_option_context_set_description (context,
      "Folders are searched recursively for audio files. Errors name the "
      "file and the reason; the other files go on.\n");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("semblance analyze: %s\n", error->message);
    return 2;
  }
  if (decoder_name && !semblance_decoder_from_string (decoder_name,
          &opt.decoder)) {
    g_printerr ("semblance analyze: unknown decoder “%s” (use auto, sndfile "
        "or gstreamer)\n", decoder_name);
    return 2;
  }
  if (!args || !args[0]) {
    g_printerr ("semblance analyze: give at least one file or folder\n");
    return 2;
  }

  /* The property vector needs a model: the one asked for, or the default
   * one when it is installed. */
  resolved = semblance_model_resolve (model_path, FALSE, &error);
  if (resolved)
    embedder = semblance_embedder_new_from_file (resolved, &error);
  if (error) {
    g_printerr ("semblance analyze: %s\n", error->message);
    return 1;
  }
  opt.embedder = embedder;
  if (embedder)
    opt.model_id = semblance_model_get_id (semblance_embedder_get_model
        (embedder));

  {
    Unreadable u = { &opt, results, &status };

    files = semblance_collect_audio_files_full (args, NULL, report_unreadable,
        &u);
  }
  if (files->len == 0 && status == 0) {
    g_printerr ("semblance analyze: no audio files found\n");
    return 1;
  }
  if (opt.brief && !opt.json)
    print_brief_header ();

  for (i = 0; i < files->len; i++) {
    const char *path = files->pdata[i];
    g_autofree char *display = g_filename_display_name (path);
    g_autoptr (GError) file_error = NULL;
    SemblanceProperties props;

    if (!semblance_analyze_file (path, opt.decoder, NULL, &props,
            &file_error)) {
      g_printerr ("semblance analyze: %s\n", file_error->message);
      if (opt.json)
        json_array_add_element (results, error_to_json (display, file_error));
      status = 1;
      continue;
    }
    if (opt.json)
      json_array_add_element (results, properties_to_json (display, &props,
              &opt));
    else if (opt.brief)
      print_brief (display, &props);
    else
      print_table (display, &props, &opt);
  }

  if (opt.json) {
    g_autoptr (JsonNode) root = json_node_new (JSON_NODE_ARRAY);
    g_autofree char *text = NULL;

    json_node_set_array (root, results);
    text = semblance_json_to_string (root);
    g_print ("%s\n", text);
  }
  return status;
}
