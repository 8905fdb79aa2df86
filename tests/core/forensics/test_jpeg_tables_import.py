"""The quantisation-table check runs with the other import-time signals of a PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewer.core.forensics.pdf import pdf_signals
from tests.core.forensics.test_jpeg_ela import scan_pages

if TYPE_CHECKING:
    from pathlib import Path


def test_the_import_time_signals_include_the_table_check(tmp_path: Path) -> None:
    pdf = scan_pages(tmp_path / "mixed.pdf", [80, 60, 80])
    [signal] = [s for s in pdf_signals(pdf) if s.code == "pdf.jpeg_tables_differ"]
    assert signal.page == 1
    assert signal.value["quality"] == 60
