# SPDX-License-Identifier: LGPL-2.1-or-later
"""Words of names and the small phrases that the descriptions are made of.

Shared by every game's module, so that all descriptions split names, count
and list things the same way."""

import re


def words(s):
    """Lower-case words of a name: camelCase, snake_case, kebab-case split."""
    s = re.sub(r'([a-z])([A-Z])', r'\1 \2', s)
    return [w for w in re.split(r'[^A-Za-z]+', s.lower()) if w]


def humanize(name):
    """A file or folder name as words: 'mainMenu_2' -> 'main Menu 2'."""
    s = re.sub(r'([a-z])([A-Z])', r'\1 \2', name)
    s = re.sub(r'([A-Za-z])(\d)', r'\1 \2', s)
    s = re.sub(r'[_-]+', ' ', s)
    return ' '.join(s.split())


# Words that do not make a title worth giving ("ingame music 2").
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


# Words of a file name that name a use. Applied where the package names its
# files by use (see the games' modules).
NAME_USES = [
    ({'menu', 'menutheme', 'mainmenu'}, 'main menu'),
    ({'intro'}, 'intro'),
    ({'credits'}, 'credits'),
    ({'boss', 'bossattack', 'treeboss'}, 'boss fight'),
    ({'win', 'victory'}, 'victory'),
    ({'lose', 'defeat'}, 'defeat'),
]


def name_use(name):
    """The use that a name names ('main menu', 'victory', ...), or None."""
    ws = set(words(name))
    for keys, use in NAME_USES:
        if ws & keys:
            return use
    return None


def join_and(items):
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return ''.join(items)
    return ', '.join(items[:-1]) + ' and ' + items[-1]


def plural(n, word, words_=None):
    """'1 scenario', '3 scenarios' (or the plural given)."""
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
