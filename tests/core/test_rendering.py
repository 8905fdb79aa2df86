"""The page renderer: pages drawn in worker processes, unrotated, errors in words, newest first."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from reviewer.core.rendering.renderer import PageRenderer
from reviewer.core.rendering.requests import RenderedPage, RenderRequest
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path


class Collector:
    """Gathers results arriving on the renderer's thread."""

    def __init__(self, expected: int) -> None:
        self.results: list[RenderedPage] = []
        self.expected = expected
        self.done = threading.Event()

    def __call__(self, result: RenderedPage) -> None:
        self.results.append(result)
        if len(self.results) >= self.expected:
            self.done.set()


def _render(requests: list[RenderRequest]) -> list[RenderedPage]:
    collect = Collector(len(requests))
    renderer = PageRenderer(collect, processes=1)
    try:
        for request in requests:
            renderer.request(request)
        assert collect.done.wait(60), "the renderer answered every request"
    finally:
        renderer.close()
    return collect.results


def test_pages_are_drawn_unrotated_at_the_zoom_asked(tmp_path: Path) -> None:
    rotated = filemaker.make_rotated_pdf(tmp_path / "r.pdf", rotation=90)
    [result] = _render([RenderRequest(str(rotated), 1, 2.0, tag="r")])
    assert result.error is None
    assert result.request.tag == "r"
    assert (result.width, result.height) == (1190, 1684), "A4 portrait at 2 px per point, not turned"
    assert len(result.samples) == result.stride * result.height


def test_a_bad_request_is_answered_in_words(tmp_path: Path) -> None:
    pdf = filemaker.make_text_pdf(tmp_path / "a.pdf")
    results = _render(
        [
            RenderRequest(str(tmp_path / "missing.pdf"), 1, 1.0, tag="missing"),
            RenderRequest(str(pdf), 7, 1.0, tag="no such page"),
            RenderRequest(str(pdf), 1, 1.0, tag="fine"),
        ]
    )
    by_tag = {r.request.tag: r for r in results}
    assert "cannot be drawn" in (by_tag["missing"].error or "")
    assert "cannot be drawn" in (by_tag["no such page"].error or "")
    assert by_tag["fine"].error is None


def test_huge_zoom_is_capped(tmp_path: Path) -> None:
    pdf = filemaker.make_text_pdf(tmp_path / "a.pdf")
    [result] = _render([RenderRequest(str(pdf), 1, 40.0)])
    assert result.width * result.height <= 40_000_000
    assert result.zoom < 40.0


def test_encrypted_originals_open_with_their_password(tmp_path: Path) -> None:
    pdf = filemaker.make_encrypted_pdf(tmp_path / "e.pdf", user_password="secret")
    [good] = _render([RenderRequest(str(pdf), 1, 1.0, password="secret")])
    assert good.error is None
    [bad] = _render([RenderRequest(str(pdf), 1, 1.0, password="wrong")])
    assert "password" in (bad.error or "")


def test_dropped_requests_are_not_drawn(tmp_path: Path) -> None:
    count = 12
    pdf = filemaker.make_text_pdf(tmp_path / "a.pdf", pages=count)
    collect = Collector(1)
    renderer = PageRenderer(collect, processes=1)
    try:
        for page in range(1, count + 1):
            renderer.request(RenderRequest(str(pdf), page, 1.0, tag=page))
        renderer.retain(lambda r: r.tag == count)  # the reader jumped to the last page
        assert collect.done.wait(30)
        threading.Event().wait(1.0)  # time for anything still queued to (wrongly) arrive
    finally:
        renderer.close()
    drawn = [r.request.tag for r in collect.results]
    assert count in drawn
    assert len(drawn) <= 3, f"pages scrolled past were not all drawn: {drawn}"
