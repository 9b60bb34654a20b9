"""Sub-commands of the CLI, one module each (see :mod:`carriermap.cli`)."""
