"""The rules for what a person may type: statuses, types, rectangles, dates, tags, field names."""

from __future__ import annotations

import pytest

from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.values import (
    AnnotationKind,
    DocumentType,
    MetadataField,
    Rect,
    VerificationStatus,
    normalise_field_value,
    parse_field_name,
    parse_full_date,
    parse_partial_date,
    parse_tag,
)


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("in_review", "in_review"),
        ("In Review", "in_review"),
        ("in-review", "in_review"),
        (" VERIFIED ", "verified"),
    ],
)
def test_status_is_read_as_people_type_it(typed: str, status: str) -> None:
    assert VerificationStatus.parse(typed).value == status


def test_unknown_status_lists_the_allowed_ones() -> None:
    with pytest.raises(UsageError, match="unverified, in_review, verified, disputed, fabricated"):
        VerificationStatus.parse("genuine")


def test_document_types_include_the_papers_of_a_leak() -> None:
    assert DocumentType.parse("diplomatic note") is DocumentType.DIPLOMATIC_NOTE
    assert DocumentType.parse("Export-Passport") is DocumentType.EXPORT_PASSPORT
    assert DocumentType.BILL_OF_SALE.label == "bill of sale"
    with pytest.raises(UsageError, match="diplomatic note, letter"):
        DocumentType.parse("memo")


def test_annotation_kind() -> None:
    assert AnnotationKind.parse("Redaction") is AnnotationKind.REDACTION
    with pytest.raises(UsageError, match="note or redaction"):
        AnnotationKind.parse("highlight")


def test_rect_accepts_corners_in_any_order() -> None:
    assert Rect.parse("300, 400, 100.5, 200") == Rect(100.5, 200, 300, 400)


@pytest.mark.parametrize("text", ["1,2,3", "a,b,c,d", "1,2,3,4,5", "nan,0,1,1", "inf,0,1,1", ""])
def test_rect_refuses_malformed_text(text: str) -> None:
    with pytest.raises(UsageError):
        Rect.parse(text)


def test_rect_is_checked_against_the_page() -> None:
    page_w, page_h = 595.0, 842.0
    assert Rect(0, 0, 595.2, 842).checked_against(page_w, page_h) == Rect(0, 0, 595, 842)
    with pytest.raises(UsageError, match="not within the page"):
        Rect(500, 800, 700, 900).checked_against(page_w, page_h)
    with pytest.raises(UsageError, match="empty"):
        Rect(10, 10, 10, 50).checked_against(page_w, page_h)


def test_dates() -> None:
    assert parse_partial_date("2019") == "2019"
    assert parse_partial_date("2019-03") == "2019-03"
    assert parse_partial_date("2019-03-12") == "2019-03-12"
    assert parse_full_date("2026-11-01") == "2026-11-01"
    for bad in ("12.03.2019", "2019-13", "2019-02-30", "yesterday"):
        with pytest.raises(UsageError):
            parse_partial_date(bad)
    with pytest.raises(UsageError, match="full date"):
        parse_full_date("2019-03")


def test_tags() -> None:
    assert parse_tag("  Минобороны ") == "Минобороны"
    for bad in ("", "a,b", "x" * 65, "two  spaces"):
        with pytest.raises(UsageError):
            parse_tag(bad)


def test_field_names_and_values() -> None:
    assert parse_field_name("date") is MetadataField.DOCUMENT_DATE
    assert parse_field_name("Reference Number") is MetadataField.REFERENCE_NUMBER
    assert parse_field_name("vessel") == "vessel"
    with pytest.raises(UsageError):
        parse_field_name("=bad")
    assert normalise_field_value(MetadataField.TYPE, "Bill of sale") == "bill_of_sale"
    assert normalise_field_value(MetadataField.TITLE, "   ") is None
    with pytest.raises(UsageError):
        normalise_field_value(MetadataField.DOCUMENT_DATE, "31.12.2019")
