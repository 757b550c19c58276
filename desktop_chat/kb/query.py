"""Understand a question: stop words, spelling fixes, synonyms, and concept-level BM25 scoring."""

from __future__ import annotations

import difflib
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from desktop_chat.kb import synonyms
from desktop_chat.kb.text import (
    EN_STOP_WORDS,
    han_bigrams,
    iter_runs,
    normalize,
    split_zh_stop_phrases,
    stem,
)

FUZZY_CUTOFF = 0.8
FUZZY_WEIGHT = 0.7
UNIGRAM_WEIGHT = 0.5
# Words the index has never seen still count against coverage, but less: "the lamp came
# smashed" should not be sunk by "came", while "capital of France" must stay unanswered.
UNKNOWN_WEIGHT = 0.5
SECTION_BOOST = 2.0
BM25_K1 = 1.2
BM25_B = 0.6
PHRASE_BONUS = 1.3
MAX_GAP = 2  # words allowed inside a synonym phrase: "send something back" ~ "send back"

Alternative = tuple[str, ...]  # index terms that must all occur


@dataclass(frozen=True)
class Concept:
    """One thing the question asks about; a passage matches it through any alternative."""

    label: str
    alternatives: frozenset[Alternative]
    weight: float = 1.0

    def terms(self) -> set[str]:
        return {t for alt in self.alternatives for t in alt}


def _en_phrase(text: str) -> tuple[str, ...]:
    return tuple(stem(w.replace("-", "")) for _, w in iter_runs(text))


def _content(phrase: Iterable[str]) -> Alternative:
    return tuple(w for w in phrase if w not in _STEMMED_STOP_WORDS)


_STEMMED_STOP_WORDS = frozenset(stem(w) for w in EN_STOP_WORDS) | EN_STOP_WORDS


@cache
def _en_groups() -> tuple[tuple[tuple[tuple[str, ...], ...], frozenset[Alternative]], ...]:
    """Each group as (trigger phrases as stem tuples, alternatives without stop words)."""
    groups = []
    for group in synonyms.EN_GROUPS:
        phrases = tuple(_en_phrase(member) for member in group)
        alternatives = frozenset(alt for alt in map(_content, phrases) if alt)
        groups.append((phrases, alternatives))
    return tuple(groups)


@cache
def _zh_members() -> tuple[tuple[str, frozenset[Alternative]], ...]:
    """Every Chinese member with its group's alternatives, longest first so "换绑" beats "换"."""
    members: list[tuple[str, frozenset[Alternative]]] = []
    for group in synonyms.ZH_GROUPS:
        alternatives = frozenset(
            (stem(m.casefold()),) if m.isascii() else tuple(han_bigrams(normalize(m)))
            for m in group
        )
        members.extend((normalize(m), alternatives) for m in group if not m.isascii())
    return tuple(sorted(members, key=lambda item: -len(item[0])))


@cache
def _synonym_stems() -> frozenset[str]:
    return frozenset(s for phrases, _ in _en_groups() for p in phrases for s in p)


class Vocabulary:
    """Index terms with their passage counts, for idf and for correcting misspelt words."""

    def __init__(self, doc_counts: Mapping[str, int], passages: int, avg_len: float) -> None:
        self.doc_counts = doc_counts
        self.passages = passages
        self.avg_len = avg_len or 1.0
        self._by_length: dict[int, list[str]] = {}
        for term in doc_counts:
            if term.isalpha() and term.isascii():
                self._by_length.setdefault(len(term), []).append(term)

    def __contains__(self, term: object) -> bool:
        return term in self.doc_counts

    def idf(self, term: str) -> float:
        n = self.doc_counts.get(term, 0)
        return math.log(1.0 + (self.passages - n + 0.5) / (n + 0.5))

    def closest(self, word: str) -> str | None:
        """The index term nearest to a misspelt word, if one is close enough."""
        sizes = range(len(word) - 2, len(word) + 3)
        pool = [t for size in sizes for t in self._by_length.get(size, ())]
        matches = difflib.get_close_matches(word, pool, n=1, cutoff=FUZZY_CUTOFF)
        return matches[0] if matches else None


def analyze(question: str, vocab: Vocabulary) -> list[Concept]:
    """Split a question into concepts: synonym phrases first, then each remaining content word."""
    words: list[str] = []
    concepts: list[Concept] = []
    for kind, value in iter_runs(question):
        if kind == "zh":
            concepts.extend(_chinese_concepts(value))
        elif "-" in value and stem(value.replace("-", "")) not in vocab:
            words.extend(value.split("-"))
        else:
            words.append(value.replace("-", ""))
    concepts[:0] = _english_concepts(words, vocab)
    unique: dict[frozenset[Alternative], Concept] = {}
    for concept in concepts:
        if concept.alternatives and concept.alternatives not in unique:
            unique[concept.alternatives] = concept
    return list(unique.values())


def _find(phrase: tuple[str, ...], stems: list[str]) -> Iterable[list[int]]:
    """Positions of the phrase's words in order, allowing MAX_GAP other words between them."""
    for start, word in enumerate(stems):
        if word != phrase[0]:
            continue
        positions, cursor = [start], start
        for part in phrase[1:]:
            window = stems[cursor + 1 : cursor + 2 + MAX_GAP]
            if part not in window:
                break
            cursor += 1 + window.index(part)
            positions.append(cursor)
        else:
            yield positions


def _english_concepts(words: list[str], vocab: Vocabulary) -> list[Concept]:
    stems = [stem(w) for w in words]
    fuzzy = [False] * len(words)
    known = _synonym_stems()
    for i, word in enumerate(words):
        s = stems[i]
        if word in EN_STOP_WORDS or s in vocab or s in known or len(s) < 4 or not s.isalpha():
            continue
        corrected = vocab.closest(s)
        if corrected is not None:
            stems[i], fuzzy[i] = corrected, True
    # A word may trigger several groups ("charge": battery, card, fee): the alternatives of
    # all groups sharing a word form one concept, so one word never counts twice.
    owner = list(range(len(words)))
    alternatives: dict[int, set[Alternative]] = {}

    def root(i: int) -> int:
        while owner[i] != i:
            i = owner[i]
        return i

    for phrases, group_alternatives in _en_groups():
        for phrase in phrases:
            for positions in _find(phrase, stems):
                first = root(positions[0])
                for p in positions[1:]:
                    other = root(p)
                    if other != first:
                        owner[other] = first
                        alternatives.setdefault(first, set()).update(alternatives.pop(other, ()))
                alternatives.setdefault(first, set()).update(group_alternatives)
    concepts: dict[int, Concept] = {}
    for i, word in enumerate(words):
        r = root(i)
        if r in concepts or (r not in alternatives and word in EN_STOP_WORDS):
            continue
        alts = set(alternatives.get(r, ()))
        if stems[i] not in _STEMMED_STOP_WORDS and len(stems[i]) > 1:
            alts.add((stems[i],))
        if alts:
            guessed = any(fuzzy[j] for j in range(len(words)) if root(j) == r)
            weight = FUZZY_WEIGHT if guessed else 1.0
            concepts[r] = Concept(word, frozenset(alts), weight)
    return list(concepts.values())


def _chinese_concepts(run: str) -> list[Concept]:
    concepts: list[Concept] = []
    rest = run
    for member, alternatives in _zh_members():
        if member in rest:
            rest = rest.replace(member, "|")
            concepts.append(Concept(member, alternatives))
    for chunk in rest.split("|"):
        for piece in split_zh_stop_phrases(chunk):
            if len(piece) == 1:
                concepts.append(Concept(piece, frozenset({(piece,)}), UNIGRAM_WEIGHT))
            else:
                concepts.extend(Concept(b, frozenset({(b,)})) for b in han_bigrams(piece))
    return concepts


def query_terms(concepts: list[Concept], vocab: Vocabulary) -> list[str]:
    """Index terms worth asking FTS for: those of alternatives the index can satisfy."""
    terms = {
        t
        for concept in concepts
        for alt in concept.alternatives
        if all(part in vocab for part in alt)
        for t in alt
    }
    return sorted(terms)


@dataclass(frozen=True)
class Match:
    score: float
    coverage: float
    exact: int  # concepts matched without spelling correction or single-character guesses


def score_passage(
    concepts: list[Concept], section_terms: str, body_terms: str, vocab: Vocabulary
) -> Match:
    """BM25 summed per concept, best alternative only, so long synonym lists don't inflate it."""
    section = Counter(section_terms.split())
    body = Counter(body_terms.split())
    length = sum(body.values()) + sum(section.values())
    norm = BM25_K1 * (1 - BM25_B + BM25_B * length / vocab.avg_len)

    def term_score(term: str) -> float:
        tf = body.get(term, 0) + SECTION_BOOST * section.get(term, 0)
        return vocab.idf(term) * tf * (BM25_K1 + 1) / (tf + norm) if tf else 0.0

    total = score = matched_weight = 0.0
    exact = 0
    for concept in concepts:
        known = any(all(t in vocab for t in alt) for alt in concept.alternatives)
        total += concept.weight * (1.0 if known else UNKNOWN_WEIGHT)
        best = 0.0
        for alt in concept.alternatives:
            parts = [term_score(t) for t in alt]
            if all(parts):  # every word of a phrase present: a little more specific
                best = max(best, PHRASE_BONUS ** (len(parts) - 1) * sum(parts) / len(parts))
        if best:
            score += best * concept.weight
            matched_weight += concept.weight
            exact += concept.weight >= 1.0
    coverage = matched_weight / total if total else 0.0
    return Match(score, coverage, exact)
