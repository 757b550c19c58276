"""Documents attached to a conversation: attach (read, and maybe index, on the task runner),
list, remove; a failure becomes a sentence on the attachment. What they add to a turn is in
chat/attachment_context."""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal

from desktop_chat.chat.attachment_context import (
    ReadResult,
    conversation_folder,
    read_attachment,
    sweep_orphans,
)
from desktop_chat.fsutil import os_error_reason
from desktop_chat.kb.readers import Cancelled, DocumentError, check_size
from desktop_chat.store import Attachment, NotFoundError, Store, StoreError
from desktop_chat.tasks import TaskRunner

log = logging.getLogger(__name__)


class ConversationHost(Protocol):
    """What attaching to a chat needs of the chat controller (kept a Protocol: the controller
    owns this service)."""

    conversation_id: int | None

    def new_conversation_for(self, title: str) -> int | None: ...


def _interrupted() -> str:
    return QCoreApplication.translate(
        "ChatAttachments", "Reading stopped before the end. Attach the file again to use it."
    )


class ChatAttachments(QObject):
    """The open conversations' attachments: attach (read, maybe index) in the background,
    remove, and what a turn adds. A chip in the view follows ``changed``."""

    changed = Signal(int)  # a conversation id whose attachments changed
    progress = Signal(int, object)  # attachment id, (done, total)

    def __init__(
        self,
        get_store: Callable[[], Store],
        get_context_size: Callable[[], int],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.get_store = get_store
        self.get_context_size = get_context_size
        self.runner = TaskRunner(self)
        self._reading: dict[int, int] = {}  # task id -> attachment id
        self.sweep()

    def sweep(self) -> None:
        """Remove the indexes of conversations purged since (never for a stand-in store kept in
        memory: the real conversations are elsewhere, and so would be judged gone)."""
        store = self.get_store()
        if store.path is None:
            return
        try:
            sweep_orphans(store)
        except (OSError, StoreError) as error:
            log.warning("could not sweep attachment indexes: %s", error)

    def list(self, conversation_id: int | None) -> list[Attachment]:
        """The conversation's attachments; one left "reading" by an earlier run (the app
        closed while it was read) is marked failed, with a way forward."""
        if conversation_id is None:
            return []
        store = self.get_store()
        try:
            attachments = store.attachments(conversation_id)
            live = set(self._reading.values())
            for index, attachment in enumerate(attachments):
                if attachment.mode == "reading" and attachment.id not in live:
                    attachments[index] = store.update_attachment(
                        attachment.id, mode="failed", error=_interrupted()
                    )
        except StoreError:
            return []
        return attachments

    def has_documents(self, conversation_id: int | None) -> bool:
        return any(a.mode in ("whole", "indexed") for a in self.list(conversation_id))

    def indexed_name(self, conversation_id: int | None) -> str:
        """The name of the conversation's first indexed document ("" when none is)."""
        return next((a.name for a in self.list(conversation_id) if a.mode == "indexed"), "")

    def reading(self, conversation_id: int | None) -> bool:
        return any(a.mode == "reading" for a in self.list(conversation_id))

    def attach(self, host: ConversationHost, path: Path | str) -> Attachment | None:
        """Attach a file to the host's conversation (started for it when it has none yet).
        Returns the attachment, read in the background; a file that cannot be used ends as a
        failed attachment whose error is a sentence. None when nothing could be stored."""
        path = Path(path)
        store = self.get_store()
        conversation_id = host.conversation_id
        if conversation_id is None:
            conversation_id = host.new_conversation_for(path.name)
            if conversation_id is None:
                return None
        try:
            size = path.stat().st_size
            attachment = store.add_attachment(conversation_id, path.name, path=str(path), size=size)
        except OSError as exc:
            return self._failed(
                store,
                conversation_id,
                path,
                QCoreApplication.translate(
                    "ChatAttachments", "{name} cannot be read ({reason}). Check the file."
                ).format(name=path.name, reason=os_error_reason(exc)),
            )
        except StoreError as error:
            log.warning("could not store an attachment: %s", error)
            return None
        try:
            check_size(path, size)
        except DocumentError as error:
            return self._finish_failed(store, attachment, str(error))
        folder = conversation_folder(store, conversation_id)
        context_size = self.get_context_size()
        task = self.runner.run(
            "read-attachment",
            lambda context: read_attachment(path, context_size, folder, attachment.id, context),
            on_done=self._on_read,
            on_failed=self._on_failed,
            on_progress=self._on_progress,
            expected=(DocumentError, Cancelled),
        )
        if task is None:  # closing
            return self._finish_failed(store, attachment, _interrupted())
        self._reading[task.id] = attachment.id
        self.changed.emit(conversation_id)
        return attachment

    def _failed(
        self, store: Store, conversation_id: int, path: Path, sentence: str
    ) -> Attachment | None:
        try:
            attachment = store.add_attachment(conversation_id, path.name, path=str(path))
        except StoreError:
            return None
        return self._finish_failed(store, attachment, sentence)

    def _finish_failed(self, store: Store, attachment: Attachment, sentence: str) -> Attachment:
        try:
            attachment = store.update_attachment(attachment.id, mode="failed", error=sentence)
        except StoreError as error:
            log.warning("could not store an attachment's failure: %s", error)
        self.changed.emit(attachment.conversation_id)
        return attachment

    def remove(self, attachment_id: int) -> None:
        """Detach a document (its reading stops; its passages leave the conversation's index)."""
        for task_id, reading in list(self._reading.items()):
            if reading == attachment_id:
                self.runner.cancel(task_id)
                del self._reading[task_id]
        store = self.get_store()
        try:
            attachment = store.get_attachment(attachment_id)
            store.remove_attachment(attachment_id)
        except StoreError:
            return
        if attachment.mode == "indexed":
            # The index is rebuilt from the remaining documents' stored text at the next turn.
            with contextlib.suppress(StoreError):
                folder = conversation_folder(store, attachment.conversation_id)
                shutil.rmtree(folder, ignore_errors=True)
        self.changed.emit(attachment.conversation_id)

    def _update(self, task_id: int, **changes: Any) -> None:
        attachment_id = self._reading.pop(task_id, None)
        if attachment_id is None:
            return  # removed while it was read
        store = self.get_store()
        try:
            attachment = store.update_attachment(attachment_id, **changes)
        except NotFoundError:
            return
        except StoreError as error:
            log.warning("could not store an attachment: %s", error)
            return
        self.changed.emit(attachment.conversation_id)

    def _on_read(self, task_id: int, result: object) -> None:
        assert isinstance(result, ReadResult)
        self._update(
            task_id, mode=result.mode, tokens=result.tokens, sections=result.sections, error=""
        )

    def _on_failed(self, task_id: int, error: object) -> None:
        sentence = _interrupted() if isinstance(error, Cancelled) else str(error)
        self._update(task_id, mode="failed", error=sentence)

    def _on_progress(self, task_id: int, value: object) -> None:
        attachment_id = self._reading.get(task_id)
        if attachment_id is not None:
            self.progress.emit(attachment_id, value)

    def busy(self) -> bool:
        return self.runner.busy()

    def release(self) -> None:
        """Stop reading (the store is about to close or be replaced)."""
        for task_id in list(self._reading):
            self.runner.cancel(task_id)
        self._reading.clear()

    def shutdown(self) -> None:
        self.release()
        self.runner.shutdown()
