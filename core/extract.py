"""From article to draft reports: who sends how many troops where, when, on whose word, with the evidence.

`extract(text, published=None) -> list[Draft]`; a person confirms each draft before it is stored.
This is the public face of core.extraction, whose modules are the pipeline's stages, in order:

- sentences: where each sentence starts and ends;
- mentions: the country words (gazetteer: names, adjectives, capitals, cities, institutions);
- counts: anchors — troop counts ("some 3,500 soldiers", "a contingent of 100") and count-less mentions
  of forces ("Turkish troops"), with distractor numbers (votes, tonnes, money, casualties) left out;
- status: present / announced / withdrawn, and the date (resolved against the publication date);
- roles: the deployer and the host, from the sentence or the article so far;
- figures: the anchor's number as a level of one pair, or none;
- source: who the text credits, the agency it cites and the speaker;
- drafts: the Draft, and the merge of one pair's drafts across sentences;
- pipeline: `extract`, which chains them. Word lists are in core/extraction/data.
"""

from __future__ import annotations

from core.extraction.drafts import Draft
from core.extraction.pipeline import extract

__all__ = ["Draft", "extract"]
