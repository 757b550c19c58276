"""The Hugging Face access token for gated models: asked for, kept in the keyring or the session."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from desktop_chat.models import hub


# Translated in the Discover tab's context, where these sentences were first written.
def ask_and_keep_token(parent: QWidget | None, token: str | None = None) -> str:
    """Ask for the token unless given; keep it in the system keyring where there is one.

    Returns the sentence for the user, or "" when the dialog was cancelled."""
    if token is None:
        token, ok = QInputDialog.getText(
            parent,
            QCoreApplication.translate("DiscoverTab", "Hugging Face access token"),
            QCoreApplication.translate(
                "DiscoverTab", "Token for gated models (leave empty to forget it):"
            ),
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return ""
    token = token.strip()
    if hub.save_token(token or None):
        return (
            QCoreApplication.translate("DiscoverTab", "The token is kept in the system keyring.")
            if token
            else QCoreApplication.translate("DiscoverTab", "The token was forgotten.")
        )
    if token:
        # No keyring here: the token lives only in this process, never in a plain file.
        os.environ["HF_TOKEN"] = token
        return QCoreApplication.translate(
            "DiscoverTab",
            "There is no system keyring, so the token is used until you close the app.",
        )
    os.environ.pop("HF_TOKEN", None)
    return QCoreApplication.translate("DiscoverTab", "The token was forgotten.")
