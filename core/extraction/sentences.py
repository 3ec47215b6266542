"""Stage: sentences — where each sentence of a text starts and ends (offsets into the text)."""

from __future__ import annotations

import re

from core.extraction.words import words

_BOUNDARY = re.compile(r"[.!?]+[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*")
_ABBREV = frozenset(words("abbreviations"))


def split(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; a full stop after an abbreviation ("Gen.", "U.S.") or an initial
    does not end one, a line break always does."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        if m.group().startswith((".", "!", "?")) and "\n" not in m.group():
            word = re.search(r"([\w.]+)$", text[start : m.start()])
            prev = word.group(1).lower().rstrip(".") if word else ""
            if prev in _ABBREV or (len(prev) == 1 and prev.isalpha()):
                continue
        end = m.start() + len(m.group().rstrip())
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans
