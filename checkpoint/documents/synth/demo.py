"""The fixed specimens behind `checkpoint scan --demo`: one of every format, the same each run."""

from __future__ import annotations

from datetime import date

import numpy as np

from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.synth.identity import Identity, random_identity
from checkpoint.documents.synth.render import Specimen, render_specimen

ERIKSSON = Identity(
    surname="ERIKSSON",
    given_names="ANNA MARIA",
    document_number="L898902C3",
    nationality="UTO",
    issuer="UTO",
    birth_date=date(1974, 8, 12),
    sex="F",
    expiry_date=date(2012, 4, 15),
    document_code="P",
    optional_data="ZE184226B",
)
"""ICAO's own passport specimen (Doc 9303 part 4, appendix)."""

NOVAK = Identity(
    surname="NOVAK",
    given_names="PETRA",
    document_number="C4X7K2M91",
    nationality="CZE",
    issuer="CZE",
    birth_date=date(1988, 3, 14),
    sex="F",
    expiry_date=date(2031, 9, 30),
    document_code="P",
    optional_data="",
)
"""A traveller on no list of the demo watchlist, with a valid document: the desk's clear state."""


def demo_specimens() -> list[Specimen]:
    """Doc 9303's specimen passport, then one random holder for each format."""
    rng = np.random.default_rng(9303)
    specimens = [render_specimen(MrzFormat.TD3, ERIKSSON, rng=rng)]
    for fmt in MrzFormat:
        specimens.append(render_specimen(fmt, random_identity(rng, fmt), rng=rng))
    return specimens
