# SPDX-License-Identifier: LGPL-2.1-or-later
"""SuperTuxKart: which .ogg files are music (the music definitions say),
their titles, and the race tracks, arenas, soccer fields and cutscenes that
play them."""

import collections
import os
import xml.etree.ElementTree as ET

from ..game import Game
from ..tracks import apply_tags
from ..wording import informative, join_and, name_use, such_as

GAME = Game(
    package='supertuxkart-data',
    name='SuperTuxKart',
    # supertuxkart-data: "3D arcade racer"; "Karts. Nitro. Action!"
    style='a 3D arcade kart racer',
    upstream=(('usr/share/games/supertuxkart/data/', 'data/'),),
)


def describe(tracks, root):
    """*.music (XML: title, composer, file, fast-filename) say which .ogg files
    are music; tracks/*/track.xml give each race track's name and .music,
    and whether it is an arena, a soccer field or a cutscene."""
    base = os.path.join(root, 'usr/share/games/supertuxkart/data')
    by_rel = {os.path.relpath(os.path.join(root, t.path), base): t for t in tracks}
    music = {}  # .music basename -> (title, [(ogg rel, fast?)])
    for dirpath, dirnames, files in os.walk(base):
        dirnames.sort()
        for fn in sorted(files):
            if not fn.endswith('.music'):
                continue
            try:
                x = ET.parse(os.path.join(dirpath, fn)).getroot()
            except ET.ParseError:
                continue
            d = os.path.relpath(dirpath, base)
            oggs = (
                [(os.path.normpath(os.path.join(d, x.get('file'))), False)] if x.get('file') else []
            )
            if x.get('fast-filename'):
                oggs.append((os.path.normpath(os.path.join(d, x.get('fast-filename'))), True))
            music[fn] = (x.get('title'), oggs)
    keep = {}
    for fn, (title, oggs) in music.items():
        for rel, fast in oggs:
            if rel in by_rel:
                keep[rel] = (fn, title, fast)
    tracks[:] = [t for rel, t in by_rel.items() if rel in keep]
    uses = collections.defaultdict(list)
    for d in (
        sorted(os.listdir(os.path.join(base, 'tracks')))
        if os.path.isdir(os.path.join(base, 'tracks'))
        else []
    ):
        path = os.path.join(base, 'tracks', d, 'track.xml')
        if not os.path.exists(path):
            continue
        try:
            x = ET.parse(path).getroot()
        except ET.ParseError:
            continue
        if x.get('music'):
            for m in x.get('music').split():
                uses[m].append(
                    (
                        x.get('name') or d,
                        d,
                        x.get('arena') == 'Y',
                        x.get('soccer') == 'Y',
                        x.get('cutscene') == 'Y',
                        x.get('is-during-day'),
                    )
                )
    cutscene_words = {
        'gpwin': 'the Grand Prix victory cutscene',
        'gplose': 'the Grand Prix defeat cutscene',
        'featunlocked': 'the feature-unlocked cutscene',
        'introcutscene': 'the intro cutscene',
        'introcutscene2': 'the intro cutscene',
        'endcutscene': 'the end cutscene',
    }
    for t in tracks:
        rel = os.path.relpath(os.path.join(root, t.path), base)
        mfile, mtitle, fast = keep[rel]
        apply_tags(t, 'SuperTuxKart')
        if informative(mtitle, 'SuperTuxKart'):
            t.title = mtitle
            t.sources.add('music definitions (*.music)')
        if fast:
            t.add(
                "the faster variant ('fast-filename' of %s)" % mfile, 'music definitions (*.music)'
            )
        u = uses.get(mfile, [])
        races = [n for n, d, a, s, c, day in u if not (a or s or c)]
        arenas = [n for n, d, a, s, c, day in u if a]
        soccer = [n for n, d, a, s, c, day in u if s]
        cuts = [cutscene_words.get(d, 'a cutscene') for n, d, a, s, c, day in u if c]
        src = 'race track files (tracks/*/track.xml)'
        where = []
        if races:
            where.append('on %s' % such_as(races, 'race track', limit=3))
        if arenas:
            where.append('in %s' % such_as(arenas, 'battle arena', limit=3))
        if soccer:
            where.append('on %s' % such_as(soccer, 'soccer field', limit=3))
        where += ['in %s' % c for c in dict.fromkeys(cuts)]
        if where:
            t.add('played ' + join_and(where), src)
        nu = name_use(mfile[:-6] + ' ' + t.stem)
        if nu:
            t.kind = nu
            t.sources.add('file name')
        if t.stem in ('race_summary',):
            t.add('played on the race summary screen', 'file name')
