"""First run: from an empty home to a station that screens, or to the demo.

No Qt here: `checkpoint.ui.wizard` asks the questions, this package checks the answers and
sets the station up (administrator, trusted key, first lists, HQ, camera, settings) so that
a rejected answer changes nothing.
"""

from checkpoint.firstrun.answers import Answers, FirstRunError, check_answers, settings_for
from checkpoint.firstrun.setup import Outcome, Prepared, apply, prepare
from checkpoint.firstrun.state import needs_setup, skip_to_demo

__all__ = [
    "Answers",
    "FirstRunError",
    "Outcome",
    "Prepared",
    "apply",
    "check_answers",
    "needs_setup",
    "prepare",
    "settings_for",
    "skip_to_demo",
]
