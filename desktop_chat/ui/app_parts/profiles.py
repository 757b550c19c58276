"""The chat header's profile picker and Profiles… dialog: the profile in force goes to the chat."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from desktop_chat.chat.profiles import Profile, ProfileError, ProfileStore
from desktop_chat.ui.chat.pane import ChatPane
from desktop_chat.ui.settings.profiles import ProfilePicker, ProfilesDialog


class ProfileControl(QObject):
    """Finds profiles in the user's language and puts one in force; the app remembers it."""

    def __init__(
        self,
        profiles: Callable[[], ProfileStore],
        chat: ChatPane,
        language: Callable[[], str],
        window: Callable[[], QWidget],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._profiles = profiles  # a getter: "Delete all my data" starts a new store
        self._chat = chat
        self._language = language
        self._window = window
        self.picker = ProfilePicker(profiles(), language())
        self.picker.setSizeAdjustPolicy(ProfilePicker.SizeAdjustPolicy.AdjustToContents)
        chat.add_header_widget(self.picker)
        chat.add_header_button(self.tr("Profiles…"), self.edit)

    def find(self, profile_id: str) -> Profile | None:
        try:
            return self._profiles().get(profile_id).localized(self._language())
        except ProfileError:
            return None

    def choose(self, profile_id: str) -> Profile | None:
        """Put ``profile_id`` (else "general") in force on the chat and the picker."""
        profile = self.find(profile_id) or self.find("general")
        self._chat.set_profile(profile)
        if profile is not None:
            self.picker.set_current_profile(profile.id)
        return profile

    def store_replaced(self) -> None:
        """The profiles were deleted and read again: the picker lists the new store's."""
        self.picker.store = self._profiles()
        self.picker.refresh()

    @Slot()
    def edit(self) -> None:
        dialog = ProfilesDialog(self._profiles(), self._language(), self._window())
        dialog.profiles_changed.connect(self.picker.refresh)
        dialog.exec()
        dialog.deleteLater()
