"""``python -m pii_scanners``: see pii_scanners.cli."""

import sys

from pii_scanners.cli import main

sys.exit(main())
