"""What the fork server imports once, so that workers forked from it start with everything loaded.

Imported only by the fork server (``processes.PRELOAD``): PyMuPDF configured, the modules of the jobs
most work starts with (``registry.PRELOADED``), Pillow's common image plugins and the entity finders'
patterns, which the analysis and the renderer would otherwise load in every worker on its first file.
Importing it anywhere else would load PyMuPDF there.
"""

from __future__ import annotations

import contextlib
import importlib

from PIL import Image

from reviewer.core.workers.registry import INITIALISER, PRELOADED, load, modules

for _module in modules(PRELOADED):
    with contextlib.suppress(ImportError):  # a worker importing it again says what is missing
        importlib.import_module(_module)
Image.preinit()  # BMP, GIF, JPEG, PPM and PNG: thumbnails, pictures, scans' pixels
# the entity finders' patterns, compiled as they load (~50 ms): an import's analysis finds entities
importlib.import_module("reviewer.core.text.dates")
importlib.import_module("reviewer.core.text.money")
load(INITIALISER)()
