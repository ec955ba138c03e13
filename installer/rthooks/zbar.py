"""PyInstaller runtime hook: let pyzbar find the libzbar.so.0 bundled beside the app.

pyzbar asks `ctypes.util.find_library("zbar")`, which on Linux only searches the system
(ldconfig), so a bundled copy would go unused on a desk PC without libzbar0. Answer that one
question with the bundled file; every other library is found as before.
"""

import ctypes.util
import os
import sys

_BUNDLED_ZBAR = os.path.join(getattr(sys, "_MEIPASS", ""), "libzbar.so.0")
_system_find_library = ctypes.util.find_library


def _find_library(name: str) -> str | None:
    if name == "zbar" and os.path.isfile(_BUNDLED_ZBAR):
        return _BUNDLED_ZBAR
    return _system_find_library(name)


ctypes.util.find_library = _find_library
