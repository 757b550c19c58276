"""A turn's tool calls: approval, trust, the call limit, results back to the model."""

from __future__ import annotations

from desktop_chat.chat.tool_loop import ALLOW_ONCE, ALWAYS, DENY, ToolLoop
from desktop_chat.tools.config import ToolsConfig
from desktop_chat.tools.toolbox import Toolbox

CALC = '<tool_call>{"name": "calculator", "arguments": {"expression": "6*7"}}</tool_call>'


def loop_with(answers: list[str], **kwargs) -> tuple[ToolLoop, list[str]]:
    asked: list[str] = []

    def approve(call, _spec):
        asked.append(call.name)
        return answers.pop(0)

    toolbox = Toolbox(ToolsConfig(builtins=["calculator", "current_datetime"]))
    return ToolLoop(toolbox, approve, **kwargs), asked


def stream(loop: ToolLoop, text: str):
    shown = "".join(loop.feed(ch) for ch in text)
    round_ = loop.end_round(text)
    return shown + round_.tail, round_


def test_an_allowed_call_runs_and_its_result_goes_to_the_model():
    loop, asked = loop_with([ALLOW_ONCE])
    assert "calculator" in loop.tools()
    shown, round_ = stream(loop, f"Let me compute. {CALC}")
    assert shown == "Let me compute. "
    [outcome] = loop.run(round_)
    assert (outcome.status, outcome.result) == ("done", "42")
    assert asked == ["calculator"]
    call, result = loop.extra
    assert call.role == "assistant" and call.content == "Let me compute."
    assert [(c.name, c.arguments) for c in call.tool_calls] == [
        ("calculator", '{"expression": "6*7"}')
    ]
    assert (result.role, result.content, result.name) == ("tool", "42", "calculator")
    assert result.tool_call_id == call.tool_calls[0].id
    assert loop.records()[0]["result"] == "42"
    shown, round_ = stream(loop, "It is 42.")
    assert shown == "It is 42." and round_.calls == []


def test_deny_tells_the_model_and_always_stops_asking():
    loop, asked = loop_with([DENY, ALWAYS])
    [denied] = loop.run(stream(loop, CALC)[1])
    assert denied.status == "denied" and "did not allow" in denied.for_model()
    loop.run(stream(loop, CALC)[1])
    loop.run(stream(loop, CALC)[1])  # trusted now: not asked again
    assert asked == ["calculator", "calculator"]
    assert loop.toolbox.config.trusted_builtins == ["calculator"]


def test_the_call_limit_per_turn():
    loop, _ = loop_with([ALLOW_ONCE] * 10, max_calls=2)
    round_ = stream(loop, CALC * 3)[1]
    assert len(round_.calls) == 2 and any("more than 2" in n for n in round_.notes)
    loop.run(round_)
    assert not loop.more_rounds()


def test_an_unknown_tool_is_an_error_for_the_model():
    loop, _ = loop_with([ALLOW_ONCE])
    [outcome] = loop.run(stream(loop, '<tool_call>{"name": "rm", "arguments": {}}</tool_call>')[1])
    assert outcome.status == "error" and "no tool named 'rm'" in outcome.error


def test_required_forces_the_first_round_only():
    loop, _ = loop_with([ALLOW_ONCE], tool_choice="required")
    assert loop.schema() is not None and loop.feed("{") == ""
    round_ = loop.end_round('{"name": "calculator", "arguments": {"expression": "1+1"}}')
    assert round_.calls[0].arguments == {"expression": "1+1"}
    loop.run(round_)
    assert loop.schema() is None


def test_none_offers_nothing():
    loop, _ = loop_with([], tool_choice="none")
    assert loop.tools() == "" and loop.schema() is None
    assert stream(loop, CALC)[1].calls == []


def test_stop_cancels_the_calls_not_run_yet():
    loop, _ = loop_with([ALLOW_ONCE])
    loop.cancel.set()
    [outcome] = loop.run(stream(loop, CALC)[1])
    assert outcome.status == "cancelled"
