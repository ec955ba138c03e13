"""`checkpoint faces compare|verify|encode` run end to end on image files."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import pytest
from faces_images import astronaut, no_face, scaled

from checkpoint.cli import main


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("faces")
    cv2.imwrite(str(folder / "portrait.png"), astronaut())
    cv2.imwrite(str(folder / "live.jpg"), cv2.flip(scaled(astronaut(), 1.5), 1))
    cv2.imwrite(str(folder / "coffee.png"), no_face())
    (folder / "notes.jpg").write_text("not a picture")
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_compare_json(images: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "faces", "compare", str(images / "portrait.png"), str(images / "live.jpg"), "--json"
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["decision"] == "match"
    assert result["distance"] < result["threshold"] == 0.55
    assert 0.5 < result["confidence"] <= 1.0
    assert result["face_a"]["faces_found"] == 1
    assert result["face_a"]["face"]["quality"]["problems"] == [
        f"face too small: {result['face_a']['face']['quality']['inter_eye_px']:.0f} px between "
        "the eyes, 60 needed"
    ]
    assert "template" not in result["face_b"]["face"]
    assert err == ""


def test_compare_plain_and_bad_input(images: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "faces", "compare", str(images / "portrait.png"), str(images / "live.jpg")
    )
    assert code == 0
    assert out.splitlines()[0].endswith(")")
    assert ": match (distance " in out

    code, out, err = run(
        capsys, "faces", "compare", str(images / "notes.jpg"), str(images / "coffee.png")
    )
    assert code == 1
    assert ": inconclusive" in out
    assert len(err.strip().splitlines()) == 1
    assert "not an image" in err
    assert "no face found" in err
    assert "Traceback" not in err


def test_verify_pairs_csv(images: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pairs = images / "pairs.csv"
    pairs.write_text(
        "a,b,same\nportrait.png,live.jpg,1\nportrait.png,coffee.png,0\nlive.jpg,notes.jpg,\n"
    )
    code, out, err = run(capsys, "faces", "verify", "--pairs", str(pairs), "--json")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [r["decision"] for r in lines] == ["match", "inconclusive", "inconclusive"]
    assert lines[0]["a"] == "portrait.png"
    assert lines[0]["correct"] is True
    assert lines[1]["face_b"]["problem"] == "no face found"
    assert "1 of 1 labelled pairs decided correctly; 2 pairs inconclusive" in err


def test_verify_rejects_a_bad_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "faces", "verify", "--pairs", str(tmp_path / "none.csv"))
    assert code == 2
    assert "cannot be read" in err
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("left,right\nx.png,y.png\n")
    code, _, err = run(capsys, "faces", "verify", "--pairs", str(wrong))
    assert code == 2
    assert "columns a and b" in err


def test_encode_json(images: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "faces",
        "encode",
        str(images / "portrait.png"),
        str(images / "coffee.png"),
        str(images / "notes.jpg"),
        "--json",
    )
    assert code == 1  # one file was not an image
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 3
    first = records[0]
    assert first["model"]["name"] == "dlib_face_recognition_resnet_model_v1"
    assert len(first["faces"]) == 1
    template = first["faces"][0]["template"]
    assert len(template["vector"]) == 128
    assert template["version"] == first["model"]["version"]
    assert records[1]["faces"] == []
    assert records[1]["problem"] == "no face found"
    assert "not an image" in records[2]["error"]
    assert "not an image" in err


def test_encode_plain(images: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "faces", "encode", str(images / "portrait.png"), str(images / "coffee.png")
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith("portrait.png: 1 face")
    assert lines[1].startswith("  subject at ")
    assert "face too small" in lines[1]
    assert lines[2].endswith("coffee.png: no face found")


def test_threshold_option(images: Path, capsys: pytest.CaptureFixture[str]) -> None:
    portrait, live = str(images / "portrait.png"), str(images / "live.jpg")
    code, out, _ = run(capsys, "faces", "compare", portrait, live, "--json", "--threshold", "0.01")
    assert code == 0
    strict = json.loads(out)
    assert strict["threshold"] == 0.01
    assert strict["distance"] > 0.01
    assert strict["decision"] == "no match"
    with pytest.raises(SystemExit):
        main(["faces", "compare", portrait, live, "--threshold", "7"])
    assert "between 0 and 2" in capsys.readouterr().err


def test_verify_fits_a_calibration_on_labelled_pairs(
    images: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cv2.imwrite(str(images / "big.png"), scaled(astronaut(), 2.0))
    cv2.imwrite(str(images / "dark.png"), cv2.convertScaleAbs(astronaut(), alpha=0.7))
    pairs = images / "labelled.csv"
    # The installed photos show one person only, so two pairs are labelled "different" on
    # purpose: the summary must count them as wrong, and still fit both sides.
    pairs.write_text(
        "a,b,same\nportrait.png,live.jpg,1\nbig.png,dark.png,1\nportrait.png,big.png,0\nlive.jpg,dark.png,0\n"
    )
    code, _, err = run(capsys, "faces", "verify", "--pairs", str(pairs))
    assert code == 0
    assert "2 of 4 labelled pairs decided correctly" in err
    assert "calibration on these pairs: same " in err
