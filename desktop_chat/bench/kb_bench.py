"""Retrieval benchmarks for `desktop-chat bench`: recall@3, indexing time, query time."""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from desktop_chat.kb import library
from desktop_chat.kb.index import KnowledgeBase

RECALL_TARGET = 0.9
INDEX_SECONDS_TARGET = 10.0
QUERY_MS_TARGET = 50.0


def is_hit(passage_source: str, passage_section: str, expected: dict[str, str]) -> bool:
    """A passage answers a question when file and last heading (or CSV question) agree."""
    last = passage_section.split(" > ")[-1]
    return passage_source == expected["source"] and last == expected["section"]


def retrieval_recall(k: int = 3, questions_file: Path | None = None) -> dict[str, Any]:
    """Recall@k on the sample question set, plus off-topic questions that wrongly got a hit."""
    data = json.loads((questions_file or library.sample_questions_file()).read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp, KnowledgeBase(Path(tmp) / "kb.sqlite3") as kb:
        kb.add_paths(library.sample_kb_paths("en") + library.sample_kb_paths("zh"))
        result: dict[str, Any] = {"k": k, "target": RECALL_TARGET}
        for key in ("questions", "holdout"):
            items = data.get(key, [])
            misses = [
                q["q"]
                for q in items
                if not any(is_hit(p.source, p.section, q) for p in kb.search(q["q"], k=k))
            ]
            result[key] = len(items)
            result[f"{key}_recall"] = (len(items) - len(misses)) / len(items) if items else None
            result[f"{key}_misses"] = misses
        result["recall"] = result["questions_recall"]
        result["off_topic"] = len(data.get("off_topic", []))
        result["off_topic_answered"] = [q for q in data.get("off_topic", []) if kb.search(q, k=k)]
        result["passed"] = result["recall"] >= RECALL_TARGET and not result["off_topic_answered"]
    return result


def _synthetic_files(folder: Path, passages: int, per_file: int = 100) -> None:
    rng = random.Random(7)
    words = [
        "order", "parcel", "refund", "invoice", "warranty", "lamp", "cable", "battery",
        "delivery", "voucher", "customer", "account", "payment", "colour", "size", "return",
        "shipping", "days", "price", "discount", "quality", "service", "product", "store",
    ]  # fmt: skip
    vocab = words + [f"term{i}" for i in range(3000)]
    zh = "退款发货快递保修电池订单支付发票优惠礼品积分客服地址包裹运费"
    for f in range(0, passages, per_file):
        sections = []
        for i in range(f, min(f + per_file, passages)):
            body = " ".join(rng.choice(vocab) for _ in range(60))
            han = "".join(rng.choice(zh) for _ in range(20))
            sections.append(f"## Section {i} {rng.choice(words)}\n\n{body}. {han}\n")
        text = f"# Synthetic document {f // per_file}\n\n" + "\n".join(sections)
        (folder / f"doc{f // per_file:04d}.md").write_text(text, "utf-8")


def indexing_time(passages: int = 10_000) -> dict[str, Any]:
    """Seconds to index `passages` synthetic Markdown sections (target < 10 s)."""
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp, "docs")
        docs.mkdir()
        _synthetic_files(docs, passages)
        with KnowledgeBase(Path(tmp) / "kb.sqlite3") as kb:
            start = time.perf_counter()
            kb.add_paths([docs])
            seconds = time.perf_counter() - start
            indexed = kb.stats().passages
    return {
        "passages": indexed,
        "seconds": round(seconds, 3),
        "target_seconds": INDEX_SECONDS_TARGET,
        "passed": seconds < INDEX_SECONDS_TARGET,
    }


def query_time(passages: int = 10_000, repeats: int = 3) -> dict[str, Any]:
    """Median search time in ms over the sample questions, on a `passages`-sized index."""
    data = json.loads(library.sample_questions_file().read_text("utf-8"))
    questions = [q["q"] for q in data["questions"]] + data["off_topic"]
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp, "docs")
        docs.mkdir()
        _synthetic_files(docs, max(0, passages - 100))
        with KnowledgeBase(Path(tmp) / "kb.sqlite3") as kb:
            kb.add_paths([docs, *library.sample_kb_paths("en"), *library.sample_kb_paths("zh")])
            kb.search("warm up the vocabulary cache")
            times = []
            for _ in range(repeats):
                for question in questions:
                    start = time.perf_counter()
                    kb.search(question, k=5)
                    times.append((time.perf_counter() - start) * 1000)
            size = kb.stats().passages
    median = statistics.median(times)
    return {
        "passages": size,
        "queries": len(times),
        "median_ms": round(median, 2),
        "p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1], 2),
        "target_ms": QUERY_MS_TARGET,
        "passed": median < QUERY_MS_TARGET,
    }
