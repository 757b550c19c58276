"""`desktop-chat chat --mcp …`: the starter model calls a real MCP server's tool and answers
with its result; a call nobody approved is denied; a hanging tool times out and the turn goes on."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from desktop_chat.store import open_store
from desktop_chat.tools import config
from tests.commands.streaming import run_chat

SERVER = Path(__file__).resolve().parents[1] / "fixtures" / "mcp_server.py"
MCP = f"{sys.executable} {SERVER}"


def _only_tool(home: Path, tool: str, timeout_s: float = 30.0) -> None:
    """tools.json with the test server and only ``tool`` enabled."""
    others = [t for t in ("echo", "add", "fail", "hang", "huge") if t != tool]
    server = config.ServerConfig(
        name="test",
        command=sys.executable,
        args=[str(SERVER)],
        timeout_s=timeout_s,
        disabled_tools=others,
    )
    config.save(config.ToolsConfig(servers=[server]), home / "config" / "tools.json")


def test_required_call_runs_and_the_answer_uses_the_result(app_home: Path, smollm_path: Path):
    _only_tool(app_home, "add")
    result = run_chat(
        app_home,
        "--model", str(smollm_path), "--seed", "3", "--max-tokens", "60",
        "--tool-choice", "required", "--yes", "--json",
        "What is 17 plus 25? Use the add tool.",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    [call] = line["tool_calls"]
    assert call["name"] == "add"
    assert isinstance(call["arguments"]["a"], int) and isinstance(call["arguments"]["b"], int)
    assert call["result"] == str(call["arguments"]["a"] + call["arguments"]["b"])
    assert call["result"] in line["answer"]
    assert "<tool_call>" not in line["answer"]
    store, _ = open_store(app_home / "data" / "conversations.sqlite3")
    try:
        [conversation] = store.list_conversations()
        answer = store.active_thread(conversation.id)[-1]
        assert answer.tool_calls[0]["name"] == "add"
        assert answer.tool_calls[0]["result"] == call["result"]
        assert answer.complete
    finally:
        store.close()


def test_mcp_flag_with_a_url_free_command(app_home: Path, smollm_path: Path):
    result = run_chat(
        app_home,
        "--model", str(smollm_path), "--seed", "1", "--max-tokens", "40",
        "--mcp", MCP, "--tool-choice", "required", "--yes", "--json", "--no-save",
        "Echo the word pineapple.",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert line["tool_calls"] and line["tool_calls"][0]["name"] in {
        "echo", "add", "fail", "hang", "huge",
    }  # fmt: skip


def test_a_call_no_one_approved_is_denied_and_the_turn_goes_on(app_home: Path, smollm_path: Path):
    _only_tool(app_home, "echo")
    result = run_chat(
        app_home,
        "--model", str(smollm_path), "--seed", "1", "--max-tokens", "40",
        "--tool-choice", "required", "--json", "--no-save",
        "Echo the word pineapple.",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    [call] = line["tool_calls"]
    assert call["status"] == "denied" and call["result"] == ""
    assert any("pass --yes" in note for note in line["notes"])
    assert line["stats"]["rounds"] == 2  # the model was told and answered


def test_a_hanging_tool_times_out_with_a_sentence(app_home: Path, smollm_path: Path):
    _only_tool(app_home, "hang", timeout_s=2)
    result = run_chat(
        app_home,
        "--model", str(smollm_path), "--seed", "1", "--max-tokens", "40",
        "--tool-choice", "required", "--yes", "--json", "--no-save",
        "Wait for a while.",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    [call] = line["tool_calls"]
    assert call["status"] == "timeout"
    assert "did not answer within 2 s" in call["error"]
    assert line["stats"]["rounds"] == 2


def test_a_server_that_will_not_start_is_a_sentence(app_home: Path, smollm_path: Path):
    result = run_chat(
        app_home,
        "--model", str(smollm_path), "--mcp", "/no/such/server --flag",
        "--tool-choice", "required", "--yes", "--no-save", "Hi",
    )  # fmt: skip
    assert result.returncode == 2
    assert "could not be started" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_model_whose_template_renders_tools_completes_a_tool_turn(
    app_home: Path, smollm_path: Path, tmp_path: Path
):
    """The starter model under a Qwen2.5-style tool template (its tokens are ChatML too): the
    offer, the call and the result go through the template, and the answer uses the result."""
    from tests.engine.gguf_template import with_chat_template

    source = Path(__file__).resolve().parents[1] / "engine" / "fixtures" / "qwen25_tools.jinja"
    model = with_chat_template(
        smollm_path, tmp_path / "qwen-tools.gguf", source.read_text(encoding="utf-8")
    )
    _only_tool(app_home, "add")
    result = run_chat(
        app_home,
        "--model", str(model), "--seed", "3", "--max-tokens", "60",
        "--tool-choice", "required", "--yes", "--json", "--no-save",
        "What is 17 plus 25? Use the add tool.",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    [call] = line["tool_calls"]
    assert call["name"] == "add" and call["status"] == "done"
    assert call["result"] == str(call["arguments"]["a"] + call["arguments"]["b"])
    assert line["stats"]["rounds"] == 2
    # Only completion is asked of this tiny model: with the bare result, as Qwen's template
    # writes it, it may still do the sum itself (the fallback's nudge is for such models).
    assert "<tool_call>" not in line["answer"] and line["answer"]
