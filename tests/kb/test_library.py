"""Named knowledge bases in the app's folder, the packaged sample data and the shop demo."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_chat import paths
from desktop_chat.kb import library
from desktop_chat.kb.index import KbError

REPO = Path(__file__).resolve().parents[2]


def test_create_list_open_delete(docs: Path) -> None:
    report = library.create_kb("faq", [docs])
    assert len(report.added) == 3
    assert library.list_kbs() == ["faq"]
    assert library.kb_file("faq").parent == paths.kb_dir()
    with pytest.raises(library.KbExistsError):
        library.create_kb("faq", [docs])
    with library.open_kb("faq") as kb:
        assert kb.search("refund")
    assert library.delete_kb("faq") is True
    assert library.list_kbs() == []
    with pytest.raises(library.KbNotFoundError):
        library.open_kb("faq")


@pytest.mark.parametrize("name", ["", "../evil", "a/b", "x" * 70])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(KbError):
        library.kb_file(name)


def test_sample_paths_per_language() -> None:
    en = library.sample_kb_paths("en")
    zh = library.sample_kb_paths("zh")
    assert {p.name for p in en} >= {"shipping.md", "returns.md", "faq.csv"}
    assert {p.name for p in zh} >= {"shipping.md", "returns.md"}
    with pytest.raises(KbError):
        library.sample_kb_paths("fr")


def test_packaged_sample_matches_assets() -> None:
    assets = REPO / "assets" / "sample_kb"
    packaged = library.sample_kb_dir()
    files = sorted(p.relative_to(assets) for p in assets.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(packaged) for p in packaged.rglob("*") if p.is_file())
    for rel in files:
        assert (assets / rel).read_bytes() == (packaged / rel).read_bytes(), rel


def test_ensure_demo_kb_creates_then_reuses() -> None:
    name = library.ensure_demo_kb()
    assert name == library.DEMO_KB_NAME
    with library.open_kb(name) as kb:
        passages = kb.stats().passages
        assert kb.search("退款多久到账")[0].source == "zh/returns.md"
        assert kb.search("how long do refunds take")[0].source == "en/returns.md"
    mtime = library.kb_file(name).stat().st_mtime_ns
    assert library.ensure_demo_kb() == name
    with library.open_kb(name) as kb:
        assert kb.stats().passages == passages
    assert library.kb_file(name).stat().st_mtime_ns == mtime
