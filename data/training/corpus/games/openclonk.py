# SPDX-License-Identifier: LGPL-2.1-or-later
"""OpenClonk: where a track plays is in the track itself: its COMMENT tag
lists the situations (day, night, underground, menu ...) that the game picks
it for."""

from ..game import Game
from ..tracks import apply_tags, in_dir
from ..wording import join_and

GAME = Game(
    package='openclonk-data',
    name='OpenClonk',
    # openclonk-data: "a free multiplayer action game ... mainly about
    # mining, settling and fast-paced melees"
    style='a multiplayer action game of mining, settling and fast-paced melees',
    license_rule=(
        'CC-BY-3.0',
        [
            (
                'usr/share/doc/openclonk-data/copyright',
                r'Some files belonging to the game content are licensed under the Creative '
                r'Commons Attribution 3\.0 license\[1\] or the Creative Commons CC0 \(public '
                r'domain\) license\[2\]',
            ),
            (
                'usr/share/games/openclonk/Music.ocg/authors.txt',
                r'If not stated otherwise, the sound effects are licensed under the CC '
                r'Attribution 3\.0 license',
            ),
        ],
    ),
    license_note='The Debian copyright file licenses the game content under CC-BY-3.0 or '
    'CC0 without saying which file has which; the music folder\'s own notice '
    '(Music.ocg/authors.txt, which lists the tracks\' author) gives CC-BY-3.0, the '
    'stricter of the two, which is used here.',
)


# The situations' names, as a scene; the menu ('frontend') is a kind instead.
SITUATIONS = {
    'day': 'daytime',
    'night': 'night',
    'underground': 'underground',
    'underwater': 'underwater',
    'beach': 'beach',
    'frontend': None,
}


def describe(tracks, root):
    """The COMMENT tag lists the situations the game picks a track for."""
    tracks[:] = [t for t in tracks if in_dir(t, 'Music.ocg')]
    for t in tracks:
        # COMMENT holds the situations, not a description.
        apply_tags(t, 'OpenClonk', comment_keys=('DESCRIPTION', 'COMMENTS'))
        situations = []
        for value in t.tags.get('COMMENT', []):
            situations += [s.strip().lower() for s in value.split(';') if s.strip()]
        if 'frontend' in situations:
            t.kind = 'main menu'
            t.sources.add('Vorbis comments (situations)')
        scenes = [
            SITUATIONS.get(s, s) for s in situations if SITUATIONS.get(s, s)
        ]
        if scenes:
            t.add('played in %s scenes' % join_and(scenes), 'Vorbis comments (situations)')
