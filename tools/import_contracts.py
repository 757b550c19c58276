"""An import-linter contract for what its built-in ones cannot see: a forbidden *submodule* of an
external package (``PySide6.QtWidgets``). import-linter squashes external packages to their top
level, so a plain ``forbidden`` contract can only forbid all of PySide6; this one reads the
import lines grimp recorded and fails on the submodule alone.
"""

from __future__ import annotations

import fnmatch

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class ForbiddenExternalSubmoduleContract(Contract):
    """Only ``allowed_modules`` (fnmatch patterns) may import any of ``forbidden`` (dotted names)."""

    type_name = "forbidden_external_submodule"

    forbidden = fields.ListField(subfield=fields.StringField())
    allowed_modules = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        forbidden: list[str] = list(self.forbidden)  # type: ignore[call-overload]
        allowed: list[str] = list(self.allowed_modules)  # type: ignore[call-overload]
        roots = {name.split(".")[0] for name in forbidden}
        violations: list[str] = []
        for root in sorted(roots):
            if root not in graph.modules:
                continue
            for importer in sorted(graph.find_modules_that_directly_import(root)):
                if any(fnmatch.fnmatchcase(importer, pattern) for pattern in allowed):
                    continue
                for detail in graph.get_import_details(importer=importer, imported=root):
                    line = str(detail["line_contents"])
                    hit = next((name for name in forbidden if _names(line, name)), None)
                    if hit:
                        violations.append(f"{importer}:{detail['line_number']} imports {hit}")
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata["violations"]:
            output.print_error(line)


def _names(line: str, dotted: str) -> bool:
    """Whether an import line names ``dotted`` ("from A.B import", "import A.B", "from A import B")."""
    package, _, leaf = dotted.rpartition(".")
    words = line.replace(",", " ").replace("(", " ").split()
    if dotted in words or any(word.startswith(dotted + ".") for word in words):
        return True
    return bool(package) and line.lstrip().startswith(f"from {package} import") and leaf in words
