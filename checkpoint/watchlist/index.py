"""The in-memory name index the screener draws candidates from.

Screening must never compare a traveller with every listed name: at a million names that
is hundreds of milliseconds. The index maps each distinct name token to the names holding
it (postings, as numpy arrays), and each token to keys that survive spelling differences:
one-deletion keys (any single typo or transposition meets its original on a shared key, as
in SymSpell), Metaphone, and the consonant skeleton. A query token looks up its own keys,
keeps the vocabulary tokens that are really similar, and the names holding those tokens are
the candidates, ranked by how many of the query's tokens they share.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from checkpoint.watchlist.model import BirthDate
from checkpoint.watchlist.names import (
    metaphone,
    name_variants,
    skeleton,
    strip_article,
    token_similarity,
)

MAX_KEY_FANOUT = 5000
MAX_POSTINGS_PER_TOKEN = 200_000
SIMILAR_TOKEN = 0.8


@dataclass(frozen=True, slots=True)
class IndexedPerson:
    """What the screener needs to know about a listed person besides the names."""

    list_id: str
    entry_id: str
    names: tuple[tuple[str, str], ...]  # (name as written, quality)
    birth_dates: tuple[BirthDate, ...] = ()
    nationalities: tuple[str, ...] = ()
    sex: str | None = None
    category: str = ""
    reason: str = ""
    action: str = ""


@dataclass(frozen=True)
class ListInfo:
    list_id: str
    version: int
    expires: datetime

    def is_stale(self, now: datetime) -> bool:
        return now >= self.expires


def _deletes(token: str) -> list[str]:
    if len(token) < 3:
        return []
    return [token[:i] + token[i + 1 :] for i in range(len(token))]


class NameIndex:
    """Names of listed persons, indexed by token and by spelling-tolerant keys."""

    def __init__(self, persons: Iterable[IndexedPerson], lists: Iterable[ListInfo] = ()) -> None:
        self.persons: list[IndexedPerson] = []
        self.lists: dict[str, ListInfo] = {info.list_id: info for info in lists}
        self.vocabulary: list[str] = []
        self._token_ids: dict[str, int] = {}
        name_person: list[int] = []
        self.name_text: list[str] = []
        self.name_quality: list[str] = []
        flat: list[int] = []
        offsets: list[int] = [0]
        compact: dict[str, list[int]] = {}
        for person in persons:
            person_number = len(self.persons)
            self.persons.append(person)
            for written, quality in person.names:
                for tokens in name_variants(written):
                    if not tokens:
                        continue
                    name_number = len(name_person)
                    name_person.append(person_number)
                    self.name_text.append(written)
                    self.name_quality.append(quality)
                    for token in tokens:
                        token_id = self._token_ids.get(token)
                        if token_id is None:
                            token_id = self._token_ids[token] = len(self.vocabulary)
                            self.vocabulary.append(token)
                        flat.append(token_id)
                    offsets.append(len(flat))
                    if len(tokens) > 1:
                        compact.setdefault("".join(tokens), []).append(name_number)
                        compact.setdefault("".join(sorted(tokens)), []).append(name_number)
        self.name_person = np.asarray(name_person, dtype=np.int32)
        self.name_tokens = np.asarray(flat, dtype=np.int32)
        self.name_offsets = np.asarray(offsets, dtype=np.int64)
        self._compact = compact
        self._build_postings()
        self._build_keys()

    def _build_postings(self) -> None:
        counts = np.diff(self.name_offsets)
        owners = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
        order = np.argsort(self.name_tokens, kind="stable")
        self._postings = owners[order]
        per_token = np.bincount(self.name_tokens, minlength=len(self.vocabulary))
        self._posting_offsets = np.concatenate(([0], np.cumsum(per_token))).astype(np.int64)

    def _build_keys(self) -> None:
        keys: dict[str, list[int]] = {}
        for token_id, token in enumerate(self.vocabulary):
            for key in self._token_keys(token, own=True):
                keys.setdefault(key, []).append(token_id)
        self._keys = keys

    @staticmethod
    def _token_keys(token: str, *, own: bool) -> Iterator[str]:
        if own:
            yield "d" + token
        for deleted in _deletes(token):
            yield "d" + deleted
        if len(token) > 2:
            yield "m" + metaphone(token)
            shape = skeleton(token)
            if len(shape) >= 2:
                yield "s" + shape
        # "ALKUNI" must meet "KUNI": the article is written joined, apart, or not at all.
        bare = strip_article(token)
        if bare != token:
            yield "d" + bare
            yield "m" + metaphone(bare)

    def __len__(self) -> int:
        return len(self.name_person)

    def tokens_of(self, name_number: int) -> npt.NDArray[np.int32]:
        start, end = self.name_offsets[name_number], self.name_offsets[name_number + 1]
        return self.name_tokens[start:end]

    def document_frequency(self, token_id: int) -> int:
        return int(self._posting_offsets[token_id + 1] - self._posting_offsets[token_id])

    def token_counts(self, names: npt.NDArray[np.int32]) -> npt.NDArray[np.int64]:
        """How many tokens each of these names has."""
        return self.name_offsets[names + 1] - self.name_offsets[names]

    def postings(self, token_id: int) -> npt.NDArray[np.int32]:
        return self._postings[self._posting_offsets[token_id] : self._posting_offsets[token_id + 1]]

    def similar_tokens(self, token: str) -> dict[int, float]:
        """Vocabulary tokens similar to `token`, with their similarity."""
        found: set[int] = set()
        own = self._token_ids.get(token)
        if own is not None:
            found.add(own)
        bare = strip_article(token)
        extra = ["d" + bare] if bare != token else []
        for key in ["d" + token, *extra, *self._token_keys(token, own=False)]:
            ids = self._keys.get(key)
            if ids is not None and len(ids) <= MAX_KEY_FANOUT:
                found.update(ids)
        result: dict[int, float] = {}
        for token_id in found:
            score = token_similarity(token, self.vocabulary[token_id])
            if score >= SIMILAR_TOKEN:
                result[token_id] = score
        return result

    def compact_names(self, joined: str) -> list[int]:
        """Multi-token listed names whose letters, run together, equal `joined`."""
        return self._compact.get(joined, [])

    def token_id(self, token: str) -> int | None:
        return self._token_ids.get(token)
