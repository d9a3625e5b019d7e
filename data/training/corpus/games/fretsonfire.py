# SPDX-License-Identifier: LGPL-2.1-or-later
"""Frets on Fire: the songs of fretsonfire-songs-muldjord, each a song and a
guitar audio file, named by their song files."""

import os
import re

from ..game import Game
from ..tracks import apply_tags
from ..walk import read_text

GAME = Game(
    package='fretsonfire-songs-muldjord',
    name='Frets on Fire',
    # fretsonfire-songs-muldjord: "game of musical skill and fast fingers"
    style='a game of musical skill and fast fingers',
    license_rule=(
        'CC-BY-SA-3.0',
        [
            (
                'usr/share/doc/fretsonfire-songs-muldjord/copyright',
                r'The songs, performances and fret files are all Copyright \(c\) 2009 El '
                r'Senator <elsenator@gmail\.com> and are licenced under the terms of the '
                r'Creative Commons Attribution ShareAlike licence 3\.0',
            ),
        ],
    ),
    # Every track is one of the playable songs.
    noun='song',
)


def describe(tracks, root):
    """songs/muldjord/SONG/song.ini (name, artist) and readme.txt; song.ogg and
    guitar.ogg are the song's two audio tracks."""
    tracks[:] = [t for t in tracks if os.path.basename(t.path) in ('song.ogg', 'guitar.ogg')]
    for t in tracks:
        apply_tags(t, 'Frets on Fire')
        d = os.path.join(root, os.path.dirname(t.path))
        ini = os.path.join(d, 'song.ini')
        if os.path.exists(ini):
            m = re.search(r'^name\s*=\s*(.+)$', read_text(ini), re.M)
            if m:
                t.title = m.group(1).strip()
                t.sources.add('song files (song.ini)')
        readme = os.path.join(d, 'readme.txt')
        if os.path.exists(readme) and 'danish metal band' in read_text(readme):
            t.add('by the Danish metal band Muldjord', 'song files (readme.txt)')
        part = os.path.basename(t.path)
        t.add(
            'the %s audio file of the playable song (%s)'
            % ('guitar' if part == 'guitar.ogg' else 'song', part),
            'song files (song.ini)',
        )
