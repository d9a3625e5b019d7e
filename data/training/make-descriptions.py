#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Describes the training corpus that fetch-corpus.sh unpacked.

Walks ${XDG_CACHE_HOME:-~/.cache}/semblance/corpus/PACKAGE/ (one tree per
Debian package), picks the music tracks (not the sound effects: the game's
music folders or music definitions, and at least 30 s long), and writes one
short English description per track to descriptions.tsv beside this script,
with the track's license, plus SOURCES.md, which says where every part of the
table comes from.

A description is put together from what the packages themselves say about the
track, and nothing else:
  - the Vorbis or Opus comments (TITLE, GENRE, DESCRIPTION, COMMENT, ALBUM);
  - the game's own data that says where the track plays: Wesnoth's scenario
    and campaign files, OpenClonk's situation tags, Hedgewars' themes,
    SuperTux's levels and worlds, Naev's music script, Nexuiz's map files,
    FreedroidRPG's levels and title screens, Colobot's missions, HyperRogue's
    land list, MegaGlest's factions, Warzone 2100's album files,
    SuperTuxKart's tracks, Frets on Fire's song files and 0 A.D.'s
    civilisations and music script (corpus/games/, a module per game);
  - the file's own name where it names a use (menu, intro, win, ...);
  - once per package, the game's genre as Debian's package description states
    it (each game module's GAME).
The license comes from the package's copyright file: for machine-readable
(DEP-5) files the stanza that covers the track's upstream path, for the others
the wording that the game's license rule looks for. A track whose license is
unclear is left out of the table and listed in a comment line instead.

Needs Debian's python3-mutagen and python3-debian. Run after fetch-corpus.sh:
data/training/make-descriptions.py
Output is deterministic (sorted; no dates). The work is done by the corpus
package beside this script; test_descriptions.py tests it.
"""

import os

from corpus.main import main

if __name__ == '__main__':
    main(os.path.dirname(os.path.abspath(__file__)))
