"""The first-run wizard (Qt): from an empty home to the demo, or to a set-up station.

Keyboard first: Enter tries the demo on the first page and moves on from every other page;
every field has a mnemonic. The set-up itself is `checkpoint.firstrun`, run off the GUI thread.
"""

from checkpoint.ui.wizard.wizard import FirstRunWizard

__all__ = ["FirstRunWizard"]
