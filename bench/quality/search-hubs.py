#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Hubs of text search on a library that has no labels.

Asks every description of QUERIES with `semblance search -n 10 --json`
and reports, for each SEMBLANCE command given (builds to compare, each in
the same run on the same database), the largest share of the top-10 lists
that any one track is in, the number of tracks in any list, and the
most listed tracks. A hub tops the lists of descriptions it has nothing
to do with; with 10 results and many different descriptions, no track
should be in much more than a few of them (issue 12's goal: 15 %).

The descriptions are what a listener might type, two or three words
each, mood, energy, instruments and style mixed; they are not the
describer's single words, from which `search` counts its hubs, so the
figure is not the one the ranking lowers by construction.

Usage: search-hubs.py DATABASE SEMBLANCE...

DATABASE is an index of the library (semblance index -d DATABASE FOLDER),
made with the model to measure (SEMBLANCE_MODEL).
"""
import collections
import json
import os
import subprocess
import sys

QUERIES = [
    "calm piano", "battle drums", "heavy metal guitar", "sad strings",
    "happy upbeat melody", "dark ambient drone", "epic orchestral march",
    "fast electronic dance", "relaxing acoustic guitar", "tense suspense",
    "cheerful flute", "slow melancholic violin", "aggressive rock",
    "peaceful nature", "mysterious choir", "playful chiptune",
    "triumphant brass fanfare", "dreamy synth pads", "lonely solo piano",
    "driving techno beat", "romantic waltz", "spooky organ",
    "energetic percussion", "gentle harp", "angry distorted bass",
    "hopeful strings", "jazzy saxophone", "medieval folk tune",
    "space exploration", "funky groove",
]
RESULTS = 10


def lists(semblance, database):
    out = []
    for query in QUERIES:
        run = subprocess.run(
            [semblance, "search", "-n", str(RESULTS), "--json", "-d",
             database, query],
            capture_output=True, text=True, check=True)
        out.append([r["uri"] for r in json.loads(run.stdout)])
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    database = sys.argv[1]
    print("| build | largest share of the %d top-%d lists | tracks in any "
          "list | most listed (lists) |" % (len(QUERIES), RESULTS))
    print("| --- | --- | --- | --- |")
    for semblance in sys.argv[2:]:
        counts = collections.Counter()
        for found in lists(semblance, database):
            counts.update(set(found))
        top = counts.most_common(3)
        print("| %s | %.3f | %d | %s |" % (
            semblance, top[0][1] / len(QUERIES) if top else 0.0,
            len(counts), ", ".join("%s (%d)" % (os.path.basename(p), n)
                                   for p, n in top)))


if __name__ == "__main__":
    main()
