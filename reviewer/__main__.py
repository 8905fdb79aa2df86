"""Run reviewer with ``python -m reviewer``."""

import sys

from reviewer.cli import main

if __name__ == "__main__":  # a spawned worker imports the main module again: it must not run the CLI
    sys.exit(main())
