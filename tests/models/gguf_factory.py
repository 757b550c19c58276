"""Small synthetic GGUF files written with gguf.GGUFWriter, for fast structural tests."""

from __future__ import annotations

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
