"""The exceptions MuPDF raises for malformed files, in one place.

PyMuPDF raises its own ``FileDataError`` (a RuntimeError) from its high-level calls, but errors from the
low-level bindings (``FzErrorFormat`` and kin) derive only from ``Exception``.
"""

from __future__ import annotations

import pymupdf

MUPDF_ERRORS: tuple[type[Exception], ...] = (
    RuntimeError,
    ValueError,
    TypeError,
    IndexError,
    KeyError,
    AttributeError,
    OverflowError,
    MemoryError,
    pymupdf.mupdf.FzErrorBase,
)
