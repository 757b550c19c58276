"""Assistant profiles in the UI: the dialog that edits them and the combo box that picks one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_chat.chat.profiles import Profile, ProfileError, ProfileStore, import_logo
from desktop_chat.ui.settings.profile_form import ProfileForm
from desktop_chat.ui.shell.banner import Banner
from desktop_chat.ui.shell.widgets import ElidingComboBox, ask_yes_no

ID_ROLE = Qt.ItemDataRole.UserRole


class ProfilesDialog(QDialog):
    """Lists profiles and edits the user's own; built-ins are shown read-only.

    ``profiles_changed`` fires after any profile is created, saved or deleted.
    """

    profiles_changed = Signal()

    def __init__(
        self,
        store: ProfileStore | None = None,
        lang: str = "en",
        parent: QWidget | None = None,
        select: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("profilesDialog")
        self.setWindowTitle(self.tr("Assistant profiles"))
        self.store = store if store is not None else ProfileStore()
        self.lang = lang
        self._shown_id: str | None = None
        self.dirty = False
        self._build()
        self.reload(select)
        if self.store.notice:
            self.banner.show_error(self.store.notice)

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.banner = Banner(self)
        outer.addWidget(self.banner)
        body = QHBoxLayout()
        outer.addLayout(body, 1)

        left = QVBoxLayout()
        self.list = QListWidget()
        self.list.setObjectName("profileList")
        self.list.currentRowChanged.connect(self._on_row_changed)
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.new_button = QPushButton(self.tr("New"))
        self.duplicate_button = QPushButton(self.tr("Duplicate"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.new_button.clicked.connect(self.new_profile)
        self.duplicate_button.clicked.connect(self.duplicate_profile)
        self.delete_button.clicked.connect(self.delete_profile)
        for button in (self.new_button, self.duplicate_button, self.delete_button):
            row.addWidget(button)
        left.addLayout(row)
        body.addLayout(left, 1)

        self.form = ProfileForm()
        self.form.edited.connect(self._mark_dirty)
        self.form.logo_choose_button.clicked.connect(self.choose_logo)
        body.addWidget(self.form, 2)
        # The form's fields, under the names callers and tests have always used.
        self.readonly_note = self.form.readonly_note
        self.name_edit = self.form.name_edit
        self.prompt_edit = self.form.prompt_edit
        self.temperature_spin = self.form.temperature_spin
        self.max_tokens_spin = self.form.max_tokens_spin
        self.kb_combo = self.form.kb_combo
        self.greeting_edit = self.form.greeting_edit
        self.suggestions_edit = self.form.suggestions_edit
        self.shop_name_edit = self.form.shop_name_edit
        self.logo_label = self.form.logo_label
        self.logo_choose_button = self.form.logo_choose_button
        self.logo_remove_button = self.form.logo_remove_button

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.resize(820, 560)

    # -- hooks that tests replace ------------------------------------------------------
    def pick_logo_file(self) -> str:
        """The image file the user picks for the logo ("" when cancelled)."""
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a logo"),
            "",
            self.tr("Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp)"),
        )
        return path

    def confirm(self, title: str, text: str) -> bool:
        return ask_yes_no(self, title, text)

    # -- list --------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        """Re-list profiles and knowledge bases (after they changed elsewhere)."""
        select = select or self._shown_id
        self.list.blockSignals(True)
        self.list.clear()
        for profile in self.store.all():
            shown = profile.localized(self.lang)
            text = (
                self.tr("{name} (built-in)").format(name=shown.name)
                if profile.builtin
                else (shown.name)
            )
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, profile.id)
            self.list.addItem(item)
        ids = self.profile_ids()
        row = ids.index(select) if select in ids else 0
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self._show(ids[row])

    def profile_ids(self) -> list[str]:
        return [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())]

    def current_id(self) -> str | None:
        return self._shown_id

    def select(self, profile_id: str) -> bool:
        ids = self.profile_ids()
        if profile_id not in ids:
            return False
        self.list.setCurrentRow(ids.index(profile_id))
        return self._shown_id == profile_id

    @Slot(int)
    def _on_row_changed(self, row: int) -> None:
        ids = self.profile_ids()
        if not 0 <= row < len(ids) or ids[row] == self._shown_id:
            return
        if not self._can_leave():
            previous = ids.index(self._shown_id) if self._shown_id in ids else 0
            self.list.blockSignals(True)
            self.list.setCurrentRow(previous)
            self.list.blockSignals(False)
            return
        self._show(ids[row])

    def _can_leave(self) -> bool:
        """True unless there are unsaved edits the user wants to keep."""
        if not self.dirty:
            return True
        return self.confirm(
            self.tr("Unsaved changes"),
            self.tr("Discard your unsaved changes to “{name}”?").format(name=self.name_edit.text()),
        )

    # -- form --------------------------------------------------------------------------
    def _show(self, profile_id: str) -> None:
        profile = self.store.get(profile_id)
        self._shown_id = profile_id
        editable = not profile.builtin
        self.form.show_profile(profile.localized(self.lang), editable)
        self.dirty = False
        self.save_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)

    @Slot()
    def _mark_dirty(self) -> None:
        self.dirty = True

    def form_changes(self) -> dict[str, Any]:
        """The form as ``ProfileStore.update`` keyword arguments."""
        profile = self.store.get(self._shown_id) if self._shown_id else None
        return self.form.changes(profile.generation if profile is not None else {})

    @Slot()
    def choose_logo(self) -> None:
        """Copy the picked image into the data folder, so the logo survives the original."""
        picked = self.pick_logo_file()
        if not picked:
            return
        try:
            self.form.set_logo(import_logo(Path(picked)))
        except ProfileError as exc:
            self.banner.show_error(str(exc))
            return
        self.banner.hide()

    # -- actions -----------------------------------------------------------------------
    @Slot()
    def save(self) -> bool:
        """Write the form to the store; a ProfileError is shown in the dialog."""
        if self._shown_id is None:
            return False
        try:
            self.store.update(self._shown_id, **self.form_changes())
        except (ProfileError, OSError) as exc:
            self.banner.show_error(str(exc))
            return False
        self.banner.hide()
        self.dirty = False
        self.reload(self._shown_id)
        self.profiles_changed.emit()
        return True

    @Slot()
    def new_profile(self) -> Profile | None:
        if not self._can_leave():
            return None
        return self._created(lambda: self.store.create(self.tr("New assistant")))

    @Slot()
    def duplicate_profile(self) -> Profile | None:
        if self._shown_id is None or not self._can_leave():
            return None
        # Copy what the user sees: a built-in's translated greeting and suggestions included.
        source = self.store.get(self._shown_id).localized(self.lang)
        return self._created(
            lambda: self.store.create(
                self.tr("{name} (copy)").format(name=source.name),
                system_prompt=source.system_prompt,
                generation=dict(source.generation),
                knowledge_base=source.knowledge_base,
                greeting=source.greeting,
                suggestions=source.suggestions,
                shop_name=source.shop_name,
                logo=source.logo,
            )
        )

    def _created(self, make: Any) -> Profile | None:
        try:
            profile: Profile = make()
        except (ProfileError, OSError) as exc:
            self.banner.show_error(str(exc))
            return None
        self.dirty = False
        self.reload(profile.id)
        self.name_edit.setFocus()
        self.name_edit.selectAll()
        self.profiles_changed.emit()
        return profile

    @Slot()
    def delete_profile(self) -> bool:
        if self._shown_id is None:
            return False
        profile = self.store.get(self._shown_id)
        if profile.builtin:
            return False
        question = self.tr("Delete the profile “{name}”? This cannot be undone.").format(
            name=profile.name
        )
        if not self.confirm(self.tr("Delete profile"), question):
            return False
        try:
            self.store.delete(profile.id)
        except (ProfileError, OSError) as exc:
            self.banner.show_error(str(exc))
            return False
        self.dirty = False
        self._shown_id = None
        self.reload()
        self.profiles_changed.emit()
        return True

    def reject(self) -> None:
        if self._can_leave():
            super().reject()


class ProfilePicker(ElidingComboBox):
    """Picks the assistant profile (a long name is cut with … where the header is narrow). ``profile_chosen`` fires when the user picks one.

    Setting the profile from code (``set_current_profile``) does not emit it.
    """

    profile_chosen = Signal(str)

    def __init__(
        self, store: ProfileStore | None = None, lang: str = "en", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("profilePicker")
        self.store = store if store is not None else ProfileStore()
        self.lang = lang
        self.activated.connect(self._on_activated)
        self.refresh()

    def refresh(self) -> None:
        """Re-list the store's profiles (after the dialog changed them); keeps the choice."""
        current = self.current_profile_id()
        self.blockSignals(True)
        try:
            self.clear()
            for profile in self.store.all():
                self.addItem(profile.localized(self.lang).name, profile.id)
            index = self.findData(current) if current is not None else -1
            self.setCurrentIndex(max(index, 0))
        finally:
            self.blockSignals(False)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.refresh()

    def current_profile_id(self) -> str | None:
        data = self.currentData()
        return data if isinstance(data, str) else None

    def set_current_profile(self, profile_id: str) -> bool:
        index = self.findData(profile_id)
        if index < 0:
            return False
        self.setCurrentIndex(index)
        return True

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        profile_id = self.itemData(index)
        if isinstance(profile_id, str):
            self.profile_chosen.emit(profile_id)
