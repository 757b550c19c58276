"""Full-text search over every message, English and Chinese, with a snippet around the match."""

from __future__ import annotations

import re

from desktop_chat.store.db import Database
from desktop_chat.store.records import SearchHit

# The trigram tokenizer cannot match anything shorter than three characters, and a
# two-character Chinese word (退款, 发货) is common: such terms are matched with LIKE.
TRIGRAM_MIN = 3
SNIPPET_CONTEXT = 40


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def make_snippet(
    content: str, terms: list[str], context: int = SNIPPET_CONTEXT
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A one-line excerpt around the first match, and the spans of every match inside it."""
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    first = pattern.search(content)
    start_at, end_at = (first.start(), first.end()) if first else (0, 0)
    start = max(0, start_at - context)
    end = min(len(content), end_at + context)
    # Same-length replacement keeps match offsets valid.
    excerpt = re.sub(r"\s", " ", content[start:end])
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(content) else ""
    spans = tuple(
        (match.start() + len(prefix), match.end() + len(prefix))
        for match in pattern.finditer(excerpt)
    )
    return prefix + excerpt + suffix, spans


class SearchMixin(Database):
    def search(self, text: str, *, limit: int = 50) -> list[SearchHit]:
        """Messages containing every whitespace-separated term (any case), newest first.

        Soft-deleted conversations are left out."""
        terms = text.split()
        if not terms:
            return []
        long_terms = [term for term in terms if len(term) >= TRIGRAM_MIN]
        short_terms = [term for term in terms if len(term) < TRIGRAM_MIN]
        where = ["c.deleted_at IS NULL"]
        params: list[object] = []
        if long_terms:
            source = "messages_fts JOIN messages AS m ON m.id = messages_fts.rowid"
            where.append("messages_fts MATCH ?")
            params.append(" AND ".join(_fts_phrase(term) for term in long_terms))
        else:
            source = "messages AS m"
        for term in short_terms:
            where.append("m.content LIKE ? ESCAPE '\\'")
            params.append(_like_pattern(term))
        params.append(limit)
        with self._locked() as conn:
            rows = conn.execute(
                f"""SELECT m.id, m.conversation_id, c.title, m.role, m.content, m.created
                FROM {source} JOIN conversations AS c ON c.id = m.conversation_id
                WHERE {" AND ".join(where)}
                ORDER BY m.created DESC, m.id DESC LIMIT ?""",
                params,
            ).fetchall()
        hits = []
        for row in rows:
            snippet, spans = make_snippet(row["content"], terms)
            hits.append(
                SearchHit(
                    conversation_id=row["conversation_id"],
                    conversation_title=row["title"],
                    message_id=row["id"],
                    role=row["role"],
                    snippet=snippet,
                    highlights=spans,
                    created=row["created"],
                )
            )
        return hits
