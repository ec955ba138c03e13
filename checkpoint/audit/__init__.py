"""The append-only audit log: who did what to which record, in a hash chain.

Each row carries the hash of the row before it, so editing, deleting or reordering any row
breaks the chain at that point and `checkpoint audit verify` can say where.
"""

from checkpoint.audit.log import AuditEntry, record

__all__ = ["AuditEntry", "record"]
