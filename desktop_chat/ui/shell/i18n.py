"""Interface language: pick it from the setting or the system locale, and install Qt translators."""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

LANGUAGES = ("en", "zh_CN")
CATALOG = "desktop_chat"

# QCoreApplication holds translators by raw pointer: without a Python reference here they
# would be garbage-collected and silently stop translating.
_installed: list[QTranslator] = []


def choose_language(setting: str, system: QLocale | None = None) -> str:
    """The language to show: "en" or "zh_CN"; "system" (or anything unknown) follows the locale."""
    if setting in LANGUAGES:
        return setting
    locale = system if system is not None else QLocale.system()
    # Traditional Chinese locales get Simplified Chinese too: closer than English for them.
    return "zh_CN" if locale.language() == QLocale.Language.Chinese else "en"


def catalog_path(language: str) -> Path:
    """Where the compiled .qm for ``language`` lies inside the package (it may not exist)."""
    folder = resources.files("desktop_chat") / "resources" / "i18n"
    return Path(str(folder / f"{CATALOG}_{language}.qm"))


def remove_translators(app: QApplication) -> None:
    while _installed:
        app.removeTranslator(_installed.pop())


def install_translator(app: QApplication, language: str) -> bool:
    """Show the interface in ``language``; returns whether a Chinese catalog was installed.

    Translators installed by an earlier call are removed first, so calling it again switches
    language (widgets built before the switch keep the texts they were built with).
    """
    remove_translators(app)
    if language == "en":
        return False
    ours = QTranslator(app)
    path = catalog_path(language)
    if not ours.load(str(path)):
        log.warning("no translations for %s at %s; the interface stays in English", language, path)
        return False
    app.installTranslator(ours)
    _installed.append(ours)
    # Qt's own strings: the buttons of QMessageBox / QDialogButtonBox, file dialogs, menus.
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qtbase = QTranslator(app)
    if qtbase.load(f"qtbase_{language}", qt_folder):
        app.installTranslator(qtbase)
        _installed.append(qtbase)
    else:
        log.info("Qt's own %s translations are not installed in %s", language, qt_folder)
    return True
