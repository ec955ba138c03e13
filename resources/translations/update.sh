#!/bin/sh
# Regenerates the desk's translations: collects every tr()/translate() string from
# checkpoint/ui into checkpoint_LANG.ts (keeping what translators wrote), then compiles each
# .ts into the .qm that create_application loads. Run from anywhere: sh update.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
for ts in "$here"/checkpoint_*.ts; do
    uv run pyside6-lupdate -no-obsolete -locations none checkpoint/ui/*.py -ts "$ts"
    uv run pyside6-lrelease "$ts" -qm "${ts%.ts}.qm"
done
