"""Start-up pieces around the window: the QApplication, the conversation store (or a
session-only one, and why), and the sentence for a data folder the app cannot use."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from desktop_chat.store import Store, StoreError, open_memory_store, open_store
from desktop_chat.ui.shell.about import app_icon

log = logging.getLogger(__name__)

DESKTOP_FILE_NAME = "org.desktopchat.DesktopChat"


def ensure_qapp(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("desktop-chat")
    app.setOrganizationName("desktop-chat")
    # The .desktop entry's name (packaging/): docks group the window under its launcher.
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    app.setWindowIcon(app_icon())
    return app


class StartupError(Exception):
    """The window cannot be built (a data folder it cannot write); str() is a sentence."""


def startup_sentence(error: OSError) -> str:
    where = f" ({error.filename})" if error.filename else ""
    return QCoreApplication.translate(
        "DesktopChat",
        "Desktop Chat cannot start: {reason}{where}. Make that folder writable, or set "
        "DESKTOP_CHAT_HOME to a folder you can write, and start it again.",
    ).format(reason=error.strerror or error, where=where)


def open_store_or_memory() -> tuple[Store, str | None]:
    """The conversation store; when the file cannot be used, a session-only one and why.

    The file is left exactly as it is (locked by another copy of the app, or written by a
    newer version), so nothing in it is lost.
    """
    try:
        return open_store()
    except StoreError as error:
        log.warning("conversation history unavailable: %s", error)
        notice = QCoreApplication.translate(
            "DesktopChat",
            "{error} Chats in this session will not be kept until the app is restarted.",
        ).format(error=error)
        return open_memory_store(), notice
