#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Fetches the training corpus: the freely licensed soundtracks that Debian's
# game packages ship, plus the parts of the games' own data that say where each
# track plays (level, scenario, map and faction files). Nothing lands in the
# repository: the packages go to
#
#   ${XDG_CACHE_HOME:-$HOME/.cache}/semblance/debs/       (apt-get download)
#   ${XDG_CACHE_HOME:-$HOME/.cache}/semblance/corpus/PKG/ (one tree per package)
#
# Each package is unpacked into its own folder, so that a model can be
# evaluated leaving one package (one game, one set of composers) out. Only the
# files named in the list below are unpacked (music, the game files that
# reference it, the package's copyright file) and the package's control fields
# are saved as corpus/PKG/DEBIAN/control. Some packages keep their data in a
# zip archive (0 A.D.'s public.zip, Nexuiz's .pk3 files): the listed members
# are unpacked next to the archive, where the game mounts them, and the archive
# itself is not kept.
#
# Idempotent: a package whose .deb is already in debs/ is not downloaded
# again, and a package whose tree was made from the same .deb with the same
# list of files (corpus/PKG/.fetched) is not unpacked again. A package that
# cannot be had is reported and skipped; the others go on, and the exit status
# is 1 at the end.
#
# Needs: apt-get, apt-cache, dpkg-deb, tar, python3 (for the zip archives).
# No root: apt-get download writes to the current folder. Package lists must
# be there (run `apt-get update` as root once if apt-cache knows nothing).
#
# Usage: data/training/fetch-corpus.sh [PACKAGE...]   (default: all below)
set -u

# package | what to unpack: tar wildcards (they match across "/"), or
# zip:ARCHIVE:MEMBER,MEMBER... for members of a zip archive inside the package.
# "-" unpacks the whole package. The copyright file is always kept.
LIST='
wesnoth-1.16-music|-
wesnoth-1.16-data|*.cfg
wesnoth-1.16-did|*.cfg
wesnoth-1.16-dm|*.cfg
wesnoth-1.16-dw|*.cfg
wesnoth-1.16-ei|*.cfg
wesnoth-1.16-httt|*.cfg
wesnoth-1.16-l|*.cfg
wesnoth-1.16-low|*.cfg
wesnoth-1.16-nr|*.cfg
wesnoth-1.16-sof|*.cfg
wesnoth-1.16-sota|*.cfg
wesnoth-1.16-sotbe|*.cfg
wesnoth-1.16-thot|*.cfg
wesnoth-1.16-trow|*.cfg
wesnoth-1.16-tsg|*.cfg
wesnoth-1.16-ttb|*.cfg
wesnoth-1.16-utbs|*.cfg
openclonk-data|*/Music.ocg/*
hedgewars-data|*/Data/Music/* */Data/Themes/*/theme.cfg
supertux-data|*/supertux2/music/* */supertux2/levels/*.stl */supertux2/levels/*.stwm */supertux2/levels/*/info
naev-data|*/dat/snd/music/* */dat/snd/music.lua */dat/AUTHORS
singularity-music|-
widelands-data|*/data/music/*
nexuiz-music|zip:usr/share/games/nexuiz/data/music.pk3:sound/cdtracks/*
nexuiz-data|zip:usr/share/games/nexuiz/data/data.pk3:maps/*.mapinfo,defaultNexuiz.cfg
freedroidrpg-data|*/data/sound/music/* */levels.dat */titles/*.lua
colobot-common-sounds|*/colobot/music/*
colobot-common|*/colobot/levels/*.txt
hyperrogue-music|*/hyperrogue/music/* */hyperrogue-music.txt
megaglest-data|*/music/* */factions/*/*.xml */core/menu/menu.xml */docs/*.txt
warzone2100-music|-
supertuxkart-data|*/data/music/* */data/tracks/*/track.xml */data/tracks/*/*.music */data/tracks/*/*.ogg
fretsonfire-songs-muldjord|-
0ad-data|zip:usr/share/games/0ad/mods/public/public.zip:audio/music/*,simulation/data/civs/*.json,simulation/templates/special/players/*.xml,gui/common/music.js,simulation/data/cheats/*.json
'

cache=${XDG_CACHE_HOME:-$HOME/.cache}/semblance
debs=$cache/debs
corpus=$cache/corpus
mkdir -p "$debs" "$corpus" || exit 1

for tool in apt-get apt-cache dpkg-deb tar python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "fetch-corpus: $tool is missing" >&2
    exit 1
  fi
done

# apt-get download as root otherwise complains that the _apt user cannot write
# into the cache folder (it downloads all the same).
apt_opts=
[ "$(id -u)" = 0 ] && apt_opts='-o APT::Sandbox::User=root'

failed=
fail() { # package, reason
  echo "fetch-corpus: $1: $2" >&2
  failed="$failed $1"
}

# Members of a zip archive, by fnmatch patterns (comma-separated), into a
# folder. Prints how many were taken; fails when a pattern matches nothing.
unzip_members() { # archive, folder, patterns
  python3 - "$1" "$2" "$3" <<'PY'
import fnmatch, os, shutil, sys, zipfile
archive, dest, patterns = sys.argv[1], sys.argv[2], sys.argv[3].split(',')
used = dict.fromkeys(patterns, 0)
with zipfile.ZipFile(archive) as z:
    for info in z.infolist():
        name = info.filename
        if name.endswith('/') or name.startswith('/') or '..' in name.split('/'):
            continue
        hit = [p for p in patterns if fnmatch.fnmatchcase(name, p)]
        if not hit:
            continue
        used[hit[0]] += 1
        out = os.path.join(dest, name)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with z.open(info) as src, open(out + '.part', 'wb') as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(out + '.part', out)
missing = [p for p, n in used.items() if n == 0]
if missing:
    sys.exit('no member matches ' + ', '.join(missing))
print(sum(used.values()))
PY
}

fetch() { # package, what
  pkg=$1 what=$2

  info=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null)
  if [ -z "$info" ]; then
    fail "$pkg" "not known to apt-cache (not in this release, or no package lists: run 'apt-get update' as root)"
    return
  fi
  version=$(printf '%s\n' "$info" | sed -n 's/^Version: //p' | head -n 1)
  arch=$(printf '%s\n' "$info" | sed -n 's/^Architecture: //p' | head -n 1)
  # apt-get download writes an epoch's colon as %3a.
  deb=$debs/${pkg}_$(printf '%s' "$version" | sed 's/:/%3a/')_$arch.deb

  if [ ! -s "$deb" ]; then
    echo "fetch-corpus: $pkg $version: downloading"
    # shellcheck disable=SC2086
    if ! (cd "$debs" && apt-get $apt_opts -q download "$pkg=$version"); then
      fail "$pkg" "apt-get download failed"
      return
    fi
    if [ ! -s "$deb" ]; then
      fail "$pkg" "apt-get download did not leave $(basename "$deb")"
      return
    fi
  fi

  dir=$corpus/$pkg
  stamp="$(basename "$deb") $what"
  if [ -f "$dir/.fetched" ] && [ "$(cat "$dir/.fetched")" = "$stamp" ]; then
    echo "fetch-corpus: $pkg $version: already unpacked"
    return
  fi

  echo "fetch-corpus: $pkg $version: unpacking"
  rm -rf "$dir"
  mkdir -p "$dir/DEBIAN"
  if ! dpkg-deb --field "$deb" >"$dir/DEBIAN/control"; then
    fail "$pkg" "cannot read $deb"
    return
  fi

  copyright="./usr/share/doc/$pkg/copyright"
  case $what in
    -)
      dpkg-deb -x "$deb" "$dir" || { fail "$pkg" "dpkg-deb -x failed"; return; }
      ;;
    zip:*)
      rest=${what#zip:}
      archive=${rest%%:*}
      members=${rest#*:}
      tmp=$cache/tmp.$$
      rm -rf "$tmp"
      mkdir -p "$tmp"
      if ! dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "./$archive" "$copyright"; then
        rm -rf "$tmp"
        fail "$pkg" "$archive or the copyright file is not in the package"
        return
      fi
      mkdir -p "$dir/$(dirname "$archive")" "$dir/usr/share/doc/$pkg"
      mv "$tmp/$copyright" "$dir/$copyright"
      if ! n=$(unzip_members "$tmp/$archive" "$dir/$(dirname "$archive")" "$members"); then
        rm -rf "$tmp"
        fail "$pkg" "cannot unpack $members from $archive"
        return
      fi
      rm -rf "$tmp"
      echo "fetch-corpus: $pkg: $n files from $(basename "$archive")"
      ;;
    *)
      # Word splitting of $what gives the patterns; set -f keeps the shell
      # from expanding them.
      set -f
      # shellcheck disable=SC2086
      if ! dpkg-deb --fsys-tarfile "$deb" |
        tar -x -C "$dir" --wildcards $what "$copyright"; then
        set +f
        fail "$pkg" "a pattern in '$what' matches nothing in the package"
        return
      fi
      set +f
      ;;
  esac

  printf '%s\n' "$stamp" >"$dir/.fetched"
}

start=$(date +%s)
if [ $# -gt 0 ]; then
  for pkg in "$@"; do
    what=$(printf '%s\n' "$LIST" | sed -n "s/^$pkg|//p")
    if [ -z "$what" ]; then
      fail "$pkg" "not in this script's list"
      continue
    fi
    fetch "$pkg" "$what"
  done
else
  # The list is read from a here-document so that fail() can record failures
  # in this shell (a pipe would run the loop in a subshell).
  while IFS='|' read -r pkg what; do
    [ -n "$pkg" ] || continue
    fetch "$pkg" "$what"
  done <<EOF
$LIST
EOF
fi

echo "fetch-corpus: $(du -sh "$corpus" | cut -f1) in $corpus, $(du -sh "$debs" | cut -f1) of packages in $debs, $(($(date +%s) - start)) s"
if [ -n "$failed" ]; then
  echo "fetch-corpus: not fetched:$failed" >&2
  exit 1
fi
