"""What the fork server imports once, so that workers forked from it start with everything loaded.

Imported only by the fork server (``processes.PRELOAD``): PyMuPDF configured, and the module of
every job in the registry. Importing it anywhere else would load PyMuPDF there.
"""

from __future__ import annotations

import contextlib
import importlib

from reviewer.core.workers.registry import INITIALISER, load, modules

for _module in modules():
    with contextlib.suppress(ImportError):  # a worker importing it again says what is missing
        importlib.import_module(_module)
load(INITIALISER)()
