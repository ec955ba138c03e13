"""Watchlists: the model, sources, signed bundles, the local store and name/document screening."""
