"""desktop-chat: a private, offline chat assistant for the desktop."""

__version__ = "0.1.0"
