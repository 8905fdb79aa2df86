"""Image signals: EXIF, editing software, embedded thumbnails, JPEG quality."""

from __future__ import annotations

import datetime
import io
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from reviewer.core.forensics.image import image_signals
from reviewer.core.forensics.jpeg import estimate_quality, exif_thumbnail
from reviewer.core.forensics.signals import Severity, Signal, worst
from tests import filemaker, forensics_files

if TYPE_CHECKING:
    from pathlib import Path


def codes(signals: list[Signal]) -> dict[str, Signal]:
    return {s.code: s for s in signals}


def test_a_camera_original_raises_no_warning(tmp_path: Path) -> None:
    path = filemaker.make_jpeg_with_exif(tmp_path / "photo.jpg", gps=(53.9, 27.5667))
    signals = image_signals(path, received=datetime.date(2019, 3, 20))
    assert worst(signals) is Severity.INFO
    found = codes(signals)
    assert found["image.camera"].value == {"make": "Canon", "model": "EOS 80D"}
    assert found["image.jpeg_quality"].value == {"estimate": 88, "standard_tables": True, "tables": 2}
    gps = found["image.gps"].value
    assert gps["latitude"] == pytest.approx(53.9, abs=1e-4)
    assert gps["longitude"] == pytest.approx(27.5667, abs=1e-4)
    assert found["image.dates"].value["taken"] == "2019:03:12 10:15:00"


def test_photoshop_in_exif_is_a_warning(tmp_path: Path) -> None:
    path = filemaker.make_jpeg_with_exif(
        tmp_path / "edited.jpg", software="Adobe Photoshop CC 2019 (Windows)"
    )
    found = codes(image_signals(path))
    assert found["image.editing_software"].severity is Severity.WARNING
    assert found["image.editing_software"].value == {"software": ["Adobe Photoshop CC 2019 (Windows)"]}
    assert "image.software" not in found


def test_camera_firmware_is_only_a_fact(tmp_path: Path) -> None:
    path = filemaker.make_jpeg_with_exif(tmp_path / "fw.jpg", software="Firmware Version 1.0.2")
    found = codes(image_signals(path))
    assert found["image.software"].severity is Severity.INFO
    assert "image.editing_software" not in found


def test_an_editor_named_in_xmp(tmp_path: Path) -> None:
    path = tmp_path / "xmp.jpg"
    xmp = b'<x:xmpmeta><rdf:Description xmp:CreatorTool="GIMP 2.10"/></x:xmpmeta>'
    Image.new("RGB", (64, 64), (120, 130, 140)).save(path, "JPEG", xmp=xmp)
    assert codes(image_signals(path))["image.editing_software"].value == {"software": ["GIMP 2.10"]}


def test_a_thumbnail_that_differs_from_the_picture(tmp_path: Path) -> None:
    differs = forensics_files.make_photo_with_thumbnail(tmp_path / "d.jpg", thumbnail_differs=True)
    same = forensics_files.make_photo_with_thumbnail(tmp_path / "s.jpg", thumbnail_differs=False)
    with Image.open(differs) as image:
        assert exif_thumbnail(image.info["exif"]) is not None
    found = codes(image_signals(differs))
    assert found["image.thumbnail_differs"].severity is Severity.WARNING
    assert found["image.thumbnail_differs"].value["hamming_bits"] > 10
    found = codes(image_signals(same))
    assert "image.thumbnail_differs" not in found
    assert found["image.thumbnail_matches"].value["hamming_bits"] <= 10


def test_saved_before_taken_and_after_received(tmp_path: Path) -> None:
    path = tmp_path / "dates.jpg"
    exif = Image.Exif()
    exif[0x0132] = "2019:03:10 09:00:00"  # modified
    exif.get_ifd(0x8769)[0x9003] = "2019:03:14 10:15:00"  # taken
    Image.new("RGB", (64, 64), (200, 200, 200)).save(path, "JPEG", exif=exif.tobytes())
    found = codes(image_signals(path, received=datetime.date(2019, 3, 12)))
    assert found["image.modified_before_taken"].severity is Severity.WARNING
    assert found["image.date_after_received"].value["dates"] == {"taken": "2019:03:14 10:15:00"}


@pytest.mark.parametrize("quality", [30, 50, 75, 95])
def test_the_quality_estimate_of_standard_tables(quality: int) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (90, 100, 110)).save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    with Image.open(buffer) as image:
        estimate = estimate_quality(image.quantization)
    assert estimate is not None
    assert (estimate.estimate, estimate.standard) == (quality, True)


def test_a_screenshot_has_no_camera_metadata(tmp_path: Path) -> None:
    path = filemaker.make_png(tmp_path / "s.png")
    found = codes(image_signals(path))
    assert set(found) == {"image.no_camera_metadata"}


def test_bytes_that_are_not_an_image(tmp_path: Path) -> None:
    [signal] = image_signals(b"\xff\xd8\xff\xe1garbage")
    assert signal.code == "image.unreadable"
    [signal] = image_signals(tmp_path / "absent.jpg")
    assert signal.code == "image.unreadable"


def test_a_pixel_bomb_is_not_decoded(tmp_path: Path) -> None:
    path = filemaker.make_png_pixel_bomb(tmp_path / "bomb.png")
    signals = image_signals(path)
    assert all(isinstance(s, Signal) for s in signals)
