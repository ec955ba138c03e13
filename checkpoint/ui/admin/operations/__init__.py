"""What the administrator's screens do, without Qt: each action checks the permission, does
its work on a connection of its own, records it in the audit log, and returns a plain value.

The pages run these on worker threads and only show the values; keeping them Qt-free lets
the tests and a future command call exactly what the buttons call. An action refused for
bad input (a tampered bundle, an unreachable HQ) raises a `CheckpointError` whose sentence
the page shows, and changes nothing but the audit row that says it was refused. One module
per page: `watchlists`, `outbox`, `settings`.
"""

from checkpoint.ui.admin.operations.outbox import (
    OutboxOverview,
    RetryOutcome,
    outbox_overview,
    owed_items,
    retry_outbox,
)
from checkpoint.ui.admin.operations.settings import (
    NAME_SAMPLES,
    SettingsSnapshot,
    face_threshold,
    name_false_hit_rate,
    name_sample_scores,
    preview_source,
    save_settings_change,
    settings_snapshot,
)
from checkpoint.ui.admin.operations.station import Progress
from checkpoint.ui.admin.operations.watchlists import (
    BundleImported,
    FetchOutcome,
    WatchlistOverview,
    fetch_from_hq,
    import_bundle_file,
    revoke_trusted_key,
    trust_key_file,
    watchlist_overview,
)

__all__ = [
    "NAME_SAMPLES",
    "BundleImported",
    "FetchOutcome",
    "OutboxOverview",
    "Progress",
    "RetryOutcome",
    "SettingsSnapshot",
    "WatchlistOverview",
    "face_threshold",
    "fetch_from_hq",
    "import_bundle_file",
    "name_false_hit_rate",
    "name_sample_scores",
    "outbox_overview",
    "owed_items",
    "preview_source",
    "retry_outbox",
    "revoke_trusted_key",
    "save_settings_change",
    "settings_snapshot",
    "trust_key_file",
    "watchlist_overview",
]
