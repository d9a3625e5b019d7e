/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What several tests set up alike: the demo clips as an indexed library,
 * and temporary folders. */
#pragma once

#include <glib.h>

/* The URI of demo clip @name ($SEMBLANCE_DEMO_DIR), as the index stores it. */
char *demo_uri (const char *name);

/* Indexes the demo clips, with the default model, into @db (asserting it
 * worked). */
void index_demo (const char *db);

/* Deletes @dir and everything in it, asserting that each removal worked. */
void remove_tree (const char *dir);
