"""Copy-move: a signature or stamp cloned within one scan is found, ordinary scans and forms raise nothing."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np
import pymupdf
import pytest
from PIL import Image, ImageDraw

from reviewer.core.forensics.copy_move import (
    MIN_SAMENESS,
    CopyMove,
    _with_sameness,
    copy_move_signal,
    find_copies,
)
from reviewer.core.forensics.signals import Severity
from reviewer.core.ingest.pixel_tasks import CopyMoveTask
from reviewer.core.ingest.pixel_work import copy_move
from tests import filemaker
from tests import forensics_files as ff
from tests.conftest import CORPUS
from tests.copy_move_files import (
    A4,
    COPIED,
    DPI,
    PASTED_AT,
    SIGNED,
    Box,
    cloned,
    jpeg,
    scan_pdf,
    signature,
    signed_scan,
)

if TYPE_CHECKING:
    from pathlib import Path

    from numpy.typing import NDArray


def inside(box: Box, outer: Box, slack: float) -> bool:
    return (
        box[0] >= outer[0] - slack
        and box[1] >= outer[1] - slack
        and box[2] <= outer[2] + slack
        and box[3] <= outer[3] + slack
    )


def assert_both_boxes_right(found: CopyMove, scale: float = 1.0) -> None:
    """One box within the copied rectangle, the other within the pasted one, each most of the signature."""
    x0, y0, x1, y1 = COPIED
    px, py = PASTED_AT
    original = tuple(v * scale for v in COPIED)
    pasted = tuple(v * scale for v in (px, py, px + x1 - x0, py + y1 - y0))
    first, second = sorted([found.source, found.copy])  # which is "the source" cannot be known
    assert inside(first, original, 4 * scale), (first, original)  # type: ignore[arg-type]
    assert inside(second, pasted, 4 * scale), (second, pasted)  # type: ignore[arg-type]
    signed_width = (SIGNED[2] - SIGNED[0]) * scale
    for box in (first, second):
        assert box[2] - box[0] > 0.7 * signed_width


def test_a_signature_cloned_within_one_scan_is_found_with_both_boxes() -> None:
    found = find_copies(jpeg(cloned(signed_scan())), DPI)
    assert len(found) == 1
    assert_both_boxes_right(found[0])
    assert found[0].scale == pytest.approx(1.0, abs=0.02)
    assert found[0].angle == pytest.approx(0.0, abs=1.0)
    assert found[0].sameness > 0.45  # the paper's grain came along with the ink


@pytest.mark.parametrize(("seed", "quality"), [(10, 60), (4, 90)])
def test_a_clone_is_found_whatever_else_the_page_repeats(seed: int, quality: int) -> None:
    # on page 10 a typed word also recurs exactly as far to the right as the clone was moved: those
    # chance pairs fit the clone's transform, and must not stretch its boxes over the page
    found = find_copies(jpeg(cloned(signed_scan(seed)), quality), DPI)
    assert len(found) == 1
    assert_both_boxes_right(found[0])


def test_a_clone_turned_and_enlarged_a_little_is_found() -> None:
    page = signed_scan()
    x0, y0, x1, y1 = COPIED
    patch = Image.fromarray(page[y0:y1, x0:x1]).rotate(
        8, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=230
    )
    patch = patch.resize((round(patch.width * 1.1), round(patch.height * 1.1)), Image.Resampling.BICUBIC)
    page[400 : 400 + patch.height, 900 : 900 + patch.width] = np.asarray(patch)
    found = find_copies(jpeg(page, 75), DPI)
    assert len(found) == 1
    assert {round(found[0].scale, 1), round(1 / found[0].scale, 1)} & {1.1}
    assert abs(found[0].angle) == pytest.approx(8.0, abs=1.5)


def test_a_page_signed_once_and_the_typed_page_raise_nothing() -> None:
    # the typed page repeats seven words all over: every letter has dozens of near-twins
    assert find_copies(jpeg(ff.scan_page(3, dpi=DPI)), DPI) == []
    assert find_copies(jpeg(signed_scan()), DPI) == []


@pytest.mark.slow
@pytest.mark.parametrize(("noise", "skew", "stamp"), [(0.0, 0.0, False), (0.3, 0.7, True), (0.6, 0.0, False)])
def test_clean_scanned_letters_raise_nothing(tmp_path: Path, noise: float, skew: float, stamp: bool) -> None:
    letter = filemaker.make_scanned_pdf(
        tmp_path / "letter.pdf", pages=2, noise=noise, skew_degrees=skew, stamp=stamp, seed=7
    )
    for page in (0, 1):
        assert find_copies(ff.render_gray(letter, DPI, page), DPI) == []


def form_scan(noise: float, seed: int = 1) -> NDArray[np.uint8]:
    """A scanned form: labelled lines, tick boxes and a table of identical rows (the classic false alarms)."""
    image = Image.new("L", (1654, 2339), 250)
    draw = ImageDraw.Draw(image)
    big, small = filemaker._noto_pil(28), filemaker._noto_pil(22)
    draw.text((150, 120), "ЭКСПОРТНЫЙ ПАСПОРТ № 078/1133-19", font=big, fill=20)
    y = 220
    for label in ("Фамилия", "Имя", "Отчество", "Дата рождения", "Адрес", "Телефон", "Подпись", "Дата"):
        draw.text((150, y), label + ":", font=small, fill=20)
        draw.line([(450, y + 28), (1500, y + 28)], fill=20, width=2)
        y += 70
    for i in range(6):
        draw.rectangle((150, y, 180, y + 30), outline=20, width=2)
        draw.text((200, y), f"пункт {i + 1}", font=small, fill=20)
        y += 50
    y += 40
    for row in range(12):
        for column in range(5):
            draw.rectangle(
                (150 + column * 270, y + row * 60, 150 + (column + 1) * 270, y + (row + 1) * 60),
                outline=20,
                width=2,
            )
        draw.text((160, y + row * 60 + 15), f"{row + 1}.", font=small, fill=20)
        draw.text((430, y + row * 60 + 15), "шт.", font=small, fill=20)
        draw.text((700, y + row * 60 + 15), "100,00", font=small, fill=20)
    pixels = np.asarray(image, np.float32) + np.random.default_rng(seed).normal(0, noise, (2339, 1654))
    return jpeg(np.clip(pixels, 0, 255).astype(np.uint8), 80)


@pytest.mark.parametrize("noise", [0.0, 3.0])
def test_a_clean_form_with_repeated_rows_and_boxes_raises_nothing(noise: float) -> None:
    # without grain, the table's rows are pixel for pixel alike: a pattern, not a clone
    assert find_copies(form_scan(noise), DPI) == []


def test_a_signature_cloned_on_a_form_is_found() -> None:
    page = form_scan(3.0)
    page[SIGNED[1] : SIGNED[3], SIGNED[0] : SIGNED[2]] = np.minimum(
        page[SIGNED[1] : SIGNED[3], SIGNED[0] : SIGNED[2]], np.asarray(signature(2))
    )
    found = find_copies(jpeg(cloned(page)), DPI)
    assert len(found) == 1
    assert_both_boxes_right(found[0])


def test_the_worker_gives_signals_with_boxes_in_page_points(tmp_path: Path) -> None:
    pdf = scan_pdf(tmp_path / "cloned.pdf", cloned(signed_scan()))
    result = copy_move(CopyMoveTask(str(pdf), None, 1))
    assert result.dpi == pytest.approx(DPI)
    [signal] = result.signals
    assert signal["code"] == "image.copy_move"
    assert signal["severity"] == "warning"
    assert signal["page"] == 0
    value = signal["value"]
    found = CopyMove(tuple(value["source"]), tuple(value["copy"]), 0, 1.0, 0.0, 1.0)
    assert_both_boxes_right(found, scale=72 / DPI)
    assert value["keypoint_pairs"] >= 12
    assert 0.45 < value["sameness"] <= 1.0
    clean = scan_pdf(tmp_path / "clean.pdf", signed_scan())
    assert copy_move(CopyMoveTask(str(clean), None, 1)).signals == ()


def test_repeated_typed_text_of_a_born_digital_page_is_not_a_copy(tmp_path: Path) -> None:
    path = tmp_path / "typed.pdf"
    # a letterhead's paper texture, one tile repeated (every 36 points) under the whole page
    tile = np.random.default_rng(5).normal(225, 8, (100, 100)).clip(0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(np.tile(tile, (24, 17))).save(buffer, "PNG")
    with pymupdf.open() as doc:
        page = doc.new_page(width=A4[0], height=A4[1])
        page.insert_image(pymupdf.Rect(0, 0, 17 * 36, 24 * 36), stream=buffer.getvalue())
        for y in (144, 432):  # the same heading twice, on the same texture, drawn the same way
            page.insert_text((72, y), "Ministry of Foreign Affairs", fontsize=30)
        doc.save(str(path))
    drawn = ff.render_gray(path, DPI)
    assert find_copies(drawn, DPI), "the pixels alone do repeat: the text layer is what tells"
    assert copy_move(CopyMoveTask(str(path), None, 1)).signals == ()


def test_a_weaker_match_is_a_notice() -> None:
    found = CopyMove((1.0, 2.0, 3.0, 4.0), (5.0, 6.0, 7.0, 8.0), 20, 1.0, 0.0, 0.35)
    signal = copy_move_signal(found, 2)
    assert signal.severity is Severity.NOTICE
    assert signal.page == 2
    assert "Page 3" in signal.title
    assert signal.value["source"] == [1.0, 2.0, 3.0, 4.0]
    clone = CopyMove(found.source, found.copy, 20, 1.0, 0.0, 0.6)
    assert copy_move_signal(clone, 0).severity is Severity.WARNING


@pytest.mark.slow
def test_a_real_scanned_form_with_its_column_headings_printed_three_times_raises_nothing() -> None:
    # pdf.js issue 7229: a Russian inspection form scanned near black and white; its three identical
    # headings match, and the JPEG's ringing around their letters agreed too until only paper well
    # away from ink counted as grain
    drawn = ff.render_gray(CORPUS / "issue7229.pdf", DPI)
    assert find_copies(drawn, DPI) == []
    # the pair that was reported now and then (RANSAC drew at random then): first and third heading
    headings = CopyMove(
        (188.1, 496.4, 535.7, 547.2), (1231.2, 505.4, 1579.0, 556.3), 22, 0.999, 0.0, 0.0, (1232.4, 505.4)
    )
    assert _with_sameness(drawn, headings).sameness < MIN_SAMENESS


def test_tiny_and_empty_pictures_have_no_copies() -> None:
    assert find_copies(np.zeros((0, 0), np.uint8), DPI) == []
    assert find_copies(np.full((20, 20, 3), 255, np.uint8), DPI) == []
