#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Describes the training corpus that fetch-corpus.sh unpacked.

Walks ${XDG_CACHE_HOME:-~/.cache}/semblance/corpus/PACKAGE/ (one tree per
Debian package), picks the music tracks (not the sound effects: the game's
music folders or music definitions, and at least 30 s long), and writes one
short English description per track to descriptions.tsv beside this script,
with the track's license, plus SOURCES.md, which says where every part of the
table comes from.

A description is put together from what the packages themselves say about the
track, and nothing else:
  - the Vorbis or Opus comments (TITLE, GENRE, DESCRIPTION, COMMENT, ALBUM);
  - the game's own data that says where the track plays: Wesnoth's scenario
    and campaign files, OpenClonk's situation tags, Hedgewars' themes,
    SuperTux's levels and worlds, Naev's music script, Nexuiz's map files,
    FreedroidRPG's levels and title screens, Colobot's missions, HyperRogue's
    land list, MegaGlest's factions, Warzone 2100's album files,
    SuperTuxKart's tracks, Frets on Fire's song files and 0 A.D.'s
    civilisations and music script;
  - the file's own name where it names a use (menu, intro, win, ...);
  - once per package, the game's genre as Debian's package description states
    it (GAMES below).
The license comes from the package's copyright file: for machine-readable
(DEP-5) files the stanza that covers the track's upstream path, for the others
the wording that LICENSE_RULES looks for. A track whose license is unclear is
left out of the table and listed in a comment line instead.

Standard library only. Run after fetch-corpus.sh: data/training/make-descriptions.py
Output is deterministic (sorted; no dates).
"""

import collections
import fnmatch
import json
import os
import re
import struct
import sys
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(
    os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache'), 'semblance'
)
CORPUS = os.path.join(CACHE, 'corpus')
MIN_SECONDS = 30.0
AUDIO_EXT = ('.ogg', '.oga', '.opus')

# --------------------------------------------------------------------------
# --------------------------------------------------------------------------
# The games. "style" is the game's genre as Debian's package description says
# it, said once per package; the comment above it quotes the description
# (apt-cache show PACKAGE, or the package's own control file) it comes from.
# "upstream" maps the installed path to the path in the upstream source tree
# that the DEP-5 copyright file's "Files:" patterns use. "file_titles": whether
# a track without a TITLE comment may be named after its file.
# --------------------------------------------------------------------------
GAMES = {
    'wesnoth-1.16-music': dict(
        game='The Battle for Wesnoth',
        # wesnoth-1.16: "fantasy turn-based strategy game"
        style='a fantasy turn-based strategy game',
    ),
    'openclonk-data': dict(
        game='OpenClonk',
        # openclonk-data: "a free multiplayer action game ... mainly about
        # mining, settling and fast-paced melees"
        style='a multiplayer action game of mining, settling and fast-paced melees',
        license_note='The Debian copyright file licenses the game content under CC-BY-3.0 or '
        'CC0 without saying which file has which; the music folder\'s own notice '
        '(Music.ocg/authors.txt, which lists the tracks\' author) gives CC-BY-3.0, the '
        'stricter of the two, which is used here.',
    ),
    'hedgewars-data': dict(
        game='Hedgewars',
        # hedgewars: "Funny turn-based artillery game, featuring fighting hedgehogs!"
        style='a funny turn-based artillery game with fighting hedgehogs',
        upstream=[('usr/share/games/hedgewars/Data/', 'share/hedgewars/Data/')],
    ),
    'supertux-data': dict(
        game='SuperTux',
        # supertux-data: "Classic 2D jump 'n run sidescroller with Tux";
        # "You play the role of Tux the Penguin"
        style="a classic 2D jump 'n run sidescroller with Tux the penguin",
        upstream=[('usr/share/games/supertux2/', 'data/')],
    ),
    'naev-data': dict(
        game='Naev',
        # naev-data: "2D space trading and combat game"
        style='a 2D space trading and combat game',
        upstream=[('usr/share/naev/', '')],
    ),
    'singularity-music': dict(
        game='Endgame: Singularity',
        # singularity: "game where one becomes the singularity"
        style='a game where one becomes the singularity',
    ),
    'widelands-data': dict(
        game='Widelands',
        # widelands-data: "fantasy real-time strategy game"; "you can build
        # yourself an empire ... build up an economic infrastructure"
        style='a fantasy real-time strategy game of building an economy and an empire',
        upstream=[('usr/share/games/widelands/', '')],
    ),
    'nexuiz-music': dict(
        game='Nexuiz',
        # nexuiz: "Fast-paced 3D first-person shooter"; nexuiz-music: "a 3d
        # deathmatch game"
        style='a fast-paced 3D deathmatch first-person shooter',
    ),
    'freedroidrpg-data': dict(
        game='FreedroidRPG',
        # freedroidrpg-data: "an RPG with isometric graphics. In it, the player
        # is Tux, who must fight rebelling robots"
        style='an isometric RPG in which Tux fights rebelling robots',
        upstream=[('usr/share/freedroidrpg/', '')],
    ),
    'colobot-common-sounds': dict(
        game='Colobot',
        # colobot-common-sounds: "educational programming strategy game"; "You
        # are playing as an astronaut on a journey with robot helpers to find a
        # planet for colonization"
        style='an educational programming strategy game about an astronaut and robots '
        'colonizing planets',
        upstream=[('usr/share/games/colobot/', 'data/')],
    ),
    'hyperrogue-music': dict(
        game='HyperRogue',
        # hyperrogue-music: "rogue-like but for the fact that it is played on
        # the hyperbolic plane"
        style='a rogue-like game on the hyperbolic plane',
        # hr3-NAME, hr-COMPOSER-NAME: the land list names the tracks better
        file_titles=False,
        upstream=[('usr/share/hyperrogue/', '')],
    ),
    'megaglest-data': dict(
        game='MegaGlest',
        # megaglest: "3D multi-player real time strategy game"
        style='a 3D real-time strategy game',
        upstream=[('usr/share/games/megaglest/', '')],
    ),
    'warzone2100-music': dict(
        game='Warzone 2100',
        # warzone2100: "3D real time strategy game"; warzone2100-music: "varies
        # between abstract, atmospheric and post-apocalyptic beats, a perfect
        # soundscape for a heated battle with the enemy"
        style='a 3D real-time strategy game whose music varies between abstract, atmospheric '
        'and post-apocalyptic beats',
        upstream=[('usr/share/games/warzone2100/', 'data/')],
    ),
    'supertuxkart-data': dict(
        game='SuperTuxKart',
        # supertuxkart-data: "3D arcade racer"; "Karts. Nitro. Action!"
        style='a 3D arcade kart racer',
        upstream=[('usr/share/games/supertuxkart/data/', 'data/')],
    ),
    'fretsonfire-songs-muldjord': dict(
        game='Frets on Fire',
        # fretsonfire-songs-muldjord: "game of musical skill and fast fingers"
        style='a game of musical skill and fast fingers',
    ),
    '0ad-data': dict(
        game='0 A.D.',
        # 0ad-data: "real-time strategy (RTS) game of ancient warfare. In
        # short, it is a historically-based war/economy game"
        style='a historical real-time strategy game of ancient warfare',
        upstream=[('usr/share/games/0ad/mods/public/', 'binaries/data/mods/public/')],
    ),
}

# Copyright files that are not machine-readable: every (file, wording) pair
# must be found (whitespace is normalised) for the license to be given;
# otherwise the package's tracks are NOASSERTION. The wording is quoted in
# SOURCES.md.
LICENSE_RULES = {
    'wesnoth-1.16-music': (
        'GPL-2.0-or-later',
        [
            (
                'usr/share/doc/wesnoth-1.16-music/copyright',
                r'GNU General Public License version 2 or at your option any later version',
            ),
        ],
    ),
    'openclonk-data': (
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
    'singularity-music': (
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
    'nexuiz-music': (
        'GPL-2.0-or-later',
        [
            (
                'usr/share/doc/nexuiz-music/copyright',
                r'under the terms of the GNU General Public License as published by the Free '
                r'Software Foundation; either version 2 of the License, or \(at your option\) '
                r'any later version',
            ),
        ],
    ),
    'fretsonfire-songs-muldjord': (
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
}

# DEP-5 short names (Debian's spelling) to SPDX ids. A name that is not here
# (for example "GPL" or "CC-BY-SA" without a version) is unclear.
SPDX = {
    'GPL-2': 'GPL-2.0-only',
    'GPL-2+': 'GPL-2.0-or-later',
    'GPL-3': 'GPL-3.0-only',
    'GPL-3+': 'GPL-3.0-or-later',
    'LGPL-2.1': 'LGPL-2.1-only',
    'LGPL-2.1+': 'LGPL-2.1-or-later',
    'CC-BY-3.0': 'CC-BY-3.0',
    'CC-BY-4.0': 'CC-BY-4.0',
    'CC-BY-SA-3.0': 'CC-BY-SA-3.0',
    'CC-BY-SA-4.0': 'CC-BY-SA-4.0',
    'CC0': 'CC0-1.0',
    'CC0-1.0': 'CC0-1.0',
    'public-domain': None,
}

# Genre tags as written in the files, lower-cased, where they need a word of
# help: misspellings, abbreviations, and tags that say nothing about the style.
GENRE_FIX = {
    'trash metal': 'thrash metal',
    'dnb': 'drum and bass',
    'vgm': None,
    'game': None,
    'game soundtrack': None,
    'game music': None,
    'soundtrack': None,
    'widelands': None,
    'other': None,
    '': None,
}

# Comment tags that are boilerplate rather than a description.
BOILERPLATE = re.compile(
    r'https?:|www\.|@|bonkenc|processed by sox|creative ?commons|cc-by|'
    r'copyright|licen[sc]e|jamendo|encoded|^composed for|^composes for|'
    r'voice acting|^lo-fi version',
    re.I,
)


# --------------------------------------------------------------------------
# Ogg (Vorbis, Opus) in pure Python: identification and comment headers from
# the first pages, the length from the granule position of the last page.
# --------------------------------------------------------------------------
def ogg_packets(f, want):
    """The first `want` packets of the first logical stream."""
    packets, cur, serial = [], b'', None
    while len(packets) < want:
        head = f.read(27)
        if len(head) < 27 or head[:4] != b'OggS':
            break
        nseg = head[26]
        lacing = f.read(nseg)
        body = f.read(sum(lacing))
        page_serial = struct.unpack('<I', head[14:18])[0]
        if serial is None:
            serial = page_serial
        if page_serial != serial:
            continue
        pos = 0
        for lace in lacing:
            cur += body[pos : pos + lace]
            pos += lace
            if lace < 255:
                packets.append(cur)
                cur = b''
                if len(packets) == want:
                    break
    return packets, serial


def ogg_last_granule(f, size, serial):
    back = 1 << 16
    while True:
        start = max(0, size - back)
        f.seek(start)
        buf = f.read(size - start)
        i = buf.rfind(b'OggS')
        while i >= 0:
            if i + 27 <= len(buf) and struct.unpack('<I', buf[i + 14 : i + 18])[0] == serial:
                granule = struct.unpack('<q', buf[i + 6 : i + 14])[0]
                if granule >= 0:
                    return granule
            i = buf.rfind(b'OggS', 0, i)
        if start == 0:
            return None
        back *= 4


def ogg_info(path):
    """(seconds, {KEY: [values]}) or None when the file is no Vorbis/Opus."""
    with open(path, 'rb') as f:
        packets, serial = ogg_packets(f, 2)
        if len(packets) < 2:
            return None
        ident, comment = packets
        if ident[:7] == b'\x01vorbis' and comment[:7] == b'\x03vorbis':
            rate, preskip, body = struct.unpack('<I', ident[12:16])[0], 0, comment[7:]
        elif ident[:8] == b'OpusHead' and comment[:8] == b'OpusTags':
            rate, preskip, body = 48000, struct.unpack('<H', ident[10:12])[0], comment[8:]
        else:
            return None
        tags = collections.OrderedDict()
        try:
            n = struct.unpack('<I', body[:4])[0]
            pos = 4 + n
            count = struct.unpack('<I', body[pos : pos + 4])[0]
            pos += 4
            for _ in range(count):
                n = struct.unpack('<I', body[pos : pos + 4])[0]
                pos += 4
                text = body[pos : pos + n].decode('utf-8', 'replace')
                pos += n
                if '=' in text:
                    key, value = text.split('=', 1)
                    value = ' '.join(value.split())
                    if value:
                        tags.setdefault(key.strip().upper(), []).append(value)
        except struct.error:
            pass
        granule = ogg_last_granule(f, os.path.getsize(path), serial)
    if granule is None or rate == 0:
        return None
    return max(0.0, (granule - preskip) / rate), tags


# --------------------------------------------------------------------------
# Copyright files.
# --------------------------------------------------------------------------
def read_text(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        return f.read()


def dep5_paragraphs(text):
    """[(fields{name: value}, raw text)] of a machine-readable copyright file."""
    paras = []
    for raw in re.split(r'\n[ \t]*\n', text):
        fields, last = {}, None
        for line in raw.split('\n'):
            if line[:1] in (' ', '\t') and last:
                fields[last] += '\n' + line.strip()
            elif ':' in line and not line.startswith('#'):
                last, value = line.split(':', 1)
                last = last.strip()
                fields[last] = value.strip()
        if fields:
            paras.append((fields, raw))
    return paras


def dep5_stanza(paras, upstream_path):
    """The last Files stanza whose patterns match (DEP-5: last match wins)."""
    found = None
    for fields, raw in paras:
        if 'Files' not in fields:
            continue
        for pattern in fields['Files'].split():
            pattern = pattern[2:] if pattern.startswith('./') else pattern
            if fnmatch.fnmatchcase(upstream_path, pattern):
                found = (fields, raw)
                break
    return found


def spdx_expression(license_field):
    """SPDX expression of a DEP-5 License line, or None when it is unclear.
    Of alternatives ("or") the clear ones are kept, since any one may be
    chosen; all parts of a conjunction ("and") must be clear."""
    first = license_field.split('\n')[0].strip()
    alternatives = []
    for alt in re.split(r'\s+or\s+', first, flags=re.I):
        parts = [SPDX.get(p.strip()) for p in re.split(r'\s+and\s+', alt, flags=re.I)]
        if parts and all(parts):
            alternatives.append(' AND '.join(parts))
    return ' OR '.join(alternatives) if alternatives else None


class License:
    def __init__(self, pkg, root):
        self.pkg, self.root = pkg, root
        self.copyright = os.path.join(root, 'usr/share/doc', pkg, 'copyright')
        self.text = read_text(self.copyright) if os.path.exists(self.copyright) else ''
        self.dep5 = (
            self.text.startswith('Format:') and 'copyright-format' in self.text.split('\n')[0]
        )
        self.paras = dep5_paragraphs(self.text) if self.dep5 else []
        self.evidence = collections.OrderedDict()  # wording -> spdx, for SOURCES.md
        self.catch_all = set()  # tracks that only the "Files: *" stanza covers

    def of(self, relpath):
        """(spdx or 'NOASSERTION', reason)"""
        if not self.text:
            return 'NOASSERTION', 'no copyright file'
        if self.pkg in LICENSE_RULES:
            spdx, rules = LICENSE_RULES[self.pkg]
            quotes = []
            for rel, pattern in rules:
                path = os.path.join(self.root, rel)
                text = ' '.join(read_text(path).split()) if os.path.exists(path) else ''
                m = re.search(pattern, text)
                if not m:
                    return 'NOASSERTION', 'wording not found in ' + rel
                quotes.append(
                    '%s: "%s"' % (rel.split('/')[-1] if 'doc/' in rel else rel, m.group(0))
                )
            self.evidence['; '.join(quotes)] = spdx
            return spdx, ''
        if not self.dep5:
            return 'NOASSERTION', 'copyright file is not machine-readable and has no rule here'
        upstream = relpath
        for inst, src in GAMES[self.pkg].get('upstream', []):
            if relpath.startswith(inst):
                upstream = src + relpath[len(inst) :]
        stanza = dep5_stanza(self.paras, upstream)
        if not stanza:
            return 'NOASSERTION', 'no Files stanza covers ' + upstream
        fields, _ = stanza
        spdx = spdx_expression(fields.get('License', ''))
        files = ' '.join(fields['Files'].split())
        if len(files) > 120:
            files = files[:117] + '...'
        holders = ' '.join(fields.get('Copyright', '').split())
        if len(holders) > 150:
            holders = holders[:147] + '...'
        wording = 'Files: %s / Copyright: %s / License: %s' % (
            files,
            holders,
            fields.get('License', '').split('\n')[0],
        )
        if fields['Files'].split() == ['*']:
            self.catch_all.add(relpath)
        if not spdx:
            self.evidence[wording] = 'NOASSERTION'
            return 'NOASSERTION', 'unclear license "%s"' % fields.get('License', '').split('\n')[0]
        self.evidence[wording] = spdx
        return spdx, ''


# --------------------------------------------------------------------------
# Tracks and their facts.
# --------------------------------------------------------------------------
class Track:
    def __init__(self, pkg, root, relpath, seconds, tags):
        self.pkg, self.root, self.path = pkg, root, relpath
        self.seconds, self.tags = seconds, tags
        self.title = None  # a title that says something
        self.genre = None
        self.kind = None  # what sort of music: 'battle', 'main menu', ...
        self.tail = None  # words after the head noun ('of the Desert theme')
        self.phrases = []  # where and when it plays, in words
        self.notes = []  # descriptive comments of the file itself
        self.sources = set()  # which kinds of evidence were used

    @property
    def stem(self):
        return os.path.splitext(os.path.basename(self.path))[0]

    def add(self, phrase, source):
        if phrase and phrase not in self.phrases:
            self.phrases.append(phrase)
            self.sources.add(source)


def tag(track, key):
    """The single value of a tag; None when absent or contradictory."""
    values = list(dict.fromkeys(track.tags.get(key, [])))
    return values[0] if len(values) == 1 else None


def words(s):
    """Lower-case words of a name: camelCase, snake_case, kebab-case split."""
    s = re.sub(r'([a-z])([A-Z])', r'\1 \2', s)
    return [w for w in re.split(r'[^A-Za-z]+', s.lower()) if w]


def humanize(name):
    s = re.sub(r'([a-z])([A-Z])', r'\1 \2', name)
    s = re.sub(r'([A-Za-z])(\d)', r'\1 \2', s)
    s = re.sub(r'[_-]+', ' ', s)
    return ' '.join(s.split())


GENERIC_NAME_WORDS = {
    'music',
    'track',
    'song',
    'ingame',
    'sound',
    'the',
    'of',
    'guitar',
    'fof',
    'rhythm',
    'mp',
    'ogg',
    'enhanced',
    'a',
    'old',
    'version',
    'milestone',
    'remix',
    'mix',
    'cut',
    'short',
    'v',
    'hr',
}


def informative(title, game):
    """Whether a title says more than "track 3" or the game's name."""
    if not title:
        return False
    skip = GENERIC_NAME_WORDS | set(words(game)) | {'fof', 'elysis'}
    return any(len(w) > 2 and w not in skip for w in words(title))


def clean_title(title, artist=None):
    title = re.sub(r'\.(mp3|ogg|wav)$', '', title.strip(), flags=re.I)
    title = re.sub(r'^\d+\s*-\s*', '', title)  # "06 - name"
    title = re.sub(
        r'\s*\((fof (guitar|rhythm)|qubodup cut|milestone 2 version|with kind permission[^)]*)\)',
        '',
        title,
        flags=re.I,
    )
    m = re.match(r'([A-Za-z]+)-(.+)$', title)  # "artist-title"
    if m and artist and m.group(1).lower() in artist.lower():
        title = m.group(2)
    return title.strip(' -_')


def tag_title(track):
    """TITLE; of several, the one that contains the others, else none."""
    values = list(dict.fromkeys(track.tags.get('TITLE', [])))
    if not values:
        return None
    longest = max(values, key=len)
    if all(v.lower() in longest.lower() for v in values):
        return longest
    return None


def apply_tags(track, game):
    """TITLE, GENRE and descriptive comments."""
    title = tag_title(track)
    if title:
        title = clean_title(title, ' '.join(track.tags.get('ARTIST', [])))
    if informative(title, game):
        track.title = humanize(title) if '_' in title else title
        track.sources.add('Vorbis comments')
    genre = tag(track, 'GENRE')
    if genre:
        g = genre.strip().lower()
        g = GENRE_FIX.get(g, g)
        if g:
            track.genre = g
            track.sources.add('Vorbis comments')
    for key in ('DESCRIPTION', 'COMMENT', 'COMMENTS'):
        for value in dict.fromkeys(track.tags.get(key, [])):
            value = value.strip().rstrip('.')
            if len(value) < 4 or BOILERPLATE.search(value) or value == title:
                continue
            if track.pkg == 'openclonk-data' and key == 'COMMENT':
                continue  # situations, read by describe_openclonk
            if value not in track.notes:
                track.notes.append(value[0].lower() + value[1:] if value[:2].istitle() else value)
                track.sources.add('Vorbis comments')


# Words of a file name that name a use. Applied where the package names its
# files by use (see the describers).
NAME_USES = [
    ({'menu', 'menutheme', 'mainmenu'}, 'main menu'),
    ({'intro'}, 'intro'),
    ({'credits'}, 'credits'),
    ({'boss', 'bossattack', 'treeboss'}, 'boss fight'),
    ({'win', 'victory'}, 'victory'),
    ({'lose', 'defeat'}, 'defeat'),
]


def name_use(name):
    ws = set(words(name))
    for keys, use in NAME_USES:
        if ws & keys:
            return use
    return None


def join_and(items):
    items = list(items)
    if len(items) <= 1:
        return ''.join(items)
    return ', '.join(items[:-1]) + ' and ' + items[-1]


def plural(n, word, words_=None):
    return '%d %s' % (n, word if n == 1 else (words_ or word + 's'))


def such_as(items, one, many=None, limit=2, fmt="'%s'"):
    """'the level 'A'', 'the levels 'A' and 'B'', '7 levels such as 'A' and 'B''."""
    items = list(dict.fromkeys(items))
    many = many or one + 's'
    if len(items) == 1:
        return 'the %s %s' % (one, fmt % items[0])
    if len(items) <= limit:
        return 'the %s %s' % (many, join_and(fmt % i for i in items))
    return '%d %s such as %s' % (len(items), many, join_and(fmt % i for i in items[:limit]))


# --------------------------------------------------------------------------
# The packages' describers: each gets the package's tracks (already read) and
# the corpus root, fills in the facts, and drops the tracks that are not music.
# --------------------------------------------------------------------------
COMPANIONS = collections.defaultdict(set)  # music package -> game data packages read


def companion(pkg, music_pkg):
    """The tree of a package that only holds game data for another one's
    music; warns when fetch-corpus.sh has not unpacked it."""
    root = os.path.join(CORPUS, pkg)
    COMPANIONS[music_pkg].add(pkg)
    if not os.path.exists(os.path.join(root, '.fetched')):
        print(
            'make-descriptions: warning: %s is not fetched; its game data will be missing '
            'from the descriptions' % pkg,
            file=sys.stderr,
        )
    return root


def in_dir(track, *names):
    parts = track.path.split('/')[:-1]
    return any(n in parts for n in names)


def describe_wesnoth(tracks, root):
    """Scenario and campaign files of wesnoth-1.16-data and the campaign
    packages: which scenarios play a track as their main music, in their
    playlist, in their story introduction or during events, and whether those
    scenarios are underground or at night."""
    tracks[:] = [t for t in tracks if in_dir(t, 'music')]
    by_name = {os.path.basename(t.path): t for t in tracks}
    base = 'usr/share/games/wesnoth/1.16/data'
    companion('wesnoth-1.16-data', 'wesnoth-1.16-music')
    trees = sorted(d for d in os.listdir(CORPUS) if d.startswith('wesnoth-1.16-'))
    for d in trees:
        if d != 'wesnoth-1.16-music':
            companion(d, 'wesnoth-1.16-music')

    def cfg_files():
        for d in trees:
            top = os.path.join(CORPUS, d, base)
            for dirpath, dirnames, filenames in os.walk(top):
                dirnames.sort()
                for fn in sorted(filenames):
                    if fn.endswith('.cfg'):
                        yield os.path.join(dirpath, fn), os.path.relpath(
                            os.path.join(dirpath, fn), top
                        )

    campaigns = {}
    for path, rel in cfg_files():
        m = re.match(r'campaigns/([^/]+)/_main\.cfg$', rel)
        if m:
            c = re.search(r'\[campaign\].*?\bname\s*=\s*_?\s*"([^"]+)"', read_text(path), re.S)
            if c:
                campaigns[m.group(1)] = c.group(1)

    uses = collections.defaultdict(
        lambda: collections.defaultdict(list)
    )  # track -> role -> [(scenario, campaign, flags)]
    ogg = re.compile(r'([A-Za-z0-9_-]+\.ogg)')
    for path, rel in cfg_files():
        m = re.match(r'(campaigns/([^/]+)/scenarios/|multiplayer/scenarios/)', rel)
        if not m:
            continue
        campaign = (
            campaigns.get(m.group(2), humanize(m.group(2) or '')) if m.group(2) else 'multiplayer'
        )
        stack, name, event, flags, found = [], None, None, set(), []
        default_schedule = False
        night = False
        for line in read_text(path).split('\n'):
            s = line.strip()
            if s.startswith('#') or not s:
                continue
            o = re.match(r'\[\+?([a-z_]+)\]', s)
            c = re.match(r'\[/([a-z_]+)\]', s)
            if o:
                stack.append(o.group(1))
                if o.group(1) == 'event':
                    event = None
                continue
            if c:
                if stack:
                    stack.pop()
                continue
            depth1 = len(stack) == 1 and stack[0] in ('scenario', 'multiplayer')
            if depth1 and name is None:
                n = re.match(r'name\s*=\s*_\s*"([^"]+)"', s)
                if n:
                    name = n.group(1)
            if stack and stack[-1] == 'event' and event is None:
                e = re.match(r'name\s*=\s*"?([^"#]+)"?', s)
                if e:
                    event = e.group(1).strip().split(',')[0].strip()
            inside = (
                'event'
                if 'event' in stack
                else ('story' if 'story' in stack or 'part' in stack else 'top')
            )
            for macro, args in re.findall(r'\{([A-Z_]+)\s*([^{}]*)\}', s):
                names = ogg.findall(args)
                if macro in ('UNDERGROUND', 'DEEP_UNDERGROUND') and depth1:
                    flags.add('underground')
                elif macro.startswith('DEFAULT_SCHEDULE') or macro.endswith('_SCHEDULE'):
                    default_schedule = True
                elif macro in ('FIRST_WATCH', 'SECOND_WATCH') and depth1:
                    night = True
                elif macro == 'SCENARIO_MUSIC' and names:
                    found.append((names[0], 'main', None))
                elif macro == 'INTRO_AND_SCENARIO_MUSIC' and len(names) >= 2:
                    found.append((names[0], 'intro', None))
                    found.append((names[1], 'main', None))
                elif macro in ('EXTRA_SCENARIO_MUSIC', 'APPEND_MUSIC'):
                    found += [(n, 'playlist', None) for n in names]
                elif macro in (
                    'INCIDENTAL_MUSIC',
                    'REPLACE_SCENARIO_MUSIC',
                    'MUSIC',
                    'INTRO_MUSIC',
                ):
                    role = (
                        'intro'
                        if macro == 'INTRO_MUSIC' or inside == 'story'
                        else ('event' if inside == 'event' else 'playlist')
                    )
                    found += [(n, role, event) for n in names]
            k = re.match(r'(victory_music|defeat_music|music|name)\s*=\s*"?([^"#]*)', s)
            if k:
                key, value = k.groups()
                names = ogg.findall(value)
                if key in ('victory_music', 'defeat_music'):
                    found += [(n, key.split('_')[0], None) for n in names]
                elif key == 'music' and inside == 'story':
                    found += [(n, 'intro', None) for n in names]
                elif key == 'name' and stack and stack[-1] == 'music':
                    role = (
                        'event'
                        if inside == 'event'
                        else ('intro' if inside == 'story' else 'playlist')
                    )
                    found += [(n, role, event) for n in names]
        if night and not default_schedule:
            flags.add('night')
        scenario = name or humanize(os.path.splitext(os.path.basename(rel))[0])
        for n, role, ev in found:
            if n in by_name:
                uses[n][role].append((scenario, campaign, frozenset(flags), ev))

    # The playlists of the game itself.
    def macro_body(text, name):
        m = re.search(r'#define %s\b(.*?)#enddef' % name, text, re.S)
        return m.group(1) if m else ''

    sound_utils = os.path.join(CORPUS, 'wesnoth-1.16-data', base, 'core/macros/sound-utils.cfg')
    default_playlist = (
        set(ogg.findall(macro_body(read_text(sound_utils), 'DEFAULT_MUSIC_PLAYLIST_NO_EVENT')))
        if os.path.exists(sound_utils)
        else set()
    )
    core_main = os.path.join(CORPUS, 'wesnoth-1.16-data', base, 'core/_main.cfg')
    title_screen = set()
    if os.path.exists(core_main):
        m = re.search(
            r'\[titlescreen_music\](.*?)\[/titlescreen_music\]', read_text(core_main), re.S
        )
        if m:
            title_screen = set(ogg.findall(re.sub(r'\{[A-Z_]+\}', '', m.group(1))))
    game_config = os.path.join(CORPUS, 'wesnoth-1.16-data', base, 'game_config.cfg')
    title_music = set()
    if os.path.exists(game_config):
        m = re.search(r'title_music\s*=\s*"([^"]*)"', read_text(game_config))
        if m:
            title_music = set(ogg.findall(m.group(1)))

    event_words = {
        'last breath': "at a character's last breath",
        'last_breath': "at a character's last breath",
        'die': 'when a character dies',
        'victory': 'at victory',
        'enemies defeated': 'when the enemies are defeated',
        'time over': 'when time runs out',
        'defeat': 'at defeat',
    }
    src = 'scenario files (.cfg)'
    for t in tracks:
        apply_tags(t, 'Wesnoth')
        n = os.path.basename(t.path)
        if n in title_music:
            t.kind = 'title screen'
            t.sources.add('game configuration (game_config.cfg)')
        elif n in title_screen:
            t.add('played at the title screen', 'game configuration (core/_main.cfg)')
        u = uses.get(n, {})
        main = sorted(
            set((s, c, f) for s, c, f, _ in u.get('main', [])),
            key=lambda x: (not x[2], x[1] == 'multiplayer', x[1], x[0]),
        )
        if main:
            under = sum('underground' in f for _, _, f in main)
            night = sum('night' in f for _, _, f in main)
            extra = []
            if under:
                extra.append('%d underground' % under)
            if night:
                extra.append('%d at night' % night)
            names = [
                "'%s' (%s)" % (s, c if c != 'multiplayer' else 'a multiplayer map')
                for s, c, _ in main
            ]
            if len(main) == 1:
                t.add(
                    'main theme of the scenario %s%s'
                    % (names[0], ', underground' if under else ', at night' if night else ''),
                    src,
                )
            else:
                t.add(
                    'main theme of %d scenarios%s such as %s'
                    % (len(main), ' (%s)' % ', '.join(extra) if extra else '', join_and(names[:2])),
                    src,
                )
        intro = set((s, c) for s, c, _, _ in u.get('intro', []))
        if intro:
            t.add('behind the story introduction of %s' % plural(len(intro), 'scenario'), src)
        evs = collections.Counter()
        for s, c, f, ev in u.get('event', []):
            phrase = event_words.get((ev or '').lower())
            if phrase:
                evs[phrase] += 1
        for phrase, count in sorted(evs.items(), key=lambda x: (-x[1], x[0])):
            t.add('%s in %s' % (phrase, plural(count, 'scenario')), src)
        for role in ('victory', 'defeat'):
            if u.get(role):
                t.add(
                    'played at %s in %s'
                    % (role, such_as([s for s, _, _, _ in u[role]], 'scenario')),
                    src,
                )
        pl = set((s, c) for s, c, _, _ in u.get('playlist', [])) - set((s, c) for s, c, _ in main)
        if pl and not main:
            t.add('in the playlists of %s' % plural(len(pl), 'scenario'), src)
        if n in default_playlist and not main:
            t.add(
                'in the default in-game playlist',
                'game configuration (core/macros/sound-utils.cfg)',
            )


OPENCLONK_SITUATIONS = {
    'day': 'daytime',
    'night': 'night',
    'underground': 'underground',
    'underwater': 'underwater',
    'beach': 'beach',
    'frontend': None,
}


def describe_openclonk(tracks, root):
    """The COMMENT tag lists the situations the game picks a track for."""
    tracks[:] = [t for t in tracks if in_dir(t, 'Music.ocg')]
    for t in tracks:
        apply_tags(t, 'OpenClonk')
        situations = []
        for value in t.tags.get('COMMENT', []):
            situations += [s.strip().lower() for s in value.split(';') if s.strip()]
        if 'frontend' in situations:
            t.kind = 'main menu'
            t.sources.add('Vorbis comments (situations)')
        scenes = [
            OPENCLONK_SITUATIONS.get(s, s) for s in situations if OPENCLONK_SITUATIONS.get(s, s)
        ]
        if scenes:
            t.add('played in %s scenes' % join_and(scenes), 'Vorbis comments (situations)')


def describe_hedgewars(tracks, root):
    """Themes/NAME/theme.cfg: music = (the theme's music) and sd-music = (its
    Sudden Death music, the game mode that Locale/en.txt calls 'Sudden Death')."""
    tracks[:] = [t for t in tracks if in_dir(t, 'Music')]
    # Music/credits.txt: FILE=AUTHOR [- "TITLE" ...]
    credited = {}
    credits = os.path.join(root, 'usr/share/games/hedgewars/Data/Music/credits.txt')
    for line in read_text(credits).split('\n') if os.path.exists(credits) else []:
        m = re.match(r'([^=]+)=.*?"([^"]+)"', line)
        if m:
            credited[m.group(1).strip().lower()] = m.group(2)
    themes = collections.defaultdict(lambda: collections.defaultdict(list))
    top = os.path.join(root, 'usr/share/games/hedgewars/Data/Themes')
    for theme in sorted(os.listdir(top)) if os.path.isdir(top) else []:
        cfg = os.path.join(top, theme, 'theme.cfg')
        if not os.path.exists(cfg):
            continue
        for line in read_text(cfg).split('\n'):
            m = re.match(r'\s*(music|sd-music)\s*=\s*(\S+)', line)
            if m:
                themes[m.group(2).lower()][m.group(1)].append(humanize(theme))
    for t in tracks:
        apply_tags(t, 'Hedgewars')
        if not t.title and os.path.basename(t.path).lower() in credited:
            t.title = credited[os.path.basename(t.path).lower()]
            t.sources.add('music credits (Music/credits.txt)')
        use = themes.get(os.path.basename(t.path).lower(), {})
        src = 'theme files (Themes/*/theme.cfg)'
        themes_of = lambda key: '%s %s' % (
            join_and(use[key]),
            'theme' if len(use[key]) == 1 else 'themes',
        )
        if use.get('music'):
            t.tail = 'of the %s' % themes_of('music')
            t.sources.add(src)
            if use.get('sd-music'):
                t.add('also the Sudden Death music of the %s' % themes_of('sd-music'), src)
        elif use.get('sd-music'):
            t.kind = 'sudden death'
            t.tail = 'of the %s' % themes_of('sd-music')
            t.sources.add(src)
        if not use:
            nu = name_use(t.stem)
            if t.stem.lower() == 'sdmusic':
                t.kind = 'sudden death'
                t.sources.add('file name')
            elif t.stem.lower() == 'main_theme':
                t.kind = 'main theme'
                t.sources.add('file name')
            elif nu:
                t.kind = nu
                t.sources.add('file name')


def sexp_strings(text, key):
    found = re.findall(r'\(%s\s+(?:\(_\s*)?"((?:[^"\\]|\\.)*)"' % re.escape(key), text)
    return [re.sub(r'\\(.)', r'\1', f) for f in found]


def describe_supertux(tracks, root):
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


def describe_naev(tracks, root):
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


def describe_singularity(tracks, root):
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


def describe_widelands(tracks, root):
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


def describe_nexuiz(tracks, root):
    """defaultNexuiz.cfg maps cdtrack numbers to files (g_cdtracks_remaplist)
    and names the menu track; maps/*.mapinfo give each map's title,
    description and cdtrack."""
    tracks[:] = [t for t in tracks if in_dir(t, 'cdtracks')]
    data = os.path.join(companion('nexuiz-data', 'nexuiz-music'), 'usr/share/games/nexuiz/data')
    cfg = os.path.join(data, 'defaultNexuiz.cfg')
    text = read_text(cfg) if os.path.exists(cfg) else ''
    m = re.search(r'set g_cdtracks_remaplist "([^"]*)"', text)
    remap = m.group(1).split() if m else []
    m = re.search(r'set menu_cdtrack (\S+)', text)
    menu = m.group(1).strip('"') if m else None
    maps = collections.defaultdict(list)
    mapdir = os.path.join(data, 'maps')
    for fn in sorted(os.listdir(mapdir)) if os.path.isdir(mapdir) else []:
        if not fn.endswith('.mapinfo'):
            continue
        info = {}
        for line in read_text(os.path.join(mapdir, fn)).split('\n'):
            k = line.split(' ', 1)
            if len(k) == 2 and k[0] in ('title', 'description', 'cdtrack'):
                info[k[0]] = k[1].strip()
        try:
            n = int(info.get('cdtrack', ''))
        except ValueError:
            continue
        title = info.get('title', '')
        if not (1 <= n <= len(remap)) or not title or '<' in title:
            continue
        maps[remap[n - 1]].append((title, info.get('description', '').strip().rstrip('.')))
    for t in tracks:
        apply_tags(t, 'Nexuiz')
        if t.stem == menu:
            t.kind = 'main menu'
            t.sources.add('game configuration (defaultNexuiz.cfg)')
        ms = maps.get(t.stem, [])
        if ms:
            shown = []
            for title, desc in ms[:2]:
                if any(w in desc.lower() for w in words(title) if len(w) > 3):
                    desc = ''  # "Remake of basement", "Aggressor retextured by ..."
                if re.match(r'[A-Z][a-z]+\b', desc):
                    desc = desc[0].lower() + desc[1:]
                shown.append("'%s' (%s)" % (title, desc) if desc else "'%s'" % title)
            more = len(ms) - len(shown)
            t.add(
                'played on the %s %s%s'
                % (
                    'map' if len(ms) == 1 else 'maps',
                    join_and(shown),
                    ' and %s more' % more if more > 0 else '',
                ),
                'map files (maps/*.mapinfo)',
            )


def describe_freedroid(tracks, root):
    """levels.dat: each level's name and BgSong; titles/*.lua: the songs of the
    title, credits and end screens."""
    tracks[:] = [t for t in tracks if in_dir(t, 'music')]
    base = os.path.join(root, 'usr/share/freedroidrpg/data')
    levels = collections.defaultdict(list)
    screens = collections.defaultdict(list)
    for dirpath, dirnames, files in os.walk(base):
        dirnames.sort()
        for fn in sorted(files):
            path = os.path.join(dirpath, fn)
            if fn == 'levels.dat':
                name = None
                for line in read_text(path).split('\n'):
                    m = re.match(r'Name of this level=_?"(.*)"', line)
                    if m:
                        name = m.group(1)
                    m = re.match(r'BgSong=(\S+)', line)
                    if m and name:
                        levels[m.group(1)].append(name)
                        name = None
            elif fn.endswith('.lua') and os.path.basename(dirpath) == 'titles':
                m = re.search(r'\bsong\s*=\s*"([^"]+)"', read_text(path))
                if m:
                    screens[m.group(1)].append(os.path.splitext(fn)[0])
    screen_words = {
        'StartOfGame': 'the opening story',
        'EndOfGame': 'the end of the game',
        'GameLost': 'the game-over screen',
        'Credits': 'the credits',
        'EndOfAct': 'the end of the first act',
        'Contribute': 'the contribute screen',
        'Controls': 'the controls screen',
        'TakeoverInstructions': 'the takeover instructions',
        'level_editor_help': 'the level editor help',
    }
    for t in tracks:
        apply_tags(t, 'FreedroidRPG')
        fn = os.path.basename(t.path)
        lv = [
            n
            for n in dict.fromkeys(levels.get(fn, []))
            if not re.search(r'debug|empty map|test', n, re.I)
        ]
        if lv:
            t.add('played in %s' % such_as(lv, 'area', limit=3), 'level data (levels.dat)')
        sc = [screen_words.get(s, humanize(s)) for s in screens.get(fn, [])]
        if sc:
            t.add('behind %s' % join_and(sc), 'title screens (titles/*.lua)')
        nu = name_use(t.stem)
        if nu:
            t.kind = nu
            t.sources.add('file name')


def describe_colobot(tracks, root):
    """levels/*/chapterNNN/levelNNN/scene.txt: Audio/AudioChange filename=,
    the level's English title (Title.E) and its chapter's title; levels/other:
    win*.txt and lost*.txt, the victory and defeat scenes."""
    tracks[:] = [t for t in tracks if in_dir(t, 'music')]
    levels_dir = os.path.join(
        companion('colobot-common', 'colobot-common-sounds'), 'usr/share/games/colobot/levels'
    )
    uses = collections.defaultdict(list)
    other = collections.defaultdict(set)
    kinds = {
        'missions': 'mission',
        'free': 'free game',
        'plus': 'bonus level',
        'exercises': 'exercise',
        'challenges': 'challenge',
        'battles': 'battle',
    }
    for dirpath, dirnames, files in os.walk(levels_dir):
        dirnames.sort()
        for fn in sorted(files):
            if not fn.endswith('.txt'):
                continue
            path = os.path.join(dirpath, fn)
            rel = os.path.relpath(path, levels_dir)
            text = read_text(path)
            songs = re.findall(r'^\s*Audio\w*\b.*?filename="([^"]+)"', text, re.M)
            if not songs:
                continue
            if rel.startswith('other/'):
                for s in songs:
                    other[s].add(
                        'victory'
                        if fn.startswith('win')
                        else 'defeat'
                        if fn.startswith('lost')
                        else None
                    )
                continue
            parts = rel.split('/')
            if len(parts) < 4:
                continue
            title = re.search(r'^Title\.E\s+text="([^"]*)"', text, re.M)
            chapter_file = os.path.join(levels_dir, parts[0], parts[1], 'chaptertitle.txt')
            chapter = None
            if os.path.exists(chapter_file):
                c = re.search(r'^Title\.E\s+text="([^"]*)"', read_text(chapter_file), re.M)
                chapter = c.group(1) if c else None
            for s in dict.fromkeys(songs):
                uses[s].append(
                    (kinds.get(parts[0], parts[0]), title.group(1) if title else None, chapter)
                )
    for t in tracks:
        apply_tags(t, 'Colobot')
        album = tag(t, 'ALBUM')
        if album:
            t.add("from the album '%s'" % album, 'Vorbis comments')
        fn = os.path.basename(t.path)
        kinds_ = [k for k in sorted(other.get(fn, set()) - {None})]
        if kinds_:
            t.kind = kinds_[0]
            t.sources.add('scene files (levels/other/win*.txt, lost*.txt)')
        u = uses.get(fn, [])
        if u:
            missions = [(n, c) for k, n, c in u if n and k == 'mission']
            chosen = missions or [(n, c) for _, n, c in u if n]
            chapters = list(dict.fromkeys(c for _, c in chosen if c))
            t.add(
                'played in %s%s'
                % (
                    such_as([n for n, _ in chosen], 'mission' if missions else 'level', limit=3),
                    ' (%s)' % '; '.join("chapter '%s'" % c for c in chapters[:3])
                    if chapters
                    else '',
                ),
                'level files (scene.txt, chaptertitle.txt)',
            )
        if not t.title and not kinds_:
            nu = name_use(t.stem)
            if nu:
                t.kind = nu
                t.sources.add('file name')


def describe_hyperrogue(tracks, root):
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


def describe_megaglest(tracks, root):
    """techs/*/factions/NAME/NAME.xml: <music path=...>; data/core/menu/menu.xml:
    menu-music and menu-intro-music."""
    tracks[:] = [t for t in tracks if in_dir(t, 'music')]
    by_rel = {t.path: t for t in tracks}
    base = 'usr/share/games/megaglest'
    for dirpath, dirnames, files in os.walk(os.path.join(root, base, 'techs')):
        dirnames.sort()
        for fn in sorted(files):
            if (
                not fn.endswith('.xml')
                or os.path.basename(os.path.dirname(os.path.join(dirpath, fn))) != fn[:-4]
            ):
                continue
            try:
                x = ET.parse(os.path.join(dirpath, fn)).getroot()
            except ET.ParseError:
                continue
            m = x.find('music')
            if m is not None and m.get('value') == 'true' and m.get('path'):
                rel = os.path.relpath(os.path.join(dirpath, m.get('path')), root)
                if rel in by_rel:
                    faction = fn[:-4]
                    by_rel[rel].tail = 'of the %s faction' % humanize(faction).title()
                    by_rel[rel].sources.add('faction files (factions/*/*.xml)')
    menu = os.path.join(root, base, 'data/core/menu/menu.xml')
    if os.path.exists(menu):
        text = read_text(menu)
        for key, kind in (('menu-music', 'main menu'), ('menu-intro-music', 'intro')):
            for value in dict.fromkeys(re.findall(r'<%s value="([^"]+)"' % key, text)):
                rel = os.path.join(base, 'data/core/menu/music', value)
                if rel in by_rel:
                    by_rel[rel].kind = kind
                    by_rel[rel].sources.add('menu configuration (data/core/menu/menu.xml)')
    for t in tracks:
        apply_tags(t, 'MegaGlest')


def describe_warzone(tracks, root):
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


def describe_supertuxkart(tracks, root):
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


def describe_fretsonfire(tracks, root):
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


def describe_0ad(tracks, root):
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


DESCRIBERS = {
    'wesnoth-1.16-music': describe_wesnoth,
    'openclonk-data': describe_openclonk,
    'hedgewars-data': describe_hedgewars,
    'supertux-data': describe_supertux,
    'naev-data': describe_naev,
    'singularity-music': describe_singularity,
    'widelands-data': describe_widelands,
    'nexuiz-music': describe_nexuiz,
    'freedroidrpg-data': describe_freedroid,
    'colobot-common-sounds': describe_colobot,
    'hyperrogue-music': describe_hyperrogue,
    'megaglest-data': describe_megaglest,
    'warzone2100-music': describe_warzone,
    'supertuxkart-data': describe_supertuxkart,
    'fretsonfire-songs-muldjord': describe_fretsonfire,
    '0ad-data': describe_0ad,
}


# --------------------------------------------------------------------------
# Sentences.
# --------------------------------------------------------------------------
KIND_NOUN = {
    'main menu': 'main menu music',
    'title screen': 'title screen music',
    'intro': 'intro music',
    'credits': 'credits music',
    'victory': 'victory music',
    'defeat': 'defeat music',
    'boss fight': 'boss fight music',
    'battle': 'battle music',
    'combat': 'combat music',
    'ambient': 'ambient music',
    'peacetime': 'peacetime music',
    'in-game': 'in-game music',
    'landing': 'landing music',
    'take-off': 'take-off music',
    'loading screen': 'loading screen music',
    'main theme': 'main theme',
    'faction': 'faction music',
    'sudden death': 'Sudden Death music',
}


def describe(t):
    """'[genre] <kind> music ['title'] [tail], <the file's own notes>;
    <where and when it plays>; ...; from <game>, <the game's genre>'."""
    g = GAMES[t.pkg]
    noun = KIND_NOUN.get(t.kind, 'music')
    if t.pkg == 'fretsonfire-songs-muldjord':
        noun = 'song'
    head = ' '.join(x for x in (t.genre, noun) if x)
    if t.title:
        head += " '%s'" % t.title
    if t.tail:
        head += ' ' + t.tail
    first = ', '.join([head] + t.notes)
    text = '; '.join([first] + t.phrases + ['from %s, %s' % (g['game'], g['style'])])
    text = ' '.join(text.split())
    return text[0].upper() + text[1:]


def title_from_file_name(t):
    """Without a title, the file's name where it says something that the
    description does not say already."""
    if t.title or not GAMES[t.pkg].get('file_titles', True) or t.stem.lower() in ('sdmusic',):
        return
    name = humanize(t.stem)
    said = set(words(' '.join(t.phrases + t.notes + [t.tail or '', t.kind or ''])))
    new = [w for w in words(name) if len(w) > 2 and w not in GENERIC_NAME_WORDS and w not in said]
    if informative(name, GAMES[t.pkg]['game']) and new:
        t.title = name
        t.sources.add('file name')


# --------------------------------------------------------------------------
def control_field(root, field):
    path = os.path.join(root, 'DEBIAN/control')
    if not os.path.exists(path):
        return None
    m = re.search(r'^%s:\s*(.*)$' % field, read_text(path), re.M)
    return m.group(1).strip() if m else None


def read_package(pkg):
    root = os.path.join(CORPUS, pkg)
    tracks = []
    for dirpath, dirnames, files in os.walk(root):
        dirnames.sort()
        for fn in sorted(files):
            if not fn.lower().endswith(AUDIO_EXT):
                continue
            path = os.path.join(dirpath, fn)
            try:
                info = ogg_info(path)
            except OSError:
                info = None
            if info is None:
                continue
            seconds, tags = info
            rel = os.path.relpath(path, root)
            tracks.append(Track(pkg, root, rel, seconds, tags))
    return root, tracks


def main():
    start = time.time()
    if not os.path.isdir(CORPUS):
        sys.exit('make-descriptions: %s is missing: run fetch-corpus.sh first' % CORPUS)
    rows, excluded, summary, skipped = [], [], [], []
    for pkg in sorted(GAMES):
        root = os.path.join(CORPUS, pkg)
        if not os.path.exists(os.path.join(root, '.fetched')):
            skipped.append((pkg, 'not fetched (run fetch-corpus.sh)'))
            continue
        root, tracks = read_package(pkg)
        DESCRIBERS[pkg](tracks, root)
        for t in tracks:
            title_from_file_name(t)
        short = [t for t in tracks if t.seconds < MIN_SECONDS]
        tracks = [t for t in tracks if t.seconds >= MIN_SECONDS]
        lic = License(pkg, root)
        kept = []
        for t in sorted(tracks, key=lambda t: t.path):
            spdx, reason = lic.of(t.path)
            t.description = describe(t)
            if spdx == 'NOASSERTION':
                excluded.append((t, reason))
            else:
                t.license = spdx
                kept.append(t)
                rows.append(t)
        summary.append(
            dict(
                pkg=pkg,
                root=root,
                version=control_field(root, 'Version'),
                tracks=kept,
                excluded=[e for e in excluded if e[0].pkg == pkg],
                short=short,
                license=lic,
                sources=sorted(set().union(*[t.sources for t in kept])) if kept else [],
            )
        )

    out = os.path.join(HERE, 'descriptions.tsv')
    with open(out + '.part', 'w', encoding='utf-8', newline='\n') as f:
        f.write('# package\tpath\tlicense\tseconds\tdescription\n')
        for t in sorted(rows, key=lambda t: (t.pkg, t.path)):
            f.write('\t'.join((t.pkg, t.path, t.license, '%.1f' % t.seconds, t.description)) + '\n')
        for t, reason in sorted(excluded, key=lambda e: (e[0].pkg, e[0].path)):
            f.write(
                '# NOASSERTION (left out: %s)\t%s\t%s\tNOASSERTION\t%.1f\t%s\n'
                % (reason, t.pkg, t.path, t.seconds, t.description)
            )
    os.replace(out + '.part', out)
    write_sources(summary, skipped)
    total = sum(t.seconds for t in rows)
    for s in summary:
        print(
            '%-28s %3d tracks %5.2f h  %s'
            % (
                s['pkg'],
                len(s['tracks']),
                sum(t.seconds for t in s['tracks']) / 3600,
                ', '.join(sorted(set(t.license for t in s['tracks']))),
            )
        )
    print(
        'total: %d tracks, %.2f h; %d left out (license unclear); %.1f s'
        % (len(rows), total / 3600, len(excluded), time.time() - start)
    )


def write_sources(summary, skipped):
    lines = []
    w = lines.append
    w('# The training corpus: sources and licenses')
    w('')
    w('`descriptions.tsv` describes the music tracks of the freely licensed game')
    w('soundtracks that Debian 12 ships. `fetch-corpus.sh` downloads the packages')
    w('(`apt-get download`) and unpacks them into a cache outside the repository,')
    w('one folder per package; `make-descriptions.py` picks the music (the games\'')
    w('music folders and music definitions, at least %d s long; sound effects and' % MIN_SECONDS)
    w('short jingles are left out) and writes one English description per track,')
    w('put together from what the package itself says about the track: its')
    w('Vorbis/Opus comments, the game data that says where it plays, its file name')
    w('where that names a use, and the game\'s genre as Debian\'s package description')
    w('states it. Nothing is typed in per track.')
    w('')
    w('To rebuild (Debian 12; no root needed once the package lists are there):')
    w('')
    w('```sh')
    w('data/training/fetch-corpus.sh      # ~/.cache/semblance/{debs,corpus}/')
    w('data/training/make-descriptions.py # writes descriptions.tsv and SOURCES.md')
    w('```')
    w('')
    w('The corpus keeps one folder per package, so that a model can be evaluated')
    w('leaving one package (one game, one set of composers) out. Besides the music')
    w('packages, fetch-corpus.sh unpacks the game data that says where the music')
    w('plays (listed per package below); only those files are read from it.')
    w('')
    w('Columns: `package`, `path` (relative to the package\'s unpacked tree; for')
    w('0 A.D. and Nexuiz, whose data sit in zip archives, relative to where the')
    w('game mounts the archive), `license` (SPDX, of the music, from the package\'s')
    w('copyright file), `seconds`, `description`. Tracks whose license the copyright')
    w('file leaves unclear are not in the table; they are listed at its end in')
    w('`# NOASSERTION` comment lines.')
    w('')
    total_n = sum(len(s['tracks']) for s in summary)
    total_s = sum(t.seconds for s in summary for t in s['tracks'])
    w(
        '**Total: %d tracks, %.1f hours, from %d packages.**'
        % (total_n, total_s / 3600, len(summary))
    )
    w('')
    w('| package | Debian version | tracks | hours | license of the music |')
    w('| --- | --- | ---: | ---: | --- |')
    for s in summary:
        lic = collections.Counter(t.license for t in s['tracks'])
        w(
            '| %s | %s | %d | %.2f | %s |'
            % (
                s['pkg'],
                s['version'],
                len(s['tracks']),
                sum(t.seconds for t in s['tracks']) / 3600,
                ', '.join(
                    '%s (%d)' % (k, v) if len(lic) > 1 else k for k, v in sorted(lic.items())
                ),
            )
        )
    w('')
    for s in summary:
        pkg = s['pkg']
        g = GAMES[pkg]
        w('## %s (%s)' % (pkg, g['game']))
        w('')
        w(
            '- Debian version %s; %d tracks, %.2f hours%s.'
            % (
                s['version'],
                len(s['tracks']),
                sum(t.seconds for t in s['tracks']) / 3600,
                '; %d shorter than %d s left out' % (len(s['short']), MIN_SECONDS)
                if s['short']
                else '',
            )
        )
        lic = s['license']
        if lic.dep5:
            w(
                '- License, from the machine-readable `/usr/share/doc/%s/copyright`, the '
                'stanza that covers each track\'s upstream path:' % pkg
            )
        else:
            w(
                '- License, from the wording found in the package '
                '(`/usr/share/doc/%s/copyright` and the files named):' % pkg
            )
        for wording, spdx in lic.evidence.items():
            w('  - %s → **%s**' % (wording, spdx))
        covered = [t for t in s['tracks'] if t.path in lic.catch_all]
        explicit = [t for t in s['tracks'] if t.path not in lic.catch_all]
        if covered and explicit:
            w(
                '  - Only the catch-all `Files: *` stanza covers %s: %s.'
                % (
                    plural(len(covered), 'track'),
                    ', '.join('`%s`' % os.path.basename(t.path) for t in covered),
                )
            )
        if g.get('license_note'):
            w('  - ' + g['license_note'])
        if s['excluded']:
            w(
                '- Left out, license unclear: %s.'
                % ', '.join('`%s` (%s)' % (os.path.basename(t.path), r) for t, r in s['excluded'])
            )
        composers = collections.Counter()
        for t in s['tracks']:
            for key in ('ARTIST', 'COMPOSER'):
                v = tag(t, key)
                if v:
                    composers[v] += 1
                    break
        if composers:
            w('- Composers named in the files\' comments: %s.' % ', '.join(sorted(composers)))
        w(
            '- Descriptions from: %s; the game\'s genre ("%s") from Debian\'s package description.'
            % (
                ', '.join(s['sources']) if s['sources'] else 'the package description only',
                g['style'],
            )
        )
        if COMPANIONS.get(pkg):
            w(
                '- Game data read from: %s.'
                % ', '.join(
                    '%s %s' % (c, control_field(os.path.join(CORPUS, c), 'Version'))
                    for c in sorted(COMPANIONS[pkg])
                )
            )
        w('')
    if skipped:
        w('## Not included')
        w('')
        for pkg, why in skipped:
            w('- %s: %s' % (pkg, why))
        w('')
    with open(os.path.join(HERE, 'SOURCES.md'), 'w', encoding='utf-8', newline='\n') as f:
        f.write('\n'.join(lines))


if __name__ == '__main__':
    main()
