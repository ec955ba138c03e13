"""Atomic replacement of small files: the old content or the new one, never half of it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from checkpoint.files import write_atomically


def test_replaces_the_content_with_the_mode_asked(tmp_path: Path) -> None:
    folder = tmp_path / "station"
    folder.mkdir()
    target = folder / "hq-token"
    target.write_text("old\n", encoding="utf-8")
    write_atomically(target, "new\n", mode=0o600)
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [path.name for path in folder.iterdir()] == ["hq-token"]


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    folder = tmp_path / "station"
    folder.mkdir()
    target = folder / "settings.json"
    target.write_text("{}\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(target, "half \ud800 written")
    assert target.read_text(encoding="utf-8") == "{}\n"
    assert [path.name for path in folder.iterdir()] == ["settings.json"]
