"""Building blocks of the article-to-draft extractor (see core.extract): gazetteer, numbers, dates."""
