"""Settings of the window: how it looks (``appearance``) and what the app records and does
(``app``)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_chat.settings.declare import setting

THEMES = ("system", "light", "dark")
LANGUAGES = ("system", "en", "zh_CN")
CONTEXT_POLICIES = ("drop_oldest", "ask")


@dataclass(frozen=True)
class AppearanceSettings:
    theme: str = setting(
        "system",
        label="Theme",
        help="Follow the system's light or dark mode, or pick one.",
        choices=THEMES,
    )
    font_size: int = setting(
        11, label="Font size", help="Text size in the chat.", min=8, max=32, unit="pt"
    )
    chat_width: int = setting(
        860,
        label="Chat width",
        help="Widest the conversation column grows on large windows.",
        min=480,
        max=2000,
        unit="px",
    )
    kiosk_idle_minutes: int = setting(
        3,
        label="Kiosk idle reset",
        help="In kiosk view, start a fresh conversation after this many idle minutes (0: never).",
        min=0,
        max=240,
        unit="min",
    )
    kiosk_pin: str = setting(
        "",
        label="Kiosk PIN",
        help="Asked before kiosk view can be left (F11). Empty: not asked.",
    )


@dataclass(frozen=True)
class AppSettings:
    language: str = setting(
        "system",
        label="Language",
        help="Language of the interface. Takes effect after a restart.",
        choices=LANGUAGES,
    )
    current_model: str = setting(
        "",
        label="Current model",
        help="Path of the model loaded at start. Empty = none.",
    )
    context_policy: str = setting(
        "drop_oldest",
        label="When the conversation is too long",
        help="Drop the oldest turns automatically, or ask first.",
        choices=CONTEXT_POLICIES,
    )
    last_profile: str = setting(
        "",
        label="Last profile",
        help="The settings profile chosen last.",
    )
