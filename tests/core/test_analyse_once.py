"""The analysis reads each file once: its pages, thumbnails and signals from one opened document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
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


def test_thumbnails_are_the_pages_mupdf_drew_as_jpeg(tmp_path: Path) -> None:
    pdf = filemaker.make_text_pdf(tmp_path / "note.pdf", pages=2)
    rotated = filemaker.make_rotated_pdf(tmp_path / "turned.pdf")
    for path in (pdf, rotated):
        result = _analyse(path, tmp_path / f"staging-{path.stem}")
        with pymupdf.open(str(path)) as doc:
            for page in doc:
                scale = 200 / max(page.rect.width, page.rect.height)
                drawn = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
                name = analyse.thumbnail_name(page.number + 1)
                assert name == f"thumb-{page.number + 1:05d}.jpg"
                with Image.open(Path(result.thumbnails_dir) / name) as jpeg:
                    assert jpeg.format == "JPEG"
                    assert jpeg.size == (drawn.width, drawn.height)
                    got = np.asarray(jpeg.convert("RGB"), dtype=np.int16)
                want = np.frombuffer(drawn.samples, np.uint8).reshape(got.shape).astype(np.int16)
                assert float(np.abs(got - want).mean()) < 3.0  # lossy, but the same page


def test_a_pages_hash_is_the_same_from_the_import_and_from_its_thumbnail_drawn_again(tmp_path: Path) -> None:
    scan = filemaker.make_scanned_pdf(tmp_path / "scan.pdf", pages=2, stamp=True)
    result = _analyse(scan, tmp_path / "staging")
    with pymupdf.open(str(scan)) as doc:
        for page, info in zip(doc, result.pages, strict=True):
            scale = 200 / max(page.rect.width, page.rect.height)
            again = analyse.thumbnail_phash(page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False))
            assert info.phash is not None
            assert again == info.phash  # what forensic_work recomputes for an original imported earlier


def _image_beyond_the_edge(path: Path) -> Path:
    """A 1000x500-pixel picture drawn 500 pt wide with half of it off the page's left edge."""
    picture = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 1000, 500), 0)
    picture.clear_with(200)
    with pymupdf.open() as doc:
        page = doc.new_page(width=595, height=842)
        page.insert_image(pymupdf.Rect(-250, 100, 250, 350), pixmap=picture)
        page.insert_text((72, 500), "Typed text beside a picture cut by the edge of the page.")
        doc.save(str(path))
    return path


@pytest.mark.parametrize(
    "make",
    [
        lambda p: filemaker.make_scanned_pdf(p, pages=2, stamp=True),  # a scan with a stamp laid on it
        lambda p: filemaker.make_text_pdf(p, pages=3, producer="Microsoft Word"),
        _image_beyond_the_edge,
    ],
)
def test_the_imports_signals_are_those_of_the_file_checked_on_its_own(tmp_path: Path, make: Any) -> None:
    """The import reads images' placements with the text (one interpretation of each page); the page
    images and JPEG tables checks then find what they find reading the file alone."""
    path = make(tmp_path / "file.pdf")
    result = _analyse(path, tmp_path / "staging")
    alone = [s.as_dict() for s in pdf_signals(path, received=None)]
    assert list(result.signals) == alone


def test_a_picture_cut_by_the_pages_edge_has_the_resolution_it_is_drawn_at(tmp_path: Path) -> None:
    path = _image_beyond_the_edge(tmp_path / "edge.pdf")
    result = _analyse(path, tmp_path / "staging")
    [images] = [s for s in result.signals if s["code"] == "pdf.page_images"]
    [picture] = images["value"]["pages"][0]["images"]
    assert picture["dpi"] == [144.0, 144.0]  # 1000 px over 500 pt, not over the 250 pt left on the page
    assert picture["bbox"][0] == 0.0  # its box: the part on the page
