"""`python -m checkpoint` runs the command line."""

import sys

from checkpoint.cli import main

sys.exit(main())
