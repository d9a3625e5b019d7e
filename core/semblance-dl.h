/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Libraries that the engine loads when it first needs them rather than
 * links, so that a process that never needs them does not load them
 * (semblance-lazy.h's decoding libraries, WordNet). Such a library is
 * packaged with the engine: one that cannot be loaded, or lacks a
 * function, ends the process with a message naming it, as a missing
 * linked library would have.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The library of file name @soname, kept for the life of the process. */
void *semblance_dl_open (const char *soname);

/* The function @name of @lib, opened as @soname. */
void *semblance_dl_symbol (void *lib, const char *soname, const char *name);

G_END_DECLS
