"""What the model is asked for one turn: settings, profile and knowledge base in a ChatRequest."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from desktop_chat import settings as settings_mod
from desktop_chat.chat.profiles import Profile
from desktop_chat.engine.reasoning import strip_reasoning
from desktop_chat.engine.types import ChatMessage, ChatRequest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Turn:
    request: ChatRequest
    citations: list[dict[str, Any]] = field(default_factory=list)
    notice: str = ""  # e.g. the knowledge base is missing or empty


def profile_settings(base: settings_mod.Settings, profile: Profile | None) -> settings_mod.Settings:
    """Apply a profile's generation overrides; a bad value is skipped, never fatal."""
    if profile is None:
        return base
    result = base
    for key, value in profile.generation.items():
        try:
            result = settings_mod.with_value(result, f"generation.{key}", value)
        except settings_mod.SettingsError:
            log.warning("profile %s: ignoring %s=%r", profile.id, key, value)
    return result


def _ground(profile: Profile, question: str, system: str) -> tuple[str, list[dict[str, Any]], str]:
    from desktop_chat.kb.grounding import ground_by_name

    return ground_by_name(profile.knowledge_base or "", question, system)


def needs_grounding(
    profile: Profile | None, history: Sequence[ChatMessage], continue_last: bool = False
) -> bool:
    """Whether the turn reads a knowledge base (slow: it may index the demo first), so a
    window builds it off the GUI thread."""
    return bool(
        profile is not None
        and profile.knowledge_base
        and _last_question(history)
        and not continue_last
    )


def _last_question(history: Sequence[ChatMessage]) -> str:
    return next((m.content for m in reversed(history) if m.role == "user"), "")


def build_turn(
    settings: settings_mod.Settings,
    history: Sequence[ChatMessage],
    *,
    model_key: str | None,
    profile: Profile | None = None,
    conversation_overrides: Mapping[str, Any] | None = None,
    conversation_key: str = "",
    min_start: int = 0,
    continue_last: bool = False,
    policy: str | None = None,
) -> Turn:
    """Everything the engine needs for the next answer, and the passages it will cite.

    Plain and synchronous, so the headless ``chat`` command can call it; it touches the disk
    only when ``needs_grounding``, and may then be called from any thread."""
    effective = settings_mod.effective(
        profile_settings(settings, profile), model_key, conversation_overrides
    )
    system = effective.generation.system_prompt
    if profile is not None and profile.system_prompt:
        system = profile.system_prompt
    citations: list[dict[str, Any]] = []
    notice = ""
    if needs_grounding(profile, history, continue_last):
        assert profile is not None
        system, citations, notice = _ground(profile, _last_question(history), system)
    # Answers are stored without their reasoning; older ones may still hold thought blocks,
    # which a thinking model's template never shows it again.
    history = [
        ChatMessage(m.role, strip_reasoning(m.content)) if m.role == "assistant" else m
        for m in history
    ]
    request = ChatRequest(
        history=tuple(history),
        system=system,
        gen=settings_mod.to_gen_params(effective),
        policy=policy or effective.app.context_policy,
        conversation_key=conversation_key,
        min_start=min_start,
        continue_last=continue_last,
        # A grammar starts at the document's root: a cut-off JSON answer is regenerated.
        json_schema=(profile.json_schema or None) if profile and not continue_last else None,
        thinking=effective.generation.thinking,
    )
    if citations:
        # Grounded answers should stick to the passages, whatever the global temperature.
        request = replace(
            request, gen=replace(request.gen, temperature=min(request.gen.temperature, 0.3))
        )
    return Turn(request, citations, notice)


def shown_citations(
    answer: str, citations: list[dict[str, Any]], limit: int = 3
) -> list[dict[str, Any]]:
    """The sources to show under an answer: those it cites as [n], else the best few.

    Every passage the model saw stays stored with the message; showing all of them under a
    one-line answer would bury the one that matters.
    """
    cited = sorted({int(n) for n in re.findall(r"\[(\d{1,2})\]", answer)})
    chosen = [citations[n - 1] for n in cited if 1 <= n <= len(citations)]
    if chosen:
        return chosen[:limit]
    if not citations:
        return []
    best = max(float(c.get("score") or 0.0) for c in citations)
    strong = [c for c in citations if float(c.get("score") or 0.0) >= best * 0.5]
    # The best few, shown in citation order: a document attached in full scores as the best
    # passage and comes after the knowledge base's, yet must not fall past the limit.
    best_few = sorted(strong, key=lambda c: -float(c.get("score") or 0.0))[:limit]
    return [c for c in strong if any(c is b for b in best_few)]
