"""Checkpoint: offline-first screening client for the desk at a border crossing point."""

import os

# Checkpoint's numeric work is many small matrix products (the glyphs of an MRZ line, one
# face query) on a desk PC whose cores are busy with the camera, the GUI and detection:
# BLAS threads spin waiting for those cores and made each product several times slower.
# One BLAS thread unless the environment says otherwise; OpenBLAS reads it when numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
