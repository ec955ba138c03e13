"""A screening result as JSON (for `checkpoint scan`, logs and uploads) and as plain lines.

Kept apart from the dataclasses so their shape can change without changing what the command
prints or HQ receives.
"""

from __future__ import annotations

from typing import Any

from checkpoint.screening.model import ScreeningResult, Severity


def screening_to_json(result: ScreeningResult) -> dict[str, Any]:
    """The `"screening"` object of `checkpoint scan --json`."""
    return {
        "hit": result.hit,
        "traveller": result.traveller.to_json() if result.traveller else None,
        "findings": [finding.to_json() for finding in result.findings],
        "lists": [
            {
                "list_id": v.list_id,
                "version": v.version,
                "expires": v.expires.isoformat(),
                "stale": v.stale,
            }
            for v in result.lists
        ],
        "screened_at": result.screened_at.isoformat(),
        "timings_ms": dict(result.timings_ms),
    }


def screening_lines(result: ScreeningResult) -> list[str]:
    """Readable lines: the verdict, then one line per finding (hits first)."""
    if not result.lists:
        verdict = "no watchlist installed: screened the document only"
    else:
        used = ", ".join(
            f"{v.list_id} v{v.version}{' STALE' if v.stale else ''}" for v in result.lists
        )
        verdict = f"{'HIT' if result.hit else 'no hit'} (lists: {used})"
    lines = [f"screening {verdict}"]
    labels = {Severity.HIT: "HIT  ", Severity.ALERT: "ALERT", Severity.NOTE: "note "}
    for finding in result.findings:
        stale = " [list STALE]" if finding.stale and finding.kind != "stale_list" else ""
        lines.append(f"  {labels[finding.severity]} {finding.kind.value}: {finding.reason}{stale}")
        action = finding.listed.get("action") if finding.severity is Severity.HIT else None
        if action:
            lines.append(f"        action: {action}")
    return lines
