"""Rendering stalls: the longest the GUI thread is held while a huge answer streams or opens."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Slot

from desktop_chat.bench.qt_wait import wait_until
from desktop_chat.bench.report import Figure

HEARTBEAT_MS = 2
STREAM_CHUNK_CHARS = 2_000  # what arrives between two 10 ms ticks: a very fast model
STREAM_TICK_MS = 10
TARGET = "<= 50"


class StallMeter(QObject):
    """A fast timer on the GUI thread; the longest gap between its ticks is the longest stall."""

    def __init__(self) -> None:
        super().__init__()
        self.longest_s = 0.0
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.longest_s = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        """Stop; the longest stall in milliseconds, less the heartbeat's own interval."""
        self._tick()
        self._timer.stop()
        return max(0.0, self.longest_s * 1000 - HEARTBEAT_MS)

    @Slot()
    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_s = max(self.longest_s, now - self._last)
        self._last = now


def big_answer(chars: int = 1_000_000) -> str:
    """An answer of about ``chars`` characters: prose, lists, code, and one 130 KB line."""
    section = (
        "## Part {n}\n\nThe **quick** brown fox jumps over the *lazy* dog, again and again, "
        "with `inline code` and a [link](https://example.com/{n}).\n\n"
        "- first point\n- second point\n  - nested point\n\n"
        "```python\ndef part_{n}(x):\n    return x * {n}\n```\n\n"
    )
    parts = [section.format(n=0), "x" * min(130_000, chars // 4) + "\n\n"]
    size = sum(len(p) for p in parts)
    n = 1
    while size < chars:
        parts.append(section.format(n=n))
        size += len(parts[-1])
        n += 1
    return "".join(parts)


def big_table(rows: int = 3_000) -> str:
    lines = ["| # | name | amount | note |", "|---|---|---|---|"]
    lines += [f"| {i} | item {i} | {i * 3.5:.2f} | row {i} of the table |" for i in range(rows)]
    return "\n".join(lines) + "\n"


def _settle(condition: Callable[[], bool]) -> None:
    wait_until(condition, timeout_s=600)
    # A few more turns of the event loop, for the paints the last change asked for.
    deadline = time.perf_counter() + 0.2
    wait_until(lambda: time.perf_counter() > deadline, timeout_s=5)


def streamed_stall_ms(text: str) -> float:
    """Stream ``text`` into a shown transcript as a fast model would, then finish it."""
    from desktop_chat.ui.chat.transcript import Transcript

    transcript = Transcript()
    transcript.resize(900, 800)
    transcript.show()
    chunks = [text[i : i + STREAM_CHUNK_CHARS] for i in range(0, len(text), STREAM_CHUNK_CHARS)]
    chunks.reverse()
    meter = StallMeter()
    feeder = QTimer()
    feeder.setInterval(STREAM_TICK_MS)

    def feed() -> None:
        if chunks:
            transcript.append_stream(chunks.pop())
        else:
            feeder.stop()

    feeder.timeout.connect(feed)
    meter.start()
    view = transcript.begin_stream()
    feeder.start()
    body = view.stream_body
    _settle(lambda: not chunks and not transcript._pending and not (body and body.writing))
    transcript.end_stream(text)
    _settle(lambda: transcript.render_queue.pending == 0)
    stall = meter.stop()
    transcript.close()
    transcript.deleteLater()
    return stall


def opened_stall_ms(text: str, others: int = 20) -> float:
    """Open a chat whose page holds ``text`` as one answer among ``others`` ordinary messages."""
    from desktop_chat.ui.chat.transcript import Transcript

    transcript = Transcript()
    transcript.resize(900, 800)
    transcript.show()
    meter = StallMeter()
    opened: list[bool] = []

    def open_chat() -> None:
        for index in range(others):
            role = "user" if index % 2 == 0 else "assistant"
            transcript.add_message(role, f"Message {index}: a short **ordinary** message.")
        transcript.add_message("user", "Show me everything.")
        transcript.add_message("assistant", text)
        opened.append(True)

    meter.start()
    QTimer.singleShot(0, open_chat)
    _settle(lambda: bool(opened) and transcript.render_queue.pending == 0)
    stall = meter.stop()
    transcript.close()
    transcript.deleteLater()
    return stall


def run(answer_chars: int = 1_000_000, table_rows: int = 3_000) -> list[Figure]:
    from desktop_chat.app import ensure_qapp
    from desktop_chat.ui.shell import theme

    app = ensure_qapp()
    app.setStyleSheet(theme.style_sheet("light"))
    answer = big_answer(answer_chars)
    table = big_table(table_rows)
    answer_name = f"{len(answer) / 1e6:.1f} MB answer"
    table_name = f"{table_rows:,}-row table"
    figures = []
    for name, text in ((answer_name, answer), (table_name, table)):
        detail = f"{len(text):,} characters"
        figures.append(
            Figure(
                f"longest GUI stall, {name} streamed", streamed_stall_ms(text), "ms", TARGET, detail
            )
        )
        figures.append(
            Figure(f"longest GUI stall, {name} opened", opened_stall_ms(text), "ms", TARGET, detail)
        )
    return figures
