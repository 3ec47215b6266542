"""Word lists of the extraction rules, kept in data/*.txt (one entry a line, regex syntax, # comments).

Each list is read once; `alternation(name)` gives it as a regular-expression alternation.
"""

from __future__ import annotations

import functools
from pathlib import Path

_DATA = Path(__file__).with_name("data")


@functools.cache
def words(name: str) -> tuple[str, ...]:
    """The entries of data/<name>.txt, in file order."""
    lines = (_DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


@functools.cache
def alternation(name: str) -> str:
    """data/<name>.txt as 'a|b|c', longest entries first (so 'pulled out' wins over 'pulled')."""
    return "|".join(sorted(words(name), key=len, reverse=True))


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(text: str) -> str:
    """The text in lower case, offset for offset: word-list patterns run on it case-sensitively, which is
    several times faster than IGNORECASE. str.lower() is used unless it changes the length ("İ")."""
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)
