# SPDX-License-Identifier: LGPL-2.1-or-later
"""Naev: when the music script plays each track (loading, intro, landing,
ambient flight, combat ...), by faction and inside or outside nebulae."""

import collections
import os
import re

from ..game import Game
from ..sentences import KIND_NOUN
from ..tracks import apply_tags, in_dir
from ..walk import read_text
from ..wording import join_and

GAME = Game(
    package='naev-data',
    name='Naev',
    # naev-data: "2D space trading and combat game"
    style='a 2D space trading and combat game',
    upstream=(('usr/share/naev/', ''),),
)


def lua_table(text, name):
    """The body of `name = { ... }` (balanced braces)."""
    m = re.search(r'\b%s\s*=\s*\{' % re.escape(name), text)
    if not m:
        return ''
    depth, i = 1, m.end()
    while i < len(text) and depth:
        depth += {'{': 1, '}': -1}.get(text[i], 0)
        i += 1
    return text[m.end() : i - 1]


def lua_function(text, name):
    m = re.search(r'\nfunction %s\s*\(.*?\n(.*?)\nend\b' % re.escape(name), text, re.S)
    return m.group(1) if m else ''


def describe(tracks, root):
    """dat/snd/music.lua: the tables and functions that choose the music for
    loading, intro, credits, landing, take-off, ambient flight and combat,
    by faction and inside or outside nebulae."""
    tracks[:] = [t for t in tracks if in_dir(t, 'music')]
    by_stem = {t.stem: t for t in tracks}
    lua = os.path.join(root, 'usr/share/naev/dat/snd/music.lua')
    text = read_text(lua) if os.path.exists(lua) else ''
    src = 'music script (dat/snd/music.lua)'
    found = collections.defaultdict(list)  # stem -> [(kind, phrase)]
    factions = collections.defaultdict(
        lambda: collections.defaultdict(list)
    )  # stem -> kind -> [faction]

    def strings(body):
        return [x for x in re.findall(r'"([^"]+)"', body) if x in by_stem]

    def faction_table(name):
        body = lua_table(text, name)
        for m in re.finditer(r'(?:\[\s*"([^"]+)"\s*\]|([A-Za-z_]+))\s*=\s*\{([^}]*)\}', body):
            yield m.group(1) or m.group(2), strings(m.group(3))

    for faction, stems in faction_table('factional'):
        for x in stems:
            factions[x]['ambient'].append(faction)
    for faction, stems in faction_table('factional_combat'):
        for x in stems:
            factions[x]['combat'].append(faction)
    for x in strings(lua_table(text, 'ambient_neutral')):
        found[x].append(('ambient', 'during space flight anywhere'))
    m = re.search(
        r'elseif nebu then\s*ambient\s*=\s*\{([^}]*)\}', lua_function(text, 'choose_ambient')
    )
    for x in strings(m.group(1) if m else ''):
        found[x].append(('ambient', 'inside nebulae'))
    m = re.search(
        r'if nebu then\s*combat\s*=\s*\{([^}]*)\}\s*else\s*combat\s*=\s*\{([^}]*)\}',
        lua_function(text, 'choose_combat'),
    )
    if m:
        for x in strings(m.group(1)):
            found[x].append(('combat', 'inside nebulae'))
        for x in strings(m.group(2)):
            found[x].append(('combat', 'outside nebulae'))
    for func, kind, phrase in (
        ('choose_load', 'loading screen', 'while the game loads'),
        ('choose_intro', 'intro', 'during the intro'),
        ('choose_credits', 'credits', 'during the credits'),
        ('choose_takeoff', 'take-off', 'at take-off from a planet'),
    ):
        for x in strings(lua_function(text, func)):
            found[x].append((kind, phrase))
    fn = lua_function(text, 'choose_land')
    for m in re.finditer(
        r'(class == "([A-Z])"|services\(\)\["inhabited"\])\s*then\s*mus\s*=\s*\{([^}]*)\}'
        r'|else\s*mus\s*=\s*\{([^}]*)\}',
        fn,
    ):
        if m.group(2):
            phrase = 'when landing on planets of class %s' % m.group(2)
        elif m.group(1):
            phrase = 'when landing on inhabited planets and stations'
        else:
            phrase = 'when landing on uninhabited planets'
        for x in strings(m.group(3) or m.group(4) or ''):
            found[x].append(('landing', phrase))
    for x, kinds in factions.items():
        for kind, fs in kinds.items():
            found[x].append(
                (
                    kind,
                    '%s the %s %s'
                    % (
                        'in systems of' if kind == 'ambient' else 'against',
                        join_and(fs),
                        'faction' if len(fs) == 1 else 'factions',
                    ),
                )
            )
    for t in tracks:
        apply_tags(t, 'Naev')
        uses = found.get(t.stem, [])
        if not uses:
            continue
        kinds = collections.Counter(k for k, _ in uses)
        t.kind = sorted(kinds, key=lambda k: (-kinds[k], k))[0]
        same = [p for k, p in uses if k == t.kind]
        t.add('played ' + join_and(same), src)
        for kind in sorted(set(kinds) - {t.kind}):
            phrases = join_and(p for k, p in uses if k == kind)
            if kind in ('ambient', 'combat', 'landing'):
                t.add('also %s %s' % (KIND_NOUN[kind], phrases), src)
            else:
                t.add('also played %s' % phrases, src)
