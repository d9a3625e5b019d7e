#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The installed engine as a third party sees it:
#   check-install.sh SOURCE_DIR BUILD_DIR PREFIX LIBDIR DATADIR
# installs the build into a temporary folder (meson install --destdir) and
# checks that the element links neither SQLite nor WordNet, that
# libsemblance exports exactly the functions of core/libsemblance.symbols,
# each declared in an installed header, that the installed headers name
# only installed headers, and that a small program calling
# semblance_library_similar_async() builds with `pkg-config semblance-1`
# and finds similar tracks in an index the installed command line made;
# and that every installed program finds libsemblance in the installed
# library folder without LD_LIBRARY_PATH (a per-user prefix is not in the
# loader's path).
set -eu
src=$1 build=$2 prefix=$3 libdir=$4 datadir=$5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
lib=$root$prefix/$libdir
inc=$root$prefix/include/semblance-1

echo "1..6"
meson install -C "$build" --no-rebuild --quiet --destdir "$root" \
  > "$tmp/install.log" 2>&1 || {
  echo "not ok 1 - meson install failed"
  sed 's/^/# /' "$tmp/install.log"
  exit 1
}

element=$lib/gstreamer-1.0/libgstsemblance.so
needed=$(readelf -d "$element" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
if echo "$needed" | grep -q -e libsqlite3 -e libwordnet; then
  echo "not ok 1 - the element links $(echo "$needed" | grep -e libsqlite3 -e libwordnet | tr '\n' ' ')"
else
  echo "ok 1 - the element links neither SQLite nor WordNet ($(echo "$needed" | wc -l) libraries)"
fi

nm -D --defined-only "$lib/libsemblance.so" | awk '{ print $3 }' |
  LC_ALL=C sort > "$tmp/exported"
grep -v '^#' "$src/core/libsemblance.symbols" | LC_ALL=C sort > "$tmp/listed"
if diff -u "$tmp/listed" "$tmp/exported" > "$tmp/symbols.diff"; then
  echo "ok 2 - libsemblance exports the $(wc -l < "$tmp/listed") functions of core/libsemblance.symbols"
else
  echo "not ok 2 - libsemblance's exports differ from core/libsemblance.symbols (- listed, + exported)"
  sed 's/^/# /' "$tmp/symbols.diff"
fi

undeclared=""
for symbol in $(cat "$tmp/exported"); do
  grep -q -w "$symbol" "$inc"/*.h || undeclared="$undeclared $symbol"
done
missing=""
for header in $(sed -n 's/^#include "\(.*\)"/\1/p' "$inc"/*.h | sort -u); do
  [ -f "$inc/$header" ] || missing="$missing $header"
done
if [ -z "$undeclared$missing" ]; then
  echo "ok 3 - every export is declared in an installed header, and the headers include only installed ones"
else
  echo "not ok 3 - exported but in no installed header:${undeclared:- none}; included but not installed:${missing:- none}"
fi

# The installed .pc file, its prefix moved into the temporary folder (the
# system's .pc files stay as they are).
mkdir "$tmp/pc"
sed "s|^prefix=.*|prefix=$root$prefix|" "$lib/pkgconfig/semblance-1.pc" \
  > "$tmp/pc/semblance-1.pc"
export PKG_CONFIG_PATH="$tmp/pc"
if cc -o "$tmp/similar-async" "$src/tests/install/similar-async.c" \
    $(pkg-config --cflags --libs semblance-1) 2> "$tmp/cc.log"; then
  echo "ok 4 - a program of the public API builds with pkg-config semblance-1"
else
  echo "not ok 4 - the program does not build:"
  sed 's/^/# /' "$tmp/cc.log"
  echo "not ok 5 - so it cannot run"
  exit 0
fi

# The installed files only: the library, its data and its command line.
export LD_LIBRARY_PATH="$lib"
export SEMBLANCE_MODEL="$root$datadir/semblance/semblance-default.smodel"
export SEMBLANCE_VOCAB="$root$datadir/semblance/semblance-vocab.bin"
"$root$prefix/bin/semblance" index --database "$tmp/library.db" \
  "$SEMBLANCE_DEMO_DIR" > "$tmp/index.log" 2>&1
seed="file://$(cd "$SEMBLANCE_DEMO_DIR" && pwd)/nebula.ogg"
"$tmp/similar-async" "$tmp/library.db" "$seed" > "$tmp/similar.out" \
  2> "$tmp/similar.err" || true
expected=$("$root$prefix/bin/semblance" similar --database "$tmp/library.db" \
  --json -n 5 "$seed" | sed -n 's/.*"uri" : "\(.*\)",/\1/p')
if [ -s "$tmp/similar.out" ] && [ "$(cat "$tmp/similar.out")" = "$expected" ]; then
  echo "ok 5 - it runs: $(wc -l < "$tmp/similar.out") tracks like nebula.ogg, as \`semblance similar\` lists them"
else
  echo "not ok 5 - the program's answer differs from semblance similar's"
  sed 's/^/# got: /' "$tmp/similar.out" "$tmp/similar.err"
  echo "$expected" | sed 's/^/# expected: /'
fi

# Each installed program's RUNPATH names the library folder. The tree is
# installed under --destdir here, where that folder is not yet, so the path
# is checked rather than a run.
unfound=""
for program in "$root$prefix"/bin/*; do
  runpath=$(readelf -d "$program" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')
  case ":$runpath:" in
    *":$prefix/$libdir:"*) ;;
    *) unfound="$unfound $(basename "$program") (RUNPATH: ${runpath:-none})" ;;
  esac
done
if [ -z "$unfound" ]; then
  echo "ok 6 - $(ls "$root$prefix/bin" | tr '\n' ' ')find libsemblance in $prefix/$libdir"
else
  echo "not ok 6 - programs that would not find libsemblance in $prefix/$libdir:$unfound"
fi
