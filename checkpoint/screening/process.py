"""Screening in a process of its own, so the desk's event loop never waits on the readers.

dlib holds the GIL while it detects and encodes faces, and loading the readers (imports,
model files) holds it for most of a second: in a thread of the GUI's process either stalls
the live view. A spawned child process owns the readers and the traveller's session instead;
the parent sends each capture and gets back plain, picklable values: the document stage as
soon as it is known, then the whole result. The parent's end of the pipe is used by one
thread at a time (a lock makes sure), and blocking on it releases the GIL.

The child exits when told to, and also when the parent goes away (its pipe closes), so no
process outlives the desk. Errors come back as one sentence; a bug's traceback goes to the
parent's log.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Protocol

from checkpoint.errors import CheckpointError
from checkpoint.screening.model import Capture

log = logging.getLogger("checkpoint.screening")

CLOSE_TIMEOUT_S = 5.0
"""How long the child may take to finish its capture and exit before it is terminated."""


class ScreeningProcessError(CheckpointError):
    """The screening process could not start, or stopped."""


class StagedScreener(Protocol):
    """What the child serves: screens a capture, reporting its document stage first."""

    def screen(self, capture: Capture, on_document: Callable[[Any], None] | None = None) -> Any: ...

    def end_traveller(self) -> None: ...

    def close(self) -> None: ...


def _serve(connection: Connection, factory: Callable[[], StagedScreener]) -> None:
    """The child's loop: build the screener, then answer requests until told to stop."""
    try:
        screener = factory()
    except CheckpointError as exc:
        connection.send(("failed", str(exc)))
        return
    except Exception as exc:
        connection.send(("failed", _internal(exc)))
        return
    connection.send(("ready", None))
    try:
        while True:
            try:
                request, payload = connection.recv()
            except (EOFError, OSError):
                return  # the parent is gone
            if request == "close":
                return
            if request == "end":
                screener.end_traveller()
                continue
            try:
                result = screener.screen(
                    payload, lambda stage: connection.send(("document", stage))
                )
            except CheckpointError as exc:
                connection.send(("error", str(exc)))
                continue
            except Exception as exc:
                connection.send(("error", _internal(exc)))
                continue
            connection.send(("done", result))
    finally:
        screener.close()


def _internal(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"


class ScreeningProcess:
    """The parent's handle on a child process serving the screener `factory` builds.

    `factory` must be picklable (a module-level function or a `functools.partial` of one):
    the child is spawned, not forked, so it starts clean of the GUI's threads and Qt. With
    `wait` False, call `wait_ready()` before the first capture (so several children can load
    their readers at the same time).
    """

    def __init__(self, factory: Callable[[], StagedScreener], *, wait: bool = True) -> None:
        context = multiprocessing.get_context("spawn")
        self._connection, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, factory), name="checkpoint-screening", daemon=True
        )
        self._lock = threading.Lock()
        self._process.start()
        child.close()
        self._ready = False
        if wait:
            self.wait_ready()

    def wait_ready(self) -> None:
        """Wait until the child has built its screener; raise what stopped it if it could not."""
        if self._ready:
            return
        try:
            kind, payload = self._receive()
        except ScreeningProcessError:
            self.close()
            raise
        if kind != "ready":
            self.close()
            raise self._error(payload, "The screening process could not load the readers")
        self._ready = True

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def screen(self, capture: Capture, on_document: Callable[[Any], None] | None = None) -> Any:
        """Screen `capture` in the child; `on_document` gets its document stage first."""
        with self._lock:
            self._send(("screen", capture))
            while True:
                kind, payload = self._receive()
                if kind == "document":
                    if on_document is not None:
                        on_document(payload)
                elif kind == "done":
                    return payload
                else:
                    raise self._error(payload, "Screening this frame failed")

    def end_traveller(self) -> None:
        with self._lock:
            self._send(("end", None))

    def close(self) -> None:
        """Ask the child to stop, wait for it, and terminate it if it does not."""
        with self._lock:
            if self._process.is_alive():
                with contextlib.suppress(OSError):
                    self._connection.send(("close", None))
            self._process.join(CLOSE_TIMEOUT_S)
            if self._process.is_alive():
                log.warning("the screening process did not stop: terminating it")
                self._process.terminate()
                self._process.join()
            self._connection.close()

    def _send(self, message: tuple[str, object]) -> None:
        try:
            self._connection.send(message)
        except (OSError, ValueError) as exc:
            raise self._stopped() from exc

    def _receive(self) -> tuple[str, Any]:
        try:
            kind, payload = self._connection.recv()
        except (EOFError, OSError) as exc:
            raise self._stopped() from exc
        return str(kind), payload

    def _stopped(self) -> ScreeningProcessError:
        self._process.join(1.0)
        code = self._process.exitcode
        return ScreeningProcessError(
            f"The screening process stopped unexpectedly (exit code {code}): "
            "close the desk and start it again."
        )

    def _error(self, payload: object, what: str) -> CheckpointError:
        text = str(payload)
        if "\n" in text:
            # A bug in the child: its traceback for the log, one sentence for the officer.
            log.error("%s in the screening process: %s", what, text)
            name = text.split(":", 1)[0]
            return ScreeningProcessError(
                f"{what} (internal error {name}): see the log and report it."
            )
        return CheckpointError(text)
