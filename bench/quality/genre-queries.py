#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Text search by the name of a genre, on the game soundtracks.

Asks each query of QUERIES with `semblance search -n 10 --json` and
reports, for each SEMBLANCE command given (builds to compare, each in the
same run on the same database), how many of the 10 results are metal or
rock by their description in data/training/descriptions.tsv: one that
says "metal" or "rock music" ("Death metal song", "Thrash metal in-game
music", "Rock music 'Motorway'"). Other descriptions name no genre, so a
track not counted may still be rock; the base rate is the share of the
library's tracks that are counted.

The queries name metal and rock as a listener would, most in several
words that WordNet knows as one genre ("heavy metal", "rock and roll");
"metal" and "rock" alone are there as the control that a reading of
names of several words leaves alone.

Usage: genre-queries.py DATABASE DESCRIPTIONS SEMBLANCE...

DATABASE is an index of the corpus that data/training/fetch-corpus.sh
fetches (semblance index -d DATABASE ~/.cache/semblance/corpus), made with
the model to measure (SEMBLANCE_MODEL); DESCRIPTIONS is
data/training/descriptions.tsv.
"""
import csv
import json
import re
import subprocess
import sys
import urllib.parse

QUERIES = [
    "heavy metal", "heavy metal guitar", "heavy metal music",
    "heavy metal drums", "rock music", "rock and roll", "punk rock",
    "metal", "rock",
]
RESULTS = 10
COUNTED = re.compile(r"\bmetal\b|\brock music\b", re.IGNORECASE)


def counted_paths(descriptions):
    """Package-relative paths ("PACKAGE/usr/...") of the counted tracks."""
    out = set()
    with open(descriptions, newline="") as f:
        for row in csv.reader(f, delimiter="\t"):
            if not row or row[0].startswith("#") or len(row) < 5:
                continue
            if COUNTED.search(row[4]):
                out.add(row[0] + "/" + row[1])
    return out


def package_path(uri):
    path = urllib.parse.unquote(urllib.parse.urlparse(uri).path)
    marker = "/corpus/"
    return path[path.index(marker) + len(marker):] if marker in path else path


def library(database):
    import sqlite3
    with sqlite3.connect("file:%s?mode=ro" % database, uri=True) as db:
        return [package_path(u) for (u,) in db.execute(
            "SELECT uri FROM tracks")]


def search(semblance, database, query):
    run = subprocess.run(
        [semblance, "search", "-n", str(RESULTS), "--json", "-d", database,
         query], capture_output=True, text=True, check=True)
    return [package_path(r["uri"]) for r in json.loads(run.stdout)]


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    database, descriptions, builds = sys.argv[1], sys.argv[2], sys.argv[3:]
    counted = counted_paths(descriptions)
    tracks = library(database)
    in_library = sum(1 for t in tracks if t in counted)
    print("%d tracks, %d of them metal or rock by their description "
          "(base rate %.3f)\n" % (len(tracks), in_library,
                                  in_library / max(len(tracks), 1)))
    print("| query | " + " | ".join(builds) + " |")
    print("| --- |" + " --- |" * len(builds))
    means = [0.0] * len(builds)
    for query in QUERIES:
        cells = []
        for b, build in enumerate(builds):
            found = search(build, database, query)
            hits = sum(1 for t in found if t in counted)
            cells.append("%d/%d" % (hits, len(found)))
            means[b] += hits / RESULTS / len(QUERIES)
        print("| %s | %s |" % (query, " | ".join(cells)))
    print("| mean P@10 | %s |" % " | ".join("%.3f" % m for m in means))


if __name__ == "__main__":
    main()
