"""Text for a cell of a CSV file that people open in a spreadsheet."""

from __future__ import annotations

# A cell starting with one of these is a formula to a spreadsheet: logged or typed text must
# not run (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Return ``text``, with a leading quote if a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text
