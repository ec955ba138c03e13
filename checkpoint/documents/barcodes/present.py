"""Barcode reads and cross-checks as short readable lines, for `checkpoint scan`'s plain output.

The officer reads these at a glance: what kind of barcode, whose name, which flight or card,
whether a seal's signature was checked, and every problem the parser found. The JSON output
(`jsonify`) carries everything; these lines carry what matters at the desk.
"""

from __future__ import annotations

from collections.abc import Sequence

from checkpoint.documents.barcodes.aamva import AamvaPayload
from checkpoint.documents.barcodes.bcbp import (
    CHECK_IN_SOURCES,
    DOCUMENT_VERIFICATION,
    PASSENGER_DESCRIPTIONS,
    PASSENGER_STATUSES,
    BcbpPayload,
)
from checkpoint.documents.barcodes.crosscheck import CrossCheck
from checkpoint.documents.barcodes.model import TextPayload
from checkpoint.documents.barcodes.read import BarcodeRead
from checkpoint.documents.barcodes.vds import VdsPayload

_MAX_TEXT = 70


def barcode_lines(read: BarcodeRead) -> list[str]:
    """Lines describing one barcode, the first naming the symbology and the engine."""
    barcode, payload = read.barcode, read.payload
    head = f"{barcode.format} ({barcode.engine})"
    if isinstance(payload, BcbpPayload):
        lines = [f"{head}: boarding pass, {payload.passenger_name or '(no name)'}"]
        lines += _bcbp(payload)
    elif isinstance(payload, AamvaPayload):
        lines = [f"{head}: AAMVA card, version {payload.version}, issuer {payload.issuer_id}"]
        lines += _aamva(payload)
    elif isinstance(payload, VdsPayload):
        lines = [f"{head}: visible digital seal ({payload.profile})"]
        lines += _vds(payload)
    else:
        lines = [f"{head}: {payload.kind} {_short(_shown(payload))}"]
    lines += [f"  problem: {problem}" for problem in payload.problems]
    return lines


def cross_check_lines(checks: Sequence[CrossCheck]) -> list[str]:
    """One line per comparison with the MRZ; disagreements say so in capitals."""
    lines = []
    for check in checks:
        verdict = "agrees" if check.agrees else "DISAGREES"
        line = (
            f"{check.source} {check.field.replace('_', ' ')} {verdict} with the MRZ: "
            f"{check.barcode_value} / {check.mrz_value}"
        )
        if check.note:
            line += f" ({check.note})"
        lines.append(line)
    return lines


def _shown(payload: TextPayload) -> str:
    return payload.hex if payload.kind == "bytes" else payload.text


def _short(text: str) -> str:
    flat = text.replace("\r", "\\r").replace("\n", "\\n")
    return flat if len(flat) <= _MAX_TEXT else flat[: _MAX_TEXT - 1] + "…"


def _bcbp(payload: BcbpPayload) -> list[str]:
    lines = []
    for number, leg in enumerate(payload.legs, start=1):
        when = leg.flight_date.isoformat() if leg.flight_date else f"day {leg.flight_day}"
        lines.append(
            f"  leg {number}: {leg.from_airport}-{leg.to_airport} {leg.carrier} "
            f"{leg.flight_number} on {when}, seat {leg.seat}, PNR {leg.pnr}"
        )
        details = [PASSENGER_STATUSES.get(leg.passenger_status, "")]
        verification = leg.international_documentation_verification
        if verification in DOCUMENT_VERIFICATION:
            details.append(f"document check {DOCUMENT_VERIFICATION[verification]}")
        if any(details):
            lines.append(f"    {', '.join(d for d in details if d)}")
    who = PASSENGER_DESCRIPTIONS.get(payload.passenger_description or "")
    source = CHECK_IN_SOURCES.get(payload.source_of_check_in or "")
    if who or source:
        lines.append(f"  passenger {who or '-'}, checked in by {source or '-'}")
    if payload.issuing_airline or payload.issue_date:
        issued = payload.issue_date.isoformat() if payload.issue_date else "-"
        lines.append(f"  issued by {payload.issuing_airline or '-'} on {issued}")
    if payload.security_data is not None:
        lines.append(f"  security data: type {payload.security_type}, not verified")
    return lines


def _aamva(payload: AamvaPayload) -> list[str]:
    born = payload.birth_date.isoformat() if payload.birth_date else "-"
    expires = payload.expiry_date.isoformat() if payload.expiry_date else "-"
    return [
        f"  name: {payload.surname}, {payload.given_names}",
        f"  born {born}, sex {payload.sex or '-'}",
        f"  number {payload.document_number} ({payload.jurisdiction or '-'}, "
        f"{payload.country or '-'}), expires {expires}",
    ]


def _vds(payload: VdsPayload) -> list[str]:
    lines = [
        f"  issued by {payload.issuing_country or '-'}, signer {payload.signer_key or '-'}, "
        f"signature: {payload.signature_status}"
    ]
    for feature in payload.features:
        lines.append(f"  {feature.name}: {_short(feature.value)}")
    return lines
