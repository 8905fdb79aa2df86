"""Region search: the same stamp at another place, size and angle, and not where it is absent."""

from __future__ import annotations

import math
import pickle
from typing import TYPE_CHECKING

import numpy as np
import pytest

from reviewer.core.forensics.regions import (
    DEFAULT_THRESHOLD,
    PageFeatures,
    RegionMatch,
    find_region,
    page_features,
    region_template,
)
from tests import forensics_files as ff

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.forensics.regions import RegionTemplate

PAGE_DPI = 100  # what the caller renders pages at for search
TEMPLATE_DPI = 150  # what the caller renders the annotated region at
ORIGIN = (420.0, 640.0)


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("stamps")
    stamp, other, received = ff.ministry_stamp(), ff.other_round_stamp(), ff.received_stamp()
    return {
        # the annotated original
        "a": ff.make_stamped_scan(folder / "a.pdf", [ff.Placement(stamp, ORIGIN)], seed=1),
        # the same stamp smaller and turned, over typed lines, beside two other stamps
        "b": ff.make_stamped_scan(
            folder / "b.pdf",
            [
                ff.Placement(stamp, (160, 300), 0.85, 4.0),
                ff.Placement(other, (420, 650)),
                ff.Placement(received, (430, 150), 1.0, -2.0),
            ],
            seed=2,
        ),
        # other stamps only
        "c": ff.make_stamped_scan(
            folder / "c.pdf",
            [ff.Placement(other, (200, 640), 0.95, 3.0), ff.Placement(received, (400, 300))],
            seed=3,
        ),
        # the stamp at the far ends of the size and angle ranges
        "large": ff.make_stamped_scan(
            folder / "e.pdf", [ff.Placement(stamp, (300, 420), 1.18, -5.0)], seed=4
        ),
        "small": ff.make_stamped_scan(folder / "f.pdf", [ff.Placement(stamp, (300, 420), 0.8, 0.0)], seed=5),
        # nothing but typed text and scanner grain
        "plain": ff.make_stamped_scan(folder / "g.pdf", [], seed=6),
    }


@pytest.fixture(scope="module")
def template(case: dict[str, Path]) -> RegionTemplate:
    half = 470 / 300 * 72 / 2 + 2  # the stamp's radius in points and a little paper
    box = (ORIGIN[0] - half, ORIGIN[1] - half, ORIGIN[0] + half, ORIGIN[1] + half)
    return region_template(ff.render_clip(case["a"], box, TEMPLATE_DPI), TEMPLATE_DPI)


def features(path: Path) -> PageFeatures:
    return page_features(ff.render_gray(path, PAGE_DPI), PAGE_DPI)


def search(template: RegionTemplate, case: dict[str, Path], *names: str) -> list[RegionMatch[str]]:
    return find_region(template, [(name, features(case[name])) for name in names])


def test_the_stamp_is_found_at_another_place_size_and_angle(
    template: RegionTemplate, case: dict[str, Path]
) -> None:
    [match] = search(template, case, "b")
    assert match.page == "b"
    assert math.dist(match.center, (160, 300)) < 4
    assert match.scale == pytest.approx(0.85, abs=0.04)
    assert match.angle == pytest.approx(4.0, abs=1.5)
    assert match.score >= DEFAULT_THRESHOLD
    x0, y0, x1, y1 = match.rect
    side = 470 / 300 * 72 * 0.85
    assert side < x1 - x0 < side * 1.2
    assert match.pixel_rect(144) == (
        math.floor(x0 * 2),
        math.floor(y0 * 2),
        math.ceil(x1 * 2),
        math.ceil(y1 * 2),
    )


@pytest.mark.parametrize(("name", "scale", "angle"), [("large", 1.18, -5.0), ("small", 0.8, 0.0)])
def test_the_ends_of_the_ranges(
    template: RegionTemplate, case: dict[str, Path], name: str, scale: float, angle: float
) -> None:
    [match] = search(template, case, name)
    assert math.dist(match.center, (300, 420)) < 4
    assert match.scale == pytest.approx(scale, abs=0.04)
    assert match.angle == pytest.approx(angle, abs=1.5)


def test_other_stamps_and_plain_pages_are_not_matches(
    template: RegionTemplate, case: dict[str, Path]
) -> None:
    assert search(template, case, "c", "plain") == []


def test_the_original_place_scores_highest(template: RegionTemplate, case: dict[str, Path]) -> None:
    matches = search(template, case, "b", "a", "c")
    assert [m.page for m in matches] == ["a", "b"]
    assert math.dist(matches[0].center, ORIGIN) < 2
    assert matches[0].score > 0.9


def test_features_can_be_kept_and_reused(template: RegionTemplate, case: dict[str, Path]) -> None:
    kept = pickle.loads(pickle.dumps(features(case["b"])))
    [match] = find_region(template, [(("doc", 7, 0), kept)])
    assert match.page == ("doc", 7, 0)
    assert kept.nbytes < 1_400_000


def test_a_high_resolution_page_is_reduced_first(template: RegionTemplate, case: dict[str, Path]) -> None:
    sharp = page_features(ff.render_gray(case["b"], 200), 200)
    assert sharp.dpi == 100
    [match] = find_region(template, [("b", sharp)])
    assert math.dist(match.center, (160, 300)) < 4


def test_regions_too_small_or_blank() -> None:
    with pytest.raises(ValueError, match="too small"):
        region_template(np.zeros((5, 5), np.uint8), 72)
    blank = region_template(np.full((200, 200), 240, np.uint8), 150)
    page = page_features(ff.scan_page(1, dpi=100), 100)
    assert find_region(blank, [("p", page)]) == []
