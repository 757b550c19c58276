"""How one conversation row is drawn in the sidebar: elided title, pin marker, menu button."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop_chat.ui.shell.widgets import plain_tooltip

ID_ROLE = Qt.ItemDataRole.UserRole
TITLE_ROLE = Qt.ItemDataRole.UserRole + 1
PINNED_ROLE = Qt.ItemDataRole.UserRole + 2
MARKER_WIDTH = 22  # room for the pin marker and for the "…" menu button at a row's right end
# A row shows far fewer characters than this; eliding a pasted megabyte each paint would not.
SHOWN_TITLE_CHARS = 300
TOOLTIP_TITLE_CHARS = 1_000

Index = QModelIndex | QPersistentModelIndex


def is_conversation(index: Index) -> bool:
    return index.data(ID_ROLE) is not None


def tooltip(title: str) -> str:
    return plain_tooltip(title, TOOLTIP_TITLE_CHARS)


class ConversationDelegate(QStyledItemDelegate):
    """Elides titles so the pin marker and a hover "…" menu button fit at the right end."""

    menu_requested = Signal(int, QPoint)  # conversation id, global position

    def _menu_rect(self, rect: QRect) -> QRect:
        return QRect(rect.right() - MARKER_WIDTH, rect.top(), MARKER_WIDTH, rect.height())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if not is_conversation(index):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        # The focused row shows its "⋯" too: the keyboard opens it (Menu key, Shift+F10).
        shown = (
            QStyle.StateFlag.State_MouseOver
            | QStyle.StateFlag.State_Selected
            | QStyle.StateFlag.State_HasFocus
        )
        active = bool(opt.state & shown)
        pinned = bool(index.data(PINNED_ROLE))
        reserve = MARKER_WIDTH * (int(pinned) + int(active))
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        opt.text = opt.fontMetrics.elidedText(
            opt.text[:SHOWN_TITLE_CHARS],
            Qt.TextElideMode.ElideRight,
            max(0, text_rect.width() - reserve),
        )
        opt.textElideMode = Qt.TextElideMode.ElideNone
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        painter.save()
        group = QPalette.ColorGroup.Normal
        painter.setPen(opt.palette.color(group, QPalette.ColorRole.Text))
        right = opt.rect
        if active:
            painter.drawText(self._menu_rect(right), Qt.AlignmentFlag.AlignCenter, "⋯")
            right = right.adjusted(0, 0, -MARKER_WIDTH, 0)
        if pinned:
            self._paint_pin(painter, self._menu_rect(right))
        painter.restore()

    @staticmethod
    def _paint_pin(painter: QPainter, rect: QRect) -> None:
        # Drawn, not an emoji: emoji fonts are missing on many Linux desktops.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        centre = QPointF(rect.center())
        head = centre + QPointF(2, -3)
        painter.setBrush(painter.pen().color())
        painter.drawEllipse(head, 3.0, 3.0)
        painter.drawLine(head, centre + QPointF(-3, 4))

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        # Headers get room above them to separate the groups; rows get room to breathe.
        return size + QSize(0, 8 if is_conversation(index) else 12)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setObjectName("renameEditor")
        editor.setPlaceholderText(self.tr("Conversation name"))
        return editor

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        # Qt commits an Enter through a queued call; a click on another row or a list refresh
        # in between closes the editor first, and the late commit then finds an editor the
        # view no longer has (Qt warns, and the typed title is lost). Commit at once instead.
        if (
            isinstance(editor, QLineEdit)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
            return True
        return super().eventFilter(editor, event)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        # The shown text may be the "New chat" placeholder; edit the real title.
        assert isinstance(editor, QLineEdit)
        editor.setText(index.data(TITLE_ROLE) or "")
        editor.selectAll()

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        kinds = (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick,
        )
        if (
            event.type() in kinds
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and is_conversation(index)
            and self._menu_rect(option.rect).contains(event.position().toPoint())
        ):
            # Press and double-click are swallowed too: the button must not open or rename.
            if event.type() == QEvent.Type.MouseButtonRelease:
                self.menu_requested.emit(int(index.data(ID_ROLE)), event.globalPosition().toPoint())
            return True
        return super().editorEvent(event, model, option, index)
