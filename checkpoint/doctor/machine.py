"""The machine under the station: can Qt open a window, is there room on the disk.

Qt is probed in a child process: only `checkpoint.ui` may import PySide6, and a platform
plugin that cannot load aborts the whole process, which must not be the doctor's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from checkpoint.doctor.model import GIB, Check, Station, fail, ok, warn
from checkpoint.doctor.readers import REINSTALL

QT_PROBE = (
    "import sys\n"
    "from PySide6.QtGui import QGuiApplication\n"
    "app = QGuiApplication(sys.argv[:1])\n"
    "print(app.platformName())\n"
)
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "vnc"})


def _qt_reason(stderr: str) -> str:
    """Qt's own words for why the plugin failed (its `qt.qpa` lines), else its last line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    qpa = [line.removeprefix("qt.qpa.plugin:").strip() for line in lines if line.startswith("qt.")]
    if qpa:
        return " ".join(qpa)
    return lines[-1] if lines else "no message"


def _qt_fix(stderr: str) -> str:
    if "Could not find the Qt platform plugin" in stderr:
        available = next(
            (
                line.split(":", 1)[1].strip().rstrip(".")
                for line in stderr.splitlines()
                if line.startswith("Available platform plugins")
            ),
            "xcb, wayland",
        )
        return f"unset QT_QPA_PLATFORM or set it to a plugin Qt has ({available})."
    if "xcb-cursor0" in stderr:
        return "install the library Qt names (`apt-get install libxcb-cursor0`), then try again."
    return (
        "start Checkpoint from a desktop session (DISPLAY or WAYLAND_DISPLAY set) and install "
        "Qt's system libraries (e.g. `apt-get install libxcb-cursor0 libegl1`)."
    )


def qt_platform(station: Station) -> Check:
    name = "Qt platform"
    asked = os.environ.get("QT_QPA_PLATFORM", "")
    try:
        done = subprocess.run(
            [sys.executable, "-c", QT_PROBE],
            capture_output=True,
            text=True,
            timeout=station.qt_timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return fail(
            name,
            f"starting Qt took longer than {station.qt_timeout_s:.0f} s",
            "check that the display server is running and reachable, then try again.",
        )
    if done.returncode != 0 and "Traceback (most recent call last)" in done.stderr:
        # A Python exception, not a plugin that aborted: Qt itself did not load.
        return fail(
            name,
            f"PySide6 cannot be loaded: {_qt_reason(done.stderr)}",
            f"the desk cannot open until it can: {REINSTALL}",
        )
    if done.returncode != 0:
        plugin = f" '{asked}'" if asked else ""
        return fail(
            name,
            f"Qt cannot start its platform plugin{plugin}: {_qt_reason(done.stderr)}",
            _qt_fix(done.stderr),
        )
    platform = done.stdout.strip() or asked or "unknown"
    if platform in HEADLESS_PLATFORMS:
        return warn(
            name,
            f"Qt runs on the '{platform}' platform: windows are not shown on any screen",
            "unset QT_QPA_PLATFORM on the desk's computer so the window appears (headless is "
            "only for tests and servers).",
        )
    return ok(name, f"Qt opens windows on the '{platform}' platform")


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def free_disk(station: Station) -> Check:
    name = "Free disk"
    where = _existing(station.home)
    usage = shutil.disk_usage(where)
    detail = f"{usage.free / GIB:.1f} GiB free of {usage.total / GIB:.1f} GiB at {where}"
    fix = (
        "free space on that disk or move the station's home to a larger one "
        "(--home or CHECKPOINT_HOME): hits and evidence cannot be recorded on a full disk."
    )
    if usage.free < station.disk_fail_bytes:
        return fail(name, f"only {detail}", fix)
    if usage.free < station.disk_warn_bytes:
        return warn(name, f"only {detail}", fix)
    return ok(name, detail)
