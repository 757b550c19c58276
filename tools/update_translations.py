"""Refresh the Chinese Qt Linguist source from the code, fill it from zh_CN.json, compile the .qm."""

from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "desktop_chat"
TS_FILE = ROOT / "assets" / "translations" / "desktop_chat_zh_CN.ts"
JSON_FILE = ROOT / "assets" / "translations" / "zh_CN.json"
QM_FILE = PACKAGE / "resources" / "i18n" / "desktop_chat_zh_CN.qm"
LANGUAGE = "zh_CN"

# The settings pane translates FIELDS metadata at run time with a variable argument, which
# lupdate cannot see; both contexts are filled so either spelling of the call finds them.
SETTINGS_CONTEXTS = ("settings", "SettingsPane")

PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n|%\d")
ACCELERATOR = re.compile(r"&(?=[^&\s])")

Message = tuple[str, str]  # (context, source)


def source_files() -> list[Path]:
    # app.py (the pieces it wires the window with are under ui/app_parts)
    return [*sorted((PACKAGE / "ui").rglob("*.py")), *sorted(PACKAGE.glob("app*.py"))]


def qt_tool(name: str) -> str:
    """The PySide6 tool next to this interpreter (the venv), else the one on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"{name} not found: install PySide6 (it ships {name}) in this environment")
    return found


# -- messages lupdate cannot see -----------------------------------------------------------


@dataclass
class ExtraScan:
    """Messages found by an AST walk, and tr() calls whose text is only known at run time."""

    messages: list[Message] = field(default_factory=list)
    dynamic: list[str] = field(default_factory=list)  # "file:line: call" for the report


def _is_tr(call: ast.Call) -> bool:
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr == "tr"


def _is_translate(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("translate", "QT_TRANSLATE_NOOP")


def _text(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _string_constants(node: ast.AST) -> list[str]:
    """Strings of a tuple/list literal (nested ones too), or the values of a dict literal."""
    items: list[ast.AST] = []
    if isinstance(node, (ast.Tuple, ast.List)):
        items = list(node.elts)
    elif isinstance(node, ast.Dict):
        items = [value for value in node.values if value is not None]
    texts: list[str] = []
    for item in items:
        text = _text(item)
        if text:
            texts.append(text)
        elif isinstance(item, (ast.Tuple, ast.List)):
            texts += _string_constants(item)
    return texts


def _all_text(node: ast.Dict) -> bool:
    return bool(node.values) and all(_text(value) is not None for value in node.values)


def _upper_assignments(body: list[ast.stmt]) -> dict[str, ast.AST]:
    values: dict[str, ast.AST] = {}
    for stmt in body:
        target = value = None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        if isinstance(target, ast.Name) and target.id.isupper() and value is not None:
            values[target.id] = value
    return values


def _translate_helpers(tree: ast.Module) -> dict[str, str]:
    """Module functions like ``def _tr(text): return translate("Ctx", text)``: name -> Ctx."""
    helpers: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and _is_translate(call) and len(call.args) >= 2:
                    context = _text(call.args[0])
                    if context and _text(call.args[1]) is None:
                        helpers[node.name] = context
    return helpers


def scan_sources(files: list[Path]) -> ExtraScan:
    """tr() texts lupdate misses, and the UPPERCASE tables whose entries go through tr(variable).

    Found: ``self.tr("…")`` inside f-strings; ``helper("…")`` where a module function wraps
    ``translate("Ctx", text)``; for such a module, its UPPERCASE tables and all-string dict
    literals under "Ctx"; for a class calling ``self.tr(variable)``, the UPPERCASE tables it
    names (its own, its module's, or imported, e.g. ``COLUMNS``, ``SHORTCUTS``). Every tr()
    of a variable is listed so that a person checks it.
    """
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in files}
    tables: dict[str, ast.AST] = {}  # module-level UPPERCASE tables of every scanned module
    for tree in trees.values():
        tables.update(_upper_assignments(tree.body))
    scan = ExtraScan()
    for path, tree in trees.items():
        rel = path.relative_to(ROOT)
        helpers = _translate_helpers(tree)
        for context in dict.fromkeys(helpers.values()):
            found = list(_upper_assignments(tree.body).values())
            # Label tables inside functions too, e.g. {"dark": "Dark"} looked up, then translated.
            found += [n for n in ast.walk(tree) if isinstance(n, ast.Dict) and _all_text(n)]
            for value in found:
                scan.messages += [(context, text) for text in _string_constants(value)]
        for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
            dynamic_tr = False
            for call in ast.walk(cls):
                if isinstance(call, ast.Call) and _is_tr(call) and call.args:
                    text = _text(call.args[0])
                    if text is not None:
                        scan.messages.append((cls.name, text))
                    else:
                        dynamic_tr = True
                        scan.dynamic.append(f"{rel}:{call.lineno}: {ast.unparse(call)}")
            if dynamic_tr:
                named = {n.id for n in ast.walk(cls) if isinstance(n, ast.Name)}
                named |= {n.attr for n in ast.walk(cls) if isinstance(n, ast.Attribute)}
                used = [
                    _upper_assignments(cls.body).get(name) or tables.get(name) for name in named
                ]
                for value in filter(None, used):
                    scan.messages += [(cls.name, text) for text in _string_constants(value)]
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or not call.args:
                continue
            name = getattr(call.func, "id", None)
            if name in helpers:
                text = _text(call.args[0])
                if text is not None:
                    scan.messages.append((helpers[name], text))
                else:
                    scan.dynamic.append(f"{rel}:{call.lineno}: {ast.unparse(call)}")
            elif _is_translate(call) and len(call.args) >= 2:
                context, text = _text(call.args[0]), _text(call.args[1])
                if context and text is not None:
                    scan.messages.append((context, text))
                elif name not in helpers:
                    scan.dynamic.append(f"{rel}:{call.lineno}: {ast.unparse(call)}")
    return scan


def _settings_texts() -> list[str]:
    """Labels, help, units, choices and special-value names of every declared setting."""
    sys.path.insert(0, str(ROOT))
    from desktop_chat.settings.schema import FIELDS

    texts: list[str] = []
    for spec in FIELDS.values():
        texts += [spec.label, spec.help, spec.unit, *spec.choices]
        texts += [name for _value, name in spec.special]
    return [text for text in dict.fromkeys(texts) if text]


def settings_messages() -> list[Message]:
    return [(context, text) for context in SETTINGS_CONTEXTS for text in _settings_texts()]


def write_noop_module(messages: list[Message], folder: Path) -> Path:
    """A Python file of QT_TRANSLATE_NOOP calls, so lupdate merges these like any other."""
    lines = ["from PySide6.QtCore import QT_TRANSLATE_NOOP", ""]
    for context, text in dict.fromkeys(messages):
        lines.append(
            f"QT_TRANSLATE_NOOP({json.dumps(context, ensure_ascii=False)}, "
            f"{json.dumps(text, ensure_ascii=False)})"
        )
    path = folder / "extra_messages.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- the .ts file ---------------------------------------------------------------------------


def run_lupdate(extra: Path) -> None:
    TS_FILE.parent.mkdir(parents=True, exist_ok=True)
    inputs = [str(p) for p in source_files()] + [str(extra)]
    # No locations: line numbers would churn the file on every edit; the report finds them.
    command = [qt_tool("pyside6-lupdate"), "-locations", "none", "-no-obsolete", "-silent"]
    subprocess.run([*command, *inputs, "-ts", str(TS_FILE)], check=True)


def load_catalog() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    if not JSON_FILE.exists():
        return {}, {}
    data = json.loads(JSON_FILE.read_text(encoding="utf-8"))
    return dict(data.get("messages", {})), {k: dict(v) for k, v in data.get("contexts", {}).items()}


def save_catalog(messages: dict[str, str], contexts: dict[str, dict[str, str]]) -> None:
    data = {
        "_about": (
            "Simplified Chinese for desktop_chat. 'messages': English source -> Chinese, used "
            "in every context; 'contexts': per-class overrides where one English word needs "
            "another Chinese word. Run tools/update_translations.py after editing."
        ),
        "messages": dict(sorted(messages.items(), key=lambda kv: kv[0].casefold())),
        "contexts": {
            name: dict(sorted(table.items(), key=lambda kv: kv[0].casefold()))
            for name, table in sorted(contexts.items())
        },
    }
    JSON_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def problems(source: str, translation: str) -> list[str]:
    """Placeholders and accelerators that the translation lost or invented."""
    found = []
    if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
        found.append("placeholders differ")
    if bool(ACCELERATOR.search(source)) != bool(ACCELERATOR.search(translation)):
        found.append("keyboard accelerator (&) missing")
    return found


def locate(source: str) -> str:
    """Where a source text is written, for the report ("file:line" or "")."""
    # Long texts are split over several source lines: look for their start only.
    head = json.dumps(source.splitlines()[0][:40] if source else "", ensure_ascii=False)[1:-1]
    # The whole quoted literal first, so "Setting" is not found in "Settings"; then its start.
    for quoted in ([f'"{head}"', f"'{head}'"], [f'"{head}', f"'{head}"]):
        for path in source_files():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if head and any(text in line for text in quoted):
                    return f"{path.relative_to(ROOT)}:{number}"
    return "settings FIELDS" if source in _settings_texts() else "not found"


def fill(
    messages: dict[str, str], contexts: dict[str, dict[str, str]]
) -> tuple[list[Message], list[str]]:
    """Write the catalog's Chinese into the .ts; return the missing messages and the problems."""
    tree = ET.parse(TS_FILE)
    root = tree.getroot()
    root.set("language", LANGUAGE)
    root.set("sourcelanguage", "en")
    missing: list[Message] = []
    issues: list[str] = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            chinese = contexts.get(name, {}).get(source) or messages.get(source)
            if not chinese:
                kept = _current_text(translation)
                if kept and translation.get("type") is None:
                    continue  # finished in Linguist by hand: keep it
                missing.append((name, source))
                continue
            issues += [f"{name}: {source!r}: {what}" for what in problems(source, chinese)]
            translation.attrib.pop("type", None)
            if message.get("numerus") == "yes":
                for form in list(translation):
                    translation.remove(form)
                # Chinese has a single plural form.
                ET.SubElement(translation, "numerusform").text = chinese
                translation.text = None
            else:
                translation.text = chinese
    ET.indent(tree, space="    ")
    body = ET.tostring(root, encoding="unicode")
    header = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
    TS_FILE.write_text(header + body + "\n", encoding="utf-8")
    return missing, issues


def _current_text(translation: ET.Element) -> str:
    forms = [form.text or "" for form in translation.iter("numerusform")]
    return "".join(forms) if forms else (translation.text or "")


def run_lrelease() -> None:
    QM_FILE.parent.mkdir(parents=True, exist_ok=True)
    command = [qt_tool("pyside6-lrelease"), "-silent", str(TS_FILE), "-qm", str(QM_FILE)]
    subprocess.run(command, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--stub",
        action="store_true",
        help="add every untranslated source to zh_CN.json with an empty value, ready to fill",
    )
    args = parser.parse_args(argv)

    scan = scan_sources(source_files())
    with tempfile.TemporaryDirectory() as folder:
        extra = write_noop_module([*scan.messages, *settings_messages()], Path(folder))
        run_lupdate(extra)
    messages, contexts = load_catalog()
    missing, issues = fill(messages, contexts)
    run_lrelease()

    total = sum(1 for _ in ET.parse(TS_FILE).getroot().iter("message"))
    print(f"{TS_FILE.relative_to(ROOT)}: {total} messages, {len(missing)} untranslated")
    print(f"{QM_FILE.relative_to(ROOT)}: written")
    if scan.dynamic:
        print("\ntr() with a text known only at run time (make sure its values are translated):")
        for line in scan.dynamic:
            print(f"  {line}")
    if issues:
        print("\nTranslations to fix:")
        for line in issues:
            print(f"  {line}")
    if missing:
        print(f"\nUntranslated (add the Chinese to {JSON_FILE.relative_to(ROOT)} 'messages'):")
        for context, source in missing:
            print(f"  [{context}] {source!r}  ({locate(source)})")
        if args.stub:
            for _context, source in missing:
                messages.setdefault(source, "")
            save_catalog(messages, contexts)
            print(f"\nAdded {len(missing)} empty entries to {JSON_FILE.relative_to(ROOT)}.")
    return 1 if missing or issues else 0


if __name__ == "__main__":
    sys.exit(main())
