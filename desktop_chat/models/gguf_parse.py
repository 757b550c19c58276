"""A bounded walk over a GGUF header: every count, length and offset checked against the file.

Written by hand rather than with the ``gguf`` package's GGUFReader, which builds a numpy array
per vocabulary string (17 s on the 253 MB Gemma starter). The walk reads length prefixes and
skips what it does not keep, and it has budgets a hostile header cannot talk it past: the
header's size, the items it walks and the bytes it keeps, so memory and work stay bounded
whatever the file claims.
"""

from __future__ import annotations

import hashlib
import mmap
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType, GGUFValueType

GGUF_MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
FIXED_HEADER_BYTES = 24  # magic, version, tensor count, kv count
MAX_DIMS = 4  # GGML_MAX_DIMS in llama.cpp
MAX_KEY_BYTES = 65_536
MAX_KEPT_STRING_BYTES = 4 * 1024 * 1024  # longer strings are checked and skipped, not kept
MAX_ARRAY_DEPTH = 3
DEFAULT_ALIGNMENT = 32
# Smallest possible encodings, used to reject counts the file cannot possibly hold.
MIN_KV_BYTES = 8 + 4 + 1  # empty key, type, one-byte value
MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8  # empty name, n_dims, type, offset
MAX_COUNT = 1 << 24  # far above any real model (a few thousand tensors, a few hundred keys)
# llama.cpp reads the whole header into memory, so a larger one is refused before it gets there.
# Real headers are 2-20 MB (the largest vocabularies, 262,144 tokens plus merges).
MAX_HEADER_BYTES = 128 * 1024 * 1024
# Array elements walked one by one (strings, nested arrays), in all: 13x the largest real
# vocabulary plus its merges. Scalar arrays are skipped in one step and do not count.
MAX_WALKED_ITEMS = 1 << 22
MAX_KEPT_BYTES = 16 * 1024 * 1024  # strings copied out of the file, in all
MAX_KEPT_ITEM_BYTES = 65_536  # a kept array's strings are short (languages, tags)
MAX_TOKEN_BYTES = 4096
MAX_TENSOR_ELEMENTS = 1 << 50  # a petabyte of weights in one tensor: no file holds that

_SCALARS: dict[int, str] = {
    GGUFValueType.UINT8: "B",
    GGUFValueType.INT8: "b",
    GGUFValueType.UINT16: "H",
    GGUFValueType.INT16: "h",
    GGUFValueType.UINT32: "I",
    GGUFValueType.INT32: "i",
    GGUFValueType.FLOAT32: "f",
    GGUFValueType.BOOL: "?",
    GGUFValueType.UINT64: "Q",
    GGUFValueType.INT64: "q",
    GGUFValueType.FLOAT64: "d",
}
# Array element values are kept only for short arrays; the vocabulary is located, not copied.
MAX_KEPT_ARRAY_ITEMS = 64
MAX_NESTED_ITEMS = 65_536  # lists of lists, in all: no known model writes one at all
TOKENS_KEY = "tokenizer.ggml.tokens"


class InvalidModelFile(Exception):
    """A file that is not a usable GGUF model; str() is a sentence for the user."""


class _Truncated(Exception):
    """The header ran past the end of the file."""


class _TooLarge(Exception):
    """The header ran past MAX_HEADER_BYTES, or the walk past one of its budgets."""


@dataclass
class WalkStats:
    """What a walk cost, filled in even when it fails: for tests that bound the work."""

    bytes_read: int = 0  # bytes copied or unpacked from the file (skipped spans not counted)
    items_walked: int = 0
    bytes_kept: int = 0


@dataclass
class TensorEntry:
    name: str
    type_id: int
    shape: tuple[int, ...]
    n_elements: int
    n_bytes: int
    offset: int  # relative to the start of the tensor data section


@dataclass
class RawHeader:
    """What the walk found: kept metadata values, tensor table, and where the data begins."""

    version: int
    file_size: int
    metadata: dict[str, Any]
    tensors: list[TensorEntry]
    data_start: int
    alignment: int
    tokens_at: int = -1  # where the vocabulary's first string length sits, -1 if none
    tokens_count: int = 0
    duplicate_token: bytes | None = None  # llama.cpp aborts the process on a repeated token
    token_bytes: dict[int, bytes] = field(default_factory=dict)


class _Cursor:
    """Reads little- or big-endian values from a buffer, refusing to step past its end."""

    def __init__(self, buf: mmap.mmap | bytes, size: int, endian: str, stats: WalkStats) -> None:
        self.buf = buf
        self.size = size
        self.limit = min(size, MAX_HEADER_BYTES)
        self.endian = endian
        self.pos = 0
        self.stats = stats
        self.nested_items = 0

    def need(self, n: int) -> None:
        if n < 0:
            raise _Truncated
        self.reach(self.pos + n)

    def reach(self, end: int) -> None:
        """Refuse a walk that would end at ``end``: past the file, or past the header cap."""
        if end < 0 or end > self.size:
            raise _Truncated
        if end > self.limit:
            raise _TooLarge

    def walked(self, items: int) -> None:
        self.stats.items_walked += items
        if self.stats.items_walked > MAX_WALKED_ITEMS:
            raise _TooLarge("its header lists more entries than any real model has")

    def scalar(self, code: str) -> Any:
        fmt = self.endian + code
        width = struct.calcsize(fmt)
        self.need(width)
        value = struct.unpack_from(fmt, self.buf, self.pos)[0]
        self.pos += width
        self.stats.bytes_read += width
        return value

    def raw(self, n: int) -> bytes:
        self.need(n)
        self.stats.bytes_kept += n
        if self.stats.bytes_kept > MAX_KEPT_BYTES:
            raise _TooLarge("its header holds more text than any real model has")
        data = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        self.stats.bytes_read += n
        return data

    def skip(self, n: int) -> None:
        self.need(n)
        self.pos += n

    def string_length(self, limit: int | None = None) -> int:
        length = int(self.scalar("Q"))
        if limit is not None and length > limit:
            raise InvalidModelFile(damaged("a text field is impossibly long"))
        self.need(length)
        return length


def damaged(detail: str) -> str:
    return f"This GGUF file is damaged ({detail}). Download it again or choose another file."


def shown(value: object) -> str:
    """A value quoted in a sentence, cut short: a hostile key can be 64 KB long."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def read_raw_header(path: Path, stats: WalkStats | None = None) -> RawHeader:
    """Walk the whole header of ``path``; raise InvalidModelFile for anything out of bounds.

    ``stats``, when given, receives what the walk read, also when it fails.
    """
    stats = stats if stats is not None else WalkStats()
    try:
        size = path.stat().st_size
        if size < FIXED_HEADER_BYTES:
            with path.open("rb") as handle:
                head = handle.read(4)
            if head != GGUF_MAGIC[: len(head)] or not head:
                raise InvalidModelFile(_not_gguf(path))
            raise InvalidModelFile(_truncated_header(size))
        with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
            return _walk(m, size, path, stats)
    except InvalidModelFile:
        raise
    except IsADirectoryError as exc:
        raise InvalidModelFile(f"{path.name} is a folder, not a model file.") from exc
    except FileNotFoundError as exc:
        raise InvalidModelFile(f"The model file {path} does not exist.") from exc
    except PermissionError as exc:
        raise InvalidModelFile(f"The model file {path} cannot be read: permission denied.") from exc
    except OSError as exc:
        raise InvalidModelFile(f"The model file {path} cannot be read ({exc.strerror}).") from exc


def _not_gguf(path: Path) -> str:
    return (
        f"This file is not a GGUF model: {path.name} does not start with the GGUF signature. "
        "Choose a .gguf file."
    )


def _truncated_header(size: int) -> str:
    return (
        f"This GGUF file is truncated: expected more than {size:,} bytes, found {size:,}, "
        "which ends inside its header. Download it again."
    )


def _too_large() -> str:
    return f"its header is larger than the {MAX_HEADER_BYTES >> 20} MB any real model needs"


def _walk(m: mmap.mmap, size: int, path: Path, stats: WalkStats) -> RawHeader:
    if m[:4] != GGUF_MAGIC:
        raise InvalidModelFile(_not_gguf(path))
    endian = "<"
    (version,) = struct.unpack_from("<I", m, 4)
    if version & 0xFFFF == 0 and version != 0:
        endian = ">"  # written on a big-endian machine
        (version,) = struct.unpack_from(">I", m, 4)
    if version not in SUPPORTED_VERSIONS:
        raise InvalidModelFile(
            f"This GGUF file uses format version {version}, which this app cannot read "
            "(versions 2 and 3 are supported). Download a newer conversion of the model."
        )
    cur = _Cursor(m, size, endian, stats)
    cur.pos = 8
    tensor_count = int(cur.scalar("Q"))
    kv_count = int(cur.scalar("Q"))
    if kv_count > MAX_COUNT or tensor_count > MAX_COUNT:
        raise InvalidModelFile(
            damaged(f"its header claims {tensor_count:,} tensors and {kv_count:,} metadata entries")
        )
    room = size - FIXED_HEADER_BYTES
    if kv_count > room // MIN_KV_BYTES or tensor_count > room // MIN_TENSOR_INFO_BYTES:
        raise InvalidModelFile(_truncated_header(size))  # plausible counts, too few bytes
    try:
        header = _walk_body(cur, version, size, tensor_count, kv_count)
    except _Truncated:
        raise InvalidModelFile(_truncated_header(size)) from None
    except _TooLarge as exc:
        raise InvalidModelFile(damaged(str(exc) or _too_large())) from None
    _keep_special_tokens(cur, header)
    return header


def _keep_special_tokens(cur: _Cursor, header: RawHeader) -> None:
    """Copy the BOS/EOS strings while the file is mapped, walking the vocabulary up to each.

    The vocabulary was already walked once within bounds, so every step here stays inside it.
    """
    unpack = struct.Struct(cur.endian + "Q").unpack_from
    for key in ("tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id"):
        index = header.metadata.get(key)
        if not isinstance(index, int) or not 0 <= index < header.tokens_count:
            continue
        pos = header.tokens_at
        for _ in range(index):
            pos += 8 + unpack(cur.buf, pos)[0]
        (length,) = unpack(cur.buf, pos)
        cur.stats.bytes_read += 8 * (index + 1)
        if length <= MAX_TOKEN_BYTES:
            header.token_bytes[index] = bytes(cur.buf[pos + 8 : pos + 8 + length])


def _walk_body(
    cur: _Cursor, version: int, size: int, tensor_count: int, kv_count: int
) -> RawHeader:
    header = RawHeader(version, size, {}, [], 0, DEFAULT_ALIGNMENT)
    for _ in range(kv_count):
        key = _decode(cur.raw(cur.string_length(MAX_KEY_BYTES)))
        if key in header.metadata:
            raise InvalidModelFile(damaged(f"the metadata key {shown(key)} appears twice"))
        type_id = int(cur.scalar("I"))
        header.metadata[key] = _read_value(cur, type_id, 0, header if key == TOKENS_KEY else None)
    names: set[str] = set()
    for _ in range(tensor_count):
        header.tensors.append(_read_tensor_info(cur, names))
    alignment = header.metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
        raise InvalidModelFile(damaged(f"its alignment {shown(alignment)} is not a power of two"))
    header.alignment = alignment
    header.data_start = cur.pos + (-cur.pos % alignment)
    return header


def _read_value(cur: _Cursor, type_id: int, depth: int, tokens: RawHeader | None) -> Any:
    code = _SCALARS.get(type_id)
    if code is not None:
        return cur.scalar(code)
    if type_id == GGUFValueType.STRING:
        length = cur.string_length()
        if length > MAX_KEPT_STRING_BYTES or cur.stats.bytes_kept + length > MAX_KEPT_BYTES:
            cur.skip(length)
            return None
        return _decode(cur.raw(length))
    if type_id == GGUFValueType.ARRAY:
        if depth >= MAX_ARRAY_DEPTH:
            raise InvalidModelFile(damaged("its metadata nests arrays too deeply"))
        item_type = int(cur.scalar("I"))
        count = int(cur.scalar("Q"))
        return _read_array(cur, item_type, count, depth, tokens)
    raise InvalidModelFile(damaged(f"it uses an unknown metadata type {type_id}"))


def _read_array(
    cur: _Cursor, item_type: int, count: int, depth: int, tokens: RawHeader | None
) -> list[Any] | None:
    code = _SCALARS.get(item_type)
    if code is not None:
        width = struct.calcsize(code)
        cur.need(count * width)
        if count > MAX_KEPT_ARRAY_ITEMS:
            cur.skip(count * width)
            return None
        return [cur.scalar(code) for _ in range(count)]
    if item_type == GGUFValueType.STRING:
        cur.need(count * 8)  # every string has at least its length prefix
        return _read_string_array(cur, count, tokens)
    if item_type == GGUFValueType.ARRAY:
        cur.need(count * 12)  # every element has at least its item type and count
        cur.nested_items += count
        if cur.nested_items > MAX_NESTED_ITEMS:
            raise _TooLarge("its metadata holds impossibly long lists of lists")
        cur.walked(count)
        items = [_read_value(cur, item_type, depth + 1, None) for _ in range(count)]
        return items if count <= MAX_KEPT_ARRAY_ITEMS else None
    raise InvalidModelFile(damaged(f"it uses an unknown metadata array type {item_type}"))


def _read_string_array(cur: _Cursor, count: int, tokens: RawHeader | None) -> list[str] | None:
    # The vocabulary can hold 250,000 strings: walk the lengths without building objects.
    cur.walked(count)
    buf, fmt = cur.buf, cur.endian + "Q"
    unpack = struct.Struct(fmt).unpack_from
    pos = cur.pos
    spans: list[tuple[int, int]] | None = None
    if tokens is not None:
        tokens.tokens_at, tokens.tokens_count = pos, count
        pos = _walk_vocabulary(cur, count, tokens)
    else:
        spans = [] if count <= MAX_KEPT_ARRAY_ITEMS else None
        for _ in range(count):
            cur.reach(pos + 8)
            (length,) = unpack(buf, pos)
            pos += 8 + length
            cur.reach(pos)
            if spans is not None:
                spans.append((pos - length, pos))
        cur.stats.bytes_read += 8 * count
    cur.pos = pos
    if spans is None or any(end - start > MAX_KEPT_ITEM_BYTES for start, end in spans):
        return None
    kept_bytes = sum(end - start for start, end in spans)
    if cur.stats.bytes_kept + kept_bytes > MAX_KEPT_BYTES:
        return None
    cur.stats.bytes_kept += kept_bytes
    cur.stats.bytes_read += kept_bytes
    return [_decode(bytes(buf[start:end])) for start, end in spans]


def _walk_vocabulary(cur: _Cursor, count: int, header: RawHeader) -> int:
    """Walk the token strings, noting a repeated one; returns the position after the last."""
    buf, pos = cur.buf, cur.pos
    unpack = struct.Struct(cur.endian + "Q").unpack_from
    seen: set[bytes] = set()
    for _ in range(count):
        cur.reach(pos + 8)
        (length,) = unpack(buf, pos)
        start, pos = pos + 8, pos + 8 + length
        cur.reach(pos)
        token = bytes(buf[start:pos])
        if length > MAX_TOKEN_BYTES:  # compared by digest, so the set stays small
            token = b"\0" + hashlib.blake2b(token).digest()
        if token in seen and header.duplicate_token is None:
            header.duplicate_token = token
        seen.add(token)
    cur.stats.bytes_read += pos - cur.pos
    return pos


def _read_tensor_info(cur: _Cursor, names: set[str]) -> TensorEntry:
    name = _decode(cur.raw(cur.string_length(MAX_KEY_BYTES)))
    if name in names:
        raise InvalidModelFile(damaged(f"the tensor {shown(name)} appears twice"))
    names.add(name)
    n_dims = int(cur.scalar("I"))
    if n_dims > MAX_DIMS:
        raise InvalidModelFile(damaged(f"the tensor {shown(name)} has {n_dims} dimensions"))
    shape = tuple(int(cur.scalar("Q")) for _ in range(n_dims))
    type_id = int(cur.scalar("I"))
    offset = int(cur.scalar("Q"))
    try:
        block_size, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(type_id)]
    except (ValueError, KeyError):
        raise InvalidModelFile(
            f"This GGUF file uses a tensor type ({type_id}) this app does not know. "
            "Update the app or choose another quantization."
        ) from None
    n_elements = 1
    for dim in shape:
        n_elements *= dim
    if n_elements > MAX_TENSOR_ELEMENTS:
        raise InvalidModelFile(damaged(f"the tensor {shown(name)} claims an impossible size"))
    if shape and shape[0] % block_size:
        raise InvalidModelFile(
            damaged(f"the tensor {shown(name)} has a shape its type cannot hold")
        )
    n_bytes = n_elements * type_size // block_size
    return TensorEntry(name, type_id, shape, n_elements, n_bytes, offset)


def check_tensor_data(header: RawHeader) -> None:
    """Every tensor must lie inside the file, after the header, at an aligned offset."""
    expected = header.data_start
    for tensor in header.tensors:
        if tensor.offset % header.alignment:
            raise InvalidModelFile(damaged(f"the tensor {shown(tensor.name)} is misaligned"))
        expected = max(expected, header.data_start + tensor.offset + tensor.n_bytes)
    if expected > header.file_size:
        raise InvalidModelFile(
            f"This GGUF file is truncated: expected {expected:,} bytes, found "
            f"{header.file_size:,}. Download it again."
        )
