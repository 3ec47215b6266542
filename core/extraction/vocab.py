"""Vocabulary more than one stage reads, built once from the word lists in data/ (see words.py).

TROOP_NOUN is anchored at both ends: inside an alternation "men" would otherwise match in "government".
"""

from __future__ import annotations

import re

from core.extraction.words import alternation, words

LEAVE = alternation("leave_words")  # "left Mali": a departure, never a host
MODAL = alternation("future_modals")  # "will send": ahead of the text
TROOP_NOUNS = alternation("troop_nouns")
TROOP_NOUN = rf"\b(?:{TROOP_NOUNS})\b"
WEAK_NOUNS = frozenset(words("weak_nouns"))  # count only in a sentence about forces
# Words that name forces without a number ("Turkish troops", "the bases"): the troop nouns but the weak
# ones and those that name forces only beside a count, and the words for units, bases and presence.
FORCE_WORDS = "|".join(
    sorted(
        {w for w in words("troop_nouns") if w not in WEAK_NOUNS and w not in words("count_only_nouns")}
        | set(words("force_words")),
        key=len,
        reverse=True,
    )
)
UNIT = alternation("unit_nouns")

FUTURE = re.compile(
    rf"\b(?:{MODAL}|threat\w*|plans?|planned|planning|intends?\s+to|intention|is\s+to|"
    r"are\s+to|set\s+to|expected\s+to|pledg\w+|promis\w+|vow\w*|offer\w*|agreed\s+to|authori[sz]\w*|"
    r"approv\w+|propos\w+|consider\w*|ready\s+to|prepared\s+to|going\s+to|soon|next\s+(?:week|month|year)|"
    r"upcoming|due\s+to\s+(?:arrive|deploy|be)|decision\s+to|decided\s+to|announced\s+plans?|'ll|"
    r"to\s+(?:send|deploy|dispatch|station))\b",
    re.IGNORECASE,
)
MOVE = re.compile(
    r"\b(?:reposition\w*|relocat\w+|redeploy\w*|mov(?:e|es|ed|ing)|transferr?\w*|shift\w*)\b", re.IGNORECASE
)
POLICE = re.compile(r"\bpolice|policemen|gendarme|constabulary|\bFPU\b", re.IGNORECASE)
ARMED = re.compile(r"\b(?:troops|soldiers|military|army|defen[cs]e\s+force|armed\s+forces|marines)\b", re.IGNORECASE)
