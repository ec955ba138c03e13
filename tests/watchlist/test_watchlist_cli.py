"""The CLI end to end: sources with broken rows, build, import from a file and over HTTP,
status, screening (one traveller, a CSV), export."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from watchlist_helpers import database_fingerprint, make_keys, run_cli

from checkpoint.paths import database_path
from checkpoint.storage import open_database
from checkpoint.watchlist.sources import read_ofac, read_un_xml
from checkpoint.watchlist.store import iter_templates

PERSONS_CSV = (
    "entry_id,name,aliases,low_quality_aliases,original_script_names,date_of_birth,nationality,"
    "sex,documents,photo,category,reason,action\n"
    "e1,Ivan Petrov,Vanya Petrov,,Иван Петров,1970-03-04,RUS,M,P:RUS:AB1234567,,x,Fraud,Stop\n"
    """e2,Anna Maria Eriksson,,,,1974-08-12,UTO,F,,,,Test person,
e3,,,,,1980-01-01,FRA,M,,,,no name,
e4,Bad Date,,,,1980-13-45,FRA,M,,,,,
e1,Duplicate Person,,,,,,,,,,,
e5,Bad Sex,,,,,,Q,,,,,
e6,Li Wei,,,李伟,1985,CHN,M,,,,,
"""
)
ALERTS_CSV = """alert_id,document_number,issuing_country,document_type,reason
s1,L898902C3,UTO,P,stolen
,D23145890,Utopia,I,lost
s3,,UTO,P,stolen
"""


@pytest.fixture
def sources(tmp_path: Path) -> tuple[Path, Path]:
    persons, alerts = tmp_path / "persons.csv", tmp_path / "alerts.csv"
    persons.write_text(PERSONS_CSV, encoding="utf-8")
    alerts.write_text(ALERTS_CSV, encoding="utf-8")
    return persons, alerts


def _build(
    home: Path, key: Path, sources: tuple[Path, Path], out: Path, version: int, *extra: str
) -> str:
    code, stdout, stderr = run_cli(
        home,
        "watchlist",
        "build",
        "--list-id",
        "NAT",
        "--version",
        str(version),
        "--key",
        str(key),
        "--persons",
        str(sources[0]),
        "--alerts",
        str(sources[1]),
        "--out",
        str(out),
        *extra,
    )
    assert code == 0, stderr
    return stdout + stderr


def test_build_reports_broken_rows_and_imports_the_rest(
    tmp_path: Path, checkpoint_home: Path, sources: tuple[Path, Path]
) -> None:
    key = make_keys(tmp_path, checkpoint_home)
    output = _build(checkpoint_home, key, sources, tmp_path / "nat1.zip", 1)
    for line in (4, 5, 6, 7):
        assert f"persons.csv line {line}:" in output
    assert "alerts.csv line 4:" in output
    assert "3 persons" in output
    assert "2 alerts" in output
    code, out, err = run_cli(checkpoint_home, "watchlist", "import", str(tmp_path / "nat1.zip"))
    assert code == 0, err
    code, out, _ = run_cli(
        checkpoint_home, "screen", "--name", "PETROV IVAN", "--dob", "1970-03-04", "--json"
    )
    result = json.loads(out)
    assert result["hit"]
    assert result["matches"][0]["entry_id"] == "e1"
    assert result["matches"][0]["action"] == "Stop"
    code, out, _ = run_cli(checkpoint_home, "screen", "--name", "李伟", "--json")
    assert json.loads(out)["matches"][0]["entry_id"] == "e6"
    code, out, _ = run_cli(checkpoint_home, "screen", "--document", "D23145B90", "--issuer", "UTO")
    assert code == 0
    assert "no hit" in out
    code, out, _ = run_cli(checkpoint_home, "screen", "--document", "D23145890", "--issuer", "UTO")
    assert "HIT document D23145890" in out
    assert "lost" in out


def test_screen_csv_one_json_line_per_row(
    tmp_path: Path, checkpoint_home: Path, sources: tuple[Path, Path]
) -> None:
    key = make_keys(tmp_path, checkpoint_home)
    _build(checkpoint_home, key, sources, tmp_path / "nat1.zip", 1)
    assert run_cli(checkpoint_home, "watchlist", "import", str(tmp_path / "nat1.zip"))[0] == 0
    queries = tmp_path / "queries.csv"
    queries.write_text(
        "full_name,date_of_birth,nationality,gender,document_number\n"
        "Anna Maria Eriksson,1974-08-12,UTO,F,\n"
        "Peter Smith,1990-01-01,GBR,M,123456\n"
        "Nobody Known,not-a-date,,,\n"
        "Someone Else,,,,L898902C3\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(checkpoint_home, "screen", "--csv", str(queries), "--json")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 4
    assert rows[0]["hit"]
    assert rows[0]["matches"][0]["entry_id"] == "e2"
    assert not rows[1]["hit"]
    assert rows[1]["matches"] == []
    assert "not a birth date" in rows[2]["warnings"][0]
    assert rows[2]["hit"] is False
    assert rows[3]["hit"]
    assert rows[3]["document_hits"][0]["reason"] == "stolen"


def test_export_round_trip(
    tmp_path: Path, checkpoint_home: Path, sources: tuple[Path, Path]
) -> None:
    key = make_keys(tmp_path, checkpoint_home)
    _build(checkpoint_home, key, sources, tmp_path / "nat1.zip", 1)
    assert run_cli(checkpoint_home, "watchlist", "import", str(tmp_path / "nat1.zip"))[0] == 0
    persons, alerts = tmp_path / "out.csv", tmp_path / "alerts-out.csv"
    code, out, _ = run_cli(
        checkpoint_home,
        "watchlist",
        "export",
        "--list-id",
        "NAT",
        "--out",
        str(persons),
        "--alerts-out",
        str(alerts),
    )
    assert code == 0
    assert "3 persons and 2 document alerts" in out
    # The export is itself a valid source: rebuilding from it gives the same list.
    again = _build(checkpoint_home, key, (persons, alerts), tmp_path / "nat2.zip", 2)
    assert "3 persons" in again
    assert "0 source rows skipped" in again
    text = persons.read_text(encoding="utf-8")
    assert "Иван Петров" in text
    assert "P:RUS:AB1234567" in text


@pytest.fixture
def http_folder(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    folder = tmp_path / "served"
    folder.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", folder
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_import_over_http(
    tmp_path: Path, checkpoint_home: Path, sources: tuple[Path, Path], http_folder: tuple[str, Path]
) -> None:
    url, folder = http_folder
    key = make_keys(tmp_path, checkpoint_home)
    _build(checkpoint_home, key, sources, folder / "nat1.zip", 1)
    code, out, err = run_cli(checkpoint_home, "watchlist", "import", f"{url}/nat1.zip")
    assert code == 0, err
    assert "imported full bundle NAT v1" in out
    before = database_fingerprint(checkpoint_home)
    code, _, err = run_cli(checkpoint_home, "watchlist", "import", f"{url}/missing.zip")
    assert code == 1
    assert "answered 404" in err
    code, _, err = run_cli(checkpoint_home, "watchlist", "import", "http://127.0.0.1:9/nat1.zip")
    assert code == 1
    assert "cannot be fetched" in err
    assert database_fingerprint(checkpoint_home) == before
    code, out, _ = run_cli(checkpoint_home, "watchlist", "status", "--json")
    status = json.loads(out)[0]
    assert status["version"] == 1
    assert not status["stale"]
    assert status["signer"].startswith("hq (")


def test_screen_without_lists_says_what_to_do(checkpoint_home: Path) -> None:
    code, _, err = run_cli(checkpoint_home, "screen", "--name", "Anyone")
    assert code == 1
    assert "import one with `checkpoint watchlist import`" in err


@pytest.mark.shared_data
def test_real_sanction_lists_read(shared_data: Path) -> None:
    un = read_un_xml(shared_data / "watchlists" / "UN_consolidated.xml")
    assert len(un.persons) == 730
    assert not un.rejected
    originals = [n for p in un.persons for n in p.names if n.quality == "original"]
    assert len(originals) > 300
    assert sum(1 for p in un.persons if p.birth_dates) > 650
    assert any(d.issuer for p in un.persons for d in p.documents)
    ofac = read_ofac(shared_data / "watchlists" / "sdn.csv", shared_data / "watchlists" / "alt.csv")
    assert len(ofac.persons) > 3000
    assert sum(1 for p in ofac.persons if len(p.names) > 1) > 1000
    assert sum(1 for p in ofac.persons if p.birth_dates) > 2000


@pytest.mark.shared_data
def test_photos_become_face_templates(
    tmp_path: Path, checkpoint_home: Path, shared_data: Path
) -> None:
    face_recognition = pytest.importorskip("face_recognition")
    photo = tmp_path / "photos" / "biden.jpg"
    photo.parent.mkdir()
    photo.write_bytes((shared_data / "faces" / "more" / "biden.jpg").read_bytes())
    persons = tmp_path / "persons.csv"
    persons.write_text(
        "entry_id,name,photo\nf1,Joseph Example,photos/biden.jpg\nf2,No Face,photos/missing.jpg\n",
        encoding="utf-8",
    )
    key = make_keys(tmp_path, checkpoint_home)
    code, out, err = run_cli(
        checkpoint_home, "watchlist", "build", "--list-id", "F", "--version", "1",
        "--key", str(key), "--persons", str(persons), "--photos", "--out", str(tmp_path / "f.zip"),
    )  # fmt: skip
    assert code == 0, err
    assert "persons.csv line 3: photo missing.jpg cannot be read" in err
    assert "1 templates" in out
    assert run_cli(checkpoint_home, "watchlist", "import", str(tmp_path / "f.zip"))[0] == 0
    db = open_database(database_path(checkpoint_home))
    ids, matrix, model = iter_templates(db, "F")
    assert ids == ["f1"]
    assert matrix.shape == (1, 128)
    image = face_recognition.load_image_file(photo)
    np.testing.assert_allclose(matrix[0], face_recognition.face_encodings(image)[0], atol=1e-5)
    assert model == "dlib_face_recognition_resnet_model_v1/1"


def test_keygen_and_delta_through_the_cli(
    tmp_path: Path, checkpoint_home: Path, sources: tuple[Path, Path]
) -> None:
    code, out, _ = run_cli(checkpoint_home, "watchlist", "keygen", str(tmp_path / "hq"))
    assert code == 0
    assert "hq.key" in out
    code, _, err = run_cli(checkpoint_home, "watchlist", "keygen", str(tmp_path / "hq"))
    assert code == 1
    assert "already exists" in err
    assert run_cli(checkpoint_home, "watchlist", "trust", str(tmp_path / "hq.pub"))[0] == 0
    key = tmp_path / "hq.key"
    _build(checkpoint_home, key, sources, tmp_path / "v1.zip", 1)
    lines = sources[0].read_text(encoding="utf-8").splitlines(keepends=True)
    # Anna Maria Eriksson leaves the list; Li Wei's birth date is corrected.
    edited = [line for line in lines if not line.startswith("e2,")]
    edited = [line.replace("李伟,1985,", "李伟,1986-02-03,") for line in edited]
    sources[0].write_text("".join(edited), encoding="utf-8")
    output = _build(
        checkpoint_home,
        key,
        sources,
        tmp_path / "v2.zip",
        2,
        "--delta-from",
        str(tmp_path / "v1.zip"),
    )
    assert "delta bundle NAT v2 (1 persons" in output
    assert "1 deletions" in output
    for bundle in ("v1.zip", "v2.zip"):
        code, _, err = run_cli(checkpoint_home, "watchlist", "import", str(tmp_path / bundle))
        assert code == 0, err
    code, out, _ = run_cli(checkpoint_home, "screen", "--name", "Anna Maria Eriksson", "--json")
    assert json.loads(out)["matches"] == []
    code, out, _ = run_cli(
        checkpoint_home, "screen", "--name", "Li Wei", "--dob", "1986-02-03", "--json"
    )
    match = json.loads(out)["matches"][0]
    assert match["entry_id"] == "e6"
    assert match["fields"][0]["outcome"] == "agrees"
    code, out, _ = run_cli(checkpoint_home, "watchlist", "status")
    assert "NAT v2: current" in out
