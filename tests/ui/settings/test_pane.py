"""The Settings pane: every editor round-trips, GPU and context limits, templates, overrides, data."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QComboBox

from desktop_chat import paths, tasks
from desktop_chat import settings as settings_mod
from desktop_chat.models.starter import smollm2_path
from desktop_chat.ui.settings.editors import SeedEditor, StopEditor, show_value, value_of
from desktop_chat.ui.settings.pane import SettingsPane
from desktop_chat.ui.settings.template_editor import EXAMPLE_TEMPLATE
from desktop_chat.ui.shell.i18n import remove_translators
from tests.ui.shell.layout_probe import clipped_texts

# A value other than the default for every editor the pane has.
NON_DEFAULTS = {
    "inference.n_ctx": 2048,
    "inference.n_gpu_layers": 12,
    "inference.n_threads": 1,  # every machine has one core; more may be refused
    "inference.n_batch": 256,
    "inference.flash_attn": False,
    "inference.use_mmap": False,
    "inference.use_mlock": True,
    "inference.kv_cache_type": "q8_0",
    "generation.temperature": 1.25,
    "generation.top_p": 0.5,
    "generation.top_k": 10,
    "generation.min_p": 0.2,
    "generation.repeat_penalty": 1.3,
    "generation.max_tokens": 300,
    "generation.seed": 1234,
    "generation.stop": ("###", "User:"),
    "generation.system_prompt": "Answer in one sentence.",
    "generation.chat_format": "gemma",
    "generation.custom_template": EXAMPLE_TEMPLATE,
    "appearance.theme": "dark",
    "appearance.font_size": 14,
    "appearance.chat_width": 1000,
    "appearance.kiosk_idle_minutes": 10,
    "appearance.kiosk_pin": "2468",
    "app.language": "zh_CN",
    "app.context_policy": "ask",
    "server.enabled": True,
    "server.host": "0.0.0.0",
    "server.port": 1337,
    "server.api_key": "dc-secret",
    "server.cors_origins": ("http://localhost:3000",),
    "server.max_queue": 2,
    "server.max_body_kb": 64,
    "server.log_bodies": True,
    "remote.connect_timeout_s": 5.0,
    "remote.stall_timeout_s": 120.0,
    "remote.default_context": 8192,
}


@pytest.fixture
def pane(qtbot) -> Iterator[SettingsPane]:
    widget = SettingsPane(settings_mod.Settings(), gpu_supported=True)
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


def show_model(qtbot, pane: SettingsPane, model: Path) -> None:
    """set_model reads the file off the GUI thread; wait until its facts are shown."""
    with qtbot.waitSignal(pane.model_info_shown, timeout=10_000):
        pane.set_model(model)
    assert not pane.reading_model()


@pytest.fixture
def model() -> Path:
    path = smollm2_path()
    assert path is not None, "the starter extra is not installed"
    return path


def choose(combo: QComboBox, value: str) -> None:
    combo.setCurrentIndex(combo.findData(value))


def test_every_editor_is_covered(pane: SettingsPane) -> None:
    assert set(pane.editors) == set(NON_DEFAULTS)


@pytest.mark.parametrize("key", sorted(NON_DEFAULTS))
def test_every_editor_round_trips_its_field(pane: SettingsPane, key: str) -> None:
    value = NON_DEFAULTS[key]
    assert value != settings_mod.FIELDS[key].default
    show_value(pane.editors[key], value)
    assert settings_mod.get_value(pane.edited(), key) == value
    # Nothing else moved.
    others = {k for k in NON_DEFAULTS if k != key}
    assert all(
        settings_mod.get_value(pane.edited(), k) == settings_mod.FIELDS[k].default for k in others
    )


def test_seed_random_checkbox_and_number(pane: SettingsPane) -> None:
    seed = pane.editors["generation.seed"]
    assert isinstance(seed, SeedEditor)
    assert seed.random.isChecked() and not seed.number.isEnabled()
    seed.random.setChecked(False)
    seed.number.setValue(4294967295)  # past a QSpinBox's range: the whole uint32 must fit
    assert pane.edited().generation.seed == 4294967295
    seed.random.setChecked(True)
    assert pane.edited().generation.seed == -1


def test_stop_strings_by_comma_or_by_line(pane: SettingsPane) -> None:
    stop = pane.editors["generation.stop"]
    assert isinstance(stop, StopEditor)
    stop.setPlainText("</s>, ###")
    assert pane.edited().generation.stop == ("</s>", "###")
    stop.setPlainText("a, b\nc")
    assert pane.edited().generation.stop == ("a, b", "c")


def test_threads_auto_names_the_core_count(pane: SettingsPane) -> None:
    threads = pane.editors["inference.n_threads"]
    assert str(settings_mod.physical_cores()) in threads.specialValueText()  # type: ignore[attr-defined]


def test_threads_editor_offers_no_more_than_the_logical_cores(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """256 threads on 2 cores ran at 0.7 tok/s; validation refuses it (tests/settings), and the
    editor does not offer it in the first place."""
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    pane = SettingsPane(settings_mod.Settings(), gpu_supported=False)
    qtbot.addWidget(pane)
    threads = pane.editors["inference.n_threads"]
    assert threads.maximum() == 2  # type: ignore[attr-defined]
    show_value(threads, 200)
    assert value_of(threads) == 2


def test_gpu_control_disabled_with_explanation_without_gpu_build(qtbot) -> None:
    pane = SettingsPane(settings_mod.Settings(), gpu_supported=False)
    qtbot.addWidget(pane)
    assert not pane.editors["inference.n_gpu_layers"].isEnabled()
    assert not pane.gpu_note.isHidden()
    assert "GPU support" in pane.gpu_note.text()


def test_gpu_control_enabled_without_note_on_gpu_build(pane: SettingsPane) -> None:
    assert pane.editors["inference.n_gpu_layers"].isEnabled()
    assert pane.gpu_note.isHidden()
    assert pane.editors["inference.n_gpu_layers"].specialValueText().startswith("Auto")  # type: ignore[attr-defined]


def test_context_capped_to_model_maximum_and_memory_line_updates(
    qtbot, pane: SettingsPane, model: Path
) -> None:
    n_ctx = pane.inference.n_ctx
    assert n_ctx.maximum() > 8192
    assert "Load a model" in pane.inference.memory_label.text()
    show_model(qtbot, pane, model)
    assert n_ctx.maximum() == 8192
    assert "8,192" in pane.inference.context_hint.text()
    n_ctx.setValue(100_000)
    assert n_ctx.value() == 8192
    long_line = pane.inference.memory_label.text()
    assert long_line.startswith("≈") and "8,192 tokens" in long_line
    n_ctx.setValue(1024)
    short_line = pane.inference.memory_label.text()
    assert "1,024 tokens" in short_line and short_line != long_line
    # A quantized KV cache is cheaper: the line follows the cache type too.
    choose(pane.editors["inference.kv_cache_type"], "q4_0")
    assert pane.inference.memory_label.text() != short_line


def test_a_longer_stored_context_is_not_lost_by_the_cap(qtbot, model: Path) -> None:
    stored = settings_mod.with_value(settings_mod.Settings(), "inference.n_ctx", 32768)
    pane = SettingsPane(stored, gpu_supported=True)
    qtbot.addWidget(pane)
    show_model(qtbot, pane, model)
    assert pane.inference.n_ctx.value() == 8192
    assert pane.edited().inference.n_ctx == 32768
    pane.shutdown()


def test_the_model_file_is_read_off_the_gui_thread(
    qtbot, pane: SettingsPane, model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_chat.ui.settings import pane as pane_module

    readers: list[bool] = []
    real_read = pane_module.read_gguf_info

    def recording_read(path: Path) -> object:
        readers.append(threading.current_thread() is threading.main_thread())
        return real_read(path)

    monkeypatch.setattr(pane_module, "read_gguf_info", recording_read)
    show_model(qtbot, pane, model)
    assert readers == [False]
    assert "8,192" in pane.inference.context_hint.text()


def test_a_late_read_of_a_model_no_longer_loaded_is_not_shown(
    qtbot, pane: SettingsPane, model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_chat.ui.settings import pane as pane_module

    release = threading.Event()
    real_read = pane_module.read_gguf_info

    def slow_read(path: Path) -> object:
        release.wait(10)
        return real_read(path)

    monkeypatch.setattr(pane_module, "read_gguf_info", slow_read)
    pane.set_model(model)
    assert pane.reading_model() and pane.inference.model_only.isEnabled()
    pane.set_model(None)  # the model was unloaded before its file was read
    (task,) = [t for t in tasks.live_tasks() if t.name == "gguf-info"]
    release.set()
    assert task.join(10)
    qtbot.wait(20)  # the stale result would be delivered in this turn of the event loop
    assert pane.inference.info is None and pane.inference.context_hint.isHidden()
    assert not pane.inference.model_only.isEnabled()


def test_a_broken_model_file_leaves_the_facts_empty(
    qtbot, pane: SettingsPane, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a model" * 10)
    show_model(qtbot, pane, broken)
    assert pane.inference.info is None
    assert "Load a model" in pane.inference.memory_label.text()


def test_changing_context_emits_applied_with_reload_key(qtbot, pane: SettingsPane) -> None:
    pane.editors["inference.n_ctx"].setValue(2048)  # type: ignore[attr-defined]
    with qtbot.waitSignal(pane.applied, timeout=1000) as blocker:
        pane.apply_button.click()
    new, reload_keys = blocker.args
    assert new.inference.n_ctx == 2048
    assert "inference.n_ctx" in reload_keys
    assert pane.settings == new
    assert not pane.banner.isHidden()


def test_theme_change_emits_applied_without_reload(qtbot, pane: SettingsPane) -> None:
    choose(pane.editors["appearance.theme"], "dark")
    with qtbot.waitSignal(pane.applied, timeout=1000) as blocker:
        pane.apply()
    new, reload_keys = blocker.args
    assert new.appearance.theme == "dark"
    assert reload_keys == []


def test_language_change_applies_and_mentions_restart(qtbot, pane: SettingsPane) -> None:
    choose(pane.editors["app.language"], "zh_CN")
    with qtbot.waitSignal(pane.applied, timeout=1000) as blocker:
        pane.apply()
    assert blocker.args[0].app.language == "zh_CN"
    assert blocker.args[1] == []
    assert "restart" in pane.banner.text


def test_nothing_changed_emits_nothing(qtbot, pane: SettingsPane) -> None:
    with qtbot.assertNotEmitted(pane.applied):
        pane.apply()


def test_broken_custom_template_shows_error_and_apply_refuses(qtbot, pane: SettingsPane) -> None:
    template = pane.template
    choose(template.format_combo, "custom")
    assert not template.custom_box.isHidden()
    template.code.setPlainText("{% for message in messages %}{{ message.content }")
    template.refresh_preview()
    qtbot.waitUntil(lambda: not template.checking(), timeout=10_000)  # it renders on a task
    assert not template.error_label.isHidden()
    sentence = template.error_label.text()
    assert sentence.startswith("The chat template does not compile")
    with pytest.raises(settings_mod.SettingsError):
        pane.edited()
    with qtbot.assertNotEmitted(pane.applied):
        pane.apply()
    assert pane.banner.text == sentence
    assert pane.settings.generation.chat_format == "auto"


def test_preview_shows_the_sample_conversation(qtbot, pane: SettingsPane) -> None:
    template = pane.template
    choose(template.format_combo, "custom")
    assert template.code.toPlainText() == EXAMPLE_TEMPLATE  # a start, not an empty box
    qtbot.waitUntil(lambda: "What is 2 + 2?" in template.preview.toPlainText(), timeout=2000)
    text = template.preview.toPlainText()
    assert "<|im_start|>system\nYou are a helpful assistant.<|im_end|>" in text
    assert "<|im_start|>user\nHello!<|im_end|>" in text
    assert text.endswith("<|im_start|>assistant\n")
    assert template.error_label.isHidden()
    with qtbot.waitSignal(pane.applied, timeout=1000) as blocker:
        pane.apply()
    new, reload_keys = blocker.args
    assert (new.generation.chat_format, new.generation.custom_template) == (
        "custom",
        EXAMPLE_TEMPLATE,
    )
    assert "generation.chat_format" in reload_keys


def test_per_model_override_saved_shown_and_reset(qtbot, pane: SettingsPane, model: Path) -> None:
    key = settings_mod.model_key_for(model)
    assert not pane.inference.model_only.isEnabled()
    show_model(qtbot, pane, model)
    assert pane.inference.model_only.isEnabled()
    pane.generation.model_only.setChecked(True)
    assert pane.inference.model_only.isChecked()  # one choice, shown on both pages
    pane.editors["generation.temperature"].setValue(0.3)  # type: ignore[attr-defined]
    pane.editors["inference.n_ctx"].setValue(2048)  # type: ignore[attr-defined]
    with qtbot.waitSignal(pane.applied, timeout=1000) as blocker:
        pane.apply()
    new, reload_keys = blocker.args
    assert settings_mod.model_overrides(new, key) == {
        "generation.temperature": 0.3,
        "inference.n_ctx": 2048,
    }
    assert new.generation.temperature == 0.7  # the global value is untouched
    assert reload_keys == ["inference.n_ctx"]
    assert pane.model_page.rows() == ["generation.temperature = 0.3", "inference.n_ctx = 2048"]
    assert not pane.generation.tags["generation.temperature"].isHidden()
    assert pane.generation.tags["generation.top_p"].isHidden()

    # Editing an overridden key later edits its override, even without "this model only".
    pane.generation.model_only.setChecked(False)
    pane.editors["generation.temperature"].setValue(0.4)  # type: ignore[attr-defined]
    with qtbot.waitSignal(pane.applied, timeout=1000) as blocker:
        pane.apply()
    assert settings_mod.model_overrides(blocker.args[0], key)["generation.temperature"] == 0.4
    assert blocker.args[0].generation.temperature == 0.7

    with qtbot.waitSignal(pane.applied, timeout=1000) as blocker:
        pane.model_page.reset_buttons["generation.temperature"].click()
    new, reload_keys = blocker.args
    assert settings_mod.model_overrides(new, key) == {"inference.n_ctx": 2048}
    assert reload_keys == []
    assert pane.editors["generation.temperature"].value() == 0.7  # type: ignore[attr-defined]

    with qtbot.waitSignal(pane.applied, timeout=1000) as blocker:
        pane.model_page.reset_all_button.click()
    new, reload_keys = blocker.args
    assert settings_mod.model_overrides(new, key) == {}
    assert reload_keys == ["inference.n_ctx"]
    assert pane.model_page.rows() == []


def test_revert_restores_last_applied_values(qtbot, pane: SettingsPane) -> None:
    pane.editors["generation.temperature"].setValue(1.5)  # type: ignore[attr-defined]
    pane.apply()
    pane.editors["generation.temperature"].setValue(0.1)  # type: ignore[attr-defined]
    pane.revert_button.click()
    assert pane.editors["generation.temperature"].value() == 1.5  # type: ignore[attr-defined]
    assert pane.edited() == pane.settings


def test_set_settings_and_warnings(pane: SettingsPane) -> None:
    changed = settings_mod.with_value(settings_mod.Settings(), "generation.top_k", 7)
    pane.set_settings(changed)
    assert value_of(pane.editors["generation.top_k"]) == 7
    pane.show_warnings(["generation.top_k must be between 0 and 200 tokens (got 900)."])
    assert "got 900" in pane.banner.text


def test_delete_all_asks_and_emits_only_when_confirmed(qtbot, pane: SettingsPane) -> None:
    asked: list[bool] = []

    def refuse() -> bool:
        asked.append(False)
        return False

    pane.confirm_delete_all = refuse  # type: ignore[method-assign]
    with qtbot.assertNotEmitted(pane.delete_all_requested):
        pane.privacy.delete_button.click()
    assert asked == [False]
    pane.confirm_delete_all = lambda: True  # type: ignore[method-assign]
    with qtbot.waitSignal(pane.delete_all_requested, timeout=1000):
        pane.privacy.delete_button.click()


def test_privacy_page_lists_every_location_with_its_size(qtbot, pane: SettingsPane) -> None:
    paths.settings_file().write_text("{}" + " " * 2046, encoding="utf-8")
    with qtbot.waitSignal(pane.privacy.sizes_ready, timeout=5000):
        pane.privacy.refresh()
    table = pane.privacy.table
    locations = paths.all_locations()
    assert table.rowCount() == len(locations)
    shown = {table.item(row, 1).text(): table.item(row, 2).text() for row in range(len(locations))}
    assert set(shown) == {str(path) for path in locations.values()}
    assert shown[str(paths.settings_file())] == "2.0 KB"
    assert "Nothing leaves this computer unless you download a model." in [
        label.text() for label in pane.privacy.findChildren(type(pane.banner.label))
    ]


def test_shortcuts_page_lists_ctrl_k(pane: SettingsPane) -> None:
    rows = dict(pane.shortcuts.rows())
    assert rows["Ctrl+K"] == "Search all conversations"


def test_apply_and_revert_only_when_something_is_edited(qtbot, pane: SettingsPane) -> None:
    assert not pane.apply_button.isEnabled() and not pane.revert_button.isEnabled()
    editor = pane.editors["generation.temperature"]
    editor.setValue(editor.value() + 0.1)
    assert pane.apply_button.isEnabled() and pane.revert_button.isEnabled()
    pane.revert_button.click()
    assert not pane.apply_button.isEnabled()
    editor.setValue(editor.value() + 0.1)
    with qtbot.waitSignal(pane.applied, timeout=1000):
        pane.apply_button.click()
    assert not pane.apply_button.isEnabled()


def test_saved_is_said_beside_the_buttons_for_a_moment(qtbot, pane: SettingsPane) -> None:
    editor = pane.editors["generation.temperature"]
    editor.setValue(editor.value() + 0.1)
    pane._saved_timer.setInterval(100)
    pane.apply()
    assert pane.saved_text == "Saved." and not pane.banner.isVisibleTo(pane)
    qtbot.waitUntil(lambda: pane.saved_label.text() == "", timeout=5000)


def test_a_language_change_offers_restart_now(qtbot, pane: SettingsPane) -> None:
    choose(pane.editors["app.language"], "zh_CN")
    pane.apply()
    assert pane.banner.button.isVisibleTo(pane) and pane.banner.button.text() == "Restart now"
    with qtbot.waitSignal(pane.restart_requested, timeout=1000):
        pane.banner.button.click()


@pytest.fixture
def language(request, qapp) -> Iterator[str]:
    """The interface language the app (asked for after this) starts in."""
    settings = settings_mod.with_value(settings_mod.Settings(), "app.language", request.param)
    settings_mod.save(settings)
    yield request.param
    remove_translators(qapp)


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_at_800x600_the_pages_fit_their_scroll_area_so_no_help_line_is_cut(
    qtbot, language, desktop_app
):
    window = desktop_app.window
    window.show()
    window.resize(800, 600)
    window.show_settings()
    pane = desktop_app.settings_pane
    too_wide, clipped = [], []
    for row, name in enumerate(pane.pages):
        pane.nav.setCurrentRow(row)
        scroll = pane.stack.currentWidget()
        qtbot.waitUntil(lambda scroll=scroll: scroll.isVisible())
        QApplication.processEvents()
        if scroll.widget().width() > scroll.viewport().width():
            too_wide.append((name, scroll.widget().width(), scroll.viewport().width()))
        if name in ("engines", "tools"):  # their list and form stack when narrow (issue 15)
            clipped += [f"{name}: {problem}" for problem in clipped_texts(scroll.widget())]
    assert too_wide == []
    assert clipped == []


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
def test_at_800x600_every_page_title_in_the_list_shows_whole(qtbot, desktop_app):
    window = desktop_app.window
    window.show()
    window.resize(800, 600)
    window.show_settings()
    nav = desktop_app.settings_pane.nav
    qtbot.waitUntil(nav.isVisible)
    QApplication.processEvents()
    assert not nav.horizontalScrollBar().isVisible()
    metrics = nav.fontMetrics()
    for row in range(nav.count()):
        item = nav.item(row)
        # the item's text area is its rect less the style's margins (3 px a side here)
        assert nav.visualItemRect(item).width() - 6 >= metrics.horizontalAdvance(item.text()), (
            item.text()
        )
