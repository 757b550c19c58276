"""The only importer of llama_cpp: load and close a model, tokenize, stream, abort."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import logging
import os
import threading
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# OpenMP's wait policy is left to llama.cpp's default (spinning at its barriers), measured on
# SmolLM2-135M, 2 threads, 2 cores: quiet, spin 187 tok/s vs OMP_WAIT_POLICY=PASSIVE 45-49
# (one thread: 170); with the cores shared (load average 10), spin collapses to 2.2 tok/s vs
# PASSIVE 41.6 (one thread: 58-61). Neither policy wins both; a user can set the variable.
import llama_cpp
from llama_cpp import llama_chat_format, llama_grammar

from desktop_chat.engine import grammar, native_log
from desktop_chat.engine.build_info import parse_system_info
from desktop_chat.engine.draft_model import DraftModel
from desktop_chat.engine.kv_state import SavedState, common_prefix, score_sink
from desktop_chat.engine.speculative import PromptLookup
from desktop_chat.engine.types import (
    EngineError,
    GenerationCancelled,
    GenParams,
    LoadParams,
    ModelLoadError,
)

log = logging.getLogger(__name__)


def _on_llama_log(level: int, text: bytes, _user: ctypes.c_void_p) -> None:
    native_log.on_fragment(level, text)


# Kept at module level: ctypes callbacks must outlive every call llama.cpp makes to them.
_LOG_CALLBACK = llama_cpp.llama_log_callback(_on_llama_log)
llama_cpp.llama_log_set(_LOG_CALLBACK, ctypes.c_void_p(0))


class _TolerantJinjaFormatter(llama_chat_format.Jinja2ChatFormatter):
    """llama-cpp-python compiles every template in the file at load and raises on a broken one.

    We render prompts ourselves (engine/chat_formats.py) and explain a broken template to
    the user there, so the model must still load.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().__init__(*args, **kwargs)
        except Exception as error:
            log.warning("the model's chat template does not compile: %s", error)


llama_chat_format.Jinja2ChatFormatter = _TolerantJinjaFormatter  # type: ignore[misc]

_NO_ABORT_CALLBACK = llama_cpp.ggml_abort_callback(0)  # a NULL function pointer

KV_TYPES = {
    "f16": llama_cpp.GGML_TYPE_F16,
    "q8_0": llama_cpp.GGML_TYPE_Q8_0,
    "q4_0": llama_cpp.GGML_TYPE_Q4_0,
}


def gpu_offload_supported() -> bool:
    """Whether this llama.cpp build was compiled with a GPU backend (CUDA, Metal, Vulkan …)."""
    try:
        return bool(llama_cpp.llama_supports_gpu_offload())
    except Exception:  # an old build without the symbol cannot offload either
        return False


def llama_cpp_version() -> str:
    return str(getattr(llama_cpp, "__version__", "unknown"))


def completion_kwargs(gen: GenParams, stop: Sequence[str], room: int) -> dict[str, Any]:
    """llama-cpp-python's streaming arguments for ``gen``; ``room`` is what the window has left."""
    return {
        "max_tokens": max(1, min(gen.max_tokens, room)),
        "temperature": gen.temperature,
        "top_p": gen.top_p,
        "top_k": gen.top_k,
        "min_p": gen.min_p,
        "repeat_penalty": gen.repeat_penalty,
        "stop": list(stop) + list(gen.stop),
        "seed": gen.seed if gen.seed >= 0 else int.from_bytes(os.urandom(4), "little"),
        "stream": True,
    }


@functools.lru_cache(maxsize=8)
def json_grammar(schema: str) -> llama_cpp.LlamaGrammar:
    """llama.cpp's grammar for a (checked) JSON schema; raises EngineError, a sentence."""
    try:
        text = grammar.schema_gbnf(schema, llama_grammar.json_schema_to_gbnf)
        return llama_cpp.LlamaGrammar.from_string(text, verbose=False)
    except grammar.GRAMMAR_ERRORS as error:
        raise EngineError(grammar.failure_sentence(error)) from error


@dataclass
class StreamResult:
    completion_tokens: int = 0
    finish_reason: str = "stop"
    draft_proposed: int = 0  # speculative tokens offered, and how many the model kept
    draft_accepted: int = 0


class Backend:
    """Owns one ``Llama``. Not thread-safe: only the engine worker thread may call it."""

    def __init__(self) -> None:
        self._llm: llama_cpp.Llama | None = None
        self._abort = threading.Event()
        self._abort_callback = llama_cpp.ggml_abort_callback(self._should_abort)
        self.path: Path | None = None
        self._draft_llm: llama_cpp.Llama | None = None
        self._drafter: PromptLookup | DraftModel | None = None

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self._llm is not None

    def load(self, params: LoadParams, n_ctx: int, n_threads: int, n_gpu_layers: int) -> float:
        """Open the model; returns seconds taken. Raises ModelLoadError with a user sentence."""
        self.close()
        kwargs: dict[str, Any] = {
            "model_path": str(params.path),
            "n_ctx": n_ctx,
            "n_threads": n_threads,
            "n_threads_batch": n_threads,
            "n_gpu_layers": n_gpu_layers if gpu_offload_supported() else 0,
            "n_batch": min(params.n_batch, n_ctx),
            "flash_attn": params.flash_attn,
            "use_mmap": params.use_mmap,
            "use_mlock": params.use_mlock,
            # verbose=False would redirect the whole process's stdout/stderr while loading;
            # with True, llama.cpp's lines go to our log callback and Python's to the log.
            "verbose": True,
        }
        if params.seed >= 0:
            kwargs["seed"] = params.seed
        kv_type = KV_TYPES.get(params.kv_cache_type, llama_cpp.GGML_TYPE_F16)
        if kv_type != llama_cpp.GGML_TYPE_F16:
            kwargs["type_k"] = kv_type
            if params.flash_attn:  # a quantized V cache needs flash attention
                kwargs["type_v"] = kv_type
        started = time.perf_counter()
        try:
            with contextlib.redirect_stderr(native_log.StderrToLog()):
                llm = llama_cpp.Llama(**kwargs)
        except (ValueError, RuntimeError, OSError, MemoryError) as error:
            log.exception("model load failed: %s", params.path)
            raise ModelLoadError(
                f"llama.cpp could not load {params.path.name}. The file may be damaged, or use "
                "a model type this version does not support. Details are in the log file."
            ) from error
        llm.verbose = False  # silence per-request prints on stderr; timings stay in the log
        llm.scores = score_sink(llm.n_ctx(), llm.n_vocab())
        self._llm = llm
        self.path = params.path
        llama_cpp.llama_set_abort_callback(llm._ctx.ctx, self._abort_callback, None)
        self._drafter = PromptLookup(on_draft=self._logits_for_drafts)
        if params.speculative == "draft_model" and params.draft_model:
            self._load_draft(Path(params.draft_model), kwargs)
        return time.perf_counter() - started

    def _load_draft(self, path: Path, kwargs: dict[str, Any]) -> None:
        llm = self._require()
        draft_kwargs = {**kwargs, "model_path": str(path), "seed": 0}
        try:
            with contextlib.redirect_stderr(native_log.StderrToLog()):
                draft = llama_cpp.Llama(**draft_kwargs)
        except (ValueError, RuntimeError, OSError, MemoryError) as error:
            log.exception("draft model load failed: %s", path)
            self.close()
            raise ModelLoadError(
                f"llama.cpp could not load the draft model {path.name}. Pick another draft "
                "model in Settings, or set speculative decoding to Auto."
            ) from error
        if draft.n_vocab() != llm.n_vocab():
            draft.close()
            self.close()
            raise ModelLoadError(
                f"The draft model {path.name} has another vocabulary than the model "
                f"({draft.n_vocab()} vs {llm.n_vocab()} tokens); it must be a smaller model of "
                "the same family. Pick another in Settings, or set speculative decoding to Auto."
            )
        draft.verbose = False
        draft.scores = score_sink(draft.n_ctx(), draft.n_vocab())
        self._draft_llm = draft
        self._drafter = DraftModel(draft, self._logits_for_drafts, functools.partial(_is_eog, llm))

    def _logits_for_drafts(self, drafting: bool = True) -> None:
        # The prompt is evaluated with the last position's logits only; from the first draft
        # on every position of the batch needs logits to be verified, until drafting stops.
        if self._llm is not None:
            self._llm._logits_all = drafting

    @property
    def has_draft_model(self) -> bool:
        return self._draft_llm is not None

    def close(self) -> None:
        if self._draft_llm is not None:
            draft, self._draft_llm = self._draft_llm, None
            draft.close()
        self._drafter = None
        if self._llm is not None:
            llm, self._llm = self._llm, None
            llm.close()
            del llm
            self.path = None

    def _require(self) -> llama_cpp.Llama:
        if self._llm is None:
            raise ModelLoadError("No model is loaded. Pick one in the Models pane.")
        return self._llm

    # -- facts about the loaded model ------------------------------------------------------
    def n_ctx(self) -> int:
        return int(self._require().n_ctx())

    def metadata(self) -> dict[str, str]:
        return dict(self._require().metadata)

    def special_tokens(self) -> tuple[str, str]:
        llm = self._require()
        model = llm._model
        bos, eos = model.token_bos(), model.token_eos()
        bos_text = model.token_get_text(bos) if bos != -1 else ""
        eos_text = model.token_get_text(eos) if eos != -1 else ""
        return bos_text, eos_text

    def tokenize(self, text: str, add_bos: bool = False) -> list[int]:
        return list(self._require().tokenize(text.encode("utf-8"), add_bos=add_bos, special=True))

    def vocab_has(self, token_text: str) -> bool:
        tokens = self.tokenize(token_text)
        return len(tokens) == 1

    # -- generation ------------------------------------------------------------------------
    def _should_abort(self, _data: ctypes.c_void_p) -> bool:
        return self._abort.is_set()

    def stream(
        self,
        prompt_tokens: Sequence[int],
        gen: GenParams,
        stop: Sequence[str],
        abort: threading.Event,
        speculative: bool = False,
        json_schema: str | None = None,
    ) -> Generator[str, None, StreamResult]:
        """Yield text pieces; returns a StreamResult through StopIteration.value.

        ``abort`` is checked between tokens here and, during prompt evaluation, inside
        llama.cpp through the abort callback; an abort there raises GenerationCancelled.
        ``speculative`` drafts with the prompt-lookup drafter (or the draft model when one
        is loaded). At temperature 0 the text is usually the same as without; a batch rounds a
        little differently from one-token steps, so a near tie can go the other way.
        """
        llm = self._require()
        self._abort = abort
        drafter = self._drafter if speculative else None
        llm._logits_all = False
        llm.draft_model = drafter  # type: ignore[assignment]
        if drafter is not None:
            drafter.reset()
        kwargs = completion_kwargs(gen, stop, llm.n_ctx() - len(prompt_tokens))
        if json_schema:
            kwargs["grammar"] = json_grammar(json_schema)
        pieces: Any = llm.create_completion(list(prompt_tokens), **kwargs)
        result = StreamResult()
        first = True
        try:
            for chunk in pieces:
                if first:
                    # The callback costs a Python call per graph node; only prompt
                    # evaluation is long enough to need it.
                    llama_cpp.llama_set_abort_callback(llm._ctx.ctx, _NO_ABORT_CALLBACK, None)
                    first = False
                choice = chunk["choices"][0]
                text = choice.get("text") or ""
                if text:
                    result.completion_tokens += 1
                    yield text
                if choice.get("finish_reason"):
                    result.finish_reason = str(choice["finish_reason"])
                if abort.is_set():
                    result.finish_reason = "stopped"
                    break
        except RuntimeError as error:
            if abort.is_set() and "llama_decode returned 2" in str(error):
                raise GenerationCancelled() from error
            raise
        finally:
            pieces.close()
            llm.draft_model = None
            llm._logits_all = False
            llama_cpp.llama_set_abort_callback(llm._ctx.ctx, self._abort_callback, None)
            if drafter is not None:
                result.draft_proposed, result.draft_accepted = drafter.proposed, drafter.accepted
        return result

    # -- per-conversation KV state ---------------------------------------------------------
    def state_size(self) -> int:
        """Bytes ``save_state`` would copy now (llama.cpp's upper bound)."""
        return int(llama_cpp.llama_state_get_size(self._require()._ctx.ctx))

    def save_state(self) -> SavedState:
        llm = self._require()
        ctx = llm._ctx.ctx
        size = int(llama_cpp.llama_state_get_size(ctx))
        buffer = (ctypes.c_uint8 * size)()
        written = int(llama_cpp.llama_state_get_data(ctx, buffer, size))
        if written > size:
            raise RuntimeError("llama.cpp wrote more state than it announced")
        return SavedState(llm.input_ids[: llm.n_tokens].copy(), ctypes.string_at(buffer, written))

    def load_state(self, state: SavedState) -> None:
        llm = self._require()
        data = (ctypes.c_uint8 * len(state.data)).from_buffer_copy(state.data)
        if llama_cpp.llama_state_set_data(llm._ctx.ctx, data, len(state.data)) != len(state.data):
            llm.n_tokens = 0  # whatever was in the cache is no longer known
            raise RuntimeError("llama.cpp refused the saved state")
        llm.input_ids[: state.n_tokens] = state.input_ids
        llm.n_tokens = state.n_tokens
        llm._requires_eval = True  # restored logits are not a live decode's: replay one token

    def cached_prefix(self, tokens: Sequence[int]) -> int:
        """How many of ``tokens`` the live context already holds, from the start."""
        llm = self._require()
        return common_prefix(llm.input_ids[: llm.n_tokens], tokens)

    def raw_llama(self) -> llama_cpp.Llama:
        """For the benchmark's baseline only: the same model driven without our engine."""
        return self._require()


def build_info() -> dict[str, Any]:
    """This llama.cpp build for the About dialog: version, backends (CPU, CUDA, Metal …), CPU
    features, and the raw ``llama_print_system_info`` line."""
    try:
        raw = llama_cpp.llama_print_system_info()
        system = (raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)).strip()
    except Exception:  # a build without the symbol: the rest is still worth showing
        system = ""
    return parse_system_info(system, gpu_offload_supported(), llama_cpp_version())


def _is_eog(llm: llama_cpp.Llama, token: int) -> bool:
    return bool(llama_cpp.llama_vocab_is_eog(llm._model.vocab, token))
