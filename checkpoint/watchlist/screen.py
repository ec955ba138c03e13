"""Screening a traveller against the listed persons: candidates from the index, then a score
that explains itself.

The name score aligns the query's tokens with a listed name's tokens in any order (each
token pairs with its most similar partner: Jaro-Winkler, raised for equal Metaphone or
consonant skeleton), weighs them (particles and initials count less), and combines how much
of the query and how much of the listed name is covered, so a missing middle name lowers
the score a little and one shared given name does not make a match. A whole-name comparison
of the tokens run together catches names split differently ("XI JINPING" / "XIJINPING").
Birth date, nationality and sex then raise the score when they agree and lower it when they
disagree; every adjustment is reported so the officer sees why a name matched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import JaroWinkler

from checkpoint.watchlist.countries import normalise_country
from checkpoint.watchlist.index import MAX_POSTINGS_PER_TOKEN, IndexedPerson, NameIndex
from checkpoint.watchlist.model import BirthDate, WatchlistError
from checkpoint.watchlist.names import name_tokens, token_similarity, token_weight

DEFAULT_THRESHOLD = 0.88
REPORT_FLOOR = 0.75
MAX_CANDIDATES = 60
RELATIVE_FLOOR = 0.4
WEAK_TOKEN = 0.75


# Spellings of a birth date besides ISO that forms and documents use (unambiguous ones only:
# 03/04/1970 means different days in different countries, so it is not guessed).
TRAVELLER_DATE_FORMATS = ("%Y%m%d", "%d.%m.%Y", "%Y/%m/%d", "%d %b %Y", "%d %B %Y")


def parse_traveller_birth(text: str) -> BirthDate:
    """A traveller's birth date: ISO (or year, or range) first, then the other usual forms."""
    try:
        return BirthDate.parse(text)
    except WatchlistError:
        for pattern in TRAVELLER_DATE_FORMATS:
            try:
                moment = datetime.strptime(text.strip(), pattern)
            except ValueError:
                continue
            return BirthDate(moment.year, moment.year, moment.month, moment.day)
        raise


@dataclass(frozen=True)
class PersonQuery:
    """A traveller as read from a document or typed by the officer."""

    name: str
    birth_date: BirthDate | None = None
    nationality: str | None = None
    sex: str | None = None
    document_number: str | None = None

    @classmethod
    def of(
        cls,
        name: str,
        birth_date: str | date | None = None,
        nationality: str | None = None,
        sex: str | None = None,
        document_number: str | None = None,
    ) -> PersonQuery:
        """Build a query from loose values (ISO date text, a country name or code)."""
        parsed: BirthDate | None
        if isinstance(birth_date, date):
            parsed = BirthDate(birth_date.year, birth_date.year, birth_date.month, birth_date.day)
        elif birth_date and birth_date.strip():
            parsed = parse_traveller_birth(birth_date)
        else:
            parsed = None
        sex_code = (sex or "").strip().upper()[:1] or None
        return cls(name, parsed, nationality or None, sex_code, document_number or None)


@dataclass(frozen=True)
class FieldCheck:
    """How one field of the query compared with the listed person, and what it did to the score."""

    field: str
    outcome: str  # "agrees", "close", "disagrees"
    query: str
    listed: str
    adjustment: float


@dataclass(frozen=True)
class NameMatch:
    """A listed person the query resembles, and why."""

    list_id: str
    entry_id: str
    primary_name: str
    matched_name: str
    matched_quality: str
    name_score: float
    score: float
    token_pairs: tuple[tuple[str, str, float], ...]
    fields: tuple[FieldCheck, ...]
    category: str
    reason: str
    action: str
    stale: bool

    def explain(self) -> str:
        pairs = ", ".join(f"{q}~{listed} {s:.2f}" for q, listed, s in self.token_pairs)
        checks = "; ".join(
            f"{check.field} {check.outcome} ({check.adjustment:+.2f})" for check in self.fields
        )
        text = f"name '{self.matched_name}' ({self.matched_quality}) {self.name_score:.2f}: {pairs}"
        return f"{text}; {checks}" if checks else text


def _align(
    query: tuple[str, ...], listed: tuple[str, ...], cache: dict[tuple[str, str], float]
) -> tuple[float, list[tuple[str, str, float]]]:
    pairs: list[tuple[float, int, int]] = []
    for i, q in enumerate(query):
        for j, item in enumerate(listed):
            key = (q, item)
            score = cache.get(key)
            if score is None:
                score = cache[key] = token_similarity(q, item)
            pairs.append((score, i, j))
    pairs.sort(reverse=True)
    used_q: set[int] = set()
    used_l: set[int] = set()
    chosen: list[tuple[str, str, float]] = []
    q_sum = l_sum = 0.0
    strong = 0
    for score, i, j in pairs:
        if i in used_q or j in used_l:
            continue
        used_q.add(i)
        used_l.add(j)
        credit = score if score >= WEAK_TOKEN else score * 0.5
        q_sum += token_weight(query[i]) * credit
        l_sum += token_weight(listed[j]) * credit
        chosen.append((query[i], listed[j], round(score, 3)))
        if score >= 0.85 and token_weight(query[i]) >= 0.5:
            strong += 1
    q_cov = q_sum / sum(token_weight(t) for t in query)
    l_cov = l_sum / sum(token_weight(t) for t in listed)
    score = 0.7 * max(q_cov, l_cov) + 0.3 * min(q_cov, l_cov)
    # Whole-name comparison, for names split or run together differently.
    joined = float(
        JaroWinkler.normalized_similarity("".join(sorted(query)), "".join(sorted(listed)))
    )
    together = float(JaroWinkler.normalized_similarity("".join(query), "".join(listed)))
    whole = max(joined, together)
    if whole >= 0.95:
        score = max(score, whole)
    # One shared token is not a name match when both sides have more to say.
    elif strong < 2 and len(query) > 1 and len(listed) > 1:
        score = min(score, 0.8)
    return min(score, 1.0), chosen


def _birth_check(query: BirthDate, listed: tuple[BirthDate, ...]) -> FieldCheck:
    best: FieldCheck | None = None
    for candidate in listed:
        check = _compare_birth(query, candidate)
        if best is None or check.adjustment > best.adjustment:
            best = check
    assert best is not None
    return best


def _compare_birth(query: BirthDate, listed: BirthDate) -> FieldCheck:
    q, item = str(query), str(listed)
    overlap = query.year_from <= listed.year_to and listed.year_from <= query.year_to
    if query.is_full and listed.is_full:
        if (query.month, query.day) == (listed.month, listed.day) and overlap:
            return FieldCheck("birth date", "agrees", q, item, 0.08)
        if overlap:
            swapped = (query.month, query.day) == (listed.day, listed.month)
            return FieldCheck("birth date", "close", q, item, 0.02 if swapped else -0.05)
    elif overlap:
        if listed.month is not None and query.month is not None and listed.month != query.month:
            return FieldCheck("birth date", "close", q, item, -0.03)
        return FieldCheck("birth date", "agrees", q, item, 0.04)
    gap = min(abs(query.year_from - listed.year_to), abs(listed.year_from - query.year_to))
    if gap <= 1:
        return FieldCheck("birth date", "close", q, item, -0.05)
    # Listed birth dates are often estimates: a few years off counts less than decades.
    return FieldCheck("birth date", "disagrees", q, item, -0.12 if gap <= 5 else -0.2)


def _field_checks(query: PersonQuery, person: IndexedPerson) -> list[FieldCheck]:
    checks: list[FieldCheck] = []
    if query.birth_date is not None and person.birth_dates:
        checks.append(_birth_check(query.birth_date, person.birth_dates))
    nationality = normalise_country(query.nationality)
    if nationality and person.nationalities:
        listed = ", ".join(person.nationalities)
        if nationality in person.nationalities:
            checks.append(FieldCheck("nationality", "agrees", nationality, listed, 0.03))
        else:
            checks.append(FieldCheck("nationality", "disagrees", nationality, listed, -0.04))
    if query.sex in ("M", "F") and person.sex in ("M", "F"):
        if query.sex == person.sex:
            checks.append(FieldCheck("sex", "agrees", query.sex, person.sex, 0.0))
        else:
            checks.append(FieldCheck("sex", "disagrees", query.sex, person.sex, -0.08))
    return checks


def candidates(index: NameIndex, tokens: tuple[str, ...]) -> list[int]:
    """Names sharing the most (weighted) similar tokens with the query, best first."""
    if not tokens or len(index) == 0:
        return []
    per_token: list[tuple[float, npt.NDArray[np.int32], npt.NDArray[np.float64]]] = []
    total = max(len(index), 1)
    for token in dict.fromkeys(tokens):
        similar = index.similar_tokens(token)
        if not similar:
            continue
        ranked = sorted(similar.items(), key=lambda item: -item[1])
        arrays = [index.postings(token_id) for token_id, _ in ranked]
        scores = np.concatenate(
            [np.full(len(a), s) for a, (_, s) in zip(arrays, ranked, strict=True)]
        )
        # First occurrence = the most similar token the name holds (arrays are in that order).
        names, first = np.unique(np.concatenate(arrays), return_index=True)
        # Rare tokens say more than common ones (inverse document frequency).
        rarity = 1.0 + math.log(total / max(len(names), 1))
        per_token.append((token_weight(token) * rarity, names, scores[first]))
    found: list[int] = list(index.compact_names("".join(tokens)))
    if len(tokens) == 1:
        pass
    else:
        found += index.compact_names("".join(sorted(tokens)))
        joined = index.token_id("".join(tokens))
        if joined is not None:
            found += index.postings(joined).tolist()
    usable = [item for item in per_token if len(item[1]) <= MAX_POSTINGS_PER_TOKEN] or per_token
    if usable:
        all_names = np.concatenate([names for _, names, _ in usable])
        weights = np.concatenate([weight * scores for weight, _, scores in usable])
        unique, inverse = np.unique(all_names, return_inverse=True)
        # Among names sharing the same tokens, prefer those of the query's length.
        length_gap = np.abs(index.token_counts(unique) - len(tokens)).astype(np.float64)
        totals: npt.NDArray[np.float64] = np.bincount(inverse, weights=weights) - 0.05 * length_gap
        if len(unique) > MAX_CANDIDATES:
            top = np.argpartition(-totals, MAX_CANDIDATES)[:MAX_CANDIDATES]
        else:
            top = np.arange(len(unique))
        top = top[np.argsort(-totals[top], kind="stable")]
        # Names sharing far less of the query than the best ones cannot score near them.
        top = top[totals[top] >= RELATIVE_FLOOR * totals[top[0]]]
        found += unique[top].tolist()
    return list(dict.fromkeys(found))


def screen_person(
    index: NameIndex,
    query: PersonQuery,
    *,
    floor: float = REPORT_FLOOR,
    limit: int = 10,
    now: datetime | None = None,
) -> list[NameMatch]:
    """Listed persons resembling the query with a score of at least `floor`, best first."""
    tokens = name_tokens(query.name)
    if not tokens:
        return []
    moment = now or datetime.now(UTC)
    cache: dict[tuple[str, str], float] = {}
    best: dict[int, NameMatch] = {}
    for name_number in candidates(index, tokens):
        listed = tuple(index.vocabulary[t] for t in index.tokens_of(name_number))
        name_score, pairs = _align(tokens, listed, cache)
        if name_score < floor - 0.2:
            continue
        person_number = int(index.name_person[name_number])
        person = index.persons[person_number]
        checks = _field_checks(query, person)
        score = max(0.0, min(1.0, name_score + sum(check.adjustment for check in checks)))
        current = best.get(person_number)
        if current is not None and current.score >= score:
            continue
        info = index.lists.get(person.list_id)
        best[person_number] = NameMatch(
            list_id=person.list_id,
            entry_id=person.entry_id,
            primary_name=person.names[0][0] if person.names else "",
            matched_name=index.name_text[name_number],
            matched_quality=index.name_quality[name_number],
            name_score=round(name_score, 4),
            score=round(score, 4),
            token_pairs=tuple(pairs),
            fields=tuple(checks),
            category=person.category,
            reason=person.reason,
            action=person.action,
            stale=info.is_stale(moment) if info else False,
        )
    matches = sorted(
        (m for m in best.values() if m.score >= floor), key=lambda m: (-m.score, m.entry_id)
    )
    return matches[:limit]


def is_hit(matches: list[NameMatch], threshold: float = DEFAULT_THRESHOLD) -> bool:
    return any(match.score >= threshold for match in matches)
