"""Kiosk view for the window: large type, one chat, and the PIN asked before it may be left."""

from __future__ import annotations

import hmac
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QWidget

from desktop_chat.settings import AppearanceSettings
from desktop_chat.ui.chat.pane import ChatPane
from desktop_chat.ui.shell import theme

# Kiosk type is this much larger than the chosen font size: read from a step back.
KIOSK_FONT_STEP = 6


def ask_pin(parent: QWidget) -> str | None:
    """The PIN typed to leave kiosk view, or None (cancelled)."""
    text, ok = QInputDialog.getText(
        parent,
        QCoreApplication.translate("DesktopChat", "Leave kiosk view"),
        QCoreApplication.translate("DesktopChat", "PIN:"),
        QLineEdit.EchoMode.Password,
    )
    return text if ok else None


def pin_given(pin: str, ask: Callable[[], str | None]) -> bool:
    """Whether kiosk view may be left: no PIN is set, or ``ask()`` returns it."""
    if not pin:
        return True
    typed = ask()
    return typed is not None and hmac.compare_digest(typed.encode(), pin.encode())


def apply(qapp: QApplication, chat: ChatPane, appearance: AppearanceSettings, on: bool) -> None:
    chat.set_kiosk(on)
    size = appearance.font_size
    theme.apply(qapp, appearance.theme, size + KIOSK_FONT_STEP if on else size)
