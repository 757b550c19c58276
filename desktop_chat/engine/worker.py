"""EngineWorker: the one QObject, on its own QThread, that creates, calls and closes the model."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from desktop_chat.engine import backend as backend_module
from desktop_chat.engine import tool_prompt
from desktop_chat.engine.backend import Backend, StreamResult
from desktop_chat.engine.chat_formats import TemplateError
from desktop_chat.engine.chat_states import MIB, ChatStates
from desktop_chat.engine.json_schema import SchemaError, load_schema
from desktop_chat.engine.prompt import FormatChoice, PromptPlan, choose_format, plan_prompt
from desktop_chat.engine.speculative import wants_prompt_lookup
from desktop_chat.engine.thinking import apply_thinking, template_variables
from desktop_chat.engine.types import (
    ChatMessage,
    ChatRequest,
    ContextOverflowError,
    EngineError,
    GenerationCancelled,
    GenerationStats,
    GenParams,
    LoadParams,
    ModelInfo,
    ModelLoadError,
    PromptInfo,
    StopReason,
    opens_thinking,
)
from desktop_chat.models.gguf_info import GGUFInfo, InvalidModelFile, read_gguf_info
from desktop_chat.settings import physical_cores

log = logging.getLogger(__name__)

DEFAULT_N_CTX = 4096
# Batch tokens so a fast model does not flood the GUI event queue: each chunk wakes the GUI
# thread, which on two cores takes the CPU from a llama.cpp thread. 50 ms (20 updates a second,
# the first token at once) measured 1.10 of raw llama-cpp-python vs 0.97 at 16 ms (median of 4
# paired rounds, loaded 2-core VM: noisy, but never worse).
CHUNK_INTERVAL_S = 0.05


@dataclass(frozen=True)
class TextRequest:
    """Plain text to continue, no chat format (the API's /v1/completions)."""

    prompt: str
    gen: GenParams = field(default_factory=GenParams)
    conversation_key: str = ""


def resolve_n_ctx(requested: int, trained: int | None) -> int:
    """0 means "4096, or the model's trained maximum if smaller"; never above the trained max."""
    limit = trained or DEFAULT_N_CTX
    wanted = requested if requested > 0 else DEFAULT_N_CTX
    return max(256, min(wanted, limit)) if limit >= 256 else limit


def display_name(path: Path) -> str:
    """The file's own name, which users recognise ("SmolLM2-135M-Instruct · Q4_1").

    A GGUF's general.name is often a training-run label ("Smollm2 135M 8k Lc100K Mix1 Ep2").
    """
    stem = path.name.removesuffix(".gguf").removesuffix(".GGUF")
    base, dot, quant = stem.rpartition(".")
    return (
        f"{base} · {quant}"
        if dot and base and quant.upper().startswith(("Q", "IQ", "F", "BF"))
        else stem
    )


def auto_gpu_layers(meta: GGUFInfo, n_ctx: int = DEFAULT_N_CTX) -> int:
    """As many layers as fit in free VRAM (NVML) with their KV cache; all when unknown."""
    from desktop_chat.models import fit

    return fit.auto_gpu_layers(meta, n_ctx, fit.vram_free())


def _checked_schema(request: ChatRequest | TextRequest) -> str | None:
    """The request's JSON schema, checked; raises EngineError naming what cannot work."""
    schema = getattr(request, "json_schema", None)
    if not schema:
        return None
    try:
        load_schema(schema)
    except SchemaError as error:
        raise EngineError(str(error)) from None
    return str(schema)


class EngineWorker(QObject):
    """Runs every llama.cpp call. Each request ends with exactly one terminal signal."""

    model_loading = Signal(int, str)
    model_loaded = Signal(int, object)  # ModelInfo
    model_load_failed = Signal(int, str)
    model_unloaded = Signal()
    started = Signal(int, object)  # PromptInfo
    chunk = Signal(int, str)
    finished = Signal(int, object)  # GenerationStats
    failed = Signal(int, str)
    cancelled = Signal(int, object)  # GenerationStats
    # Emitted just before ``failed`` when the "ask" policy refused an over-long prompt, so
    # the GUI can offer to drop old turns without reading the sentence.
    context_full = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self._backend = Backend()
        self._info: ModelInfo | None = None
        self._format: FormatChoice | None = None
        self.chat_states = ChatStates(self._backend, self._state_budget)
        self._params: LoadParams | None = None

    # -- loading ---------------------------------------------------------------------------
    @Slot(int, object)
    def load(self, request_id: int, params: LoadParams) -> None:
        self.model_loading.emit(request_id, str(params.path))
        try:
            info = self._load(params)
        except (EngineError, InvalidModelFile, TemplateError) as error:
            self._info = None
            self.model_load_failed.emit(request_id, str(error))
        except Exception as error:  # never let a load take the app down
            log.exception("unexpected load failure")
            self._info = None
            self.model_load_failed.emit(request_id, f"The model could not be loaded: {error}")
        else:
            self.model_loaded.emit(request_id, info)

    def _load(self, params: LoadParams) -> ModelInfo:
        self._unload()
        if not params.path.is_file():
            raise ModelLoadError(
                f"The model file {params.path} is missing. Pick another model in the Models pane."
            )
        meta: GGUFInfo = read_gguf_info(params.path)
        n_ctx = resolve_n_ctx(params.n_ctx, meta.context_length)
        n_threads = params.n_threads or physical_cores()
        gpu_ok = backend_module.gpu_offload_supported()
        n_gpu_layers = self._resolve_gpu_layers(params.n_gpu_layers, meta, gpu_ok, n_ctx)
        seconds = self._backend.load(params, n_ctx, n_threads, n_gpu_layers)
        self._params = params
        bos, eos = self._backend.special_tokens()
        try:
            fmt = choose_format(
                params.chat_format,
                params.custom_template,
                meta.chat_template,
                meta.architecture,
                bos,
                eos,
                self._backend.vocab_has,
            )
        except TemplateError:
            self._backend.close()
            raise
        if fmt.note:
            log.warning("%s: %s", params.path.name, fmt.note)
        self._format = fmt
        self._info = ModelInfo(
            path=params.path,
            name=display_name(params.path),
            architecture=meta.architecture,
            n_ctx=self._backend.n_ctx(),
            n_ctx_train=meta.context_length or 0,
            chat_format=fmt.name,
            template_source=fmt.source,
            gpu_offload_supported=gpu_ok,
            n_gpu_layers=n_gpu_layers,
            load_seconds=seconds,
            format_note=fmt.note,
        )
        log.info("loaded %s: %s", params.path, self._info)
        return self._info

    @staticmethod
    def _resolve_gpu_layers(requested: int, meta: GGUFInfo, gpu_ok: bool, n_ctx: int) -> int:
        if not gpu_ok:
            return 0
        if requested >= 0:
            return requested
        return auto_gpu_layers(meta, n_ctx)

    def _unload(self) -> None:
        if self._backend.loaded:
            self._backend.close()
            self.chat_states.clear()
            self._info = None
            self.model_unloaded.emit()

    @Slot()
    def unload(self) -> None:
        self._unload()

    # -- generation ------------------------------------------------------------------------
    @Slot(int, object, object)
    def generate(
        self, request_id: int, request: ChatRequest | TextRequest, abort: threading.Event
    ) -> None:
        stats = GenerationStats()
        terminal: tuple[str, Any] = ("failed", "Generation failed.")
        buffer: list[str] = []
        try:
            if abort.is_set():
                stats.stop_reason = StopReason.STOPPED
                terminal = ("cancelled", stats)
                return
            if self._info is None or self._format is None:
                raise ModelLoadError("No model is loaded yet. Pick one in the Models pane.")
            request = self._with_thinking(request, self._format)
            request = self._with_tools(request, self._format)
            plan = self._plan(request, self._info, self._format)
            self.chat_states.switch(request.conversation_key, plan.tokens)
            stats.prompt_tokens = len(plan.tokens)
            stats.dropped_messages = plan.first_kept
            stats.notes = list(plan.notes)
            self.started.emit(
                request_id,
                PromptInfo(
                    len(plan.tokens),
                    self._info.n_ctx,
                    plan.first_kept,
                    tuple(plan.notes),
                    opens_thinking(plan.text),
                ),
            )
            began = time.perf_counter()
            last_emit = 0.0
            schema = _checked_schema(request)
            stream = self._backend.stream(
                plan.tokens,
                request.gen,
                plan.stop,
                abort,
                self._speculative(request) and schema is None,
                json_schema=schema,
            )
            result = StreamResult()
            while True:
                try:
                    piece = next(stream)
                except StopIteration as done:
                    result = done.value or result
                    break
                now = time.perf_counter()
                if not stats.ttft_s:
                    stats.ttft_s = now - began
                buffer.append(piece)
                if now - last_emit >= CHUNK_INTERVAL_S:
                    self.chunk.emit(request_id, "".join(buffer))
                    buffer.clear()
                    last_emit = now
            if buffer:
                self.chunk.emit(request_id, "".join(buffer))
                buffer.clear()
            stats.total_s = time.perf_counter() - began
            stats.completion_tokens = result.completion_tokens
            generating = stats.total_s - stats.ttft_s
            if stats.completion_tokens > 1 and generating > 0:
                stats.tokens_per_s = (stats.completion_tokens - 1) / generating
            if result.finish_reason == "stopped" or abort.is_set():
                stats.stop_reason = StopReason.STOPPED
                terminal = ("cancelled", stats)
            else:
                stats.stop_reason = (
                    StopReason.LENGTH if result.finish_reason == "length" else StopReason.DONE
                )
                terminal = ("finished", stats)
        except GenerationCancelled:
            stats.stop_reason = StopReason.STOPPED
            terminal = ("cancelled", stats)
        except ContextOverflowError as error:
            self.context_full.emit(request_id)
            terminal = ("failed", str(error))
        except (EngineError, TemplateError) as error:
            terminal = ("failed", str(error))
        except Exception as error:
            log.exception("generation failed")
            terminal = ("failed", f"Generation failed: {error}. Details are in the log file.")
        finally:
            if buffer:
                self.chunk.emit(request_id, "".join(buffer))
            kind, payload = terminal
            if kind == "finished":
                self.finished.emit(request_id, payload)
            elif kind == "cancelled":
                self.cancelled.emit(request_id, payload)
            else:
                self.failed.emit(request_id, payload)

    def _plan(
        self, request: ChatRequest | TextRequest, info: ModelInfo, fmt: FormatChoice
    ) -> PromptPlan:
        reserve = min(request.gen.max_tokens, info.n_ctx // 4)
        if isinstance(request, TextRequest):
            tokens = self._backend.tokenize(request.prompt, add_bos=True)
            if len(tokens) + 1 > info.n_ctx:
                raise ContextOverflowError(
                    f"The prompt is {len(tokens)} tokens long; the model's context holds "
                    f"{info.n_ctx}."
                )
            return PromptPlan(request.prompt, tokens, (), 0)
        return plan_prompt(
            request.system,
            request.history,
            fmt,
            self._backend.tokenize,
            info.n_ctx,
            reserve,
            request.policy,
            request.min_start,
            request.continue_last,
        )

    @staticmethod
    def _with_thinking(request: Any, fmt: FormatChoice) -> Any:
        """Thinking on/off as the template understands it (a variable, or /no_think)."""
        mode = getattr(request, "thinking", "auto")
        source = fmt.template.source if fmt.template is not None else ""
        if fmt.template is not None:
            fmt.template.variables = template_variables(mode, source)
        return apply_thinking(request, source) if isinstance(request, ChatRequest) else request

    @staticmethod
    def _with_tools(request: Any, fmt: FormatChoice) -> Any:
        """Tools through the model's own template where it renders them, else written out
        (after _with_thinking, which resets the template's variables)."""
        if not isinstance(request, ChatRequest):
            return request
        tools = tool_prompt.parse_tools(request.tools)
        template = fmt.template
        if template is not None and tool_prompt.handles_tools(template.source):
            if tools:
                template.variables["tools"] = tools
            if not tools and not tool_prompt.needs_flattening(request.history):
                return request
            head = [ChatMessage("system", request.system)] if request.system.strip() else []
            try:  # e.g. Llama 3.1's template refuses two calls in one turn: write them out
                template.render([*head, *request.history])
                return request
            except TemplateError as error:
                log.info("the template's own tool format failed (%s); writing tools out", error)
                template.variables.pop("tools", None)
        if not tools and not tool_prompt.needs_flattening(request.history):
            return request
        system, history = tool_prompt.flatten(request.system, request.history, tools)
        return replace(request, system=system, history=history)

    def _speculative(self, request: Any) -> bool:
        """Draft for this request? A chat request has system and history; a text one, prompt."""
        mode = self._params.speculative if self._params is not None else "off"
        if self._backend.has_draft_model:
            return mode == "draft_model"
        return wants_prompt_lookup(
            mode,
            getattr(request, "system", ""),
            getattr(request, "history", ()),
            getattr(request, "prompt", ""),
        )

    @property
    def state_cache_bytes(self) -> int:
        """What the saved states of recent chats hold now (the benchmark reports it)."""
        return self.chat_states.nbytes

    def _state_budget(self) -> int:
        return (self._params.state_cache_mb if self._params is not None else 0) * MIB

    @Slot()
    def close(self) -> None:
        """Free the model; called (blocking) by the client before the thread quits."""
        self._unload()

    @property
    def backend(self) -> Backend:
        return self._backend
