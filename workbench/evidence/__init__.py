"""Evidence quality: source dates and kinds, the source policy, the warnings of `validate --strict`
and the coverage figures. Works on loaded model objects; never reads study files itself (except
the source policy)."""

from .checks import evidence_warnings
from .coverage import ProfileCoverage, study_coverage
from .dates import PartialDate, months_between, parse_partial_date
from .marks import STATUS_MARKS, source_line, status_legend
from .policy import SourcePolicy, load_policy

__all__ = [
    "STATUS_MARKS",
    "source_line",
    "status_legend",
    "PartialDate",
    "ProfileCoverage",
    "SourcePolicy",
    "evidence_warnings",
    "load_policy",
    "months_between",
    "parse_partial_date",
    "study_coverage",
]
