#!/bin/sh
# Regenerates the desk's translations: collects every tr()/translate() string from every .py
# under checkpoint/ui (subpackages included) into checkpoint_LANG.ts, keeping what translators
# wrote and dropping strings no longer in the code, then compiles each .ts into the .qm that
# create_application loads. Run from anywhere: sh update.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
sources=$(find checkpoint/ui -name '*.py' | LC_ALL=C sort)
for ts in "$here"/checkpoint_*.ts; do
    # shellcheck disable=SC2086 # one argument per source file; no path holds a space
    uv run pyside6-lupdate -no-obsolete -locations none $sources -ts "$ts"
    uv run pyside6-lrelease "$ts" -qm "${ts%.ts}.qm"
done
