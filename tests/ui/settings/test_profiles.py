"""ProfilesDialog and ProfilePicker over a real ProfileStore in the test's app home."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_chat.chat.profiles import BUILTIN_PROFILES, ProfileStore
from desktop_chat.kb import library
from desktop_chat.ui.settings.profiles import ProfilePicker, ProfilesDialog


@pytest.fixture
def store() -> ProfileStore:
    return ProfileStore()


@pytest.fixture
def dialog(qtbot, store) -> ProfilesDialog:
    dialog = ProfilesDialog(store)
    qtbot.addWidget(dialog)
    return dialog


def test_built_ins_are_listed_marked_and_read_only(dialog):
    assert dialog.profile_ids() == [p.id for p in BUILTIN_PROFILES]
    assert dialog.list.item(0).text() == "General assistant (built-in)"
    assert dialog.select("customer-service")
    assert dialog.name_edit.text() == "Customer service"
    assert dialog.temperature_spin.value() == pytest.approx(0.2)
    assert dialog.max_tokens_spin.text() == "App default"
    assert dialog.kb_combo.currentData() == "shop-demo"
    assert dialog.suggestions_edit.toPlainText().splitlines()[0] == "How long do refunds take?"
    assert dialog.name_edit.isReadOnly() and dialog.prompt_edit.isReadOnly()
    assert dialog.temperature_spin.isReadOnly() and not dialog.kb_combo.isEnabled()
    assert not dialog.save_button.isEnabled()
    assert not dialog.delete_button.isEnabled()
    assert dialog.duplicate_button.isEnabled()
    assert not dialog.readonly_note.isHidden()
    assert not dialog.delete_profile()  # even called directly, a built-in stays


def test_duplicate_edit_save_persists_to_the_store(qtbot, dialog, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "faq.md").write_text("# FAQ\n\n## Hours\n\nOpen 9 to 5.\n", "utf-8")
    library.create_kb("shop", [folder])
    dialog.reload()  # knowledge bases made after the dialog opened
    dialog.select("customer-service")
    with qtbot.waitSignal(dialog.profiles_changed):
        dialog.duplicate_button.click()
    copy_id = dialog.current_id()
    assert copy_id.startswith("user-")
    assert dialog.name_edit.text() == "Customer service (copy)"
    assert not dialog.name_edit.isReadOnly() and dialog.save_button.isEnabled()
    assert dialog.readonly_note.isHidden()

    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Lamp shop helper")
    assert dialog.dirty
    dialog.prompt_edit.setPlainText("You help customers of a lamp shop.")
    dialog.temperature_spin.setValue(0.7)
    dialog.max_tokens_spin.setValue(256)
    dialog.kb_combo.setCurrentIndex(dialog.kb_combo.findData("shop"))
    dialog.greeting_edit.setText("Hi!")
    dialog.suggestions_edit.setPlainText("Where is my order?\n\n  Do you ship abroad?  \n")
    with qtbot.waitSignal(dialog.profiles_changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.dirty
    assert dialog.list.currentItem().text() == "Lamp shop helper"

    saved = ProfileStore().get(copy_id)  # read back from disk
    assert saved.name == "Lamp shop helper"
    assert saved.system_prompt == "You help customers of a lamp shop."
    assert saved.generation == {"temperature": 0.7, "max_tokens": 256}
    assert saved.knowledge_base == "shop"
    assert saved.greeting == "Hi!"
    assert saved.suggestions == ("Where is my order?", "Do you ship abroad?")
    assert not saved.builtin

    dialog.temperature_spin.setValue(dialog.temperature_spin.minimum())
    dialog.kb_combo.setCurrentIndex(0)
    assert dialog.save()
    saved = ProfileStore().get(copy_id)
    assert saved.generation == {"max_tokens": 256}
    assert saved.knowledge_base is None


def test_a_profile_error_is_shown_in_the_dialog(qtbot, dialog, store):
    dialog.new_button.click()
    new_id = dialog.current_id()
    dialog.name_edit.clear()
    assert not dialog.save()
    assert dialog.banner.text == "A profile needs a name."
    assert not dialog.banner.isHidden()
    assert store.get(new_id).name == "New assistant"


def test_delete_a_user_profile_after_confirmation(qtbot, dialog, store):
    mine = store.create("Mine")
    dialog.reload(mine.id)
    assert dialog.current_id() == mine.id
    dialog.confirm = lambda *_: False
    dialog.delete_button.click()
    assert mine.id in [p.id for p in ProfileStore().all()]
    dialog.confirm = lambda *_: True
    with qtbot.waitSignal(dialog.profiles_changed):
        dialog.delete_button.click()
    assert mine.id not in [p.id for p in ProfileStore().all()]
    assert mine.id not in dialog.profile_ids()
    assert dialog.current_id() == "general"


def test_unsaved_edits_are_kept_unless_the_user_discards_them(qtbot, dialog, store):
    mine = store.create("Mine")
    dialog.reload(mine.id)
    qtbot.keyClicks(dialog.name_edit, " edited")
    dialog.confirm = lambda *_: False
    dialog.list.setCurrentRow(0)
    assert dialog.current_id() == mine.id
    assert dialog.name_edit.text() == "Mine edited"
    dialog.confirm = lambda *_: True
    dialog.list.setCurrentRow(0)
    assert dialog.current_id() == "general"
    assert store.get(mine.id).name == "Mine"


def test_a_missing_knowledge_base_stays_selected(dialog):
    dialog.select("customer-service")
    assert "shop-demo" not in library.list_kbs()
    assert dialog.kb_combo.currentText() == "shop-demo (not created yet)"


def test_chinese_names_and_duplicate_keeps_translated_text(qtbot, store):
    dialog = ProfilesDialog(store, lang="zh", select="customer-service")
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == "客服助手"
    dialog.duplicate_profile()
    copy = store.get(dialog.current_id())
    assert copy.name == "客服助手 (copy)"
    assert copy.greeting.startswith("您好")


def test_picker_lists_localized_names_and_emits_on_user_choice(qtbot, store):
    mine = store.create("Mine")
    picker = ProfilePicker(store, lang="zh")
    qtbot.addWidget(picker)
    names = [picker.itemText(i) for i in range(picker.count())]
    assert names[:2] == ["通用助手", "客服助手"]
    assert names[-1] == "Mine"
    assert picker.current_profile_id() == "general"
    with qtbot.assertNotEmitted(picker.profile_chosen):
        assert picker.set_current_profile("translator")
    assert picker.current_profile_id() == "translator"
    with qtbot.waitSignal(picker.profile_chosen) as blocker:
        qtbot.keyClick(picker, Qt.Key.Key_Down)
    assert blocker.args == ["summarizer"]

    store.update(mine.id, name="Renamed")
    picker.refresh()
    assert picker.itemText(picker.count() - 1) == "Renamed"
    assert picker.current_profile_id() == "summarizer"
    picker.set_lang("en")
    assert picker.itemText(0) == "General assistant"


def test_shop_name_and_logo_are_saved_and_the_logo_is_copied(qtbot, dialog, store, tmp_path):
    from PySide6.QtGui import QColor, QImage

    from desktop_chat.chat.profiles import logos_dir

    original = tmp_path / "lamp.png"
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    assert image.save(str(original))
    dialog.select("general")
    dialog.duplicate_profile()
    dialog.pick_logo_file = lambda: str(original)
    qtbot.mouseClick(dialog.logo_choose_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.shop_name_edit, "Lumen Lane")
    assert dialog.dirty and dialog.save()
    saved = store.get(dialog.current_id())
    assert saved.shop_name == "Lumen Lane"
    copy = Path(saved.logo)
    assert copy.parent == logos_dir() and copy.read_bytes() == original.read_bytes()
    original.unlink()  # the profile keeps its own copy
    assert ProfileStore().get(saved.id).logo == str(copy) and copy.exists()
    assert dialog.logo_label.text() == copy.name


def test_a_file_that_is_not_an_image_is_refused_with_a_sentence(qtbot, dialog, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture")
    dialog.select("general")
    dialog.duplicate_profile()
    dialog.pick_logo_file = lambda: str(notes)
    dialog.choose_logo()
    assert dialog.banner.isVisibleTo(dialog) and "notes.txt" in dialog.banner.text
    assert dialog.form_changes()["logo"] == ""
