"""The Settings page's actions: the saved settings, what the thresholds imply against the lists
in force, trying a frame source, and saving (settings and token, audited without its value)."""

from __future__ import annotations

import bisect
import random
import time
from dataclasses import dataclass
from typing import Any

from checkpoint.accounts import Permission, StationSession
from checkpoint.audit import record
from checkpoint.camera import open_source
from checkpoint.config import Settings, change_settings, load_settings
from checkpoint.documents.image import Image
from checkpoint.faces.search import GalleryThreshold, gallery_threshold
from checkpoint.sync.station_token import check_token, save_token, token_path
from checkpoint.ui.admin.operations.station import station_database
from checkpoint.watchlist.screen import PersonQuery, screen_person
from checkpoint.watchlist.store import list_statuses, load_index
from checkpoint.watchlist.synthetic import NATIONALITIES, NameGenerator


@dataclass(frozen=True)
class SettingsSnapshot:
    settings: Settings
    has_token: bool
    face_gallery: int
    """Face templates in the lists in force: with the target rate, it sets the 1:N threshold."""


NAME_SAMPLES = 400


def settings_snapshot(session: StationSession) -> SettingsSnapshot:
    """The settings as saved, and the gallery size the face threshold is worked out for."""
    session.require(Permission.MANAGE_SETTINGS)
    settings = load_settings(session.home)
    with station_database(session) as db:
        statuses = list_statuses(db)
    gallery = sum(status.counts.get("templates", 0) for status in statuses)
    return SettingsSnapshot(settings, token_path(session.home).exists(), gallery)


def name_sample_scores(session: StationSession, samples: int = NAME_SAMPLES) -> tuple[float, ...]:
    """Each sample non-listed traveller's best name score against the lists in force, sorted.

    Loads the lists' name index (seconds for a million names), so the page runs it apart
    from reading the settings, which stay editable meanwhile.
    """
    session.require(Permission.MANAGE_SETTINGS)
    with station_database(session) as db:
        index = load_index(db)
    return tuple(sorted(_non_listed_best_scores(index, samples)))


def _non_listed_best_scores(index: Any, samples: int) -> list[float]:
    """Best name scores of generated travellers who are on no list: half made-up names, half
    listed people's given and family names recombined (the near misses that cost most)."""
    if not len(index):
        return []
    rng = random.Random(2026)
    generator = NameGenerator(seed=2026, given=600, surnames=3000)
    tokens = [person.names[0][0].split() for person in index.persons if person.names]
    given = [parts[0] for parts in tokens if parts]
    family = [parts[-1] for parts in tokens if len(parts) > 1] or given
    scores: list[float] = []
    for number in range(samples):
        recombined = f"{rng.choice(given)} {rng.choice(family)}"
        name = generator.name()[0] if number % 2 else recombined
        query = PersonQuery.of(
            name,
            f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            rng.choice(NATIONALITIES),
            rng.choice("MF"),
        )
        matches = screen_person(index, query, floor=0.5, limit=1)
        scores.append(matches[0].score if matches else 0.0)
    return scores


def name_false_hit_rate(scores: tuple[float, ...], threshold: float) -> float | None:
    """Share of the sample non-listed travellers who would be a hit at `threshold`."""
    if not scores:
        return None
    return (len(scores) - bisect.bisect_left(scores, threshold)) / len(scores)


def face_threshold(gallery: int, target_rate: float) -> GalleryThreshold:
    """The 1:N distance threshold a target false-alert rate gives at this gallery size."""
    return gallery_threshold(gallery, target_rate)


SOURCE_TEST_READS = 20


def preview_source(spec: str) -> tuple[str, Image | None]:
    """Open the frame source `spec` as the desk would and read one frame: its name and the
    frame (None when it gave none in `SOURCE_TEST_READS` tries); a bad spec raises."""
    source = open_source(spec, loop=False)
    try:
        for _ in range(SOURCE_TEST_READS):
            frame = source.read()
            if frame is not None:
                return source.name, frame
            time.sleep(0.1)
        return source.name, None
    finally:
        source.close()


def save_settings_change(
    session: StationSession, new: Settings, token: str | None = None
) -> dict[str, list[Any]]:
    """Save valid settings (file and `settings.change` row together) and a new HQ token, if
    given; return every change, the token's as "(replaced)" only."""
    session.require(Permission.MANAGE_SETTINGS)
    if token is not None:
        # Checked before anything is written: a bad token leaves the settings alone too.
        check_token(token)
    changes = change_settings(session, new)
    if token is not None:
        save_token(session.home, token)
        replaced = {"hq_token": ["(kept)", "(replaced)"]}
        # The token itself never goes into the log: only that it was replaced.
        with station_database(session) as db:
            record(db.conn, session.principal, "settings.change", "hq_token", {"changes": replaced})
        changes = {**changes, **replaced}
    return changes
