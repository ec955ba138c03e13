"""Rebuild the demo watchlist, byte for byte: `uv run python watchlists/build_demo.py`.

Writes demo/demo-persons.csv and demo/demo-alerts.csv (synthetic people from a fixed seed,
plus ICAO's fictional Utopia specimen holder, so the specimen passport in the test data
raises a hit) and signs demo/demo-list-v1.zip with the DEMO key pair in demo/. The key is
public: a real station must never trust it. Pass `--new-key` to make the demo key pair
afresh (the bundle then changes too).
"""

from __future__ import annotations

import argparse
import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

from checkpoint.watchlist.bundle import build_bundle
from checkpoint.watchlist.keys import generate_key_pair, load_private_key
from checkpoint.watchlist.sources import PERSON_COLUMNS, read_alerts_csv, read_persons_csv
from checkpoint.watchlist.synthetic import synthetic_persons

HERE = Path(__file__).resolve().parent / "demo"
KEY_PREFIX = HERE / "DEMO-ONLY-signing-key"
CREATED = datetime(2026, 1, 1, tzinfo=UTC)
VALID_FOR = timedelta(days=3653)  # a demo that keeps working; real lists live for days

SPECIMEN = {
    "entry_id": "DEMO-UTO-1",
    "name": "ERIKSSON ANNA MARIA",
    "aliases": "Anna Maria Eriksson",
    "date_of_birth": "1974-08-12",
    "nationality": "UTO",
    "sex": "F",
    "documents": "P:UTO:L898902C3",
    "category": "demo",
    "reason": "ICAO specimen holder (fictional), listed for the demonstration",
    "action": "Demo only: refer to second line.",
}
ORIGINAL_SCRIPT = {
    "entry_id": "DEMO-RUS-1",
    "name": "Ivan Sergeyevich Demonov",
    "original_script_names": "Иван Сергеевич Демонов",
    "date_of_birth": "1969",
    "nationality": "RUS",
    "sex": "M",
    "category": "demo",
    "reason": "fictional person listed in two scripts",
    "action": "Demo only: refer to second line.",
}


def write_sources() -> tuple[Path, Path]:
    persons_csv, alerts_csv = HERE / "demo-persons.csv", HERE / "demo-alerts.csv"
    with persons_csv.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=PERSON_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerow(SPECIMEN)
        writer.writerow(ORIGINAL_SCRIPT)
        for person in synthetic_persons(200, seed=2026, id_prefix="DEMO-"):
            writer.writerow(
                {
                    "entry_id": person.entry_id,
                    "name": person.primary_name,
                    "aliases": "; ".join(n.name for n in person.names[1:] if n.quality == "good"),
                    "low_quality_aliases": "; ".join(
                        n.name for n in person.names if n.quality == "low"
                    ),
                    "date_of_birth": "; ".join(str(d) for d in person.birth_dates),
                    "nationality": "; ".join(person.nationalities),
                    "sex": person.sex or "",
                    "documents": "; ".join(
                        f"{d.doc_type}:{d.issuer}:{d.number}" for d in person.documents
                    ),
                    "category": person.category,
                    "reason": person.reason,
                    "action": person.action,
                }
            )
    with alerts_csv.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(
            ["alert_id", "document_number", "issuing_country", "document_type", "reason"]
        )
        writer.writerow(["DEMO-A1", "L898902C3", "UTO", "P", "stolen (demo)"])
        writer.writerow(["DEMO-A2", "D23145890", "UTO", "I", "lost (demo)"])
        writer.writerow(["DEMO-A3", "X0000001", "UTO", "P", "revoked (demo)"])
    return persons_csv, alerts_csv


def main() -> None:
    parser = argparse.ArgumentParser(description="Rebuild the demo watchlist bundle.")
    parser.add_argument("--new-key", action="store_true", help="replace the DEMO key pair")
    args = parser.parse_args()
    HERE.mkdir(exist_ok=True)
    if args.new_key:
        for suffix in (".key", ".pub"):
            KEY_PREFIX.with_suffix(suffix).unlink(missing_ok=True)
        generate_key_pair(KEY_PREFIX)
    persons_csv, alerts_csv = write_sources()
    persons = read_persons_csv(persons_csv)
    alerts = read_alerts_csv(alerts_csv)
    if persons.rejected or alerts.rejected:
        raise SystemExit("\n".join(persons.rejected + alerts.rejected))
    out = HERE / "demo-list-v1.zip"
    manifest = build_bundle(
        out,
        key=load_private_key(KEY_PREFIX.with_suffix(".key")),
        list_id="DEMO",
        list_name="Demo list (synthetic people, DEMO key)",
        version=1,
        persons=persons.persons,
        alerts=alerts.alerts,
        created=CREATED,
        valid_for=VALID_FOR,
    )
    print(f"{out}: {manifest.counts}, expires {manifest.expires:%Y-%m-%d}")


if __name__ == "__main__":
    main()
