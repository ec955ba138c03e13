"""`checkpoint scan`: read documents from image files, folders or the built-in demo.

Prints what was found per image, readably or as one JSON object per line (the schema is in
the README). A file that cannot be read gets one line on stderr and makes the exit code
non-zero; the other files are still scanned. Every image is also screened against the
installed watchlists (`"screening"`); new hits are recorded and queued for HQ.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from checkpoint.accounts import Permission
from checkpoint.commands import CommandContext, SubParsers
from checkpoint.commands.session import station_session
from checkpoint.documents.barcodes import (
    barcode_lines,
    barcode_to_json,
    cross_check_lines,
    cross_check_to_json,
)
from checkpoint.documents.image import IMAGE_SUFFIXES, Image, load_image
from checkpoint.documents.mrz.jsonify import mrz_to_json
from checkpoint.documents.read import DocumentRead
from checkpoint.documents.synth import demo_specimens, photograph
from checkpoint.errors import CheckpointError, ImageError
from checkpoint.faces.read import FaceRead, face_to_json
from checkpoint.hits.desk import Desk, Processed, default_officer, open_desk
from checkpoint.screening.jsonify import screening_lines, screening_to_json
from checkpoint.screening.model import Capture


@dataclass(frozen=True)
class Source:
    """One image to scan: where it came from, and how to get its pixels."""

    name: str
    path: Path | None = None
    image: Image | None = None

    def load(self) -> Image:
        if self.image is not None:
            return self.image
        assert self.path is not None
        return load_image(self.path)


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "scan",
        help="read travel documents from images",
        description="Read the MRZ and barcodes of travel documents in image files or folders.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="image file or folder")
    parser.add_argument("--json", action="store_true", help="one JSON object per image and line")
    parser.add_argument("--demo", action="store_true", help="scan the built-in demo documents")
    parser.add_argument("--officer", help="the officer at the desk (default: the login name)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    if not args.paths and not args.demo:
        ctx.error("name at least one image or folder to scan, or use --demo.")
        return 2
    # Every image is screened against the installed lists; new hits are recorded and queued.
    session = station_session(ctx, Permission.SCREEN)
    if session.is_demo:
        officer = args.officer or default_officer()
    elif args.officer in (None, session.principal.username):
        officer = session.principal.username
    else:
        raise CheckpointError("--officer must be the logged-in user: leave it out.")
    desk = open_desk(ctx.home, ctx.settings, officer=officer, key=session.database_key)
    try:
        return _scan(args, ctx, desk)
    finally:
        desk.close()


def _scan(args: argparse.Namespace, ctx: CommandContext, desk: Desk) -> int:
    failures = 0
    for source in _sources(args.paths, args.demo, ctx):
        if source is None:
            failures += 1
            continue
        start = time.perf_counter()
        try:
            image = source.load()
        except ImageError as exc:
            ctx.error(str(exc))
            failures += 1
            continue
        load_ms = (time.perf_counter() - start) * 1000.0
        processed: Processed = desk.process(Capture(image, source=source.name))
        result = processed.result
        read = result.document
        faces = Faces(faces=result.faces, portrait=result.portrait)
        total_ms = (time.perf_counter() - start) * 1000.0
        timings = {"load": round(load_ms, 2), **result.timings_ms, "total": round(total_ms, 2)}
        screening = {
            **screening_to_json(result),
            "recorded_hits": [hit.id for hit in processed.recorded],
        }
        if args.json:
            obj = scan_json(source.name, read, faces, timings)
            obj["screening"] = screening
            print(json.dumps(obj, ensure_ascii=False), file=ctx.stdout)
        else:
            _print_plain(ctx.stdout, source.name, read, faces, timings)
            for line in screening_lines(result):
                print(f"  {line}", file=ctx.stdout)
            if processed.recorded:
                ids = ", ".join(hit.id for hit in processed.recorded)
                print(f"  recorded {len(processed.recorded)} hit(s) for HQ: {ids}", file=ctx.stdout)
        ctx.stdout.flush()
    return 1 if failures else 0


@dataclass(frozen=True)
class Faces:
    """The faces in a scanned image and, on a document, the holder's portrait."""

    faces: tuple[FaceRead, ...]
    portrait: FaceRead | None


def scan_json(
    name: str, read: DocumentRead, faces: Faces, timings: dict[str, float]
) -> dict[str, Any]:
    """The JSON object `checkpoint scan --json` prints for one image."""
    return {
        "source": name,
        "document": mrz_to_json(read.mrz.read) if read.mrz else None,
        "barcodes": [barcode_to_json(barcode) for barcode in read.barcodes],
        "cross_checks": [cross_check_to_json(check) for check in read.cross_checks],
        "faces": [face_to_json(face) for face in faces.faces],
        "portrait": face_to_json(faces.portrait) if faces.portrait else None,
        "timings_ms": timings,
    }


def _sources(paths: list[Path], demo: bool, ctx: CommandContext) -> Iterator[Source | None]:
    if demo:
        yield from _demo_sources()
    for path in paths:
        if path.is_dir():
            images = sorted(p for p in path.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)
            if not images:
                ctx.error(f"{path} holds no images (JPEG, PNG, TIFF, ...).")
                yield None
            for image in images:
                yield Source(name=str(image), path=image)
        elif path.exists():
            yield Source(name=str(path), path=path)
        else:
            ctx.error(f"{path} does not exist: check the path.")
            yield None


def _demo_sources() -> Iterator[Source]:
    """Rendered specimens photographed at the desk camera's size, the same on every run."""
    rng = np.random.default_rng(9303)
    for number, specimen in enumerate(demo_specimens(), start=1):
        photo = photograph(specimen, rng, size=(1280, 720), degrade="mild")
        name = f"demo:{number}-{specimen.format.value}-{specimen.identity.surname}"
        yield Source(name=name, image=photo.image)


def _print_plain(
    out: TextIO, name: str, read: DocumentRead, faces: Faces, timings: dict[str, float]
) -> None:
    print(f"{name}", file=out)
    if read.mrz is None:
        print("  no MRZ found", file=out)
    else:
        mrz = read.mrz.read
        fields = mrz.fields
        if mrz.accepted:
            status = "valid"
        elif mrz.valid:
            status = "valid but UNCERTAIN: re-scan the document"
        else:
            status = "CHECK DIGITS FAIL"
        print(f"  {mrz.format.value} MRZ, {status}, confidence {mrz.confidence:.2f}", file=out)
        for line in mrz.lines:
            print(f"    {line}", file=out)
        name = ", ".join(part for part in (fields.surname, fields.given_names) if part)
        truncated = " (truncated on the document)" if fields.name_truncated else ""
        print(f"  name      {name}{truncated}", file=out)
        print(
            f"  document  {fields.document_code} {fields.document_number} ({fields.issuer})",
            file=out,
        )
        print(
            f"  born      {fields.birth_date or fields.birth_date_raw}  sex {fields.sex}", file=out
        )
        print(f"  expires   {fields.expiry_date or fields.expiry_date_raw or '-'}", file=out)
        failed = [name for name, check in mrz.checks.items() if not check.valid]
        if failed:
            print(f"  failed checks: {', '.join(failed)}", file=out)
        for correction in mrz.corrections:
            print(
                f"  corrected line {correction.line} pos {correction.position}: "
                f"{correction.was} -> {correction.now} ({correction.reason})",
                file=out,
            )
        for warning in mrz.warnings:
            print(f"  note: {warning}", file=out)
    for barcode in read.barcodes:
        for line in barcode_lines(barcode):
            print(f"  {line}", file=out)
    for line in cross_check_lines(list(read.cross_checks)):
        print(f"  {line}", file=out)
    if faces.portrait:
        print(f"  portrait  {_face_line(faces.portrait)}", file=out)
    for face in faces.faces:
        role = "subject" if face.subject else "face"
        print(f"  {role:<9} {_face_line(face)}", file=out)
    print(f"  {timings['total']:.0f} ms", file=out)


def _face_line(face: FaceRead) -> str:
    box = face.box
    quality = face.quality
    verdict = "good" if quality.passed else "poor: " + "; ".join(quality.problems)
    return f"{box.width}x{box.height} px at ({box.left}, {box.top}), quality {verdict}"
