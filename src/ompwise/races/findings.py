"""What the race checks report: one finding, and the report of one file."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    line: int
    column: int
    variable: str
    check: str  # 'static' or 'archer'

    def to_json(self) -> dict:
        return {"code": self.code, "message": self.message, "line": self.line, "column": self.column,
                "variable": self.variable, "check": self.check}


@dataclass
class RaceReport:
    path: str
    findings: list[Finding] = field(default_factory=list)
    dynamic: str = "not run"  # 'clean', 'race', 'not run', 'no main', 'build failed: ...', 'timeout'
    errors: list[str] = field(default_factory=list)

    @property
    def race(self) -> bool:
        # a malformed pragma (PRAGMA-INVALID) is a finding, not a race
        return any(f.code.startswith("RACE-") for f in self.findings)

    def to_json(self) -> dict:
        return {"path": self.path, "race": self.race, "findings": [f.to_json() for f in self.findings],
                "dynamic": self.dynamic, "errors": self.errors}
