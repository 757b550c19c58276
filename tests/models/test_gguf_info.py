"""GGUF metadata: real starter models, and a corpus of truncated and hostile copies of them."""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest

from desktop_chat.models import starter
from desktop_chat.models.gguf_info import (
    GGUFInfo,
    InvalidModelFile,
    clear_cache,
    read_gguf_info,
)
from desktop_chat.models.gguf_parse import read_raw_header
from tests.models.gguf_factory import write_tiny_gguf


@pytest.fixture(scope="module")
def starter_gguf(request: pytest.FixtureRequest) -> Path:
    """SmolLM2 when its package is installed, else the assembled Gemma 3 270M file."""
    smol = starter.smollm2_path()
    if smol is not None:
        return smol
    return Path(request.getfixturevalue("gemma_path"))


@pytest.fixture(scope="module")
def header_bytes(starter_gguf: Path) -> bytes:
    header = read_raw_header(starter_gguf)
    with starter_gguf.open("rb") as handle:
        return handle.read(header.data_start)


def sparse_copy(header: bytes, target: Path, length: int, data: bytes | None = None) -> Path:
    """The starter model's header followed by a hole: tensor data content is never read."""
    with target.open("wb") as out:
        out.write((data if data is not None else header)[:length])
        out.truncate(length)
    return target


def test_reads_the_starter_model(starter_gguf: Path) -> None:
    info = read_gguf_info(starter_gguf)
    assert isinstance(info, GGUFInfo)
    smol = starter_gguf.name.startswith("SmolLM2")
    assert (info.architecture, info.quantization) == (
        ("llama", "Q4_1") if smol else ("gemma3", "Q4_K_M")
    )
    assert info.file_size == starter_gguf.stat().st_size
    assert info.parameters > 100_000_000
    assert info.context_length and info.block_count and info.embedding_length
    assert info.head_count and info.head_count_kv
    assert info.bos_token and info.eos_token
    if info.architecture == "gemma3":
        assert info.chat_template is None  # the base model: a fallback format is needed
        assert info.size_label == "270M"


def test_cached_by_mtime_and_size(tmp_path: Path) -> None:
    path = write_tiny_gguf(tmp_path / "a.gguf", name="First")
    assert read_gguf_info(path).name == "First"
    write_tiny_gguf(path, name="Second name")
    assert read_gguf_info(path).name == "Second name"


def test_tiny_file_fields(tmp_path: Path) -> None:
    info = read_gguf_info(write_tiny_gguf(tmp_path / "t.gguf"))
    assert (info.architecture, info.block_count, info.head_count_kv) == ("llama", 2, 2)
    assert info.chat_template and info.bos_token == "<s>" and info.eos_token == "</s>"
    assert info.parameters == 5 * 64 + 64 * 64


def test_split_model_read_as_one(tmp_path: Path) -> None:
    first = write_tiny_gguf(tmp_path / "m-00001-of-00002.gguf", split=(0, 2))
    second = write_tiny_gguf(tmp_path / "m-00002-of-00002.gguf", split=(1, 2))
    info = read_gguf_info(first)
    assert info.split_count == 2
    assert info.file_size == first.stat().st_size + second.stat().st_size
    second.unlink()
    clear_cache()
    with pytest.raises(InvalidModelFile, match=r"part m-00002-of-00002\.gguf is missing"):
        read_gguf_info(first)


def test_not_a_gguf(tmp_path: Path) -> None:
    for content in (b"", b"hello world, this is a text file" * 10, b"\x7fELF" + bytes(100)):
        path = tmp_path / "x.gguf"
        path.write_bytes(content)
        clear_cache()
        with pytest.raises(InvalidModelFile) as err:
            read_gguf_info(path)
        assert "is not a GGUF model" in str(err.value), content[:8]


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InvalidModelFile, match="does not exist"):
        read_gguf_info(tmp_path / "nope.gguf")
    with pytest.raises(InvalidModelFile, match="folder"):
        read_gguf_info(tmp_path)


def test_truncated_tensor_data_names_both_sizes(
    starter_gguf: Path, header_bytes: bytes, tmp_path: Path
) -> None:
    full = starter_gguf.stat().st_size
    for length in (full - 1, full // 2, len(header_bytes) + 10):
        clear_cache()
        path = sparse_copy(header_bytes, tmp_path / f"cut-{length}.gguf", length)
        with pytest.raises(InvalidModelFile) as err:
            read_gguf_info(path)
        message = str(err.value)
        assert message.startswith("This GGUF file is truncated: expected ")
        assert f"{full:,} bytes, found {length:,}" in message
        assert message.endswith("Download it again.")


def test_truncated_inside_header_at_many_offsets(header_bytes: bytes, tmp_path: Path) -> None:
    rng = random.Random(7)
    offsets = [0, 1, 3, 4, 7, 8, 12, 23, 24, 25, 40, 100, 1000, len(header_bytes) - 1]
    offsets += rng.sample(range(26, len(header_bytes)), 12)
    path = tmp_path / "cut.gguf"
    for length in offsets:
        clear_cache()
        sparse_copy(header_bytes, path, length)
        with pytest.raises(InvalidModelFile) as err:
            read_gguf_info(path)
        # Nothing at all is no signature; a first byte of "GGUF" is the start of a model.
        expected = "is not a GGUF model" if length == 0 else "This GGUF file is truncated"
        assert expected in str(err.value), length


def _patched(header: bytes, offset: int, fmt: str, value: int) -> bytes:
    data = bytearray(header)
    struct.pack_into(fmt, data, offset, value)
    return bytes(data)


def _first_value_offset(header: bytes) -> int:
    (key_len,) = struct.unpack_from("<Q", header, 24)
    return 24 + 8 + key_len  # the first metadata value's type field


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        (lambda h: b"GGUX" + h[4:], "not a GGUF model"),
        (lambda h: _patched(h, 4, "<I", 1), "format version 1"),
        (lambda h: _patched(h, 4, "<I", 99), "format version 99"),
        (lambda h: _patched(h, 8, "<Q", 2**63), "claims"),
        (lambda h: _patched(h, 16, "<Q", 2**64 - 1), "claims"),
        (lambda h: _patched(h, 24, "<Q", 2**62), "impossibly long"),
        (lambda h: _patched(h, 24, "<Q", 2**64 - 1), "impossibly long"),
        (lambda h: _patched(h, _first_value_offset(h), "<I", 77), "unknown metadata type"),
        (lambda h: _patched(h, _first_value_offset(h) + 4, "<Q", 2**60), "truncated"),
    ],
)
def test_hostile_headers_get_a_sentence(
    mutation: object, expected: str, header_bytes: bytes, tmp_path: Path
) -> None:
    clear_cache()
    data = mutation(header_bytes)  # type: ignore[operator]
    path = sparse_copy(header_bytes, tmp_path / "hostile.gguf", len(header_bytes) * 2, data)
    with pytest.raises(InvalidModelFile, match=expected):
        read_gguf_info(path)


def test_random_corruption_never_crashes(tmp_path: Path) -> None:
    """Bytes flipped all over a small file: a GGUFInfo or InvalidModelFile, nothing else."""
    original = write_tiny_gguf(tmp_path / "orig.gguf").read_bytes()
    header_end = read_raw_header(tmp_path / "orig.gguf").data_start
    rng = random.Random(1234)
    path = tmp_path / "fuzz.gguf"
    outcomes = {"ok": 0, "invalid": 0}
    for _ in range(400):
        data = bytearray(original)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(header_end)] = rng.randrange(256)
        path.write_bytes(bytes(data))
        clear_cache()
        try:
            read_gguf_info(path)
            outcomes["ok"] += 1
        except InvalidModelFile as exc:
            assert str(exc).endswith((".", "file.")), str(exc)
            outcomes["invalid"] += 1
    assert outcomes["invalid"] > 50
