"""Altair charts shared by the app and the reports: study charts, robustness charts, workshop charts."""
