/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* semblance similar, playlist and search: queries on the library. */
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "semblance-cmd.h"
#include "semblance.h"

typedef struct
{
  SemblanceStore *store;
  SemblanceEmbedder *embedder;
  SemblanceCatalog *catalog;
} Library;

static void
library_clear (Library *lib)
{
  g_clear_pointer (&lib->catalog, semblance_catalog_free);
  g_clear_pointer (&lib->embedder, semblance_embedder_free);
  g_clear_pointer (&lib->store, semblance_store_close);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Library, library_clear)

/* The database, the model and the model's vectors of every track. */
static gboolean
library_open (Library *lib, const char *database, const char *model,
              GError **error)
{
  const char *db = database ? database : semblance_store_default_path ();
  const char *model_path = model ? model : semblance_model_default_path ();
  SemblanceModel *m;

  if (!g_file_test (db, G_FILE_TEST_EXISTS)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "no library database at %s yet: run “semblance index FOLDER” first",
        db);
    return FALSE;
  }
  if (!model && !g_file_test (model_path, G_FILE_TEST_EXISTS)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "no default model is installed: give one with --model");
    return FALSE;
  }
  lib->store = semblance_store_open (db, error);
  if (!lib->store)
    return FALSE;
  lib->embedder = semblance_embedder_new_from_file (model_path, error);
  if (!lib->embedder)
    return FALSE;
  m = semblance_embedder_get_model (lib->embedder);
  lib->catalog = semblance_store_load_catalog (lib->store,
      semblance_model_get_id (m), m->group_out);
  if (semblance_catalog_size (lib->catalog) == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "no track of the library has vectors of this model: run “semblance "
        "index --model MODEL FOLDER”");
    return FALSE;
  }
  return TRUE;
}

/* A track named by path or URI, as its id in the store. */
static gint64
find_track (Library *lib, const char *arg, GError **error)
{
  g_autofree char *uri = NULL;
  gint64 id;

  if (strstr (arg, "://")) {
    uri = g_strdup (arg);
  } else {
    g_autofree char *path = g_canonicalize_filename (arg, NULL);

    uri = g_filename_to_uri (path, NULL, NULL);
  }
  id = uri ? semblance_store_lookup (lib->store, uri) : 0;
  if (id == 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "%s is not in the library: run “semblance index” on its folder", arg);
  return id;
}

static char *
describe (SemblanceTrackInfo *t)
{
  g_autofree char *path = g_filename_from_uri (t->uri, NULL, NULL);
  g_autofree char *base = path ? g_path_get_basename (path) : NULL;

  if (t->title && t->artist)
    return g_strdup_printf ("%s — %s", t->title, t->artist);
  return g_strdup (t->title ? t->title : base ? base : t->uri);
}

static void
print_matches (Library *lib, GArray *matches, gboolean json)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  guint i, g;

  json_builder_begin_array (b);
  for (i = 0; i < matches->len; i++) {
    const SemblanceMatch *m = &g_array_index (matches, SemblanceMatch, i);
    g_auto (SemblanceTrackInfo) t = { 0 };
    g_autofree char *name = NULL;
    guint first, second;

    if (!semblance_store_get_track (lib->store, m->id, &t))
      continue;
    if (!json) {
      name = describe (&t);
      semblance_closeness_top2 (m->closeness, &first, &second);
      g_print ("%3u. %6.3f  %-50s close in %s and %s\n", i + 1, m->distance,
          name, semblance_layout_group_name (first),
          semblance_layout_group_name (second));
      continue;
    }
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "uri");
    json_builder_add_string_value (b, t.uri);
    json_builder_set_member_name (b, "title");
    json_builder_add_string_value (b, t.title);
    json_builder_set_member_name (b, "artist");
    json_builder_add_string_value (b, t.artist);
    json_builder_set_member_name (b, "album");
    json_builder_add_string_value (b, t.album);
    json_builder_set_member_name (b, "distance");
    json_builder_add_double_value (b, m->distance);
    json_builder_set_member_name (b, "closeness");
    json_builder_begin_object (b);
    for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
      json_builder_set_member_name (b, semblance_layout_group_name (g));
      json_builder_add_double_value (b, m->closeness[g]);
    }
    json_builder_end_object (b);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  if (json) {
    g_autoptr (JsonNode) root = json_builder_get_root (b);
    g_autofree char *text = json_to_string (root, TRUE);

    g_print ("%s\n", text);
  }
}

int
semblance_cmd_similar (int argc, char **argv)
{
  g_autofree char *database = NULL, *model = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) matches = NULL;
  g_auto (Library) lib = { 0 };
  gboolean json = FALSE;
  gint n = 20;
  SemblanceQueryOptions o;
  GOptionEntry entries[] = {
    { "number", 'n', 0, G_OPTION_ARG_INT, &n, "Results (20)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, "Database file",
      "FILE" },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model, "Model (default: the "
      "installed one)", "MODEL" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL,
      NULL },
    { NULL }
  };
  gint64 seed;

  context = g_option_context_new ("FILE|URI - the tracks of the library "
      "most like this one");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("semblance similar: %s\n", error->message);
    return 2;
  }
  if (!args || !args[0] || args[1] || n < 1) {
    g_printerr ("semblance similar: give one file or URI\n");
    return 2;
  }
  if (!library_open (&lib, database, model, &error)
      || !(seed = find_track (&lib, args[0], &error))) {
    g_printerr ("semblance similar: %s\n", error->message);
    return 1;
  }
  semblance_query_options_init (&o);
  o.n = n;
  matches = semblance_catalog_similar (lib.catalog, &seed, 1, &o, &error);
  if (!matches) {
    g_printerr ("semblance similar: %s: %s\n", args[0], error->message);
    return 1;
  }
  print_matches (&lib, matches, json);
  return 0;
}

int
semblance_cmd_search (int argc, char **argv)
{
  g_autofree char *database = NULL, *model = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) matches = NULL;
  g_autoptr (SemblanceTextEncoder) encoder = NULL;
  g_autofree char *text = NULL;
  g_autofree float *semantic = NULL, *property = NULL;
  g_auto (Library) lib = { 0 };
  gboolean json = FALSE;
  gint n = 20;
  SemblanceQueryOptions o;
  GOptionEntry entries[] = {
    { "number", 'n', 0, G_OPTION_ARG_INT, &n, "Results (20)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, "Database file",
      "FILE" },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model, "Model (default: the "
      "installed one)", "MODEL" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new ("\"TEXT\" - the tracks of the library that "
      "fit a description, with or without descriptions of their own");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("semblance search: %s\n", error->message);
    return 2;
  }
  if (!args || !args[0] || n < 1) {
    g_printerr ("semblance search: give a description\n");
    return 2;
  }
  text = g_strjoinv (" ", args);
  if (!library_open (&lib, database, model, &error)
      || !(encoder = semblance_text_encoder_new_default (&error))) {
    g_printerr ("semblance search: %s\n", error->message);
    return 1;
  }
  semantic = g_new (float, semblance_text_encoder_get_dim (encoder));
  property = g_new (float, semblance_embedder_get_dim (lib.embedder));
  if (!semblance_text_encoder_embed (encoder, text, semantic, NULL, &error)) {
    g_printerr ("semblance search: “%s”: %s\n", text, error->message);
    return 1;
  }
  if (semblance_embedder_get_model (lib.embedder)->semantic_dim !=
      semblance_text_encoder_get_dim (encoder)
      || !semblance_embedder_unproject (lib.embedder, semantic, property)) {
    g_printerr ("semblance search: the model has no semantic map for this "
        "text encoder\n");
    return 1;
  }
  semblance_query_options_init (&o);
  o.n = n;
  matches = semblance_catalog_nearest (lib.catalog, property, &o);
  print_matches (&lib, matches, json);
  return 0;
}

static void
write_m3u (GString *out, SemblanceTrackInfo *t)
{
  g_autofree char *path = g_filename_from_uri (t->uri, NULL, NULL);
  g_autofree char *name = describe (t);

  g_string_append_printf (out, "#EXTINF:%.0f,%s\n%s\n", t->duration, name,
      path ? path : t->uri);
}

static void
write_xspf (GString *out, SemblanceTrackInfo *t)
{
  g_autofree char *location = g_markup_escape_text (t->uri, -1);

  g_string_append_printf (out, "    <track>\n      <location>%s</location>\n",
      location);
  if (t->title) {
    g_autofree char *s = g_markup_escape_text (t->title, -1);

    g_string_append_printf (out, "      <title>%s</title>\n", s);
  }
  if (t->artist) {
    g_autofree char *s = g_markup_escape_text (t->artist, -1);

    g_string_append_printf (out, "      <creator>%s</creator>\n", s);
  }
  if (t->album) {
    g_autofree char *s = g_markup_escape_text (t->album, -1);

    g_string_append_printf (out, "      <album>%s</album>\n", s);
  }
  if (t->duration > 0)
    g_string_append_printf (out, "      <duration>%.0f</duration>\n",
        t->duration * 1000);
  g_string_append (out, "    </track>\n");
}

int
semblance_cmd_playlist (int argc, char **argv)
{
  g_autofree char *database = NULL, *model = NULL, *to = NULL;
  g_autofree char *format = NULL, *output = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) matches = NULL;
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree gint64 *seeds = NULL;
  g_auto (Library) lib = { 0 };
  gboolean xspf;
  gint n = 20;
  guint n_seeds, i;
  SemblanceQueryOptions o;
  GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &to, "Lead from the seed to this "
      "track", "TRACK" },
    { "number", 'n', 0, G_OPTION_ARG_INT, &n, "Tracks besides the seeds (20)",
      "N" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "m3u (default) or xspf",
      "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "File to write "
      "(default: standard output)", "FILE" },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, "Database file",
      "FILE" },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model, "Model (default: the "
      "installed one)", "MODEL" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL,
      NULL },
    { NULL }
  };

  context = g_option_context_new ("SEED… - a “more like this” playlist, or "
      "a path from one track to another");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("semblance playlist: %s\n", error->message);
    return 2;
  }
  xspf = g_strcmp0 (format, "xspf") == 0;
  if (!args || !args[0] || n < 1 || (format && !xspf
          && !g_str_equal (format, "m3u")) || (to && args[1])) {
    g_printerr ("semblance playlist: give seeds (one with --to), and m3u or "
        "xspf\n");
    return 2;
  }
  if (!library_open (&lib, database, model, &error)) {
    g_printerr ("semblance playlist: %s\n", error->message);
    return 1;
  }
  n_seeds = g_strv_length (args);
  seeds = g_new (gint64, n_seeds + 1);
  for (i = 0; i < n_seeds; i++)
    if (!(seeds[i] = find_track (&lib, args[i], &error))) {
      g_printerr ("semblance playlist: %s\n", error->message);
      return 1;
    }
  if (to && !(seeds[n_seeds] = find_track (&lib, to, &error))) {
    g_printerr ("semblance playlist: %s\n", error->message);
    return 1;
  }

  semblance_query_options_init (&o);
  o.n = n;
  /* The seeds open the playlist; a path ends at its destination. */
  matches = to ? semblance_catalog_path (lib.catalog, seeds[0], seeds[1], n,
      &error) : semblance_catalog_similar (lib.catalog, seeds, n_seeds, &o,
      &error);
  if (!matches) {
    g_printerr ("semblance playlist: %s\n", error->message);
    return 1;
  }
  g_array_append_vals (order, seeds, n_seeds);
  for (i = 0; i < matches->len; i++)
    g_array_append_val (order, g_array_index (matches, SemblanceMatch, i).id);
  if (to)
    g_array_append_val (order, seeds[1]);

  g_string_append (out, xspf ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n"
      "  <trackList>\n" : "#EXTM3U\n");
  for (i = 0; i < order->len; i++) {
    g_auto (SemblanceTrackInfo) t = { 0 };

    if (!semblance_store_get_track (lib.store, g_array_index (order, gint64,
                i), &t))
      continue;
    if (xspf)
      write_xspf (out, &t);
    else
      write_m3u (out, &t);
  }
  if (xspf)
    g_string_append (out, "  </trackList>\n</playlist>\n");

  if (output) {
    if (!g_file_set_contents (output, out->str, out->len, &error)) {
      g_printerr ("semblance playlist: %s\n", error->message);
      return 1;
    }
  } else {
    fwrite (out->str, 1, out->len, stdout);
  }
  return 0;
}
