"""Replacing a small file so that a crash leaves either the old content or the new, never half.

Settings, the HQ token and the audit head's copy are each read back on the next start: a
torn write would make the station unusable or the audit check cry wolf. The text goes to a
temporary file in the same folder, is flushed to disk, then renamed over the target.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str, *, mode: int | None = None) -> None:
    """Replace `path` with `text` (UTF-8); with `mode`, the file gets those permissions first."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        if mode is not None:
            os.fchmod(handle, mode)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
