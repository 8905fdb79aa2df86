"""reviewer import says when a file arrived damaged (issue 11): a line in the text, a list in --json."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from reviewer.cli import main
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def test_a_truncated_pdf_is_imported_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = tmp_path / "case"
    note = filemaker.make_truncated_pdf(tmp_path / "note.pdf", keep_bytes=50_000)
    sound = filemaker.make_text_pdf(tmp_path / "sound.pdf")
    assert main(["init", str(case)]) == 0
    capsys.readouterr()
    assert main(["import", str(case), str(note), "--ocr", "never"]) == 0  # kept: it is what was received
    out = capsys.readouterr().out
    warning = next(line for line in out.splitlines() if line.startswith("warning"))
    assert warning.startswith("warning   note.pdf: damaged: MuPDF had to repair it (")
    assert warning.endswith("; 3 pages, pages 2, 3 have no content")
    assert main(["import", str(case), str(sound), "--ocr", "never", "--json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)["imported"]
    assert item["warnings"] == []


def test_import_json_lists_the_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case"
    note = filemaker.make_truncated_pdf(tmp_path / "note.pdf", keep_bytes=50_000)
    assert main(["init", str(case)]) == 0
    capsys.readouterr()
    assert main(["import", str(case), str(note), "--ocr", "never", "--json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)["imported"]
    (warning,) = item["warnings"]
    assert "pages 2, 3 have no content" in warning
    assert main(["forensics", str(case), str(item["id"]), "--json"]) == 0
    codes = {s["code"] for s in json.loads(capsys.readouterr().out)["signals"]}
    assert "pdf.data_after_end" not in codes  # the whole file was said to be "after the end"
    assert "pdf.no_end" in codes
