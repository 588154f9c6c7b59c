"""Metrics and reports: the one domain allowed to read across the others."""
