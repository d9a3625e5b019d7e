# SPDX-License-Identifier: LGPL-2.1-or-later
"""Nexuiz: the maps that play each track, from nexuiz-data's configuration
and map files."""

import collections
import os
import re

from ..game import Game
from ..tracks import apply_tags, in_dir
from ..walk import companion, read_text
from ..wording import join_and, words

GAME = Game(
    package='nexuiz-music',
    name='Nexuiz',
    # nexuiz: "Fast-paced 3D first-person shooter"; nexuiz-music: "a 3d
    # deathmatch game"
    style='a fast-paced 3D deathmatch first-person shooter',
    license_rule=(
        'GPL-2.0-or-later',
        [
            (
                'usr/share/doc/nexuiz-music/copyright',
                r'under the terms of the GNU General Public License as published by the Free '
                r'Software Foundation; either version 2 of the License, or \(at your option\) '
                r'any later version',
            ),
        ],
    ),
)


def describe(tracks, root):
    """defaultNexuiz.cfg maps cdtrack numbers to files (g_cdtracks_remaplist)
    and names the menu track; maps/*.mapinfo give each map's title,
    description and cdtrack."""
    tracks[:] = [t for t in tracks if in_dir(t, 'cdtracks')]
    data = os.path.join(companion('nexuiz-data', 'nexuiz-music'), 'usr/share/games/nexuiz/data')
    cfg = os.path.join(data, 'defaultNexuiz.cfg')
    text = read_text(cfg) if os.path.exists(cfg) else ''
    m = re.search(r'set g_cdtracks_remaplist "([^"]*)"', text)
    remap = m.group(1).split() if m else []
    m = re.search(r'set menu_cdtrack (\S+)', text)
    menu = m.group(1).strip('"') if m else None
    maps = collections.defaultdict(list)
    mapdir = os.path.join(data, 'maps')
    for fn in sorted(os.listdir(mapdir)) if os.path.isdir(mapdir) else []:
        if not fn.endswith('.mapinfo'):
            continue
        info = {}
        for line in read_text(os.path.join(mapdir, fn)).split('\n'):
            k = line.split(' ', 1)
            if len(k) == 2 and k[0] in ('title', 'description', 'cdtrack'):
                info[k[0]] = k[1].strip()
        try:
            n = int(info.get('cdtrack', ''))
        except ValueError:
            continue
        title = info.get('title', '')
        if not (1 <= n <= len(remap)) or not title or '<' in title:
            continue
        maps[remap[n - 1]].append((title, info.get('description', '').strip().rstrip('.')))
    for t in tracks:
        apply_tags(t, 'Nexuiz')
        if t.stem == menu:
            t.kind = 'main menu'
            t.sources.add('game configuration (defaultNexuiz.cfg)')
        ms = maps.get(t.stem, [])
        if ms:
            shown = []
            for title, desc in ms[:2]:
                if any(w in desc.lower() for w in words(title) if len(w) > 3):
                    desc = ''  # "Remake of basement", "Aggressor retextured by ..."
                if re.match(r'[A-Z][a-z]+\b', desc):
                    desc = desc[0].lower() + desc[1:]
                shown.append("'%s' (%s)" % (title, desc) if desc else "'%s'" % title)
            more = len(ms) - len(shown)
            t.add(
                'played on the %s %s%s'
                % (
                    'map' if len(ms) == 1 else 'maps',
                    join_and(shown),
                    ' and %s more' % more if more > 0 else '',
                ),
                'map files (maps/*.mapinfo)',
            )
