"""`screen(capture, context)`: the one screening pipeline the CLI, the GUI and benchmarks run.

Document first (MRZ and barcodes, then the holder's portrait located by the MRZ), then the
faces of the traveller, then the checks: document alerts, names, every face in the frame
against the listed faces (1:N), the traveller against the portrait (1:1), the document's
validity, and the barcodes against the MRZ. Each stage's time is recorded. With one camera
over the desk the portrait is also one of the frame's faces; it is told apart by where it is,
so the traveller is never compared with their own document as if it were them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from checkpoint.faces.detect import Box
from checkpoint.faces.portrait import find_portrait
from checkpoint.faces.read import FaceRead, choose_subject
from checkpoint.screening import checks
from checkpoint.screening.context import ScreeningContext
from checkpoint.screening.model import Capture, Finding, ScreeningResult, Severity, Traveller

T = TypeVar("T")

SAME_FACE_OVERLAP = 0.3
"""Boxes overlapping by more than this (intersection over union) are one face."""

_ORDER = {Severity.HIT: 0, Severity.ALERT: 1, Severity.NOTE: 2}


def screen(capture: Capture, context: ScreeningContext) -> ScreeningResult:
    """Read and screen one capture; never raises for what the image does or does not show."""
    return screen_faces(screen_document(capture, context), context)


@dataclass(frozen=True)
class DocumentStage:
    """A capture screened as far as its document: the desk shows this while faces are read.

    `result` holds the document checks only (no faces, no portrait); `screen_faces` completes
    it into the same result `screen` gives.
    """

    capture: Capture
    result: ScreeningResult
    started: float


def screen_document(capture: Capture, context: ScreeningContext) -> DocumentStage:
    """The document read and checked against the lists: the fast part (about 0.1 s)."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    now = context.clock()
    document = context.documents.read(capture.frame)
    timings.update(document.timings_ms)
    traveller = Traveller.from_mrz(document.mrz.read.fields) if document.mrz else None
    checks_start = time.perf_counter()
    versions = checks.list_versions(context, now)
    findings: list[Finding] = []
    if traveller is not None and document.mrz is not None:
        findings += checks.document_findings(context, traveller, versions, now)
        findings += checks.name_findings(context, traveller, versions, now)
        findings += checks.validity_findings(context, document.mrz.read, now.date())
    findings += checks.barcode_findings(document.cross_checks)
    findings += checks.stale_findings(versions)
    timings["checks"] = _ms(checks_start)
    timings["document"] = _ms(start)
    result = ScreeningResult(
        source=capture.source,
        screened_at=now,
        document=document,
        traveller=traveller,
        faces=(),
        portrait=None,
        findings=_ordered(findings),
        lists=versions,
        timings_ms=timings,
    )
    return DocumentStage(capture, result, start)


def screen_faces(stage: DocumentStage, context: ScreeningContext) -> ScreeningResult:
    """The document stage completed with the portrait, the faces and their checks."""
    capture, partial = stage.capture, stage.result
    document = partial.document
    timings = dict(partial.timings_ms)
    portrait = _timed(
        timings,
        "portrait",
        lambda: (
            find_portrait(
                capture.frame,
                document.mrz.location.quad,
                context.portraits,
                either_way_up=False,
            )
            if document.mrz
            else None
        ),
    )
    live_image = capture.frame if capture.live is None else capture.live
    faces = _timed(timings, "faces", lambda: context.faces.read(live_image))
    if capture.live is None and portrait is not None:
        faces = _without_portrait(faces, portrait.box)
    live = next((f for f in faces if f.subject), None)

    checks_start = time.perf_counter()
    findings = list(partial.findings)
    searched = [*faces, portrait] if portrait is not None else list(faces)
    findings += checks.face_findings(context, searched, partial.lists)
    findings += checks.portrait_findings(context, live, portrait)
    findings += checks.skipped_face_lists(context)
    timings["checks"] = round(timings["checks"] + _ms(checks_start), 2)
    timings["total"] = _ms(stage.started)
    return replace(
        partial,
        faces=tuple(faces),
        portrait=portrait,
        findings=_ordered(findings),
        timings_ms=timings,
    )


def _ordered(findings: list[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: (_ORDER[f.severity], -f.score)))


def _without_portrait(faces: list[FaceRead], portrait: Box) -> list[FaceRead]:
    """The frame's faces that are not the document's portrait, the traveller flagged."""
    others = [f for f in faces if _overlap(f.box, portrait) <= SAME_FACE_OVERLAP]
    return choose_subject(others)


def _overlap(a: Box, b: Box) -> float:
    width = min(a.right, b.right) - max(a.left, b.left)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    if width <= 0 or height <= 0:
        return 0.0
    shared = width * height
    return shared / float(a.area + b.area - shared)


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000.0, 2)


def _timed(timings: dict[str, float], name: str, work: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = work()
    timings[name] = _ms(start)
    return result
