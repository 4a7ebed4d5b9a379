"""The report's data: plain dataclasses, one per section, filled by `building.build_report`.

Texts are plain (cleaned of control characters, not escaped) and numbers are floats; the JSON
format is these dataclasses as they are (`Report.to_json`). What each chapter shows on a page
(sentences and tables) is `Report.document`, built from this data once (`contents.py`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .document import Document

JSON_FORMAT = "workbench-report/1"


@dataclass
class SourceRef:
    """An entry of the reference list; `url` is kept only when it is http(s).

    `date` is the page's own publication date as the profile gives it; `kind` the kind of source
    (the profile's, else the source policy's default for the domain; "" when neither says);
    `brief` is kind and date in words, shown next to each score citing it; `text` the whole entry
    in words (`workbench.evidence.source_line`).
    """

    number: int
    title: str
    url: str
    date: str
    kind: str = ""
    accessed: str = ""
    brief: str = ""
    text: str = ""


@dataclass
class WeightRow:
    id: str
    name: str
    depth: int
    parent: str | None
    is_leaf: bool
    raw_weight: float
    local_share: float
    global_share: float
    changed: bool
    direction: str
    scale: str
    must_have: str


@dataclass
class Failure:
    criterion: str
    name: str
    required: str
    actual: float


@dataclass
class RankRow:
    rank: int
    id: str
    name: str
    score: float
    eligible: bool
    failed: list[Failure]
    missing: list[str]
    overridden: list[str]
    contributions: dict[str, float]


@dataclass
class Cell:
    """One provider's score on one leaf, with its evidence. `normalized` is the value the method
    read after normalisation; None when the method read raw values (see `Report.normalization`)."""

    provider: str
    criterion: str
    value: float | None
    display: str
    normalized: float | None
    rationale: str
    confidence: str | None
    sources: list[int]
    disputed: bool
    range: list[float] | None
    missing: bool
    overridden: bool
    note: str
    status: str | None = None  # verified | vendor-claim | estimate | assumption | disputed
    origin: str = ""  # "file:line" of a component that gave a composed option's score
    reference: bool = False  # a reference model's score (never ranked)


@dataclass
class Assumption:
    kind: str  # override | disabled_must_have | weight | missing | cost_setting | unpriced
    text: str


@dataclass
class CostRow:
    id: str
    name: str
    npv: float
    total: float
    p10: float | None
    p50: float | None
    p90: float | None


@dataclass
class CostSection:
    """TCO per option, cheapest first (an option that could not be priced is an assumption)."""

    currency: str
    horizon: int
    discount_rate: float
    samples: int
    seed: int | None
    rows: list[CostRow]


@dataclass
class ThresholdRow:
    """How far one leaf's weight can move before another option leads, in plain words (`text`)."""

    criterion: str
    current: float
    lower: float | None
    upper: float | None
    leader_below: str | None
    leader_above: str | None
    text: str


@dataclass
class RobustnessSection:
    """SMAA-2 rank acceptability and flip thresholds. `error` is a sentence saying what could
    not be computed (the whole analysis, or only its verdict); the rest is then partial or empty."""

    samples: int = 0
    seed: int = 0
    weights_model: str = ""
    scores_model: str = ""
    standard_error: float | None = None
    leader: str | None = None
    verdict: list[str] = field(default_factory=list)
    acceptability: dict[str, list[float]] = field(default_factory=dict)
    flip_thresholds: list[ThresholdRow] = field(default_factory=list)
    error: str = ""


@dataclass
class WorkshopSection:
    """Facts ([label, value]) and a per-criterion table: `columns` are aggregate names (mean,
    geometric, median, weights) and "sd"; each row is [criterion name, value per column]."""

    facts: list[list[Any]]
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class LoadProblem:
    """A profile (or other study file) that could not be read: its option is not in the report."""

    file: str
    line: int
    field: str
    message: str


@dataclass
class CoverageRow:
    """Evidence coverage of one profile (`workbench.evidence.study_coverage`)."""

    id: str
    name: str
    role: str  # option | reference | component
    scores: int
    missing: int
    share_verified: float
    share_official: float
    assumptions: int
    median_source_age_months: float | None
    stale: int
    undated: int
    padded: int


@dataclass
class EvidenceSection:
    """The study's evidence quality on `date`: totals over every profile, then one row each."""

    date: str
    profiles: int
    scores: int
    share_verified: float
    share_official: float
    assumptions: int
    stale: int
    undated: int
    padded: int
    rows: list[CoverageRow]
    legend: str


@dataclass
class ReversalSection:
    """The rank-reversal audit (`workbench.robustness.rank_reversal`) and its plain sentences.

    `removals` and `dominated_copies` are as in the audit's JSON (`removed` / `copy_of` and
    `flipped_pairs`); `error` says why the audit could not run (the rest is then empty)."""

    method: str = ""
    normalization: str | None = None
    degradation: float = 0.0
    count: int = 0
    removals: list[dict[str, Any]] = field(default_factory=list)
    dominated_copies: list[dict[str, Any]] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    error: str = ""


@dataclass
class InputFile:
    role: str
    path: str
    sha256: str


@dataclass
class Report:
    lang: str
    title: str
    date: str
    generated_at: str
    study_id: str
    study_name: str
    study_description: str
    scenario_title: str
    scenario_notes: str
    method: str
    method_name: str
    method_explanation: str
    normalization: str | None
    normalization_name: str
    normalization_explanation: str
    higher_is_better: bool
    providers: list[dict[str, str]]
    criteria: list[dict[str, Any]]
    weights: list[WeightRow]
    ranking: list[RankRow]
    matrix: list[Cell]
    references: list[SourceRef]
    assumptions: list[Assumption]
    costs: CostSection | None
    robustness: RobustnessSection | None
    workshop: WorkshopSection | None
    details: dict[str, Any]
    version: str
    inputs: list[InputFile]
    scenario_yaml: str
    reference_models: list[RankRow] = field(default_factory=list)
    load_problems: list[LoadProblem] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    evidence: EvidenceSection | None = None
    rank_reversal: ReversalSection | None = None
    additive: bool = True  # the method's score is a sum of per-criterion contributions
    charts_left_out: list[str] = field(default_factory=list)
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    document: Document | None = None

    def __post_init__(self) -> None:
        self._cells = {(c.provider, c.criterion): c for c in self.matrix}

    def cell(self, provider: str, criterion: str) -> Cell:
        return self._cells[(provider, criterion)]

    def leaf_rows(self) -> list[WeightRow]:
        return [w for w in self.weights if w.is_leaf]

    def to_json(self) -> dict[str, Any]:
        """The data in a stable order, JSON-ready; charts and the document are presentation, left out."""
        data = {f.name: _plain(getattr(self, f.name)) for f in fields(self) if f.name not in ("charts", "document")}
        data["format"] = JSON_FORMAT
        return data


def _plain(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
