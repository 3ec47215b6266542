"""The article-to-draft extractor's stages, one module each (see core.extract for the order and pipeline.py
for the chain): sentences, mentions, counts, status, roles, figures, source, drafts; with the building
blocks gazetteer, numbers, dates, words and vocab, and the word lists in data/."""
