# SPDX-License-Identifier: LGPL-2.1-or-later
"""The corpus on disk: where fetch-corpus.sh unpacked it, and how a package's
tree and its files are read.

One tree per Debian package under ${XDG_CACHE_HOME:-~/.cache}/semblance/corpus/;
a tree that fetch-corpus.sh finished has a .fetched stamp, and the package's
control fields in DEBIAN/control."""

import collections
import os
import sys

from debian import deb822

from . import tracks as tracks_

CACHE = os.path.join(
    os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache'), 'semblance'
)
CORPUS = os.path.join(CACHE, 'corpus')
AUDIO_EXT = ('.ogg', '.oga', '.opus')


def read_text(path):
    """A game data file as text; the games' files are not all valid UTF-8."""
    with open(path, encoding='utf-8', errors='replace') as f:
        return f.read()


def fetched(pkg):
    """Whether fetch-corpus.sh has unpacked the package completely."""
    return os.path.exists(os.path.join(CORPUS, pkg, '.fetched'))


def control_field(root, field):
    """A field of the package's control file (DEBIAN/control), or None."""
    path = os.path.join(root, 'DEBIAN/control')
    if not os.path.exists(path):
        return None
    with open(path, encoding='utf-8') as f:
        return deb822.Deb822(f).get(field)


# Music package -> the game data packages that its game's module read, for
# SOURCES.md.
COMPANIONS = collections.defaultdict(set)


def companion(pkg, music_pkg):
    """The tree of a package that only holds game data for another one's
    music; warns when fetch-corpus.sh has not unpacked it."""
    root = os.path.join(CORPUS, pkg)
    COMPANIONS[music_pkg].add(pkg)
    if not fetched(pkg):
        print(
            'make-descriptions: warning: %s is not fetched; its game data will be missing '
            'from the descriptions' % pkg,
            file=sys.stderr,
        )
    return root


def read_package(pkg):
    """(root, [Track]) of every Ogg Vorbis or Opus file in the package's tree,
    in a fixed order (folders and files sorted)."""
    root = os.path.join(CORPUS, pkg)
    found = []
    for dirpath, dirnames, files in os.walk(root):
        dirnames.sort()
        for fn in sorted(files):
            if not fn.lower().endswith(AUDIO_EXT):
                continue
            path = os.path.join(dirpath, fn)
            info = tracks_.read_audio(path)
            if info is None:
                continue
            seconds, tags = info
            found.append(tracks_.Track(pkg, root, os.path.relpath(path, root), seconds, tags))
    return root, found
