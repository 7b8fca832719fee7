"""``python -m pubkit``: the same command line as the ``pubkit`` script."""

import sys

from .cli import main

sys.exit(main())
