"""`checkpoint scan`: real files in, JSON lines out, bad files reported without stopping."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pdf417gen
import pytest

from checkpoint.cli import main
from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.synth import demo_specimens, photograph, random_identity, render_specimen

EXPECTED = {
    "passport-td3.jpg": [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ],
    "passport-td2.jpg": [
        "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "D231458907UTO7408122F1204159<<<<<<<6",
    ],
}


def scan(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[dict[str, object]], str]:
    code = main(["scan", *args])
    captured = capsys.readouterr()
    objects = [json.loads(line) for line in captured.out.splitlines() if line.strip()]
    return code, objects, captured.err


def write_photo(path: Path, fmt: MrzFormat, seed: int) -> tuple[str, ...]:
    rng = np.random.default_rng(seed)
    specimen = render_specimen(fmt, random_identity(rng, fmt), rng=rng)
    photo = photograph(specimen, rng, size=(1280, 720), degrade="clean")
    cv2.imwrite(str(path), photo.image)
    return specimen.lines


def test_demo_reads_every_demo_document(capsys: pytest.CaptureFixture[str]) -> None:
    code, objects, err = scan(["--demo", "--json"], capsys)
    assert code == 0, err
    expected = [list(specimen.lines) for specimen in demo_specimens()]
    assert [obj["document"]["lines"] for obj in objects] == expected  # type: ignore[index]
    for obj in objects:
        document = obj["document"]
        assert isinstance(document, dict)
        assert document["valid"] is True
        assert document["accepted"] is True
        assert set(obj["timings_ms"]) >= {"load", "mrz", "total"}  # type: ignore[arg-type]


@pytest.mark.shared_data
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_specimen_photos(
    name: str, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, objects, err = scan([str(shared_data / "documents" / name), "--json"], capsys)
    assert code == 0, err
    (obj,) = objects
    document = obj["document"]
    assert isinstance(document, dict)
    assert document["lines"] == EXPECTED[name]
    assert document["valid"] is True
    assert document["accepted"] is True
    fields = document["fields"]
    assert fields["surname"] == "ERIKSSON"
    assert fields["birth_date"] == "1974-08-12"


def test_bad_files_are_reported_and_the_rest_scanned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.png"
    lines = write_photo(good, MrzFormat.TD1, seed=5)
    not_image = tmp_path / "notes.jpg"
    not_image.write_text("this is not a picture")
    missing = tmp_path / "missing.png"
    code, objects, err = scan([str(missing), str(not_image), str(good), "--json"], capsys)
    assert code == 1
    assert [obj["source"] for obj in objects] == [str(good)]
    assert objects[0]["document"]["lines"] == list(lines)  # type: ignore[index]
    messages = err.strip().splitlines()
    assert len(messages) == 2
    assert "missing.png does not exist" in messages[0]
    assert "notes.jpg is not an image" in messages[1]
    assert "Traceback" not in err


def test_folder_is_scanned_and_blank_image_has_no_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = write_photo(tmp_path / "a.jpg", MrzFormat.TD3, seed=11)
    cv2.imwrite(str(tmp_path / "b.png"), np.full((480, 640, 3), 200, np.uint8))
    code, objects, _ = scan([str(tmp_path), "--json"], capsys)
    assert code == 0
    assert [Path(str(obj["source"])).name for obj in objects] == ["a.jpg", "b.png"]
    assert objects[0]["document"]["lines"] == list(lines)  # type: ignore[index]
    assert objects[1]["document"] is None


def test_plain_output_is_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = write_photo(tmp_path / "visa.png", MrzFormat.MRV_A, seed=3)
    assert main(["scan", str(tmp_path / "visa.png")]) == 0
    out = capsys.readouterr().out
    assert "MRV-A MRZ, valid" in out
    assert lines[1] in out


def test_console_script_without_arguments_explains() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "checkpoint", "scan"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 2
    assert "use --demo" in completed.stderr
    assert "Traceback" not in completed.stderr


def boarding_pass(name: str) -> str:
    """A one-leg IATA BCBP with no conditional section (Resolution 792, 60 characters)."""
    text = f"M1{name:<20.20}EABC123 YULFRAAC 0834 326J001A0025 100"
    assert len(text) == 60
    return text


@pytest.mark.parametrize(("bcbp_name", "agrees"), [("OWN", True), ("DESMARAIS/LUC", False)])
def test_boarding_pass_is_read_and_checked_against_the_mrz(
    bcbp_name: str, agrees: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = np.random.default_rng(21)
    specimen = render_specimen(MrzFormat.TD3, random_identity(rng, MrzFormat.TD3), rng=rng)
    identity = specimen.identity
    name = f"{identity.surname}/{identity.given_names}".replace("<", " ")
    text = boarding_pass(name if bcbp_name == "OWN" else bcbp_name)
    code = np.asarray(
        pdf417gen.render_image(pdf417gen.encode(text, columns=6), scale=3).convert("L")
    )
    document = cv2.cvtColor(specimen.image, cv2.COLOR_BGR2GRAY)
    height = document.shape[0] + code.shape[0] + 60
    width = max(document.shape[1], code.shape[1]) + 40
    canvas = np.full((height, width), 255, np.uint8)
    canvas[20 : 20 + document.shape[0], 20 : 20 + document.shape[1]] = document
    top = document.shape[0] + 40
    canvas[top : top + code.shape[0], 20 : 20 + code.shape[1]] = code
    cv2.imwrite(str(tmp_path / "desk.png"), canvas)

    exit_code, (obj,), err = scan([str(tmp_path / "desk.png"), "--json"], capsys)
    assert exit_code == 0, err
    assert obj["document"]["lines"] == list(specimen.lines)  # type: ignore[index]
    (barcode,) = obj["barcodes"]  # type: ignore[misc]
    assert barcode["format"] == "PDF417"
    assert barcode["text"] == text
    names = [c for c in obj["cross_checks"] if c["field"] == "name"]  # type: ignore[union-attr]
    assert names
    assert all(check["agrees"] is agrees for check in names)
