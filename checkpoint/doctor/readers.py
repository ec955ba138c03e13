"""The readers' libraries and models: ZBar, dlib's face networks, the OCR-B model.

Each is loaded for real, as the desk would at start, so a file that is present but damaged
is found here rather than at the first traveller.
"""

from __future__ import annotations

from checkpoint.doctor.model import Check, Station, fail, ok, warn

REINSTALL = "reinstall Checkpoint (or `uv sync` in a source checkout)."


def libzbar(station: Station) -> Check:
    from checkpoint.documents.barcodes.decode import zbar_available  # noqa: PLC0415

    name = "ZBar (libzbar)"
    if zbar_available():
        return ok(name, "pyzbar loads libzbar: the 1-D and QR fallback reader is on")
    return warn(
        name,
        "pyzbar cannot load libzbar: damaged 1-D and QR codes are read by zxing-cpp alone",
        "install libzbar0 (`apt-get install libzbar0`).",
    )


def face_models(station: Station) -> Check:
    name = "Face models"
    try:
        from checkpoint.faces.models import FaceModels  # noqa: PLC0415

        models = FaceModels()
    except (ImportError, OSError, RuntimeError) as exc:
        return fail(
            name,
            f"dlib's face networks cannot be loaded ({type(exc).__name__}: {exc})",
            f"faces are not compared until they load: {REINSTALL}",
        )
    return ok(name, f"detector, landmarks and encoder load ({models.model_id.version})")


def ocr_model(station: Station) -> Check:
    from checkpoint.documents.mrz.ocr import DEFAULT_MODEL, OcrbRecognizer  # noqa: PLC0415
    from checkpoint.errors import CheckpointError  # noqa: PLC0415

    name = "OCR-B model"
    try:
        OcrbRecognizer.load()
    except CheckpointError as exc:
        return fail(
            name, str(exc).rstrip("."), f"the MRZ cannot be read until it loads: {REINSTALL}"
        )
    return ok(name, f"{DEFAULT_MODEL.name} loads")
