"""About: the versions, the llama.cpp build and the data folders, from the Help menu, with Copy."""

from __future__ import annotations

import platform

import PySide6
import pytest
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

from desktop_chat import __version__, paths
from desktop_chat.engine import backend

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def test_about_from_the_help_menu_shows_and_copies_everything(desktop_app) -> None:
    window = desktop_app.window
    action = next(a for a in window.actions() if a.text() == "About Desktop Chat")
    action.trigger()
    dialog = desktop_app.shell.about
    assert dialog is not None and dialog.isVisible()
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    build = backend.build_info()
    expected = [
        __version__,
        build["llama_cpp_version"],
        ", ".join(build["backends"]),
        qVersion(),
        PySide6.__version__,
        platform.python_version(),
        *(str(path) for path in paths.all_locations().values()),
    ]
    for text in expected:
        assert text in shown
    assert "AVX" in shown or not build["cpu_features"]
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    for text in expected:
        assert text in copied
    assert f"llama-cpp-python: {build['llama_cpp_version']}" in copied
    dialog.reject()


def test_build_info_names_the_backends_and_cpu_features() -> None:
    info = backend.build_info()
    assert info["llama_cpp_version"] == backend.llama_cpp_version()
    assert "CPU" in info["backends"]
    assert info["gpu_offload"] == backend.gpu_offload_supported()
    assert info["system_info"].startswith(info["backends"][0]) or "CPU" in info["system_info"]
    assert all(" " not in feature for feature in info["cpu_features"])
