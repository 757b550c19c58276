"""DESIGN.md's import rules, enforced: ui -> services -> types, and one owner per dependency."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "desktop_chat"
# Entry points sit above the UI: they start it, nothing imports them.
TOP_LEVEL = (
    "desktop_chat.app",
    "desktop_chat.cli",
    "desktop_chat.__main__",
    "desktop_chat.selftest",
    "desktop_chat.commands.bench",
)


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def modules() -> list[tuple[str, set[str]]]:
    result = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        result.append((name, imports_of(path)))
    return result


def offenders(rule) -> list[str]:
    return [
        f"{name} imports {imp}"
        for name, imps in modules()
        for imp in sorted(imps)
        if rule(name, imp)
    ]


def test_only_ui_and_app_touch_qtwidgets() -> None:
    def rule(name: str, imp: str) -> bool:
        allowed = name.startswith("desktop_chat.ui.") or name == "desktop_chat.app"
        return imp.startswith("PySide6.QtWidgets") and not allowed

    assert offenders(rule) == []


def test_only_the_backend_touches_llama_cpp() -> None:
    def rule(name: str, imp: str) -> bool:
        return imp.split(".")[0] == "llama_cpp" and name != "desktop_chat.engine.backend"

    assert offenders(rule) == []


def test_only_hub_touches_huggingface_hub() -> None:
    def rule(name: str, imp: str) -> bool:
        return imp.split(".")[0] == "huggingface_hub" and name != "desktop_chat.models.hub"

    assert offenders(rule) == []


def test_services_never_import_the_ui() -> None:
    def rule(name: str, imp: str) -> bool:
        is_ui = name.startswith(("desktop_chat.ui", "desktop_chat.bench")) or name in TOP_LEVEL
        return not is_ui and (imp.startswith("desktop_chat.ui") or imp == "desktop_chat.app")

    assert offenders(rule) == []


def test_plain_python_layers_have_no_qt() -> None:
    plain = (
        "desktop_chat.store",
        "desktop_chat.kb",
        "desktop_chat.models",
        "desktop_chat.settings",
    )

    def rule(name: str, imp: str) -> bool:
        return name.startswith(plain) and imp.startswith("PySide6")

    assert offenders(rule) == []


def test_engine_types_import_nothing_from_the_app() -> None:
    imps = imports_of(PACKAGE / "engine" / "types.py")
    assert not [i for i in imps if i.startswith("desktop_chat") or i.startswith("PySide6")]


def test_engine_worker_and_client_use_qtcore_only() -> None:
    for name in ("worker.py", "client.py"):
        qt = [i for i in imports_of(PACKAGE / "engine" / name) if i.startswith("PySide6")]
        assert all(i.startswith("PySide6.QtCore") for i in qt), (name, qt)
