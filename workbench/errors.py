"""Problems found in study files, reported as `FILE:LINE: field: message`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One finding in a file. `code` names a kind of warning (e.g. `source-stale`) so tools can
    filter them; an error (the default severity) makes a file unusable, a warning does not."""

    file: str
    line: int
    field: str
    message: str
    code: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        tag = f"warning [{self.code}]: " if self.severity == "warning" else ""
        return f"{self.file}:{self.line}: {where}{tag}{self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "code": self.code or ("error" if self.severity == "error" else "warning"),
            "severity": self.severity,
            "message": self.message,
        }


class WorkbenchError(Exception):
    """A user-facing failure carrying one or more problems; never shown as a traceback."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("", 0, "", problems)]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) if p.file else p.message for p in self.problems))


class WeightsError(WorkbenchError, ValueError):
    """Weights that cannot be used (all zero); a ValueError too, for callers of the weights helpers."""


class LoadError(WorkbenchError):
    """A study file could not be read or does not fit its format."""
