"""The strip under the transcript: attachments, 📎, composer, Send and the status line, centred."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from desktop_chat.ui.chat.attachments import AttachmentBar
from desktop_chat.ui.chat.composer import Composer


def composer_area(
    attachments: AttachmentBar,
    composer: Composer,
    send_button: QPushButton,
    status_label: QLabel,
    max_width: int,
) -> tuple[QWidget, QWidget]:
    """The strip, and the column inside it that keeps to the messages' readable width.

    Plain QWidgets (not a subclass) so the style sheet's ``#composerArea`` paints its
    background.
    """
    area = QWidget()
    area.setObjectName("composerArea")
    area_layout = QVBoxLayout(area)
    area_layout.setContentsMargins(24, 8, 24, 8)
    # The composer lines up with the messages: one readable column, centred.
    column = QWidget()
    column_layout = QVBoxLayout(column)
    column_layout.setContentsMargins(0, 0, 0, 0)
    column_layout.addWidget(attachments)
    row = QHBoxLayout()
    row.addWidget(attachments.button, 0, Qt.AlignmentFlag.AlignBottom)
    row.addWidget(composer, 1)
    row.addWidget(send_button, 0, Qt.AlignmentFlag.AlignBottom)
    column_layout.addLayout(row)
    column_layout.addWidget(status_label)
    column.setMaximumWidth(max_width)
    # Centred: as wide as the messages' column, the rest shared by the two sides.
    column.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    centred = QHBoxLayout()
    centred.addStretch(1)
    centred.addWidget(column, 20)
    centred.addStretch(1)
    area_layout.addLayout(centred)
    # Status text (model name and speed) is cut, never allowed to widen the window.
    status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return area, column
