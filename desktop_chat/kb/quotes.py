"""Quotes a reader can check: the passage sentences an answer relies on, and the figures it
states (numbers, dates, prices, durations, percentages) that no cited passage contains."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A sentence ends at . ! ? followed by space (so "5.5" and "e.g.x" stay whole), at a Chinese
# stop (no space needed), or at a line break (list items, table rows).
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|(?<=[。！？；])|\n+")
_MARKER = re.compile(r"\[(\d{1,3})\]")
_LATIN_WORD = re.compile(rf"[^\W_{_CJK}]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")

_EN_STOP_TEXT = """a an and are as at be by can do does for from has have how i if in is it its may
    of on or our so that the their then there this to us we what when which will with you your
    within after before not no yes also"""
_EN_STOP = frozenset(_EN_STOP_TEXT.split())
# Single characters too common in Chinese to say which sentence an answer relies on.
_ZH_STOP = frozenset("的了是在我你您们有和就都也要会可以吗呢吧啊这那个")

# -- quantities ------------------------------------------------------------------------------

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_EN_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
    "hundred": 100,
}  # fmt: skip

# unit pattern -> kind; durations also carry their length in minutes.
_UNIT_WORDS: list[tuple[str, str]] = [
    (r"business\s+days?|working\s+days?|calendar\s+days?|days?", "day"),
    (r"hours?|hrs?|h", "hour"),
    (r"minutes?|mins?", "minute"),
    (r"weeks?|wks?", "week"),
    (r"months?", "month"),
    (r"years?|yrs?", "year"),
    (r"percent|per\s+cent|%|％", "percent"),
    (r"euros?|eur|dollars?|usd|yuan|rmb|cny|元|块钱|块", "money"),
    (r"个?工作日|天|日", "day"),
    (r"个?小时|钟头", "hour"),
    (r"分钟", "minute"),
    (r"个?星期|个?礼拜|周", "week"),
    (r"个月|月", "month"),
    (r"年", "year"),
]
_MINUTES = {"minute": 1, "hour": 60, "day": 1440, "week": 10080}
_UNIT = "|".join(f"(?:{pattern})" for pattern, _ in _UNIT_WORDS)
_CURRENCY = r"[$€£¥￥]|(?:usd|eur|rmb|cny)\s?"
_ZH_NUM = "[零〇一二两三四五六七八九十百千万]+"
_EN_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_EN_UNITS = "one|two|three|four|five|six|seven|eight|nine"
# "twenty-four" before "twenty": the longer spelling wins.
_EN_NUM = rf"(?:{_EN_TENS})[- ](?:{_EN_UNITS})|" + "|".join(
    sorted(_EN_NUMBERS, key=len, reverse=True)
)
_DIGITS = r"\d+(?:,\d{3})*(?:\.\d+)?"
_RANGE = r"\s*(?:-|–|—|~|～|to|到|至|或|or)\s*"
_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)

_PATTERNS = [
    # Dates and times first, so their digits are not read as plain numbers.
    ("date", re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")),
    ("date", re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]")),
    ("date", re.compile(rf"\b(?:({_MONTHS})\.?\s+(\d{{1,2}})|(\d{{1,2}})\s+({_MONTHS}))\b", re.I)),
    ("time", re.compile(r"\b(\d{1,2}):(\d{2})(?:\s*([ap])\.?m\.?)?(?![\d:])", re.I)),
    ("time", re.compile(r"\b(\d{1,2})\s*([ap])\.?m\.?(?![a-z])", re.I)),
    ("percent", re.compile(rf"百分之({_ZH_NUM}|{_DIGITS})")),
    (
        "amount",
        re.compile(
            rf"(?P<cur>{_CURRENCY})?(?P<a>{_DIGITS}|{_ZH_NUM}|\b(?:{_EN_NUM})\b)"
            rf"(?:{_RANGE}(?P<cur2>{_CURRENCY})?(?P<b>{_DIGITS}|{_ZH_NUM}|\b(?:{_EN_NUM})\b))?"
            rf"(?:[\s-]?(?P<unit>{_UNIT})(?![a-z]))?",
            re.I,
        ),
    ),
]
_LIST_NUMBER = re.compile(r"(?m)^\s*\d{1,3}[.)]\s")


@dataclass(frozen=True)
class Quantity:
    """A figure in a text: its span, kind (day, hour, money, percent, date, time, "" for a bare
    number) and normalised value(s)."""

    start: int
    end: int
    kind: str
    values: tuple[str, ...]

    @property
    def minutes(self) -> tuple[float, ...]:
        per = _MINUTES.get(self.kind)
        return tuple(float(v) * per for v in self.values) if per else ()


@dataclass(frozen=True)
class Claim:
    """A figure the answer states that no cited passage contains."""

    text: str
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class QuoteResult:
    """``quotes[i]``: (start, end) spans of passage i's relied-on sentences; ``unsupported``:
    the answer's figures found in no cited passage."""

    quotes: list[list[tuple[int, int]]]
    unsupported: list[Claim]


def _number(text: str) -> float | None:
    text = text.strip().lower().replace(",", "")
    if not text:
        return None
    if text[0].isdigit():
        try:
            return float(text)
        except ValueError:
            return None
    if text in _EN_NUMBERS:
        return float(_EN_NUMBERS[text])
    tens, _, unit = text.replace(" ", "-").partition("-")
    if tens in _EN_NUMBERS and unit in _EN_NUMBERS and unit:
        return float(_EN_NUMBERS[tens] + _EN_NUMBERS[unit])
    return _zh_number(text)


def _zh_number(text: str) -> float | None:
    total, current = 0, 0
    for char in text:
        if char in _ZH_DIGITS:
            current = current * 10 + _ZH_DIGITS[char] if current >= 10 else _ZH_DIGITS[char]
        elif char in _ZH_UNITS:
            total += (current or 1) * _ZH_UNITS[char]
            current = 0
        else:
            return None
    return float(total + current)


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _unit_kind(unit: str) -> str:
    unit = unit.lower()
    for pattern, kind in _UNIT_WORDS:
        if re.fullmatch(pattern, unit):
            return kind
    return ""


_MONTH_NAMES = "jan feb mar apr may jun jul aug sep oct nov dec"
_MONTH_NUMBER = {m: i for i, m in enumerate(_MONTH_NAMES.split(), start=1)}


def _month(name: str) -> int:
    return _MONTH_NUMBER.get(name[:3].lower(), 0)


def _clock(hour: str, minute: str, half: str | None) -> str:
    h = int(hour)
    if half and half.lower() == "p" and h < 12:
        h += 12
    if half and half.lower() == "a" and h == 12:
        h = 0
    return f"{h}:{int(minute):02d}"


def _date_or_time(kind: str, match: re.Match[str]) -> tuple[str, ...] | None:
    groups = match.groups()
    if kind == "time":
        if len(groups) == 3:
            return (_clock(groups[0], groups[1], groups[2]),)
        return (_clock(groups[0], "0", groups[1]),)
    if match.re.pattern.startswith(r"\b(?:("):  # month names, either order
        month_number = _month(groups[0] or groups[3])
        day_number = int(groups[1] or groups[2])
        valid = month_number and 1 <= day_number <= 31
        return (f"{month_number}-{day_number}",) if valid else None
    _year, month, day = groups
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    # Month and day only: "5月1日" in a passage supports "2025-05-01" in an answer.
    return (f"{int(month)}-{int(day)}",)


def fold(text: str) -> str:
    """Full-width digits and signs folded to ASCII, keeping every offset (one char per char)."""
    return "".join(f if len(f := unicodedata.normalize("NFKC", c)) == 1 else c for c in text)


def find_quantities(text: str) -> list[Quantity]:
    """Every figure in ``text``, left to right; citation markers and list numbers excluded."""
    text = fold(text)
    taken = [False] * len(text)
    for match in _MARKER.finditer(text):
        taken[match.start() : match.end()] = [True] * (match.end() - match.start())
    for match in _LIST_NUMBER.finditer(text):
        taken[match.start() : match.end()] = [True] * (match.end() - match.start())
    found: list[Quantity] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if start == end or any(taken[start:end]):
                continue
            quantity = _quantity(kind, match, text)
            if quantity is None:
                continue
            found.append(quantity)
            taken[start:end] = [True] * (end - start)
    found.sort(key=lambda q: q.start)
    return found


def _quantity(kind: str, match: re.Match[str], text: str) -> Quantity | None:
    start, end = match.span()
    if kind in ("date", "time"):
        values = _date_or_time(kind, match)
        return Quantity(start, end, kind, values) if values else None
    if kind == "percent":
        value = _number(match.group(1))
        return None if value is None else Quantity(start, end, "percent", (_fmt(value),))
    unit = match.group("unit") or ""
    unit_kind = _unit_kind(unit) if unit else ""
    if match.group("cur") or match.group("cur2"):
        unit_kind = "money"
    raw = [match.group("a"), match.group("b")]
    if not unit_kind and any(r and not r[0].isdigit() for r in raw):
        # Word and Chinese numerals count only with a unit: "one of", "一些", "统一" are not
        # figures. An unmatched range second half is dropped rather than the whole match.
        if raw[0] and not raw[0][0].isdigit():
            return None
        raw[1] = None
        end = match.start("a") + len(raw[0] or "")
    values = tuple(_fmt(v) for r in raw if r for v in [_number(r)] if v is not None)
    if not values:
        return None
    return Quantity(start, end, unit_kind, values)


def _supports(claim: Quantity, evidence: Sequence[Quantity]) -> bool:
    """Whether every value of ``claim`` appears in ``evidence`` with a compatible unit."""
    minutes_of: tuple[float | None, ...] = claim.minutes or (None,) * len(claim.values)
    for value, minutes in zip(claim.values, minutes_of, strict=True):
        if not any(_same(value, minutes, claim.kind, q) for q in evidence):
            return False
    return True


def _same(value: str, minutes: float | None, kind: str, other: Quantity) -> bool:
    if minutes is not None and minutes in other.minutes:
        return True  # 24 hours = 1 day
    if value not in other.values:
        return False
    # A bare number on either side may be the same figure; two units must agree.
    return not kind or not other.kind or kind == other.kind


def unsupported_claims(answer: str, passages: Sequence[str]) -> list[Claim]:
    """The figures of ``answer`` that appear in none of ``passages``."""
    evidence = [q for passage in passages for q in find_quantities(passage)]
    text = fold(answer)
    return [
        Claim(text[q.start : q.end].strip(), q.start, q.end)
        for q in find_quantities(answer)
        if not _supports(q, evidence)
    ]


# -- sentences -------------------------------------------------------------------------------


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, surrounding spaces trimmed; EN and ZH."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() == 0:
            continue
        spans.append((position, match.start() if match.group().isspace() else match.end()))
        position = match.end()
    spans.append((position, len(text)))
    result = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            result.append((start, end))
    return result


def _terms(text: str) -> set[str]:
    text = fold(text).casefold()
    terms = {
        word[:6] if not word.isdigit() else word  # a crude stem: refunds ~ refund
        for word in _LATIN_WORD.findall(text)
        if word not in _EN_STOP and (len(word) > 1 or word.isdigit())
    }
    for run in _CJK_RUN.findall(text):
        chars = list(run)
        terms.update(
            a + b for a, b in itertools.pairwise(chars) if not (a in _ZH_STOP and b in _ZH_STOP)
        )
        terms.update(c for c in chars if c not in _ZH_STOP)
    return terms


def _figures(text: str) -> set[str]:
    return {f"{q.kind}:{v}" for q in find_quantities(text) for v in q.values} | {
        f"min:{m:g}" for q in find_quantities(text) for m in q.minutes
    }


QUOTE_MIN_SCORE = 0.34  # share of an answer sentence's terms a passage sentence must hold
CITED_MIN_SCORE = 0.12  # lower bar for a passage the sentence cites by number


def _score(claim_terms: set[str], claim_figures: set[str], sentence: str, min_shared: int) -> float:
    if not claim_terms:
        return 0.0
    terms = _terms(sentence)
    shared = len(claim_terms & terms)
    if shared < min_shared and not (claim_figures & _figures(sentence)):
        return 0.0
    score = shared / len(claim_terms)
    if claim_figures & _figures(sentence):
        score += 0.25  # the same figure is strong evidence of the same fact
    return score


def find_quotes(answer: str, passages: Sequence[str]) -> QuoteResult:
    """For passage ``i`` (cited as ``[i + 1]``), the sentences the answer relies on; and the
    answer's figures that none of the passages contains.

    An answer sentence is matched against the passages it cites by number, or against all of
    them when it cites none; in each it picks the passage sentence sharing the most words and
    figures with it, if enough do.
    """
    sentences = [split_sentences(p) for p in passages]
    chosen: list[set[tuple[int, int]]] = [set() for _ in passages]
    for start, end in split_sentences(answer):
        claim = answer[start:end]
        cited = {int(n) - 1 for n in _MARKER.findall(claim)} & set(range(len(passages)))
        claim_text = _MARKER.sub(" ", claim)
        claim_terms, claim_figures = _terms(claim_text), _figures(claim_text)
        for index in cited or range(len(passages)):
            # A sentence that cites a passage relies on it even when it garbles it: its
            # closest sentence is shown, so the reader can compare.
            bar = CITED_MIN_SCORE if cited else QUOTE_MIN_SCORE
            min_shared = 1 if cited else 2
            best: tuple[float, tuple[int, int]] | None = None
            for span in sentences[index]:
                text = passages[index][span[0] : span[1]]
                score = _score(claim_terms, claim_figures, text, min_shared)
                if score >= bar and (best is None or score > best[0]):
                    best = (score, span)
            if best is not None:
                chosen[index].add(best[1])
    return QuoteResult(
        [sorted(spans) for spans in chosen], unsupported_claims(answer, list(passages))
    )


def closest_sentence(answer: str, passage: str) -> list[tuple[int, int]]:
    """The one sentence of ``passage`` sharing most words and figures with ``answer`` (none
    when nothing at all is shared)."""
    text = _MARKER.sub(" ", answer)
    terms, figures = _terms(text), _figures(text)
    best: tuple[float, tuple[int, int]] | None = None
    for span in split_sentences(passage):
        score = _score(terms, figures, passage[span[0] : span[1]], 1)
        if score > 0 and (best is None or score > best[0]):
            best = (score, span)
    return [best[1]] if best else []


def annotate(
    answer: str, citations: Sequence[Mapping[str, Any]], shown: Sequence[int]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Citations as stored with an answer, each given its ``number`` and ``quotes`` spans,
    and the unsupported claims (as dicts), checked against the ``shown`` citations (indexes):
    the ones the reader sees, so every figure not flagged can be found in them."""
    texts = [str(c.get("text") or "") for c in citations]
    result = find_quotes(answer, texts)
    for index in shown:
        if 0 <= index < len(texts) and not result.quotes[index]:
            # Shown as a source of this answer, yet no sentence matched one of the answer's
            # sentences well: the sentence closest to the whole answer is what it drew on.
            result.quotes[index] = closest_sentence(answer, texts[index])
    annotated = [
        {**dict(c), "number": i + 1, "quotes": [list(span) for span in result.quotes[i]]}
        for i, c in enumerate(citations)
    ]
    visible = [texts[i] for i in shown if 0 <= i < len(texts)]
    claims = unsupported_claims(answer, visible) if visible else []
    return annotated, [c.as_dict() for c in claims]
