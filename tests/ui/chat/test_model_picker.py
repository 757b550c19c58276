"""The chat header's model picker with the real starter model: the name, loading, choosing."""

from __future__ import annotations

import pytest

from desktop_chat.engine.worker import display_name

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def test_the_picker_names_the_loaded_model_as_the_models_pane_does(qtbot, ready_app, smollm_path):
    picker = ready_app.chat.model_picker
    picker.refresh()
    qtbot.waitUntil(lambda: picker.findData(f"local:{smollm_path}") >= 0, timeout=30_000)
    assert picker.currentData() == f"local:{smollm_path}"
    assert picker.currentText() == display_name(smollm_path)
    assert picker.isEnabled() and picker.accessibleName()
    ready_app.models.local.refresh()
    tree = ready_app.models.local.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() > 0, timeout=30_000)
    shown = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert any(display_name(smollm_path) in text for text in shown), shown


def test_choosing_a_model_shows_the_load_and_then_the_model(qtbot, ready_app, smollm_path):
    picker = ready_app.chat.model_picker
    with qtbot.waitSignal(ready_app.client.model_loading, timeout=30_000):
        picker.local_chosen.emit(smollm_path)
    assert not picker.isEnabled()
    assert picker.itemText(0).startswith("Loading ") and picker.itemText(0).endswith(" s")
    qtbot.waitUntil(lambda: picker.isEnabled(), timeout=180_000)
    assert picker.currentData() == f"local:{smollm_path}"
