#!/usr/bin/env bash
# Build Checkpoint for Linux from a clean checkout: the PyInstaller one-folder bundle, a tarball
# and a .deb, then smoke-test the bundle and print what was built and how fast it starts.
#
#     bash installer/build.sh            # bundle, tarball, .deb, smoke test of the bundle
#     bash installer/build.sh --install  # ... and install the .deb with apt-get, test, remove it
#
# Needs Debian 12 (x86_64) with uv; as root, the Debian packages below are installed if missing.
# Outputs: dist/checkpoint/ (bundle), dist/checkpoint-VERSION-linux-x86_64.tar.gz,
# dist/checkpoint_VERSION_amd64.deb; scratch work under build/. Both folders are gitignored.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
export QT_QPA_PLATFORM=offscreen
export UV_NO_PROGRESS=1

INSTALL_DEB=0
[ "${1:-}" = "--install" ] && INSTALL_DEB=1

step() { printf '\n== %s\n' "$*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
mib() { awk -v n="$1" 'BEGIN { printf "%.1f MiB", n / 1048576 }'; }

VERSION=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' checkpoint/__init__.py)
BUNDLE=dist/checkpoint
TARBALL=dist/checkpoint-$VERSION-linux-x86_64.tar.gz
DEB=dist/checkpoint_${VERSION}_amd64.deb
STAGE=build/stage

# What the build itself needs (packaging and validation tools, the libraries and fonts the
# bundle is checked with), and what the installed .deb needs at run time (ldd on the bundle:
# the libraries PyInstaller leaves to the system, Qt's xcb/Wayland plugins, ZBar, the fonts the
# demo documents are drawn with, and iso-codes for country names).
BUILD_PACKAGES=(fakeroot desktop-file-utils appstream libzbar0
  fonts-ocr-b fonts-dejavu-core iso-codes libegl1 libgl1 libxkbcommon0 libfontconfig1
  libdbus-1-3 libglib2.0-0)
DEPENDS=(libc6 libgl1 libglx0 libglvnd0 libegl1 libdrm2 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxkbcommon0 libxkbcommon-x11-0 libwayland-client0 libwayland-cursor0 libwayland-egl1
  libfontconfig1 libdbus-1-3 libglib2.0-0 libzbar0 fonts-ocr-b
  "fonts-urw-base35 | fonts-dejavu-core" iso-codes)

step "Debian packages for the build"
missing=()
for package in "${BUILD_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing (install them as root): ${missing[*]}" >&2
    exit 1
  fi
fi
echo "all present: ${BUILD_PACKAGES[*]}"

step "environment (uv sync --locked --group installer)"
uv sync --locked --group installer

step "icons (rendered from installer/icons/checkpoint.svg)"
rm -rf build/icons
uv run --no-sync python installer/render_icons.py build/icons >/dev/null
find build/icons -name '*.png' | sort -V | sed 's|^|  |'

step "bundle (PyInstaller, one folder)"
started=$(now)
uv run --no-sync pyinstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/checkpoint.spec
BUILD_S=$(elapsed "$started" "$(now)")
echo "built $BUNDLE in $BUILD_S s"

step "icons, desktop entry, AppStream metadata"
rm -rf "$STAGE"
mkdir -p "$STAGE/share/applications" "$STAGE/share/metainfo" "$STAGE/share/icons"
cp -a build/icons/hicolor "$STAGE/share/icons/"
cp installer/linux/checkpoint.desktop "$STAGE/share/applications/"
cp installer/linux/io.github.checkpoint.Checkpoint.metainfo.xml "$STAGE/share/metainfo/"
desktop-file-validate "$STAGE/share/applications/checkpoint.desktop"
appstreamcli validate --no-net --explain \
  "$STAGE/share/metainfo/io.github.checkpoint.Checkpoint.metainfo.xml" >/dev/null
echo "desktop-file-validate and appstreamcli validate: passed"

step "tarball"
TREE=build/tar/checkpoint-$VERSION
rm -rf build/tar && mkdir -p "$TREE"
cp -a "$BUNDLE/." "$TREE/"
cp -a "$STAGE/share" "$TREE/share"
cp installer/linux/INSTALL-tarball.txt "$TREE/INSTALL.txt"
tar -C build/tar -czf "$TARBALL" "checkpoint-$VERSION"
echo "$TARBALL"

step ".deb"
ROOT=build/deb/checkpoint
rm -rf build/deb && mkdir -p "$ROOT/opt" "$ROOT/usr/bin" "$ROOT/usr/share" "$ROOT/DEBIAN"
cp -a "$BUNDLE" "$ROOT/opt/checkpoint"
cp -a "$STAGE/share/." "$ROOT/usr/share/"
# The bootloader finds _internal/ next to its real path, so a symlink is enough.
ln -s /opt/checkpoint/checkpoint "$ROOT/usr/bin/checkpoint"
depends=$(printf '%s, ' "${DEPENDS[@]}")
cat > "$ROOT/DEBIAN/control" <<EOF
Package: checkpoint
Version: $VERSION
Architecture: amd64
Maintainer: Checkpoint maintainers <checkpoint@localhost>
Installed-Size: $(du -sk "$ROOT" | cut -f1)
Depends: ${depends%, }
Section: misc
Priority: optional
Homepage: https://github.com/checkpoint/checkpoint
Description: offline-first screening client for the desk at a border crossing
 Reads passports, identity cards and visas (MRZ, barcodes, portrait), screens the
 traveller against the watchlists synced to the station, and records the officer's
 decisions until headquarters can be reached. Self-contained build under /opt/checkpoint.
EOF
fakeroot dpkg-deb -Zxz -z6 --build "$ROOT" "$DEB" >/dev/null
dpkg-deb --info "$DEB" | sed -n 's/^ \(Package\|Version\|Depends\):/\1:/p'

step "libraries left to the system (ldd) are all covered by Depends"
owner() {  # the package owning a library; merged /usr means it may be listed either way
  local path
  for path in "$1" "/usr$1" "${1#/usr}"; do
    dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1 && return
  done
}
BUNDLE_ABS=$PWD/$BUNDLE
uncovered=0
while read -r library; do
  package=$(owner "$library")
  if [ -z "$package" ] || ! printf '%s\n' "${DEPENDS[@]}" | tr '|' '\n' | tr -d ' ' | grep -qx "$package"; then
    echo "not covered: $library (${package:-no package})" >&2
    uncovered=1
  fi
done < <(find "$BUNDLE_ABS" -type f \( -name '*.so*' -o -name checkpoint \) -print0 |
  xargs -0 -n 20 env LD_LIBRARY_PATH="$BUNDLE_ABS/_internal" ldd 2>/dev/null |
  awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | grep -v "^$BUNDLE_ABS/" | sort -u)
[ "$uncovered" = 0 ] && echo "every system library of the bundle belongs to a package in Depends"

step "smoke test of the bundle"
smoke_args=(--bundle "$BUNDLE")
[ "$INSTALL_DEB" = 1 ] && smoke_args+=(--deb "$DEB")
uv run --no-sync python installer/smoke.py "${smoke_args[@]}"

step "frozen start time (median of 3 runs, scratch home, offscreen)"
median_run() {
  local times=()
  for _ in 1 2 3; do
    local home started
    home=$(mktemp -d)
    started=$(now)
    CHECKPOINT_HOME=$home "$BUNDLE/checkpoint" "$@" >/dev/null
    times+=("$(elapsed "$started" "$(now)")")
    rm -rf "$home"
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}
VERSION_S=$(median_run --version)
SCAN_S=$(median_run scan --demo)

step "summary"
printf '%-34s %s\n' \
  "build time (PyInstaller)" "$BUILD_S s" \
  "bundle ($BUNDLE)" "$(mib "$(du -sb "$BUNDLE" | cut -f1)")" \
  "tarball ($(basename "$TARBALL"))" "$(mib "$(stat -c %s "$TARBALL")")" \
  ".deb ($(basename "$DEB"))" "$(mib "$(stat -c %s "$DEB")")" \
  "checkpoint --version, median" "$VERSION_S s" \
  "checkpoint scan --demo, median" "$SCAN_S s"
[ "$uncovered" = 0 ]
