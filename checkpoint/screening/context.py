"""Everything the screening pipeline needs, gathered once and passed in: no globals.

The readers hold loaded models (the OCR-B network, dlib's networks: about a second to load),
the indexes hold the lists in force, and the clock, station and officer say when, where and
by whom a traveller was screened. `open_context` builds one from the station database; tests
and benchmarks may build one by hand with their own readers, indexes or clock.

Face templates in the store carry the model label the watchlist builder writes for
face_recognition (`dlib_face_recognition_resnet_model_v1`, version `1`). face_recognition
computes them with the same weights (face_recognition_models) and the same 68-point
alignment that `checkpoint.faces` uses, so that label is read as the current model; a list
made with any other model is left out of the face search and the result says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import sqlite_utils

from checkpoint.documents.read import DocumentReader
from checkpoint.faces.calibration import VERIFY_THRESHOLD
from checkpoint.faces.read import FaceReader
from checkpoint.faces.search import DEFAULT_TARGET_FPIR, FaceIndex
from checkpoint.faces.templates import ModelId
from checkpoint.watchlist.index import IndexedPerson, NameIndex
from checkpoint.watchlist.screen import DEFAULT_THRESHOLD
from checkpoint.watchlist.store import ListStatus, iter_templates, list_statuses, load_index

Clock = Callable[[], datetime]

WATCHLIST_FACE_MODEL = ModelId("dlib_face_recognition_resnet_model_v1", "1")
"""The label `checkpoint watchlist build --photos` gives face_recognition's templates."""

FACE_ID_SEPARATOR = "\t"


def utc_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ScreeningPolicy:
    """The thresholds screening applies (from the station settings)."""

    name_threshold: float = DEFAULT_THRESHOLD
    face_target_fpir: float = DEFAULT_TARGET_FPIR
    verify_threshold: float = VERIFY_THRESHOLD
    specimen_issuers: tuple[str, ...] = ("UTO",)
    """Issuer codes only specimens use: ICAO's fictional Utopia."""


@dataclass(frozen=True)
class FaceLists:
    """The face index over every list in force, and the lists left out of it (and why)."""

    index: FaceIndex | None
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScreeningContext:
    """The loaded readers, the lists in force, the database, the clock, station and officer."""

    documents: DocumentReader
    faces: FaceReader
    portraits: FaceReader
    names: NameIndex
    face_lists: FaceLists
    lists: tuple[ListStatus, ...]
    db: sqlite_utils.Database
    station: str
    officer: str
    clock: Clock = utc_clock
    policy: ScreeningPolicy = field(default_factory=ScreeningPolicy)
    persons: dict[tuple[str, str], IndexedPerson] = field(default_factory=dict, repr=False)

    def person(self, list_id: str, entry_id: str) -> IndexedPerson | None:
        return self.persons.get((list_id, entry_id))

    def reload_lists(self) -> ScreeningContext:
        """A context over the lists now in force (after an import), with the same readers."""
        names = load_index(self.db)
        return replace(
            self,
            names=names,
            face_lists=load_face_lists(self.db, self.faces.models.model_id),
            lists=tuple(list_statuses(self.db)),
            persons=persons_by_entry(names),
        )


def persons_by_entry(names: NameIndex) -> dict[tuple[str, str], IndexedPerson]:
    return {(p.list_id, p.entry_id): p for p in names.persons}


def face_id(list_id: str, entry_id: str, number: int) -> str:
    """The 1:N index id of a listed person's `number`-th template."""
    return FACE_ID_SEPARATOR.join((list_id, entry_id, str(number)))


def split_face_id(identifier: str) -> tuple[str, str]:
    """The list and entry a 1:N index id belongs to."""
    list_id, entry_id, _ = identifier.split(FACE_ID_SEPARATOR)
    return list_id, entry_id


def load_face_lists(db: sqlite_utils.Database, model: ModelId) -> FaceLists:
    """One exact 1:N index over the face templates of every list in force."""
    index = FaceIndex(model)
    skipped: list[str] = []
    for status in list_statuses(db):
        entries, matrix, label = iter_templates(db, status.list_id)
        if not entries:
            continue
        name, _, version = label.partition("/")
        listed_model = ModelId(name, version)
        if listed_model not in (model, WATCHLIST_FACE_MODEL) or name != model.name:
            skipped.append(
                f"list {status.list_id}: its face templates were made by {listed_model}, "
                f"not {model}"
            )
            continue
        counts: dict[str, int] = {}
        ids = []
        for entry in entries:
            counts[entry] = counts.get(entry, 0) + 1
            ids.append(face_id(status.list_id, entry, counts[entry]))
        index.add(ids, matrix)
    return FaceLists(index=index if len(index) else None, skipped=tuple(skipped))


def open_context(
    db: sqlite_utils.Database,
    *,
    station: str,
    officer: str,
    policy: ScreeningPolicy | None = None,
    documents: DocumentReader | None = None,
    faces: FaceReader | None = None,
    clock: Clock = utc_clock,
) -> ScreeningContext:
    """Load the readers (unless given) and the lists in force in `db`."""
    # Imported here: the dlib models load only when a context is actually built.
    from checkpoint.faces.models import default_models  # noqa: PLC0415
    from checkpoint.faces.portrait import PORTRAIT_DETECT  # noqa: PLC0415

    face_reader = faces or FaceReader(default_models())
    models = face_reader.models
    names = load_index(db)
    return ScreeningContext(
        documents=documents or DocumentReader(),
        faces=face_reader,
        portraits=FaceReader(models, detect=PORTRAIT_DETECT),
        names=names,
        face_lists=load_face_lists(db, models.model_id),
        lists=tuple(list_statuses(db)),
        db=db,
        station=station,
        officer=officer,
        clock=clock,
        policy=policy or ScreeningPolicy(),
        persons=persons_by_entry(names),
    )
