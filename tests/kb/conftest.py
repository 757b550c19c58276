"""Fixtures for knowledge-base tests: a small FAQ folder and an open knowledge base over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat.kb.index import KnowledgeBase

SHIPPING = """# Shipping

## Delivery times

Standard delivery takes 3 to 5 business days.

## Shipping costs

Standard shipping costs €4.95 and is free above €50.
"""

RETURNS = """# Returns

## Refund processing time

We issue a refund within 5 business days after the return arrives.
"""

ZH = """# 退货

## 退款到账时间

退货到达仓库后，我们会在 5 个工作日内退款。

## 发货时间

工作日 14:00 前下的订单当天发货。
"""


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "shipping.md").write_text(SHIPPING, "utf-8")
    (folder / "returns.md").write_text(RETURNS, "utf-8")
    (folder / "zh.md").write_text(ZH, "utf-8")
    return folder


@pytest.fixture
def kb(tmp_path: Path, docs: Path) -> Iterator[KnowledgeBase]:
    with KnowledgeBase(tmp_path / "kb.sqlite3") as base:
        base.add_paths([docs])
        yield base


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    """The sample shop, both languages indexed, shared by a module's tests."""
    from desktop_chat.kb import library

    base = library.sample_kb_dir()
    with KnowledgeBase(tmp_path_factory.mktemp("shop") / "kb.sqlite3") as kb:
        kb.add_paths([base / "en", base / "zh"])
        yield kb
