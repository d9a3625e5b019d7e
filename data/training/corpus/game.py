# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the shared code needs to know about a game, besides how to read its
data: each module in games/ gives one of these as GAME."""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Game:
    # The Debian package that holds the music; its tree in the corpus.
    package: str
    # The game's name, as SOURCES.md and the descriptions give it.
    name: str
    # The game's genre as Debian's package description says it, said once
    # per description; the game's module quotes the description it comes from.
    style: str
    # (installed prefix, upstream prefix) pairs: the installed path mapped to
    # the path in the upstream source tree that the DEP-5 "Files:" patterns use.
    upstream: tuple = ()
    # Whether a track without a TITLE comment may be named after its file.
    file_titles: bool = True
    # File names (without extension, lower-case) that are never a title.
    untitled_stems: tuple = ()
    # For a copyright file that is not machine-readable: (SPDX id, [(file,
    # wording)]); see licenses.License.
    license_rule: tuple = None
    # A remark on the license for SOURCES.md.
    license_note: str = None
    # The head noun of every description, in place of the kind of music's.
    noun: str = None
