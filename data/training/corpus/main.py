# SPDX-License-Identifier: LGPL-2.1-or-later
"""The run: every game's package is read, described and licensed, and the
table and SOURCES.md are written; a summary per package goes to stdout."""

import os
import sys
import time

from . import report, walk
from .games import GAMES
from .licenses import License
from .sentences import describe, title_from_file_name
from .tracks import MIN_SECONDS


def main(out_dir):
    """Writes descriptions.tsv and SOURCES.md into out_dir."""
    start = time.time()
    if not os.path.isdir(walk.CORPUS):
        sys.exit('make-descriptions: %s is missing: run fetch-corpus.sh first' % walk.CORPUS)
    rows, excluded, summary, skipped = [], [], [], []
    for pkg, module in sorted(GAMES.items()):
        game = module.GAME
        if not walk.fetched(pkg):
            skipped.append((pkg, 'not fetched (run fetch-corpus.sh)'))
            continue
        root, tracks = walk.read_package(pkg)
        module.describe(tracks, root)
        for t in tracks:
            title_from_file_name(t, game)
        short = [t for t in tracks if t.seconds < MIN_SECONDS]
        tracks = [t for t in tracks if t.seconds >= MIN_SECONDS]
        lic = License(game, root)
        kept = []
        for t in sorted(tracks, key=lambda t: t.path):
            spdx, reason = lic.of(t.path)
            t.description = describe(t, game)
            if spdx == 'NOASSERTION':
                excluded.append((t, reason))
            else:
                t.license = spdx
                kept.append(t)
                rows.append(t)
        summary.append(
            dict(
                pkg=pkg,
                game=game,
                version=walk.control_field(root, 'Version'),
                tracks=kept,
                excluded=[e for e in excluded if e[0].pkg == pkg],
                short=short,
                license=lic,
                sources=sorted(set().union(*[t.sources for t in kept])) if kept else [],
            )
        )

    report.write_table(os.path.join(out_dir, 'descriptions.tsv'), rows, excluded)
    report.write_sources(os.path.join(out_dir, 'SOURCES.md'), summary, skipped)
    for s in summary:
        print(
            '%-28s %3d tracks %5.2f h  %s'
            % (
                s['pkg'],
                len(s['tracks']),
                report.hours(s['tracks']),
                ', '.join(sorted(set(t.license for t in s['tracks']))),
            )
        )
    print(
        'total: %d tracks, %.2f h; %d left out (license unclear); %.1f s'
        % (len(rows), report.hours(rows), len(excluded), time.time() - start)
    )
