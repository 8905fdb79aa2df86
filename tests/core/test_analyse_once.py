"""The analysis reads each file once: its pages, thumbnails and signals from one opened document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf
import pytest
from PIL import Image

from reviewer.core.forensics.pdf import pdf_signals
from reviewer.core.ingest import analyse
from reviewer.core.ingest.tasks import AnalysisTask
from tests import filemaker


def _analyse(path: Path, staging: Path, **task: Any) -> Any:
    staging.mkdir(exist_ok=True)
    originals = staging.parent / "originals"
    originals.mkdir(exist_ok=True)
    job = AnalysisTask(source=str(path), staging_dir=str(staging), originals_dir=str(originals), **task)
    return analyse.analyse_file(job, lambda: None)


def test_a_pdf_is_opened_once_for_its_pages_and_its_signals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = filemaker.make_scanned_pdf(tmp_path / "scan.pdf", pages=2, stamp=True)
    opened: list[str] = []
    real_open = pymupdf.open

    def counting_open(*args: Any, **kwargs: Any) -> pymupdf.Document:
        opened.append(str(args[0]) if args else "")
        return real_open(*args, **kwargs)

    monkeypatch.setattr(pymupdf, "open", counting_open)
    result = _analyse(pdf, tmp_path / "staging")
    assert result.signals  # the checks ran
    assert len(opened) == 1  # the pages, thumbnails and the signals from one opened document


@pytest.mark.parametrize(
    ("name", "make", "password"),
    [
        ("text.pdf", lambda p: filemaker.make_text_pdf(p, pages=3, producer="Microsoft Word"), None),
        ("scan.pdf", lambda p: filemaker.make_scanned_pdf(p, pages=2, stamp=True), None),
        ("edited.pdf", filemaker.make_incremental_pdf, None),
        ("locked.pdf", filemaker.make_encrypted_pdf, "secret"),
    ],
)
def test_signals_from_the_open_document_are_the_signals_of_the_file(
    tmp_path: Path, name: str, make: Any, password: str | None
) -> None:
    path = make(tmp_path / name)
    alone = pdf_signals(path, password=password, received=None)
    with pymupdf.open(str(path), filetype="pdf") as doc:
        if password is not None:
            assert doc.authenticate(password)
        for page in doc:  # as the analysis leaves it: every page loaded and read
            page.get_text("words")
        shared = pdf_signals(path, password=password, received=None, document=doc)
        assert not doc.is_closed  # the caller's to close
    assert [s.as_dict() for s in shared] == [s.as_dict() for s in alone]


def test_thumbnails_are_the_pixels_mupdf_drew(tmp_path: Path) -> None:
    pdf = filemaker.make_text_pdf(tmp_path / "note.pdf", pages=2)
    rotated = filemaker.make_rotated_pdf(tmp_path / "turned.pdf")
    for path in (pdf, rotated):
        result = _analyse(path, tmp_path / f"staging-{path.stem}")
        with pymupdf.open(str(path)) as doc:
            for page in doc:
                scale = 200 / max(page.rect.width, page.rect.height)
                drawn = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
                with Image.open(Path(result.thumbnails_dir) / f"thumb-{page.number + 1:05d}.png") as png:
                    assert png.format == "PNG"
                    assert png.size == (drawn.width, drawn.height)
                    assert png.convert("RGB").tobytes() == drawn.samples
