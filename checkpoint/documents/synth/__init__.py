"""Synthetic specimen documents and photographs of them, for tests, the demo and benchmarks.

`random_identity` makes holder data, `render_specimen` draws the document with its MRZ,
`photograph` puts it in front of a camera; `demo_specimens` is the fixed set the demo scans.
"""

from checkpoint.documents.synth.demo import demo_specimens
from checkpoint.documents.synth.identity import Identity, random_identity
from checkpoint.documents.synth.photo import Photo, photograph
from checkpoint.documents.synth.render import Specimen, render_specimen

__all__ = [
    "Identity",
    "Photo",
    "Specimen",
    "demo_specimens",
    "photograph",
    "random_identity",
    "render_specimen",
]
