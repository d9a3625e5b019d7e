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

# name | source file | start (s) | title | composer
# (No album: players would then keep the clips of one game apart.)
while IFS='|' read -r name src start title artist; do
  tmp=$(mktemp --suffix=.wav)
  sox "$src" "$tmp" trim "$start" 20 fade t 0.05 20 0.5
  oggenc -Q -q 3 -t "$title" -a "$artist" -o "$here/$name.ogg" "$tmp"
  rm -f "$tmp"
done <<LIST
sad|$wesnoth/sad.ogg|8|Sad|Tyler Johnson
battle|$wesnoth/battle.ogg|60|Battle Music|Aleksi Aubry-Carlson
traveling-minstrels|$wesnoth/traveling_minstrels.ogg|30|Traveling Minstrels|Mattias Westlund
love-theme|$wesnoth/love_theme.ogg|20|Love Theme|Ryan Reilly
nebula|$singularity/Nebula.ogg|60|Nebula|Maxstack
awakening|$singularity/Awakening.ogg|40|Awakening|Maxstack
LIST
