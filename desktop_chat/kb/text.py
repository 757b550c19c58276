"""Turn text into index terms: light English stemming, Chinese character bigrams, stop words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Chinese (CJK ideographs, extension A and compatibility block); other scripts go through the
# latin path, which is enough for accents and digits.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = rf"[^\W_{_CJK}]+"
_TOKEN = re.compile(rf"({_WORD}(?:-{_WORD})*)|([{_CJK}]+)")
_APOSTROPHES = re.compile(r"['’`]")

_STOP_WORDS_TEXT = """
    a about above after afternoon again all also am an and any anyone are as at be because
    been before being below between both but by bye can cant could did didnt do does doesnt
    doing dont down during each either else evening ever every few for from further get gets
    getting good got great had has hasnt have havent having he hello her here hers hey hi
    him his how however i id if im in into is isnt it its itself ive just let lets like may
    me might mine more morning most much must my myself need needs nice night no nor not now
    of off ok okay on once only or other our ours out over own please pls quite really same
    she should so some something still such than thank thanks that thats the their them then
    there these they this those through thx to too under until up us very want wants was
    wasnt way we were what whats when where whether which while who whom why will with wont
    would yes yet you your youre yours yourself
"""
EN_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# Removed from Chinese questions before bigramming: question words and particles that carry no
# topic and would otherwise produce bigrams that match everything or nothing.
ZH_STOP_PHRASES = (
    "请问", "你好", "您好", "谢谢", "怎么办", "怎么样", "怎么", "怎样", "什么", "如何", "为什么",
    "能不能", "可不可以", "是不是", "有没有", "可以", "能否", "是否", "一下", "我们", "你们",
    "我的", "你的", "您的", "他们", "这个", "那个", "还能", "还", "吗", "呢", "吧", "啊", "呀",
    "了", "的", "得", "我", "你", "您", "要", "想", "能", "会", "是", "在", "个", "都", "就",
    "哪里", "哪", "几", "多少",
)  # fmt: skip

_DOUBLE_KEEP = frozenset("lsz")


def normalize(text: str) -> str:
    """Fold width, case and apostrophes so "Don’t" and "dont" index the same."""
    return _APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).casefold())


def stem(word: str) -> str:
    """A light suffix stripper (plural, -ing, -ed, final e); index and query share it."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses") or word.endswith(("xes", "ches", "shes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            # shipp(ing) -> ship; British cancell(ed) -> cancel, but pass -> pass
            doubled = len(word) > 3 and word[-1] == word[-2]
            if doubled and (word[-1] not in _DOUBLE_KEEP or (word[-1] == "l" and len(word) > 5)):
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def iter_runs(text: str) -> Iterator[tuple[str, str]]:
    """Yield ("w", word) for letter/digit runs and ("zh", run) for runs of Chinese characters.

    Hyphenated compounds ("pick-up") come out whole; callers decide how to split them.
    """
    for match in _TOKEN.finditer(normalize(text)):
        word, han = match.groups()
        if word:
            yield "w", word
        elif han:
            yield "zh", han


def han_bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_terms(text: str) -> str:
    """The space-separated terms stored in the FTS column: stems, Chinese bigrams and unigrams.

    Unigrams come after all bigrams so that adjacent bigrams stay adjacent for phrase queries.
    """
    terms: list[str] = []
    unigrams: list[str] = []
    for kind, value in iter_runs(text):
        if kind == "w":
            # "pre-order" is indexed as "preorder", "pre" and "order": all spellings find it.
            parts = [value.replace("-", ""), *value.split("-")] if "-" in value else [value]
            terms.extend(stem(p) for p in parts if p not in EN_STOP_WORDS)
        else:
            if len(value) > 1:
                terms.extend(han_bigrams(value))
            unigrams.extend(value)
    terms.extend(unigrams)
    return " ".join(terms)


def split_zh_stop_phrases(run: str) -> list[str]:
    """Cut a Chinese run at stop phrases, keeping the pieces between them."""
    pieces = [run]
    for phrase in ZH_STOP_PHRASES:
        next_pieces: list[str] = []
        for piece in pieces:
            next_pieces.extend(part for part in piece.split(phrase) if part)
        pieces = next_pieces
    return pieces


def rough_token_count(text: str) -> int:
    """A model-free token estimate: about 4 characters per token, 1 per Chinese character."""
    han = sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")
    return han + (len(text) - han + 3) // 4
