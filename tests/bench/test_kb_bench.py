"""The retrieval bench: the sealed held-out set is well formed, rows keep their names, scale text is real."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from desktop_chat.bench import kb_bench, kb_synthetic
from desktop_chat.bench.report import Figure
from desktop_chat.kb.index import KnowledgeBase


def _sections(kb: KnowledgeBase) -> set[str]:
    rows = kb._db.execute(
        "SELECT d.source, p.section FROM passages p JOIN documents d ON d.id = p.doc_id"
    ).fetchall()
    return {f"{source}#{section.split(' > ')[-1]}" for source, section in rows}


def test_heldout2_questions_point_at_real_passages(tmp_path: Path) -> None:
    """Checked by indexing only: no question is ranked here (the set stays sealed)."""
    items = kb_bench.heldout_items()
    base = kb_bench.heldout2_dir()
    with KnowledgeBase(tmp_path / "kb.sqlite3") as kb:
        report = kb.add_paths([base / "en", base / "zh"])
        assert report.skipped == []
        known = _sections(kb)
    counts = Counter((i["lang"], i["kind"]) for i in items)
    assert len(items) >= 70
    assert counts["en", "same"] >= 20 and counts["zh", "same"] >= 20
    assert counts["en", "cross"] >= 8 and counts["zh", "cross"] >= 8
    assert counts["en", "off_topic"] + counts["zh", "off_topic"] >= 16
    for item in items:
        assert set(item["expect"]) <= known, item
        in_own = [e for e in item["expect"] if e.startswith(item["lang"] + "/")]
        if item["kind"] == "same":
            assert in_own, item
        elif item["kind"] == "cross":
            assert item["expect"] and not in_own, item
        else:
            assert item["kind"] == "off_topic" and item["expect"] == [], item


def test_heldout_is_a_different_set_from_development() -> None:
    assert kb_bench.heldout2_dir() != kb_bench.harbour_dir()
    dev = json.loads((kb_bench.harbour_dir() / "questions.json").read_text("utf-8"))
    dev_questions = {i["q"] for i in dev["questions"]}
    assert not dev_questions & {i["q"] for i in kb_bench.heldout_items()}


def _tally_result(groups: dict[str, tuple[int, int]], rejected: int, asked: int) -> dict:
    tally = kb_bench._Tally()
    for group, (hits, misses) in groups.items():
        for n in range(hits + misses):
            tally.add(group, 0 if n < hits else None, f"{group} {n}")
    tally.rejected, tally.asked = rejected, asked
    return kb_bench._result(tally)


def test_bench_rows_keep_their_names(tmp_path: Path) -> None:
    dev = _tally_result({"en": (9, 1), "zh": (10, 0), "cross": (8, 2)}, 9, 10)
    dev["parts"] = {"sample": dev, "harbour": _tally_result({"en": (3, 0)}, 2, 2)}
    held = _tally_result({"en": (5, 0), "zh": (4, 1)}, 0, 0)  # no cross, none asked
    speed = kb_bench.scale(passages=150, repeats=1)
    rows = kb_bench.rows(Figure, dev, held, speed)
    assert [r.name for r in rows] == kb_bench.figure_names()
    by_name = {r.name: r for r in rows}
    assert by_name["KB dev recall@3 en"].value == 0.9
    assert "sample 0.9" in by_name["KB dev recall@3 en"].detail
    assert "harbour 1.0" in by_name["KB dev recall@3 en"].detail
    assert by_name["KB held-out recall@3 cross"].detail == "recall@1=0.0, n=0"
    assert by_name["KB held-out off-topic rejected"].value == 0.0
    assert speed["passages"] == 150 and speed["queries"] > 0


def test_scale_passages_are_faq_like_sentences(tmp_path: Path) -> None:
    kb_synthetic.write_files(tmp_path, 300)
    bodies = {"en": [], "zh": []}
    for path in sorted(tmp_path.glob("*.md")):
        for block in path.read_text("utf-8").split("\n## ")[1:]:
            body = block.split("\n\n", 1)[1].strip()
            bodies["zh" if re.search(r"[\u4e00-\u9fff]{8}", body) else "en"].append(body)
    assert len(bodies["en"]) == 200 and len(bodies["zh"]) == 100
    for body in bodies["en"]:
        words = body.split()
        assert 60 <= len(words) <= 90, body
        # Real words, not "term1234" tokens that split into many pieces.
        assert not re.search(r"[a-z]+\d", body), body
        assert body.endswith(".")
    for body in bodies["zh"]:
        assert 100 <= len(body) <= 160, body
        assert body.endswith("。")
