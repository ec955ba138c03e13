"""The station's SQLite database: opening (optionally encrypted), schema migrations, one writer.

`storage` owns the connection and the schema; other packages read and write through small
repository functions that take the `Database` this package opens.
"""

from checkpoint.storage.database import DatabaseError, open_database, wal_checkpoint
from checkpoint.storage.migrations import MIGRATIONS, Migration, migrate, schema_version
from checkpoint.storage.writer import DatabaseWriter

__all__ = [
    "MIGRATIONS",
    "DatabaseError",
    "DatabaseWriter",
    "Migration",
    "migrate",
    "open_database",
    "schema_version",
    "wal_checkpoint",
]
