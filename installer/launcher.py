"""Entry point of the frozen build: the same `checkpoint` command the wheel's script runs.

PyInstaller needs a script, not a console-script entry point. `freeze_support` lets a child
process started by multiprocessing (spawn or forkserver) run its task instead of the command
line again, which a frozen executable would otherwise do.
"""

import multiprocessing
import sys

from checkpoint.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
