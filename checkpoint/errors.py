"""User-facing errors.

Bad input from outside (an unreadable image, a tampered bundle, an unreachable server) raises a
subclass of `CheckpointError` whose message is one sentence saying what happened and what to
do. The CLI and the GUI show that sentence and nothing else; any other exception is a bug and
gets a crash report in the log.
"""


class CheckpointError(Exception):
    """An error caused by the world outside Checkpoint, explained in one sentence."""


class ImageError(CheckpointError):
    """An image could not be read or decoded."""
