/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the commands print alike: JSON, and text in columns. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Adds @value; JSON has no NaN or infinity, so such a value, which no
 * contract lets through, becomes null rather than making the whole output
 * invalid. */
void semblance_json_add_number (JsonBuilder *builder, double value);

/* @root as indented JSON, as json_to_string() writes it, but with each
 * number with a fraction as the shortest decimal that reads back as the
 * same float (every measure and distance printed has a float's precision
 * at most): 127.995, not 127.99500000000221. */
char *semblance_json_to_string (JsonNode *root);

/* Appends @node to @out as semblance_json_to_string() writes it, indented
 * as at depth @level: for JSON written piece by piece. */
void semblance_json_append (GString *out, JsonNode *node, guint level);

/* Append a string or a number (null when not finite) to @out as
 * semblance_json_append() writes them: for JSON written without nodes. */
void semblance_json_append_string (GString *out, const char *text);
void semblance_json_append_number (GString *out, double value);

/* Writes @out to standard output, as g_print() does (in the locale's
 * encoding), and empties it: always with @all, else once it holds 64 KiB.
 * Call it at the end of a line. g_print() alone flushes standard output
 * at every call. */
void semblance_output_flush (GString *out, gboolean all);

/* @text followed by spaces up to @width columns on a terminal, counted in
 * characters (a wide one counts two), not bytes: "—" is one column. Text
 * wider than @width is kept whole. */
char *semblance_pad (const char *text, guint width);

/* @text, valid UTF-8, with every control character (C0, DEL, C1: line
 * breaks, TABs, escape and OSC sequences) replaced by a space: tags and
 * file names come from anyone, and must not reach a terminal or a
 * playlist as commands, as lines of their own or as extra columns. */
char *semblance_printable (const char *text);

G_END_DECLS
