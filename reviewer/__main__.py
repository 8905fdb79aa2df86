"""Run reviewer with ``python -m reviewer``."""

import sys

from reviewer.cli import run

if __name__ == "__main__":  # a spawned worker imports the main module again: it must not run the CLI
    sys.exit(run())
