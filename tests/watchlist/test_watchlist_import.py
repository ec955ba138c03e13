"""Importing bundles: full and delta, templates, document checks, staleness, atomic switch,
and a process killed during an import."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from watchlist_helpers import ALERTS, PEOPLE, make_bundle, make_keys, person, run_cli

from checkpoint.paths import database_path, keys_dir
from checkpoint.storage import open_database
from checkpoint.watchlist.bundle import verify_bundle
from checkpoint.watchlist.delta import diff_against_bundle
from checkpoint.watchlist.keys import load_private_key, trusted_keys
from checkpoint.watchlist.model import DocumentAlert, ListContent, WatchlistError
from checkpoint.watchlist.screen import PersonQuery, screen_person
from checkpoint.watchlist.store import (
    check_document,
    import_bundle,
    iter_templates,
    list_status,
    load_index,
)


def _letters(number: int) -> str:
    """A distinct letter code per number (names carry no digits)."""
    text = ""
    while True:
        number, digit = divmod(number, 26)
        text += "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[digit]
        if not number:
            return text


def _install(home: Path, bundle: Path) -> None:
    code, _, err = run_cli(home, "watchlist", "import", str(bundle))
    assert code == 0, err


def test_full_import_then_lookups(tmp_path: Path, checkpoint_home: Path) -> None:
    key = make_keys(tmp_path, checkpoint_home)
    _install(checkpoint_home, make_bundle(tmp_path / "v1.zip", key, 1))
    db = open_database(database_path(checkpoint_home))
    status = list_status(db, "TEST")
    assert status is not None
    assert status.version == 1
    assert status.counts["persons"] == 3
    ids, matrix, model = iter_templates(db, "TEST")
    assert ids == ["p1", "p2", "p3"]
    assert matrix.dtype == np.float32
    assert matrix.shape == (3, 128)
    np.testing.assert_array_equal(matrix[1], PEOPLE[1].templates[0].vector)
    assert model == "dlib_face_recognition_resnet_model_v1/1"
    # Document alerts: fillers, separators and O/0 do not hide a number.
    hits = check_document(db, "L898902C3<", "UTO")
    assert [(h.kind, h.reference, h.reason) for h in hits] == [("alert", "a1", "stolen")]
    assert check_document(db, "l8989o2c3", None)
    assert check_document(db, "L898902C3", "FRA") == []
    assert check_document(db, "L898902C4", "UTO") == []
    assert [h.reference for h in check_document(db, "AB 1234567", "RUS")] == ["p1"]


def test_delta_adds_changes_and_deletes(tmp_path: Path, checkpoint_home: Path) -> None:
    key = make_keys(tmp_path, checkpoint_home)
    v1 = make_bundle(tmp_path / "v1.zip", key, 1)
    _install(checkpoint_home, v1)
    changed = person(
        "p2", "Anna Maria Eriksson", dob="1974-08-12", nationality="UTO", sex="F", template_seed=22
    )
    added = person("p4", "Olga Ivanova", dob="1980-02-02", nationality="RUS", sex="F")
    new = ListContent(
        persons=(PEOPLE[0], changed, added), alerts=(DocumentAlert("a2", "X1", "UTO", "P", "lost"),)
    )
    delta = diff_against_bundle(v1, load_private_key(key), new)
    assert delta.base_version == 1
    assert [p.entry_id for p in delta.persons] == ["p2", "p4"]
    assert delta.deleted_persons == ("p3",)
    assert delta.deleted_alerts == ("a1",)
    bundle = make_bundle(
        tmp_path / "d2.zip",
        key,
        2,
        persons=delta.persons,
        alerts=delta.alerts,
        base=1,
        deleted_persons=delta.deleted_persons,
        deleted_alerts=delta.deleted_alerts,
    )
    _install(checkpoint_home, bundle)
    db = open_database(database_path(checkpoint_home))
    status = list_status(db, "TEST")
    assert status is not None
    assert status.version == 2
    ids, matrix, _ = iter_templates(db, "TEST")
    assert sorted(ids) == ["p1", "p2"]
    np.testing.assert_array_equal(matrix[ids.index("p2")], changed.templates[0].vector)
    assert check_document(db, "L898902C3", "UTO") == []
    assert check_document(db, "X1", "UTO")[0].reason == "lost"
    index = load_index(db)
    assert screen_person(index, PersonQuery.of("Olga Ivanova"))[0].entry_id == "p4"
    assert not screen_person(index, PersonQuery.of("Jurgen Muller"))


def test_readers_see_the_old_list_until_the_switch(tmp_path: Path, checkpoint_home: Path) -> None:
    key = make_keys(tmp_path, checkpoint_home)
    _install(checkpoint_home, make_bundle(tmp_path / "v1.zip", key, 1))
    many = tuple(
        person(f"n{i}", f"Nom{_letters(i)} Sur{_letters(i)}", dob="") for i in range(45_000)
    )
    bundle = make_bundle(tmp_path / "v2.zip", key, 2, persons=many, alerts=())
    content = verify_bundle(bundle, trusted_keys(checkpoint_home))
    writer = open_database(database_path(checkpoint_home))
    reader = open_database(database_path(checkpoint_home))
    seen: list[tuple[str, int, int]] = []

    def progress(stage: str, count: int) -> None:
        persons = reader.execute(
            "SELECT count(*) FROM wl_persons p JOIN wl_lists l ON p.generation = l.generation"
        ).fetchone()[0]
        version = reader.execute("SELECT version FROM wl_lists").fetchone()[0]
        seen.append((stage, version, persons))

    import_bundle(writer, content, signer_name="hq", progress=progress)
    staging = [entry for entry in seen if entry[0] != "switched"]
    assert len(staging) >= 3
    assert all(version == 1 and persons == 3 for _, version, persons in staging)
    assert seen[-1][1:] == (2, 45_000)
    assert (
        screen_person(load_index(reader), PersonQuery.of(f"Nom{_letters(77)} Sur{_letters(77)}"))[
            0
        ].entry_id
        == "n77"
    )


KILLED_IMPORT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from checkpoint.storage import open_database
    from checkpoint.watchlist.bundle import verify_bundle
    from checkpoint.watchlist.keys import trusted_keys
    from checkpoint.watchlist.store import import_bundle
    home, bundle, stage = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    content = verify_bundle(bundle, trusted_keys(home))
    db = open_database(home / "checkpoint.db")
    def progress(name, count):
        if name == stage:
            print("reached", name, flush=True)
            time.sleep(60)
    import_bundle(db, content, signer_name="hq", progress=progress)
    print("finished", flush=True)
    """
)


def _kill_during(home: Path, bundle: Path, stage: str) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, str(home), str(bundle), stage],
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("reached"), line
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL


def test_killed_full_import_leaves_the_old_list(tmp_path: Path, checkpoint_home: Path) -> None:
    key = make_keys(tmp_path, checkpoint_home)
    _install(checkpoint_home, make_bundle(tmp_path / "v1.zip", key, 1))
    replacement = tuple(
        person(f"r{i}", f"Other{_letters(i)} Person", dob="") for i in range(30_000)
    )
    v2 = make_bundle(tmp_path / "v2.zip", key, 2, persons=replacement, alerts=())
    _kill_during(checkpoint_home, v2, "wl_names")
    db = open_database(database_path(checkpoint_home))
    status = list_status(db, "TEST")
    assert status is not None
    assert status.version == 1
    index = load_index(db)
    assert len(index.persons) == 3
    assert screen_person(index, PersonQuery.of("Ivan Petrov"))[0].entry_id == "p1"
    assert check_document(db, "L898902C3", "UTO")
    db.conn.close()
    # The abandoned rows are swept by the next import, which then succeeds.
    _install(checkpoint_home, v2)
    db = open_database(database_path(checkpoint_home))
    assert db.execute("SELECT count(*) FROM wl_persons").fetchone()[0] == 30_000
    assert db.execute("SELECT count(*) FROM wl_generations").fetchone()[0] == 1


def test_killed_delta_import_leaves_the_old_list(tmp_path: Path, checkpoint_home: Path) -> None:
    key = make_keys(tmp_path, checkpoint_home)
    _install(checkpoint_home, make_bundle(tmp_path / "v1.zip", key, 1))
    delta = make_bundle(
        tmp_path / "d2.zip", key, 2, persons=(), alerts=(), base=1, deleted_persons=("p1", "p2")
    )
    _kill_during(checkpoint_home, delta, "deleted")
    db = open_database(database_path(checkpoint_home))
    assert db.execute("SELECT count(*) FROM wl_persons").fetchone()[0] == 3
    status = list_status(db, "TEST")
    assert status is not None
    assert status.version == 1
    db.conn.close()
    _install(checkpoint_home, delta)


def test_stale_list_says_so(tmp_path: Path, checkpoint_home: Path) -> None:
    key = make_keys(tmp_path, checkpoint_home)
    created = datetime.now(UTC) - timedelta(days=2)
    _install(checkpoint_home, make_bundle(tmp_path / "v1.zip", key, 1, created=created, days=3))
    later = datetime.now(UTC) + timedelta(days=2)
    db = open_database(database_path(checkpoint_home))
    status = list_status(db, "TEST")
    assert status is not None
    assert not status.is_stale(datetime.now(UTC))
    assert status.is_stale(later)
    assert screen_person(load_index(db), PersonQuery.of("Ivan Petrov"), now=later)[0].stale
    assert check_document(db, "L898902C3", "UTO", now=later)[0].stale
    code, out, _ = run_cli(checkpoint_home, "watchlist", "status")
    assert code == 0
    assert "TEST v1: current, 2.0 days old" in out
    assert str(keys_dir(checkpoint_home))
    assert ALERTS


def test_concurrent_import_that_swept_our_rows_is_detected(
    tmp_path: Path, checkpoint_home: Path
) -> None:
    key = make_keys(tmp_path, checkpoint_home)
    _install(checkpoint_home, make_bundle(tmp_path / "v1.zip", key, 1))
    trusted = trusted_keys(checkpoint_home)
    first = verify_bundle(make_bundle(tmp_path / "v2.zip", key, 2), trusted)
    second = verify_bundle(make_bundle(tmp_path / "v3.zip", key, 3), trusted)
    path = database_path(checkpoint_home)
    ours, theirs = open_database(path), open_database(path)

    class SimulatedCrashError(Exception):
        pass

    def their_progress(stage: str, count: int) -> None:
        raise SimulatedCrashError  # the other import dies after sweeping, before switching

    def our_progress(stage: str, count: int) -> None:
        if stage == "wl_persons":
            with pytest.raises(SimulatedCrashError):
                import_bundle(theirs, second, signer_name="hq", progress=their_progress)

    with pytest.raises(WatchlistError, match="at the same time"):
        import_bundle(ours, first, signer_name="hq", progress=our_progress)
    status = list_status(ours, "TEST")
    assert status is not None
    assert status.version == 1
    assert len(load_index(ours).persons) == 3
