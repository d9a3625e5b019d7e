# SPDX-License-Identifier: LGPL-2.1-or-later
"""Widelands: the music files are named by their use (ingame_NN, menu,
intro)."""

from ..game import Game
from ..tracks import apply_tags, in_dir

GAME = Game(
    package='widelands-data',
    name='Widelands',
    # widelands-data: "fantasy real-time strategy game"; "you can build
    # yourself an empire ... build up an economic infrastructure"
    style='a fantasy real-time strategy game of building an economy and an empire',
    upstream=(('usr/share/games/widelands/', ''),),
)


def describe(tracks, root):
    """data/music: ingame_NN, menu and intro, by file name."""
    tracks[:] = [t for t in tracks if in_dir(t, 'music')]
    for t in tracks:
        apply_tags(t, 'Widelands')
        prefix = t.stem.split('_')[0]
        if prefix == 'ingame':
            t.kind = 'in-game'
        elif prefix == 'menu':
            t.kind = 'main menu'
        elif prefix == 'intro':
            t.kind = 'intro'
        t.sources.add('file name')
