"""User text inside markdown: escaped so that it shows as typed, never as a link, image or HTML."""

from __future__ import annotations

import re
import string

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of them
# also defuses Streamlit's extensions (`:red[...]`, `$...$` LaTeX) and GFM autolinks (`http\:`).
_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
# GFM autolinks are found in text after parsing, where escapes no longer count: an invisible WORD
# JOINER after "www", "scheme:" and "@" keeps "www.x.org", "https://x" and "a@b.org" plain text.
_AUTOLINK = re.compile(r"(?i)(?<=\bwww)(?=\\?\.)|(?<=:)(?=\\?/\\?/)|(?<=@)")
WORD_JOINER = "\u2060"
_SPACES = re.compile(r"\s+")


def md(text: object) -> str:
    """`text` as markdown that renders to exactly `text` (as one paragraph: newlines become spaces)."""
    return md_piece(" ".join(str(text).split()))


def md_piece(text: str) -> str:
    """A piece of a longer markdown line, escaped as md() does but keeping one edge space (whitespace
    runs become one space): the text between highlights of a sentence."""
    return _AUTOLINK.sub(WORD_JOINER, _SPECIAL.sub(r"\\\1", _SPACES.sub(" ", text)))


def plain(markdown: str) -> str:
    """The text md() escaped (for tests and logs)."""
    return re.sub(r"\\([" + re.escape(string.punctuation) + "])", r"\1", markdown.replace(WORD_JOINER, ""))
