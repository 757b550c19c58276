"""Light and dark style sheets, and following the system's colour scheme."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

PALETTES = {
    "light": {
        "bg": "#ffffff",
        "side": "#f3f4f6",
        "text": "#1f2328",
        "muted": "#5f6672",
        "border": "#e5e7eb",
        "user": "#eef2ff",
        "assistant": "#ffffff",
        "accent": "#4f46e5",
        "accent_text": "#ffffff",
        "stop": "#dc2626",
        "error_bg": "#fef2f2",
        "error_text": "#991b1b",
        "info_bg": "#eff6ff",
        "info_text": "#1e3a8a",
        "input": "#ffffff",
        "selected": "#e0e7ff",
        "scroll": "#c4c8d0",
    },
    "dark": {
        "bg": "#1b1c20",
        "side": "#141518",
        "text": "#e6e6e6",
        "muted": "#9ca3af",
        "border": "#2e3036",
        "user": "#272a3a",
        "assistant": "#1b1c20",
        "accent": "#818cf8",
        "accent_text": "#0b0b12",
        "stop": "#f87171",
        "error_bg": "#3b1616",
        "error_text": "#fecaca",
        "info_bg": "#172036",
        "info_text": "#bfdbfe",
        "input": "#23252b",
        "selected": "#2b2f45",
        "scroll": "#4a4d57",
    },
}


def resolve(theme: str) -> str:
    """'system' becomes light or dark from the platform's colour scheme."""
    if theme in PALETTES:
        return theme
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hints is not None else Qt.ColorScheme.Unknown
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def palette(theme: str) -> QPalette:
    """The palette under the style sheet: popups, item views and dialogs the sheet misses."""
    p = PALETTES[resolve(theme)]
    colours = QPalette()
    roles = {
        QPalette.ColorRole.Window: p["bg"],
        QPalette.ColorRole.WindowText: p["text"],
        QPalette.ColorRole.Base: p["input"],
        QPalette.ColorRole.AlternateBase: p["side"],
        QPalette.ColorRole.Text: p["text"],
        QPalette.ColorRole.Button: p["input"],
        QPalette.ColorRole.ButtonText: p["text"],
        QPalette.ColorRole.Highlight: p["selected"],
        QPalette.ColorRole.HighlightedText: p["text"],
        QPalette.ColorRole.ToolTipBase: p["bg"],
        QPalette.ColorRole.ToolTipText: p["text"],
        QPalette.ColorRole.PlaceholderText: p["muted"],
        QPalette.ColorRole.Link: p["accent"],
        QPalette.ColorRole.LinkVisited: p["accent"],
        QPalette.ColorRole.BrightText: p["stop"],
        QPalette.ColorRole.Light: p["border"],
        QPalette.ColorRole.Midlight: p["border"],
        QPalette.ColorRole.Mid: p["border"],
        QPalette.ColorRole.Dark: p["side"],
        QPalette.ColorRole.Shadow: p["side"],
    }
    for role, colour in roles.items():
        colours.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        colours.setColor(QPalette.ColorGroup.Disabled, role, QColor(p["muted"]))
    return colours


def apply(app: QApplication, theme: str, font_size: int = 11) -> None:
    """Give the whole application the theme: its palette, then its style sheet."""
    app.setPalette(palette(theme))
    app.setStyleSheet(style_sheet(theme, font_size))


def icon_url(name: str, theme: str) -> str:
    """A style sheet url() of one of the theme's drawn icons (chevrons, check mark), whose
    colours are the palette's muted text (arrows) and accent text (the check on the accent)."""
    folder = resources.files("desktop_chat") / "resources" / "icons" / "theme"
    path = Path(str(folder / f"{name}-{resolve(theme)}.svg")).as_posix()
    return f'url("{path}")'


def style_sheet(theme: str, font_size: int = 11) -> str:
    p = PALETTES[resolve(theme)]
    down, up, check = (icon_url(name, theme) for name in ("chevron-down", "chevron-up", "check"))
    return f"""
QWidget {{ color: {p["text"]}; font-size: {font_size}pt; }}
QMainWindow, QDialog, #chatPane, #transcript, #transcriptContent, QStackedWidget > QWidget {{
    background: {p["bg"]};
}}
#navBar, #sidebar {{ background: {p["side"]}; border-right: 1px solid {p["border"]}; }}
#navBar QPushButton {{
    text-align: left; padding: 8px 14px; border: none; border-radius: 6px;
    background: transparent; color: {p["text"]};
}}
#navBar QPushButton:checked {{ background: {p["selected"]}; font-weight: bold; }}
#navBar QPushButton:hover {{ background: {p["selected"]}; }}
#appTitle {{ font-size: {font_size + 3}pt; font-weight: bold; padding: 10px 14px; }}
#userMessage {{ background: {p["user"]}; border-radius: 10px; }}
#assistantMessage {{ background: {p["assistant"]}; border: 1px solid {p["border"]};
    border-radius: 10px; }}
#userMessage[dimmed="true"], #assistantMessage[dimmed="true"] {{ color: {p["muted"]}; }}
#userMessage[found="true"], #assistantMessage[found="true"] {{
    border: 2px solid {p["accent"]}; }}
#roleLabel {{ font-weight: bold; color: {p["accent"]}; }}
#metaLabel, #statusLine, #placeholder {{
    color: {p["muted"]}; font-size: {max(8, font_size - 2)}pt; }}
#placeholder {{ font-size: {font_size + 1}pt; padding: 60px 20px; }}
#messageAction {{ color: {p["muted"]}; border: none; padding: 2px 6px;
    font-size: {max(8, font_size - 2)}pt; }}
#messageAction:hover {{ color: {p["accent"]}; }}
#composerArea {{ background: {p["bg"]}; border-top: 1px solid {p["border"]}; }}
#composer, QLineEdit, QPlainTextEdit {{
    background: {p["input"]}; border: 1px solid {p["border"]}; border-radius: 8px; padding: 6px;
}}
#composer:focus, QLineEdit:focus {{ border: 1px solid {p["accent"]}; }}
QPushButton {{ padding: 6px 14px; border-radius: 8px; border: 1px solid {p["border"]};
    background: {p["input"]}; }}
QPushButton:disabled {{ color: {p["muted"]}; }}
#sendButton, QPushButton[primary="true"] {{ background: {p["accent"]}; color: {p["accent_text"]};
    border: none; font-weight: bold; padding: 8px 16px; }}
#sendButton[stop="true"] {{ background: {p["stop"]}; }}
#sendButton:disabled {{ background: {p["border"]}; color: {p["muted"]}; }}
#linkButton {{ border: none; color: {p["accent"]}; background: transparent; }}
#banner[kind="error"] {{ background: {p["error_bg"]}; border-bottom: 1px solid {p["border"]}; }}
#banner[kind="error"] QLabel {{ color: {p["error_text"]}; }}
#banner[kind="info"] {{ background: {p["info_bg"]}; border-bottom: 1px solid {p["border"]}; }}
#banner[kind="info"] QLabel {{ color: {p["info_text"]}; }}
QListWidget, QTreeWidget, QTableWidget {{ background: {p["bg"]}; border: 1px solid {p["border"]};
    border-radius: 8px; }}
QListWidget::item:selected, QTreeWidget::item:selected, QTableWidget::item:selected {{
    background: {p["selected"]}; color: {p["text"]}; }}
#sidebar QListWidget {{ background: {p["side"]}; border: none; }}
#chatHeader {{ font-weight: bold; }}
#suggestionButton {{ border-radius: 14px; padding: 6px 12px; color: {p["accent"]}; }}
#headerButton {{ padding: 4px 10px; }}
#kioskNewChat {{ background: {p["accent"]}; color: {p["accent_text"]}; border: none; }}
#conversationList::item:disabled {{ color: {p["muted"]}; font-weight: bold; }}
#undoStrip, #citationDetail {{ background: {p["info_bg"]}; border: 1px solid {p["border"]};
    border-radius: 6px; }}
#citations #linkButton {{ padding: 1px 4px; }}
QPushButton[primary="true"]:disabled {{ background: {p["border"]}; color: {p["muted"]}; }}
QSpinBox, QDoubleSpinBox, QComboBox {{ background: {p["input"]}; }}
QSpinBox:disabled, QDoubleSpinBox:disabled, QComboBox:disabled {{ color: {p["muted"]}; }}
QHeaderView::section {{ background: {p["side"]}; color: {p["text"]}; border: none;
    border-bottom: 1px solid {p["border"]}; padding: 4px 6px; }}
QTabWidget::pane {{ border: 1px solid {p["border"]}; border-radius: 6px; }}
QTabBar::tab {{ padding: 6px 14px; }}
QTabBar::tab:selected {{ color: {p["accent"]}; font-weight: bold; }}
#overrideTag, #repoTitle {{ color: {p["accent"]}; font-weight: bold; }}
#fieldError {{ color: {p["error_text"]}; }}
#dangerButton {{ color: {p["stop"]}; border: 1px solid {p["stop"]}; }}
#downloadSummary, #memoryLine, #subTitle {{ color: {p["muted"]}; }}
#privacyStatement {{ font-weight: bold; }}
#templateCode, #templatePreview {{ font-family: monospace; }}
QMenuBar {{ background: {p["side"]}; color: {p["text"]}; }}
QMenuBar::item:selected, QMenu::item:selected {{ background: {p["selected"]}; }}
QMenu {{ background: {p["bg"]}; color: {p["text"]}; border: 1px solid {p["border"]}; }}
QToolTip {{ background: {p["bg"]}; color: {p["text"]}; border: 1px solid {p["border"]}; }}
#streamingBody {{ background: transparent; border: none; color: {p["text"]}; }}
#sectionTitle {{ font-size: {font_size + 4}pt; font-weight: bold; }}
#hint {{ color: {p["muted"]}; }}
QScrollBar:vertical {{ background: transparent; width: 10px; border: none; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; border: none; }}
QScrollBar::handle:vertical {{ background: {p["scroll"]}; border-radius: 5px; min-height: 30px; }}
QScrollBar::handle:horizontal {{ background: {p["scroll"]}; border-radius: 5px; min-width: 30px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; width: 0; border: none; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
QAbstractScrollArea::corner {{ background: {p["bg"]}; }}
QComboBox {{ color: {p["text"]}; border: 1px solid {p["border"]}; border-radius: 6px;
    padding: 4px 8px; }}
QComboBox QAbstractItemView {{ background: {p["input"]}; color: {p["text"]};
    border: 1px solid {p["border"]}; selection-background-color: {p["selected"]};
    selection-color: {p["text"]}; outline: none; }}
QTextEdit, QTextBrowser, QPlainTextEdit {{ background: {p["input"]}; color: {p["text"]};
    selection-background-color: {p["selected"]}; selection-color: {p["text"]}; }}
QLineEdit, QSpinBox, QDoubleSpinBox {{ color: {p["text"]};
    selection-background-color: {p["selected"]}; selection-color: {p["text"]}; }}
QSpinBox, QDoubleSpinBox {{ border: 1px solid {p["border"]}; border-radius: 6px; padding: 3px; }}
QTabBar::tab {{ color: {p["text"]}; background: transparent; border: none;
    border-bottom: 2px solid transparent; }}
QTabBar::tab:selected {{ border-bottom: 2px solid {p["accent"]}; }}
QTabBar::tab:hover {{ background: {p["selected"]}; }}
QTreeView, QTreeWidget, QTableView, QListView {{ color: {p["text"]};
    alternate-background-color: {p["side"]}; }}
QGroupBox {{ border: 1px solid {p["border"]}; border-radius: 8px; margin-top: 1.2em;
    padding-top: 6px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; color: {p["text"]}; }}
QCheckBox, QRadioButton {{ color: {p["text"]}; background: transparent; }}
QProgressBar {{ background: {p["input"]}; color: {p["text"]}; border: 1px solid {p["border"]};
    border-radius: 6px; text-align: center; }}
QProgressBar::chunk {{ background: {p["accent"]}; border-radius: 5px; }}
QToolButton {{ color: {p["text"]}; background: transparent; border: none; padding: 2px 6px; }}
QToolButton:hover {{ background: {p["selected"]}; border-radius: 6px; }}
/* Left to the base style, a menu button's arrow sits in a light framed box on a dark card. */
QToolButton::menu-button {{ border: none; background: transparent; width: 14px; }}
QToolButton::menu-arrow, QToolButton::menu-indicator {{ image: {down}; width: 9px; height: 9px; }}
/* Left to the base style, arrows and check boxes are drawn in the input colour on the same
   background: spin buttons as stray frames, unticked boxes not at all. */
QComboBox::drop-down {{ subcontrol-origin: padding; subcontrol-position: center right;
    width: 18px; border: none; background: transparent; }}
QComboBox::down-arrow {{ image: {down}; width: 12px; height: 12px; }}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{ subcontrol-origin: border;
    width: 18px; border: none; background: transparent; }}
QAbstractSpinBox::up-button {{ subcontrol-position: top right; }}
QAbstractSpinBox::down-button {{ subcontrol-position: bottom right; }}
QAbstractSpinBox::up-button:hover, QAbstractSpinBox::down-button:hover {{
    background: {p["selected"]}; border-radius: 4px; }}
QAbstractSpinBox::up-arrow {{ image: {up}; width: 9px; height: 9px; }}
QAbstractSpinBox::down-arrow {{ image: {down}; width: 9px; height: 9px; }}
QAbstractSpinBox::up-arrow:disabled, QAbstractSpinBox::up-arrow:off,
QAbstractSpinBox::down-arrow:disabled, QAbstractSpinBox::down-arrow:off {{ image: none; }}
QCheckBox::indicator, QAbstractItemView::indicator {{ width: 14px; height: 14px;
    border: 1px solid {p["muted"]}; border-radius: 4px; background: {p["input"]}; }}
QCheckBox::indicator:hover, QAbstractItemView::indicator:hover {{
    border-color: {p["accent"]}; }}
QCheckBox::indicator:checked, QAbstractItemView::indicator:checked {{
    background: {p["accent"]}; border-color: {p["accent"]}; image: {check}; }}
QCheckBox::indicator:disabled, QAbstractItemView::indicator:disabled {{
    border-color: {p["border"]}; }}
QCheckBox::indicator:checked:disabled, QAbstractItemView::indicator:checked:disabled {{
    background: {p["border"]}; }}
QMenu::item {{ padding: 4px 18px; }}
QMenu::item:disabled {{ color: {p["muted"]}; }}
QMessageBox, QDialog, QInputDialog {{ background: {p["bg"]}; }}
QSplitter::handle {{ background: {p["border"]}; }}
*:focus {{ outline: none; }}
QPushButton:focus, QToolButton:focus, QComboBox:focus, QCheckBox:focus, QListView:focus,
QTreeView:focus, QTabBar:focus {{ border: 1px solid {p["accent"]}; }}
"""
