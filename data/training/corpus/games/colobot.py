# SPDX-License-Identifier: LGPL-2.1-or-later
"""Colobot: the missions and levels that play each track, with their
chapters, and the victory and defeat scenes, from colobot-common's level
files."""

import collections
import os
import re

from ..game import Game
from ..tracks import apply_tags, in_dir, tag
from ..walk import companion, read_text
from ..wording import name_use, such_as

GAME = Game(
    package='colobot-common-sounds',
    name='Colobot',
    # colobot-common-sounds: "educational programming strategy game"; "You
    # are playing as an astronaut on a journey with robot helpers to find a
    # planet for colonization"
    style='an educational programming strategy game about an astronaut and robots '
    'colonizing planets',
    upstream=(('usr/share/games/colobot/', 'data/'),),
)


def describe(tracks, root):
    """levels/*/chapterNNN/levelNNN/scene.txt: Audio/AudioChange filename=,
    the level's English title (Title.E) and its chapter's title; levels/other:
    win*.txt and lost*.txt, the victory and defeat scenes."""
    tracks[:] = [t for t in tracks if in_dir(t, 'music')]
    levels_dir = os.path.join(
        companion('colobot-common', 'colobot-common-sounds'), 'usr/share/games/colobot/levels'
    )
    uses = collections.defaultdict(list)
    other = collections.defaultdict(set)
    kinds = {
        'missions': 'mission',
        'free': 'free game',
        'plus': 'bonus level',
        'exercises': 'exercise',
        'challenges': 'challenge',
        'battles': 'battle',
    }
    for dirpath, dirnames, files in os.walk(levels_dir):
        dirnames.sort()
        for fn in sorted(files):
            if not fn.endswith('.txt'):
                continue
            path = os.path.join(dirpath, fn)
            rel = os.path.relpath(path, levels_dir)
            text = read_text(path)
            songs = re.findall(r'^\s*Audio\w*\b.*?filename="([^"]+)"', text, re.M)
            if not songs:
                continue
            if rel.startswith('other/'):
                for s in songs:
                    other[s].add(
                        'victory'
                        if fn.startswith('win')
                        else 'defeat'
                        if fn.startswith('lost')
                        else None
                    )
                continue
            parts = rel.split('/')
            if len(parts) < 4:
                continue
            title = re.search(r'^Title\.E\s+text="([^"]*)"', text, re.M)
            chapter_file = os.path.join(levels_dir, parts[0], parts[1], 'chaptertitle.txt')
            chapter = None
            if os.path.exists(chapter_file):
                c = re.search(r'^Title\.E\s+text="([^"]*)"', read_text(chapter_file), re.M)
                chapter = c.group(1) if c else None
            for s in dict.fromkeys(songs):
                uses[s].append(
                    (kinds.get(parts[0], parts[0]), title.group(1) if title else None, chapter)
                )
    for t in tracks:
        apply_tags(t, 'Colobot')
        album = tag(t, 'ALBUM')
        if album:
            t.add("from the album '%s'" % album, 'Vorbis comments')
        fn = os.path.basename(t.path)
        kinds_ = [k for k in sorted(other.get(fn, set()) - {None})]
        if kinds_:
            t.kind = kinds_[0]
            t.sources.add('scene files (levels/other/win*.txt, lost*.txt)')
        u = uses.get(fn, [])
        if u:
            missions = [(n, c) for k, n, c in u if n and k == 'mission']
            chosen = missions or [(n, c) for _, n, c in u if n]
            chapters = list(dict.fromkeys(c for _, c in chosen if c))
            t.add(
                'played in %s%s'
                % (
                    such_as([n for n, _ in chosen], 'mission' if missions else 'level', limit=3),
                    ' (%s)' % '; '.join("chapter '%s'" % c for c in chapters[:3])
                    if chapters
                    else '',
                ),
                'level files (scene.txt, chaptertitle.txt)',
            )
        if not t.title and not kinds_:
            nu = name_use(t.stem)
            if nu:
                t.kind = nu
                t.sources.add('file name')
