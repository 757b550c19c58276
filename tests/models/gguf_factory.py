"""Small synthetic GGUF files written with gguf.GGUFWriter, for fast structural tests."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
from gguf import GGUFWriter


def write_tiny_gguf(
    path: Path, *, name: str = "Tiny Test", split: tuple[int, int] | None = None
) -> Path:
    """A valid little llama-architecture GGUF (a few KB) with a chat template and vocabulary."""
    writer = GGUFWriter(str(path), "llama")
    writer.add_name(name)
    writer.add_context_length(2048)
    writer.add_embedding_length(64)
    writer.add_block_count(2)
    writer.add_head_count(4)
    writer.add_head_count_kv(2)
    writer.add_file_type(0)
    writer.add_chat_template("{% for m in messages %}{{ m.content }}{% endfor %}")
    writer.add_token_list(["<unk>", "<s>", "</s>", "hello", "world"])
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    if split is not None:
        writer.add_uint16("split.no", split[0])
        writer.add_uint16("split.count", split[1])
    writer.add_tensor("token_embd.weight", np.ones((5, 64), dtype=np.float32))
    writer.add_tensor("blk.0.attn_q.weight", np.ones((64, 64), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


# -- raw GGUF bytes, for headers no well-behaved writer would produce -----------------------

_TYPE_IDS = {
    "u8": (0, "B"),
    "i8": (1, "b"),
    "u16": (2, "H"),
    "i16": (3, "h"),
    "u32": (4, "I"),
    "i32": (5, "i"),
    "f32": (6, "f"),
    "bool": (7, "?"),
    "u64": (10, "Q"),
    "i64": (11, "q"),
    "f64": (12, "d"),
}
STRING, ARRAY = 8, 9


def gguf_string(text: str | bytes) -> bytes:
    data = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(data)) + data


def kv_scalar(key: str, kind: str, value: object) -> bytes:
    type_id, code = _TYPE_IDS[kind]
    return gguf_string(key) + struct.pack("<I", type_id) + struct.pack("<" + code, value)


def kv_str(key: str, value: str | bytes) -> bytes:
    return gguf_string(key) + struct.pack("<I", STRING) + gguf_string(value)


def kv_raw(key: str, type_id: int, body: bytes) -> bytes:
    """A metadata entry whose value bytes are given as they are (lengths included)."""
    return gguf_string(key) + struct.pack("<I", type_id) + body


def kv_str_array(key: str, items: list[str]) -> bytes:
    body = struct.pack("<IQ", STRING, len(items)) + b"".join(gguf_string(s) for s in items)
    return kv_raw(key, ARRAY, body)


def tensor_info(name: str, shape: tuple[int, ...], type_id: int = 0, offset: int = 0) -> bytes:
    dims = b"".join(struct.pack("<Q", d) for d in shape)
    return (
        gguf_string(name)
        + struct.pack("<I", len(shape))
        + dims
        + struct.pack("<IQ", type_id, offset)
    )


def raw_gguf(
    kvs: list[bytes],
    tensors: list[bytes],
    *,
    data: bytes = b"",
    version: int = 3,
    n_kv: int | None = None,
    n_tensors: int | None = None,
    alignment: int = 32,
    magic: bytes = b"GGUF",
) -> bytes:
    """A GGUF file's bytes with every count and length under the caller's control."""
    head = magic + struct.pack("<IQQ", version, n_tensors if n_tensors is not None else len(tensors),
                               n_kv if n_kv is not None else len(kvs))  # fmt: skip
    body = head + b"".join(kvs) + b"".join(tensors)
    return body + bytes(-len(body) % alignment) + data


def minimal_kvs(*extra: bytes) -> list[bytes]:
    """The metadata a llama GGUF needs to pass the app's checks, followed by ``extra``."""
    return [
        kv_str("general.architecture", "llama"),
        kv_str("general.name", "Raw Test"),
        kv_scalar("llama.context_length", "u32", 2048),
        kv_scalar("llama.block_count", "u32", 1),
        kv_str_array("tokenizer.ggml.tokens", ["<unk>", "<s>", "</s>"]),
        kv_scalar("tokenizer.ggml.bos_token_id", "u32", 1),
        kv_scalar("tokenizer.ggml.eos_token_id", "u32", 2),
        *extra,
    ]


def minimal_tensor() -> tuple[list[bytes], bytes]:
    """One f32 tensor of 8 elements and its 32 data bytes."""
    return [tensor_info("token_embd.weight", (8,))], bytes(32)


def _value_end(data: bytes, pos: int, type_id: int) -> int:
    if type_id == STRING:
        return pos + 8 + struct.unpack_from("<Q", data, pos)[0]
    if type_id == ARRAY:
        item, count = struct.unpack_from("<IQ", data, pos)
        pos += 12
        for _ in range(count):
            pos = _value_end(data, pos, item)
        return pos
    code = next(c for t, c in _TYPE_IDS.values() if t == type_id)
    return pos + struct.calcsize("<" + code)


def layout(data: bytes) -> tuple[dict[str, tuple[int, int]], int]:
    """Where each metadata entry of a valid little-endian GGUF lies, and where its tensor
    table ends: ``({key: (start, end)}, tensor_table_end)``."""
    n_tensors, n_kv = struct.unpack_from("<QQ", data, 8)
    pos, spans = 24, {}
    for _ in range(n_kv):
        start = pos
        key_len = struct.unpack_from("<Q", data, pos)[0]
        key = data[pos + 8 : pos + 8 + key_len].decode()
        pos += 8 + key_len
        (type_id,) = struct.unpack_from("<I", data, pos)
        pos = _value_end(data, pos + 4, type_id)
        spans[key] = (start, pos)
    for _ in range(n_tensors):
        pos += 8 + struct.unpack_from("<Q", data, pos)[0]
        (n_dims,) = struct.unpack_from("<I", data, pos)
        pos += 4 + 8 * n_dims + 4 + 8
    return spans, pos


def with_kv(header: bytes, key: str, entry: bytes | None, alignment: int = 32) -> bytes:
    """A valid GGUF header with the entry ``key`` replaced by ``entry`` (or added when the file
    lacks it, or removed when ``entry`` is None), re-padded so the tensor data still follows."""
    spans, table_end = layout(header)
    n_tensors, n_kv = struct.unpack_from("<QQ", header, 8)
    if key in spans:
        start, end = spans[key]
        n_kv += (entry is not None) - 1
    else:
        start = end = max(e for _, e in spans.values())
        n_kv += entry is not None
    body = header[:8] + struct.pack("<QQ", n_tensors, n_kv) + header[24:start]
    body += (entry or b"") + header[end:table_end]
    return body + bytes(-len(body) % alignment)
