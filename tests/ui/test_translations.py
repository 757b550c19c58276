"""Simplified Chinese: the catalog is complete and compiled, and no pane shows English with it on."""

from __future__ import annotations

import html
import importlib.util
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractListModel, QCoreApplication, QLocale, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from desktop_chat import settings as settings_mod
from desktop_chat.ui.shell import i18n

ROOT = Path(__file__).resolve().parents[2]
TS_FILE = ROOT / "assets" / "translations" / "desktop_chat_zh_CN.ts"
TOOL = ROOT / "tools" / "update_translations.py"
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n|%\d")
MAX_ROWS = 200  # item views: enough to see headers, groups and labels, not every data row


def ts_messages() -> list[tuple[str, str, ET.Element]]:
    """(context, source, message element) for every message the .ts holds."""
    root = ET.parse(TS_FILE).getroot()
    return [
        (context.findtext("name") or "", message.findtext("source") or "", message)
        for context in root.iter("context")
        for message in context.iter("message")
        if message.find("translation") is None
        or message.find("translation").get("type") not in ("obsolete", "vanished")
    ]


def translation_text(message: ET.Element) -> str:
    translation = message.find("translation")
    if translation is None:
        return ""
    forms = [form.text or "" for form in translation.iter("numerusform")]
    return "".join(forms) if forms else (translation.text or "")


@pytest.fixture
def chinese(qapp) -> Iterator[None]:
    assert i18n.install_translator(qapp, "zh_CN")
    yield
    i18n.remove_translators(qapp)


# -- the files -------------------------------------------------------------------------------


def test_catalog_is_packaged_and_loads(qapp) -> None:
    path = i18n.catalog_path("zh_CN")
    assert path.is_file(), f"{path} missing: run tools/update_translations.py"
    try:
        assert i18n.install_translator(qapp, "zh_CN")
        assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"
    finally:
        i18n.remove_translators(qapp)
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_every_message_has_a_finished_translation() -> None:
    missing = [
        f"[{context}] {source!r}"
        for context, source, message in ts_messages()
        if message.find("translation") is None
        or message.find("translation").get("type") == "unfinished"
        or not translation_text(message).strip()
    ]
    assert not missing, (
        "untranslated (add the Chinese to assets/translations/zh_CN.json, then run "
        "tools/update_translations.py):\n" + "\n".join(missing)
    )


def test_compiled_catalog_matches_the_source(chinese) -> None:
    """The .qm is what lrelease makes of the .ts now (someone edited the .ts but not the .qm?)."""
    stale = []
    for context, source, message in ts_messages():
        expected = translation_text(message)
        numerus = message.get("numerus") == "yes"
        shown = QCoreApplication.translate(context, source, None, 2 if numerus else -1)
        if expected and shown != expected.replace("%n", "2"):
            stale.append(f"[{context}] {source!r}: {shown!r} instead of {expected!r}")
    assert not stale, "run tools/update_translations.py:\n" + "\n".join(stale)


def test_every_string_in_the_code_is_in_the_catalog() -> None:
    """A tr() text added to the code but not yet to the .ts would show in English."""
    spec = importlib.util.spec_from_file_location("update_translations", TOOL)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = tool  # its dataclasses look their module up while being built
    spec.loader.exec_module(tool)
    in_catalog = {(context, source) for context, source, _message in ts_messages()}
    in_code = tool.scan_sources(tool.source_files()).messages + tool.settings_messages()
    missing = sorted(
        {f"[{context}] {source!r}" for context, source in in_code}
        - {f"[{context}] {source!r}" for context, source in in_catalog}
    )
    assert not missing, "run tools/update_translations.py, then translate:\n" + "\n".join(missing)


def test_translations_keep_placeholders_and_accelerators() -> None:
    wrong = []
    for context, source, message in ts_messages():
        text = translation_text(message)
        if not text:
            continue
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            wrong.append(f"[{context}] {source!r} -> {text!r}: placeholders differ")
        if re.search(r"&[^&\s]", source) and not re.search(r"&[^&\s]", text):
            wrong.append(f"[{context}] {source!r} -> {text!r}: lost its & accelerator")
    assert not wrong, "\n".join(wrong)


def test_language_choice() -> None:
    assert i18n.choose_language("en", QLocale("zh_CN")) == "en"
    assert i18n.choose_language("zh_CN", QLocale("en_US")) == "zh_CN"
    assert i18n.choose_language("system", QLocale("zh_CN")) == "zh_CN"
    assert i18n.choose_language("system", QLocale("zh_TW")) == "zh_CN"
    assert i18n.choose_language("system", QLocale("de_DE")) == "en"
    assert i18n.choose_language("system") == i18n.choose_language("system", QLocale.system())


def test_switching_back_to_english_removes_the_translator(qapp) -> None:
    assert i18n.install_translator(qapp, "zh_CN")
    assert i18n.install_translator(qapp, "zh_CN")  # twice: still one catalog in force
    assert not i18n.install_translator(qapp, "en")
    assert QCoreApplication.translate("ChatPane", "Send") == "Send"


# -- the running app -------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Visible text without markup, accelerators, trailing colons or ellipses."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"&(?=[^&\s])", "", text).replace("&&", "&")
    return " ".join(text.split()).strip().rstrip(":：…").strip()


def pieces(text: str) -> set[str]:
    """The whole text and the parts a composed label is made of ("Label (unit)", "a · b")."""
    whole = normalize(text)
    parts = {whole}
    for part in re.split(r"\n| · |[()（）]", re.sub(r"<[^>]+>", "\n", text)):
        parts.add(normalize(part))
    return {part for part in parts if part}


def english_matchers() -> tuple[set[str], list[tuple[re.Pattern[str], str]]]:
    """Sources that must not appear on screen: those whose Chinese differs from the English."""
    plain: set[str] = set()
    patterns: list[tuple[re.Pattern[str], str]] = []
    for _context, source, message in ts_messages():
        if translation_text(message) == source or not re.search(r"[A-Za-z]{2,}", source):
            continue  # kept as is on purpose (Top P, chatml, key names) or no words at all
        if PLACEHOLDER.search(source):
            literal = PLACEHOLDER.sub("", source)
            if len(re.findall(r"[A-Za-z]", literal)) >= 3:
                regex = ".+?".join(re.escape(normalize(p)) for p in PLACEHOLDER.split(source))
                patterns.append((re.compile(regex), source))
        else:
            plain.add(normalize(source))
    return plain, patterns


def item_view_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    if model is None:
        return
    root = QModelIndex()
    # A list model's columnCount is private in PySide6: a list has one column.
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
    for column in range(columns):
        header = model.headerData(column, Qt.Orientation.Horizontal)
        if isinstance(header, str):
            yield header
    for row in range(min(model.rowCount(root), MAX_ROWS)):
        for column in range(columns):
            value = model.index(row, column).data()
            if isinstance(value, str):
                yield value


def widget_texts(widget: QWidget) -> Iterator[str]:
    yield widget.toolTip()
    if widget.isWindow():
        yield widget.windowTitle()
    if isinstance(widget, QLabel):
        yield widget.text()
    if isinstance(widget, QAbstractButton):
        yield widget.text()
    if isinstance(widget, QGroupBox):
        yield widget.title()
    if isinstance(widget, QTabWidget):
        for index in range(widget.count()):
            yield widget.tabText(index)
            yield widget.tabToolTip(index)
    if isinstance(widget, QLineEdit):
        yield widget.placeholderText()
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        yield widget.placeholderText()
        if widget.isReadOnly():
            yield widget.toPlainText()
    if isinstance(widget, QComboBox):
        for index in range(widget.count()):
            yield widget.itemText(index)
    if isinstance(widget, QAbstractSpinBox):
        yield widget.specialValueText()
        for name in ("prefix", "suffix"):
            if hasattr(widget, name):
                yield getattr(widget, name)()
    if isinstance(widget, QMenu):
        yield widget.title()
    if isinstance(widget, QAbstractItemView):
        yield from item_view_texts(widget)
    for action in QWidget.actions(widget):  # unbound: a pane may name an attribute "actions"
        yield action.text()
        yield action.toolTip()


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every text the window and its panes can show."""
    found: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        where = f"{type(widget).__name__}({widget.objectName() or '-'})"
        found += [(where, text) for text in widget_texts(widget) if text]
    for action in root.findChildren(QAction):
        found += [(f"QAction({action.objectName() or '-'})", action.text())]
        if action.menu() is not None:
            found += [("QMenu", action.menu().title())]
    return found


def test_no_pane_shows_english_with_chinese_on(qtbot, qapp, chinese) -> None:
    """The issue's check: every pane built with the Chinese catalog, every text looked at."""
    from desktop_chat.app import DesktopChat

    # The language setting also localizes data (profile names), as a Chinese user sees it.
    chosen = settings_mod.with_value(settings_mod.Settings(), "app.language", "zh_CN")
    settings_mod.save(chosen)
    app = DesktopChat(qapp)
    qtbot.addWidget(app.window)
    try:
        plain, patterns = english_matchers()
        texts = visible_texts(app.window)
        assert len(texts) > 50  # the walk really saw the panes
        english = set()
        for where, text in texts:
            for part in pieces(text):
                if part in plain:
                    english.add(f"{where}: {part!r}")
                for pattern, source in patterns:
                    if pattern.fullmatch(part):
                        english.add(f"{where}: {part!r} (from {source!r})")
        assert not english, "shown in English with Chinese on:\n" + "\n".join(sorted(english))
    finally:
        app.window.close()
        app.shutdown()
