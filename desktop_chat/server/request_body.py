"""A request's JSON body read within the size limit: 413 when over it, 400 when not JSON."""

from __future__ import annotations

import contextlib
from typing import Any

from starlette.requests import Request

from desktop_chat.fsutil import load_json_bounded
from desktop_chat.server.errors import ApiError

JSON_DEPTH = 64
# A body over the limit is still read (and dropped) up to this many times the limit, so the
# client gets its 413 instead of a connection reset while it is still sending.
DRAIN_FACTOR = 16


async def read_json(request: Request, limit: int) -> dict[str, Any]:
    too_big = ApiError(
        413,
        f"The request body is larger than this server accepts ({limit:,} bytes).",
        code="request_too_large",
    )
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        await _drain(request, int(length), limit)
        raise too_big
    body = bytearray()
    async for piece in request.stream():
        body += piece
        if len(body) > limit:
            await _drain(request, len(body), limit)
            raise too_big
    try:
        data = load_json_bounded(bytes(body), max_depth=JSON_DEPTH, max_bytes=None)
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(
            400, f"The request body is not valid JSON ({error}).", code="invalid_json"
        ) from error
    if not isinstance(data, dict):
        raise ApiError(400, "The request body must be a JSON object.", code="invalid_json")
    return data


async def _drain(request: Request, seen: int, limit: int) -> None:
    if seen > limit * DRAIN_FACTOR:
        return
    with contextlib.suppress(Exception):
        async for piece in request.stream():
            seen += len(piece)
            if seen > limit * DRAIN_FACTOR:
                return
