"""Run the command line in this process, and `checkpoint hq serve` in its own.

Shared by the test modules that drive the CLI or talk to a real HQ process; tests/ is on
sys.path (tests/conftest.py lives there), so `from cli_process import run_cli` works anywhere.
"""

from __future__ import annotations

import contextlib
import io
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from checkpoint.cli import main


def run_cli(*argv: str) -> tuple[int, str, str]:
    """Run the CLI in this process; return its exit code, stdout and stderr.

    An argparse refusal (SystemExit) is returned as its exit code.
    """
    out, err = io.StringIO(), io.StringIO()
    real = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    finally:
        sys.stdout, sys.stderr = real
    return code, out.getvalue(), err.getvalue()


def free_port() -> int:
    """A port nothing listens on (bound, read, and let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_hq(
    home: Path, *extra_args: str, cwd: Path | None = None, startup_timeout: float = 60.0
) -> Iterator[str]:
    """`checkpoint --home HOME hq serve --port P *extra_args` in its own process; yields its URL.

    Waits until /v1/health answers; if the process dies or is too slow, the assertion says so
    with its stderr. The process is terminated on exit.
    """
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "checkpoint", "--home", str(home), "hq", "serve",
            "--port", str(port), *extra_args,
        ],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            try:
                if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                stderr = process.stderr.read() if process.stderr else ""
                raise AssertionError(f"HQ exited with {process.returncode}:\n{stderr}")
            if time.monotonic() >= deadline:
                process.terminate()
                _, stderr = process.communicate(timeout=20)
                raise AssertionError(f"HQ did not start within {startup_timeout}s:\n{stderr}")
            time.sleep(0.05)
        yield url
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=20)
        if process.stderr:
            process.stderr.close()
