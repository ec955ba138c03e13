"""`checkpoint users ...`: the first administrator, accounts, passwords, roles, recovery.

`create-admin` turns a demo station into a real one (the database is encrypted from then on)
and prints the recovery key once. The other actions log in with `--user` like every command;
`passwd` changes the logged-in user's own password and `recover` needs no login, only the
printed recovery key. New passwords are typed twice at the terminal, or taken from
CHECKPOINT_NEW_PASSWORD for scripts.
"""

from __future__ import annotations

import argparse
import os

from checkpoint.accounts import Permission, Role
from checkpoint.accounts.store import (
    AccountError,
    change_password,
    change_role,
    create_first_administrator,
    create_user,
    has_accounts,
    list_users,
    login,
    recover,
    reset_password,
    set_disabled,
)
from checkpoint.commands import CommandContext, SubParsers
from checkpoint.commands.session import ask_secret, read_password, station_session

NEW_PASSWORD_ENV = "CHECKPOINT_NEW_PASSWORD"
RECOVERY_KEY_ENV = "CHECKPOINT_RECOVERY_KEY"
ROLES = [role.value for role in Role]


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser("users", help="accounts: create, disable, passwords, roles")
    commands = parser.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    admin = commands.add_parser(
        "create-admin", help="create the first administrator and encrypt the station"
    )
    admin.add_argument("username")
    admin.set_defaults(func=run_create_admin)

    add = commands.add_parser("add", help="create an account")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default=Role.OFFICER.value)
    add.set_defaults(func=run_add)

    show = commands.add_parser("list", help="every account with its role and state")
    show.set_defaults(func=run_list)

    for name, disabled, text in (
        ("disable", True, "stop an account from logging in"),
        ("enable", False, "let a disabled account log in again"),
    ):
        toggle = commands.add_parser(name, help=text)
        toggle.add_argument("username")
        toggle.set_defaults(func=run_set_disabled, disabled=disabled)

    reset = commands.add_parser("reset-password", help="set another user's password (unlocks)")
    reset.add_argument("username")
    reset.set_defaults(func=run_reset_password)

    passwd = commands.add_parser("passwd", help="change your own password")
    passwd.set_defaults(func=run_passwd)

    role = commands.add_parser("role", help="change an account's role")
    role.add_argument("username")
    role.add_argument("role", choices=ROLES)
    role.set_defaults(func=run_role)

    rescue = commands.add_parser(
        "recover",
        help="every password lost: set USERNAME's password with the printed recovery key",
    )
    rescue.add_argument("username", help="an administrator to reset, or a new administrator")
    rescue.set_defaults(func=run_recover)


def _new_password(ctx: CommandContext, whose: str) -> str:
    """The new password from the environment, or typed twice at the terminal."""
    from_env = os.environ.get(NEW_PASSWORD_ENV)
    if from_env:
        return from_env
    first = ask_secret(ctx, f"New password for {whose}: ")
    if ask_secret(ctx, "Type it again: ") != first:
        raise AccountError("The two passwords differ: run the command again.")
    return first


def run_create_admin(args: argparse.Namespace, ctx: CommandContext) -> int:
    password = _new_password(ctx, args.username)
    recovery_key = create_first_administrator(ctx.home, args.username, password)
    print(
        f"Administrator {args.username.strip().lower()} created; the station database is "
        "now encrypted.\n"
        "Recovery key (shown only now: print it or write it down, and lock it away; it "
        "opens the station when every password is lost):\n\n"
        f"    {recovery_key}\n",
        file=ctx.stdout,
    )
    return 0


def run_add(args: argparse.Namespace, ctx: CommandContext) -> int:
    session = station_session(ctx, Permission.MANAGE_USERS)
    create_user(session, args.username, _new_password(ctx, args.username), Role(args.role))
    print(f"created {args.username.strip().lower()} ({args.role})", file=ctx.stdout)
    return 0


def run_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    session = station_session(ctx, Permission.MANAGE_USERS)
    for user in list_users(session):
        state = "disabled" if user.disabled else "enabled"
        if user.locked_until is not None:
            state += f", locked until {user.locked_until.astimezone():%Y-%m-%d %H:%M}"
        print(
            f"{user.username}  {user.role.value}  {state}  "
            f"password changed {user.password_changed_at.astimezone():%Y-%m-%d}",
            file=ctx.stdout,
        )
    return 0


def run_set_disabled(args: argparse.Namespace, ctx: CommandContext) -> int:
    session = station_session(ctx, Permission.MANAGE_USERS)
    set_disabled(session, args.username, args.disabled)
    print(f"{args.username} {'disabled' if args.disabled else 'enabled'}", file=ctx.stdout)
    return 0


def run_reset_password(args: argparse.Namespace, ctx: CommandContext) -> int:
    session = station_session(ctx, Permission.MANAGE_USERS)
    reset_password(session, args.username, _new_password(ctx, args.username))
    print(f"password of {args.username} reset", file=ctx.stdout)
    return 0


def run_passwd(args: argparse.Namespace, ctx: CommandContext) -> int:
    if not has_accounts(ctx.home) or not ctx.user:
        # The demo station has no passwords; a station with accounts says to give --user.
        station_session(ctx, Permission.SCREEN)
        raise AccountError(
            "This station has no accounts yet: create the first administrator "
            "with `checkpoint users create-admin`."
        )
    # The current password logs in and proves the change: asked once.
    current = read_password(ctx)
    session = login(ctx.home, ctx.user, current, ctx.settings)
    change_password(session, current, _new_password(ctx, session.principal.username))
    print("password changed", file=ctx.stdout)
    return 0


def run_role(args: argparse.Namespace, ctx: CommandContext) -> int:
    session = station_session(ctx, Permission.MANAGE_USERS)
    change_role(session, args.username, Role(args.role))
    print(f"{args.username} is now {args.role}", file=ctx.stdout)
    return 0


def run_recover(args: argparse.Namespace, ctx: CommandContext) -> int:
    typed = os.environ.get(RECOVERY_KEY_ENV) or ask_secret(ctx, "Recovery key: ")
    session = recover(ctx.home, typed, args.username, _new_password(ctx, args.username))
    print(
        f"{session.principal.username} ({session.principal.role.value}) can log in with the "
        "new password.",
        file=ctx.stdout,
    )
    return 0
