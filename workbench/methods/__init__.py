"""Batch scoring kernels: each takes a weight batch W (K × m) and returns scores (K × n).

A new method is one module here plus one entry in `REGISTRY`.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import promethee, topsis, vikor, weighted_product, weighted_sum


@dataclass(frozen=True)
class MethodInfo:
    name: str
    default_normalization: str | None
    higher_is_better: bool
    uses_normalization: bool = True


REGISTRY: dict[str, MethodInfo] = {
    "weighted-sum": MethodInfo("weighted-sum", "scale", True),
    "weighted-product": MethodInfo("weighted-product", "sum", True),
    "topsis": MethodInfo("topsis", "vector", True),
    "promethee-ii": MethodInfo("promethee-ii", None, True, uses_normalization=False),
    "vikor": MethodInfo("vikor", None, False),
}

__all__ = ["REGISTRY", "MethodInfo", "promethee", "topsis", "vikor", "weighted_product", "weighted_sum"]
