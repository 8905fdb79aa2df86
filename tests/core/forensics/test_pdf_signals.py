"""PDF signals on generated files that carry each one, and on clean files that must raise no warning."""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING

import pymupdf
import pytest

from reviewer.core.forensics.pdf import pdf_signals
from reviewer.core.forensics.pdf_metadata import shown_pdf_date
from reviewer.core.forensics.signals import Severity, Signal, worst
from tests import filemaker, forensics_files

if TYPE_CHECKING:
    from pathlib import Path


def codes(signals: list[Signal]) -> dict[str, Signal]:
    return {s.code: s for s in signals}


def test_a_clean_born_digital_pdf_raises_nothing_but_facts(tmp_path: Path) -> None:
    path = filemaker.make_text_pdf(
        tmp_path / "clean.pdf",
        pages=3,
        producer="Synthetic PDF Producer 1.0",
        creator="Microsoft Word 2016 (synthetic)",
        xmp=filemaker.build_xmp(),
    )
    signals = pdf_signals(path, received=datetime.date(2019, 3, 20))
    assert worst(signals) is Severity.INFO, [s.code for s in signals if s.severity is not Severity.INFO]
    found = codes(signals)
    assert found["pdf.producer"].value == "Synthetic PDF Producer 1.0"
    assert found["pdf.creator"].value == "Microsoft Word 2016 (synthetic)"
    assert found["pdf.xmp"].value["creator_tool"] == "Microsoft Word 2016 (synthetic)"
    assert found["pdf.fonts"].value[0]["embedded"] is True
    json.dumps([s.as_dict() for s in signals])  # everything a signal carries can be stored as JSON


def test_a_clean_scan_raises_no_warning(tmp_path: Path) -> None:
    path = filemaker.make_scanned_pdf(tmp_path / "scan.pdf", pages=2, noise=0.2, skew_degrees=0.8, stamp=True)
    signals = pdf_signals(path, received=datetime.date(2019, 3, 20))
    assert worst(signals) is Severity.INFO, [s.code for s in signals if s.severity is not Severity.INFO]
    found = codes(signals)
    images = found["pdf.page_images"].value
    assert images["images"] == 2
    assert found["pdf.page_images"].title == "2 images on 2 pages"
    first = images["pages"][0]["images"][0]
    assert first["dpi"] == [200.0, 200.0]
    assert first["filter"] == "DCTDecode"
    assert [q["estimate"] for q in found["pdf.jpeg_quality"].value] == [80, 80]


def test_dates_are_titled_as_people_read_them_and_kept_as_written(tmp_path: Path) -> None:
    path = filemaker.make_text_pdf(
        tmp_path / "d.pdf", creation_date="D:20190313104218+03'00'", mod_date="D:2019"
    )
    dated = codes(pdf_signals(path))["pdf.dates"]
    assert dated.title == "Dates: creation date 2019-03-13 10:42:18 +03:00, modification date 2019"
    assert dated.value == {"created": "D:20190313104218+03'00'", "modified": "D:2019"}


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("D:20190313104218Z", "2019-03-13 10:42:18 +00:00"),
        ("D:20190313104218-05'30'", "2019-03-13 10:42:18 -05:30"),
        ("D:201903131042", "2019-03-13 10:42"),
        ("D:20190313", "2019-03-13"),
        ("2019-03-13T10:42:18+03:00", "2019-03-13 10:42:18 +03:00"),
        ("Tuesday", "Tuesday"),
    ],
)
def test_a_pdf_date_shown(raw: str, shown: str) -> None:
    assert shown_pdf_date(raw) == shown


def test_modified_before_created_is_a_warning(tmp_path: Path) -> None:
    path = filemaker.make_text_pdf(
        tmp_path / "m.pdf", creation_date="D:20190315120000+03'00'", mod_date="D:20190301090000+03'00'"
    )
    found = codes(pdf_signals(path))
    signal = found["pdf.modified_before_created"]
    assert signal.severity is Severity.WARNING
    assert signal.value["created"] == "D:20190315120000+03'00'"
    assert "before" in signal.explanation


def test_a_wrong_time_zone_alone_is_only_a_notice(tmp_path: Path) -> None:
    # clock times in order, zones not: a program that wrote local time as UTC
    path = filemaker.make_text_pdf(
        tmp_path / "tz.pdf", creation_date="D:20190312100000Z", mod_date="D:20190312100500+03'00'"
    )
    found = codes(pdf_signals(path))
    assert "pdf.modified_before_created" not in found
    assert found["pdf.time_zones_inconsistent"].severity is Severity.NOTICE


def test_dates_after_the_received_date_and_in_the_future(tmp_path: Path) -> None:
    path = filemaker.make_text_pdf(
        tmp_path / "late.pdf", creation_date="D:20190312101500+03'00'", mod_date="D:20350101000000Z"
    )
    found = codes(pdf_signals(path, received=datetime.date(2019, 3, 13)))
    assert found["pdf.date_after_received"].severity is Severity.WARNING
    assert list(found["pdf.date_after_received"].value["dates"]) == ["modified (info)"]
    assert found["pdf.date_in_future"].severity is Severity.WARNING
    # the day it was received counts whole, in any time zone
    found = codes(pdf_signals(path, received=datetime.date(2019, 3, 12), now=datetime.datetime(2040, 1, 1)))
    assert "pdf.date_in_future" not in found
    assert list(found["pdf.date_after_received"].value["dates"]) == ["modified (info)"]


def test_xmp_and_info_dictionary_disagreeing(tmp_path: Path) -> None:
    path = filemaker.make_text_pdf(
        tmp_path / "x.pdf",
        producer="Other Producer 2.0",
        mod_date="D:20190320100000+03'00'",
        xmp=filemaker.build_xmp(),
    )
    found = codes(pdf_signals(path))
    dates = found["pdf.xmp_info_dates_disagree"]
    assert dates.severity is Severity.WARNING
    assert set(dates.value) == {"modified"}
    assert found["pdf.xmp_info_tools_disagree"].value["producer"] == {
        "info": "Other Producer 2.0",
        "xmp": "Synthetic PDF Producer 1.0",
    }


def test_a_scanner_producer_on_typed_text(tmp_path: Path) -> None:
    path = filemaker.make_text_pdf(tmp_path / "typed.pdf", producer="KONICA MINOLTA bizhub C458 scan")
    found = codes(pdf_signals(path))
    assert found["pdf.scanner_with_typed_text"].severity is Severity.WARNING
    assert found["pdf.scanner_with_typed_text"].value["visible_characters_by_page"]["1"] > 100


def test_a_pdf_written_by_an_image_editor(tmp_path: Path) -> None:
    path = filemaker.make_text_pdf(
        tmp_path / "note.pdf",
        producer="Adobe Photoshop for Windows -- Image Conversion Plug-in",
        creator="Adobe Photoshop 23.1 (Windows)",
    )
    found = codes(pdf_signals(path))
    signal = found["pdf.editing_software"]
    assert signal.severity is Severity.WARNING
    assert signal.value == {
        "software": [
            "Adobe Photoshop 23.1 (Windows)",
            "Adobe Photoshop for Windows -- Image Conversion Plug-in",
        ]
    }
    assert "scanner" in signal.explanation


def test_an_incremental_update_and_a_second_copy_of_a_font(tmp_path: Path) -> None:
    path = filemaker.make_incremental_pdf(tmp_path / "inc.pdf")
    found = codes(pdf_signals(path))
    updates = found["pdf.incremental_updates"]
    assert updates.severity is Severity.NOTICE
    assert updates.value["revisions"] == updates.value["mupdf_count"] == 2
    assert found["pdf.font_subsets_repeated"].severity is Severity.NOTICE


def test_javascript_attachments_and_forms(tmp_path: Path) -> None:
    path = tmp_path / "active.pdf"
    with pymupdf.open() as doc:
        page = doc.new_page()
        page.insert_text((72, 72), "Invoice 2019-114", fontname="helv")
        widget = pymupdf.Widget()
        widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
        widget.field_name = "amount"
        widget.field_value = "1 200 000"
        widget.rect = pymupdf.Rect(72, 100, 272, 120)
        page.add_widget(widget)
        doc.embfile_add("source.txt", b"the real figures", filename="source.txt")
        doc.xref_set_key(doc.pdf_catalog(), "OpenAction", "<</S/JavaScript/JS(app.alert\\(1\\))>>")
        doc.save(str(path))
    found = codes(pdf_signals(path))
    assert found["pdf.javascript"].severity is Severity.WARNING
    assert found["pdf.embedded_files"].value["names"] == ["source.txt"]
    assert found["pdf.form"].value == {"fields": 1}
    assert "pdf.fonts_not_embedded" not in found  # Helvetica is one of the 14 every reader has


def test_a_signature_followed_by_changes(tmp_path: Path) -> None:
    path = tmp_path / "signed.pdf"
    with pymupdf.open() as doc:
        doc.new_page().insert_text((72, 72), "Contract", fontname="helv")
        xref = doc.get_new_xref()
        doc.update_object(xref, "<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/adbe.pkcs7.detached"
                          "/ByteRange[0 100 300 200]/Contents<00>/M(D:20190312101500+03'00')>>")  # fmt: skip
        doc.xref_set_key(doc.pdf_catalog(), "SigRef", f"{xref} 0 R")
        doc.save(str(path))
    with pymupdf.open(str(path)) as doc:
        doc[0].insert_text((72, 144), "Amended after signing", fontname="helv")
        doc.save(str(path), incremental=True, encryption=pymupdf.PDF_ENCRYPT_KEEP)
    found = codes(pdf_signals(path))
    assert found["pdf.signatures"].value[0]["covers_bytes"] == 500
    assert found["pdf.changed_after_signing"].severity is Severity.NOTICE


def test_an_encrypted_pdf_with_and_without_its_password(tmp_path: Path) -> None:
    path = filemaker.make_encrypted_pdf(tmp_path / "enc.pdf")
    locked = codes(pdf_signals(path))
    assert locked["pdf.encrypted"].value == {"password_given": False}
    assert "pdf.dates" not in locked
    opened = codes(pdf_signals(path, password="secret"))
    assert "pdf.dates" in opened
    assert opened["pdf.encrypted"].title == "Encrypted"


def test_an_edited_photo_inside_a_pdf(tmp_path: Path) -> None:
    photo = filemaker.make_jpeg_with_exif(tmp_path / "p.jpg", software="Adobe Photoshop 21.0 (Windows)")
    path = tmp_path / "photo.pdf"
    with pymupdf.open() as doc:
        page = doc.new_page()
        page.insert_image(pymupdf.Rect(72, 72, 372, 472), filename=str(photo))
        doc.save(str(path))
    found = codes(pdf_signals(path))
    edited = found["image.editing_software"]
    assert edited.severity is Severity.WARNING
    assert edited.page == 0
    assert edited.title.startswith("The image on page 1")


@pytest.mark.parametrize("maker", ["garbage", "truncated", "empty", "flate_bomb"])
def test_broken_files_give_signals_not_exceptions(tmp_path: Path, maker: str) -> None:
    path = tmp_path / f"{maker}.pdf"
    if maker == "garbage":
        filemaker.make_garbage(path)
    elif maker == "truncated":
        filemaker.make_truncated_pdf(path, keep_bytes=900)
    elif maker == "empty":
        path.write_bytes(b"")
    else:
        filemaker.make_pdf_flate_bomb(path)
    signals = pdf_signals(path)
    assert isinstance(signals, list)
    assert all(isinstance(s, Signal) for s in signals)


def test_a_missing_file_is_one_info_signal(tmp_path: Path) -> None:
    [signal] = pdf_signals(tmp_path / "absent.pdf")
    assert signal.code == "pdf.unreadable"
    assert "\n" not in signal.value


def test_stamped_scans_made_for_region_search_are_clean(tmp_path: Path) -> None:
    stamp = forensics_files.ministry_stamp()
    path = forensics_files.make_stamped_scan(
        tmp_path / "s.pdf", [forensics_files.Placement(stamp, (420, 640))]
    )
    assert worst(pdf_signals(path)) is Severity.INFO
