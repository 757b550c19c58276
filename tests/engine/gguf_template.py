"""Copy a real GGUF model with its tokenizer.chat_template replaced (tests of hostile templates)."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

TEMPLATE_KEY = "tokenizer.chat_template"
_SCALAR_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
_STRING, _ARRAY = 8, 9


def _string(text: str) -> bytes:
    data = text.encode("utf-8")
    return struct.pack("<Q", len(data)) + data


def _skip_value(buf: bytes, pos: int, type_id: int) -> int:
    if type_id in _SCALAR_SIZES:
        return pos + _SCALAR_SIZES[type_id]
    if type_id == _STRING:
        (length,) = struct.unpack_from("<Q", buf, pos)
        return pos + 8 + length
    if type_id == _ARRAY:
        item_type, count = struct.unpack_from("<IQ", buf, pos)
        pos += 12
        if item_type in _SCALAR_SIZES:
            return pos + count * _SCALAR_SIZES[item_type]
        for _ in range(count):
            pos = _skip_value(buf, pos, item_type)
        return pos
    raise ValueError(f"unknown GGUF value type {type_id}")


def with_chat_template(source: Path, target: Path, template: str) -> Path:
    """Write ``target``: ``source`` (a little-endian GGUF v3) with ``template`` as its chat
    template. Tensor offsets are relative to the aligned data section, so they stay valid."""
    with source.open("rb") as handle:
        head = handle.read(64 * 1024 * 1024)  # the header of a small model fits well inside
    assert head[:4] == b"GGUF"
    _version, tensor_count, kv_count = struct.unpack_from("<IQQ", head, 4)
    pos = 24
    kept: list[bytes] = []
    alignment = 32
    for _ in range(kv_count):
        start = pos
        (key_length,) = struct.unpack_from("<Q", head, pos)
        key = head[pos + 8 : pos + 8 + key_length].decode("utf-8")
        pos += 8 + key_length
        (type_id,) = struct.unpack_from("<I", head, pos)
        value_at = pos + 4
        pos = _skip_value(head, value_at, type_id)
        if key == "general.alignment":
            (alignment,) = struct.unpack_from("<I", head, value_at)
        if key != TEMPLATE_KEY:
            kept.append(head[start:pos])
    kept.append(_string(TEMPLATE_KEY) + struct.pack("<I", _STRING) + _string(template))
    tensors_at = pos
    for _ in range(tensor_count):
        (name_length,) = struct.unpack_from("<Q", head, pos)
        pos += 8 + name_length
        (n_dims,) = struct.unpack_from("<I", head, pos)
        pos += 4 + 8 * n_dims + 4 + 8
    tensor_infos = head[tensors_at:pos]
    data_start = pos + (-pos % alignment)
    header = head[:4] + struct.pack("<IQQ", 3, tensor_count, len(kept)) + b"".join(kept)
    header += tensor_infos
    header += b"\0" * (-len(header) % alignment)
    with source.open("rb") as src, target.open("wb") as dst:
        dst.write(header)
        src.seek(data_start)
        shutil.copyfileobj(src, dst, 16 * 1024 * 1024)
    return target
