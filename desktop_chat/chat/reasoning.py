"""The reasoning splitter as the chat layer names it (it lives in engine/, which server/ shares)."""

from __future__ import annotations

from desktop_chat.engine.reasoning import Piece, ReasoningSplitter, strip_reasoning

__all__ = ["Piece", "ReasoningSplitter", "strip_reasoning"]
