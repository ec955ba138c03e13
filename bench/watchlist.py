"""Watchlist benchmark: bundles at scale, delta import, name screening speed and accuracy.

    uv run python bench/watchlist.py [--persons 1000000] [--queries 1000] [--data ../shared/data]

1. Build a signed full bundle of N synthetic persons, each with a 128-d face template; verify
   and import it into a fresh database: seconds and sizes.
2. A delta of 10,000 changes (4,000 changed, 4,000 new, 2,000 deleted): build and import.
3. Name screening over the N persons' names (index loaded from the database): p50/p95 ms per
   query on one core, beside a brute-force rapidfuzz scan (token_set_ratio over every name).
4. Accuracy on the UN consolidated list (then the OFAC SDN individuals): recall on generated
   variants of every listed person (typos, reordered names, a missing name, an alias, the
   original-script name) and the false-hit rate on 10,000 generated people who are not listed.
The process is pinned to one core. Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from rapidfuzz import fuzz, process

from checkpoint.storage import open_database, wal_checkpoint
from checkpoint.watchlist.bundle import build_bundle, verify_bundle
from checkpoint.watchlist.index import IndexedPerson, NameIndex
from checkpoint.watchlist.keys import TrustedKey, key_id
from checkpoint.watchlist.model import BirthDate, Person
from checkpoint.watchlist.names import name_tokens
from checkpoint.watchlist.screen import DEFAULT_THRESHOLD, PersonQuery, screen_person
from checkpoint.watchlist.sources import read_ofac, read_un_xml
from checkpoint.watchlist.store import import_bundle, load_index
from checkpoint.watchlist.synthetic import NATIONALITIES, NameGenerator, synthetic_persons

REPO = Path(__file__).resolve().parent.parent


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def mb(path: Path) -> float:
    return path.stat().st_size / 1e6


def typo(rng: random.Random, name: str) -> str:
    tokens = name.split()
    long = [i for i, t in enumerate(tokens) if len(t) >= 4] or list(range(len(tokens)))
    i = rng.choice(long)
    token = tokens[i]
    p = rng.randrange(len(token))
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    edit = rng.choice(("sub", "del", "ins", "swap"))
    if edit == "sub":
        token = token[:p] + letter + token[p + 1 :]
    elif edit == "del" and len(token) > 3:
        token = token[:p] + token[p + 1 :]
    elif edit == "ins":
        token = token[:p] + letter + token[p:]
    elif p < len(token) - 1:
        token = token[:p] + token[p + 1] + token[p] + token[p + 2 :]
    tokens[i] = token
    return " ".join(tokens)


def traveller_birth(rng: random.Random, listed: tuple[BirthDate, ...]) -> str | None:
    """The full birth date a traveller's passport would show, consistent with the listing."""
    if not listed:
        return None
    birth = rng.choice(listed)
    year = rng.randint(birth.year_from, birth.year_to)
    month = birth.month or rng.randint(1, 12)
    day = birth.day or rng.randint(1, 28)
    return f"{year:04d}-{month:02d}-{day:02d}"


def variants(rng: random.Random, person: Person) -> Iterator[tuple[str, str]]:
    """(kind, name) variants of a listed person as a traveller might present."""
    primary = person.primary_name
    yield "typo", typo(rng, primary)
    tokens = primary.split()
    if len(set(tokens)) > 1:
        shuffled = tokens[:]
        while shuffled == tokens:
            rng.shuffle(shuffled)
        yield "reordered", " ".join(shuffled)
    if len(tokens) >= 3:
        dropped = tokens[:]
        del dropped[rng.randrange(1, len(dropped) - 1)]  # a middle name, as passports omit
        yield "missing name", " ".join(dropped)
    aliases = [n.name for n in person.names if n.quality == "good"]
    if aliases:
        yield "alias + typo", typo(rng, rng.choice(aliases))
    originals = [n.name for n in person.names if n.quality == "original"]
    if originals:
        yield "original script", originals[0]


def indexed(person: Person, list_id: str) -> IndexedPerson:
    return IndexedPerson(
        list_id,
        person.entry_id,
        tuple((n.name, n.quality) for n in person.names),
        person.birth_dates,
        person.nationalities,
        person.sex,
    )


def section_scale(
    count: int, work: Path, key: Ed25519PrivateKey, trusted: dict[str, TrustedKey]
) -> Path:
    print(f"\n## 1-2. Bundles at scale: {count:,} synthetic persons with {count:,} face templates")
    bundle = work / "full.zip"
    seconds, _ = timed(
        lambda: build_bundle(
            bundle,
            key=key,
            list_id="SYN",
            version=1,
            persons=synthetic_persons(count, templates=True),
            valid_for=timedelta(days=30),
        )
    )
    rows = [("build full bundle", f"{seconds:.1f} s", f"{mb(bundle):.0f} MB bundle")]
    db_path = work / "station.db"
    db = open_database(db_path)
    verify_s, content = timed(lambda: verify_bundle(bundle, trusted))
    import_s, _ = timed(lambda: import_bundle(db, content, signer_name="bench"))
    wal_checkpoint(db)
    rows.append(("verify full bundle", f"{verify_s:.1f} s", "signature, hashes, records"))
    rows.append(("import full bundle", f"{import_s:.1f} s", f"{mb(db_path):.0f} MB database"))
    # The delta: 4,000 changed, 4,000 new, 2,000 deleted.
    base = synthetic_persons(10_000, templates=True)
    changed = [replace(p, birth_dates=(BirthDate(1999, 1999),)) for p in list(base)[:4000]]
    new = list(synthetic_persons(4000, seed=99, templates=True, id_prefix="N"))
    deleted = [f"S{n:07d}" for n in range(4000, 6000)]
    delta = work / "delta.zip"
    seconds, _ = timed(
        lambda: build_bundle(
            delta,
            key=key,
            list_id="SYN",
            version=2,
            base_version=1,
            persons=[*changed, *new],
            deleted_persons=deleted,
        )
    )
    rows.append(("build 10k delta", f"{seconds:.2f} s", f"{mb(delta):.1f} MB bundle"))
    seconds, _ = timed(
        lambda: import_bundle(db, verify_bundle(delta, trusted), signer_name="bench")
    )
    rows.append(("verify + import 10k delta", f"{seconds:.2f} s", "one transaction"))
    db.conn.close()
    table(("step", "time", "size / note"), rows)
    return db_path


def section_speed(db_path: Path, queries: int) -> None:
    db = open_database(db_path)
    seconds, index = timed(lambda: load_index(db))
    print(f"\n## 3. Name screening over {len(index):,} names ({len(index.persons):,} persons)")
    print(f"index loaded from the database and built in {seconds:.1f} s")
    print(f"load average at start: {os.getloadavg()[0]:.1f} (wall times include other work)")
    rng = random.Random(5)
    fresh = NameGenerator(seed=12345)
    chosen = rng.sample(index.persons, queries // 2)
    batch = [PersonQuery.of(typo(rng, p.names[0][0]), None) for p in chosen]
    batch += [PersonQuery.of(fresh.name()[0]) for _ in range(queries - len(batch))]
    rng.shuffle(batch)
    for query in batch[:20]:
        screen_person(index, query)  # warm caches
    times, cpu_times = [], []
    for query in batch:
        start, cpu_start = time.perf_counter(), time.process_time()
        screen_person(index, query)
        cpu_times.append((time.process_time() - cpu_start) * 1000)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    cpu_times.sort()
    p50, p95 = times[len(times) // 2], times[int(len(times) * 0.95)]
    cpu50, cpu95 = cpu_times[len(times) // 2], cpu_times[int(len(times) * 0.95)]
    names = index.name_text
    brute = []
    for query in batch[:10]:
        start = time.perf_counter()
        process.extract(query.name, names, scorer=fuzz.token_set_ratio, limit=10)
        brute.append((time.perf_counter() - start) * 1000)
    brute_ms = statistics.median(brute)
    table(
        ("method", "p50 ms", "p95 ms", "queries"),
        [
            ("Checkpoint index + scoring (wall)", f"{p50:.2f}", f"{p95:.2f}", f"{len(batch)}"),
            ("Checkpoint index + scoring (CPU)", f"{cpu50:.2f}", f"{cpu95:.2f}", f"{len(batch)}"),
            ("rapidfuzz token_set_ratio scan", f"{brute_ms:.0f}", "-", "10 (median)"),
            ("ratio (scan / index, p50)", f"{brute_ms / p50:.0f}x", "", ""),
        ],
    )
    db.conn.close()


def section_accuracy(data: Path, negatives: int, which: str) -> None:
    folder = data / "watchlists"
    if not (folder / "UN_consolidated.xml").exists():
        print(f"\n## 4. Accuracy: skipped ({folder} not found)")
        return
    if which == "UN":
        listed = read_un_xml(folder / "UN_consolidated.xml").persons
    else:
        listed = read_ofac(folder / "sdn.csv", folder / "alt.csv").persons
    index = NameIndex(indexed(p, which) for p in listed)
    rng = random.Random(7)
    print(f"\n## 4. Accuracy on the {which} list ({len(listed)} persons, {len(index)} names)")
    print(
        f"hit threshold {DEFAULT_THRESHOLD}; travellers carry the listed birth date and nationality"
    )
    per_kind: dict[str, list[int]] = {}
    misses: list[str] = []
    for person in listed:
        for kind, name in variants(rng, person):
            query = PersonQuery.of(
                name,
                traveller_birth(rng, person.birth_dates),
                person.nationalities[0] if person.nationalities else rng.choice(NATIONALITIES),
                person.sex,
            )
            matches = screen_person(index, query)
            hit = any(
                m.entry_id == person.entry_id and m.score >= DEFAULT_THRESHOLD for m in matches
            )
            per_kind.setdefault(kind, []).append(hit)
            if not hit and len(misses) < 12:
                best = next((m for m in matches if m.entry_id == person.entry_id), None)
                misses.append(
                    f"  miss ({kind}): {name!r} for {person.primary_name!r}: "
                    + (best.explain() if best else "not a candidate")
                )
    # Non-listed people: names from the same styles plus tokens of listed names recombined,
    # random birth dates, nationalities and sexes.
    generator = NameGenerator(seed=2024)
    given = [name_tokens(p.primary_name)[0] for p in listed if name_tokens(p.primary_name)]
    family = [
        name_tokens(p.primary_name)[-1] for p in listed if len(name_tokens(p.primary_name)) > 1
    ]
    false_hits = 0
    examples: list[str] = []
    for number in range(negatives):
        if number % 2:
            name = generator.name()[0]
        else:
            name = f"{rng.choice(given)} {rng.choice(given)} {rng.choice(family)}"
            if rng.random() < 0.5:
                name = f"{rng.choice(given)} {rng.choice(family)}"
        query = PersonQuery.of(
            name,
            f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            rng.choice(NATIONALITIES),
            rng.choice("MF"),
        )
        matches = [m for m in screen_person(index, query) if m.score >= DEFAULT_THRESHOLD]
        if matches:
            false_hits += 1
            if len(examples) < 5:
                examples.append(
                    f"  false hit: {name!r} -> {matches[0].primary_name!r}: {matches[0].explain()}"
                )
    total = [hit for hits in per_kind.values() for hit in hits]
    rows = [(kind, f"{sum(h) / len(h):.1%}", f"{len(h)}") for kind, h in per_kind.items()]
    rows.append(("all variants (recall)", f"{sum(total) / len(total):.2%}", f"{len(total)}"))
    rows.append(("non-listed people (false hits)", f"{false_hits / negatives:.2%}", f"{negatives}"))
    table(("traveller", "rate", "queries"), rows)
    for line in misses + examples:
        print(line)


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--negatives", type=int, default=10_000)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--only", choices=("scale", "accuracy"), help="run one part")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})
    key = Ed25519PrivateKey.generate()
    public = key.public_key()
    trusted = {key_id(public): TrustedKey(key_id(public), "bench", public)}
    with tempfile.TemporaryDirectory(dir=args.work) as scratch:
        if args.only != "accuracy":
            db_path = section_scale(args.persons, Path(scratch), key, trusted)
            section_speed(db_path, args.queries)
        if args.only != "scale":
            section_accuracy(args.data, args.negatives, "UN")
            section_accuracy(args.data, args.negatives, "OFAC")


if __name__ == "__main__":
    main()
