"""Chat templates are foreign code: a hostile one ends in a sentence, a real one still renders."""

from __future__ import annotations

import threading

import pytest

from desktop_chat.engine import template_budget
from desktop_chat.engine.chat_formats import (
    MAX_TEMPLATE_CHARS,
    SAMPLE_CONVERSATION,
    JinjaTemplate,
    TemplateError,
    preview,
)
from desktop_chat.engine.types import ChatMessage

NESTED_LOOP = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
PERCENT_BOMB = "{{ '%0999999999d' % 1 }}"
HUGE_STRING = "{{ 'x' * 100000000 }}"

# Shaped like the templates real GGUF files carry (Qwen 2.5, Llama 3.1, SmolLM2): namespaces,
# reversed slices, loop variables, selectattr, tojson, string methods, strftime_now.
RICH_TEMPLATE = """\
{%- set ns = namespace(last_user=-1, system='') -%}
{%- for message in messages[::-1] -%}
  {%- if message.role == 'user' and ns.last_user == -1 -%}
    {%- set ns.last_user = messages|length - 1 - loop.index0 -%}
  {%- endif -%}
{%- endfor -%}
{%- set systems = messages|selectattr('role', 'equalto', 'system')|list -%}
{%- if systems %}{% set ns.system = systems[0].content|trim %}{% endif -%}
<|system|>{{ ns.system ~ ' (' ~ strftime_now('%Y')|length ~ ')' }}{{ {'n': messages|length}|tojson }}
{% for message in messages if message.role != 'system' -%}
<|{{ message.role }}|>{{ message.content.split(' ')|join(' ')|replace('  ', ' ') }}\
{{ '*' if loop.index0 == ns.last_user - 1 else '' }}{{ '%s' % eos_token }}
{% endfor -%}
{%- if add_generation_prompt %}<|assistant|>{% endif -%}"""
RICH_EXPECTED = (
    '<|system|>You are a helpful assistant. (4){"n": 4}\n'
    "<|user|>Hello!</s>\n"
    "<|assistant|>Hi! How can I help?</s>\n"
    "<|user|>What is 2 + 2?*</s>\n"
    "<|assistant|>"
)
SMOLLM_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM, trained by Hugging "
    "Face<|im_end|>\\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + "
    "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
NO_SYSTEM_TEMPLATE = (
    "{% if messages[0].role == 'system' %}{{ raise_exception('System role not supported') }}"
    "{% endif %}{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}"
)


def refusal(source: str, **kwargs) -> str:
    with pytest.raises(TemplateError) as caught:
        preview(source, **kwargs)
    return str(caught.value)


def test_a_loop_inside_a_loop_is_stopped_with_a_sentence() -> None:
    sentence = refusal(NESTED_LOOP)
    assert sentence.startswith("The chat template was stopped")
    assert "steps" in sentence and "Choose another chat format" in sentence


def test_the_percent_format_bomb_is_a_sentence_not_a_memory_error() -> None:
    sentence = refusal(PERCENT_BOMB)
    assert "longer than" in sentence and "characters" in sentence


def test_a_huge_string_is_refused_before_it_is_built() -> None:
    assert "longer than" in refusal(HUGE_STRING)


@pytest.mark.parametrize(
    "source",
    [
        # doubled by ~ and by + through a namespace, thirty times over
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
        "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}",
        "{{ 'x'|center(1000000000) }}",
        "{{ 'x'.ljust(1000000000) }}",
        "{{ '{:>999999999}'.format(1) }}",
        "{{ '{:>{w}}'.format(1, w=999999999) }}",
        "{{ ('%999999d' * 1000) % ((1,) * 1000) }}",
        "{{ ('x' * 100000).replace('', 'yyyyyyyyyyyyyyyy') }}",
        "{{ ('x' * 100000)|replace('', 'yyyyyyyyyyyyyyyy') }}",
        "{{ ('\\n' * 100000)|indent(1000) }}",
        "{% set s = 'x' * 900000 %}{{ ([s] * 1000)|join }}",
        "{% set s = 'x' * 900000 %}{{ [s] * 1000 }}",
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}",
        "{{ [1] * 1000|tojson(indent=1000000) }}",
    ],
)
def test_every_way_of_growing_text_is_capped(source: str) -> None:
    assert refusal(source).startswith("The chat template was stopped")


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("{{ 2 ** 100000000 }}", "bits"),
        ("{{ range(10 ** 9)|length }}", "range of 1,000,000,000"),
        ("{% for i in range(100000) %}{{ range(100000)|sum }}{% endfor %}", "steps"),
        (
            "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}"
            "{% endmacro %}{{ f(40) }}",
            "steps",
        ),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "calls itself"),
    ],
)
def test_work_without_output_is_bounded_too(source: str, words: str) -> None:
    assert words in refusal(source)


def test_the_deadline_stops_a_render_that_is_within_its_step_budget() -> None:
    template = JinjaTemplate("{% for i in range(5000) %}{% endfor %}ok", time_limit_s=0)
    with pytest.raises(TemplateError, match="stopped after 0 seconds"):
        template.render(SAMPLE_CONVERSATION)
    assert JinjaTemplate(template.source).render(SAMPLE_CONVERSATION).text == "ok"


def test_a_cancelled_preview_stops() -> None:
    cancel = threading.Event()
    cancel.set()
    assert refusal(NESTED_LOOP, cancel=cancel) == "The chat template check was cancelled."


def test_a_template_larger_than_any_real_one_is_refused_before_compiling() -> None:
    sentence = refusal("x" * (MAX_TEMPLATE_CHARS + 1))
    assert "not a real chat template" in sentence


def test_nesting_too_deep_to_compile_is_a_sentence() -> None:
    assert refusal("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}").startswith(
        "The chat template does not compile"
    )


def test_real_templates_still_render_exactly() -> None:
    assert preview(RICH_TEMPLATE) == RICH_EXPECTED
    assert preview(SMOLLM_TEMPLATE) == (
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
        "<|im_start|>user\nHello!<|im_end|>\n"
        "<|im_start|>assistant\nHi! How can I help?<|im_end|>\n"
        "<|im_start|>user\nWhat is 2 + 2?<|im_end|>\n"
        "<|im_start|>assistant\n"
    )


def test_a_template_that_refuses_a_system_role_gets_it_folded() -> None:
    text = preview(NO_SYSTEM_TEMPLATE)
    assert text.startswith("[user] You are a helpful assistant.\n\nHello!\n")


def test_limits_grow_with_the_conversation() -> None:
    """A message of several megabytes still renders: the caps scale with what is rendered."""
    big = "word " * (template_budget.SIZE_BASE // 2)
    messages = [ChatMessage("user", big), ChatMessage("assistant", big), ChatMessage("user", big)]
    text = JinjaTemplate(SMOLLM_TEMPLATE).render(messages).text
    assert text.count(big) == 3


def test_limits_do_not_leak_into_the_next_render() -> None:
    template = JinjaTemplate(RICH_TEMPLATE, eos_token="</s>")
    with pytest.raises(TemplateError):
        preview(NESTED_LOOP)
    for _ in range(3):
        assert template.render(SAMPLE_CONVERSATION).text == RICH_EXPECTED
    assert getattr(template_budget.STATE, "budget", None) is None
