"""Where the Chat pane's conversation list sits: beside the chat, or over a narrow one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QSplitter, QWidget

from desktop_chat.ui.chat.header import ChatHeader

# The conversation list is as wide as the user drags it, within these bounds.
SIDEBAR_MIN_PX = 180
SIDEBAR_MAX_PX = 320
# Below this width the pane hides its conversation list behind the header's toggle.
NARROW_PX = 760


class SidebarPlacement:
    """Beside the chat when there is room; in a narrow pane over it, when asked for.

    Floating over the chat the list takes no room from the layout, so opening it can never
    make the window wider than the screen. Kiosk view shows no list at all.
    """

    def __init__(
        self,
        host: QWidget,
        sidebar: QWidget,
        splitter: QSplitter,
        header_row: ChatHeader,
        kiosk: Callable[[], bool],
    ) -> None:
        self._host = host
        self._sidebar = sidebar
        self._splitter = splitter
        self._header_row = header_row
        self._kiosk = kiosk
        sidebar.setMinimumWidth(SIDEBAR_MIN_PX)
        sidebar.setMaximumWidth(SIDEBAR_MAX_PX)
        self.narrow = False
        self._wanted = False  # in a narrow pane: the user opened the list

    @property
    def floating(self) -> bool:
        return self._sidebar.parent() is self._host

    def toggle(self) -> None:
        self._wanted = not self._sidebar.isVisibleTo(self._host)
        self.place()

    def resized(self, width: int) -> None:
        """The host is now ``width`` wide: fold the list away or bring it back beside the chat."""
        narrow = width < NARROW_PX
        if narrow != self.narrow:
            self.narrow = narrow
            self._wanted = False
            self.place()
        elif self.floating:
            self._fit_floating()

    def place(self) -> None:
        kiosk = self._kiosk()
        self._header_row.set_narrow(self.narrow)
        float_it = self.narrow and self._wanted and not kiosk
        if float_it and not self.floating:
            self._sidebar.setParent(self._host)
            self._fit_floating()
        elif not float_it and self.floating:
            self._splitter.insertWidget(0, self._sidebar)
        self._sidebar.setVisible(not kiosk and (not self.narrow or self._wanted))
        if self.floating:
            self._sidebar.raise_()

    def _fit_floating(self) -> None:
        host = self._host
        top = self._header_row.geometry().bottom() + 1
        width = min(SIDEBAR_MAX_PX, max(SIDEBAR_MIN_PX, host.width() * 2 // 5))
        self._sidebar.setGeometry(0, top, width, host.height() - top)
