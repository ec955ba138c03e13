"""The checks screening runs, one function each, every one returning `Finding`s.

Each finding says in words why it was raised and carries its score, so the officer (and HQ)
can see the reason without re-running anything: the name's token pairs and field checks, the
face distance against the gallery's threshold, the check digits that failed. The listed entry
is copied into the finding as it is now, because lists change and a hit must keep what the
officer was shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from checkpoint.documents.barcodes import CrossCheck
from checkpoint.documents.mrz.model import MrzRead
from checkpoint.faces.read import FaceRead
from checkpoint.faces.verify import MATCH, compare_faces
from checkpoint.faces.watch import search_faces
from checkpoint.screening.context import ScreeningContext, split_face_id
from checkpoint.screening.model import Finding, FindingKind, ListVersion, Severity, Traveller
from checkpoint.watchlist.index import IndexedPerson
from checkpoint.watchlist.model import WatchlistError
from checkpoint.watchlist.screen import PersonQuery, screen_person
from checkpoint.watchlist.store import check_document


def list_versions(context: ScreeningContext, now: datetime) -> tuple[ListVersion, ...]:
    return tuple(
        ListVersion(s.list_id, s.version, s.expires, s.is_stale(now)) for s in context.lists
    )


def person_json(person: IndexedPerson) -> dict[str, Any]:
    """A listed person as stored with a hit: what the list said when the hit was raised."""
    return {
        "entry_id": person.entry_id,
        "names": [{"name": name, "quality": quality} for name, quality in person.names],
        "birth_dates": [str(d) for d in person.birth_dates],
        "nationalities": list(person.nationalities),
        "sex": person.sex,
        "category": person.category,
        "reason": person.reason,
        "action": person.action,
    }


def _version(versions: Sequence[ListVersion], list_id: str) -> ListVersion | None:
    return next((v for v in versions if v.list_id == list_id), None)


def document_findings(
    context: ScreeningContext, traveller: Traveller, versions: Sequence[ListVersion], now: datetime
) -> list[Finding]:
    """The document number on a list: an alert (stolen, lost, ...) or a listed person's."""
    if not traveller.document_number:
        return []
    found: list[Finding] = []
    for hit in check_document(context.db, traveller.document_number, traveller.issuer, now):
        version = _version(versions, hit.list_id)
        listed: dict[str, Any] = {
            "number": hit.number,
            "issuer": hit.issuer,
            "doc_type": hit.doc_type,
            "reason": hit.reason,
        }
        if hit.kind == "alert":
            kind = FindingKind.DOCUMENT_ALERT
            reason = f"document {hit.number} ({hit.issuer or '?'}) is listed as {hit.reason}"
            listed["alert_id"] = hit.reference
        else:
            kind = FindingKind.LISTED_DOCUMENT
            person = context.person(hit.list_id, hit.reference)
            who = person.names[0][0] if person and person.names else hit.reference
            reason = f"document {hit.number} ({hit.issuer or '?'}) belongs to listed {who}"
            if person is not None:
                listed = {**person_json(person), "document": listed}
        found.append(
            Finding(
                kind=kind,
                severity=Severity.HIT,
                reason=f"{reason} on {hit.list_id}",
                score=1.0,
                list_id=hit.list_id,
                list_version=version.version if version else None,
                stale=hit.stale,
                reference=hit.reference,
                listed=listed,
            )
        )
    return found


def name_findings(
    context: ScreeningContext, traveller: Traveller, versions: Sequence[ListVersion], now: datetime
) -> list[Finding]:
    """Listed persons whose names resemble the traveller's; hits at the name threshold."""
    if not traveller.name:
        return []
    try:
        query = PersonQuery.of(
            traveller.name,
            traveller.birth_date,
            traveller.nationality or None,
            traveller.sex,
            traveller.document_number or None,
        )
    except WatchlistError:
        return []
    found = []
    for match in screen_person(context.names, query, now=now):
        hit = match.score >= context.policy.name_threshold
        person = context.person(match.list_id, match.entry_id)
        version = _version(versions, match.list_id)
        verdict = "matches" if hit else "resembles"
        found.append(
            Finding(
                kind=FindingKind.NAME,
                severity=Severity.HIT if hit else Severity.NOTE,
                reason=(
                    f"name {verdict} {match.primary_name} ({match.list_id}/{match.entry_id}), "
                    f"score {match.score:.2f} (hit at {context.policy.name_threshold:.2f}): "
                    f"{match.explain()}"
                ),
                score=match.score,
                list_id=match.list_id,
                list_version=version.version if version else None,
                stale=match.stale,
                reference=match.entry_id,
                listed=person_json(person) if person else {"entry_id": match.entry_id},
            )
        )
    return found


def face_findings(
    context: ScreeningContext,
    faces: Sequence[FaceRead],
    versions: Sequence[ListVersion],
) -> list[Finding]:
    """Every encoded face against every listed face template (1:N), one finding per person."""
    index = context.face_lists.index
    if index is None or not faces:
        return []
    best: dict[tuple[str, str], Finding] = {}
    for face_hits in search_faces(index, list(faces), target_fpir=context.policy.face_target_fpir):
        threshold = face_hits.threshold
        for candidate in face_hits.candidates:
            list_id, entry_id = split_face_id(candidate.id)
            person = context.person(list_id, entry_id)
            who = person.names[0][0] if person and person.names else entry_id
            version = _version(versions, list_id)
            box = face_hits.face.box
            finding = Finding(
                kind=FindingKind.FACE,
                severity=Severity.HIT,
                reason=(
                    f"face at ({box.left}, {box.top}) resembles listed {who} ({list_id}/"
                    f"{entry_id}): distance {candidate.distance:.3f} within "
                    f"{threshold.threshold:.3f} (gallery of {threshold.gallery_size}), "
                    f"probability {candidate.probability_same:.1%}, face quality "
                    f"{face_hits.face.quality.score:.2f}"
                ),
                score=candidate.probability_same,
                list_id=list_id,
                list_version=version.version if version else None,
                stale=version.stale if version else False,
                reference=entry_id,
                listed=person_json(person) if person else {"entry_id": entry_id},
                face=face_hits.face,
            )
            current = best.get((list_id, entry_id))
            if current is None or finding.score > current.score:
                best[(list_id, entry_id)] = finding
    return list(best.values())


def portrait_findings(
    context: ScreeningContext, live: FaceRead | None, portrait: FaceRead | None
) -> list[Finding]:
    """The traveller's face against the document's portrait (1:1)."""
    if live is None or portrait is None or live.template is None or portrait.template is None:
        return []
    comparison = compare_faces(live, portrait, threshold=context.policy.verify_threshold)
    same = comparison.decision == MATCH
    problems = [*live.quality.problems, *portrait.quality.problems]
    reason = (
        f"the traveller's face {'matches' if same else 'does NOT match'} the document's "
        f"portrait: distance {comparison.distance:.3f} "
        f"(threshold {comparison.threshold:.2f}), confidence {comparison.confidence:.1%}"
    )
    if problems:
        reason += "; " + "; ".join(problems)
    return [
        Finding(
            kind=FindingKind.PORTRAIT,
            severity=Severity.NOTE if same else Severity.ALERT,
            reason=reason,
            score=comparison.probability_same,
            face=live,
        )
    ]


def validity_findings(context: ScreeningContext, read: MrzRead, today: date) -> list[Finding]:
    """Expiry, check digits, and specimens (documents of a fictional issuer)."""
    fields = read.fields
    found = []
    if fields.expiry_date is not None and fields.expiry_date < today:
        found.append(
            Finding(
                kind=FindingKind.EXPIRED,
                severity=Severity.ALERT,
                reason=f"the document expired on {fields.expiry_date.isoformat()}",
                score=1.0,
            )
        )
    failed = [name for name, check in read.checks.items() if not check.valid]
    if failed:
        found.append(
            Finding(
                kind=FindingKind.CHECK_DIGITS,
                severity=Severity.ALERT,
                reason=f"MRZ check digits fail: {', '.join(failed)} (read again or type it in)",
                score=1.0 - read.confidence,
            )
        )
    elif not read.accepted:
        found.append(
            Finding(
                kind=FindingKind.CHECK_DIGITS,
                severity=Severity.NOTE,
                reason=(
                    f"the MRZ read is uncertain (confidence {read.confidence:.2f}) though its "
                    "check digits agree: scan the document again"
                ),
                score=1.0 - read.confidence,
            )
        )
    specimen = sorted(
        {code for code in (fields.issuer, fields.nationality) if code}
        & set(context.policy.specimen_issuers)
    )
    if specimen:
        found.append(
            Finding(
                kind=FindingKind.SPECIMEN,
                severity=Severity.ALERT,
                reason=f"{'/'.join(specimen)} is a specimen issuer: not a real travel document",
                score=1.0,
                reference="/".join(specimen),
            )
        )
    return found


def barcode_findings(checks: Iterable[CrossCheck]) -> list[Finding]:
    """Barcodes (boarding pass, licence, visa seal) that disagree with the MRZ."""
    return [
        Finding(
            kind=FindingKind.BARCODE,
            severity=Severity.ALERT,
            reason=(
                f"{check.source} barcode {check.field} '{check.barcode_value}' disagrees with "
                f"the MRZ '{check.mrz_value}'" + (f" ({check.note})" if check.note else "")
            ),
            score=1.0,
            reference=f"{check.source}:{check.field}",
            listed=asdict(check),
        )
        for check in checks
        if not check.agrees
    ]


def skipped_face_lists(context: ScreeningContext) -> list[Finding]:
    """Lists whose face templates another model made: their faces were not searched."""
    return [
        Finding(
            kind=FindingKind.FACE,
            severity=Severity.NOTE,
            reason=f"faces not searched against {why}: the list needs templates of this model",
            score=0.0,
            reference=why.split(":")[0],
        )
        for why in context.face_lists.skipped
    ]


def stale_findings(versions: Iterable[ListVersion]) -> list[Finding]:
    return [
        Finding(
            kind=FindingKind.STALE_LIST,
            severity=Severity.NOTE,
            reason=(
                f"list {v.list_id} version {v.version} is STALE: it expired on "
                f"{v.expires.date().isoformat()}; sync to get a current one"
            ),
            score=1.0,
            list_id=v.list_id,
            list_version=v.version,
            stale=True,
        )
        for v in versions
        if v.stale
    ]
