/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* semblance similar, playlist and search: queries on the library. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>

#include "semblance-cmd.h"
#include "semblance-output.h"
#include "semblance.h"

/* When the library finds nothing, whether its database is why: every
 * page of it is read, so that a damaged database does not pass for an
 * empty one. */
static gboolean
check_database (const char *db, GError **error)
{
  g_autoptr (SemblanceStore) store = semblance_store_open_readonly (db,
      error);

  return store && semblance_store_check (store, error);
}

/* The library, with a clear error when there is nothing to query yet. */
static SemblanceLibrary *
library_open (const char *database, const char *model, GError **error)
{
  const char *db = database ? database : semblance_store_default_path ();
  g_autoptr (SemblanceLibrary) lib = NULL;

  if (!g_file_test (db, G_FILE_TEST_EXISTS)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "no library database at %s yet: run “semblance index FOLDER” first",
        db);
    return NULL;
  }
  lib = semblance_library_new (db, model, error);
  if (lib && semblance_library_get_size (lib) == 0) {
    if (!check_database (db, error))
      return NULL;
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "no track of the library has vectors of this model: run “semblance "
        "index --model MODEL FOLDER”");
    return NULL;
  }
  return g_steal_pointer (&lib);
}

/* A track named by path or URI, as a URI the library has vectors for. */
static char *
find_track (SemblanceLibrary *lib, const char *arg, GError **error)
{
  g_autofree char *uri = NULL;
  const char *db = semblance_library_get_database (lib);

  if (strstr (arg, "://")) {
    uri = g_strdup (arg);
  } else {
    g_autofree char *path = g_canonicalize_filename (arg, NULL);

    uri = g_filename_to_uri (path, NULL, NULL);
  }
  /* A file that is not there is not in the library for that reason. */
  if (uri && g_str_has_prefix (uri, "file:")) {
    g_autofree char *path = g_filename_from_uri (uri, NULL, NULL);

    if (path && !g_file_test (path, G_FILE_TEST_EXISTS)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
          "%s: no such file", arg);
      return NULL;
    }
  }
  if (!uri || !semblance_library_contains (lib, uri)) {
    if (!check_database (db, error))
      return NULL;
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "%s is not in the library: run “semblance index” on its folder", arg);
    return NULL;
  }
  return g_steal_pointer (&uri);
}

/* The track as a person reads it, printable. */
static char *
describe (const SemblanceResult *t)
{
  g_autofree char *path = g_filename_from_uri (t->uri, NULL, NULL);
  g_autofree char *base = path ? g_filename_display_basename (path) : NULL;
  g_autofree char *text = NULL;

  if (t->title && t->artist)
    text = g_strdup_printf ("%s — %s", t->title, t->artist);
  else
    text = g_strdup (t->title ? t->title : base ? base : t->uri);
  return semblance_printable (text);
}

/* The options of similar and playlist that choose which tracks may come:
 * SemblanceQueryOptions, from the command line. */
typedef struct
{
  char **seeds;                 /* --seed, repeated */
  char **exclude;               /* --exclude, repeated */
  gint max_per_artist, max_per_album;
  gboolean not_seed_album, keep_duplicates;
  double min_duration, max_duration;
} QueryArgs;

static void
query_args_clear (QueryArgs *q)
{
  g_strfreev (q->seeds);
  g_strfreev (q->exclude);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QueryArgs, query_args_clear)

static void
add_query_entries (GOptionContext *context, QueryArgs *q)
{
  GOptionEntry entries[] = {
    { "seed", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &q->seeds, "A seed track "
      "(repeatable; the same as naming it as an argument)", "TRACK" },
    { "exclude", 'x', 0, G_OPTION_ARG_FILENAME_ARRAY, &q->exclude, "Never "
      "this track (repeatable)", "TRACK" },
    { "max-per-artist", 0, 0, G_OPTION_ARG_INT, &q->max_per_artist,
      "At most N tracks per artist (0: any)", "N" },
    { "max-per-album", 0, 0, G_OPTION_ARG_INT, &q->max_per_album,
      "At most N tracks per album (0: any)", "N" },
    { "not-seed-album", 0, 0, G_OPTION_ARG_NONE, &q->not_seed_album,
      "No track from a seed's album", NULL },
    { "min-duration", 0, 0, G_OPTION_ARG_DOUBLE, &q->min_duration,
      "No track shorter than this", "SECONDS" },
    { "max-duration", 0, 0, G_OPTION_ARG_DOUBLE, &q->max_duration,
      "No track longer than this", "SECONDS" },
    { "keep-duplicates", 0, 0, G_OPTION_ARG_NONE, &q->keep_duplicates,
      "Keep near-duplicates (the same recording in another version: a "
      "copy, another encoding, another cut) of the seeds and of each other",
      NULL },
    { NULL }
  };

  /* GOption copies the entries; their values point into @q. */
  g_option_context_add_main_entries (context, entries, NULL);
}

/* A track named on the command line as a URI, whether or not the library
 * has it (what is excluded need not be there). */
static char *
to_uri (const char *arg)
{
  g_autofree char *path = NULL;

  if (strstr (arg, "://"))
    return g_strdup (arg);
  path = g_canonicalize_filename (arg, NULL);
  return g_filename_to_uri (path, NULL, NULL);
}

/* Fills @o from @q; FALSE with a message for a value out of range. */
static gboolean
query_args_apply (const char *command, const QueryArgs *q,
                  SemblanceQueryOptions *o, GStrv *exclude)
{
  g_autoptr (GPtrArray) uris = g_ptr_array_new ();
  guint i;

  if (q->max_per_artist < 0 || q->max_per_album < 0 || q->min_duration < 0
      || q->max_duration < 0 || (q->max_duration > 0
          && q->max_duration < q->min_duration)) {
    g_printerr ("semblance %s: the caps are counts from 0, and the "
        "durations a range in seconds (--min-duration %g, --max-duration "
        "%g)\n", command, q->min_duration, q->max_duration);
    return FALSE;
  }
  o->max_per_artist = (guint) q->max_per_artist;
  o->max_per_album = (guint) q->max_per_album;
  o->exclude_seed_albums = q->not_seed_album;
  o->keep_duplicates = q->keep_duplicates;
  o->min_duration = q->min_duration;
  o->max_duration = q->max_duration;
  for (i = 0; q->exclude && q->exclude[i]; i++) {
    char *uri = to_uri (q->exclude[i]);

    if (uri)
      g_ptr_array_add (uris, uri);
  }
  g_ptr_array_add (uris, NULL);
  *exclude = (GStrv) g_ptr_array_free (g_steal_pointer (&uris), FALSE);
  o->exclude = (const char *const *) *exclude;
  return TRUE;
}

/* The seeds: those of --seed, then the arguments. */
static GStrv
all_seeds (const QueryArgs *q, char **args)
{
  GStrvBuilder *b = g_strv_builder_new ();
  GStrv out;

  if (q->seeds)
    g_strv_builder_addv (b, (const char **) q->seeds);
  if (args)
    g_strv_builder_addv (b, (const char **) args);
  out = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return out;
}

/* @text_only: the results of a description alone, close in no property
 * group. */
static void
print_results (GPtrArray *found, gboolean json, gboolean text_only)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  guint i, g;

  json_builder_begin_array (b);
  for (i = 0; i < found->len; i++) {
    const SemblanceResult *r = found->pdata[i];
    g_autofree char *name = NULL, *column = NULL;
    guint first, second;

    if (!json) {
      g_autofree char *words = r->matched ? g_strjoinv (", ", r->matched)
          : NULL;
      g_autofree char *close = NULL;

      name = describe (r);
      column = semblance_pad (name, 50);
      if (!text_only) {
        semblance_closeness_top2 (r->closeness, &first, &second);
        close = g_strdup_printf (" close in %s and %s",
            semblance_layout_group_name (first),
            semblance_layout_group_name (second));
      }
      /* Every result leads with what it is ranked by (its similarity, or
       * for a description its match: how far above a typical track it
       * scores), so that the numbers fall down the list; then where it is
       * close to the seeds, the words of a description it matches, and
       * last the distance, which mutual proximity or CSLS need not
       * follow, saying what it is. */
      g_print ("%3u. %3.0f%%  %s%s%s%s  distance %.3f\n", i + 1,
          100.0 * r->similarity, column, close ? close : "",
          words && *words ? "  matches " : "", words ? words : "",
          r->distance);
      continue;
    }
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "uri");
    json_builder_add_string_value (b, r->uri);
    json_builder_set_member_name (b, "title");
    json_builder_add_string_value (b, r->title);
    json_builder_set_member_name (b, "artist");
    json_builder_add_string_value (b, r->artist);
    json_builder_set_member_name (b, "album");
    json_builder_add_string_value (b, r->album);
    json_builder_set_member_name (b, "duration");
    semblance_json_add_number (b, r->duration);
    json_builder_set_member_name (b, "distance");
    semblance_json_add_number (b, r->distance);
    /* What the results are ranked by (mutual proximity, by default), which
     * the distance alone need not follow. */
    json_builder_set_member_name (b, "similarity");
    semblance_json_add_number (b, r->similarity);
    if (r->matched) {
      json_builder_set_member_name (b, "matched");
      json_builder_begin_array (b);
      for (g = 0; r->matched[g]; g++)
        json_builder_add_string_value (b, r->matched[g]);
      json_builder_end_array (b);
    }
    json_builder_set_member_name (b, "closeness");
    json_builder_begin_object (b);
    for (g = 0; g < SEMBLANCE_N_GROUPS; g++) {
      json_builder_set_member_name (b, semblance_layout_group_name (g));
      semblance_json_add_number (b, r->closeness[g]);
    }
    json_builder_end_object (b);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  if (json) {
    g_autoptr (JsonNode) root = json_builder_get_root (b);
    g_autofree char *text = semblance_json_to_string (root);

    g_print ("%s\n", text);
  }
}

int
semblance_cmd_similar (int argc, char **argv)
{
  g_autofree char *database = NULL, *model = NULL, *like = NULL;
  g_auto (GStrv) args = NULL, names = NULL, seeds = NULL, exclude = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (SemblanceLibrary) lib = NULL;
  g_auto (QueryArgs) q = { 0 };
  gboolean json = FALSE, include_short = FALSE;
  gint n = 20;
  guint n_seeds, i;
  SemblanceQueryOptions o;
  GOptionEntry entries[] = {
    { "number", 'n', 0, G_OPTION_ARG_INT, &n, "Results (20)", "N" },
    { "like", 'l', 0, G_OPTION_ARG_STRING, &like, "Like the tracks, but "
      "towards this description (\"calmer\", \"with piano\")", "TEXT" },
    { "include-short", 0, 0, G_OPTION_ARG_NONE, &include_short, "With "
      "--like: rank short clips (under 10 s: jingles, effects) too", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, "Database file",
      "FILE" },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model, "Model (default: the "
      "installed one)", "MODEL" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL,
      NULL },
    { NULL }
  };

  context = g_option_context_new ("TRACK… - the tracks of the library "
      "most like these (files or URIs; several: like all of them)");
  add_query_entries (context, &q);
  g_option_context_add_main_entries (context, entries, NULL);
  semblance_query_options_init (&o);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("semblance similar: %s\n", error->message);
    return 2;
  }
  if (n < 1) {
    g_printerr ("semblance similar: -n %d: give at least one result\n", n);
    return 2;
  }
  if (like && !g_strstrip (like)[0]) {
    g_printerr ("semblance similar: --like needs a description\n");
    return 2;
  }
  names = all_seeds (&q, args);
  n_seeds = g_strv_length (names);
  if (n_seeds == 0) {
    g_printerr ("semblance similar: give a file or URI\n");
    return 2;
  }
  if (!query_args_apply ("similar", &q, &o, &exclude))
    return 2;
  if (!(lib = library_open (database, model, &error))) {
    g_printerr ("semblance similar: %s\n", error->message);
    return 1;
  }
  seeds = g_new0 (char *, n_seeds + 1);
  for (i = 0; i < n_seeds; i++)
    if (!(seeds[i] = find_track (lib, names[i], &error))) {
      g_printerr ("semblance similar: %s\n", error->message);
      return 1;
    }
  o.n = n;
  o.include_short = include_short;
  if (like)
    found = semblance_library_similar_like (lib, (const char *const *) seeds,
        like, &o, &error);
  else
    found = semblance_library_similar (lib, (const char *const *) seeds, &o,
        &error);
  if (!found) {
    g_printerr ("semblance similar: %s\n", error->message);
    return 1;
  }
  print_results (found, json, FALSE);
  return 0;
}

int
semblance_cmd_search (int argc, char **argv)
{
  g_autofree char *database = NULL, *model = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (SemblanceLibrary) lib = NULL;
  g_autofree char *text = NULL;
  gboolean json = FALSE, include_short = FALSE;
  gint n = 20;
  SemblanceQueryOptions o;
  GOptionEntry entries[] = {
    { "number", 'n', 0, G_OPTION_ARG_INT, &n, "Results (20)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { "include-short", 0, 0, G_OPTION_ARG_NONE, &include_short, "Rank short "
      "clips (under 10 s: jingles, effects) too", NULL },
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
  if (n < 1) {
    g_printerr ("semblance search: -n %d: give at least one result\n", n);
    return 2;
  }
  if (!args || !args[0]) {
    g_printerr ("semblance search: give a description\n");
    return 2;
  }
  text = g_strjoinv (" ", args);
  if (!(lib = library_open (database, model, &error))) {
    g_printerr ("semblance search: %s\n", error->message);
    return 1;
  }
  semblance_query_options_init (&o);
  o.n = n;
  o.include_short = include_short;
  found = semblance_library_search (lib, text, &o, &error);
  if (!found) {
    g_printerr ("semblance search: “%s”: %s\n", text, error->message);
    return 1;
  }
  print_results (found, json, TRUE);
  return 0;
}

/* M3U has no escapes: the title line is made printable, and a path that
 * a line cannot hold (a line break in a file name) is given as its URI,
 * in which such characters are percent-encoded. */
static void
write_m3u (GString *out, const SemblanceResult *t)
{
  g_autofree char *path = g_filename_from_uri (t->uri, NULL, NULL);
  g_autofree char *name = describe (t);
  g_autofree char *uri = NULL;

  if (!path || strpbrk (path, "\r\n") || !g_utf8_validate (path, -1, NULL)) {
    /* The store keeps URIs as g_filename_to_uri() made them. */
    uri = semblance_printable (t->uri);
    g_string_append_printf (out, "#EXTINF:%.0f,%s\n%s\n", t->duration, name,
        uri);
    return;
  }
  g_string_append_printf (out, "#EXTINF:%.0f,%s\n%s\n", t->duration, name,
      path);
}

/* Text for an XSPF element: XML 1.0 allows no control characters, even
 * as references. */
static char *
xml_text (const char *text)
{
  g_autofree char *clean = semblance_printable (text);

  return g_markup_escape_text (clean, -1);
}

static void
write_xspf (GString *out, const SemblanceResult *t)
{
  g_autofree char *location = xml_text (t->uri);

  g_string_append_printf (out, "    <track>\n      <location>%s</location>\n",
      location);
  if (t->title) {
    g_autofree char *s = xml_text (t->title);

    g_string_append_printf (out, "      <title>%s</title>\n", s);
  }
  if (t->artist) {
    g_autofree char *s = xml_text (t->artist);

    g_string_append_printf (out, "      <creator>%s</creator>\n", s);
  }
  if (t->album) {
    g_autofree char *s = xml_text (t->album);

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
  g_autofree char *format = NULL, *output = NULL, *name = NULL;
  g_auto (GStrv) args = NULL, names = NULL, exclude = NULL;
  g_auto (QueryArgs) q = { 0 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GPtrArray) order = g_ptr_array_new_with_free_func
      ((GDestroyNotify) semblance_result_free);
  g_autoptr (GString) out = g_string_new (NULL);
  g_auto (GStrv) seeds = NULL;
  g_autoptr (SemblanceLibrary) lib = NULL;
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
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The playlist's title "
      "(M3U #PLAYLIST, XSPF title)", "NAME" },
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
  add_query_entries (context, &q);
  g_option_context_add_main_entries (context, entries, NULL);
  semblance_query_options_init (&o);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("semblance playlist: %s\n", error->message);
    return 2;
  }
  xspf = g_strcmp0 (format, "xspf") == 0;
  if (n < 1) {
    g_printerr ("semblance playlist: -n %d: give at least one track\n", n);
    return 2;
  }
  names = all_seeds (&q, args);
  if (!names[0] || (format && !xspf && !g_str_equal (format, "m3u"))
      || (to && names[1])) {
    g_printerr ("semblance playlist: give seeds (one with --to), and m3u or "
        "xspf\n");
    return 2;
  }
  if (!query_args_apply ("playlist", &q, &o, &exclude))
    return 2;
  if (!(lib = library_open (database, model, &error))) {
    g_printerr ("semblance playlist: %s\n", error->message);
    return 1;
  }
  /* The seeds, then the destination of a path, as URIs. */
  n_seeds = g_strv_length (names);
  seeds = g_new0 (char *, n_seeds + 2);
  for (i = 0; i < n_seeds + (to ? 1 : 0); i++)
    if (!(seeds[i] = find_track (lib, i < n_seeds ? names[i] : to,
                &error))) {
      g_printerr ("semblance playlist: %s\n", error->message);
      return 1;
    }
  /* A path from a track to itself would go out and come back. */
  if (to && g_str_equal (seeds[0], seeds[1])) {
    g_printerr ("semblance playlist: --to %s: the seed itself; give "
        "another track to lead to\n", to);
    return 2;
  }

  o.n = n;
  found = to ? semblance_library_path (lib, seeds[0], seeds[1], n, &error)
      : semblance_library_similar (lib, (const char *const *) seeds, &o,
          &error);
  if (!found) {
    g_printerr ("semblance playlist: %s\n", error->message);
    return 1;
  }
  /* The seeds open the playlist; a path ends at its destination. */
  for (i = 0; i < n_seeds; i++)
    g_ptr_array_add (order, semblance_library_get_track (lib, seeds[i],
            NULL));
  for (i = 0; i < found->len; i++)
    g_ptr_array_add (order, g_steal_pointer (&found->pdata[i]));
  if (to)
    g_ptr_array_add (order, semblance_library_get_track (lib, seeds[1],
            NULL));

  g_string_append (out, xspf ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n"
      : "#EXTM3U\n");
  if (name && xspf) {
    g_autofree char *title = xml_text (name);

    g_string_append_printf (out, "  <title>%s</title>\n", title);
  } else if (name) {
    g_autofree char *title = semblance_printable (name);

    g_string_append_printf (out, "#PLAYLIST:%s\n", title);
  }
  if (xspf)
    g_string_append (out, "  <trackList>\n");
  for (i = 0; i < order->len; i++) {
    const SemblanceResult *t = order->pdata[i];

    if (!t)
      continue;
    if (xspf)
      write_xspf (out, t);
    else
      write_m3u (out, t);
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
