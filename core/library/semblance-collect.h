/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which files are music: the audio files among files and folders. */
#pragma once

#include <glib.h>

#include "semblance-export.h"

G_BEGIN_DECLS

/* Whether @name ends with the extension of an audio format. */
SEMBLANCE_EXPORT
gboolean semblance_has_audio_extension (const char *name);

/* Expands files and folders (recursively, audio files only, sorted, hidden
 * entries and symbolic-link loops skipped) into a list of file names.
 * Arguments that are not folders are kept as they are, so that whoever
 * analyses them reports the ones that do not exist. */
SEMBLANCE_EXPORT
GPtrArray *semblance_collect_audio_files (char *const *args);

/* Called for a folder that cannot be read, whose files are missing from
 * the list: @error is G_FILE_ERROR, "FOLDER: cannot read this folder:
 * reason". */
typedef void (*SemblanceUnreadableFunc) (const char *folder,
                                         const GError *error,
                                         gpointer user_data);

/* The same, and what the search met on the way: when not NULL, @folders
 * gets the name of every folder read, and @unreadable is called for every
 * folder that could not be read. */
SEMBLANCE_EXPORT
GPtrArray *semblance_collect_audio_files_full (char *const *args,
                                              GPtrArray *folders,
                                              SemblanceUnreadableFunc unreadable,
                                              gpointer user_data);

G_END_DECLS
