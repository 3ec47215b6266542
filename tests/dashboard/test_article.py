"""'Paste an article' on the Submit page: drafts as cards, a draft fills the form, only Save stores."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from sqlalchemy import select

from core.export import reports_frame, write_csv
from core.extract import extract
from core.filters import Filters
from core.models import Report
from core.store import make_engine, reading
from dashboard import article
from dashboard.text import md, md_piece, plain
from tests.conftest import SHARED
from tests.dashboard.conftest import count_reports

PAGE = "views/submit.py"
EXTRACT = "FormSubmitter:article-Extract drafts"
SAVE = "FormSubmitter:report-Save report"
SEED = SHARED / "seed" / "russia-venezuela-2019.txt"
# The seed article's key sentences, for a checkout without ../shared beside it.
SEED_EXCERPT = (
    "Venezuelan Deputy Foreign Minister: Russia will expand its military presence in Venezuela\n\n"
    "Venezuelan Deputy Foreign Minister Ivan Gil, returning home from a visit to Moscow on Thursday, said that "
    "Russia could soon expand its military presence in Venezuela.\n\n"
    "“New missions will probably arrive” to reinforce the contingent of 100 soldiers deployed in Caracas at "
    "the end of March, Gil noted.\n\n"
    "According to the deputy minister, no specific duration for the soldiers’ stay in the country has been "
    "set. “The group of specialist soldiers is [in Venezuela] as part of our agreements and contracts for "
    "military and technical cooperation, as has been said already. They will be there for as long as they "
    "are needed,” Interfax cites Gil as saying.\n"
)
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![i](https://evil.example/p.png)",
    "**bold** _it_ `code` ~~s~~",
    ":red[red] :material/home: :smile: $x^2$",
    "# heading",
    "1. list",
    "> quote",
    "a & b &amp; &lt;",
    "back\\slash \\* \\",
    "www.example.com https://example.com HTTP://WWW.EXAMPLE.COM mail@example.com",
    "| a | b |",
    "    indented code",
]


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8") if SEED.exists() else SEED_EXCERPT


# --- escaping: pure (dashboard.text, the one escaper the article cards use) ---------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_card_text_keeps_hostile_text_literal(text):
    escaped = md(text)
    assert plain(escaped) == " ".join(text.split())
    # No markdown, HTML, directive, LaTeX or link syntax survives unescaped.
    assert not re.search(r"(?<!\\)[<>&\[\]()*_`~:$#!|]", escaped)
    # No autolink literal (www., scheme://, e-mail) survives as one run of text.
    assert not re.search(r"(?i)www\\\.|:\\?/|@[\w\\]", escaped)


def test_highlighted_pieces_keep_their_edge_spaces():
    assert md_piece(" a_b  ") == " a\\_b "
    assert md(" a_b  ") == "a\\_b"


def test_highlighted_wraps_spans_in_escaped_text():
    sentence = "<b>x</b> Russia sent [100](javascript:x) soldiers to Venezuela."

    def span(words: str) -> list:
        start = 10 + sentence.index(words)  # offsets are into the whole text; the sentence starts at 10
        return [start, start + len(words), words]

    spans = {
        "deployer": span("Russia"),
        "troops": span("[100](javascript:x)"),
        "host": span("Venezuela"),
        "location": span("Venezuela"),  # overlapping spans become one highlight
    }
    shown = article.highlighted({"sentence": sentence, "start": 10, "end": 10 + len(sentence), "spans": spans})
    assert shown == (
        "\\<b\\>x\\<\\/b\\> :orange-background[**Russia**] sent "
        ":orange-background[**\\[100\\]\\(javascript\\:x\\)**] soldiers to "
        ":orange-background[**Venezuela**]\\."
    )
    legend = article.legend({"spans": spans})
    assert legend.startswith("deployer “Russia” · troops “\\[100\\]\\(javascript\\:x\\)”")


def test_a_span_outside_the_sentence_is_not_highlighted():
    evidence = {
        "sentence": "They sent 100 troops.",
        "start": 50,
        "end": 71,
        "spans": {"deployer": [0, 6, "Russia"], "troops": [60, 70, "100 troops"]},
    }
    assert article.highlighted(evidence) == "They sent :orange-background[**100 troops**]\\."


def test_form_values_from_a_draft_of_the_seed():
    drafts = extract(seed_text(), "2019-04-12")
    hundred = next(d for d in drafts if d.troops == 100)
    values = article.form_values(
        hundred.to_report_fields(source_url="https://example.org/a", published=dt.date(2019, 4, 12))
    )
    assert values["f_deployer"] == "RUS" and values["f_host"] == "VEN"
    assert values["f_date"] == dt.date(2019, 3, 1) and values["f_date_precision"] == "month"
    assert values["f_source_date"] == dt.date(2019, 4, 12)
    assert values["f_troops_max"] is None and values["f_lat"] is None


def test_form_values_without_a_date_use_the_publication_day():
    fields = {
        "deployer": "FRA",
        "host": "TCD",
        "troops": None,
        "count_kind": "unknown",
        "date": "2023-05-03",
        "date_precision": None,
        "status": "present",
        "source_date": "2023-05-03",
        "notes": None,
    }
    values = article.form_values(fields)
    assert values["f_date"] == dt.date(2023, 5, 3) and values["f_date_precision"] == "day"
    assert values["f_source_name"] == "" and values["f_notes"] == ""


# --- the page: AppTest against the fixture store ----------------------------------------------------------


def paste(at, text: str, published: dt.date | None = None, source_name: str = "", source_url: str = ""):
    at.text_area(key="article_text").set_value(text)
    at.date_input(key="article_published").set_value(published)
    at.text_input(key="article_source_name").set_value(source_name)
    at.text_input(key="article_source_url").set_value(source_url)
    at.button(key=EXTRACT).click().run()
    assert not at.exception, at.exception
    return at


def cards(at) -> list[str]:
    """The first line of each draft card (its summary)."""
    return [m.value for m in at.markdown if re.match(r"\d+\\\. ", m.value)]


def test_the_seed_article_drafts_fill_the_form_and_only_save_stores(app, fixture_db_url):
    before = count_reports(fixture_db_url)
    at = paste(app(PAGE), seed_text(), dt.date(2019, 4, 12), source_url="https://example.org/interfax")
    summaries = cards(at)
    assert summaries, [m.value for m in at.markdown]
    index = next(i for i, s in enumerate(summaries) if "Russia → Venezuela" in s and "100" in s)
    assert "Interfax" in summaries[index] and "2019\\-03" in summaries[index]
    # The evidence, highlighted: the count's words.
    assert any(":orange-background[**contingent of 100 soldiers**]" in m.value for m in at.markdown)
    assert count_reports(fixture_db_url) == before

    at.button(key=f"article_use_{index}").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="f_deployer").value == "RUS"
    assert at.selectbox(key="f_host").value == "VEN"
    assert at.number_input(key="f_troops").value == 100
    assert at.selectbox(key="f_count_kind").value == "exact"
    assert at.number_input(key="f_troops_max").value is None
    assert at.date_input(key="f_date").value == dt.date(2019, 3, 1)
    assert at.selectbox(key="f_date_precision").value == "month"
    assert at.selectbox(key="f_status").value == "present"
    assert at.text_input(key="f_location").value == "Caracas"
    assert at.text_input(key="f_source_name").value == "Interfax"
    assert at.text_input(key="f_cited_agency").value == "Interfax"
    assert at.text_input(key="f_speaker").value.endswith("Ivan Gil")
    assert at.text_input(key="f_source_url").value == "https://example.org/interfax"
    assert at.date_input(key="f_source_date").value == dt.date(2019, 4, 12)
    assert "contingent of 100 soldiers" in at.text_area(key="f_notes").value
    assert any("is in the form below" in s.value for s in at.success)
    assert at.session_state["form_channel"] == "extract"
    assert count_reports(fixture_db_url) == before  # choosing a draft stores nothing

    at.text_input(key="f_location").set_value("Caracas (Fuerte Tiuna)")  # the user edits before saving
    at.button(key=SAVE).click().run()
    assert not at.exception, at.exception
    # The fixture store already holds the seed's report (same pair, date and source): the form asks.
    assert count_reports(fixture_db_url) == before
    assert "same pair, date and source" in at.warning[0].value
    at.button(key="form_confirm").click().run()
    assert not at.exception, at.exception
    assert count_reports(fixture_db_url) == before + 1
    engine = make_engine(fixture_db_url)
    try:
        with reading(engine) as session:
            row = session.execute(select(Report).order_by(Report.id.desc())).scalars().first()
            stored = (
                row.deployer,
                row.host,
                row.troops,
                row.count_kind,
                row.date,
                row.date_precision,
                row.location,
                row.source_name,
                row.source_url,
            )
            chain = (row.cited_agency, row.speaker)
            exported = io.StringIO()
            mine = Filters(deployers=("RUS",), review_states=("published", "pending"))
            write_csv(reports_frame(session, mine), exported)
    finally:
        engine.dispose()
    assert stored == (
        "RUS",
        "VEN",
        100,
        "exact",
        dt.date(2019, 3, 1),
        "month",
        "Caracas (Fuerte Tiuna)",
        "Interfax",
        "https://example.org/interfax",
    )
    speaker = "Venezuelan Deputy Foreign Minister Ivan Gil"
    assert chain == ("Interfax", speaker)
    # ... and out of an export, the chain intact: outlet, agency cited, speaker.
    rows = [r for r in csv.DictReader(io.StringIO(exported.getvalue())) if r["location"] == "Caracas (Fuerte Tiuna)"]
    assert [(r["source_name"], r["cited_agency"], r["speaker"]) for r in rows] == [("Interfax", "Interfax", speaker)]


def test_the_source_given_beside_the_text_fills_in_when_the_text_names_none(app, fixture_db_url):
    text = "France has deployed 1,000 soldiers to Chad."
    at = paste(app(PAGE), text, dt.date(2023, 5, 3), "Le Monde", "https://www.lemonde.fr/a")
    assert len(cards(at)) == 1
    at.button(key="article_use_0").click().run()
    assert at.text_input(key="f_source_name").value == "Le Monde"
    assert at.date_input(key="f_date").value == dt.date(2023, 5, 3)  # no date in the text: publication day
    assert at.selectbox(key="f_date_precision").value == "day"


def test_a_text_without_deployments_says_so(app, fixture_db_url):
    at = paste(app(PAGE), "The minister met his counterpart to discuss trade and tourism.")
    assert any(i.value == "No deployment found in this text." for i in at.info)
    assert cards(at) == []


def test_an_empty_paste_asks_for_text(app):
    at = paste(app(PAGE), "   ")
    assert any("Paste the article's text first" in w.value for w in at.warning)


def test_hostile_article_text_is_shown_literally(app, fixture_db_url):
    before = count_reports(fixture_db_url)
    text = (
        "Russia has deployed 100 soldiers to Venezuela <img src=x onerror=alert(1)> "
        "[click](javascript:alert(1)) :red[x] $x$, Interfax reported."
    )
    at = paste(app(PAGE), text, dt.date(2019, 4, 12))
    assert cards(at)
    rendered = "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)
    # Backslash-escaped "<" cannot open an HTML tag in CommonMark: no unescaped "<" may reach the page.
    assert not re.search(r"(?<!\\)<", rendered) and "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in rendered
    assert "[click](" not in rendered and "\\[click\\]\\(javascript\\:alert\\(1\\)\\)" in rendered
    assert ":red[" not in rendered and "\\$x\\$" in rendered
    assert count_reports(fixture_db_url) == before


def test_using_a_draft_clears_an_earlier_attempts_errors(app, fixture_db_url):
    at = app(PAGE)
    at.button(key=SAVE).click().run()  # an empty form: field errors
    assert at.session_state["form_errors"]
    at = paste(at, "France has deployed 1,000 soldiers to Chad.", dt.date(2023, 5, 3), "Le Monde")
    at.button(key="article_use_0").click().run()
    assert "form_errors" not in at.session_state
    assert not any(e.value.startswith("deployer:") for e in at.error)
    assert at.selectbox(key="f_deployer").value == "FRA"
