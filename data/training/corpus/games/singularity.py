# SPDX-License-Identifier: LGPL-2.1-or-later
"""Endgame: Singularity: the album the tracks name, and the victory and
defeat folders."""

from ..game import Game
from ..tracks import apply_tags, tag

GAME = Game(
    package='singularity-music',
    name='Endgame: Singularity',
    # singularity: "game where one becomes the singularity"
    style='a game where one becomes the singularity',
    license_rule=(
        'CC-BY-SA-3.0',
        [
            (
                'usr/share/doc/singularity-music/copyright',
                r'Copyright \(C\) 2007-2008,2012 Max McCracken',
            ),
            ('usr/share/doc/singularity-music/copyright', r'this License: Attribution, ShareAlike'),
            (
                'usr/share/doc/singularity-music/README',
                r'released under the same BY-SA 3\.0 license',
            ),
        ],
    ),
)


def describe(tracks, root):
    """music/win and music/lose hold the victory and defeat music."""
    for t in tracks:
        apply_tags(t, 'Singularity')
        album = tag(t, 'ALBUM')
        if album:
            t.add("from the album '%s'" % album, 'Vorbis comments')
        folder = t.path.split('/')[-2]
        if folder == 'win':
            t.kind = 'victory'
            t.sources.add('music folders (win/, lose/)')
        elif folder == 'lose':
            t.kind = 'defeat'
            t.sources.add('music folders (win/, lose/)')
        else:
            t.add('played as in-game background music', 'package README')
