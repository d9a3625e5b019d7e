#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The figures of the analysis benchmark, from the outputs of run.sh.

    metrics.py --labels LABELS.tsv --pieces PROBE.tsv
               [--real PROBE.tsv --aubio AUBIO.tsv --ffmpeg FFMPEG.tsv]
               [--loudness-files LIST] [--details FILE]

PROBE.tsv are analysis-probe's lines; AUBIO.tsv is "file TAB bpm" from
`aubio tempo`, FFMPEG.tsv "file TAB I TAB LRA" from ffmpeg's ebur128
filter; LIST names the files of the loudness goal (20 stereo tracks, a
mono and a 5.1 file). Prints the summary; --details writes every file's
figures.
"""
import argparse
import collections

NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
FACTORS = (1.0, 2.0, 3.0, 0.5, 1.0 / 3.0)
TOLERANCE = 0.04


def read_probe(path):
    rows, tempo_range = {}, None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# tempo-range"):
                tempo_range = tuple(float(x) for x in line.split()[2:4])
                continue
            fields = line.split("\t")
            if len(fields) < 2 or fields[1] == "error":
                rows[fields[0]] = None
                continue
            (path_, seconds, tempo, conf, clarity, flags, key, major,
             strength, loud, lra, cpu) = fields[:12]
            rows[path_] = dict(
                seconds=float(seconds), tempo=float(tempo),
                confidence=float(conf), clarity=float(clarity),
                flags=set() if flags == "-" else set(flags.split(",")),
                key=int(key), major=int(major), strength=float(strength),
                loudness=float(loud), lra=float(lra), cpu=float(cpu))
    return rows, tempo_range


def acc1(est, ref):
    return est > 0 and abs(est - ref) <= TOLERANCE * ref


def acc2(est, ref):
    return any(acc1(est, ref * f) for f in FACTORS)


def metrical_relation(est, ref):
    """What a tempo that Acc2 does not accept is to the reference: a
    neighbouring metrical level (3:2, 4:3 and their inverses, within the
    tolerance), "no pulse", or "other"."""
    if est <= 0:
        return "no pulse"
    for name, f in (("3:2", 1.5), ("2:3", 2 / 3), ("4:3", 4 / 3),
                    ("3:4", 0.75)):
        if acc1(est, ref * f):
            return name
    return "other"


def mirex(est_tonic, est_major, tonic, major):
    """MIREX key score: 1 same key, 0.5 a fifth above (same mode; the
    estimate is the dominant, as mir_eval's default counts it), 0.3
    relative, 0.2 parallel, else 0."""
    if est_tonic < 0:
        return 0.0
    if est_major == major and est_tonic == tonic:
        return 1.0
    if est_major == major and (est_tonic - tonic) % 12 == 7:
        return 0.5
    if major and not est_major and est_tonic == (tonic + 9) % 12:
        return 0.3
    if not major and est_major and est_tonic == (tonic + 3) % 12:
        return 0.3
    if est_tonic == tonic:
        return 0.2
    return 0.0


def key_name(tonic, major):
    return NAMES[tonic] + ("" if major else "m")


def pct(n, d):
    return "%d/%d = %.3f" % (n, d, n / d if d else float("nan"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--labels", required=True)
    ap.add_argument("--pieces", required=True)
    ap.add_argument("--real")
    ap.add_argument("--aubio")
    ap.add_argument("--ffmpeg")
    ap.add_argument("--loudness-files")
    ap.add_argument("--details")
    args = ap.parse_args()
    details = open(args.details, "w") if args.details else None

    probe, tempo_range = read_probe(args.pieces)
    by_name = {p.rsplit("/", 1)[-1].rsplit(".", 1)[0]: v
               for p, v in probe.items()}
    labels = []
    with open(args.labels) as f:
        for line in f:
            if line.startswith("#"):
                continue
            name, kind, instr, bpm, metre, tonic, mode, cents = \
                line.rstrip("\n").split("\t")
            labels.append((name, kind, instr, float(bpm), metre, int(tonic),
                           mode, int(cents)))

    print("== rendered pieces (%d) ==" % len(labels))
    missing = [n for n, *_ in labels if by_name.get(n) is None]
    if missing:
        print("  not analysed: %d (%s...)" % (len(missing), missing[0]))
    tempo_rows = [(l, by_name[l[0]]) for l in labels if by_name.get(l[0])]
    n = len(tempo_rows)
    a1 = sum(acc1(r["tempo"], l[3]) for l, r in tempo_rows)
    a2 = sum(acc2(r["tempo"], l[3]) for l, r in tempo_rows)
    nopulse = sum("no-pulse" in r["flags"] for l, r in tempo_rows)
    print("  tempo Acc1 (4%%)                    %s   (goal >= 0.85)" %
          pct(a1, n))
    print("  tempo Acc2 (also x2 x3 x1/2 x1/3)   %s   (goal >= 0.95)" %
          pct(a2, n))
    print("  no-pulse                            %s" % pct(nopulse, n))
    by_kind = collections.defaultdict(lambda: [0, 0, 0])
    for l, r in tempo_rows:
        k = by_kind[l[1]]
        k[0] += 1
        k[1] += acc1(r["tempo"], l[3])
        k[2] += acc2(r["tempo"], l[3])
    for kind in sorted(by_kind):
        c, x1, x2 = by_kind[kind]
        print("    %-8s %3d pieces  Acc1 %.3f  Acc2 %.3f" %
              (kind, c, x1 / c, x2 / c))
    errors = collections.Counter()
    for l, r in tempo_rows:
        if acc1(r["tempo"], l[3]):
            continue
        if r["tempo"] <= 0:
            errors["0 (no pulse)"] += 1
            continue
        for f, name in zip(FACTORS[1:], ["x2", "x3", "x1/2", "x1/3"]):
            if acc1(r["tempo"], l[3] * f):
                errors[name] += 1
                break
        else:
            errors["other"] += 1
    print("  tempo errors: %s" % (", ".join("%s %d" % kv for kv in
                                            errors.most_common()) or "none"))

    pitched = [(l, r) for l, r in tempo_rows if l[5] >= 0]
    drums = [(l, r) for l, r in tempo_rows if l[5] < 0]
    exact = sum(r["key"] == l[5] and r["major"] == (l[6] == "major")
                and "no-key" not in r["flags"] for l, r in pitched)
    score = sum(mirex(-1 if "no-key" in r["flags"] else r["key"],
                      r["major"], l[5], l[6] == "major") for l, r in pitched)
    false_nokey = sum("no-key" in r["flags"] for l, r in pitched)
    drum_nokey = sum("no-key" in r["flags"] for l, r in drums)
    print("  key accuracy                        %s" % pct(exact, len(pitched)))
    print("  MIREX weighted key score            %.3f   (goal >= 0.80)" %
          (score / len(pitched) if pitched else float("nan")))
    print("  pitched pieces flagged no-key       %s" %
          pct(false_nokey, len(pitched)))
    print("  drum pieces flagged no-key          %s   (goal: all)" %
          pct(drum_nokey, len(drums)))
    kinds = collections.Counter()
    for l, r in pitched:
        s = mirex(-1 if "no-key" in r["flags"] else r["key"], r["major"],
                  l[5], l[6] == "major")
        kinds["exact" if s == 1 else "fifth" if s == 0.5 else
              "relative" if s == 0.3 else "parallel" if s == 0.2 else
              "no-key" if "no-key" in r["flags"] else "other"] += 1
    print("  key outcomes: %s" % ", ".join("%s %d" % kv
                                          for kv in kinds.most_common()))
    est = collections.Counter(key_name(r["key"], r["major"])
                              for l, r in pitched
                              if "no-key" not in r["flags"])
    if est:
        k, c = est.most_common(1)[0]
        print("  most common estimate: %s, %s (each key is 1/24 = 0.042 of "
              "the labels)" % (k, pct(c, len(pitched))))
    for kind in ("chords", "melody", "band"):
        rows = [(l, r) for l, r in pitched if l[1] == kind]
        if rows:
            s = sum(mirex(-1 if "no-key" in r["flags"] else r["key"],
                          r["major"], l[5], l[6] == "major") for l, r in rows)
            print("    %-8s %3d pieces  MIREX %.3f" % (kind, len(rows),
                                                       s / len(rows)))
    for label, rows in (("in tune", [x for x in pitched if x[0][7] == 0]),
                        ("detuned", [x for x in pitched if x[0][7] != 0])):
        if rows:
            s = sum(mirex(-1 if "no-key" in r["flags"] else r["key"],
                          r["major"], l[5], l[6] == "major") for l, r in rows)
            print("    %-8s %3d pieces  MIREX %.3f" % (label, len(rows),
                                                       s / len(rows)))
    for mode in ("major", "minor"):
        rows = [(l, r) for l, r in pitched if l[6] == mode]
        s = sum(mirex(-1 if "no-key" in r["flags"] else r["key"],
                      r["major"], l[5], l[6] == "major") for l, r in rows)
        print("    %-8s %3d pieces  MIREX %.3f" % (mode, len(rows),
                                                   s / len(rows)))
    if details:
        details.write("# rendered: name kind instrument bpm metre key | "
                      "tempo confidence flags key strength\n")
        for l, r in tempo_rows:
            details.write("%s\t%s\t%s\t%g\t%s\t%s\t%.2f\t%.3f\t%s\t%s\t"
                          "%.3f\n" % (
                              l[0], l[1], l[2], l[3], l[4],
                              key_name(l[5], l[6] == "major")
                              if l[5] >= 0 else "-",
                              r["tempo"], r["confidence"],
                              ",".join(sorted(r["flags"])) or "-",
                              key_name(r["key"], r["major"]), r["strength"]))

    if not args.real:
        return
    real, tempo_range = read_probe(args.real)
    aubio, aubio_median = {}, {}
    if args.aubio:
        with open(args.aubio) as f:
            for line in f:
                fields = line.rstrip("\n").split("\t")
                for table, value in zip((aubio, aubio_median), fields[1:3]):
                    try:
                        table[fields[0]] = float(value)
                    except ValueError:
                        table[fields[0]] = None
    ffmpeg = {}
    if args.ffmpeg:
        with open(args.ffmpeg) as f:
            for line in f:
                p, i, lra = line.rstrip("\n").split("\t")
                ffmpeg[p] = (float(i), float(lra)) if i != "error" else None
    loud_files = []
    if args.loudness_files:
        with open(args.loudness_files) as f:
            loud_files = [line.rstrip("\n") for line in f if line.strip()]
    tracks = [p for p in real if p not in loud_files[20:]]
    ok = {p: real[p] for p in tracks if real[p] is not None}
    print("== real tracks (%d analysed of %d) ==" % (len(ok), len(tracks)))
    for label, ref in (("aubio tempo", aubio),
                       ("aubio beat, median", aubio_median)):
        both = [p for p in ok if ref.get(p)]
        if not both:
            continue
        agree2 = sum(acc2(ok[p]["tempo"], ref[p]) for p in both)
        agree1 = sum(acc1(ok[p]["tempo"], ref[p]) for p in both)
        print("  tempo agrees with %-18s Acc2 %s   (goal >= 0.85), Acc1 %s" %
              (label + ",", pct(agree2, len(both)), pct(agree1, len(both))))
    # How far the reference agrees with itself: its two figures, one
    # tracker's beats, under the same Acc2.
    both = [p for p in ok if aubio.get(p) and aubio_median.get(p)]
    if both:
        print("  aubio tempo agrees with aubio beat's median (Acc2) %s" %
              pct(sum(acc2(aubio[p], aubio_median[p]) for p in both),
                  len(both)))
        # Where aubio's two methods agree, the reference is at its most
        # trustworthy; what we miss there says what kind of error is ours.
        settled = [p for p in both if acc2(aubio[p], aubio_median[p])]
        if settled:
            print("    where they agree, tempo agrees with aubio beat    %s" %
                  pct(sum(acc2(ok[p]["tempo"], aubio_median[p])
                          for p in settled), len(settled)))
            misses = collections.Counter(
                metrical_relation(ok[p]["tempo"], aubio_median[p])
                for p in settled if not acc2(ok[p]["tempo"], aubio_median[p]))
            print("    our misses there: %s" % ", ".join(
                "%s %d" % kv for kv in misses.most_common()))
    # Whether the estimate's confidence says which figures to trust.
    both = [p for p in ok if aubio_median.get(p)]
    for least in (0.3, 0.5):
        sure = [p for p in both if ok[p]["confidence"] >= least]
        if sure:
            print("  at confidence >= %.1f (%s of tracks), tempo agrees "
                  "with aubio beat %s" % (
                      least, pct(len(sure), len(both)),
                      pct(sum(acc2(ok[p]["tempo"], aubio_median[p])
                              for p in sure), len(sure))))
    nopulse = sum("no-pulse" in ok[p]["flags"] for p in ok)
    print("  no-pulse                            %s" % pct(nopulse, len(ok)))
    if tempo_range:
        lo, hi = tempo_range
        edge = [p for p in ok if ok[p]["tempo"] > 0 and
                (abs(ok[p]["tempo"] - lo) < 0.5 or
                 abs(ok[p]["tempo"] - hi) < 0.5)]
        print("  at the tempo range's ends (%g, %g)  %s   (goal: none)" %
              (lo, hi, pct(len(edge), len(ok))))
    keys = collections.Counter(key_name(ok[p]["key"], ok[p]["major"])
                               for p in ok if "no-key" not in ok[p]["flags"])
    nokey = sum("no-key" in ok[p]["flags"] for p in ok)
    if keys:
        k, c = keys.most_common(1)[0]
        print("  most common key: %s, %s of all tracks   (goal <= 0.15); "
              "%s of those with a key" % (k, pct(c, len(ok)),
                                         pct(c, len(ok) - nokey)))
        print("  next: %s" % ", ".join("%s %d" % kv
                                       for kv in keys.most_common(6)[1:]))
    print("  no-key                              %s" % pct(nokey, len(ok)))

    errs = [(abs(ok[p]["loudness"] - ffmpeg[p][0]), p) for p in ok
            if ffmpeg.get(p)]
    if errs:
        within = sum(e <= 0.5 for e, _ in errs)
        print("  loudness vs ffmpeg ebur128: mean |error| %.2f LU, max %.2f LU "
              "(%s), within 0.5 LU %s" % (
                  sum(e for e, _ in errs) / len(errs), max(errs)[0],
                  max(errs)[1].rsplit("/", 1)[-1], pct(within, len(errs))))
    lra_errs = [abs(ok[p]["lra"] - ffmpeg[p][1]) for p in ok
                if ffmpeg.get(p)]
    if lra_errs:
        print("  loudness range vs ffmpeg: mean |error| %.2f LU, max %.2f LU"
              % (sum(lra_errs) / len(lra_errs), max(lra_errs)))
    if loud_files:
        print("  loudness goal files (20 stereo tracks, a mono file, a 5.1 "
              "file): ffmpeg I, Semblance, LUFS")
        worst = 0.0
        for p in loud_files:
            r, ref = real.get(p), ffmpeg.get(p)
            if r is None or not ref:
                print("    %s: not measured" % p)
                worst = float("inf")
                continue
            worst = max(worst, abs(r["loudness"] - ref[0]))
            print("    %7.2f %7.2f  %s" % (ref[0], r["loudness"],
                                         p.rsplit("/", 1)[-1]))
        print("  largest error on these: %.2f LU   (goal <= 0.5)" % worst)
    print("  CPU: %.1f s for %d files, decoding included" % (
        sum(ok[p]["cpu"] for p in ok), len(ok)))
    if details:
        details.write("# real: file | tempo aubio confidence flags key "
                      "loudness ffmpeg-I\n")
        for p in tracks:
            r = real.get(p)
            if r is None:
                continue
            details.write("%s\t%.2f\t%s\t%.3f\t%s\t%s\t%.2f\t%s\n" % (
                p, r["tempo"], "%.2f" % aubio[p] if aubio.get(p) else "-",
                r["confidence"], ",".join(sorted(r["flags"])) or "-",
                key_name(r["key"], r["major"]), r["loudness"],
                "%.2f" % ffmpeg[p][0] if ffmpeg.get(p) else "-"))

if __name__ == "__main__":
    main()
