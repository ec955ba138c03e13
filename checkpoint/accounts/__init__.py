"""Who is using the station: roles and what each may do, logins, and the database key.

A station with no accounts is a demo station: its database is not encrypted and everyone is
the demo administrator. The first administrator created turns it into a real station whose
database opens only with a key unwrapped by a user's password.
"""

from checkpoint.accounts.roles import Permission, PermissionDeniedError, Principal, Role, may
from checkpoint.accounts.session import StationSession

__all__ = ["Permission", "PermissionDeniedError", "Principal", "Role", "StationSession", "may"]
