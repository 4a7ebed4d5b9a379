"""The source policy: blocked domains and the default kind of known domains.

One file for the project (`source_policy.yaml` beside this module), which a criteria set may
extend with `source_policy: FILE` (its entries are added; a study cannot unblock a domain).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from ..errors import LoadError, Problem
from ..files.yamlfile import read_yaml
from ..model import SOURCE_KINDS

PROJECT_POLICY = Path(__file__).with_name("source_policy.yaml")
DEFAULT_PADDING_LIMIT = 5


@dataclass(frozen=True)
class SourcePolicy:
    blocked: Mapping[str, str] = field(default_factory=dict)  # domain -> why
    kinds: Mapping[str, str] = field(default_factory=dict)  # domain -> default kind
    padding_limit: int = DEFAULT_PADDING_LIMIT

    def blocked_reason(self, url: str) -> str | None:
        """Why the URL's domain is blocked, or None."""
        domain = _match(domain_of(url), self.blocked)
        return None if domain is None else f"{domain} ({self.blocked[domain]})"

    def default_kind(self, url: str) -> str | None:
        domain = _match(domain_of(url), self.kinds)
        return None if domain is None else self.kinds[domain]

    def extended(self, other: SourcePolicy) -> SourcePolicy:
        return SourcePolicy(
            {**self.blocked, **other.blocked},
            {**self.kinds, **other.kinds},
            min(self.padding_limit, other.padding_limit),
        )


def domain_of(url: str) -> str:
    """The host of an http(s) URL, lower-case, without a leading `www.`."""
    try:
        host = (urlparse(url.strip()).hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def _match(host: str, domains: Mapping[str, str]) -> str | None:
    """The listed domain `host` belongs to (itself or a parent domain), most specific first."""
    parts = host.split(".")
    for i in range(len(parts) - 1):
        candidate = ".".join(parts[i:])
        if candidate in domains:
            return candidate
    return None


def load_policy(path: str | Path = PROJECT_POLICY) -> SourcePolicy:
    """Read a policy file; every problem is named by file, line and field."""
    doc = read_yaml(path)
    data = doc.data if isinstance(doc.data, dict) else {}
    problems: list[Problem] = []
    if not isinstance(doc.data, dict):
        problems.append(Problem(str(path), 1, "", "expected a mapping with 'blocked' and 'kinds'"))

    def mapping(key: str) -> dict[str, str]:
        raw = data.get(key, {})
        if not isinstance(raw, dict):
            problems.append(Problem(str(path), doc.line((key,)), key, "expected a mapping of domain: text"))
            return {}
        out = {}
        for domain, value in raw.items():
            if not isinstance(domain, str) or not isinstance(value, str):
                problems.append(Problem(str(path), doc.line((key, domain)), f"{key}.{domain}", "expected text"))
                continue
            if key == "kinds" and value not in SOURCE_KINDS:
                problems.append(
                    Problem(
                        str(path),
                        doc.line((key, domain)),
                        f"{key}.{domain}",
                        f"must be one of {', '.join(SOURCE_KINDS)}",
                    )  # fmt: skip
                )
                continue
            out[domain.lower().removeprefix("www.")] = value
        return out

    blocked, kinds = mapping("blocked"), mapping("kinds")
    limit = data.get("padding_limit", DEFAULT_PADDING_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 1000:
        problems.append(
            Problem(str(path), doc.line(("padding_limit",)), "padding_limit", "expected a whole number 1–1000")
        )
        limit = DEFAULT_PADDING_LIMIT
    if problems:
        raise LoadError(problems)
    return SourcePolicy(blocked, kinds, limit)
