"""The PySide6 desktop interface: the only package of Checkpoint that imports Qt."""
