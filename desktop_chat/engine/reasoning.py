"""Split a thinking model's streamed text into its reasoning and its answer, chunk by chunk."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Tags that open and close a thought block: <think> (Qwen3, DeepSeek-R1, QwQ), Gemma-style
# thought blocks (<thought>, Gemma 3 thinking tunes' <unused94>thought … <unused95>, and the
# newer <|channel>thought … <channel|>).
_OPENERS = ("<think>", "<thought>", "<unused94>thought", "<unused94>", "<|channel>thought")
_CLOSERS = ("</think>", "</thought>", "<unused95>", "<channel|>")
# gpt-oss Harmony: <|channel|>NAME<|message|>TEXT<|end|> … <|start|>assistant<|channel|>final…
_CHANNEL, _MESSAGE, _START = "<|channel|>", "<|message|>", "<|start|>"
_HARMONY_ENDS = ("<|end|>", "<|return|>", "<|call|>")
_HARMONY_DROPPED = ("<|constrain|>",)
_MARKERS = (*_OPENERS, *_CLOSERS, _CHANNEL, _MESSAGE, _START, *_HARMONY_ENDS, *_HARMONY_DROPPED)
# Harmony channels that are the model thinking (commentary: preambles to tool calls).
_REASONING_CHANNELS = ("analysis", "commentary")

_REASONING, _ANSWER, _CHANNEL_NAME, _HEADER = "reasoning", "answer", "channel", "header"


@dataclass(frozen=True)
class Piece:
    """What one chunk added. ``reset``: the text so far shown as answer was reasoning after all
    (the prompt had opened the thought block); show ``answer`` and ``reasoning`` afresh."""

    answer: str = ""
    reasoning: str = ""
    reset: bool = False


class ReasoningSplitter:
    """Fed stream chunks in order; any tag may be split anywhere across them.

    ``opened``: the prompt already ends inside a thought block (the template wrote
    ``<think>``), so the model's text is reasoning until it closes the block. When that is not
    known and a closing tag comes with no opening one, everything before it moves to reasoning
    (a ``reset`` piece). ``trim``: drop whitespace at the start of each (not when the text
    continues an answer already there)."""

    def __init__(self, opened: bool = False, trim: bool = True) -> None:
        self._trim = trim
        self._raw_answer = ""
        self._raw_reasoning = ""
        self._held = ""
        self._channel = ""
        self._state = _REASONING if opened else _ANSWER
        self._seen_opener = opened

    @property
    def answer(self) -> str:
        return self._raw_answer.lstrip() if self._trim else self._raw_answer

    @property
    def reasoning(self) -> str:
        return self._raw_reasoning.lstrip() if self._trim else self._raw_reasoning

    @property
    def thinking(self) -> bool:
        """The model is inside a thought block right now."""
        return self._state == _REASONING

    def open(self) -> None:
        """The prompt turned out to open a thought block: text from now on is reasoning."""
        if not self._raw_answer.strip() and not self._seen_opener:
            self._state, self._seen_opener = _REASONING, True

    def feed(self, text: str) -> Piece:
        return self._run(self._held + text, final=False)

    def finish(self) -> Piece:
        """The stream ended: text held back as a possible tag start is plain text after all."""
        return self._run(self._held, final=True)

    # -- the scanner -----------------------------------------------------------------------
    def _run(self, buffer: str, *, final: bool) -> Piece:
        answer_before, reasoning_before = self.answer, self.reasoning
        reset = False
        self._held = ""
        while buffer:
            found = _earliest_marker(buffer)
            if found is None:
                keep = 0 if final else _partial_marker_length(buffer)
                self._emit(buffer[: len(buffer) - keep])
                self._held = buffer[len(buffer) - keep :]
                break
            at, marker = found
            if not final and any(
                len(m) > len(marker) and m.startswith(buffer[at:]) for m in _MARKERS
            ):
                self._emit(buffer[:at])  # it may still become a longer tag
                self._held = buffer[at:]
                break
            self._emit(buffer[:at])
            reset = self._on_marker(marker) or reset
            buffer = buffer[at + len(marker) :]
        if reset:
            return Piece(self.answer, self.reasoning, True)
        return Piece(
            _grown(answer_before, self.answer), _grown(reasoning_before, self.reasoning), False
        )

    def _emit(self, text: str) -> None:
        if not text:
            return
        if self._state == _ANSWER:
            self._raw_answer += text
        elif self._state == _REASONING:
            self._raw_reasoning += text
        elif self._state == _CHANNEL_NAME:
            self._channel += text
        # _HEADER: a Harmony role name ("assistant") is not text of either kind.

    def _on_marker(self, marker: str) -> bool:
        """Act on a tag; True when the answer so far moved to reasoning."""
        if marker in _OPENERS:
            if self._state == _ANSWER:
                self._state, self._seen_opener = _REASONING, True
        elif marker in _CLOSERS:
            if self._state == _REASONING:
                self._state = _ANSWER
            elif self._state == _ANSWER and not self._seen_opener:
                self._seen_opener = True
                self._raw_reasoning += self._raw_answer
                self._raw_answer = ""
                return True
        elif marker == _CHANNEL:
            self._state, self._channel = _CHANNEL_NAME, ""
        elif marker == _MESSAGE:
            if self._state == _CHANNEL_NAME:
                name = self._channel.strip().split(" ")[0].lower()
                self._state = _REASONING if name in _REASONING_CHANNELS else _ANSWER
                self._seen_opener = True
                if self._state == _REASONING and self._raw_reasoning.strip():
                    self._raw_reasoning += "\n\n"
        elif marker == _START or marker in _HARMONY_ENDS:
            self._state = _HEADER
        return False


def _earliest_marker(buffer: str) -> tuple[int, str] | None:
    """The first tag in ``buffer``; of tags starting at the same place, the longest."""
    best: tuple[int, str] | None = None
    for marker in _MARKERS:
        at = buffer.find(marker)
        if at < 0:
            continue
        if best is None or at < best[0] or (at == best[0] and len(marker) > len(best[1])):
            best = (at, marker)
    return best


def _partial_marker_length(buffer: str) -> int:
    """How much of the end of ``buffer`` could be the start of a tag."""
    longest = 0
    for marker in _MARKERS:
        for size in range(min(len(marker) - 1, len(buffer)), longest, -1):
            if buffer.endswith(marker[:size]):
                longest = size
                break
    return longest


def _grown(before: str, after: str) -> str:
    return after[len(before) :] if after.startswith(before) else after


_THINK_BLOCK = re.compile(
    r"<think>.*?</think>|<thought>.*?</thought>|<unused94>.*?<unused95>|<\|channel>thought.*?<channel\|>",
    re.DOTALL,
)


def strip_reasoning(text: str) -> str:
    """An answer without thought blocks (text stored before reasoning was kept apart)."""
    if "<" not in text:
        return text
    splitter = ReasoningSplitter()
    splitter.feed(_THINK_BLOCK.sub("", text))
    splitter.finish()
    return splitter.answer
