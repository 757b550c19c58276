"""The user's data as a whole: conversations exported and imported through the window, and every
data location removed for "Delete all my data"."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop_chat import paths
from desktop_chat.store import Store, StoreError
from desktop_chat.ui.chat.pane import ChatPane


class ConversationFiles(QObject):
    """File → Export / Import: the dialogs, the store's archive calls, and a sentence after."""

    def __init__(
        self, window: Callable[[], QWidget], chat: ChatPane, store: Callable[[], Store]
    ) -> None:
        super().__init__()
        self._window = window
        self._chat = chat
        self._store = store  # a getter: "Delete all my data" opens a new store

    def export(self, which: str, target: Path | None = None) -> Path | None:
        """Markdown or JSON, chosen by the file name; ``target`` skips the dialog (tests)."""
        chat = self._chat
        ids = None
        if which == "current":
            if chat.conversation_id is None:
                chat.banner.show_info(self.tr("Open a conversation to export it."))
                return None
            ids = [chat.conversation_id]
        if target is None:
            name, _ = QFileDialog.getSaveFileName(
                self._window(),
                self.tr("Export conversations"),
                str(Path.home() / "conversations.json"),
                self.tr("JSON archive (*.json);;Markdown (*.md)"),
            )
            if not name:
                return None
            target = Path(name)
        store = self._store()
        try:
            if target.suffix.lower() == ".md":
                count = store.export_markdown(target, ids)
            else:
                count = store.export_json(target, ids)
        except (StoreError, OSError) as error:
            chat.banner.show_error(self.tr("Export failed: {error}").format(error=error))
            return None
        chat.banner.show_info(
            self.tr("Exported {n} conversation(s) to {path}.").format(n=count, path=target)
        )
        return target

    def import_(self, source: Path | None = None) -> list[int]:
        """A JSON archive's conversations added to the store; ``source`` skips the dialog."""
        chat = self._chat
        if source is None:
            name, _ = QFileDialog.getOpenFileName(
                self._window(),
                self.tr("Import conversations"),
                str(Path.home()),
                self.tr("JSON archive (*.json)"),
            )
            if not name:
                return []
            source = Path(name)
        try:
            ids = self._store().import_archive(source)
        except StoreError as error:
            chat.banner.show_error(str(error))
            return []
        chat.sidebar.refresh()
        chat.banner.show_info(self.tr("Imported {n} conversation(s).").format(n=len(ids)))
        return ids


def remove_all_data() -> list[str]:
    """Delete every data location but the logs; "<location> (<reason>)" for each one left."""
    failed = []
    for location in paths.all_locations().values():
        if location == paths.logs_dir():
            continue  # the open log file; it holds no conversation text
        try:
            if location.is_dir():
                shutil.rmtree(location)
            else:
                location.unlink(missing_ok=True)
        except OSError as error:
            failed.append(f"{location} ({error.strerror})")
    return failed
