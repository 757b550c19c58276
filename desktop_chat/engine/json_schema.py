"""JSON Schemas for constrained answers: check one before generation, and check an answer."""

from __future__ import annotations

import json
import math
import re
from typing import Any

# Keywords llama.cpp's grammar conversion cannot express: it would silently ignore them.
UNSUPPORTED = (
    "patternProperties",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "dependencies",
    "if",
    "then",
    "else",
    "not",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
    "unevaluatedProperties",
    "unevaluatedItems",
    "multipleOf",
    "minProperties",
    "maxProperties",
    "$dynamicRef",
    "$recursiveRef",
)
# Subschemas sit under these; everything else is a value (enum, const, default, examples…).
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMA_MAPS = ("properties", "$defs", "definitions")
_SCHEMA_VALUES = ("items", "additionalProperties")
_MAX_SCHEMA_CHARS = 200_000


class SchemaError(ValueError):
    """A schema that cannot constrain an answer; str() is a sentence naming the problem."""


def load_schema(text: str) -> dict[str, Any]:
    """Parse and check a schema; raises SchemaError (a sentence) when it cannot be used."""
    if len(text) > _MAX_SCHEMA_CHARS:
        raise SchemaError(
            f"The JSON schema is {len(text):,} characters long; up to {_MAX_SCHEMA_CHARS:,} "
            "can constrain an answer."
        )
    try:
        schema = json.loads(text)
    except ValueError as error:
        raise SchemaError(
            f"The JSON schema is not valid JSON ({error}). Fix it and try again."
        ) from None
    if not isinstance(schema, dict):
        raise SchemaError('The JSON schema must be a JSON object, like {"type": "object"}.')
    check_schema(schema)
    with_number_rules(schema)  # raises for bounds the grammar cannot hold
    return schema


def check_schema(schema: dict[str, Any], where: str = "") -> None:
    """Raise SchemaError naming the first keyword the grammar cannot express."""
    for keyword in UNSUPPORTED:
        if keyword in schema:
            place = f" (at {where})" if where else ""
            raise SchemaError(
                f"The JSON schema uses “{keyword}”{place}, which constrained generation does "
                "not support. Remove it, or describe the rule in the prompt instead."
            )
    ref = schema.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#"):
        raise SchemaError(
            f"The JSON schema refers to “{ref}”, outside itself; only local references "
            "(#/$defs/…) work offline."
        )
    for key in _SCHEMA_LISTS:
        for index, sub in enumerate(_as_list(schema.get(key))):
            if isinstance(sub, dict):
                check_schema(sub, f"{where}/{key}/{index}")
    for key in _SCHEMA_MAPS:
        subs = schema.get(key)
        if isinstance(subs, dict):
            for name, sub in subs.items():
                if isinstance(sub, dict):
                    check_schema(sub, f"{where}/{key}/{name}")
    for key in _SCHEMA_VALUES:
        sub = schema.get(key)
        if isinstance(sub, dict):
            check_schema(sub, f"{where}/{key}")


def _as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


# -- numeric bounds: llama-cpp-python's converter drops them, so they become our own rules ----
_MAX_INTEGER_SPAN = 256
_FRACTION = '("." [0-9] [0-9]? [0-9]?)?'
_NATURAL = '("0" | [1-9] [0-9]? [0-9]? [0-9]? [0-9]? [0-9]? [0-9]? [0-9]? [0-9]?)'


def with_number_rules(schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """``schema`` with each bounded number replaced by a placeholder constant, and the GBNF
    that replaces each placeholder's literal in the converted grammar.

    Bounds it can hold: numbers from 0 to 1, numbers or integers from 0 up, integers in a
    range of up to 256 values. Others raise SchemaError naming the keyword."""
    rules: dict[str, str] = {}

    def visit(node: Any, at: str) -> Any:
        if isinstance(node, list):
            return [visit(item, f"{at}/{i}") for i, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        if any(k in node for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")):
            rule = _number_rule(node, at)
            placeholder = f"__bounded_number_{len(rules)}__"
            rules[json.dumps(json.dumps(placeholder))] = rule
            return {"const": placeholder}
        return {
            key: (value if key in ("enum", "const", "default", "examples") else visit(value, at))
            for key, value in node.items()
        }

    return visit(schema, ""), rules


def _number_rule(node: dict[str, Any], at: str) -> str:
    place = f" (at {at})" if at else ""
    for keyword in ("exclusiveMinimum", "exclusiveMaximum"):
        if keyword in node:
            raise SchemaError(
                f"The JSON schema uses “{keyword}”{place}, which constrained generation does "
                "not support. Use minimum and maximum instead."
            )
    kind = node.get("type")
    low, high = node.get("minimum"), node.get("maximum")
    if kind == "number" and low == 0 and high == 1:
        return f'("0" {_FRACTION} | "1" (".0")?) space'
    if kind in ("number", "integer") and low == 0 and high is None:
        return f"{_NATURAL} {_FRACTION if kind == 'number' else ''} space"
    if (
        kind == "integer"
        and isinstance(low, int)
        and isinstance(high, int)
        and 0 <= high - low < _MAX_INTEGER_SPAN
    ):
        return "(" + " | ".join(f'"{n}"' for n in range(low, high + 1)) + ") space"
    keyword = "maximum" if "maximum" in node else "minimum"
    raise SchemaError(
        f"The JSON schema uses “{keyword}”{place} with bounds constrained generation cannot "
        "hold; it can hold numbers from 0 to 1, from 0 up, and whole numbers in a range of up "
        f"to {_MAX_INTEGER_SPAN}."
    )


# -- checking an answer against the subset the grammar enforces (and numeric bounds) -------
_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v),
}


def problems(value: Any, schema: dict[str, Any], root: dict[str, Any] | None = None) -> list[str]:
    """Where ``value`` breaks ``schema``, as short phrases; empty when it conforms.

    Covers what answers here use: type, enum, const, properties, required,
    additionalProperties, items, min/maxItems, min/maxLength, pattern, minimum, maximum,
    anyOf/oneOf/allOf and local $ref."""
    return _check(value, schema, root or schema, "$")


def _check(value: Any, schema: dict[str, Any], root: dict[str, Any], at: str) -> list[str]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#"):
        target: Any = root
        for part in ref.lstrip("#/").split("/") if ref != "#" else []:
            target = target.get(part, {}) if isinstance(target, dict) else {}
        return _check(value, target if isinstance(target, dict) else {}, root, at)
    found: list[str] = []
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else []
    if kinds and not any(_TYPES.get(k, lambda _v: True)(value) for k in kinds):
        return [f"{at} should be {' or '.join(kinds)}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{at} should be one of {json.dumps(schema['enum'], ensure_ascii=False)}")
    if "const" in schema and value != schema["const"]:
        found.append(f"{at} should be {json.dumps(schema['const'], ensure_ascii=False)}")
    for key in ("anyOf", "oneOf"):
        options = [s for s in _as_list(schema.get(key)) if isinstance(s, dict)]
        if options and all(_check(value, s, root, at) for s in options):
            found.append(f"{at} matches none of the {key} choices")
    for sub in _as_list(schema.get("allOf")):
        if isinstance(sub, dict):
            found += _check(value, sub, root, at)
    if isinstance(value, dict):
        found += _check_object(value, schema, root, at)
    elif isinstance(value, list):
        found += _check_array(value, schema, root, at)
    elif isinstance(value, str):
        if len(value) < int(schema.get("minLength", 0)):
            found.append(f"{at} is shorter than {schema['minLength']} characters")
        if "maxLength" in schema and len(value) > int(schema["maxLength"]):
            found.append(f"{at} is longer than {schema['maxLength']} characters")
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and re.search(pattern, value) is None:
            found.append(f"{at} does not match {pattern}")
    elif _TYPES["number"](value):
        if "minimum" in schema and value < schema["minimum"]:
            found.append(f"{at} is below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            found.append(f"{at} is above {schema['maximum']}")
    return found


def _check_object(
    value: dict[str, Any], schema: dict[str, Any], root: dict[str, Any], at: str
) -> list[str]:
    required = _as_list(schema.get("required"))
    found = [f"{at}.{name} is missing" for name in required if name not in value]
    properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        sub = properties.get(name) if properties else None
        if isinstance(sub, dict):
            found += _check(item, sub, root, f"{at}.{name}")
        elif extra is False:
            found.append(f"{at}.{name} is not allowed")
        elif isinstance(extra, dict):
            found += _check(item, extra, root, f"{at}.{name}")
    return found


def _check_array(
    value: list[Any], schema: dict[str, Any], root: dict[str, Any], at: str
) -> list[str]:
    found = []
    if len(value) < int(schema.get("minItems", 0)):
        found.append(f"{at} has fewer than {schema['minItems']} items")
    if "maxItems" in schema and len(value) > int(schema["maxItems"]):
        found.append(f"{at} has more than {schema['maxItems']} items")
    items = schema.get("items")
    if isinstance(items, dict):
        for index, item in enumerate(value):
            found += _check(item, items, root, f"{at}[{index}]")
    return found
