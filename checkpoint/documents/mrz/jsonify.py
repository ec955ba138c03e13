"""An MRZ read as plain JSON-ready data, for the CLI, the upload to headquarters and logs.

Kept apart from the dataclasses so their shape can change without changing what other
systems receive: dates become ISO strings (or null), checks become name -> bool, and the
rest are strings, numbers and lists.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date

from checkpoint.documents.mrz.model import MrzRead


def mrz_to_json(read: MrzRead) -> dict[str, object]:
    """`read` as a dict of JSON types; `json.dumps` takes it as is."""
    field_values: dict[str, object] = {}
    for spec in fields(read.fields):
        value = getattr(read.fields, spec.name)
        field_values[spec.name] = value.isoformat() if isinstance(value, date) else value
    return {
        "format": read.format.value,
        "lines": list(read.lines),
        "raw_lines": list(read.raw_lines),
        "valid": read.valid,
        "accepted": read.accepted,
        "checks": {name: check.valid for name, check in read.checks.items()},
        "fields": field_values,
        "corrections": [asdict(correction) for correction in read.corrections],
        "confidence": read.confidence,
        "weakest_unchecked": read.weakest_unchecked,
        "weakest_checked": read.weakest_checked,
        "warnings": list(read.warnings),
    }
