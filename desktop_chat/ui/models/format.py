"""How the Models pane writes sizes, speeds, times and fit labels for people."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_chat.models.fit import Fit

GB = 1024**3


def _tr(text: str) -> str:
    return QCoreApplication.translate("ModelFormat", text)


def human_size(size: int | float) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit in ("B", "KB") else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def gigabytes(size: int) -> str:
    return f"{size / GB:.1f}"


def speed_text(bytes_per_s: float) -> str:
    return _tr("{size}/s").format(size=human_size(bytes_per_s))


def time_left(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return _tr("{n} s left").format(n=seconds)
    minutes = (seconds + 30) // 60
    if minutes < 60:
        return _tr("{n} min left").format(n=minutes)
    return _tr("{h} h {m} min left").format(h=minutes // 60, m=minutes % 60)


def fit_text(label: Fit | None) -> str:
    if label is None:
        return ""
    return {
        Fit.FITS: _tr("Fits"),
        Fit.TIGHT: _tr("Tight"),
        Fit.TOO_BIG: _tr("Too big"),
    }[label]


def fit_tooltip(label: Fit | None) -> str:
    if label is None:
        return ""
    return {
        Fit.FITS: _tr("Fits in the memory free now, with room to spare."),
        Fit.TIGHT: _tr("Fits in the memory free now, barely: other apps may slow down."),
        Fit.TOO_BIG: _tr("Needs more memory than is free now."),
    }[label]
