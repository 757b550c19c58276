"""The calculator evaluates arithmetic and nothing else."""

from __future__ import annotations

import pytest

from desktop_chat.tools.calculator import CalculatorError, evaluate


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("2 ** 10", 1024),
        ("2 ^ 10", 1024),
        ("7 // 2", 3),
        ("7 % 4", 3),
        ("-3 + +4", 1),
        ("sqrt(16)", 4.0),
        ("round(pi, 2)", 3.14),
        ("max(1, 9, 4)", 9),
        ("12.5 × 2", 25.0),
    ],
)
def test_arithmetic(expression, value):
    assert evaluate(expression) == value


@pytest.mark.parametrize(
    "expression",
    [
        "__import__('os').system('echo pwned')",
        "open('/etc/passwd').read()",
        "().__class__.__bases__[0].__subclasses__()",
        "(lambda: 1)()",
        "x + 1",
        "[1, 2, 3]",
        "'a' * 10",
        "sqrt(x=4)",
        "1 if 1 else 2",
        "True + 1",
        "",
        "1 +",
        "9 ** 9 ** 9",
        "10 ** 2000",
        "1 / 0",
        "(-8) ** 0.5",
        "1" * 600,
    ],
)
def test_everything_else_is_refused_with_a_sentence(expression):
    with pytest.raises(CalculatorError) as error:
        evaluate(expression)
    assert str(error.value).endswith(".")
