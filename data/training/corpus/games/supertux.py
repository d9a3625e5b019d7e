# SPDX-License-Identifier: LGPL-2.1-or-later
"""SuperTux: the levels and world maps that play each track, and the worlds
they belong to."""

import collections
import os
import re

from ..game import Game
from ..tracks import apply_tags, in_dir
from ..walk import read_text
from ..wording import humanize, join_and, name_use, such_as

GAME = Game(
    package='supertux-data',
    name='SuperTux',
    # supertux-data: "Classic 2D jump 'n run sidescroller with Tux";
    # "You play the role of Tux the Penguin"
    style="a classic 2D jump 'n run sidescroller with Tux the penguin",
    upstream=(('usr/share/games/supertux2/', 'data/'),),
)


def sexp_strings(text, key):
    found = re.findall(r'\(%s\s+(?:\(_\s*)?"((?:[^"\\]|\\.)*)"' % re.escape(key), text)
    return [re.sub(r'\\(.)', r'\1', f) for f in found]


def describe(tracks, root):
    """music/WORLD/*.music name the .ogg files; levels (.stl) and world maps
    (.stwm) name the .music or .ogg files they play; levels/*/info names the
    worlds."""
    base = os.path.join(root, 'usr/share/games/supertux2')
    tracks[:] = [t for t in tracks if in_dir(t, 'music')]
    by_rel = {os.path.relpath(os.path.join(root, t.path), base): t for t in tracks}
    by_base = collections.defaultdict(list)
    for rel, t in by_rel.items():
        by_base[os.path.basename(rel)].append(t)
    music_to_ogg = {}
    for dirpath, _, files in os.walk(os.path.join(base, 'music')):
        for fn in files:
            if fn.endswith('.music'):
                m = re.search(r'\(file\s+"([^"]+)"', read_text(os.path.join(dirpath, fn)))
                if m:
                    rel = os.path.relpath(os.path.join(dirpath, fn), base)
                    music_to_ogg[rel] = os.path.normpath(
                        os.path.join(os.path.dirname(rel), m.group(1))
                    )

    def resolve(ref):
        ref = ref.lstrip('/')
        ref = music_to_ogg.get(ref, ref)
        if ref in by_rel:
            return by_rel[ref]
        # Old levels name music without its folder.
        b = os.path.basename(music_to_ogg.get(ref, ref))
        for k, v in music_to_ogg.items():
            if os.path.basename(k) == b:
                b = os.path.basename(v)
        cands = by_base.get(b, [])
        return cands[0] if len(cands) == 1 else None

    worlds = {}
    levels_dir = os.path.join(base, 'levels')
    for w in sorted(os.listdir(levels_dir)) if os.path.isdir(levels_dir) else []:
        info = os.path.join(levels_dir, w, 'info')
        if os.path.exists(info):
            titles = sexp_strings(read_text(info), 'title')
            if titles:
                worlds[w] = titles[0]
    levels = collections.defaultdict(list)
    maps = collections.defaultdict(list)
    for dirpath, dirnames, files in os.walk(levels_dir):
        dirnames.sort()
        for fn in sorted(files):
            if not fn.endswith(('.stl', '.stwm')):
                continue
            path = os.path.join(dirpath, fn)
            world_id = os.path.relpath(path, levels_dir).split('/')[0]
            if world_id == 'test':
                continue
            world = worlds.get(world_id)
            text = read_text(path)
            names = sexp_strings(text, 'name')
            name = names[0] if names else humanize(os.path.splitext(fn)[0])
            for ref in re.findall(r'"(/?music/[^"\\]+\.(?:music|ogg))', text):
                t = resolve(ref)
                if not t:
                    continue
                if fn.endswith('.stwm'):
                    maps[t].append(world or name)
                else:
                    levels[t].append((name, world))

    folder_words = {
        'antarctic': 'antarctic',
        'forest': 'forest',
        'castle': 'castle',
        'tropical': 'tropical',
        'retro': 'retro',
    }
    for t in tracks:
        apply_tags(t, 'SuperTux')
        folder = t.path.split('/')[-2]
        if folder in folder_words:
            t.tail = 'from the %s music folder' % folder_words[folder]
            t.sources.add('music folders')
        nu = name_use(t.stem)
        if nu:
            t.kind = nu
            t.sources.add('file name')
        lv = list(dict.fromkeys(levels.get(t, [])))
        if lv:
            ws = [w for w in dict.fromkeys(w for _, w in lv) if w and w != 'Misc']
            t.add(
                'played in %s%s'
                % (
                    such_as([n for n, _ in lv], 'level'),
                    ' (%s %s)'
                    % (
                        'world' if len(ws) == 1 else 'worlds',
                        join_and(ws[:3]) if len(ws) <= 3 else ', '.join(ws[:3]) + ' and others',
                    )
                    if ws
                    else '',
                ),
                'level files (.stl)',
            )
        mp = list(dict.fromkeys(maps.get(t, [])))
        if mp:
            t.add('on the world map of %s' % join_and(mp[:3]), 'world maps (.stwm)')
