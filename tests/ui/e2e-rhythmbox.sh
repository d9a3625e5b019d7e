#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# End to end, in Rhythmbox: e2e-rhythmbox.sh BUILD_DIR
#
# Xvfb, a private D-Bus session and a temporary HOME; Rhythmbox starts with
# the plugin enabled through GSettings and a library of the demo clips. The
# test waits for the plugin to index the library, starts playback from
# outside (rhythmbox-client --play-uri), and checks that the sidebar lists
# the nearest track the command line finds, that the playing track's live
# analysis reached the index, and that disabling and enabling the plugin
# ten times leaves Rhythmbox running, working and about the same size, and
# twenty times more while the plugin indexes 240 new files leaves it
# running with a sound database that gets every file once. It saves a
# screenshot as BUILD_DIR/rhythmbox-semblance.png.
set -eu

build=$(cd "$1" && pwd)
if [ -z "${SEMBLANCE_E2E_INNER:-}" ]; then
  export SEMBLANCE_E2E_INNER=1
  exec dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi

tmp=$(mktemp -d)
rb_pid=
cleanup () {
  [ -n "$rb_pid" ] && kill "$rb_pid" 2>/dev/null || true
  [ -n "${SEMBLANCE_E2E_KEEP:-}" ] && cp "$tmp/rhythmbox.log" "$SEMBLANCE_E2E_KEEP"
  rm -rf "$tmp"
}
trap cleanup EXIT
fail () {
  echo "not ok - $*"
  echo "# Rhythmbox said:"
  sed 's/^/#   /' "$tmp/rhythmbox.log" | tail -n 40
  exit 1
}

export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
export XDG_CACHE_HOME="$tmp/cache" GSETTINGS_BACKEND=keyfile
export GSETTINGS_SCHEMA_DIR="$build/data" NO_AT_BRIDGE=1
mkdir -p "$HOME" "$tmp/music" "$XDG_DATA_HOME/rhythmbox/plugins/semblance"
cp "$SEMBLANCE_DEMO_DIR"/*.ogg "$tmp/music/"
ln -s "$build/plugin/libsemblance.so" "$build/plugin/semblance.plugin" \
  "$XDG_DATA_HOME/rhythmbox/plugins/semblance/"
db="$XDG_DATA_HOME/semblance/library.db"
semblance="$build/tools/semblance"

gsettings set org.gnome.rhythmbox.plugins active-plugins "['semblance']"
gsettings set org.gnome.rhythmbox.rhythmdb locations "['file://$tmp/music']"
gsettings set org.gnome.rhythmbox.rhythmdb monitor-library true
gsettings set org.gnome.rhythmbox size "(1200, 760)"

echo "1..6"
rhythmbox -D rb-semblance > "$tmp/rhythmbox.log" 2>&1 &
rb_pid=$!

# wait_for SECONDS COMMAND...: runs COMMAND every half second until it
# succeeds; fails after SECONDS.
wait_for () {
  limit=$(($1 * 2))
  shift
  while ! "$@" >/dev/null 2>&1; do
    kill -0 "$rb_pid" 2>/dev/null || fail "Rhythmbox exited"
    limit=$((limit - 1))
    [ $limit -gt 0 ] || return 1
    sleep 0.5
  done
}
indexed () {
  "$semblance" status --database "$db" | grep -q "^ *6 property vectors"
}
wait_for 90 indexed || fail "the plugin did not index the 6 clips"
echo "ok 1 - the plugin indexed Rhythmbox's library"

seed="$tmp/music/nebula.ogg"
expected=$("$semblance" similar --database "$db" --json -n 1 "$seed" |
  sed -n 's/.*"uri" : "\(.*\)",/\1/p')
[ -n "$expected" ] || fail "semblance similar found nothing for $seed"
rhythmbox-client --play-uri="file://$seed" 2>/dev/null
listed () {
  grep -q "similar tracks for file://$seed, first $expected\$" \
    "$tmp/rhythmbox.log"
}
wait_for 30 listed || fail "the sidebar did not list $expected first"
sleep 1
"$build/tests/ui/screenshot" "$build/rhythmbox-semblance.png"
echo "ok 2 - the sidebar lists $(basename "$expected") first; screenshot in $build/rhythmbox-semblance.png"

# "More like this" from the track list's menu, while the track plays (and
# is the selected one): a playlist named after it, which Rhythmbox exports.
gdbus call --session -d org.gnome.Rhythmbox3 -o /org/gnome/Rhythmbox3 \
  -m org.gtk.Actions.Activate semblance-more-like-this '[]' '{}' > /dev/null
playlist_made () {
  gdbus call --session -d org.gnome.Rhythmbox3 \
    -o /org/gnome/Rhythmbox3/PlaylistManager \
    -m org.gnome.Rhythmbox3.PlaylistManager.GetPlaylists |
    grep -q "'More like Nebula'"
}
wait_for 20 playlist_made || fail "no playlist “More like Nebula”"
gdbus call --session -d org.gnome.Rhythmbox3 \
  -o /org/gnome/Rhythmbox3/PlaylistManager \
  -m org.gnome.Rhythmbox3.PlaylistManager.ExportPlaylist \
  "More like Nebula" "file://$tmp/more.m3u" true > /dev/null
wait_for 10 test -s "$tmp/more.m3u" || fail "the playlist was not exported"
first=$(grep -v '^#' "$tmp/more.m3u" | sed -n 1p)
count=$(grep -vc '^#' "$tmp/more.m3u")
[ "$(basename "$first")" = nebula.ogg ] && [ "$count" -eq 6 ] ||
  fail "the playlist holds $count tracks from $first, not the seed and 5 others"
echo "ok 3 - “More like this” made a playlist of the track and the 5 others"

stored () {
  grep -q "stored the live analysis of file://$seed" "$tmp/rhythmbox.log"
}
wait_for 60 stored || fail "the live analysis of $seed did not reach the index"
"$semblance" similar --database "$db" -n 1 "$seed" > /dev/null ||
  fail "the index has no vector for $seed"
echo "ok 4 - the live analysis of the played track reached the index"


rss () { awk '/^VmRSS/ { print $2 }' "/proc/$rb_pid/status"; }
cycle () {
  gsettings set org.gnome.rhythmbox.plugins active-plugins "[]"
  sleep 0.5
  gsettings set org.gnome.rhythmbox.plugins active-plugins "['semblance']"
  sleep 0.5
}
cycle
before=$(rss)
i=0
while [ $i -lt 10 ]; do
  cycle
  i=$((i + 1))
done
after=$(rss)
kill -0 "$rb_pid" 2>/dev/null || fail "Rhythmbox died while the plugin was switched off and on"
lists=$(grep -c "similar tracks for" "$tmp/rhythmbox.log")
rhythmbox-client --play-uri="file://$tmp/music/sad.ogg" 2>/dev/null
relisted () {
  [ "$(grep -c "similar tracks for" "$tmp/rhythmbox.log")" -gt "$lists" ]
}
wait_for 30 relisted || fail "the sidebar stopped working after 10 switches"
grep -q "CRITICAL" "$tmp/rhythmbox.log" && fail "Rhythmbox logged a critical warning"
grep -q "Semblance" "$tmp/rhythmbox.log" && fail "the plugin logged a warning"
[ $((after - before)) -lt 20000 ] ||
  fail "Rhythmbox grew by $((after - before)) KiB over 10 switches"
slowest=$(sed -n 's/.*activated in \([0-9.]*\) ms/\1/p' "$tmp/rhythmbox.log" |
  sort -n | tail -n 1)
echo "ok 5 - switched off and on 10 times: still working, RSS $before -> $after KiB, slowest (de)activation $slowest ms"

# Switched off and on while it indexes: each deactivation cancels the run
# under way between two files, each activation starts one again.
mkdir "$tmp/music/more"
i=0
for clip in "$tmp"/music/*.ogg; do
  for n in $(seq 40); do cp "$clip" "$tmp/music/more/$n-$(basename "$clip")"; done
done
tracks () {
  "$semblance" status --database "$db" | sed -n 's/^tracks *//p'
}
growing () { [ "$(tracks)" -gt 6 ]; }
wait_for 60 growing || fail "the plugin did not start indexing the new files"
during=$(tracks)
i=0
while [ $i -lt 20 ]; do
  gsettings set org.gnome.rhythmbox.plugins active-plugins "[]"
  sleep 0.3
  gsettings set org.gnome.rhythmbox.plugins active-plugins "['semblance']"
  sleep 0.7
  i=$((i + 1))
done
kill -0 "$rb_pid" 2>/dev/null || fail "Rhythmbox died while switched during indexing"
switched=$(tracks)
vectors () {
  n=$("$semblance" status --database "$db" |
    sed -n 's/^ *\([0-9]*\) property vectors.*/\1/p')
  echo "${n:-0}"
}
# What is checked is that every file arrives, not how fast: a loaded
# machine analyses 240 files in minutes. Indexing must only never stop
# for a minute before it is done.
last=$(vectors) still=0
while [ "$(vectors)" -lt 246 ]; do
  kill -0 "$rb_pid" 2>/dev/null || fail "Rhythmbox exited"
  now=$(vectors)
  if [ "$now" -gt "$last" ]; then
    last=$now still=0
  else
    still=$((still + 1))
    [ $still -lt 120 ] ||
      fail "after the switches, indexing stopped at $now of 246 files for 60 s ($(tracks) tracks)"
  fi
  sleep 0.5
done
integrity=$(/usr/bin/python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$db")
[ "$integrity" = ok ] || fail "PRAGMA integrity_check: $integrity"
[ "$(tracks)" -eq 246 ] || fail "the index holds $(tracks) tracks, not 246"
grep -q "CRITICAL" "$tmp/rhythmbox.log" && fail "Rhythmbox logged a critical warning"
grep -q "Semblance" "$tmp/rhythmbox.log" && fail "the plugin logged a warning"
echo "ok 6 - switched 20 times while indexing ($during -> $switched of 246 tracks meanwhile): still running, integrity ok, every file once"

rhythmbox-client --quit 2>/dev/null || true
wait "$rb_pid" 2>/dev/null || true
rb_pid=
