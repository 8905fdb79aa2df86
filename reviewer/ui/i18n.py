"""The window's language: Qt translators for reviewer's own words and Qt's standard ones.

The language is the setting ``view/language`` if one was chosen (View ▸ Language), else the system's
(``QLocale.system()``) when reviewer has a translation for it, else English, the words of the source.
A translation is ``reviewer_<code>.qm`` in ``reviewer/resources/translations`` (docs/translating.md).
Words from the core (service messages, errors, signal explanations) are English in every language.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

LANGUAGE_KEY = "view/language"
#: each language by its own name, as a person who reads it looks for it in a menu
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}


def translations_folder() -> Path | None:
    """Where the ``.qm`` files are installed (None if the resources are missing)."""
    try:
        folder = Path(str(resources.files("reviewer.resources") / "translations"))
    except (ModuleNotFoundError, TypeError):
        return None
    return folder if folder.is_dir() else None


def available_languages() -> list[str]:
    """English and every language with a translation installed."""
    folder = translations_folder()
    found = sorted(p.stem.removeprefix("reviewer_") for p in folder.glob("reviewer_*.qm")) if folder else []
    return ["en", *(code for code in found if code != "en")]


def chosen_language(settings: QSettings | None, system: QLocale | None = None) -> str:
    """The language to show: the setting, else the system's if translated, else English."""
    languages = available_languages()
    wanted = str(settings.value(LANGUAGE_KEY, "") or "") if settings is not None else ""
    if wanted in languages:
        return wanted
    for name in (system or QLocale.system()).uiLanguages():
        code = name.replace("-", "_").split("_")[0].lower()
        if code in languages:
            return code
    return "en"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install reviewer's translation and Qt's own (dialog buttons) for ``language``; none for English.

    The translators are returned so that the caller can remove them (tests) and keep them alive.
    """
    if language == "en":
        return []
    installed: list[QTranslator] = []
    folder = translations_folder()
    ours = QTranslator(app)
    if folder is not None and ours.load(str(folder / f"reviewer_{language}.qm")):
        app.installTranslator(ours)
        installed.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    """Back to English."""
    for translator in translators:
        app.removeTranslator(translator)


#: ``translate("Context", "words")`` outside a QObject (pyside6-lupdate finds these calls by name)
translate = QCoreApplication.translate


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name pyside6-lupdate looks for
    """Mark ``text`` for translation in ``context`` where it is defined; translate it where it is shown."""
    del context
    return text


def english_plural(text: str, count: int) -> str:
    """``3 place(s)`` as English says it (``3 places``, ``1 place``) when no translation is installed.

    Qt's numerus strings (``translate(context, "%n place(s)", None, n)``) take their plural forms from
    the translation; the source language has none, so the window's English keeps "(s)" unless told.
    """
    return text.replace("(s)", "" if count == 1 else "s")
