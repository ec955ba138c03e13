"""Roles and permissions: one table says what each role may do, every screen and command asks it.

Screens and commands ask for a permission, never for a role, so a role can gain or lose a
right in one place. The table is cumulative: a supervisor may do everything an officer may,
an administrator everything a supervisor may.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from checkpoint.errors import CheckpointError


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"


class Permission(StrEnum):
    SCREEN = "screen"  # the desk: screen travellers, decide hits, manual entry
    REVIEW_HITS = "review_hits"  # the hit log: view, annotate, overturn
    EXPORT_HITS = "export_hits"  # CSV and PDF reports of the hit log
    VIEW_AUDIT = "view_audit"  # read and verify the audit log
    MANAGE_WATCHLISTS = "manage_watchlists"  # import, fetch, trusted keys
    MANAGE_OUTBOX = "manage_outbox"  # retry uploads
    MANAGE_SETTINGS = "manage_settings"  # station settings, retention, thresholds
    MANAGE_USERS = "manage_users"  # create, disable, reset, change role


_OFFICER = frozenset({Permission.SCREEN})
_SUPERVISOR = _OFFICER | {Permission.REVIEW_HITS, Permission.EXPORT_HITS, Permission.VIEW_AUDIT}
_ADMINISTRATOR = _SUPERVISOR | {
    Permission.MANAGE_WATCHLISTS,
    Permission.MANAGE_OUTBOX,
    Permission.MANAGE_SETTINGS,
    Permission.MANAGE_USERS,
}

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OFFICER: _OFFICER,
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.ADMINISTRATOR: frozenset(_ADMINISTRATOR),
}


class PermissionDeniedError(CheckpointError):
    """The logged-in user's role does not allow the action."""


@dataclass(frozen=True)
class Principal:
    """The person acting: a username and a role (the demo station's is `demo`, administrator)."""

    username: str
    role: Role

    def may(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        """Raise `PermissionDeniedError` with a sentence the user can act on."""
        if not self.may(permission):
            raise PermissionDeniedError(
                f"{self.username} ({self.role.value}) may not {_ACTIONS[permission]}: "
                "ask a user with that right."
            )


def may(principal: Principal, permission: Permission) -> bool:
    return principal.may(permission)


_ACTIONS: dict[Permission, str] = {
    Permission.SCREEN: "screen travellers",
    Permission.REVIEW_HITS: "review hits",
    Permission.EXPORT_HITS: "export hit reports",
    Permission.VIEW_AUDIT: "read the audit log",
    Permission.MANAGE_WATCHLISTS: "manage watchlists",
    Permission.MANAGE_OUTBOX: "manage the outbox",
    Permission.MANAGE_SETTINGS: "change station settings",
    Permission.MANAGE_USERS: "manage users",
}
