"""Every odd PDF of the pdf.js corpus: the signals come back as a list, nothing escapes."""

from __future__ import annotations

import json

import pymupdf
import pytest

from reviewer.core.forensics.pdf import pdf_signals
from reviewer.core.forensics.revisions import read_revisions
from reviewer.core.forensics.signals import Signal
from tests.conftest import CORPUS


@pytest.mark.slow
def test_signals_of_every_pdfjs_corpus_file() -> None:
    files = sorted(p for p in CORPUS.iterdir() if p.is_file() and p.name != "SOURCE.md")
    assert len(files) >= 485, f"the pdf.js corpus is expected at {CORPUS}"
    shown = pymupdf.TOOLS.mupdf_display_errors()
    pymupdf.TOOLS.mupdf_display_errors(False)
    try:
        for path in files:
            signals = pdf_signals(path, password="")
            assert isinstance(signals, list), path.name
            assert all(isinstance(s, Signal) for s in signals), path.name
            json.dumps([s.as_dict() for s in signals])
            assert all("\n" not in s.title for s in signals), path.name
            read_revisions(path)
    finally:
        pymupdf.TOOLS.mupdf_display_errors(shown)
