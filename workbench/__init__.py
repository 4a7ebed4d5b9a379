"""Alternatives evaluation workbench: evidence-backed multi-criteria comparison."""

__version__ = "0.1.0"
