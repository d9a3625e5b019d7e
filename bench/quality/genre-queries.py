#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Text search by the name of a genre.

Asks each query with `semblance search -n 10 --json` and reports, for
each SEMBLANCE command given (builds to compare, each in the same run on
the same database), how many of the 10 results are of the genre named.

On the game soundtracks (the default): nine queries that name metal or
rock, most in several words that WordNet knows as one genre ("heavy
metal", "rock and roll"), "metal" and "rock" alone as the control. A
result counts when its description in data/training/descriptions.tsv says
"metal" or "rock music" ("Death metal song", "Thrash metal in-game
music", "Rock music 'Motorway'"). Other descriptions name no genre, so a
track not counted may still be rock. The default model was fitted on
these descriptions: not a held-out figure.

On 4Q (--4q): the genre names a listener would type for 4Q's AllMusic
genres ("jazz", "hip hop", "country music", "rhythm and blues"…); a
result counts when the clip carries the genre. Held out for the default
model, which never saw 4Q.

Usage: genre-queries.py DATABASE DESCRIPTIONS SEMBLANCE...
       genre-queries.py --4q DATABASE 4Q_FOLDER SEMBLANCE...

DATABASE is an index of the corpus that data/training/fetch-corpus.sh
fetches (semblance index -d DATABASE ~/.cache/semblance/corpus), or of the
900 4Q clips (semblance index -d DATABASE 4Q/Q1 4Q/Q2 4Q/Q3 4Q/Q4), made
with the model to measure (SEMBLANCE_MODEL); DESCRIPTIONS is
data/training/descriptions.tsv; 4Q_FOLDER holds
panda_dataset_taffc_metadata.csv.
"""
import csv
import json
import os
import re
import subprocess
import sys
import urllib.parse

QUERIES = [
    "heavy metal", "heavy metal guitar", "heavy metal music",
    "heavy metal drums", "rock music", "rock and roll", "punk rock",
    "metal", "rock",
]
COUNTED = re.compile(r"\bmetal\b|\brock music\b", re.IGNORECASE)
# (query, the AllMusic genre it names)
QUERIES_4Q = [
    ("jazz", "Jazz"), ("classical", "Classical"),
    ("electronic", "Electronic"), ("rap", "Rap"), ("hip hop", "Rap"),
    ("country", "Country"), ("country music", "Country"),
    ("blues", "Blues"), ("reggae", "Reggae"), ("latin", "Latin"),
    ("folk", "Folk"), ("folk music", "Folk"), ("new age", "New Age"),
    ("rock", "Pop/Rock"), ("rock music", "Pop/Rock"), ("pop", "Pop/Rock"),
    ("soul", "R&B"), ("rhythm and blues", "R&B"),
]
RESULTS = 10


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


def table(builds, database, queries, tracks, relevant):
    """queries: (query, label) pairs; relevant(track, label) says whether a
    track (as search() and tracks name it) is of the label's genre."""
    print("| query | base rate | " + " | ".join(builds) + " |")
    print("| --- | --- |" + " --- |" * len(builds))
    means, base_mean = [0.0] * len(builds), 0.0
    for query, label in queries:
        base = sum(1 for t in tracks if relevant(t, label)) / len(tracks)
        base_mean += base / len(queries)
        cells = []
        for b, build in enumerate(builds):
            found = search(build, database, query)
            hits = sum(1 for t in found if relevant(t, label))
            cells.append("%d/%d" % (hits, len(found)))
            means[b] += hits / RESULTS / len(queries)
        print("| %s | %.3f | %s |" % (query, base, " | ".join(cells)))
    print("| mean P@10 | %.3f | %s |"
          % (base_mean, " | ".join("%.3f" % m for m in means)))


def main():
    args = sys.argv[1:]
    if args and args[0] == "--4q":
        if len(args) < 4:
            sys.exit(__doc__)
        database, folder, builds = args[1], args[2], args[3:]
        with open(os.path.join(folder, "panda_dataset_taffc_metadata.csv"),
                  newline="") as f:
            genres = {r["Song"]: {g.strip() for g in
                                  r["GenresStr"].split(";")}
                      for r in csv.DictReader(f)}
        tracks = [os.path.splitext(os.path.basename(t))[0]
                  for t in library(database)]
        print("%d 4Q clips\n" % len(tracks))
        table(builds, database, QUERIES_4Q, tracks,
              lambda t, g: g in genres.get(
                  os.path.splitext(os.path.basename(t))[0], ()))
        return
    if len(args) < 3:
        sys.exit(__doc__)
    database, descriptions, builds = args[0], args[1], args[2:]
    counted = counted_paths(descriptions)
    tracks = library(database)
    print("%d tracks, %d of them metal or rock by their description\n"
          % (len(tracks), sum(1 for t in tracks if t in counted)))
    table(builds, database, [(q, None) for q in QUERIES], tracks,
          lambda t, _: t in counted)


if __name__ == "__main__":
    main()
