"""Assistant profiles: built-in presets plus user presets stored in config_dir()/profiles.json."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from desktop_chat import fsutil, paths
from desktop_chat.engine.json_schema import SchemaError, load_schema

SCHEMA_VERSION = 1
GENERATION_KEYS = frozenset(
    {"temperature", "top_p", "top_k", "min_p", "max_tokens", "repeat_penalty", "seed"}
)
LOGO_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"})
LOGO_MAX_BYTES = 10_000_000
DEMO_KB_NAME = "shop-demo"  # desktop_chat.kb.library.DEMO_KB_NAME, not imported to stay light


class ProfileError(Exception):
    """A profile operation the user asked for cannot be done; str() is a plain sentence."""


@dataclass(frozen=True)
class Profile:
    """A named assistant preset. ``translations`` maps a language code to replaced fields."""

    id: str
    name: str
    system_prompt: str = ""
    generation: dict[str, float | int] = field(default_factory=dict)
    knowledge_base: str | None = None
    greeting: str = ""
    suggestions: tuple[str, ...] = ()
    builtin: bool = False
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)
    # A JSON Schema every answer must match (constrained generation); "" for free text.
    json_schema: str = ""
    # Kiosk view's identity: the shop's name and logo (a copy in data_dir()/logos) for customers.
    shop_name: str = ""
    logo: str = ""

    def localized(self, lang: str) -> Profile:
        """This profile with name, greeting and suggestions in ``lang`` where it has them."""
        extra = self.translations.get(lang) or self.translations.get(lang.split("_")[0], {})
        keys = ("name", "greeting", "shop_name")
        changes: dict[str, Any] = {k: extra[k] for k in keys if k in extra}
        if "suggestions" in extra:
            changes["suggestions"] = tuple(extra["suggestions"])
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["suggestions"] = list(self.suggestions)
        del data["builtin"]
        return data


def _builtin(pid: str, name: str, prompt: str, zh: dict[str, Any], **kw: Any) -> Profile:
    return Profile(pid, name, prompt, builtin=True, translations={"zh": zh}, **kw)


# The Feedback analyzer's answers: shown as a card (ui/chat/json_card.py).
FEEDBACK_SCHEMA = json.dumps(
    {
        "type": "object",
        "properties": {
            "sentiment": {"type": "string", "enum": ["positive", "neutral", "negative"]},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "summary": {"type": "string", "maxLength": 200},
        },
        "required": ["sentiment", "confidence", "summary"],
        "additionalProperties": False,
    }
)

BUILTIN_PROFILES: tuple[Profile, ...] = (
    _builtin(
        "general", "General assistant",
        "You are a helpful, concise assistant. Answer clearly and say so when you are unsure.",
        {"name": "通用助手", "greeting": "你好！有什么可以帮你？",
         "suggestions": ["用三句话解释什么是机器学习", "帮我写一封请假邮件",
                         "推荐几个提高效率的方法"]},
        greeting="Hello! How can I help?",
        suggestions=("Explain machine learning in three sentences", "Draft a short sick-day email",
                     "Give me tips to focus better"),
    ),
    _builtin(
        "customer-service", "Customer service",
        "You are the friendly customer-service assistant of the Lumen Lane online shop. Be "
        "polite and brief, answer from the shop's knowledge base, and cite it.",
        {"name": "客服助手", "greeting": "您好，欢迎光临 Lumen Lane！请问有什么可以帮您？",
         "suggestions": ["退款多久到账？", "满多少包邮？", "保修期是多久？"]},
        generation={"temperature": 0.2}, knowledge_base=DEMO_KB_NAME, shop_name="Lumen Lane",
        greeting="Hi, welcome to Lumen Lane! How can I help you today?",
        suggestions=("How long do refunds take?", "Is shipping free?",
                     "How long is the warranty?"),
    ),
    _builtin(
        "translator", "Translator",
        "You translate between English and Chinese. If the text is Chinese, translate it into "
        "English; otherwise translate it into Simplified Chinese. Reply with the translation "
        "only, keeping meaning, tone and formatting.",
        {"name": "翻译", "greeting": "发给我英文或中文，我来翻译。",
         "suggestions": ["今天天气很好，我们去公园吧。", "Thank you for your patience."]},
        generation={"temperature": 0.1},
        greeting="Send me English or Chinese text and I will translate it.",
        suggestions=("Thank you for your patience.", "今天天气很好，我们去公园吧。"),
    ),
    _builtin(
        "summarizer", "Summarizer",
        "Summarize the text the user gives you in a few bullet points, keeping names, numbers "
        "and decisions. Write the summary in the language of the text.",
        {"name": "摘要", "greeting": "粘贴一段文字，我来总结要点。",
         "suggestions": ["总结这封邮件的要点：", "用三点概括这篇文章："]},
        generation={"temperature": 0.2},
        greeting="Paste some text and I will summarize it.",
        suggestions=("Summarize this email:", "Give me the three key points of this article:"),
    ),
    _builtin(
        "feedback", "Feedback analyzer",
        "Analyse the customer feedback the user gives you. Reply with JSON only: its "
        "sentiment (positive, neutral or negative), your confidence from 0 to 1, and a "
        "one-line summary in the language of the feedback.",
        {"name": "评价分析", "greeting": "粘贴顾客评价，我来分析情绪和要点。",
         "suggestions": ["分析这条评价：快递很快，但是灯罩有划痕。"]},
        generation={"temperature": 0.1}, json_schema=FEEDBACK_SCHEMA,
        greeting="Paste customer feedback and I will analyse sentiment and topics.",
        suggestions=("Analyse: Fast delivery, but the lampshade was scratched.",),
    ),
    _builtin(
        "code-helper", "Code helper",
        "You are a careful programming assistant. Give short explanations and correct, "
        "runnable code in fenced code blocks with the language named.",
        {"name": "编程助手", "greeting": "想写什么代码，或者哪里出错了？",
         "suggestions": ["用 Python 读取 CSV 文件", "解释一下这个报错："]},
        generation={"temperature": 0.2},
        greeting="What would you like to code or debug?",
        suggestions=("Read a CSV file in Python", "Explain this error message:"),
    ),
)  # fmt: skip

_BUILTIN_IDS = frozenset(p.id for p in BUILTIN_PROFILES)


def profiles_file() -> Path:
    return paths.config_dir() / "profiles.json"


def logos_dir() -> Path:
    return paths.data_dir() / "logos"


def import_logo(source: Path) -> str:
    """Copy an image the user chose into the data folder; the copy's path, for ``logo``.

    The profile keeps working when the original is moved or its USB stick is gone.
    """
    if source.suffix.lower() not in LOGO_SUFFIXES:
        raise ProfileError(
            f"{source.name} is not an image the logo can use; choose a PNG, JPEG, GIF, BMP "
            "or WebP file."
        )
    try:
        size = source.stat().st_size
        if size > LOGO_MAX_BYTES:
            raise ProfileError(
                f"{source.name} is {size // 1_000_000} MB; a logo may be at most "
                f"{LOGO_MAX_BYTES // 1_000_000} MB. Choose a smaller image."
            )
        data = source.read_bytes()
        target = logos_dir() / f"{uuid.uuid4().hex[:12]}{source.suffix.lower()}"
        target.parent.mkdir(parents=True, exist_ok=True)
        fsutil.atomic_write_bytes(target, data)
    except OSError as exc:
        raise ProfileError(
            f"The logo {source.name} could not be copied ({fsutil.os_error_reason(exc)})."
        ) from None
    return str(target)


def _validate(profile: Profile) -> Profile:
    if not profile.name.strip():
        raise ProfileError("A profile needs a name.")
    for key, value in profile.generation.items():
        if key not in GENERATION_KEYS:
            raise ProfileError(f'"{key}" is not a generation setting a profile can change.')
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ProfileError(f'The generation setting "{key}" must be a number.')
    if profile.json_schema.strip():
        try:
            load_schema(profile.json_schema)
        except SchemaError as error:
            raise ProfileError(str(error)) from None
    return profile


def _from_json(data: Any) -> Profile:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise ValueError("profile entry without an id")
    suggestions = data.get("suggestions", [])
    kb = data.get("knowledge_base")
    if not isinstance(suggestions, list) or not all(isinstance(s, str) for s in suggestions):
        raise ValueError("suggestions must be a list of strings")
    if not isinstance(data.get("generation", {}), dict) or not (kb is None or isinstance(kb, str)):
        raise ValueError("bad generation or knowledge_base")
    profile = Profile(
        id=data["id"],
        name=str(data.get("name", "")),
        system_prompt=str(data.get("system_prompt", "")),
        generation=dict(data.get("generation", {})),
        knowledge_base=kb,
        greeting=str(data.get("greeting", "")),
        suggestions=tuple(suggestions),
        translations=dict(data.get("translations", {})),
        json_schema=str(data.get("json_schema") or ""),
        shop_name=str(data.get("shop_name") or ""),
        logo=str(data.get("logo") or ""),
    )
    try:
        return _validate(profile)
    except ProfileError as exc:
        raise ValueError(str(exc)) from exc


class ProfileStore:
    """Built-in and user profiles. ``notice`` holds a sentence for the user after a bad load."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or profiles_file()
        self.notice: str | None = None
        self._user: list[Profile] = []
        self.load()

    def load(self) -> str | None:
        """Read the user profiles; a malformed file is moved aside and a notice returned."""
        self._user, self.notice = [], None
        if not self.path.exists():
            return None
        try:
            data = fsutil.load_json_bounded(self.path.read_text("utf-8"), max_depth=32)
            if not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
                raise ValueError("no profiles list")
            users = [_from_json(item) for item in data["profiles"]]
            if len({p.id for p in users} | _BUILTIN_IDS) != len(users) + len(_BUILTIN_IDS):
                raise ValueError("duplicate profile ids")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            moved = fsutil.move_aside(self.path)
            self.notice = (
                f"Your saved assistant profiles could not be read ({exc}), so only the built-in "
                f"profiles are available. The old file was kept as {moved.name}."
            )
            return self.notice
        self._user = users
        return None

    def _save(self) -> None:
        payload = {"schema_version": SCHEMA_VERSION, "profiles": [p.to_json() for p in self._user]}
        fsutil.atomic_write_text(self.path, json.dumps(payload, ensure_ascii=False, indent=2))

    def all(self) -> list[Profile]:
        return [*BUILTIN_PROFILES, *self._user]

    def get(self, profile_id: str) -> Profile:
        for profile in self.all():
            if profile.id == profile_id:
                return profile
        raise ProfileError("That assistant profile no longer exists.")

    def create(self, name: str, **fields: Any) -> Profile:
        """A new user profile; fields are Profile's (system_prompt, generation, ...)."""
        fields.pop("builtin", None)
        if "suggestions" in fields:
            fields["suggestions"] = tuple(fields["suggestions"])
        profile = _validate(Profile(id=f"user-{uuid.uuid4().hex[:12]}", name=name, **fields))
        self._user.append(profile)
        self._save()
        return profile

    def update(self, profile_id: str, **changes: Any) -> Profile:
        """Change a user profile; built-in profiles are read-only (duplicate them instead)."""
        current = self.get(profile_id)
        if current.builtin:
            raise ProfileError("Built-in profiles cannot be changed; duplicate it to edit a copy.")
        for key in ("id", "builtin"):
            changes.pop(key, None)
        if "suggestions" in changes:
            changes["suggestions"] = tuple(changes["suggestions"])
        updated = _validate(replace(current, **changes))
        self._user = [updated if p.id == profile_id else p for p in self._user]
        self._save()
        return updated

    def duplicate(self, profile_id: str, name: str | None = None) -> Profile:
        source = self.get(profile_id)
        fields = source.to_json()
        # A copy is the user's own: its name is theirs, so built-in translations are dropped.
        for key in ("id", "name", "translations"):
            del fields[key]
        return self.create(name or f"{source.name} (copy)", **fields)

    def delete(self, profile_id: str) -> None:
        if self.get(profile_id).builtin:
            raise ProfileError("Built-in profiles cannot be deleted.")
        self._user = [p for p in self._user if p.id != profile_id]
        self._save()
