"""Who runs a command: the demo station's user, or a login with `--user` and a password.

Every command that reads or writes the station database asks `station_session` for a
session with the permission it needs. On a station with accounts that is a real login (the
password from `CHECKPOINT_PASSWORD`, else asked on the terminal), so the audit log shows who
ran the command and an officer cannot run a supervisor's command.
"""

from __future__ import annotations

import getpass
import os
import sys

from checkpoint.accounts import Permission, StationSession
from checkpoint.accounts.store import AccountError, has_accounts, login
from checkpoint.commands import CommandContext

PASSWORD_ENV = "CHECKPOINT_PASSWORD"


def station_session(ctx: CommandContext, permission: Permission) -> StationSession:
    """A session allowed `permission`: the demo session, or `--user` logged in."""
    if not has_accounts(ctx.home):
        session = StationSession.demo(ctx.home)
    else:
        if not ctx.user:
            raise AccountError(
                "This station has accounts: give --user NAME, with the password in "
                f"{PASSWORD_ENV} or typed when asked."
            )
        session = login(ctx.home, ctx.user, read_password(ctx), ctx.settings)
    session.require(permission)
    return session


def read_password(ctx: CommandContext, prompt: str | None = None) -> str:
    """The password from the environment, or typed at a terminal without echo."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    return ask_secret(ctx, prompt or f"Password for {ctx.user}: ")


def ask_secret(ctx: CommandContext, prompt: str) -> str:
    """Ask on the terminal; with no terminal to ask on, say how to give it instead."""
    if not sys.stdin or not sys.stdin.isatty():
        raise AccountError(
            f"No terminal to ask for the password on: set {PASSWORD_ENV} or run in a terminal."
        )
    return getpass.getpass(prompt, stream=ctx.stderr)
