"""Entry point of the frozen (PyInstaller) reviewer: the ``reviewer`` console script, frozen.

``freeze_support()`` must run first: the frozen executable is also what multiprocessing starts for its
helper processes (spawn children, the forkserver, the resource tracker), and it is what turns such a
start into that helper instead of a second copy of the app. PyInstaller's runtime hook extends it to
the forkserver and resource-tracker command lines.
"""

import multiprocessing

multiprocessing.freeze_support()

from reviewer.cli import run  # noqa: E402  (after freeze_support, on purpose)

raise SystemExit(run())
