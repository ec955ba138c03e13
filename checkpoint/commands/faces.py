"""`checkpoint faces`: compare two faces, verify a list of pairs, encode faces to templates.

The officer's 1:1 question ("is this the same person?") and the administrator's checks of
the face engine, from the command line. The models load once per command; each pair or image
gives one result, and bad input (no face, not an image) gives an "inconclusive" result with
its reason rather than stopping the run.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any, TextIO

from checkpoint.commands import CommandContext
from checkpoint.documents.image import load_image
from checkpoint.errors import ImageError
from checkpoint.faces.calibration import VERIFY_THRESHOLD, Calibration
from checkpoint.faces.detect import DetectOptions
from checkpoint.faces.read import FaceReader, face_to_json
from checkpoint.faces.verify import INCONCLUSIVE, Side, Verification, Verifier


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "faces",
        help="compare faces (1:1) and compute face templates",
        description="Compare faces one to one, verify lists of pairs, and encode faces.",
    )
    actions = parser.add_subparsers(dest="faces_command", metavar="ACTION", required=True)

    compare = actions.add_parser("compare", help="is the face in A the face in B?")
    compare.add_argument("a", type=Path, metavar="A", help="first image (e.g. the portrait)")
    compare.add_argument("b", type=Path, metavar="B", help="second image (e.g. the live face)")
    compare.add_argument("--json", action="store_true", help="print one JSON object")
    _threshold_option(compare)
    compare.set_defaults(func=run_compare)

    verify = actions.add_parser("verify", help="compare every pair listed in a CSV file")
    verify.add_argument(
        "--pairs",
        type=Path,
        required=True,
        metavar="PAIRS.csv",
        help="CSV with columns a,b (image paths relative to the CSV) and optionally same",
    )
    verify.add_argument("--json", action="store_true", help="one JSON object per pair and line")
    _threshold_option(verify)
    verify.set_defaults(func=run_verify)

    encode = actions.add_parser("encode", help="find faces and print their templates")
    encode.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="image files")
    encode.add_argument("--json", action="store_true", help="one JSON object per image and line")
    encode.set_defaults(func=run_encode)


def _threshold_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--threshold",
        type=_distance,
        default=VERIFY_THRESHOLD,
        metavar="D",
        help=f"match at or below this template distance (default {VERIFY_THRESHOLD})",
    )


def _distance(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value < 2.0:
        raise argparse.ArgumentTypeError("give a distance between 0 and 2, e.g. 0.55")
    return value


def run_compare(args: argparse.Namespace, ctx: CommandContext) -> int:
    verifier = Verifier(threshold=args.threshold)
    result = verifier.verify_sides(verifier.side_from_file(args.a), verifier.side_from_file(args.b))
    _emit(ctx.stdout, result, as_json=args.json)
    if result.decision == INCONCLUSIVE:
        ctx.error(f"no comparison: {'; '.join(_blocking(result))}.")
        return 1
    return 0


def run_verify(args: argparse.Namespace, ctx: CommandContext) -> int:
    pairs = _read_pairs(args.pairs, ctx)
    if pairs is None:
        return 2
    verifier = Verifier(threshold=args.threshold)
    base = args.pairs.resolve().parent
    cache: dict[Path, Side] = {}
    errors = labelled = inconclusive = 0
    distances: list[float] = []
    labels: list[bool] = []
    for a, b, same in pairs:
        sides = []
        for name in (a, b):
            path = base / name
            if path not in cache:
                cache[path] = verifier.side_from_file(path, name)
            sides.append(cache[path])
        result = verifier.verify_sides(sides[0], sides[1])
        _emit(ctx.stdout, result, as_json=args.json, expected=same)
        if result.decision == INCONCLUSIVE:
            inconclusive += 1
        elif same is not None and result.comparison is not None:
            labelled += 1
            errors += int((result.decision == "match") != same)
            distances.append(result.comparison.distance)
            labels.append(same)
    if labelled:
        summary = f"{labelled - errors} of {labelled} labelled pairs decided correctly"
        if inconclusive:
            summary += f"; {inconclusive} pairs inconclusive"
        print(summary, file=ctx.stderr)
    if sum(labels) >= 2 and len(labels) - sum(labels) >= 2:
        fitted = Calibration.fit(distances, labels)
        print(
            f"calibration on these pairs: same {fitted.genuine_mean:.3f} ± "
            f"{fitted.genuine_std:.3f}, different {fitted.impostor_mean:.3f} ± "
            f"{fitted.impostor_std:.3f}; at {args.threshold}: expected false match rate "
            f"{fitted.false_match_rate(args.threshold):.1e}, false non-match rate "
            f"{fitted.false_non_match_rate(args.threshold):.1e}",
            file=ctx.stderr,
        )
    return 0


def run_encode(args: argparse.Namespace, ctx: CommandContext) -> int:
    reader = FaceReader(detect=DetectOptions(exhaustive=True))
    failures = 0
    for path in args.paths:
        try:
            image = load_image(path)
        except ImageError as exc:
            ctx.error(str(exc))
            if args.json:
                print(json.dumps({"image": str(path), "error": str(exc)}), file=ctx.stdout)
            failures += 1
            continue
        faces = reader.read(image)
        if args.json:
            record = {
                "image": str(path),
                "model": {
                    "name": reader.models.model_id.name,
                    "version": reader.models.model_id.version,
                },
                "faces": [face_to_json(f, include_template=True) for f in faces],
            }
            if not faces:
                record["problem"] = "no face found"
            print(json.dumps(record), file=ctx.stdout)
        else:
            print(f"{path}: {_count(len(faces))}", file=ctx.stdout)
            for face in faces:
                box = face.box
                role = "subject" if face.subject else "other"
                problems = "; ".join(face.quality.problems) or "quality good"
                print(
                    f"  {role} at {box.left},{box.top} {box.width}x{box.height}: {problems}",
                    file=ctx.stdout,
                )
        ctx.stdout.flush()
    return 1 if failures else 0


def _count(n: int) -> str:
    return "no face found" if n == 0 else f"{n} face" + ("s" if n > 1 else "")


def _read_pairs(path: Path, ctx: CommandContext) -> list[tuple[str, str, bool | None]] | None:
    try:
        with path.open(newline="", encoding="utf-8-sig") as stream:
            rows = list(csv.DictReader(stream))
    except OSError as exc:
        ctx.error(f"{path} cannot be read ({exc.strerror}): check the path.")
        return None
    except (csv.Error, UnicodeDecodeError):
        ctx.error(f"{path} is not a CSV file: give columns a,b with one pair per line.")
        return None
    if not rows or not {"a", "b"} <= set(rows[0]):
        ctx.error(f"{path} needs a header with columns a and b: one pair of images per line.")
        return None
    pairs = []
    for row in rows:
        a, b = (row.get("a") or "").strip(), (row.get("b") or "").strip()
        if not a or not b:
            continue
        pairs.append((a, b, _label(row.get("same"))))
    return pairs


def _label(value: str | None) -> bool | None:
    text = (value or "").strip().lower()
    if text in {"1", "true", "yes", "same"}:
        return True
    if text in {"0", "false", "no", "different"}:
        return False
    return None


def _blocking(result: Verification) -> list[str]:
    return [s.problem_sentence for s in (result.a, result.b) if s.problem]


def verification_json(result: Verification, expected: bool | None = None) -> dict[str, Any]:
    """The JSON form of a 1:1 result, as printed by `compare --json` and `verify --json`."""
    comparison = result.comparison
    data: dict[str, Any] = {
        "a": result.a.name,
        "b": result.b.name,
        "decision": result.decision,
        "distance": None if comparison is None else round(comparison.distance, 4),
        "threshold": None if comparison is None else comparison.threshold,
        "probability_same": None if comparison is None else round(comparison.probability_same, 4),
        "confidence": None if comparison is None else round(comparison.confidence, 4),
    }
    for key, side in (("face_a", result.a), ("face_b", result.b)):
        data[key] = {
            "faces_found": side.faces_found,
            "problem": side.problem,
            "face": None if side.face is None else face_to_json(side.face),
        }
    data["notes"] = list(result.notes)
    if expected is not None:
        data["expected"] = "match" if expected else "no match"
        data["correct"] = None if comparison is None else (result.decision == "match") == expected
    return data


def _emit(
    stream: TextIO, result: Verification, *, as_json: bool, expected: bool | None = None
) -> None:
    if as_json:
        print(json.dumps(verification_json(result, expected)), file=stream)
    else:
        print(_plain(result, expected), file=stream)
    stream.flush()


def _plain(result: Verification, expected: bool | None) -> str:
    head = f"{result.a.name} vs {result.b.name}: {result.decision}"
    comparison = result.comparison
    if comparison is not None:
        head += (
            f" (distance {comparison.distance:.3f}, threshold {comparison.threshold:.2f},"
            f" confidence {min(comparison.confidence, 0.999):.1%})"
        )
    if expected is not None and comparison is not None:
        right = (result.decision == "match") == expected
        head += "" if right else f" — WRONG, expected {'match' if expected else 'no match'}"
    lines = [head]
    for side in (result.a, result.b):
        if side.face is not None:
            q = side.face.quality
            lines.append(
                f"  {side.name}: quality {q.score:.2f}, {q.inter_eye_px:.0f} px between the eyes"
            )
    lines.extend(f"  note: {note}" for note in result.notes)
    return "\n".join(lines)
