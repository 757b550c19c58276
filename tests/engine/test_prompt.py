"""Chat format choice and context budgeting, with the real SmolLM2 tokenizer."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_chat.engine.backend import Backend
from desktop_chat.engine.chat_formats import TemplateError, preview, render_named
from desktop_chat.engine.prompt import choose_format, plan_prompt
from desktop_chat.engine.types import ChatMessage, ContextOverflowError, LoadParams


@pytest.fixture(scope="module")
def backend(smollm_path: Path):
    engine = Backend()
    engine.load(LoadParams(path=smollm_path), n_ctx=512, n_threads=2, n_gpu_layers=0)
    yield engine
    engine.close()


def never(_token: str) -> bool:
    return False


def test_gguf_template_is_preferred() -> None:
    template = "{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}"
    choice = choose_format("auto", "", template, "llama", "<s>", "</s>", never)
    assert choice.source == "gguf"
    assert choice.render([ChatMessage("user", "hi")]).text == "<user>hi"


def test_broken_template_falls_back_with_a_note() -> None:
    choice = choose_format("auto", "", "{% for %}", "qwen2", "", "", never)
    assert choice.name == "chatml"
    assert "broken" in choice.note


def test_gemma_without_template_gets_gemma_not_llama2() -> None:
    choice = choose_format("auto", "", None, "gemma3", "<bos>", "<eos>", never)
    assert choice.name == "gemma"
    text = choice.render([ChatMessage("system", "Be brief."), ChatMessage("user", "Hi")]).text
    # The system prompt is folded into the first user turn, not dropped.
    assert text == "<start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\n"
    assert "[INST]" not in text


def test_unknown_architecture_uses_special_tokens() -> None:
    choice = choose_format("auto", "", None, "foo", "", "", lambda t: t == "<|eot_id|>")
    assert choice.name == "llama-3"


def test_user_choice_wins_and_custom_template_is_checked() -> None:
    assert choose_format("phi-3", "", "x", "llama", "", "", never).name == "phi-3"
    with pytest.raises(TemplateError):
        choose_format("custom", "{% if %}", None, "llama", "", "", never)
    assert "What is 2 + 2?" in preview("{% for m in messages %}{{ m.content }}\n{% endfor %}")


def test_every_named_format_keeps_earlier_turns_byte_identical() -> None:
    turn1 = [ChatMessage("system", "S"), ChatMessage("user", "a")]
    turn2 = [*turn1, ChatMessage("assistant", "b"), ChatMessage("user", "c")]
    for name in ("chatml", "llama-3", "gemma", "phi-3", "zephyr", "mistral-instruct", "llama-2"):
        first = render_named(name, turn1).text
        second = render_named(name, turn2).text
        generation_prefix = {
            "chatml": "<|im_start|>assistant\n",
            "llama-3": "<|start_header_id|>assistant<|end_header_id|>\n\n",
            "gemma": "<start_of_turn>model\n",
            "phi-3": "<|assistant|>\n",
            "zephyr": "<|assistant|>\n",
        }.get(name, "")
        assert second.startswith(first[: len(first) - len(generation_prefix)]), name


def test_history_fits_and_drops_oldest_turns(backend: Backend) -> None:
    fmt = choose_format("chatml", "", None, "llama", "", "", never)
    history = []
    for i in range(40):
        history.append(ChatMessage("user", f"Question number {i} about the weather today?"))
        history.append(ChatMessage("assistant", f"Answer number {i}: it is sunny and warm."))
    history.append(ChatMessage("user", "And tomorrow?"))
    plan = plan_prompt("You are kind.", history, fmt, backend.tokenize, 512, 128)
    assert len(plan.tokens) <= 512 - 128
    assert plan.first_kept > 0 and history[plan.first_kept].role == "user"
    assert plan.text.startswith("<|im_start|>system\nYou are kind.")
    assert plan.text.rstrip().endswith("<|im_start|>assistant")
    assert plan.notes
    # The next turn starts from the same window: its prompt extends this one.
    history += [ChatMessage("assistant", "Rain."), ChatMessage("user", "Thanks")]
    plan2 = plan_prompt(
        "You are kind.", history, fmt, backend.tokenize, 512, 128, min_start=plan.first_kept
    )
    assert plan2.first_kept == plan.first_kept
    assert plan2.text.startswith(plan.text)


def test_a_huge_message_is_shortened_not_refused(backend: Backend) -> None:
    fmt = choose_format("chatml", "", None, "llama", "", "", never)
    huge = "lorem ipsum dolor sit amet " * 2000
    plan = plan_prompt("", [ChatMessage("user", huge)], fmt, backend.tokenize, 512, 128)
    assert len(plan.tokens) <= 384
    assert "left out to fit the context window" in plan.text
    assert any("context window" in note for note in plan.notes)


def test_ask_policy_refuses_with_a_sentence(backend: Backend) -> None:
    fmt = choose_format("chatml", "", None, "llama", "", "", never)
    history = [ChatMessage("user", "word " * 600)]
    with pytest.raises(ContextOverflowError, match="no longer fits"):
        plan_prompt("", history, fmt, backend.tokenize, 512, 128, policy="ask")


def test_models_are_named_after_their_files() -> None:
    from desktop_chat.engine.worker import display_name

    assert display_name(Path("SmolLM2-135M-Instruct.Q4_1.gguf")) == "SmolLM2-135M-Instruct · Q4_1"
    assert display_name(Path("gemma-3-270m-q4_k_m.gguf")) == "gemma-3-270m-q4_k_m"
    assert display_name(Path("Qwen2.5-0.5B-Instruct-Q4_K_M.gguf")) == "Qwen2.5-0.5B-Instruct-Q4_K_M"
