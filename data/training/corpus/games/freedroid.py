# SPDX-License-Identifier: LGPL-2.1-or-later
"""FreedroidRPG: the areas (levels) and the title, credits and end screens
that play each track."""

import collections
import os
import re

from ..game import Game
from ..tracks import apply_tags, in_dir
from ..walk import read_text
from ..wording import humanize, join_and, name_use, such_as

GAME = Game(
    package='freedroidrpg-data',
    name='FreedroidRPG',
    # freedroidrpg-data: "an RPG with isometric graphics. In it, the player
    # is Tux, who must fight rebelling robots"
    style='an isometric RPG in which Tux fights rebelling robots',
    upstream=(('usr/share/freedroidrpg/', ''),),
)


def describe(tracks, root):
    """levels.dat: each level's name and BgSong; titles/*.lua: the songs of the
    title, credits and end screens."""
    tracks[:] = [t for t in tracks if in_dir(t, 'music')]
    base = os.path.join(root, 'usr/share/freedroidrpg/data')
    levels = collections.defaultdict(list)
    screens = collections.defaultdict(list)
    for dirpath, dirnames, files in os.walk(base):
        dirnames.sort()
        for fn in sorted(files):
            path = os.path.join(dirpath, fn)
            if fn == 'levels.dat':
                name = None
                for line in read_text(path).split('\n'):
                    m = re.match(r'Name of this level=_?"(.*)"', line)
                    if m:
                        name = m.group(1)
                    m = re.match(r'BgSong=(\S+)', line)
                    if m and name:
                        levels[m.group(1)].append(name)
                        name = None
            elif fn.endswith('.lua') and os.path.basename(dirpath) == 'titles':
                m = re.search(r'\bsong\s*=\s*"([^"]+)"', read_text(path))
                if m:
                    screens[m.group(1)].append(os.path.splitext(fn)[0])
    screen_words = {
        'StartOfGame': 'the opening story',
        'EndOfGame': 'the end of the game',
        'GameLost': 'the game-over screen',
        'Credits': 'the credits',
        'EndOfAct': 'the end of the first act',
        'Contribute': 'the contribute screen',
        'Controls': 'the controls screen',
        'TakeoverInstructions': 'the takeover instructions',
        'level_editor_help': 'the level editor help',
    }
    for t in tracks:
        apply_tags(t, 'FreedroidRPG')
        fn = os.path.basename(t.path)
        lv = [
            n
            for n in dict.fromkeys(levels.get(fn, []))
            if not re.search(r'debug|empty map|test', n, re.I)
        ]
        if lv:
            t.add('played in %s' % such_as(lv, 'area', limit=3), 'level data (levels.dat)')
        sc = [screen_words.get(s, humanize(s)) for s in screens.get(fn, [])]
        if sc:
            t.add('behind %s' % join_and(sc), 'title screens (titles/*.lua)')
        nu = name_use(t.stem)
        if nu:
            t.kind = nu
            t.sources.add('file name')
