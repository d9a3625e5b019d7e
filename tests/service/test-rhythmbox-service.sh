#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The Rhythmbox plugin and semblanced: test-rhythmbox-service.sh BUILD_DIR
#
# Xvfb, a private session bus, a temporary HOME. With semblanced running
# on the plugin's database, Rhythmbox's library reaches the index through
# the service's indexer (its Done property counts the files) and not the
# plugin's own; when the service stops, the plugin indexes new files
# itself; when it comes back, the plugin hands its library over again.
set -eu

build=$(cd "$1" && pwd)
if [ -z "${SEMBLANCE_E2E_INNER:-}" ]; then
  export SEMBLANCE_E2E_INNER=1
  exec dbus-run-session --config-file "$build/tests/service/session.conf" \
    -- xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi

tmp=$(mktemp -d)
rb_pid= daemon_pid=
cleanup () {
  [ -n "$rb_pid" ] && kill "$rb_pid" 2>/dev/null
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail () {
  echo "not ok - $*"
  echo "# Rhythmbox said:"
  sed 's/^/#   /' "$tmp/rhythmbox.log" | tail -n 30
  echo "# semblanced said:"
  sed 's/^/#   /' "$tmp/daemon.log" | tail -n 10
  exit 1
}

export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
export XDG_CACHE_HOME="$tmp/cache" GSETTINGS_BACKEND=keyfile NO_AT_BRIDGE=1
mkdir -p "$HOME" "$tmp/music" "$XDG_DATA_HOME/rhythmbox/plugins/semblance"
cp "$SEMBLANCE_DEMO_DIR"/*.ogg "$tmp/music/"
ln -s "$build/plugin/libsemblance.so" "$build/plugin/semblance.plugin" \
  "$XDG_DATA_HOME/rhythmbox/plugins/semblance/"
db="$XDG_DATA_HOME/semblance/library.db"
semblance="$build/tools/semblance"

gsettings set org.gnome.rhythmbox.plugins active-plugins "['semblance']"
gsettings set org.gnome.rhythmbox.rhythmdb locations "['file://$tmp/music']"
gsettings set org.gnome.rhythmbox.rhythmdb monitor-library true

# wait_for SECONDS COMMAND...: every half second until COMMAND succeeds.
wait_for () {
  limit=$(($1 * 2))
  shift
  while ! "$@" >/dev/null 2>&1; do
    limit=$((limit - 1))
    [ $limit -gt 0 ] || return 1
    sleep 0.5
  done
}
property () {
  gdbus call --session -d org.gnome.Semblance1 -o /org/gnome/Semblance1 \
    -m org.freedesktop.DBus.Properties.Get org.gnome.Semblance1 "$1" 2>&1
}
# Asking for the name before the daemon has it would have the bus start
# another one: ask the bus who owns it, which starts nothing.
owned () {
  gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
    -m org.freedesktop.DBus.NameHasOwner org.gnome.Semblance1 | grep -q true
}
start_daemon () {
  "$SEMBLANCED" --database "$db" >> "$tmp/daemon.log" 2>&1 &
  daemon_pid=$!
  wait_for 20 owned || fail "semblanced did not start"
}
vectors () {
  "$semblance" status --database "$db" | grep -q "^ *$1 property vectors"
}
handed_over () {
  [ "$(grep -c "the library goes to semblanced's indexer" \
    "$tmp/rhythmbox.log")" -ge "$1" ]
}

echo "1..3"
start_daemon
rhythmbox -D rb-semblance > "$tmp/rhythmbox.log" 2>&1 &
rb_pid=$!
wait_for 90 vectors 6 || fail "the 6 clips were not indexed"
wait_for 10 handed_over 1 || fail "the plugin did not hand its library over"
done=$(property Done)
[ "$done" = "(<uint32 6>,)" ] ||
  fail "semblanced's indexer did not index the 6 clips: Done is $done"
echo "ok 1 - with semblanced running, Rhythmbox's library went to its indexer ($done)"

kill "$daemon_pid"
wait "$daemon_pid" || fail "semblanced did not stop cleanly"
daemon_pid=
cp "$tmp/music/battle.ogg" "$tmp/music/battle-again.ogg"
wait_for 90 vectors 7 || fail "without semblanced, the plugin did not index a new file"
echo "ok 2 - without semblanced, the plugin indexed a new file itself"

start_daemon
wait_for 20 handed_over 2 || fail "the plugin did not come back to semblanced"
cp "$tmp/music/sad.ogg" "$tmp/music/sad-again.ogg"
wait_for 90 vectors 8 || fail "the file added then was not indexed"
done=$(property Done)
[ "$done" = "(<uint32 1>,)" ] ||
  fail "the file added then did not go to semblanced's indexer: Done is $done"
kill -0 "$rb_pid" 2>/dev/null || fail "Rhythmbox exited"
grep -q "CRITICAL" "$tmp/rhythmbox.log" && fail "Rhythmbox logged a critical warning"
grep -q "Semblance" "$tmp/rhythmbox.log" && fail "the plugin logged a warning"
echo "ok 3 - when semblanced came back, the plugin handed its library over again"

rhythmbox-client --quit 2>/dev/null || true
wait "$rb_pid" 2>/dev/null || true
rb_pid=
