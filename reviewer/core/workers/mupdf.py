"""How every worker sets up PyMuPDF, once, before its first job.

MuPDF prints each damaged object it meets to stderr: in a worker that is noise on the caller's
terminal (and a hostile file can make a lot of it), and the job reports what matters in plain words.
"""

from __future__ import annotations


def configure() -> None:
    """Silence MuPDF's own error and warning output in this process."""
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
