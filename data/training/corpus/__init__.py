# SPDX-License-Identifier: LGPL-2.1-or-later
"""Describes the training corpus that fetch-corpus.sh unpacked.

make-descriptions.py is the command; this package is its body, split so that
each game's reading of its own data sits in a module of its own (games/) and
what all games share is written once:

  walk.py       where the corpus is, reading a package's tree and its files;
  tracks.py     a track's facts and its Vorbis/Opus comments (mutagen);
  licenses.py   the license of a track from the package's copyright file
                (python-debian for the machine-readable ones);
  wording.py    words of names and the small phrases (join_and, such_as ...);
  sentences.py  one description from a track's facts;
  report.py     descriptions.tsv and SOURCES.md;
  main.py       the run that ties them together.
"""
