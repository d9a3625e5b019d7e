#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes the labelled pieces of the analysis benchmark as Standard MIDI
files, and their labels.

    make-pieces.py OUTDIR [--seed N] [--per-key N] [--drums N]

For each of the 24 keys, PER_KEY pitched pieces (default 10): chord
progressions, melodies over a bass, and bands (chords, melody, bass and
drums), each at a tempo drawn from 60 to 200 BPM, in 4/4 or 3/4, played by
piano, strings, guitar, organ or synth; and DRUMS pieces of unpitched
drums alone (default 60). A third of the pitched pieces are tuned 10 to
40 cents away from A = 440 Hz. OUTDIR gets one .mid file per piece and
labels.tsv: name, kind, instrument, BPM, metre, tonic (0 = C, -1 for
none), mode (major, minor or none), cents. The same seed writes the same
files.

The labelled tempo is where a listener taps: every beat has a bass note
(and a chord, in the chord pieces), the first of the bar the strongest;
the drums put kick and snare on the beats. Each piece lasts about 30 s.
"""
import argparse
import os
import random
import struct

PPQ = 480
SECONDS = 30.0

NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]

# General MIDI programs (0-based) of each instrument family.
INSTRUMENTS = {
    "piano": [0, 1, 4],           # grand, bright, electric piano
    "strings": [48, 49, 40, 42],  # ensembles, violin, cello
    "guitar": [24, 25, 27],       # nylon, steel, clean electric
    "organ": [16, 19, 17],        # drawbar, church, percussive
    "synth": [80, 81, 88, 90],    # square and saw leads, pads
}
BASS = [32, 33, 34, 38]           # acoustic, finger, pick, synth bass

MAJOR_SCALE = [0, 2, 4, 5, 7, 9, 11]
MINOR_SCALE = [0, 2, 3, 5, 7, 8, 10]     # natural; V is raised below

# Progressions as scale degrees (0-based) of the chord roots.
MAJOR_PROGRESSIONS = [
    [0, 4, 5, 3], [0, 3, 4, 0], [0, 5, 1, 4], [1, 4, 0, 0], [0, 3, 0, 4],
    [0, 5, 3, 4], [0, 2, 3, 4],
]
MINOR_PROGRESSIONS = [
    [0, 3, 4, 0], [0, 5, 2, 6], [0, 3, 6, 2], [0, 5, 3, 4], [0, 6, 5, 4],
    [0, 3, 0, 4],
]

# Drums (channel 10)
KICK, SNARE, CLAP, HAT, OPEN_HAT, RIDE, CRASH = 36, 38, 39, 42, 46, 51, 49


class Track:
    def __init__(self):
        self.events = []  # (tick, order, bytes)

    def note(self, tick, length, channel, key, velocity):
        key = max(0, min(127, key))
        velocity = max(1, min(127, int(velocity)))
        self.events.append((tick, 1, bytes([0x90 | channel, key, velocity])))
        self.events.append((tick + max(1, length), 0,
                            bytes([0x80 | channel, key, 0])))

    def program(self, channel, program):
        self.events.append((0, -1, bytes([0xC0 | channel, program])))

    def detune(self, channel, cents):
        """Bends the channel by @cents (General MIDI's default range is
        two semitones)."""
        value = 8192 + int(round(cents / 200.0 * 8192))
        self.events.append((0, -1, bytes([0xE0 | channel, value & 0x7F,
                                          value >> 7])))

    def write(self, path, bpm, beats_per_bar):
        def vlq(n):
            out = [n & 0x7F]
            n >>= 7
            while n:
                out.append(0x80 | (n & 0x7F))
                n >>= 7
            return bytes(reversed(out))

        tempo = int(round(60e6 / bpm))
        data = bytearray()
        data += vlq(0) + b"\xff\x51\x03" + tempo.to_bytes(3, "big")
        data += vlq(0) + b"\xff\x58\x04" + bytes([beats_per_bar, 2, 24, 8])
        now = 0
        for tick, _, msg in sorted(self.events, key=lambda e: (e[0], e[1])):
            data += vlq(tick - now) + msg
            now = tick
        data += vlq(PPQ) + b"\xff\x2f\x00"
        with open(path, "wb") as f:
            f.write(b"MThd" + struct.pack(">IHHH", 6, 0, 1, PPQ))
            f.write(b"MTrk" + struct.pack(">I", len(data)) + data)


def scale_of(tonic, major):
    return [(tonic + s) % 12 for s in (MAJOR_SCALE if major else MINOR_SCALE)]


def chord_of(tonic, major, degree):
    """Pitch classes of the triad on @degree; in minor, V is major (the
    leading tone of harmonic minor)."""
    scale = scale_of(tonic, major)
    pcs = [scale[(degree + k) % 7] for k in (0, 2, 4)]
    if not major and degree == 4:
        pcs[1] = (pcs[1] + 1) % 12
    return pcs


def voice(pcs, low, rng):
    """The chord's notes upwards from @low, in a random inversion."""
    inv = rng.randrange(3)
    order = pcs[inv:] + pcs[:inv]
    notes, n = [], low
    for pc in order:
        while n % 12 != pc:
            n += 1
        notes.append(n)
    return notes


def human(rng, tick, amount=10):
    return max(0, tick + rng.randint(-amount, amount))


def bars_for(bpm, beats_per_bar):
    return max(4, int(round(SECONDS * bpm / 60.0 / beats_per_bar)))


def add_chords(track, rng, ch, tonic, major, prog, bars, bpb, bpm):
    """Block chords on every beat, accented on the first, over a bass line
    on the beats (channel ch + 1)."""
    beat = PPQ
    for bar in range(bars):
        pcs = chord_of(tonic, major, prog[bar % len(prog)])
        notes = voice(pcs, 55 + rng.randrange(5), rng)
        start = bar * bpb * beat
        for b in range(bpb):
            vel = 92 if b == 0 else 72
            for n in notes:
                track.note(human(rng, start + b * beat), beat - 30, ch, n,
                           vel + rng.randint(-6, 6))
    add_bass(track, rng, ch + 1, tonic, major, prog, bars, bpb)


def add_melody(track, rng, ch, tonic, major, prog, bars, bpb, bpm):
    """A line over the scale: chord tones on the beats, steps between,
    in quarters, eighths, halves and dotted quarters; ends on the tonic."""
    beat = PPQ
    scale = scale_of(tonic, major)
    base = 60 + (tonic - 60) % 12
    if base > 66:
        base -= 12
    pitches = sorted({base + o * 12 + (s - tonic) % 12
                      for o in (0, 1) for s in scale} | {base + 12})
    pos = pitches.index(base + 12) if rng.random() < 0.5 else 0
    slow = bpm < 90
    fast = bpm > 150
    for bar in range(bars):
        pcs = chord_of(tonic, major, prog[bar % len(prog)])
        t = 0
        while t < bpb * beat:
            on_beat = t % beat == 0
            if fast:
                choice = [beat, beat, 2 * beat]
            elif slow:
                choice = [beat, beat, 2 * beat, beat // 2 * 3]
            else:
                choice = [beat, beat // 2, beat, 2 * beat, beat // 2 * 3]
            length = min(rng.choice(choice), bpb * beat - t)
            if not on_beat:
                length = min(length, beat - t % beat)
            if bar == bars - 1 and t == 0:
                length = bpb * beat
                target = [i for i, p in enumerate(pitches) if p % 12 == tonic]
                pos = min(target, key=lambda i: abs(i - pos))
            elif on_beat:
                near = [i for i, p in enumerate(pitches) if p % 12 in pcs]
                pos = min(near, key=lambda i: abs(i - pos) + rng.random() * 2)
            else:
                pos = max(0, min(len(pitches) - 1,
                                 pos + rng.choice([-1, 1, 1, -1, 2, -2])))
            vel = 96 if t == 0 else 84 if on_beat else 70
            track.note(human(rng, bar * bpb * beat + t), length - 20, ch,
                       pitches[pos], vel + rng.randint(-5, 5))
            t += length


def add_bass(track, rng, ch, tonic, major, prog, bars, bpb):
    """A bass line on the beats: the root on the first, then root, fifth
    or octave."""
    beat = PPQ
    for bar in range(bars):
        pcs = chord_of(tonic, major, prog[bar % len(prog)])
        root = 36 + (pcs[0] - 36) % 12
        for b in range(bpb):
            note = root if b == 0 else root + rng.choice([0, 0, 7, 12])
            track.note(human(rng, (bar * bpb + b) * beat), beat - 40, ch,
                       note, (104 if b == 0 else 88) + rng.randint(-5, 5))


def add_drums(track, rng, bars, bpb, bpm, style=None):
    """Kick and snare on the beats; hats, ride or claps between, as the
    tempo suits."""
    beat = PPQ
    e = beat // 2
    s = beat // 4
    style = style or rng.choice(["rock", "four", "half", "break", "shuffle"])
    if bpb == 3:
        style = "waltz"
    for bar in range(bars):
        start = bar * bpb * beat
        hits = []
        if style == "waltz":
            hits += [(0, KICK, 110), (beat, SNARE, 80), (2 * beat, SNARE, 80)]
            hits += [(b * beat, HAT, 70) for b in range(3)]
        elif style == "four":
            hits += [(b * beat, KICK, 112) for b in range(4)]
            hits += [(b * beat + e, OPEN_HAT if bpm < 140 else HAT, 70)
                     for b in range(4)]
            hits += [(beat, CLAP, 90), (3 * beat, CLAP, 90)]
        elif style == "half":
            hits += [(0, KICK, 112), (2 * beat, SNARE, 105)]
            hits += [(b * beat, KICK, 90) for b in (1, 3) if rng.random() < .5]
            hits += [(b * beat, HAT, 74) for b in range(4)]
            if bpm < 100:
                hits += [(b * beat + e, HAT, 50) for b in range(4)]
        elif style == "break":
            hits += [(0, KICK, 112), (beat + e, KICK, 95), (2 * beat + e, KICK,
                                                          100)]
            hits += [(beat, SNARE, 105), (3 * beat, SNARE, 105)]
            hits += [(b * beat, HAT, 74) for b in range(4)]
            if bpm < 140:
                hits += [(b * beat + e, HAT, 58) for b in range(4)]
        elif style == "shuffle":
            third = beat // 3
            hits += [(0, KICK, 112), (2 * beat, KICK, 105)]
            hits += [(beat, SNARE, 105), (3 * beat, SNARE, 105)]
            hits += [(b * beat, RIDE, 80) for b in range(4)]
            if bpm < 160:
                hits += [(b * beat + 2 * third, RIDE, 56) for b in range(4)]
        else:  # rock
            hits += [(0, KICK, 112), (2 * beat, KICK, 108)]
            hits += [(beat, SNARE, 105), (3 * beat, SNARE, 105)]
            hits += [(b * beat, HAT, 80) for b in range(4)]
            if bpm < 150:
                hits += [(b * beat + e, HAT, 60) for b in range(4)]
            if bpm < 80:
                hits += [(b * beat + off, HAT, 45) for b in range(4)
                         for off in (s, 3 * s)]
        if bar % 8 == 0:
            hits.append((0, CRASH, 90))
        for t, key, vel in hits:
            track.note(human(rng, start + t, 6), e, 9, key,
                       vel + rng.randint(-6, 6))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--per-key", type=int, default=10)
    ap.add_argument("--drums", type=int, default=60)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.outdir, exist_ok=True)
    families = sorted(INSTRUMENTS)
    kinds = ["chords", "chords", "chords", "chords", "melody", "melody",
             "melody", "band", "band", "band"]
    rows = []
    n = 0
    for major in (True, False):
        for tonic in range(12):
            for k in range(args.per_key):
                kind = kinds[k % len(kinds)]
                family = families[(n + k) % len(families)]
                bpm = rng.randint(60, 200)
                bpb = 3 if rng.random() < 0.2 else 4
                prog = rng.choice(MAJOR_PROGRESSIONS if major
                                  else MINOR_PROGRESSIONS)
                bars = bars_for(bpm, bpb)
                track = Track()
                track.program(0, rng.choice(INSTRUMENTS[family]))
                track.program(1, rng.choice(BASS))
                if kind == "chords":
                    add_chords(track, rng, 0, tonic, major, prog, bars, bpb,
                               bpm)
                elif kind == "melody":
                    add_melody(track, rng, 0, tonic, major, prog, bars, bpb,
                               bpm)
                    add_bass(track, rng, 1, tonic, major, prog, bars, bpb)
                else:
                    track.program(2, rng.choice(INSTRUMENTS["piano"] +
                                                INSTRUMENTS["guitar"]))
                    track.program(3, rng.choice(BASS))
                    add_chords(track, rng, 2, tonic, major, prog, bars, bpb,
                               bpm)
                    add_melody(track, rng, 0, tonic, major, prog, bars, bpb,
                               bpm)
                    add_drums(track, rng, bars, bpb, bpm)
                # A third of the pieces are tuned away from A = 440 Hz, as
                # recordings are, but by less than a quarter-tone.
                cents = 0
                if rng.random() < 1.0 / 3.0:
                    cents = rng.choice([-1, 1]) * rng.randint(10, 40)
                    for c in range(4):
                        track.detune(c, cents)
                name = "%03d-%s-%s%s-%s" % (n, kind, NAMES[tonic],
                                            "" if major else "m", family)
                track.write(os.path.join(args.outdir, name + ".mid"), bpm, bpb)
                rows.append((name, kind, family, bpm, "%d/4" % bpb, tonic,
                             "major" if major else "minor", cents))
                n += 1
    for k in range(args.drums):
        bpm = rng.randint(60, 200)
        bpb = 3 if rng.random() < 0.15 else 4
        track = Track()
        add_drums(track, rng, bars_for(bpm, bpb), bpb, bpm)
        name = "%03d-drums" % n
        track.write(os.path.join(args.outdir, name + ".mid"), bpm, bpb)
        rows.append((name, "drums", "drums", bpm, "%d/4" % bpb, -1, "none",
                     0))
        n += 1
    with open(os.path.join(args.outdir, "labels.tsv"), "w") as f:
        f.write("# name\tkind\tinstrument\tbpm\tmetre\ttonic\tmode\t"
                "cents\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")


if __name__ == "__main__":
    main()
