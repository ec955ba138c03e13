"""The cheap half of the installer: its files parse and agree with the project.

The full build (PyInstaller, tarball, .deb, smoke test of the frozen app) takes minutes and
half a gigabyte, so the suite does not run it: `bash installer/build.sh` does, and prints its
figures. Here: the spec names files that exist, the desktop entry and AppStream metadata are
well formed and consistent, the icon renders at every size, and the smoke test's expected
demo documents are exactly the ones the demo renders.
"""

from __future__ import annotations

import ast
import configparser
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from checkpoint import __version__
from checkpoint.documents.synth import demo_specimens

REPO = Path(__file__).resolve().parents[2]
INSTALLER = REPO / "installer"
DESKTOP = INSTALLER / "linux" / "checkpoint.desktop"
METAINFO = INSTALLER / "linux" / "io.github.checkpoint.Checkpoint.metainfo.xml"


def spec_paths() -> list[Path]:
    """Every `ROOT / "a" / "b"` path the spec builds from string literals."""
    tree = ast.parse((INSTALLER / "checkpoint.spec").read_text(encoding="utf-8"))
    paths = []
    for top in ast.walk(tree):
        parts: list[str] = []
        node = top
        while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            if not isinstance(node.right, ast.Constant) or not isinstance(node.right.value, str):
                break
            parts.insert(0, node.right.value)
            node = node.left
        else:
            if isinstance(node, ast.Name) and node.id == "ROOT" and parts:
                paths.append(REPO.joinpath(*parts))
    return paths


def test_the_spec_parses_and_names_files_that_exist() -> None:
    paths = spec_paths()
    names = {path.relative_to(REPO).as_posix() for path in paths}
    assert "resources/ocrb/ocrb-mlp.npz" in names
    assert "watchlists/demo/demo-list-v1.zip" in names
    # build/ is what the build writes (the Windows icon); it does not exist in a fresh clone.
    missing = [
        name for name in names if name.split("/")[0] != "build" and not (REPO / name).exists()
    ]
    assert missing == []
    for script in ("launcher.py", "rthooks/zbar.py", "smoke.py", "render_icons.py"):
        compile((INSTALLER / script).read_text(encoding="utf-8"), script, "exec")
    assert list((REPO / "resources" / "translations").glob("*.qm"))


def test_the_bundle_leaves_the_demo_private_key_out() -> None:
    spec = (INSTALLER / "checkpoint.spec").read_text(encoding="utf-8")
    assert "DEMO-ONLY-signing-key.pub" in spec
    assert "signing-key.key" not in spec


def test_the_desktop_entry_has_the_keys_menus_need() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Checkpoint"
    assert entry["Exec"].split()[0] == "checkpoint"
    assert entry["Icon"] == "checkpoint"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    assert "Comment" in entry


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils")
def test_the_desktop_entry_validates() -> None:
    done = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""


def test_the_metainfo_agrees_with_the_project() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("provides/binary") == "checkpoint"
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert root.findtext("project_license") == project["license"]
    releases = [release.get("version") for release in root.iter("release")]
    assert releases[0] == __version__


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream")
def test_the_metainfo_validates() -> None:
    done = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_icon_renders_at_every_size(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(INSTALLER / "render_icons.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    for size in (16, 22, 24, 32, 48, 64, 128, 256):
        with Image.open(tmp_path / "hicolor" / f"{size}x{size}" / "apps" / "checkpoint.png") as png:
            assert png.size == (size, size)
            alpha = png.getchannel("A")
            # Drawn, with transparent corners: not an empty or a solid square.
            assert alpha.getpixel((0, 0)) == 0
            assert alpha.getpixel((size // 2, size // 2)) == 255
    assert (tmp_path / "hicolor" / "scalable" / "apps" / "checkpoint.svg").is_file()
    with Image.open(tmp_path / "checkpoint.ico") as ico:
        assert (256, 256) in ico.info["sizes"]


def test_the_smoke_tests_expected_documents_are_the_demos() -> None:
    expected = [
        line.split("\t")
        for line in (INSTALLER / "smoke-expected.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    rendered = [
        [
            f"demo:{number}-{specimen.format.value}-{specimen.identity.surname}",
            " ".join(specimen.lines),
        ]
        for number, specimen in enumerate(demo_specimens(), start=1)
    ]
    assert expected == rendered


def test_the_windows_script_has_the_projects_version() -> None:
    script = (INSTALLER / "windows" / "checkpoint.iss").read_text(encoding="utf-8")
    match = re.search(r'^#define AppVersion "([^"]+)"$', script, re.MULTILINE)
    assert match is not None
    assert match[1] == __version__


def test_the_build_script_parses_and_its_outputs_are_ignored() -> None:
    done = subprocess.run(
        ["bash", "-n", str(INSTALLER / "build.sh")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    build = (INSTALLER / "build.sh").read_text(encoding="utf-8")
    for package in ("libzbar0", "fonts-ocr-b", "libxcb-cursor0", "libegl1"):
        assert package in build.split("DEPENDS=(")[1].split(")")[0]
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "build/" in ignored
    assert "dist/" in ignored
