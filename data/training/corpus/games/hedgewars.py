# SPDX-License-Identifier: LGPL-2.1-or-later
"""Hedgewars: the themes that play each track, as their music or as their
Sudden Death music, and the titles that the music credits give."""

import collections
import os
import re

from ..game import Game
from ..tracks import apply_tags, in_dir
from ..walk import read_text
from ..wording import humanize, join_and, name_use

GAME = Game(
    package='hedgewars-data',
    name='Hedgewars',
    # hedgewars: "Funny turn-based artillery game, featuring fighting hedgehogs!"
    style='a funny turn-based artillery game with fighting hedgehogs',
    upstream=(('usr/share/games/hedgewars/Data/', 'share/hedgewars/Data/'),),
    # The Sudden Death music: its name says nothing more than its kind.
    untitled_stems=('sdmusic',),
)


def describe(tracks, root):
    """Themes/NAME/theme.cfg: music = (the theme's music) and sd-music = (its
    Sudden Death music, the game mode that Locale/en.txt calls 'Sudden Death')."""
    tracks[:] = [t for t in tracks if in_dir(t, 'Music')]
    # Music/credits.txt: FILE=AUTHOR [- "TITLE" ...]
    credited = {}
    credits = os.path.join(root, 'usr/share/games/hedgewars/Data/Music/credits.txt')
    for line in read_text(credits).split('\n') if os.path.exists(credits) else []:
        m = re.match(r'([^=]+)=.*?"([^"]+)"', line)
        if m:
            credited[m.group(1).strip().lower()] = m.group(2)
    themes = collections.defaultdict(lambda: collections.defaultdict(list))
    top = os.path.join(root, 'usr/share/games/hedgewars/Data/Themes')
    for theme in sorted(os.listdir(top)) if os.path.isdir(top) else []:
        cfg = os.path.join(top, theme, 'theme.cfg')
        if not os.path.exists(cfg):
            continue
        for line in read_text(cfg).split('\n'):
            m = re.match(r'\s*(music|sd-music)\s*=\s*(\S+)', line)
            if m:
                themes[m.group(2).lower()][m.group(1)].append(humanize(theme))
    for t in tracks:
        apply_tags(t, 'Hedgewars')
        if not t.title and os.path.basename(t.path).lower() in credited:
            t.title = credited[os.path.basename(t.path).lower()]
            t.sources.add('music credits (Music/credits.txt)')
        use = themes.get(os.path.basename(t.path).lower(), {})
        src = 'theme files (Themes/*/theme.cfg)'
        themes_of = lambda key: '%s %s' % (
            join_and(use[key]),
            'theme' if len(use[key]) == 1 else 'themes',
        )
        if use.get('music'):
            t.tail = 'of the %s' % themes_of('music')
            t.sources.add(src)
            if use.get('sd-music'):
                t.add('also the Sudden Death music of the %s' % themes_of('sd-music'), src)
        elif use.get('sd-music'):
            t.kind = 'sudden death'
            t.tail = 'of the %s' % themes_of('sd-music')
            t.sources.add(src)
        if not use:
            nu = name_use(t.stem)
            if t.stem.lower() == 'sdmusic':
                t.kind = 'sudden death'
                t.sources.add('file name')
            elif t.stem.lower() == 'main_theme':
                t.kind = 'main theme'
                t.sources.add('file name')
            elif nu:
                t.kind = nu
                t.sources.add('file name')
