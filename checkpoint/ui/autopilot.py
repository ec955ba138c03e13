"""Screen a number of demo travellers with nobody at the desk, then quit.

`checkpoint gui --demo --travellers N` has to prove, on a freshly installed bundle and without
a screen, that the desk starts, loads the readers and screens documents end to end. The
autopilot does what an officer would, through the window's own actions only: it refers every
hit to second line, calls the next traveller once a result is shown, and closes the desk
after N travellers. It is the installer's smoke test, not a way to work a real desk.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot

from checkpoint.ui.desk_window import DeskWindow

SCREENED_STATES = frozenset({"clear", "alert", "decided"})
"""Banner states that mean the traveller on the desk is screened and nothing is left to decide
(a "hit" banner may still be recording its hits: the autopilot waits for them)."""


class Autopilot(QObject):
    """Drives `window` through `travellers` travellers; read the counts when the app quits."""

    def __init__(self, window: DeskWindow, travellers: int) -> None:
        super().__init__(window)
        self.window = window
        self.wanted = travellers
        self.travellers = 0
        """Travellers whose result was shown."""
        self.hit_ids: set[str] = set()
        """Hits raised (each referred to second line)."""
        self.finished = False
        self._counted = False
        # Queued: the window is left to finish the update that set its banner before we act.
        window.banner_changed.connect(self._step, Qt.ConnectionType.QueuedConnection)

    @property
    def hits(self) -> int:
        return len(self.hit_ids)

    def summary(self) -> str:
        return f"screened {self.travellers} travellers, {self.hits} hits"

    @Slot(str)
    def _step(self, _state: str) -> None:
        window = self.window
        # The state now, not the one queued: several changes may have happened since.
        target = window.decision_target()
        if self.finished or window.deciding:
            return
        if target is None and window.banner_state not in SCREENED_STATES:
            return
        if not self._counted:
            self._counted = True
            self.travellers += 1
        if target is not None:
            self.hit_ids.add(target.id)
            window.refer()
            return
        if self.travellers >= self.wanted:
            self.finished = True
            # Closed like an officer closes the desk, which ends the application's loop. Quitting
            # the loop instead left the window open, and its closing later posted a quit that
            # stopped the next event loop of the same process at once.
            self.window.close()
            return
        self._counted = False
        window.next_traveller()
