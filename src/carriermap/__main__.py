"""Entry point for ``python -m carriermap``."""

from carriermap.cli import main

raise SystemExit(main())
