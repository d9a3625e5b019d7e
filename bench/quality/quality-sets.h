/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The collections the quality benchmark runs on, with what is known of each
 * clip: the 4Q emotion set (Panda et al., 2018: the MP3 files of Q1..Q4 and its
 * Latin-1 metadata table) and a folder of game soundtracks, one subfolder
 * per game.
 */
#pragma once

#include <glib.h>

#define QUALITY_N_FOLDS 4

typedef struct
{
  char *path;
  char *label;                  /* the 4Q quadrant "Q1".."Q4", or the game */
  char *artist;                 /* NULL for the games */
  char *title;                  /* NULL for the games */
  char *moods;                  /* "; "-separated AllMusic tags, or NULL */
  char *genres;                 /* "; "-separated genres, or NULL */
  guint fold;                   /* 0 .. QUALITY_N_FOLDS - 1, by artist */
} QualityClip;

void quality_clip_free (QualityClip *clip);

/* The clips of the 4Q set in @dir: the files of Q1..Q4 (the set's music/
 * folder holds the same files again and is not read), each with its row
 * of panda_dataset_taffc_metadata.csv. Fails, naming the file and the
 * reason, when a folder or the table cannot be read, or a clip has no row
 * or a quadrant other than its folder's. */
GPtrArray *quality_4q_load (const char *dir, GError **error);

/* The audio files under each subfolder of @dir, labelled with the
 * subfolder's name (the game). */
GPtrArray *quality_games_load (const char *dir, GError **error);

/* The fold of an artist: the SHA-256 of its case-folded name, modulo
 * QUALITY_N_FOLDS, so that every clip of an artist is in the same fold. */
guint quality_artist_fold (const char *artist);

/* The clip's description for training: its mood tags then its genres,
 * separated by commas, in lower case. */
char *quality_clip_description (const QualityClip *clip);

/* What a user's tags would say of the clip: its genres and its title, in
 * lower case (no mood tags, and not the artist, which would teach the
 * artist). */
char *quality_clip_tag_description (const QualityClip *clip);

/* Writes, for each fold K (1 .. QUALITY_N_FOLDS), into @dir:
 * fold-K-train.tsv (the other folds) and fold-K-test.tsv (this one) as
 * `semblance train` tables (absolute path, TAB, description),
 * fold-K-train-tags.tsv (the other folds, described by what a user's tags
 * would say), and fold-K-eval.tsv as a `semblance eval` table (path, TAB,
 * quadrant, TAB, description). */
gboolean quality_write_folds (GPtrArray *clips, const char *dir,
                              GError **error);
