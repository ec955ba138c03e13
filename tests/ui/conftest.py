"""Fixtures of the desk window tests."""

from __future__ import annotations

import pytest

from checkpoint.documents.read import DocumentReader
from checkpoint.faces.models import default_models
from checkpoint.faces.read import FaceReader


@pytest.fixture(scope="module")
def readers() -> tuple[DocumentReader, FaceReader]:
    """The document and face readers, loaded once per test module."""
    return DocumentReader(), FaceReader(default_models())
