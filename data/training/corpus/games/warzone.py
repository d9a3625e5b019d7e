# SPDX-License-Identifier: LGPL-2.1-or-later
"""Warzone 2100: the albums, titles and game modes of the tracks, from the
album files."""

import json
import os

from ..game import Game
from ..tracks import apply_tags
from ..wording import informative, join_and, name_use

GAME = Game(
    package='warzone2100-music',
    name='Warzone 2100',
    # warzone2100: "3D real time strategy game"; warzone2100-music: "varies
    # between abstract, atmospheric and post-apocalyptic beats, a perfect
    # soundscape for a heated battle with the enemy"
    style='a 3D real-time strategy game whose music varies between abstract, atmospheric '
    'and post-apocalyptic beats',
    upstream=(('usr/share/games/warzone2100/', 'data/'),),
)


def describe(tracks, root):
    """music/albums/*/album.json: album title and description, each track's
    title and the game modes it plays in by default; music/menu.opus by name."""
    base = os.path.join(root, 'usr/share/games/warzone2100/music')
    info = {}
    for album in (
        sorted(os.listdir(os.path.join(base, 'albums')))
        if os.path.isdir(os.path.join(base, 'albums'))
        else []
    ):
        path = os.path.join(base, 'albums', album, 'album.json')
        if not os.path.exists(path):
            continue
        with open(path, encoding='utf-8') as f:
            a = json.load(f)
        for tr in a.get('tracks', []):
            info[os.path.join('albums', album, tr.get('filename', ''))] = (a, tr)
    for t in tracks:
        apply_tags(t, 'Warzone 2100')
        rel = os.path.relpath(os.path.join(root, t.path), base)
        if rel in info:
            a, tr = info[rel]
            src = 'album files (music/albums/*/album.json)'
            if informative(tr.get('title'), 'Warzone 2100'):
                t.title = tr['title']
                t.sources.add(src)
            if a.get('title'):
                t.add("from the album '%s'" % a['title'], src)
            nu = name_use(tr.get('title', '') + ' ' + t.stem)
            if nu:
                t.kind = nu
            modes = tr.get('default_music_modes', [])
            if modes:
                t.add('played in %s games' % join_and(modes), src)
        else:
            nu = name_use(t.stem)
            if nu:
                t.kind = nu
                t.sources.add('file name')
