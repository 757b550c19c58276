"""CSV: a question/answer table gives one passage per row headed by its question; others label cells."""

from __future__ import annotations

import csv
import io

from desktop_chat.kb.readers.base import Document, Section, split_blocks

_QUESTION_HEADERS = ("question", "q", "questions", "问题", "问")
_ANSWER_HEADERS = ("answer", "a", "answers", "答案", "回答", "答")


def read_csv(text: str, title: str) -> Document:
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        return Document(title, [])
    header = [cell.strip().casefold() for cell in rows[0]]
    q_col = next((i for i, h in enumerate(header) if h in _QUESTION_HEADERS), None)
    a_col = next((i for i, h in enumerate(header) if h in _ANSWER_HEADERS), None)
    sections: list[Section] = []
    if q_col is not None and a_col is not None:
        for row in rows[1:]:
            question = row[q_col].strip() if q_col < len(row) else ""
            answer = row[a_col].strip() if a_col < len(row) else ""
            if question or answer:
                sections.append(Section((question or title,), f"{question}\n{answer}".strip()))
        return Document(title, sections)
    # Not a Q/A table: one passage per row, each value labelled with its column.
    names = [cell.strip() for cell in rows[0]]
    for row in rows[1:]:
        lines = [f"{names[i] if i < len(names) else i}: {v.strip()}" for i, v in enumerate(row)]
        sections.extend(split_blocks([title], "\n".join(lines)))
    return Document(title, sections)
