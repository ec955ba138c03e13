"""The append-only audit log: who did what to which record, in a hash chain.

Each row carries the hash of the row before it, so editing, deleting or reordering any row
breaks the chain at that point and `checkpoint audit verify` can say where; the chain's head
is kept outside it (`head`) so deleting the last rows shows too. `retention` purges what is
older than the station keeps, auditing the purge itself.
"""

from checkpoint.audit.head import publish_head
from checkpoint.audit.log import AuditEntry, record
from checkpoint.audit.query import list_entries
from checkpoint.audit.verify import Problem, VerifyResult, verify

__all__ = [
    "AuditEntry",
    "Problem",
    "VerifyResult",
    "list_entries",
    "publish_head",
    "record",
    "verify",
]
