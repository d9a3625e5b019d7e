# SPDX-License-Identifier: LGPL-2.1-or-later
"""A track and its facts, and what its Vorbis or Opus comments say.

The games' modules fill in a Track (kind, title, where it plays ...);
sentences.py turns it into words. The comments are read with mutagen."""

import os
import re

import mutagen
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis

from .wording import humanize, informative

# Shorter tracks are jingles and stings, not music to describe.
MIN_SECONDS = 30.0

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


def read_audio(path):
    """(seconds, {KEY: [values]}) of an Ogg Vorbis or Opus file, or None when
    the file is neither or cannot be read. Keys are upper-cased, values have
    their white space collapsed, and empty values are dropped. (mutagen keeps
    a comment without '=' as UNKNOWNn and drops one with an empty key; nothing
    here reads either.)"""
    try:
        audio = mutagen.File(path, options=[OggVorbis, OggOpus])
    except (mutagen.MutagenError, OSError):
        return None
    if audio is None:
        return None
    tags = {}
    for key, value in audio.tags or []:
        value = ' '.join(value.split())
        if value:
            tags.setdefault(key.strip().upper(), []).append(value)
    return max(0.0, audio.info.length), tags


class Track:
    """One audio file of a package and what is known about it."""

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
        """A phrase on where or when it plays, said once, and its evidence."""
        if phrase and phrase not in self.phrases:
            self.phrases.append(phrase)
            self.sources.add(source)


def in_dir(track, *names):
    """Whether one of the track's folders has one of these names."""
    parts = track.path.split('/')[:-1]
    return any(n in parts for n in names)


def tag(track, key):
    """The single value of a tag; None when absent or contradictory."""
    values = list(dict.fromkeys(track.tags.get(key, [])))
    return values[0] if len(values) == 1 else None


def tag_title(track):
    """TITLE; of several, the one that contains the others, else none."""
    values = list(dict.fromkeys(track.tags.get('TITLE', [])))
    if not values:
        return None
    longest = max(values, key=len)
    if all(v.lower() in longest.lower() for v in values):
        return longest
    return None


def clean_title(title, artist=None):
    """A TITLE without what the packagers added: file extensions, track
    numbers, notes on the cut, the artist's name in front."""
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


def apply_tags(track, game, comment_keys=('DESCRIPTION', 'COMMENT', 'COMMENTS')):
    """TITLE, GENRE and descriptive comments. `game` is the name that a title
    must say more than; `comment_keys` the tags that hold descriptions (a
    game that uses one for something else reads it itself)."""
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
    for key in comment_keys:
        for value in dict.fromkeys(track.tags.get(key, [])):
            value = value.strip().rstrip('.')
            if len(value) < 4 or BOILERPLATE.search(value) or value == title:
                continue
            if value not in track.notes:
                track.notes.append(value[0].lower() + value[1:] if value[:2].istitle() else value)
                track.sources.add('Vorbis comments')
