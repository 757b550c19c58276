"""GGUF model metadata, validated before llama.cpp ever opens the file, cached by path and mtime."""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gguf.constants import GGMLQuantizationType, LlamaFileType

from desktop_chat.models.gguf_parse import (
    InvalidModelFile,
    RawHeader,
    check_tensor_data,
    damaged,
    read_raw_header,
    shown,
)

__all__ = ["GGUFInfo", "InvalidModelFile", "clear_cache", "read_gguf_info", "split_parts"]

SPLIT_RE = re.compile(r"^(?P<stem>.+)-(?P<index>\d{5})-of-(?P<count>\d{5})\.gguf$", re.IGNORECASE)
_GUESSED_FLAG = 1024
_CACHE_LIMIT = 512
MAX_LAYERS = 512  # LLAMA_MAX_LAYERS
MAX_NAME_CHARS = 200  # general.name is shown in lists and titles; a header may hold megabytes


@dataclass(frozen=True)
class GGUFInfo:
    """What the app needs to know about a model file (all shards together for a split model)."""

    path: Path
    name: str
    architecture: str
    parameters: int
    size_label: str | None
    quantization: str
    file_size: int
    context_length: int | None
    chat_template: str | None
    bos_token: str | None
    eos_token: str | None
    block_count: int | None
    embedding_length: int | None
    head_count: int | None
    head_count_kv: int | None
    key_length: int | None
    value_length: int | None
    split_count: int
    gguf_version: int
    license: str | None

    @property
    def parameters_label(self) -> str:
        """``size_label`` when the file names one, else the counted parameters (``1.7B``)."""
        if self.size_label:
            return self.size_label
        for unit, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
            if self.parameters >= scale:
                return f"{self.parameters / scale:.3g}{unit}"
        return str(self.parameters)


_cache: OrderedDict[tuple[str, int, int], GGUFInfo | InvalidModelFile] = OrderedDict()
_cache_lock = threading.Lock()


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def split_parts(path: Path) -> list[Path]:
    """All shard paths of a ``name-00001-of-00003.gguf`` model, or ``[path]`` when not split."""
    match = SPLIT_RE.match(path.name)
    if not match:
        return [path]
    count = int(match["count"])
    stem = match["stem"]
    return [path.with_name(f"{stem}-{i:05d}-of-{count:05d}.gguf") for i in range(1, count + 1)]


def read_gguf_info(path: Path) -> GGUFInfo:
    """Validate ``path`` (and its other shards) and return its metadata.

    Raises InvalidModelFile, whose str() is a sentence for the user. Never reads tensor data;
    results (and failures) are cached by path, modification time and size, so listing a
    folder again costs a stat per file. Safe to call from any thread.
    """
    parts = split_parts(path)
    try:
        stats = [p.stat() for p in parts]
    except FileNotFoundError as exc:
        missing = next(p for p in parts if not p.exists())
        if missing == path:
            raise InvalidModelFile(f"The model file {path} does not exist.") from exc
        raise InvalidModelFile(
            f"This split model is incomplete: the part {missing.name} is missing. "
            "Download all parts into the same folder."
        ) from exc
    except OSError as exc:
        raise InvalidModelFile(f"The model file {path} cannot be read ({exc.strerror}).") from exc
    key = (str(path.resolve()), max(s.st_mtime_ns for s in stats), sum(s.st_size for s in stats))
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
    if cached is None:
        try:
            cached = _read_uncached(path, parts)
        except InvalidModelFile as exc:
            cached = exc
        with _cache_lock:
            _cache[key] = cached
            while len(_cache) > _CACHE_LIMIT:
                _cache.popitem(last=False)
    if isinstance(cached, InvalidModelFile):
        raise InvalidModelFile(str(cached))
    return cached


def _read_uncached(path: Path, parts: list[Path]) -> GGUFInfo:
    headers: list[RawHeader] = []
    for part in parts:
        header = read_raw_header(part)
        check_tensor_data(header)
        headers.append(header)
    first = headers[0]
    meta = first.metadata
    if len(parts) > 1:
        declared = meta.get("split.count")
        if isinstance(declared, int) and declared != len(parts):
            raise InvalidModelFile(
                f"This split model's first part says it has {declared} parts, but its name "
                f"says {len(parts)}. Download the model again."
            )
    if meta.get("general.type") == "adapter":
        raise InvalidModelFile(
            "This GGUF file is a LoRA adapter, not a model. Choose the base model file instead."
        )
    arch = meta.get("general.architecture")
    if not isinstance(arch, str) or not arch:
        raise InvalidModelFile(
            "This GGUF file does not say which model architecture it holds, so it cannot be "
            "loaded. Choose another file."
        )
    _check_llama_limits(first, arch)
    tensors = [t for h in headers for t in h.tensors]
    if not tensors:
        raise InvalidModelFile(
            "This GGUF file holds no weights (it may be a vocabulary-only file). "
            "Choose a full model file."
        )

    def arch_int(suffix: str) -> int | None:
        return _as_int(meta.get(f"{arch}.{suffix}"))

    name = meta.get("general.name")
    return GGUFInfo(
        path=path,
        name=name.strip()[:MAX_NAME_CHARS]
        if isinstance(name, str) and name.strip()
        else _stem(path),
        architecture=arch,
        parameters=sum(t.n_elements for t in tensors),
        size_label=_as_str(meta.get("general.size_label")),
        quantization=_quantization(meta.get("general.file_type"), headers),
        file_size=sum(h.file_size for h in headers),
        context_length=arch_int("context_length"),
        chat_template=_as_str(meta.get("tokenizer.chat_template")),
        bos_token=_token(first, "tokenizer.ggml.bos_token_id"),
        eos_token=_token(first, "tokenizer.ggml.eos_token_id"),
        block_count=arch_int("block_count"),
        embedding_length=arch_int("embedding_length"),
        head_count=arch_int("attention.head_count"),
        head_count_kv=arch_int("attention.head_count_kv"),
        key_length=arch_int("attention.key_length"),
        value_length=arch_int("attention.value_length"),
        split_count=len(parts),
        gguf_version=first.version,
        license=_as_str(meta.get("general.license")),
    )


def _check_llama_limits(header: RawHeader, arch: str) -> None:
    """Refuse values llama.cpp meets with an assertion, which aborts the whole app, not an error.

    Found by the GGUF fuzz suite (tests/reliability/test_gguf_fuzz.py) on llama-cpp-python
    0.3.x: a layer count outside 1..512, expert counts that disagree, a repeated token.
    """
    meta = header.metadata
    layers = meta.get(f"{arch}.block_count")
    if layers is not None and not (_is_int(layers) and 1 <= layers <= MAX_LAYERS):
        raise InvalidModelFile(damaged(f"it claims {shown(layers)} layers"))
    experts = meta.get(f"{arch}.expert_count", 0)
    used = meta.get(f"{arch}.expert_used_count", 0)
    if not (_is_int(experts) and _is_int(used)) or not (
        experts == used == 0 or 1 <= used <= experts
    ):
        raise InvalidModelFile(
            damaged(f"it claims {shown(used)} of {shown(experts)} experts per token")
        )
    if header.duplicate_token is not None:
        token = header.duplicate_token.decode("utf-8", errors="replace")
        raise InvalidModelFile(damaged(f"its vocabulary lists the token {shown(token)} twice"))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _stem(path: Path) -> str:
    match = SPLIT_RE.match(path.name)
    return match["stem"] if match else path.stem


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, list):  # per-layer values (some architectures): the largest bounds memory
        ints = [v for v in value if isinstance(v, int) and not isinstance(v, bool)]
        return max(ints) if ints else None
    return None


def _as_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _token(header: RawHeader, key: str) -> str | None:
    index = header.metadata.get(key)
    data = header.token_bytes.get(index) if isinstance(index, int) else None
    return data.decode("utf-8", errors="replace") if data is not None else None


def _quantization(file_type: Any, headers: list[RawHeader]) -> str:
    if isinstance(file_type, int) and not isinstance(file_type, bool):
        try:
            name = LlamaFileType(file_type & ~_GUESSED_FLAG).name
        except ValueError:
            name = ""
        if name:
            return name.removeprefix("MOSTLY_").removeprefix("ALL_")
    # No file type recorded: name it after the type holding the most weight bytes.
    weight: Counter[int] = Counter()
    for header in headers:
        for tensor in header.tensors:
            if len(tensor.shape) >= 2:
                weight[tensor.type_id] += tensor.n_bytes
    if not weight:
        return "unknown"
    return GGMLQuantizationType(weight.most_common(1)[0][0]).name
