#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-translations.sh SOURCE_DIR: every file with a string marked for
# translation is in po/POTFILES.in, and every language of po/LINGUAS is
# valid (msgfmt --check) and complete: no message of the current sources
# is missing, untranslated or fuzzy.
set -eu
src=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

grep -v '^#' "$src/po/POTFILES.in" | sed '/^$/d' | sort > "$tmp/listed"
while read -r f; do
  [ -f "$src/$f" ] || { echo "not ok - po/POTFILES.in lists $f, which does not exist"; status=1; }
done < "$tmp/listed"
(cd "$src" && grep -lE '(^|[^a-zA-Z0-9_])N?_\(' core/*.c elements/*.c plugin/*.c ui/*.c tools/*.c 2>/dev/null
 ls data/*.gschema.xml plugin/*.desktop.in) | sort > "$tmp/marked"
missing=$(comm -23 "$tmp/marked" "$tmp/listed")
if [ -n "$missing" ]; then
  echo "not ok - marked strings in files missing from po/POTFILES.in:" $missing
  status=1
fi

# The same extraction as Meson's i18n module with the glib preset.
(cd "$src" && xgettext --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 \
  --keyword=g_dpgettext2:2c,3 --flag=N_:1:pass-c-format \
  --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --keyword=Name --keyword=Description \
  -f "$tmp/listed" -o "$tmp/semblance.pot")

for lang in $(grep -v '^#' "$src/po/LINGUAS"); do
  po="$src/po/$lang.po"
  if ! stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
    echo "not ok - $lang.po is not valid: $stats"
    status=1
    continue
  fi
  case "$stats" in
    *untranslated*|*fuzzy*)
      echo "not ok - $lang.po is incomplete: $stats"
      status=1
      continue ;;
  esac
  if ! out=$(msgcmp "$po" "$tmp/semblance.pot" 2>&1); then
    echo "not ok - $lang.po lacks messages of the current sources:"
    echo "$out" | sed 's/^/#   /'
    status=1
    continue
  fi
  echo "ok - $lang.po: $stats"
done
exit $status
