"""Settings of a case that change what reviewer finds: OCR languages and mode, per case and per document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reviewer.core.ingest.reading import OcrMode
from reviewer.core.ingest.tesseract import DEFAULT_LANGUAGES, check_languages
from reviewer.core.services.queries import document_row
from reviewer.core.storage import custody
from reviewer.core.storage.orm import CaseSetting

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from reviewer.core.services.case import Case

OCR_MODE = "ocr_mode"
OCR_LANGUAGES = "ocr_languages"


def _get(session: Session, key: str, default: Any) -> Any:
    setting = session.get(CaseSetting, key)
    return default if setting is None else setting.value


def ocr_defaults(case: Case) -> tuple[OcrMode, str]:
    """The case's OCR mode and languages (``auto`` and ``rus+eng`` unless changed)."""
    with case.db.reading() as session:
        mode = _get(session, OCR_MODE, OcrMode.AUTO.value)
        languages = _get(session, OCR_LANGUAGES, DEFAULT_LANGUAGES)
    return OcrMode.parse(str(mode)), str(languages)


def set_ocr_defaults(
    case: Case, *, mode: OcrMode | None = None, languages: str | None = None
) -> tuple[OcrMode, str]:
    """Change the case's OCR mode or languages (checked against what Tesseract has); on the case's log."""
    if languages is not None:
        languages = check_languages(languages)
    with case.db.unit_of_work() as uow:
        session = uow.session
        before = {
            OCR_MODE: _get(session, OCR_MODE, OcrMode.AUTO.value),
            OCR_LANGUAGES: _get(session, OCR_LANGUAGES, DEFAULT_LANGUAGES),
        }
        after = dict(before)
        if mode is not None:
            after[OCR_MODE] = mode.value
        if languages is not None:
            after[OCR_LANGUAGES] = languages
        if after != before:
            for key, value in after.items():
                setting = session.get(CaseSetting, key)
                if setting is None:
                    session.add(CaseSetting(key=key, value=value))
                else:
                    setting.value = value
            custody.append(
                session,
                document_id=None,
                actor=case.actor,
                action="settings_changed",
                summary=f"OCR settings: {after[OCR_MODE]}, {after[OCR_LANGUAGES]}",
                before=before,
                after=after,
            )
        uow.commit()
    return OcrMode.parse(str(after[OCR_MODE])), str(after[OCR_LANGUAGES])


def document_languages(case: Case, document_id: int) -> str | None:
    """The OCR languages chosen for one document, None when it follows the case's."""
    with case.db.reading() as session:
        return document_row(session, document_id).ocr_languages


def set_document_languages(case: Case, document_id: int, languages: str | None) -> str | None:
    """Set (or with None clear, to follow the case) the OCR languages of one document; on its log."""
    if languages is not None:
        languages = check_languages(languages)
    with case.db.unit_of_work() as uow:
        document = document_row(uow.session, document_id)
        before = document.ocr_languages
        if before != languages:
            document.ocr_languages = languages
            custody.append(
                uow.session,
                document_id=document.id,
                actor=case.actor,
                action="ocr_languages_changed",
                summary=f"OCR languages: {languages or 'as the case'}",
                before={"ocr_languages": before},
                after={"ocr_languages": languages},
            )
        uow.commit()
    return languages
