"""Running every check, grouped as the report shows them, and writing the report.

A check that raises is a bug in the doctor, not in the station: it is logged and reported
as a failed check, so one broken check never hides the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from checkpoint.doctor import camera, machine, network, readers, station
from checkpoint.doctor.model import Check, Station, Status, fail
from checkpoint.errors import CheckpointError

log = logging.getLogger("checkpoint.doctor")

CheckFunction = Callable[[Station], Check]

GROUPS: tuple[tuple[str, tuple[CheckFunction, ...]], ...] = (
    ("Platform", (machine.qt_platform, machine.free_disk)),
    ("Camera", (camera.camera,)),
    ("Readers", (readers.libzbar, readers.face_models, readers.ocr_model)),
    ("Station data", (station.database, station.keys, station.list_ages)),
    ("Network", (network.hq,)),
)
MARKS = {Status.OK: "ok  ", Status.WARN: "WARN", Status.FAIL: "FAIL"}


@dataclass(frozen=True)
class GroupReport:
    name: str
    checks: tuple[Check, ...]


def run_check(check: CheckFunction, subject: Station) -> Check:
    try:
        return check(subject)
    except CheckpointError as exc:
        return fail(check.__name__, str(exc).rstrip("."), "fix what the message says.")
    except Exception as exc:
        log.exception("doctor check %s failed", check.__name__)
        return fail(
            check.__name__,
            f"the check itself failed ({type(exc).__name__}: {exc})",
            "report this with the log (`checkpoint -v doctor`).",
        )


def run_checks(
    subject: Station, groups: Sequence[tuple[str, Sequence[CheckFunction]]] = GROUPS
) -> list[GroupReport]:
    return [
        GroupReport(name, tuple(run_check(check, subject) for check in checks))
        for name, checks in groups
    ]


def worst(reports: Sequence[GroupReport]) -> Status:
    statuses = {check.status for report in reports for check in report.checks}
    for status in (Status.FAIL, Status.WARN):
        if status in statuses:
            return status
    return Status.OK


def render_text(reports: Sequence[GroupReport]) -> str:
    """The report as people read it: groups, one line per check, the fix indented below."""
    lines: list[str] = []
    for report in reports:
        lines.append(report.name)
        for check in report.checks:
            lines.append(f"  [{MARKS[check.status]}] {check.name}: {check.detail}")
            if check.fix:
                lines.append(f"         fix: {check.fix}")
    counts = {status: 0 for status in Status}
    for report in reports:
        for check in report.checks:
            counts[check.status] += 1
    lines.append(
        f"{counts[Status.OK]} ok, {counts[Status.WARN]} warning(s), "
        f"{counts[Status.FAIL]} failure(s)"
    )
    return "\n".join(lines)


def to_json(reports: Sequence[GroupReport]) -> dict[str, Any]:
    return {
        "status": worst(reports).value,
        "groups": [
            {"name": report.name, "checks": [_check_json(check) for check in report.checks]}
            for report in reports
        ],
    }


def _check_json(check: Check) -> dict[str, Any]:
    document = asdict(check)
    document["status"] = check.status.value
    return document
