#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The web page in Debian's headless Chromium: test-web.sh BUILD_DIR
#
# puppeteer-core, as web/package-lock.json pins it, is installed into the
# build folder (npm ci; it downloads no browser, and the page test drives
# /usr/bin/chromium). A private session bus, the demo clips indexed into a
# temporary database, semblanced on a free loopback port; then
# web/test-web.mjs drives the page and saves BUILD_DIR/web-phone.png.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
if [ -z "${SEMBLANCE_WEB_INNER:-}" ]; then
  export SEMBLANCE_WEB_INNER=1
  exec dbus-run-session --config-file "$build/tests/service/session.conf" \
    -- "$0" "$@"
fi

node_dir=$build/tests/service/web-node
if ! cmp -s "$here/web/package-lock.json" "$node_dir/package-lock.json" \
    || [ ! -d "$node_dir/node_modules/puppeteer-core" ]; then
  rm -rf "$node_dir"
  mkdir -p "$node_dir"
  cp "$here/web/package.json" "$here/web/package-lock.json" "$node_dir/"
  if ! PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix "$node_dir" \
      --ignore-scripts --no-audit --no-fund > "$node_dir/npm.log" 2>&1; then
    echo "Bail out! npm ci failed:"
    sed 's/^/# /' "$node_dir/npm.log"
    rm -f "$node_dir/package-lock.json"
    exit 1
  fi
fi
cp "$here/web/test-web.mjs" "$node_dir/"

tmp=$(mktemp -d)
pid=
cleanup () {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

"$SEMBLANCE_PROGRAM" index --database "$tmp/library.db" \
  "$SEMBLANCE_DEMO_DIR" > "$tmp/index.log" 2>&1
"$SEMBLANCED" --database "$tmp/library.db" --http=127.0.0.1:0 \
  > "$tmp/daemon.out" &
pid=$!
tries=0
until grep -q ' at http://' "$tmp/daemon.out"; do
  tries=$((tries + 1))
  if [ $tries -gt 200 ] || ! kill -0 "$pid" 2>/dev/null; then
    echo "Bail out! semblanced did not start"
    exit 1
  fi
  sleep 0.1
done
url=$(sed -n 's/.* at \(http:.*\)/\1/p' "$tmp/daemon.out")

status=0
node "$node_dir/test-web.mjs" "$url" "$build/web-phone.png" \
  "$tmp/profile" || status=$?
kill "$pid"
wait "$pid" || status=$?
pid=
exit $status
