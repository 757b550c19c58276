"""The retrieval bench: the question sets are well formed, rows keep their names, scale text is real."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from desktop_chat.bench import kb_bench, kb_synthetic
from desktop_chat.bench.report import Figure
from desktop_chat.kb import general, library
from desktop_chat.kb.index import KnowledgeBase


def _sections(kb: KnowledgeBase) -> set[str]:
    rows = kb._db.execute(
        "SELECT d.source, p.section FROM passages p JOIN documents d ON d.id = p.doc_id"
    ).fetchall()
    return {f"{source}#{section.split(' > ')[-1]}" for source, section in rows}


def _check_items(items: list[dict], base: Path, tmp_path: Path) -> None:
    """Each expect id is a passage of `base`, in the language its kind says (ranks nothing)."""
    with KnowledgeBase(tmp_path / f"{base.name}.sqlite3") as kb:
        report = kb.add_paths([base / "en", base / "zh"])
        assert report.skipped == []
        known = _sections(kb)
    for item in items:
        assert set(item["expect"]) <= known, item
        in_own = [e for e in item["expect"] if e.startswith(item["lang"] + "/")]
        if item["kind"] == "same":
            assert in_own, item
        elif item["kind"] == "cross":
            assert item["expect"] and not in_own, item
        else:
            assert item["kind"] == "off_topic" and item["expect"] == [], item


def test_heldout5_questions_point_at_real_passages(tmp_path: Path) -> None:
    """Checked by indexing only: no question is ranked here (the set stays sealed)."""
    items = kb_bench.heldout_items()
    assert {i["kb"] for i in items} == {"heldout5"}
    _check_items(items, kb_bench.heldout5_dir(), tmp_path)
    counts = Counter((i["lang"], i["kind"]) for i in items)
    assert counts["en", "same"] >= 28 and counts["zh", "same"] >= 26
    assert counts["en", "cross"] >= 14 and counts["zh", "cross"] >= 14
    off_topic = [i for i in items if i["kind"] == "off_topic"]
    near = [i for i in off_topic if i["near_miss"]]
    assert len(off_topic) >= 28 and len(near) >= 16
    assert {i["lang"] for i in near} == {"en", "zh"}


def test_spent_held_out_sets_are_development_data_now(tmp_path: Path) -> None:
    for folder in (kb_bench.greenhill_dir(), kb_bench.northgate_dir(), kb_bench.kestrel_dir()):
        items = json.loads((folder / "questions.json").read_text("utf-8"))
        _check_items(items["questions"], folder, tmp_path)
        near = [i for i in items["questions"] if i.get("near_miss")]
        assert {i["lang"] for i in near} == {"en", "zh"}
    assert kb_bench.heldout2_dir() == kb_bench.greenhill_dir()
    assert kb_bench.heldout3_dir() == kb_bench.northgate_dir()
    assert kb_bench.heldout4_dir() == kb_bench.kestrel_dir()
    names = [name for name, _ in kb_bench.DEV_PARTS]
    assert names == ["sample", "harbour", "greenhill", "northgate", "kestrel"]


def test_harbour_has_near_misses_and_more_cross_language(tmp_path: Path) -> None:
    items = json.loads((kb_bench.harbour_dir() / "questions.json").read_text("utf-8"))
    mine = [i for i in items["questions"] if i["kb"] == "heldout"]
    _check_items(mine, kb_bench.harbour_dir(), tmp_path)
    near = Counter(i["lang"] for i in mine if i.get("near_miss"))
    assert near["en"] + near["zh"] >= 20 and near["en"] >= 8 and near["zh"] >= 8
    assert all(i["kind"] == "off_topic" for i in mine if i.get("near_miss"))
    cross = Counter(i["lang"] for i in mine if i["kind"] == "cross")
    assert cross["en"] >= 15 and cross["zh"] >= 15


def test_sample_shop_has_near_misses_and_chinese_questions_on_the_english_faq() -> None:
    data = json.loads(library.sample_questions_file().read_text("utf-8"))
    near = data["near_miss"]
    zh = [q for q in near if re.search(r"[\u4e00-\u9fff]", q)]
    assert len(near) >= 20 and len(zh) >= 8 and len(near) - len(zh) >= 8
    assert not set(near) & set(data["off_topic"])
    cross = [q for q in data["questions"] if q["lang"] == "zh" and q["source"] == "en/faq.csv"]
    assert len(cross) >= 8  # no Chinese faq.csv: answered in English only


def test_heldout_is_a_different_set_from_development() -> None:
    spent = (kb_bench.harbour_dir(), kb_bench.greenhill_dir(), kb_bench.northgate_dir())
    spent += (kb_bench.kestrel_dir(),)
    assert kb_bench.heldout5_dir() not in (*spent, library.sample_kb_dir())
    dev_questions: set[str] = set(general.questions())  # the off-topic gate's bank, too
    for folder in spent:
        data = json.loads((folder / "questions.json").read_text("utf-8"))
        dev_questions |= {i["q"] for i in data["questions"]}
    sample = json.loads(library.sample_questions_file().read_text("utf-8"))
    dev_questions |= {q["q"] for q in sample["questions"] + sample["holdout"]}
    dev_questions |= set(sample["off_topic"] + sample["near_miss"])
    assert not dev_questions & {i["q"] for i in kb_bench.heldout_items()}


def test_heldout_reports_aggregates_only(monkeypatch) -> None:
    """Run on development data standing in for the sealed set, which stays unranked here."""
    items = json.loads((kb_bench.greenhill_dir() / "questions.json").read_text("utf-8"))
    monkeypatch.setattr(kb_bench, "heldout5_dir", kb_bench.greenhill_dir)
    monkeypatch.setattr(kb_bench, "heldout_items", lambda: items["questions"])
    result = kb_bench.heldout()
    assert "misses" not in result
    assert set(result["groups"]) == {"en", "zh", "cross"}
    assert sum(g["n"] for g in result["groups"].values()) == sum(
        i["kind"] != "off_topic" for i in items["questions"]
    )
    assert result["off_topic_rejection"] is not None
    assert result["near_miss_rejection"] is not None and result["general_rejection"] is not None


def _tally_result(groups: dict[str, tuple[int, int]], rejected: int, asked: int) -> dict:
    tally = kb_bench._Tally()
    for group, (hits, misses) in groups.items():
        for n in range(hits + misses):
            tally.add(group, 0 if n < hits else None, f"{group} {n}")
    tally.rejected, tally.asked = rejected, asked
    return kb_bench._result(tally)


def test_bench_rows_keep_their_names(tmp_path: Path) -> None:
    dev = _tally_result({"en": (9, 1), "zh": (10, 0), "cross": (8, 2)}, 9, 10)
    dev["parts"] = {
        "sample": dev,
        "harbour": _tally_result({"en": (3, 0)}, 2, 2),
        "greenhill": _tally_result({"zh": (1, 1)}, 1, 4),
    }
    dev["near_miss_rejection"] = 0.25
    held = _tally_result({"en": (5, 0), "zh": (4, 1)}, 0, 0)  # no cross, none asked
    speed = kb_bench.scale(passages=150, repeats=1)
    rows = kb_bench.rows(Figure, dev, held, speed)
    assert [r.name for r in rows] == kb_bench.figure_names()
    by_name = {r.name: r for r in rows}
    assert by_name["KB dev recall@3 en"].value == 0.9
    assert "sample 0.9" in by_name["KB dev recall@3 en"].detail
    assert "harbour 1.0" in by_name["KB dev recall@3 en"].detail
    assert "greenhill 0.5" in by_name["KB dev recall@3 zh"].detail
    assert by_name["KB held-out recall@3 cross"].detail == "recall@1=0.0, n=0"
    off = by_name["KB dev off-topic rejected"].detail
    assert off == "general 0.9, near-misses 0.25, sample 0.9, harbour 1.0, greenhill 0.25"
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
