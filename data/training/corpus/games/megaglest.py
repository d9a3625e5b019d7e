# SPDX-License-Identifier: LGPL-2.1-or-later
"""MegaGlest: the factions whose music each track is, and the menu and
intro music."""

import os
import re
import xml.etree.ElementTree as ET

from ..game import Game
from ..tracks import apply_tags, in_dir
from ..walk import read_text
from ..wording import humanize

GAME = Game(
    package='megaglest-data',
    name='MegaGlest',
    # megaglest: "3D multi-player real time strategy game"
    style='a 3D real-time strategy game',
    upstream=(('usr/share/games/megaglest/', ''),),
)


def describe(tracks, root):
    """techs/*/factions/NAME/NAME.xml: <music path=...>; data/core/menu/menu.xml:
    menu-music and menu-intro-music."""
    tracks[:] = [t for t in tracks if in_dir(t, 'music')]
    by_rel = {t.path: t for t in tracks}
    base = 'usr/share/games/megaglest'
    for dirpath, dirnames, files in os.walk(os.path.join(root, base, 'techs')):
        dirnames.sort()
        for fn in sorted(files):
            if (
                not fn.endswith('.xml')
                or os.path.basename(os.path.dirname(os.path.join(dirpath, fn))) != fn[:-4]
            ):
                continue
            try:
                x = ET.parse(os.path.join(dirpath, fn)).getroot()
            except ET.ParseError:
                continue
            m = x.find('music')
            if m is not None and m.get('value') == 'true' and m.get('path'):
                rel = os.path.relpath(os.path.join(dirpath, m.get('path')), root)
                if rel in by_rel:
                    faction = fn[:-4]
                    by_rel[rel].tail = 'of the %s faction' % humanize(faction).title()
                    by_rel[rel].sources.add('faction files (factions/*/*.xml)')
    menu = os.path.join(root, base, 'data/core/menu/menu.xml')
    if os.path.exists(menu):
        text = read_text(menu)
        for key, kind in (('menu-music', 'main menu'), ('menu-intro-music', 'intro')):
            for value in dict.fromkeys(re.findall(r'<%s value="([^"]+)"' % key, text)):
                rel = os.path.join(base, 'data/core/menu/music', value)
                if rel in by_rel:
                    by_rel[rel].kind = kind
                    by_rel[rel].sources.add('menu configuration (data/core/menu/menu.xml)')
    for t in tracks:
        apply_tags(t, 'MegaGlest')
