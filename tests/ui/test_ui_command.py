"""`checkpoint gui`: a source that cannot be opened is one sentence, before any window."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkpoint.cli import main


def test_gui_with_a_missing_source_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--home", str(tmp_path / "home"), "gui", "--source", str(tmp_path / "nowhere")])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "no camera, folder or video" in err[0]


def test_gui_is_listed_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["gui", "--help"])
    assert "--source" in capsys.readouterr().out
