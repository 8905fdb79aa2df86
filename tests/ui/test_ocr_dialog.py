"""The OCR settings dialog against the system's Tesseract (eng and rus installed) and without it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from reviewer.core.ingest import tesseract
from reviewer.core.ingest.reading import OcrMode
from reviewer.core.services.settings import ocr_defaults, set_ocr_defaults
from reviewer.ui.ocr_dialog import OcrSettingsDialog

if TYPE_CHECKING:
    import pytest
    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case


def make_dialog(qtbot: QtBot, case: Case) -> OcrSettingsDialog:
    dialog = OcrSettingsDialog(case)
    qtbot.addWidget(dialog)
    return dialog


def listed(dialog: OcrSettingsDialog) -> list[tuple[str, bool]]:
    items = [dialog.language_list.item(row) for row in range(dialog.language_list.count())]
    return [(item.text(), item.checkState() == Qt.CheckState.Checked) for item in items]


def ok(dialog: OcrSettingsDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_installed_languages_are_listed_with_the_cases_checked(qtbot: QtBot, case: Case) -> None:
    installed = tesseract.installed_languages()
    assert {"rus", "eng"} <= set(installed)
    dialog = make_dialog(qtbot, case)
    assert (dialog.mode, dialog.languages) == (OcrMode.AUTO, "rus+eng")
    assert dialog.mode_buttons[OcrMode.AUTO].isChecked()
    shown = listed(dialog)
    assert len(shown) == len(installed)
    assert shown.index(("Russian (rus)", True)) < shown.index(("English (eng)", True))
    assert [name for name, checked in shown if checked] == ["Russian (rus)", "English (eng)"]
    assert dialog.missing_program.isHidden()
    missing = [code for code in ("bel", "aze", "aze_cyrl") if code not in installed]
    if missing:
        assert dialog.languages_command.text() == "sudo apt install " + " ".join(
            tesseract.package_for(code) for code in missing
        )
        assert not dialog.missing_languages.isHidden()


def test_saving_changes_the_cases_ocr_settings(qtbot: QtBot, case: Case) -> None:
    dialog = make_dialog(qtbot, case)
    dialog.mode_buttons[OcrMode.ALWAYS].setChecked(True)
    dialog.set_language_checked("eng", False)
    ok(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (dialog.mode, dialog.languages) == (OcrMode.ALWAYS, "rus")
    assert ocr_defaults(case) == (OcrMode.ALWAYS, "rus")

    again = make_dialog(qtbot, case)
    assert again.mode_buttons[OcrMode.ALWAYS].isChecked()
    assert ("English (eng)", False) in listed(again)
    again.set_language_checked("eng", True)
    again.mode_buttons[OcrMode.NEVER].setChecked(True)
    ok(again)
    assert ocr_defaults(case) == (OcrMode.NEVER, "rus+eng")


def test_the_leading_language_stays_first(qtbot: QtBot, case: Case) -> None:
    set_ocr_defaults(case, languages="eng+rus")
    dialog = make_dialog(qtbot, case)
    assert dialog.chosen_languages() == ["eng", "rus"]
    ok(dialog)
    assert dialog.languages == "eng+rus"


def test_no_language_is_refused_with_a_message(qtbot: QtBot, case: Case) -> None:
    dialog = make_dialog(qtbot, case)
    dialog.show()
    dialog.set_language_checked("rus", False)
    dialog.set_language_checked("eng", False)
    ok(dialog)
    assert dialog.isVisible()
    assert dialog.error.text() == "Check at least one language: Tesseract needs to know what to read."
    assert ocr_defaults(case) == (OcrMode.AUTO, "rus+eng")
    dialog.reject()


def test_languages_named_and_unnamed_and_gone(
    qtbot: QtBot, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tesseract, "installed_languages", lambda: ("aze", "deu", "eng"))
    dialog = make_dialog(qtbot, case)
    assert listed(dialog) == [
        ("Azerbaijani (Latin) (aze)", False),
        ("English (eng)", True),
        ("deu", False),
        ("Russian (rus)  — not installed", True),
    ]
    assert dialog.languages_command.text() == (
        "sudo apt install tesseract-ocr-rus tesseract-ocr-bel tesseract-ocr-aze-cyrl"
    )
    assert "Russian, Belarusian, Azerbaijani (Cyrillic)" in dialog.missing_languages.text()
    ok(dialog)  # rus is still checked: the service names the package to install
    assert dialog.error.text().startswith("Tesseract has no language data for rus: sudo apt install")
    dialog.set_language_checked("rus", False)
    dialog.set_language_checked("aze", True)
    ok(dialog)
    assert ocr_defaults(case) == (OcrMode.AUTO, "eng+aze")


def test_without_tesseract_the_dialog_says_how_to_install_it(
    qtbot: QtBot, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tesseract, "tesseract_program", lambda: None)
    dialog = make_dialog(qtbot, case)
    assert not dialog.missing_program.isHidden()
    assert "not installed" in dialog.missing_program.text()
    assert dialog.program_command.text() == tesseract.INSTALL_HINT
    assert dialog.missing_languages.isHidden()
    assert not dialog.mode_box.isEnabled()
    assert not dialog.language_list.isEnabled()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Close"
    assert listed(dialog) == [("Russian (rus)", True), ("English (eng)", True)]
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert ocr_defaults(case) == (OcrMode.AUTO, "rus+eng")
