"""Plain data classes for study files: criteria sets, provider profiles and scenarios.

Nothing here reads files or computes scores; `loading` builds these objects and
`study`/`evaluate` use them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

METHODS = ("weighted-sum", "weighted-product", "topsis", "promethee-ii", "vikor")
NORMALIZATIONS = ("scale", "minmax", "vector", "max", "sum", "linear")
PREFERENCE_FUNCTIONS = ("usual", "u-shape", "v-shape", "level", "linear", "gaussian")
CONFIDENCES = ("low", "medium", "high")
SOURCE_KINDS = ("official", "vendor", "press", "analysis", "reference", "community")
STATUSES = ("verified", "vendor-claim", "estimate", "assumption", "disputed")
ROLES = ("option", "reference")
DEFAULT_FRESHNESS_MONTHS = 18


@dataclass(frozen=True)
class Text:
    """A text in French and English; a plain string is stored in both."""

    en: str
    fr: str

    def get(self, lang: str = "fr") -> str:
        return self.fr if lang == "fr" else self.en

    def __str__(self) -> str:
        return self.en

    @classmethod
    def plain(cls, text: str) -> Text:
        return cls(en=text, fr=text)

    def to_data(self) -> str | dict[str, str]:
        return self.en if self.en == self.fr else {"en": self.en, "fr": self.fr}


@dataclass(frozen=True)
class Level:
    value: float
    label: Text


@dataclass(frozen=True)
class Scale:
    """Numeric `{min, max, unit}` or ordinal `{levels}`; anchors describe numeric values in words."""

    min: float
    max: float
    unit: str = ""
    levels: tuple[Level, ...] = ()
    anchors: tuple[Level, ...] = ()

    @property
    def ordinal(self) -> bool:
        return bool(self.levels)

    def label_of(self, value: float, lang: str = "fr") -> str | None:
        for level in self.levels:
            if level.value == value:
                return level.label.get(lang)
        return None

    def value_of(self, raw: Any) -> float | None:
        """Map a profile's raw value (number or level label) onto the scale, or None."""
        if isinstance(raw, bool):
            return None
        if self.levels:
            for level in self.levels:
                if isinstance(raw, str) and raw in (level.label.en, level.label.fr):
                    return level.value
                if isinstance(raw, (int, float)) and float(raw) == level.value:
                    return level.value
            return None
        if isinstance(raw, (int, float)):
            return float(raw)
        return None


@dataclass(frozen=True)
class MustHave:
    """A knock-out rule on a leaf: value >= min, value <= max, or value in a set."""

    min: float | None = None
    max: float | None = None
    allowed: tuple[float, ...] | None = None

    def passes(self, value: float) -> bool:
        if self.min is not None and value < self.min:
            return False
        if self.max is not None and value > self.max:
            return False
        return self.allowed is None or value in self.allowed

    def to_data(self) -> dict[str, Any]:
        """The rule as written in a file (`{min, max, in}`)."""
        data: dict[str, Any] = {}
        if self.min is not None:
            data["min"] = self.min
        if self.max is not None:
            data["max"] = self.max
        if self.allowed is not None:
            data["in"] = list(self.allowed)
        return data

    def describe(self) -> str:
        if self.min is not None and self.max is not None:
            return f"{self.min:g} ≤ x ≤ {self.max:g}"
        if self.min is not None:
            return f"≥ {self.min:g}"
        if self.max is not None:
            return f"≤ {self.max:g}"
        return "∈ {" + ", ".join(f"{v:g}" for v in self.allowed or ()) + "}"


@dataclass(frozen=True)
class Preference:
    """PROMETHEE preference function on a leaf (thresholds in the criterion's own units)."""

    function: str = "usual"
    q: float = 0.0
    p: float = 0.0
    s: float = 0.0


@dataclass
class Criterion:
    """A node of the criteria tree: a group (with children) or a leaf (with a scale)."""

    id: str
    name: Text
    weight: float = 1.0
    description: Text | None = None
    children: list[Criterion] = field(default_factory=list)
    direction: str = "benefit"
    scale: Scale | None = None
    must_have: MustHave | None = None
    preference: Preference | None = None
    source: str | None = None
    freshness_months: int | None = None
    line: int | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass
class CriteriaSet:
    id: str
    name: Text
    criteria: list[Criterion]
    description: Text | None = None
    providers: str | None = None
    method: str | None = None
    normalization: str | None = None
    cost_settings: dict[str, Any] = field(default_factory=dict)
    freshness_months: int | None = None
    source_policy: str | None = None
    sources: tuple[Source, ...] = ()  # the documents the set itself rests on (a framework, a law)
    path: Path | None = None
    warnings: list[Any] = field(default_factory=list)  # Problems of severity "warning" found on loading

    def nodes(self) -> list[Criterion]:
        """Every node, depth first, parents before children."""
        out: list[Criterion] = []
        stack = list(reversed(self.criteria))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out

    def leaves(self) -> list[Criterion]:
        return [n for n in self.nodes() if n.is_leaf]

    def node(self, node_id: str) -> Criterion:
        for n in self.nodes():
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def parents(self) -> dict[str, str | None]:
        """Map each node id to its parent's id (None at the top)."""
        out: dict[str, str | None] = {}

        def walk(nodes: list[Criterion], parent: str | None) -> None:
            for n in nodes:
                out[n.id] = parent
                walk(n.children, n.id)

        walk(self.criteria, None)
        return out


@dataclass(frozen=True)
class Source:
    """A cited page: its own publication date (`YYYY-MM-DD`, `YYYY-MM`, `YYYY` or "unknown"), when
    it was read, what kind of source it is, and optionally the sentence that supports the score."""

    title: str
    url: str = ""
    published: str = ""
    accessed: str = ""
    kind: str = ""
    quote: str = ""
    locator: str = ""
    line: int | None = None

    @property
    def date(self) -> str:
        """The publication date (the name of the field before sources had kinds and two dates)."""
        return self.published


@dataclass
class Score:
    """A provider's score on one leaf, with its evidence."""

    value: float | None
    rationale: Text | None = None
    sources: tuple[Source, ...] = ()
    confidence: str | None = None
    range: tuple[float, float] | None = None
    status: str | None = None
    dispute: Text | None = None
    line: int | None = None
    origin: str | None = None  # "file:line" of the profile that gave the score (composed options)

    @property
    def disputed(self) -> bool:
        return self.status == "disputed"


@dataclass
class Provider:
    id: str
    name: Text
    scores: dict[str, Score]
    kind: Text | None = None
    summary: Text | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    costs: Any = None
    role: str = "option"
    components: tuple[str, ...] = ()
    path: Path | None = None
    warnings: list[Any] = field(default_factory=list)  # Problems of severity "warning" found on loading

    @property
    def is_reference(self) -> bool:
        return self.role == "reference"


@dataclass
class Override:
    """A what-if replacement of one score, kept with the analyst's note."""

    provider: str
    criterion: str
    value: float
    note: str = ""


@dataclass
class Scenario:
    criteria: str | None = None
    providers: list[str] | None = None
    method: str | None = None
    normalization: str | None = None
    weights: dict[str, float] = field(default_factory=dict)
    notes: str = ""
    overrides: list[Override] = field(default_factory=list)
    disabled_must_haves: list[str] = field(default_factory=list)
    cost_settings: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    include_references: bool = False
    must_haves: dict[str, MustHave] = field(default_factory=dict)  # rules added or replaced by the scenario
    path: Path | None = None
