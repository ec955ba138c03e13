"""`checkpoint doctor`: is this computer and this station fit to screen travellers?

Each check looks at one thing (Qt, the camera, ZBar, the models, the database, the keys,
the lists' age, HQ, the disk) and says what is wrong together with the fix, so an IT
administrator at a remote crossing can repair a station without a developer. No Qt here:
Qt is probed in a child process.
"""

from checkpoint.doctor.model import Check, Station, Status
from checkpoint.doctor.run import GROUPS, GroupReport, render_text, run_checks, to_json, worst

__all__ = [
    "GROUPS",
    "Check",
    "GroupReport",
    "Station",
    "Status",
    "render_text",
    "run_checks",
    "to_json",
    "worst",
]
