#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The player's plugin and the widgets are thin clients of the engine: they
# keep no threads of their own (the engine's _async calls do the waiting)
# and do not pin the plugin's module. check-thin-clients.sh SOURCE_DIR
set -eu
cd "$1"
echo "1..1"
found=$(grep -n -e 'g_thread_' -e 'g_task_run_in_thread' -e 'g_type_module_use' \
  plugin/*.c plugin/*.h ui/*.c ui/*.h || true)
if [ -n "$found" ]; then
  echo "not ok 1 - threads in the clients:"
  echo "$found" | sed 's/^/# /'
else
  echo "ok 1 - plugin/ and ui/ start no thread and pin no module"
fi
