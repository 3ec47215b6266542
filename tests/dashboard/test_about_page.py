"""AppTest of the about page: it explains the rule in words."""


def test_about_page_explains_the_method(app):
    at = app("views/about.py")
    text = at.markdown[0].value
    for phrase in ("What a report is", "as of", "median", "low / high", "Staleness", "Natural Earth", "public domain"):
        assert phrase in text
