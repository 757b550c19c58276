"""llama.cpp grammar text for a JSON schema: the converter's output, corrected."""

from __future__ import annotations

import json
from collections.abc import Callable

from desktop_chat.engine.json_schema import with_number_rules

# What the converter and the grammar parser raise on a schema they cannot take.
GRAMMAR_ERRORS = (ValueError, AssertionError, KeyError, TypeError, RecursionError)


def schema_gbnf(schema: str, to_gbnf: Callable[[str], str]) -> str:
    """GBNF for a (checked) JSON schema; ``to_gbnf`` is llama-cpp-python's converter."""
    converted, number_rules = with_number_rules(json.loads(schema))
    grammar = to_gbnf(json.dumps(converted))
    # The converter ignores numeric bounds; our rules stand in for placeholder constants.
    for literal, rule in number_rules.items():
        grammar = grammar.replace(literal, rule)
    # Its strings allow raw control characters (a newline), which JSON does not.
    return grammar.replace('char ::= [^"\\\\]', 'char ::= [^"\\\\\\x7F\\x00-\\x1F]')


def failure_sentence(error: BaseException) -> str:
    return (
        f"The JSON schema could not be turned into a grammar for the model ({error}). "
        "Simplify the schema and try again."
    )
