# SPDX-License-Identifier: LGPL-2.1-or-later
"""The license of a track, from its package's copyright file.

A machine-readable (DEP-5) file is read with python-debian: the Files stanza
that covers the track's upstream path gives the license, and a short name
that is not in SPDX below leaves the track out (NOASSERTION). For the other
files a game gives a rule (Game.license_rule): wording that must all be found
for the license to be given. Either way, what was relied on is kept as
evidence for SOURCES.md."""

import io
import os
import re

from debian import copyright as dep5

from .walk import read_text

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


def spdx_expression(synopsis):
    """SPDX expression of a DEP-5 License line, or None when it is unclear.
    Of alternatives ("or") the clear ones are kept, since any one may be
    chosen; all parts of a conjunction ("and") must be clear."""
    alternatives = []
    for alt in re.split(r'\s+or\s+', synopsis.strip(), flags=re.I):
        parts = [SPDX.get(p.strip()) for p in re.split(r'\s+and\s+', alt, flags=re.I)]
        if parts and all(parts):
            alternatives.append(' AND '.join(parts))
    return ' OR '.join(alternatives) if alternatives else None


def parse_dep5(text):
    """The machine-readable copyright file, or None when it is not one."""
    try:
        return dep5.Copyright(io.StringIO(text), strict=False)
    except (dep5.NotMachineReadableError, ValueError):
        return None


def files_patterns(copyright):
    """[(compiled Files patterns, stanza)] in the file's order. Patterns may
    start with './', as naev-data's do, which python-debian's own
    find_files_paragraph does not take into account."""
    return [
        (dep5.globs_to_re(g[2:] if g.startswith('./') else g for g in stanza.files), stanza)
        for stanza in copyright.all_files_paragraphs()
    ]


def shorten(s, limit):
    """White space collapsed, and cut to `limit` characters with '...'."""
    s = ' '.join(s.split())
    return s[: limit - 3] + '...' if len(s) > limit else s


class License:
    """The licenses of one package's tracks."""

    def __init__(self, game, root):
        self.game, self.root = game, root
        path = os.path.join(root, 'usr/share/doc', game.package, 'copyright')
        self.text = read_text(path) if os.path.exists(path) else ''
        self.copyright = parse_dep5(self.text) if self.text else None
        self.stanzas = files_patterns(self.copyright) if self.copyright else []
        self.evidence = {}  # wording -> spdx, in the order found, for SOURCES.md
        self.catch_all = set()  # tracks that only the "Files: *" stanza covers

    @property
    def dep5(self):
        return self.copyright is not None

    def of(self, relpath):
        """(spdx or 'NOASSERTION', reason) of the track at relpath."""
        if not self.text:
            return 'NOASSERTION', 'no copyright file'
        if self.game.license_rule:
            return self._by_rule()
        if not self.dep5:
            return 'NOASSERTION', 'copyright file is not machine-readable and has no rule here'
        return self._by_stanza(relpath)

    def _by_rule(self):
        """The game's rule: every (file, wording) pair must be found, white
        space normalised."""
        spdx, rules = self.game.license_rule
        quotes = []
        for rel, pattern in rules:
            path = os.path.join(self.root, rel)
            text = ' '.join(read_text(path).split()) if os.path.exists(path) else ''
            m = re.search(pattern, text)
            if not m:
                return 'NOASSERTION', 'wording not found in ' + rel
            quotes.append('%s: "%s"' % (rel.split('/')[-1] if 'doc/' in rel else rel, m.group(0)))
        self.evidence['; '.join(quotes)] = spdx
        return spdx, ''

    def _by_stanza(self, relpath):
        """The last Files stanza that covers the track's upstream path
        (DEP-5: the last match wins)."""
        upstream = relpath
        for inst, src in self.game.upstream:
            if relpath.startswith(inst):
                upstream = src + relpath[len(inst) :]
        stanza = None
        for pattern, candidate in self.stanzas:
            if pattern.match(upstream):
                stanza = candidate
        if not stanza:
            return 'NOASSERTION', 'no Files stanza covers ' + upstream
        synopsis = stanza.license.synopsis if stanza.license else ''
        wording = 'Files: %s / Copyright: %s / License: %s' % (
            shorten(' '.join(stanza.files), 120),
            shorten(stanza.copyright or '', 150),
            synopsis,
        )
        if stanza.files == ('*',):
            self.catch_all.add(relpath)
        spdx = spdx_expression(synopsis)
        if not spdx:
            self.evidence[wording] = 'NOASSERTION'
            return 'NOASSERTION', 'unclear license "%s"' % synopsis
        self.evidence[wording] = spdx
        return spdx, ''
