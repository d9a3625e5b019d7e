# SPDX-License-Identifier: LGPL-2.1-or-later
"""One description from a track's facts:

'[genre] <kind> music ['title'] [tail], <the file's own notes>;
<where and when it plays>; ...; from <game>, <the game's genre>'."""

from .wording import GENERIC_NAME_WORDS, humanize, informative, words

# The head noun of each kind of music that the games' modules name.
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


def describe(t, game):
    """The description of track t of the game."""
    noun = game.noun or KIND_NOUN.get(t.kind, 'music')
    head = ' '.join(x for x in (t.genre, noun) if x)
    if t.title:
        head += " '%s'" % t.title
    if t.tail:
        head += ' ' + t.tail
    first = ', '.join([head] + t.notes)
    text = '; '.join([first] + t.phrases + ['from %s, %s' % (game.name, game.style)])
    text = ' '.join(text.split())
    return text[0].upper() + text[1:]


def title_from_file_name(t, game):
    """Without a title, the file's name where it says something that the
    description does not say already."""
    if t.title or not game.file_titles or t.stem.lower() in game.untitled_stems:
        return
    name = humanize(t.stem)
    said = set(words(' '.join(t.phrases + t.notes + [t.tail or '', t.kind or ''])))
    new = [w for w in words(name) if len(w) > 2 and w not in GENERIC_NAME_WORDS and w not in said]
    if informative(name, game.name) and new:
        t.title = name
        t.sources.add('file name')
