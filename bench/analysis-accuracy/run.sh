#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench/analysis-accuracy/run.sh: the labelled analysis benchmark.
#
# 1. Renders the labelled pieces (make-pieces.py: chord progressions,
#    melodies, bands and drums in all 24 keys at 60-200 BPM) with
#    FluidSynth and Debian's General MIDI soundfont into the cache; the
#    audio is made here, never committed, and made again only when the
#    generator changes.
# 2. Analyses them with analysis-probe (semblance_analyze_file(), as the
#    engine analyses files).
# 3. On the game soundtracks of data/training/descriptions.tsv (unpacked
#    by data/training/fetch-corpus.sh), in the same run: our tempo against
#    `aubio tempo`, our loudness against ffmpeg's ebur128 filter, on every
#    track and on a mono and a 5.1 file made from two of them.
# 4. Prints the figures (metrics.py); every file's figures go to
#    $out/details.tsv.
#
# Usage: run.sh [--tracks N] [--pieces-only]
#   --tracks N     N real tracks, evenly spaced through the table (default
#                  all)
#   --pieces-only  the rendered pieces alone
#
# Environment:
#   SEMBLANCE_ACCURACY_BUILD  build folder, used as it is configured
#                             (default: build-accuracy in the repository,
#                             set up as a release build of its own)
#   SEMBLANCE_JOBS            files analysed at once (default: the cores)
#   XDG_CACHE_HOME            the cache is $XDG_CACHE_HOME/semblance
#
# FluidSynth, the soundfont, aubio and ffmpeg are the benchmark's alone:
# this script installs them if they are missing (apt-get, with sudo when
# not root), not build-aux/install-deps.
set -eu

cd "$(dirname "$0")/../.."
top=$(pwd)
here=bench/analysis-accuracy
build=${SEMBLANCE_ACCURACY_BUILD:-build-accuracy}
jobs=${SEMBLANCE_JOBS:-$(nproc)}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/semblance
corpus=$cache/corpus
soundfont=/usr/share/sounds/sf2/FluidR3_GM.sf2
tracks=0
pieces_only=0
while [ $# -gt 0 ]; do
  case $1 in
    --tracks) tracks=$2; shift 2 ;;
    --pieces-only) pieces_only=1; shift ;;
    *) echo "usage: $0 [--tracks N] [--pieces-only]" >&2; exit 2 ;;
  esac
done

# The benchmark's own tools.
need=""
command -v fluidsynth >/dev/null 2>&1 || need="$need fluidsynth"
[ -f "$soundfont" ] || need="$need fluid-soundfont-gm"
command -v aubio >/dev/null 2>&1 || need="$need aubio-tools"
command -v ffmpeg >/dev/null 2>&1 || need="$need ffmpeg"
if [ -n "$need" ]; then
  echo "analysis-accuracy: installing what the benchmark needs:$need" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  if ! $sudo apt-get install -y -q --no-install-recommends $need; then
    $sudo apt-get update -q
    # shellcheck disable=SC2086
    $sudo apt-get install -y -q --no-install-recommends $need
  fi
fi

build-aux/install-deps
# A build folder that is given is used as it is configured.
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" -Dbuildtype=release -Dtests=false >/dev/null
fi
meson compile -C "$build" bench/analysis-accuracy/analysis-probe >/dev/null
probe=$build/bench/analysis-accuracy/analysis-probe
state=$(cat core/analysis/*.c core/analysis/*.h | sha256sum | cut -c1-12)

# 1. The pieces, in a folder named after the generator's digest.
gen=$(sha256sum "$here/make-pieces.py" | cut -c1-12)
pieces=$cache/analysis-accuracy/pieces-$gen
if [ ! -f "$pieces/.rendered" ]; then
  echo "Rendering the pieces into $pieces (a few minutes, once)" >&2
  rm -rf "$pieces"
  mkdir -p "$pieces"
  python3 "$here/make-pieces.py" "$pieces"
  # One FluidSynth per piece, $jobs at a time; -g 0.6 brings the pieces
  # near -20 LUFS.
  find "$pieces" -name '*.mid' | sort | xargs -P "$jobs" -I{} sh -c \
    'fluidsynth -ni -q -g 0.6 -r 44100 -T flac -F "${1%.mid}.flac" "$2" "$1" >/dev/null 2>&1' \
    _ {} "$soundfont"
  rm -f "$pieces"/*.mid
  touch "$pieces/.rendered"
fi

out=$build/analysis-accuracy
mkdir -p "$out"
echo "Analysing $(ls "$pieces"/*.flac | wc -l) pieces (core/analysis $state)" >&2
# shellcheck disable=SC2046
"$probe" -j "$jobs" $(ls "$pieces"/*.flac) >"$out/pieces.tsv"

if [ "$pieces_only" -eq 1 ]; then
  python3 "$here/metrics.py" --labels "$pieces/labels.tsv" \
    --pieces "$out/pieces.tsv" --details "$out/details.tsv"
  exit 0
fi

# 3. The real tracks: those of the table whose files are in the cache.
awk -F'\t' '!/^#/ { print $1 "/" $2 }' data/training/descriptions.tsv |
  while read -r rel; do
    [ -f "$corpus/$rel" ] && echo "$corpus/$rel"
  done >"$out/all-tracks.txt"
total=$(wc -l <"$out/all-tracks.txt")
if [ "$total" -eq 0 ]; then
  echo "No tracks in $corpus: run data/training/fetch-corpus.sh" >&2
  exit 1
fi
if [ "$tracks" -gt 0 ] && [ "$tracks" -lt "$total" ]; then
  awk -v n="$tracks" -v t="$total" \
    'NR == 1 + int(k * t / n) { print; k++ }' "$out/all-tracks.txt" \
    >"$out/tracks.txt"
else
  cp "$out/all-tracks.txt" "$out/tracks.txt"
fi

# The loudness goal's files: the first 20 stereo tracks of the list, a
# mono file (ffmpeg's downmix of the first) and a 5.1 file (the second,
# with a centre, a loud LFE and surrounds of their own).
derived=$cache/analysis-accuracy/derived
mkdir -p "$derived"
: >"$out/loudness-files.txt"
while read -r f; do
  ch=$(ffprobe -v error -select_streams a:0 -show_entries stream=channels \
    -of csv=p=0 "$f")
  [ "$ch" = 2 ] && echo "$f" >>"$out/loudness-files.txt"
  [ "$(wc -l <"$out/loudness-files.txt")" -ge 20 ] && break
done <"$out/tracks.txt"
first=$(sed -n 1p "$out/loudness-files.txt")
second=$(sed -n 2p "$out/loudness-files.txt")
mono=$derived/mono.flac
surround=$derived/surround-5.1.flac
[ -f "$mono" ] || ffmpeg -nostdin -v error -i "$first" -ac 1 "$mono"
[ -f "$surround" ] || ffmpeg -nostdin -v error -i "$second" -filter_complex \
  "pan=5.1|FL=c0|FR=c1|FC=0.5*c0+0.5*c1|LFE=0.9*c0+0.9*c1|BL=0.7*c0-0.3*c1|BR=0.7*c1-0.3*c0" \
  "$surround"
echo "$mono" >>"$out/loudness-files.txt"
echo "$surround" >>"$out/loudness-files.txt"
{ cat "$out/tracks.txt"; echo "$mono"; echo "$surround"; } >"$out/real.txt"

echo "Analysing $(wc -l <"$out/real.txt") real files" >&2
# shellcheck disable=SC2046
tr '\n' '\0' <"$out/real.txt" | xargs -0 "$probe" -j "$jobs" >"$out/real.tsv"

echo "aubio tempo and ffmpeg ebur128 on the same files" >&2
# Two figures of aubio's: the one `aubio tempo` prints (aubio-tools 0.4.9
# prints the mean of the instantaneous tempi 60/interval, which a few
# doubled or dropped beats pull far off), and 60 s over the median interval
# between the beats `aubio beat` finds, the same beat tracker.
tr '\n' '\0' <"$out/real.txt" | xargs -0 -P "$jobs" -n 1 sh -c \
  'bpm=$(aubio tempo -i "$1" 2>/dev/null | awk "/bpm/ { print \$1 }" | tail -n 1)
   median=$(aubio beat -i "$1" 2>/dev/null | awk "NR > 1 { print \$1 - prev } { prev = \$1 }" |
     sort -g | awk "{ d[NR] = \$1 } END { if (NR < 2) exit;
       m = NR % 2 ? d[(NR + 1) / 2] : (d[NR / 2] + d[NR / 2 + 1]) / 2; printf \"%.2f\", 60 / m }")
   printf "%s\t%s\t%s\n" "$1" "${bpm:-error}" "${median:-error}"' _ >"$out/aubio.tsv"
# The summary ffmpeg prints at the end: integrated loudness and range.
tr '\n' '\0' <"$out/real.txt" | xargs -0 -P "$jobs" -n 1 sh -c \
  'ffmpeg -nostdin -nostats -hide_banner -i "$1" -af ebur128 -f null - 2>&1 |
   awk -v f="$1" "/Summary:/ { s = 1 } s && /I:/ { i = \$2 } s && /LRA:/ { l = \$2 }
     END { printf \"%s\t%s\t%s\n\", f, i == \"\" ? \"error\" : i, l }"' \
  _ >"$out/ffmpeg.tsv"

python3 "$here/metrics.py" --labels "$pieces/labels.tsv" \
  --pieces "$out/pieces.tsv" --real "$out/real.tsv" --aubio "$out/aubio.tsv" \
  --ffmpeg "$out/ffmpeg.tsv" --loudness-files "$out/loudness-files.txt" \
  --details "$out/details.tsv"
echo "(aubio $(aubio --version 2>/dev/null | head -n 1 || true);" \
  "$(ffmpeg -version | head -n 1); core/analysis $state; files in $out)"
