"""Checkpoint: offline-first screening client for the desk at a border crossing point."""

__version__ = "0.1.0"
