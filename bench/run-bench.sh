#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench/run-bench.sh: builds a release build of its own (build-bench/), fetches
# the Battle for Wesnoth soundtrack into the cache if it is not there yet, runs
# bench-analysis on the demo clips and on the whole soundtrack, and prints a
# summary table with the command behind each figure. Every figure compares
# Semblance with a baseline measured in this same run on the same input.
# The full output of each command is kept in build-bench/bench-logs/.
#
# Takes about 5 minutes on 2 cores (plus the build and, once, the 153 MB
# download and the writing of a 60-minute Ogg file into the cache).
#
# Environment:
#   SEMBLANCE_BENCH_BUILD    build folder (default: build-bench in the repo)
#   SEMBLANCE_BENCH_SECONDS  real-time playback per pipeline for the element
#                            (default 20)
#   XDG_CACHE_HOME           the cache is $XDG_CACHE_HOME/semblance
#                            (default ~/.cache/semblance)
set -eu

cd "$(dirname "$0")/.."
top=$(pwd)
build=${SEMBLANCE_BENCH_BUILD:-build-bench}
seconds=${SEMBLANCE_BENCH_SECONDS:-20}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/semblance
pkg=wesnoth-1.16-music
corpus=$cache/root/usr/share/games/wesnoth/1.16/data/core/music
demo=data/demo
logs=$build/bench-logs

if [ "$(id -u)" -eq 0 ]; then
  sudo=""
else
  sudo="sudo"
fi

# What building needs (install-deps itself uses sudo only when something is
# missing and this is not root).
build-aux/install-deps

# The corpus: the Debian package, unpacked into the cache, never into the
# repository. A stamp marks a complete unpacking.
fetch_corpus () {
  stamp=$cache/root/.$pkg.unpacked
  [ -f "$stamp" ] && [ -d "$corpus" ] && return 0
  mkdir -p "$cache/debs" "$cache/root"
  if ! ls "$cache/debs/${pkg}_"*.deb >/dev/null 2>&1; then
    echo "Fetching $pkg (153 MB) into $cache/debs" >&2
    # apt-get download needs no root, but a fresh machine has no package
    # lists yet: only then are they updated, which does need root.
    if ! (cd "$cache/debs" && apt-get download -q "$pkg"); then
      $sudo apt-get update -q
      (cd "$cache/debs" && apt-get download -q "$pkg")
    fi
  fi
  # shellcheck disable=SC2012 # Debian's file names: no spaces or newlines
  deb=$(ls "$cache/debs/${pkg}_"*.deb | tail -n 1)
  dpkg-deb -x "$deb" "$cache/root"
  touch "$stamp"
}
fetch_corpus

# A release build of its own: the figures must not depend on how someone
# else configured build/.
if [ -f "$build/build.ninja" ]; then
  meson configure "$build" -Dbuildtype=release -Dtests=false >/dev/null
else
  meson setup "$build" -Dbuildtype=release -Dtests=false >/dev/null
fi
mkdir -p "$logs"
# Which state of core/ is measured, taken as it is built: others may be
# changing it meanwhile.
core_state () {
  cat core/*.c core/*.h | sha256sum | cut -c1-12
}
fingerprint=$(core_state)
if ! meson compile -C "$build" >"$logs/build.log" 2>&1; then
  cat "$logs/build.log" >&2
  exit 1
fi

bench=$build/bench/bench-analysis
# The element from this build, and a registry of its own so that the user's
# GStreamer registry is left alone.
GST_PLUGIN_PATH_1_0=$top/$build/elements
GST_REGISTRY_1_0=$top/$build/bench/registry.bin
export GST_PLUGIN_PATH_1_0 GST_REGISTRY_1_0
# The build tree's programs take their data from the source tree.
SEMBLANCE_MODEL=${SEMBLANCE_MODEL:-$top/data/model/semblance-default.smodel}
SEMBLANCE_VOCAB=${SEMBLANCE_VOCAB:-$top/data/vocab/semblance-vocab.bin}
export SEMBLANCE_MODEL SEMBLANCE_VOCAB

# The longest track (the largest file: same codec and quality throughout) is
# the one played for the element's share.
# shellcheck disable=SC2012 # the package's file names: no spaces or newlines
long_track=$(ls -S "$corpus"/*.ogg | head -n 1)

: >"$logs/commands"
# run NAME COMMAND...: runs COMMAND, shows and keeps its output.
run () {
  name=$1
  shift
  echo "+ $*" >&2
  if ! "$@" >"$logs/$name.log" 2>&1; then
    cat "$logs/$name.log" >&2
    echo "run-bench: failed: $*" >&2
    exit 1
  fi
  cat "$logs/$name.log"
  echo "$name	$*" >>"$logs/commands"
  echo
}

run throughput-demo "$bench" throughput --label demo --repeat 3 "$demo"
# Two hours of audio: two runs of the decoding measurements, one of the
# analyzer split, keep this under three minutes.
run throughput-corpus "$bench" throughput --label wesnoth --repeat 2 \
  --split-runs 1 "$corpus"
run element-demo "$bench" element "$demo/battle.ogg" "$seconds"
run element-corpus "$bench" element "$long_track" "$seconds"
# Separate processes: the peak RSS of each holds one analysis only.
run memory-1 "$bench" memory 1
run memory-60 "$bench" memory 60

# ---------------------------------------------------------------------------
# Summary

# get LOG KEY: the value of KEY in the RESULT line of LOG.
get () {
  sed -n "s/^RESULT .* $2=\([^ ]*\).*/\1/p" "$logs/$1.log"
}
cmd () {
  sed -n "s/^$1	//p" "$logs/commands"
}

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
gst=$(pkg-config --modversion gstreamer-1.0 2>/dev/null || echo "?")

td=throughput-demo
tc=throughput-corpus
ed=element-demo
ec=element-corpus

echo "=============================================================================="
echo "Semblance benchmark summary, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "  $cpu, $(nproc) cores; GStreamer $gst; release build in $build/"
echo "  core/ sources sha256 $fingerprint (the state of core/ that was built)"
if [ "$(core_state)" != "$fingerprint" ]; then
  echo "  WARNING: core/ changed after the build; the figures are of the build"
fi
# row LABEL DEMO CORPUS [GOAL]: one line of the table.
row () {
  printf '%-46s %-18s %-19s %s\n' "$1" "$2" "$3" "${4:-}"
}
# judge VALUE OP GOAL: met or MISSED.
judge () {
  awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN {
    ok = op == "<=" ? v <= g : op == ">=" ? v >= g : v < g
    print ok ? "met" : "MISSED" }'
}
# both KEY OP GOAL UNIT LOG1 LOG2: the goal and its verdict for both columns.
both () {
  echo "$2 $3$4: $(judge "$(get "$5" "$1")" "$2" "$3")," \
    "$(judge "$(get "$6" "$1")" "$2" "$3")"
}

echo
row "throughput, CPU s of one thread" "demo clips" "wesnoth soundtrack" \
  "goal (demo, wesnoth)"
row "  tracks, audio" "$(get $td files), $(get $td audio_s) s" \
  "$(get $tc files), $(get $tc audio_s) s"
row "  (i) decode only (libsndfile)" \
  "$(get $td decode_s) s $(get $td decode_xrt)x" \
  "$(get $tc decode_s) s $(get $tc decode_xrt)x"
row "  (ii) decode + analysis" \
  "$(get $td full_s) s $(get $td full_xrt)x" \
  "$(get $tc full_s) s $(get $tc full_xrt)x" \
  "$(both full_xrt '>=' 500 x $td $tc)"
row "  analysis alone, (ii) - (i)" \
  "$(get $td analysis_s) s $(get $td analysis_xrt)x" \
  "$(get $tc analysis_s) s $(get $tc analysis_xrt)x" \
  "$(both analysis_xrt '>=' 500 x $td $tc)"
row "  overhead on decoding, ((ii) - (i)) / (i)" \
  "$(get $td overhead_pct) %" "$(get $tc overhead_pct) %" \
  "$(both overhead_pct '<=' 30 ' %' $td $tc)"
row "  analyzer on decoded PCM" \
  "$(get $td analyzer_s) s $(get $td analyzer_xrt)x" \
  "$(get $tc analyzer_s) s $(get $tc analyzer_xrt)x"
row "    of which conversion (mix, GstAudioConverter)" \
  "$(get $td convert_pct) %" "$(get $tc convert_pct) %"
row "    of which extractor (22,050 Hz mono)" \
  "$(get $td extract_pct) %" "$(get $tc extract_pct) %"
row "  CPU s per track, decode + analysis" \
  "$(get $td full_per_track_s) s" "$(get $tc full_per_track_s) s" \
  "(bliss ~2 s, Essentia ~3 s)"
echo
row "element, % of one core at real time" "demo battle.ogg" \
  "$(basename "$long_track")"
row "  baseline: decodebin ... fakesink sync=true" \
  "$(get $ed base_pct) %" "$(get $ec base_pct) %"
row "  with semblance" "$(get $ed with_pct) %" "$(get $ec with_pct) %"
row "  difference (getrusage)" "$(get $ed diff_pct) %" \
  "$(get $ec diff_pct) %" "$(both diff_pct '<' 0.5 ' %' $ed $ec)"
row "    noise: baseline round to round" "$(get $ed noise_pct) %" \
  "$(get $ec noise_pct) %"
row "  semblance's own processing (pad to pad)" "$(get $ed own_pct) %" \
  "$(get $ec own_pct) %" "$(both own_pct '<' 0.5 ' %' $ed $ec)"
echo
m1=$(get memory-1 peak_rss_kib)
m60=$(get memory-60 peak_rss_kib)
d1=$(get memory-1 decode_rss_kib)
d60=$(get memory-60 decode_rss_kib)
ratio=$(awk -v a="$m60" -v b="$m1" 'BEGIN { printf "%.3f", a / b }')
row "memory, a fresh process each" "1 min" "60 min"
# Start-up RSS alone varies by about 2% from run to run.
row "  peak RSS" "$m1 KiB" "$m60 KiB" \
  "equal: ratio $ratio, $(judge "$ratio" '<=' 1.03)"
row "    after decoding alone" "$d1 KiB" "$d60 KiB"
row "    added by the analysis" "$((m1 - d1)) KiB" "$((m60 - d60)) KiB"
echo
echo "commands (from $top; full output in $logs/):"
for name in $td $tc $ed $ec memory-1 memory-60; do
  echo "  $(cmd "$name")"
done
echo "  with GST_PLUGIN_PATH_1_0=$build/elements GST_REGISTRY_1_0=$build/bench/registry.bin"
