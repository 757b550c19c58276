"""GGUF fuzz: hundreds of malformed variants, each answered with a sentence, never a crash.

Variants come from a small synthetic file and from the real starter model's header (its
tensor data replaced by a hole, so a 98 MB copy costs no disk). Every variant goes through
read_gguf_info in-process, with the walk's byte count bounded; a seeded sample runs in a
subprocess (a native crash shows as a signal exit; peak RSS growth is measured there) and
through llama.cpp when it passes the checks; a few go through the real engine, which must
then still load the starter model. Seeded: a failure names its variant and reproduces.
"""

from __future__ import annotations

import contextlib
import json
import random
import struct
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams, LoadParams
from desktop_chat.models.gguf_info import GGUFInfo, InvalidModelFile, clear_cache, read_gguf_info
from desktop_chat.models.gguf_parse import WalkStats, read_raw_header
from tests.models.gguf_factory import (
    ARRAY,
    STRING,
    gguf_string,
    kv_raw,
    kv_scalar,
    kv_str,
    kv_str_array,
    layout,
    minimal_kvs,
    minimal_tensor,
    raw_gguf,
    tensor_info,
    with_kv,
    write_tiny_gguf,
)

SEED = 17_2025
# What the walk's budgets allow (gguf_parse: header cap plus kept text), whatever the file
# claims; a variant in a file of gigabytes must read next to nothing.
BYTES_READ_BOUND = 160 * 1024 * 1024
HOLE_BYTES_READ_BOUND = 1024 * 1024
RSS_GROWTH_BOUND_KB = 200 * 1024
GIB = 1 << 30
NESTED_LOOPS = (
    "{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{% endfor %}{% endfor %}"
)


@dataclass(frozen=True)
class Variant:
    name: str
    data: bytes
    size: int | None = None  # pad with a hole up to this length (sparse on disk)
    must_fail: bool = True  # False: a file that may well be usable (a changed value, a template)

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.name}.gguf"
        with path.open("wb") as out:
            out.write(self.data)
            if self.size is not None:
                out.truncate(self.size)
        return path


@dataclass(frozen=True)
class Sources:
    tiny: bytes
    header: bytes  # the starter model's header, up to its tensor data
    size: int  # the starter model's full size


@pytest.fixture(scope="module")
def sources(smollm_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Sources:
    tiny = write_tiny_gguf(tmp_path_factory.mktemp("tiny") / "tiny.gguf").read_bytes()
    data_start = read_raw_header(smollm_path).data_start
    with smollm_path.open("rb") as handle:
        header = handle.read(data_start)
    return Sources(tiny, header, smollm_path.stat().st_size)


def _patch(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, offset, value)
    return bytes(out)


def _flip(data: bytes, rng: random.Random, span: int, flips: int) -> bytes:
    out = bytearray(data)
    for _ in range(flips):
        out[rng.randrange(span)] ^= 1 << rng.randrange(8)
    return bytes(out)


def _truncations(src: Sources, rng: random.Random) -> list[Variant]:
    tiny_cuts = sorted({0, 1, 3, 4, 7, 8, 15, 23, 24, 25, 31, 32, 40, len(src.tiny) - 1}
                       | set(rng.sample(range(41, len(src.tiny) - 1), 22)))  # fmt: skip
    out = [Variant(f"tiny-cut-{n}", src.tiny[:n]) for n in tiny_cuts]
    spans, _ = layout(src.header)
    boundaries = sorted({end for _, end in spans.values()} | {s for s, _ in spans.values()})
    header_cuts = sorted(
        set(rng.sample(boundaries, 10)) | set(rng.sample(range(24, len(src.header)), 20))
    )
    out += [Variant(f"starter-cut-{n}", src.header[:n]) for n in header_cuts]
    # The whole header but not all the weights: the tensor table points past the end.
    out += [
        Variant(f"starter-short-{n}", src.header, n)
        for n in (len(src.header), len(src.header) + 1, src.size // 2, src.size - 1)
    ]
    return out


def _flips(src: Sources, rng: random.Random) -> list[Variant]:
    out = []
    first_value = 24 + 8 + struct.unpack_from("<Q", src.tiny, 24)[0]
    for i in range(40):
        span = first_value + 16 if i < 15 else read_raw_header_len(src.tiny)
        data = _flip(src.tiny, rng, span, rng.randint(1, 4))
        out.append(Variant(f"tiny-flip-{i}", data, must_fail=False))
    kv_end = layout(src.header)[0]["tokenizer.ggml.tokens"][0]
    for i in range(30):
        # Most flips land before the vocabulary, where the structure is; a few anywhere.
        span = kv_end if i < 24 else len(src.header)
        data = _flip(src.header, rng, span, rng.randint(1, 3))
        out.append(Variant(f"starter-flip-{i}", data, src.size, must_fail=False))
    return out


def read_raw_header_len(data: bytes) -> int:
    return layout(data)[1]


def _counts(src: Sources) -> list[Variant]:
    out = []
    for label, data, size in (("tiny", src.tiny, None), ("starter", src.header, src.size)):
        for field, offset in (("tensors", 8), ("kvs", 16)):
            for value in (2**63, 2**64 - 1, 2**32, (1 << 24) + 1, 100_000):
                out.append(
                    Variant(f"{label}-{field}-{value}", _patch(data, offset, "<Q", value), size)
                )
    return out


def open_ended(last: bytes) -> bytes:
    """The minimal metadata then ``last``, no tensor table: what follows comes from the hole."""
    kvs = minimal_kvs(last)
    return b"GGUF" + struct.pack("<IQQ", 3, 0, len(kvs)) + b"".join(kvs)


def _lengths() -> list[Variant]:
    tensors, data = minimal_tensor()
    out = []

    def build(name: str, *extra: bytes, size: int | None = None, **kw: object) -> None:
        out.append(Variant(name, raw_gguf(minimal_kvs(*extra), tensors, data=data, **kw), size))

    for value in (2**63, 2**64 - 1, 2**40, 2**31, 65_537):
        out.append(
            Variant(f"key-len-{value}", raw_gguf([struct.pack("<Q", value) + b"general"], tensors))
        )
        build(f"string-len-{value}", kv_raw("x.s", STRING, struct.pack("<Q", value) + b"abc"))
        for item_type, label in ((0, "u8"), (10, "u64"), (STRING, "str"), (ARRAY, "arr")):
            body = struct.pack("<IQ", item_type, value) + bytes(16)
            build(f"array-{label}-{value}", kv_raw("x.a", ARRAY, body))
    # Claims the file can back: a hole of zeros reads as empty strings and empty lists.
    for count in (5_000_000, 100_000_000):
        for key in ("tokenizer.ggml.tokens", "x.strings"):
            entry = gguf_string(key) + struct.pack("<IIQ", ARRAY, STRING, count)
            out.append(
                Variant(
                    f"hole-{key}-{count}",
                    raw_gguf([entry], [], n_tensors=0)[: 24 + len(entry)],
                    GIB,
                )
            )
        entry = gguf_string("x.nested") + struct.pack("<IIQ", ARRAY, ARRAY, count)
        out.append(
            Variant(
                f"hole-nested-{count}", raw_gguf([entry], [], n_tensors=0)[: 24 + len(entry)], GIB
            )
        )
    big = struct.pack("<IQQ", STRING, 4, 300_000_000)  # four strings of 300 MB, from the hole
    out.append(
        Variant(
            "hole-huge-strings-in-a-short-array", open_ended(kv_raw("x.l", ARRAY, big)), 2 * GIB
        )
    )
    gigabyte = struct.pack("<Q", GIB)
    out.append(
        Variant("hole-string-of-a-gigabyte", open_ended(kv_raw("x.s", STRING, gigabyte)), 2 * GIB)
    )
    out.append(
        Variant(
            "hole-name-of-a-gigabyte",
            open_ended(kv_raw("general.license", STRING, gigabyte)),
            2 * GIB,
        )
    )
    deep = struct.pack("<IQ", ARRAY, 1) * 6 + struct.pack("<IQ", 0, 0)
    build("arrays-nested-six-deep", kv_raw("x.deep", ARRAY, deep))
    build("unknown-value-type", kv_raw("x.t", 13, bytes(8)))
    build("unknown-array-type", kv_raw("x.t", ARRAY, struct.pack("<IQ", 99, 1) + bytes(8)))
    build("duplicate-key", kv_str("general.architecture", "llama"))
    long_key = "k" * 60_000
    build("duplicate-long-key", kv_str(long_key, "a"), kv_str(long_key, "b"))
    for alignment in (0, 3, 2**40 + 1):
        build(f"alignment-{alignment}", kv_scalar("general.alignment", "u64", alignment))
    build("alignment-a-long-string", kv_str("general.alignment", "x" * 100_000))
    return out


def _tensors() -> list[Variant]:
    kvs = minimal_kvs()
    data = bytes(64)
    cases = {
        "dims-5": tensor_info("t", (1, 1, 1, 1, 1)),
        "dims-4g": gguf_string("t") + struct.pack("<I", 2**32 - 1) + bytes(32),
        "shape-huge": tensor_info("t", (2**63, 2**63, 2**63, 2**63)),
        "shape-past-the-file": tensor_info("t", (1 << 20,)),
        "type-unknown": tensor_info("t", (8,), type_id=4242),
        "type-block-misfit": tensor_info("t", (33,), type_id=2),  # Q4_0 holds 32s
        "offset-misaligned": tensor_info("t", (8,), offset=3),
        "offset-past-the-file": tensor_info("t", (8,), offset=2**62),
        "name-len-huge": struct.pack("<Q", 2**62) + b"t",
    }
    out = [Variant(f"tensor-{k}", raw_gguf(kvs, [v], data=data)) for k, v in cases.items()]
    twice = [tensor_info("t", (8,)), tensor_info("t", (8,), offset=32)]
    out.append(Variant("tensor-twice", raw_gguf(kvs, twice, data=data)))
    out.append(Variant("no-tensors", raw_gguf(kvs, [])))
    out.append(Variant("no-architecture", raw_gguf(kvs[1:], [tensor_info("t", (8,))], data=data)))
    adapter = [*kvs, kv_str("general.type", "adapter")]
    out.append(Variant("lora-adapter", raw_gguf(adapter, [tensor_info("t", (8,))], data=data)))
    return out


def _magic_and_version(src: Sources) -> list[Variant]:
    out = []
    for magic in (b"GGUX", b"gguf", b"GGML", b"GGJT", b"\0\0\0\0", b"FUGG", b"\x7fELF"):
        out.append(Variant(f"magic-{magic.hex()}", magic + src.tiny[4:]))
    for version in (0, 1, 4, 99, 2**31, 2**32 - 1, 0x00030000, 0x03000000):
        out.append(Variant(f"version-{version}", _patch(src.tiny, 4, "<I", version)))
        out.append(
            Variant(f"starter-version-{version}", _patch(src.header, 4, "<I", version), src.size)
        )
    out.append(Variant("text-file", b"these are my notes, not a model\n" * 40))
    out.append(Variant("empty", b""))
    return out


def _templates(src: Sources) -> list[Variant]:
    key = "tokenizer.chat_template"
    sources = {
        "invalid-jinja": "{% for m in messages %}{{ m.content }",
        "unclosed-block": "{% if x %}never closed",
        "nested-loops": NESTED_LOOPS,
        "format-bomb": "{{ '%0999999999d' % 1 }}",
        "sandbox-escape": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "three-megabytes": "{{ messages }}" + "x" * 3_000_000,
        "five-megabytes": "x" * 5_000_000,
        "nul-and-rtl": "\0\u202e{{ messages[0].content }}\u200b",
        "raise": "{{ raise_exception('no') }}",
    }
    out = [
        Variant(
            f"template-{name}", with_kv(src.header, key, kv_str(key, text)), None, must_fail=False
        )
        for name, text in sources.items()
    ]
    odd = {
        "not-utf8": kv_str(key, b"\xff\xfe{{ \xc3\x28 }}"),
        "a-number": kv_scalar(key, "u32", 7),
        "a-list": kv_str_array(key, ["{{ a }}", "{{ b }}"]),
    }
    out += [
        Variant(f"template-{n}", with_kv(src.header, key, e), None, must_fail=False)
        for n, e in odd.items()
    ]
    # The same with the weights present (as a hole), so the engine can be handed them.
    return [Variant(v.name, v.data, src.size + len(v.data) - len(src.header), False) for v in out]


def _llama_asserts(src: Sources) -> list[Variant]:
    """Values llama.cpp 0.3.x meets with GGML_ASSERT, aborting the process: the app refuses them."""

    def changed(*entries: tuple[str, bytes]) -> bytes:
        header = src.header
        for key, entry in entries:
            header = with_kv(header, key, entry)
        return header

    layers = "llama.block_count"
    experts, used = "llama.expert_count", "llama.expert_used_count"
    cases = {
        "layers-0": [(layers, kv_scalar(layers, "u32", 0))],
        "layers-513": [(layers, kv_scalar(layers, "u32", 513))],
        "layers-a-string": [(layers, kv_str(layers, "30"))],
        "experts-1000-used-0": [(experts, kv_scalar(experts, "u32", 1000))],
        "experts-8-used-0": [
            (experts, kv_scalar(experts, "u32", 8)),
            (used, kv_scalar(used, "u32", 0)),
        ],
        "experts-8-used-9": [
            (experts, kv_scalar(experts, "u32", 8)),
            (used, kv_scalar(used, "u32", 9)),
        ],
        "experts-0-used-2": [(used, kv_scalar(used, "u32", 2))],
        "tokens-repeated": [
            ("tokenizer.ggml.tokens", kv_str_array("tokenizer.ggml.tokens", ["a"] * 49152))
        ],
        "tokens-long-repeated": [
            (
                "tokenizer.ggml.tokens",
                kv_str_array("tokenizer.ggml.tokens", ["<s>", "x" * 5000, "x" * 5000]),
            )
        ],
    }
    out = []
    for name, entries in cases.items():
        header = changed(*entries)
        out.append(Variant(f"llama-{name}", header, src.size + len(header) - len(src.header)))
    return out


def all_variants(src: Sources) -> list[Variant]:
    rng = random.Random(SEED)
    variants = (
        _truncations(src, rng) + _flips(src, rng) + _counts(src) + _lengths() + _tensors()
        + _magic_and_version(src) + _templates(src) + _llama_asserts(src)
    )  # fmt: skip
    names = [v.name for v in variants]
    assert len(names) == len(set(names)), "variant names must be unique"
    return variants


def is_sentence(message: str) -> bool:
    return (
        bool(message)
        and (message[0].isupper() or message.startswith("llama.cpp"))
        and message.endswith(".")
        and len(message) < 400
        and "Traceback" not in message
    )


def test_every_variant_is_answered_with_a_sentence_and_bounded_work(
    sources: Sources, tmp_path: Path
) -> None:
    variants = all_variants(sources)
    assert len(variants) >= 200
    problems: list[str] = []
    refused = 0
    for variant in variants:
        path = variant.write(tmp_path)
        stats = WalkStats()
        with contextlib.suppress(InvalidModelFile):
            read_raw_header(path, stats)
        bound = HOLE_BYTES_READ_BOUND if variant.name.startswith("hole-") else BYTES_READ_BOUND
        if stats.bytes_read > bound:
            problems.append(f"{variant.name}: the walk read {stats.bytes_read:,} bytes")
        clear_cache()
        try:
            info = read_gguf_info(path)
        except InvalidModelFile as exc:
            refused += 1
            if not is_sentence(str(exc)):
                problems.append(f"{variant.name}: not a sentence: {str(exc)[:200]!r}")
        except Exception as exc:  # the point of the test: report every escape by name
            problems.append(f"{variant.name}: {type(exc).__name__}: {exc}"[:300])
        else:
            assert isinstance(info, GGUFInfo)
            if variant.must_fail:
                problems.append(f"{variant.name}: accepted")
            elif len(info.name) > 200:
                problems.append(f"{variant.name}: a name of {len(info.name):,} characters")
        path.unlink()
    assert not problems, "\n".join(problems)
    assert refused >= 150


def test_models_check_answers_every_template_and_damage_with_a_sentence(
    sources: Sources, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop_chat.cli import main

    chosen = _templates(sources) + _magic_and_version(sources)[:4] + _counts(sources)[:3]
    for variant in chosen:
        path = variant.write(tmp_path)
        clear_cache()
        code = main(["models", "check", str(path)])
        out, err = capsys.readouterr()
        assert code in (0, 1), variant.name
        assert "Traceback" not in out + err, variant.name
        if code == 1:
            assert is_sentence(err.strip()), (variant.name, err[:300])
        else:
            assert "architecture" in out and len(out) < 5000, (variant.name, out[:300])
        path.unlink()


SUBPROCESS_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication

    from desktop_chat.engine.types import LoadParams
    from desktop_chat.engine.worker import EngineWorker
    from desktop_chat.models.gguf_info import InvalidModelFile, read_gguf_info

    app = QCoreApplication([])
    path = Path(sys.argv[1])
    peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    before = peak()
    try:
        read_gguf_info(path)
        outcome, message = "ok", ""
    except InvalidModelFile as exc:
        outcome, message = "invalid", str(exc)
    growth = peak() - before
    load = None
    if outcome == "ok":  # what passed the checks, llama.cpp now opens
        worker = EngineWorker()
        events = []
        worker.model_loaded.connect(lambda i, info: events.append(["loaded", ""]))
        worker.model_load_failed.connect(lambda i, text: events.append(["failed", text]))
        worker.load(1, LoadParams(path=path, n_ctx=256, n_threads=1))
        load = events[-1]
        worker.unload()
    print(json.dumps({"outcome": outcome, "message": message, "growth_kb": growth,
                      "load": load}))
    """
)


def test_a_sample_in_a_subprocess_never_crashes_nor_balloons(
    sources: Sources, tmp_path: Path
) -> None:
    variants = all_variants(sources)
    rng = random.Random(SEED + 1)
    heavy = [
        v
        for v in variants
        if v.name.startswith(("hole-", "llama-", "template-five", "starter-short"))
    ]
    passing = [v for v in variants if not v.must_fail and v.name.startswith("starter-flip")]
    sample = heavy + rng.sample(passing, 6) + rng.sample(variants, 12)
    sample = list({v.name: v for v in sample}.values())
    problems = []
    for variant in sample:
        path = variant.write(tmp_path)
        run = subprocess.run(
            [sys.executable, "-c", SUBPROCESS_SCRIPT, str(path)],
            capture_output=True,
            text=True,
            timeout=300,
            env=_child_env(),
        )
        path.unlink()
        if run.returncode != 0:
            problems.append(f"{variant.name}: exit {run.returncode}: {run.stderr[-600:]}")
            continue
        result = json.loads(run.stdout.strip().splitlines()[-1])
        if result["growth_kb"] > RSS_GROWTH_BOUND_KB:
            problems.append(f"{variant.name}: peak RSS grew {result['growth_kb']:,} KiB")
        if result["outcome"] == "invalid" and not is_sentence(result["message"]):
            problems.append(f"{variant.name}: {result['message'][:200]!r}")
        load = result["load"]
        if load is not None and load[0] == "failed" and not is_sentence(load[1]):
            problems.append(f"{variant.name}: engine said {result['load'][1][:200]!r}")
    assert not problems, "\n".join(problems)


def _child_env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    return env


def test_the_engine_refuses_a_sample_with_a_sentence_and_loads_the_starter_after(
    qtbot, sources: Sources, smollm_path: Path, tmp_path: Path
) -> None:
    by_name = {v.name: v for v in all_variants(sources)}
    first_cut = next(name for name in by_name if name.startswith("starter-cut-"))
    refused = [
        "text-file",
        first_cut,
        f"starter-short-{sources.size // 2}",
        "starter-kvs-18446744073709551615",
        "starter-version-99",
        "tensor-shape-past-the-file",
        "hole-tokenizer.ggml.tokens-100000000",
        "tiny-cut-40",
    ]
    either = ["template-invalid-jinja", "template-unclosed-block"]  # a fallback format may do
    tiny = tmp_path / "tiny-no-weights-llama-needs.gguf"
    tiny.write_bytes(sources.tiny)  # passes the app's checks; llama.cpp lacks its tensors
    cases = [(by_name[name].write(tmp_path), True) for name in refused]
    cases += [(by_name[name].write(tmp_path), False) for name in either] + [(tiny, True)]
    client = EngineClient()
    outcomes: list[tuple[str, str]] = []
    client.model_loaded.connect(lambda _i, info: outcomes.append(("loaded", "")))
    client.model_load_failed.connect(lambda _i, text: outcomes.append(("failed", text)))
    try:
        for path, must_fail in cases:
            outcomes.clear()
            client.load(LoadParams(path=path, n_ctx=512))
            qtbot.waitUntil(lambda: bool(outcomes), timeout=120_000)
            kind, message = outcomes[0]
            if must_fail or kind == "failed":
                assert kind == "failed" and is_sentence(message), (path.name, outcomes)
                assert client.model is None
        with qtbot.waitSignal(client.model_loaded, timeout=180_000):
            client.load(LoadParams(path=smollm_path, n_ctx=512))
        request = ChatRequest(
            history=(ChatMessage("user", "Say hi."),), gen=GenParams(max_tokens=8, seed=3)
        )
        with qtbot.waitSignal(client.finished, timeout=120_000):
            client.generate(request)
    finally:
        client.shutdown()
