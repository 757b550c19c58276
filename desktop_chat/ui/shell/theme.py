"""Light and dark style sheets, and following the system's colour scheme."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

PALETTES = {
    "light": {
        "bg": "#ffffff",
        "side": "#f3f4f6",
        "text": "#1f2328",
        "muted": "#6b7280",
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
    },
}


def resolve(theme: str) -> str:
    """'system' becomes light or dark from the platform's colour scheme."""
    if theme in PALETTES:
        return theme
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hints is not None else Qt.ColorScheme.Unknown
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def style_sheet(theme: str, font_size: int = 11) -> str:
    p = PALETTES[resolve(theme)]
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
QScrollBar:vertical {{ background: transparent; width: 10px; }}
QScrollBar::handle:vertical {{ background: {p["border"]}; border-radius: 5px; min-height: 30px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; }}
"""
