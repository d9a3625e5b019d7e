#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Rebuilds the demo excerpts in this folder from Debian's game soundtrack
# packages. The packages are fetched with apt-get download into a cache outside
# the repository ($XDG_CACHE_HOME/semblance/debs); the excerpts (Ogg Vorbis,
# 20 s, original rate and channels) are committed together with SOURCES.md.
#
# Needs: apt-get, dpkg-deb, sox (with libsox-fmt-all), oggenc (vorbis-tools).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/semblance
mkdir -p "$cache/debs" "$cache/root"

for pkg in wesnoth-1.16-music singularity-music; do
  if ! ls "$cache/debs/${pkg}_"*.deb >/dev/null 2>&1; then
    (cd "$cache/debs" && apt-get download "$pkg")
  fi
  dpkg-deb -x "$cache/debs/${pkg}_"*.deb "$cache/root"
done

wesnoth=$cache/root/usr/share/games/wesnoth/1.16/data/core/music
singularity=$cache/root/usr/share/games/singularity/music

# name | source file | start (s)
while IFS='|' read -r name src start; do
  tmp=$(mktemp --suffix=.wav)
  sox "$src" "$tmp" trim "$start" 20 fade t 0.05 20 0.5
  oggenc -Q -q 3 -o "$here/$name.ogg" "$tmp"
  rm -f "$tmp"
done <<LIST
sad|$wesnoth/sad.ogg|8
battle|$wesnoth/battle.ogg|60
traveling-minstrels|$wesnoth/traveling_minstrels.ogg|30
love-theme|$wesnoth/love_theme.ogg|20
nebula|$singularity/Nebula.ogg|60
awakening|$singularity/Awakening.ogg|40
LIST
