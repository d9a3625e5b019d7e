/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The digest caches: hashing a data file with SHA-256 took most of its
 * load (the vocabulary's 4.8 MB, the model's two passes over 24 KB, a
 * tenth of a query), so a file whose digest matched is not hashed again
 * while it stays the same file. A cache is a file of the user's cache
 * folder whose lines, newest first, begin with a file identity. A cache
 * that cannot be read or written is no fault: the digest is then checked
 * every time.
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

G_BEGIN_DECLS

/* What changes when a file does: its size, its modification time, its
 * status change time (which nobody can set back, as they can the
 * modification time), and the inode of a file put in its place. */
char *semblance_file_identity (const GStatBuf *st);

/* @digest (32 bytes) in hexadecimal. */
char *semblance_digest_hex (const guint8 *digest);

/* The rest of the line of the cache @name that begins with @prefix, or
 * NULL; "" for a line that is @prefix. */
char *semblance_digest_cache_lookup (const char *name, const char *prefix);

/* Puts @line first in the cache @name, with the lines before it that are
 * not @line, at most 8 in all. */
void semblance_digest_cache_add (const char *name, const char *line);

G_END_DECLS
