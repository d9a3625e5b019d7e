# SPDX-License-Identifier: LGPL-2.1-or-later
"""The two files that the run writes: descriptions.tsv, the table, and
SOURCES.md, which says where every part of it comes from. Both are
deterministic (sorted; no dates), so that a rerun on the same corpus gives
the same bytes."""

import collections
import os

from .tracks import MIN_SECONDS, tag
from .walk import COMPANIONS, CORPUS, control_field
from .wording import plural


def write_table(path, rows, excluded):
    """descriptions.tsv: the kept tracks, then the left-out ones as comments."""
    with open(path + '.part', 'w', encoding='utf-8', newline='\n') as f:
        f.write('# package\tpath\tlicense\tseconds\tdescription\n')
        for t in sorted(rows, key=lambda t: (t.pkg, t.path)):
            f.write('\t'.join((t.pkg, t.path, t.license, '%.1f' % t.seconds, t.description)) + '\n')
        for t, reason in sorted(excluded, key=lambda e: (e[0].pkg, e[0].path)):
            f.write(
                '# NOASSERTION (left out: %s)\t%s\t%s\tNOASSERTION\t%.1f\t%s\n'
                % (reason, t.pkg, t.path, t.seconds, t.description)
            )
    os.replace(path + '.part', path)


def hours(tracks):
    return sum(t.seconds for t in tracks) / 3600


def write_sources(path, summary, skipped):
    """SOURCES.md: how the table is made, then per package its version,
    license evidence, composers and the kinds of evidence used."""
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
    total_h = hours([t for s in summary for t in s['tracks']])
    w('**Total: %d tracks, %.1f hours, from %d packages.**' % (total_n, total_h, len(summary)))
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
                hours(s['tracks']),
                ', '.join(
                    '%s (%d)' % (k, v) if len(lic) > 1 else k for k, v in sorted(lic.items())
                ),
            )
        )
    w('')
    for s in summary:
        pkg, g = s['pkg'], s['game']
        w('## %s (%s)' % (pkg, g.name))
        w('')
        w(
            '- Debian version %s; %d tracks, %.2f hours%s.'
            % (
                s['version'],
                len(s['tracks']),
                hours(s['tracks']),
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
        if g.license_note:
            w('  - ' + g.license_note)
        if s['excluded']:
            w(
                '- Left out, license unclear: %s.'
                % ', '.join('`%s` (%s)' % (os.path.basename(t.path), r) for t, r in s['excluded'])
            )
        composers = set()
        for t in s['tracks']:
            for key in ('ARTIST', 'COMPOSER'):
                v = tag(t, key)
                if v:
                    composers.add(v)
                    break
        if composers:
            w('- Composers named in the files\' comments: %s.' % ', '.join(sorted(composers)))
        w(
            '- Descriptions from: %s; the game\'s genre ("%s") from Debian\'s package description.'
            % (
                ', '.join(s['sources']) if s['sources'] else 'the package description only',
                g.style,
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
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        f.write('\n'.join(lines))
