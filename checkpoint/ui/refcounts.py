"""A guard against PySide6 6.12's lost references to None and True on Python 3.11.

With the PySide6 6.12 wheels and CPython 3.11, every signal `emit()` gives back True without
the reference it owes, and every call of a C++ method returning void (`QLabel.setText`,
`setPixmap`, ...) does the same with None. The desk emits a frame signal 25 times a second and
redraws its view 15 times a second, so True's reference count (about 8,500 at start) falls
to zero within minutes and the interpreter aborts ("Fatal Python error: bool_dealloc"); at
exit, the few hundred references lost in a short session abort it too. CPython 3.12 made these
objects immortal, which is what this does by hand on older interpreters: it adds 2**40
references to None, True and False once, so the count never reaches zero. These objects are
never freed anyway, so the extra count costs nothing.

Remove it once the project requires Python 3.12 or a PySide6 without the bug
(tests/ui/test_ui_desk_refcounts.py shows whether it is still needed).
"""

from __future__ import annotations

import ctypes
import sys

HEADROOM = 1 << 40

_guarded = False


def keep_singletons_alive() -> bool:
    """Make None, True and False immortal on CPython < 3.12; say if it was done now."""
    global _guarded  # noqa: PLW0603 - once per process, whoever asks first
    if _guarded or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    for singleton in (None, True, False):
        # ob_refcnt is a PyObject's first field (a Py_ssize_t) in CPython's release builds.
        count = ctypes.c_ssize_t.from_address(id(singleton))
        count.value += HEADROOM
    _guarded = True
    return True
