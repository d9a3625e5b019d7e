#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# train-folds.sh SEMBLANCE FOLDS OUT [KIND]: the models of the 4Q 4-fold
# protocol (README.md). For K = 1..4, trains OUT/fold-K.smodel with the
# command line SEMBLANCE on FOLDS/fold-K-KIND.tsv, as
# `bench-quality --write-folds FOLDS` writes them: KIND "train" (default)
# describes the clips by their mood tags and genres, "train-tags" by their
# genres and titles only, as a user's tags would. The options are the
# command line's defaults, which are data/model/train-default.sh's, unless
# $SEMBLANCE_TRAIN_OPTIONS says others.
# Then: bench-quality --4q DIR --fold-models OUT
set -eu

if [ $# -lt 3 ] || [ $# -gt 4 ]; then
  echo "usage: train-folds.sh SEMBLANCE FOLDS OUT [train|train-tags]" >&2
  exit 2
fi
semblance=$1 folds=$2 out=$3 kind=${4:-train}
options=${SEMBLANCE_TRAIN_OPTIONS:-}
mkdir -p "$out"
for k in 1 2 3 4; do
  table=$folds/fold-$k-$kind.tsv
  if [ ! -f "$table" ]; then
    echo "train-folds.sh: $table: no such table (bench-quality --write-folds $folds)" >&2
    exit 1
  fi
  echo "train-folds.sh: fold $k: $table" >&2
  # shellcheck disable=SC2086 # the options are words
  "$semblance" train "$table" -o "$out/fold-$k.smodel" --seed 1 $options \
    --license NOASSERTION --name "4Q fold $k ($kind, experiment)" \
    --training-data "4Q clips of the other folds, $kind descriptions"
done
