"""``python -m wasmport``: the same as the ``wasmport`` command."""

import sys

from .cli.main import main

sys.exit(main())
