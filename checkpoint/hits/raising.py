"""From a screening result to recorded hits: the findings, the traveller, the evidence.

The desk calls `new_hits` with the hit groups a `TravellerSession` reports as new (one group
per listed entry), then `record_hits` stores them with their outbox items in one
transaction. The evidence is cut from the capture the hit was raised on.
"""

from __future__ import annotations

from collections.abc import Sequence

from checkpoint.faces.read import FaceRead
from checkpoint.hits.evidence import document_crop, face_crop, jpeg
from checkpoint.hits.model import Evidence, NewHit
from checkpoint.screening.model import Capture, Finding, ScreeningResult


def evidence_for(
    capture: Capture, result: ScreeningResult, group: Sequence[Finding]
) -> tuple[Evidence, ...]:
    """The matched (or live) face, the document's portrait, and the document page."""
    items: list[Evidence] = []
    face: FaceRead | None = next((f.face for f in group if f.face is not None), None)
    face = face or result.subject
    if face is not None and face is not result.portrait:
        source = capture.live if capture.live is not None and face in result.faces else None
        items.append(
            jpeg("face.jpg", face_crop(source if source is not None else capture.frame, face.box))
        )
    if result.portrait is not None:
        items.append(jpeg("portrait.jpg", face_crop(capture.frame, result.portrait.box)))
    if result.document.mrz is not None:
        quad = result.document.mrz.location.quad
        items.append(jpeg("document.jpg", document_crop(capture.frame, quad)))
    return tuple(items)


def new_hits(
    capture: Capture,
    result: ScreeningResult,
    groups: Sequence[Sequence[Finding]],
    *,
    station: str,
    officer: str,
) -> list[NewHit]:
    """One `NewHit` per group of findings (one listed entry each), with its evidence."""
    traveller = result.traveller.to_json() if result.traveller else None
    return [
        NewHit(
            created=result.screened_at,
            station=station,
            officer=officer,
            source=result.source,
            findings=tuple(finding.to_json() for finding in group),
            traveller=traveller,
            evidence=evidence_for(capture, result, group),
        )
        for group in groups
        if group
    ]
