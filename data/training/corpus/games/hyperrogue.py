# SPDX-License-Identifier: LGPL-2.1-or-later
"""HyperRogue: the lands that play each track, from the package's land
list."""

import collections
import os
import re

from ..game import Game
from ..tracks import apply_tags, in_dir
from ..walk import read_text
from ..wording import join_and

GAME = Game(
    package='hyperrogue-music',
    name='HyperRogue',
    # hyperrogue-music: "rogue-like but for the fact that it is played on
    # the hyperbolic plane"
    style='a rogue-like game on the hyperbolic plane',
    # hr3-NAME, hr-COMPOSER-NAME: the land list names the tracks better
    file_titles=False,
    upstream=(('usr/share/hyperrogue/', ''),),
)


def describe(tracks, root):
    """hyperrogue-music.txt: '# Land name [NN]' above '[NN] */music/FILE'."""
    tracks[:] = [t for t in tracks if in_dir(t, 'music')]
    lst = os.path.join(root, 'usr/share/hyperrogue/hyperrogue-music.txt')
    lands = collections.defaultdict(list)
    if os.path.exists(lst):
        label = None
        for line in read_text(lst).split('\n'):
            if line.startswith('#'):
                label = line[1:].strip()
                continue
            m = re.match(r'\[(\d+)\]\s+\S*/music/(\S+)', line)
            if m and label:
                if re.search(r'\(unused\)|\(useless\)', label):
                    continue
                name = re.sub(r'\s*\[[\d, >-]*\]\s*', ' ', label)
                name = re.sub(r'\s*\(.*?\)', '', name).strip()
                name = re.sub(r'^old mirror.*', '', name).strip()
                if name and name not in lands[m.group(2)]:
                    lands[m.group(2)].append(name)
            if not line.strip():
                label = None
    for t in tracks:
        apply_tags(t, 'HyperRogue')
        ls = lands.get(os.path.basename(t.path), [])
        if ls:
            t.tail = 'of the %s %s' % (
                'land' if len(ls) == 1 else 'lands',
                join_and(ls[:8]) if len(ls) <= 8 else ', '.join(ls[:8]) + ' and others',
            )
            t.sources.add('land list (hyperrogue-music.txt)')
