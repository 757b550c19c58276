"""A conversation's "⋯" menu in the sidebar: its actions, and the keys that open it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPoint, QRect, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QMenu, QWidget

from desktop_chat.ui.chat.conversation_delegate import MARKER_WIDTH

# The strings were the sidebar's before this module existed; their translations stay there.
_CONTEXT = "ConversationSidebar"


def build_conversation_menu(parent: QWidget, pinned: bool) -> QMenu:
    """The actions for one conversation; each action's data() names its command."""
    tr = QCoreApplication.translate
    menu = QMenu(parent)
    menu.setObjectName("conversationMenu")
    for command, text in (
        ("rename", tr(_CONTEXT, "Rename")),
        ("unpin" if pinned else "pin", tr(_CONTEXT, "Unpin") if pinned else tr(_CONTEXT, "Pin")),
        ("delete", tr(_CONTEXT, "Delete")),
    ):
        action = menu.addAction(text)
        action.setData(command)
    return menu


def menu_anchor(row: QRect) -> QPoint:
    """Where a row's "⋯" button is drawn, so a keyboard-opened menu opens as if clicked."""
    return QPoint(row.right() - MARKER_WIDTH, row.bottom())


def is_menu_key(event: QKeyEvent) -> bool:
    """The Menu key, or Shift+F10 (the keyboard's context-menu key on keyboards without one)."""
    if event.key() == Qt.Key.Key_Menu:
        return True
    shift = Qt.KeyboardModifier.ShiftModifier
    return event.key() == Qt.Key.Key_F10 and event.modifiers() == shift
