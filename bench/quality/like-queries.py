#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Combined queries ("like this, but calmer") on the 4Q clips.

For seeds drawn from one half of the arousal-valence plane, a description
that points at the other half ("calm" for energetic seeds): the share of
the 10 results in the half the description points at, and the share of
them among the seed's 50 nearest tracks ("similar -n 50"), for three
queries side by side:

  similar         the seed alone (the baseline);
  similar --like  the seed towards the description;
  search          the description alone.

A combined query should move towards the description (the first share
up from the baseline's) and stay near the seed (the second share well
above the description alone's).

Usage: like-queries.py SEMBLANCE DATABASE 4Q_DIR [SEEDS_PER_DIRECTION]

SEMBLANCE is the command (build/tools/semblance), DATABASE an index of the
900 clips (semblance index -d DATABASE 4Q_DIR/Q1 … 4Q_DIR/Q4), made with the
model to measure (SEMBLANCE_MODEL).
"""
import json
import os
import random
import subprocess
import sys

# (description, the seeds' quadrants, the quadrants it points at)
DIRECTIONS = [
    ("calm", ("Q1", "Q2"), ("Q3", "Q4")),
    ("energetic", ("Q3", "Q4"), ("Q1", "Q2")),
    ("happy", ("Q2", "Q3"), ("Q1", "Q4")),
    ("sad", ("Q1", "Q4"), ("Q2", "Q3")),
]
RESULTS = 10
NEIGHBOURHOOD = 50


def query(semblance, db, args):
    out = subprocess.run([semblance] + args[:1] + ["-d", db, "--json"]
                         + args[1:], check=True, capture_output=True,
                         text=True).stdout
    return [r["uri"] for r in json.loads(out)]


def quadrant(uri):
    return uri.split("/")[-2]


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    semblance, db, top = sys.argv[1:4]
    per_direction = int(sys.argv[4]) if len(sys.argv) == 5 else 50
    clips = {q: sorted(os.path.join(top, q, f)
                       for f in os.listdir(os.path.join(top, q))
                       if f.endswith(".mp3"))
             for q in ("Q1", "Q2", "Q3", "Q4")}
    rng = random.Random(1)
    print(f"{per_direction} seeds per direction, {RESULTS} results each; "
          f"'near seed': among the seed's {NEIGHBOURHOOD} nearest")
    print(f"{'description':<12} {'query':<16} {'towards':>8} {'near seed':>10}")
    totals = {}
    for text, seed_quadrants, target in DIRECTIONS:
        pool = [c for q in seed_quadrants for c in clips[q]]
        seeds = rng.sample(pool, per_direction)
        alone = query(semblance, db, ["search", "-n", str(RESULTS + 1), text])
        sums = {k: [0.0, 0.0] for k in ("similar", "similar --like",
                                        "search")}
        for seed in seeds:
            seed_uri = "file://" + os.path.abspath(seed)
            near = query(semblance, db, ["similar", "-n", str(NEIGHBOURHOOD),
                                         seed])
            lists = {
                "similar": near[:RESULTS],
                "similar --like": query(semblance, db, [
                    "similar", "-n", str(RESULTS), "--like", text, seed]),
                "search": [u for u in alone if u != seed_uri][:RESULTS],
            }
            for k, found in lists.items():
                sums[k][0] += sum(quadrant(u) in target
                                  for u in found) / len(found)
                sums[k][1] += sum(u in near for u in found) / len(found)
        for k, (towards, kept) in sums.items():
            print(f"{text:<12} {k:<16} {towards / per_direction:8.3f} "
                  f"{kept / per_direction:10.3f}")
            t = totals.setdefault(k, [0.0, 0.0])
            t[0] += towards / per_direction / len(DIRECTIONS)
            t[1] += kept / per_direction / len(DIRECTIONS)
    for k, (towards, kept) in totals.items():
        print(f"{'mean':<12} {k:<16} {towards:8.3f} {kept:10.3f}")


if __name__ == "__main__":
    main()
