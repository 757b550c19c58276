"""A tiny OpenAI-compatible server whose faults are chosen by the model name in the request.

``python -m tests.fakes.fake_openai PORT``. Models: ``ok`` answers "Hello there" in pieces;
``status-NNN`` answers that HTTP status with an OpenAI error object (429 with Retry-After);
``stall`` sends the headers and then nothing; ``cut`` streams two pieces and drops the
connection; ``slow`` sends a piece every 50 ms for a long time; ``echo`` sends back the messages it got;
``tools`` calls the first tool offered and then answers with its result. ``/v1/models`` lists them,
``ok`` with vLLM's ``max_model_len``. A key ``secret`` is required when the model is ``auth``.
"""

from __future__ import annotations

import asyncio
import json
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route


def _chunk(text: str, finish: str | None = None) -> str:
    choice = {"index": 0, "delta": {"content": text} if text else {}, "finish_reason": finish}
    return "data: " + json.dumps({"object": "chat.completion.chunk", "choices": [choice]}) + "\n\n"


async def models(_request: Request) -> JSONResponse:
    names = ["ok", "stall", "cut", "slow", "auth", "status-404", "status-429", "status-500"]
    data = [{"id": n, "object": "model"} for n in names]
    data[0]["max_model_len"] = 3072
    return JSONResponse({"object": "list", "data": data})


async def chat(request: Request) -> object:
    body = await request.json()
    model = str(body.get("model", ""))
    if model.startswith("status-"):
        status = int(model.removeprefix("status-"))
        headers = {"Retry-After": "7"} if status == 429 else {}
        error = {"message": f"fake error {status}", "type": "fake", "code": status}
        return JSONResponse({"error": error}, status_code=status, headers=headers)
    if model == "auth" and request.headers.get("authorization") != "Bearer secret":
        return JSONResponse({"error": {"message": "Invalid API key"}}, status_code=401)

    async def stream():
        if model == "tools":
            for piece in _tool_turn(body):
                yield piece
            return
        if model == "echo":  # what the model was sent: the system message, then the rest
            for message in body.get("messages", []):
                yield _chunk(f"[{message.get('role')}] {message.get('content')}\n")
            yield _chunk("", "stop")
            yield "data: [DONE]\n\n"
            return
        if model == "stall":
            yield ": waiting\n\n"
            await asyncio.sleep(3600)
        if model == "cut":
            yield _chunk("Partial ")
            yield _chunk("answer")
            await asyncio.sleep(0.05)
            raise RuntimeError("the fake drops the connection")
        if model == "slow":
            for i in range(100_000):
                yield _chunk(f"w{i} ")
                await asyncio.sleep(0.05)
        for piece in ("Hello", " there"):
            yield _chunk(piece)
        yield _chunk("", "stop")
        usage = {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}
        yield "data: " + json.dumps({"choices": [], "usage": usage}) + "\n\n"
        yield "data: [DONE]\n\n"

    return StreamingResponse(stream(), media_type="text/event-stream")


def _delta(delta: dict, finish: str | None = None) -> str:
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    return "data: " + json.dumps({"object": "chat.completion.chunk", "choices": [choice]}) + "\n\n"


def _tool_turn(body: dict) -> list[str]:
    """Model ``tools``: asked with tools, it calls the first one, its arguments streamed in
    fragments; sent that call's result (role "tool"), it answers with it."""
    messages = body.get("messages", [])
    tools = body.get("tools") or []
    last = messages[-1] if messages else {}
    if last.get("role") == "tool":
        call = messages[-2] if len(messages) > 1 else {}
        ids = [c.get("id") for c in call.get("tool_calls") or []]
        text = (
            f"The result is {last.get('content')}."
            if call.get("role") == "assistant" and last.get("tool_call_id") in ids
            else "The result answers no call of mine."
        )
        return [_chunk(text), _chunk("", "stop"), "data: [DONE]\n\n"]
    if not tools:
        return [_chunk("No tools were offered."), _chunk("", "stop"), "data: [DONE]\n\n"]
    name = tools[0]["function"]["name"]
    head = {"index": 0, "id": "call_fake1", "type": "function"}
    pieces = [_delta({"role": "assistant", "content": None})]
    pieces.append(_delta({"tool_calls": [{**head, "function": {"name": name, "arguments": ""}}]}))
    for fragment in ('{"expr', 'ession": "6', '*7"}'):
        pieces.append(_delta({"tool_calls": [{"index": 0, "function": {"arguments": fragment}}]}))
    pieces += [_delta({}, "tool_calls"), "data: [DONE]\n\n"]
    return pieces


app = Starlette(
    routes=[
        Route("/v1/models", models),
        Route("/v1/chat/completions", chat, methods=["POST"]),
    ]
)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
