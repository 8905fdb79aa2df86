"""``python -m reviewer.cli``: the same command line as ``reviewer``."""

import sys

from reviewer.cli import run

if __name__ == "__main__":
    sys.exit(run())
