"""The first-run welcome: private by design, and four ways to start (chat, a model, import, demo)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_chat.models import fit
from desktop_chat.models.catalog import CatalogEntry
from desktop_chat.ui.shell.widgets import plain_label

# Room for the answer's memory (the KV cache at a few thousand tokens) beside the weights.
KV_ALLOWANCE_BYTES = 512 * 1024 * 1024


def recommended_model(
    entries: Iterable[CatalogEntry], budget: fit.MemoryBudget, prefer_chinese: bool = False
) -> CatalogEntry | None:
    """The largest catalog chat model that fits this machine's free memory comfortably."""
    fitting = [
        entry
        for entry in entries
        if entry.kind == "chat"
        and fit.fit_label(fit.estimate(entry.size_bytes, KV_ALLOWANCE_BYTES), budget)
        is fit.Fit.FITS
    ]
    if prefer_chinese and any(e.good_at_chinese for e in fitting):
        fitting = [e for e in fitting if e.good_at_chinese]
    return max(fitting, key=lambda e: e.size_bytes, default=None)


class WelcomeDialog(QDialog):
    """Each choice closes the dialog and emits its signal; the app does the rest."""

    chat_requested = Signal()
    model_requested = Signal(str)  # a catalog repo id
    import_requested = Signal()
    demo_requested = Signal()

    def __init__(
        self,
        starter_name: str | None,
        recommended: CatalogEntry | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle(self.tr("Welcome to Desktop Chat"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        title = plain_label(self.tr("Welcome to Desktop Chat"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        private = plain_label(
            self.tr(
                "Everything stays on this computer: your conversations, your models and your "
                "documents. It works without the internet; only downloading a model goes online."
            )
        )
        private.setObjectName("privacyStatement")
        private.setWordWrap(True)
        font = private.font()
        font.setBold(True)
        private.setFont(font)
        layout.addWidget(private)

        self.choices = QGridLayout()
        self.choices.setHorizontalSpacing(12)
        self.choices.setVerticalSpacing(10)
        self.choices.setColumnStretch(1, 1)
        self.chat_button = self._choice(
            self.tr("Start chatting"),
            self.tr("Chat now with the model that comes with the app ({name}).").format(
                name=starter_name
            )
            if starter_name
            else self.tr("Chat now with the model you pick in Models."),
            primary=True,
        )
        self.model_button = None
        if recommended is not None:
            self.model_button = self._choice(
                self.tr("Get a better model"),
                self.tr(
                    "Recommended for this computer: {name}, a {size:.1f} GB download that "
                    "fits in its free memory."
                ).format(name=recommended.name, size=recommended.size_bytes / 1e9),
            )
            self.model_button.clicked.connect(
                lambda: self._close_and(lambda: self.model_requested.emit(recommended.repo_id))
            )
        self.import_button = self._choice(
            self.tr("Import a GGUF model"),
            self.tr("Use a .gguf model file you already have."),
        )
        self.demo_button = self._choice(
            self.tr("Try the customer-service demo"),
            self.tr("A shop assistant that answers from a sample knowledge base."),
        )
        self.chat_button.clicked.connect(lambda: self._close_and(self.chat_requested.emit))
        self.import_button.clicked.connect(lambda: self._close_and(self.import_requested.emit))
        self.demo_button.clicked.connect(lambda: self._close_and(self.demo_requested.emit))
        layout.addLayout(self.choices)
        later = plain_label(self.tr("You can show this again from Settings › Privacy and data."))
        later.setObjectName("hint")
        later.setWordWrap(True)
        layout.addWidget(later)

    def _choice(self, label: str, explain: str, primary: bool = False) -> QPushButton:
        """A row of the choices grid: its buttons share one column, as wide as the longest."""
        row = self.choices.rowCount()
        button = QPushButton(label)
        if primary:
            button.setProperty("primary", True)
            button.setDefault(True)
        self.choices.addWidget(button, row, 0)
        text = plain_label(explain)
        text.setObjectName("hint")
        text.setWordWrap(True)
        self.choices.addWidget(text, row, 1)
        return button

    def _close_and(self, then) -> None:  # type: ignore[no-untyped-def]
        self.accept()
        then()
