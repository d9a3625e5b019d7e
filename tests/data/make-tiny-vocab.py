#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes tiny-vocab.bin: a valid three-word, four-dimensional vocabulary in
the format of data/vocab/semblance-vocab.bin, as a small seed for the
vocabulary fuzz target."""
import hashlib
import os
import struct

words = ["calm", "fast", "slow"]
dim = 4
common = [0.5, 0.5, 0.5, 0.5]
vectors = [[127, 0, 0, 0], [0, 127, -20, 0], [0, -20, 127, 3]]
antonyms = [-1, 2, 1]
lemmas = [-1, -1, -1]

pool = b"".join(w.encode() + b"\0" for w in words)
offsets = [pool.index(w.encode() + b"\0") for w in words]
payload = struct.pack("<4f", *common)
for i in range(len(words)):
    payload += struct.pack("<Iffii", offsets[i], 1.0 / 127, 0.9, antonyms[i], lemmas[i])
payload += bytes(v & 0xff for row in vectors for v in row)
payload += pool
header = struct.pack("<8sIIII32s", b"SMBLVOC\0", 1, dim, len(words), len(pool),
                     hashlib.sha256(payload).digest())
header += b"\0" * (64 - len(header))
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "tiny-vocab.bin"), "wb") as f:
    f.write(header + payload)
