# SPDX-License-Identifier: LGPL-2.1-or-later
"""0 A.D.: the civilisations whose music each track is and its type (peace,
battle, victory, defeat), the game's default tracks and the cheats that play
music. (The module's name spells the digit: a module cannot start with one.)"""

import collections
import json
import os
import re
import xml.etree.ElementTree as ET

from ..game import Game
from ..tracks import apply_tags, in_dir
from ..walk import read_text
from ..wording import humanize, join_and

GAME = Game(
    package='0ad-data',
    name='0 A.D.',
    # 0ad-data: "real-time strategy (RTS) game of ancient warfare. In
    # short, it is a historically-based war/economy game"
    style='a historical real-time strategy game of ancient warfare',
    upstream=(('usr/share/games/0ad/mods/public/', 'binaries/data/mods/public/'),),
)


def describe(tracks, root):
    """simulation/data/civs/*.json: each civilisation's music and its type
    (peace, battle, victory, defeat); simulation/templates/special/players:
    the civilisations' names; gui/common/music.js: the default menu, peace,
    battle, victory and defeat tracks; simulation/data/cheats: cheat music."""
    tracks[:] = [t for t in tracks if in_dir(t, 'music')]
    base = os.path.join(root, 'usr/share/games/0ad/mods/public')
    civs = collections.defaultdict(list)  # file -> [(type, civ name, culture)]
    civdir = os.path.join(base, 'simulation/data/civs')
    for fn in sorted(os.listdir(civdir)) if os.path.isdir(civdir) else []:
        with open(os.path.join(civdir, fn), encoding='utf-8') as f:
            c = json.load(f)
        code = c.get('Code', fn[:-5])
        name = code
        player = os.path.join(base, 'simulation/templates/special/players', code + '.xml')
        if os.path.exists(player):
            try:
                g = ET.parse(player).getroot().find('Identity/GenericName')
                if g is not None and g.text:
                    name = g.text.strip()
            except ET.ParseError:
                pass
        for m in c.get('Music', []):
            civs[m.get('File')].append((m.get('Type'), name))
    defaults = collections.defaultdict(list)
    js = os.path.join(base, 'gui/common/music.js')
    if os.path.exists(js):
        for kind, body in re.findall(r'DEFAULT_([A-Z]+)_TRACKS\s*=\s*(.*?);', read_text(js), re.S):
            for f in re.findall(r'"([^"]+\.ogg)"', body):
                defaults[f].append(kind.lower())
    cheats = collections.defaultdict(list)
    cheatdir = os.path.join(base, 'simulation/data/cheats')
    for fn in sorted(os.listdir(cheatdir)) if os.path.isdir(cheatdir) else []:
        text = read_text(os.path.join(cheatdir, fn))
        for f in re.findall(r'"([^"]+\.ogg)"', text):
            cheats[os.path.basename(f)].append(fn[:-5])
    type_words = {
        'peace': 'peacetime',
        'battle': 'battle',
        'victory': 'victory',
        'defeat': 'defeat',
        'menu': 'main menu',
    }
    for t in tracks:
        apply_tags(t, '0 A.D.')
        fn = os.path.basename(t.path)
        if not t.title:
            t.title = humanize(t.stem)
            t.sources.add('file name')
        uses = civs.get(fn, [])
        types = collections.defaultdict(list)
        for ty, name in uses:
            types[ty].append(name)
        kinds = [ty for ty, _ in uses] + defaults.get(fn, [])
        kind = collections.Counter(kinds).most_common(1)[0][0] if kinds else None
        t.kind = type_words.get(kind)
        for ty, names in sorted(types.items(), key=lambda x: x[0] != kind):
            t.add(
                '%sfor the %s'
                % ('' if ty == kind else type_words.get(ty, ty) + ' music ', join_and(names)),
                'civilisation files (simulation/data/civs/*.json)',
            )
        for ty in defaults.get(fn, []):
            t.add(
                "one of the game's default %s tracks" % type_words.get(ty, ty),
                'music script (gui/common/music.js)',
            )
        for c in cheats.get(fn, []):
            t.add("played by the '%s' cheat" % c, 'cheat files (simulation/data/cheats)')
