"""What a map view shows, as URL query parameters and back: the date, the filters, a selected pair,
the layers drawn, and playback steps through time.

Pure (no Streamlit, no store): the dashboard reads `st.query_params` into `ViewState.from_params`,
draws the view, and writes `to_params()` back, so a copied URL opens the same view. Country names
work as well as codes (`host=Venezuela` = `host=VEN`); a value that means nothing is reported as a
problem naming the parameter, never silently dropped.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from core import countries
from core.domain import STATUSES
from core.filters import Filters

# The parameters, in the order they appear in a URL. Repeated parameters carry several values.
PARAMS = ("as_of", "deployer", "host", "region", "status", "min_troops", "source", "pair", "layers")
# Steps a playback can take; each lands on the last day of a month, quarter or year.
STEP_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def regions() -> list[str]:
    """Continents and UN subregions of the country registry, as the region filter offers them."""
    found = {c.continent for c in countries.all_countries()} | {c.region for c in countries.all_countries()}
    return sorted(n for n in found if n)


def parse_as_of(text: str) -> dt.date:
    """An as-of date typed or linked: YYYY-MM-DD, or YYYY-MM / YYYY meaning the end of that month or
    year (presence "as of March 2019" includes reports from late March). ValueError says the form."""
    text = text.strip()
    try:
        if len(text) == 4:
            return dt.date(int(text), 12, 31)
        if len(text) == 7 and text[4] == "-":
            year, month = int(text[:4]), int(text[5:])
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date: use YYYY-MM-DD (or YYYY-MM, YYYY)") from None


def _period_end(year: int, month: int) -> dt.date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def step_date(date: dt.date, step: str, forward: bool = True) -> dt.date:
    """The next (or previous) end of a month, quarter or year strictly after (before) `date`."""
    months = STEP_MONTHS[step]
    index = date.year * 12 + date.month - 1  # months since year 0, this month included
    end = (index // months + 1) * months - 1  # last month of the period holding `date`
    if forward:
        candidate = _period_end(end // 12, end % 12 + 1)
        return candidate if candidate > date else _period_end((end + months) // 12, (end + months) % 12 + 1)
    previous = end - months
    return _period_end(previous // 12, previous % 12 + 1)


def month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month's last day from `first`'s month to `last` (clipped to it): the slider's stops."""
    out, index = [], first.year * 12 + first.month - 1
    while True:
        end = _period_end(index // 12, index % 12 + 1)
        if end >= last:
            out.append(last)
            return out
        if end >= first:
            out.append(end)
        index += 1


def _country(param: str, value: str, problems: list[str]) -> str | None:
    try:
        return countries.resolve_iso3(value)
    except countries.UnknownCountry as exc:
        problems.append(f"{param}: {exc}")
        return None


def _choices(param: str, values: Iterable[str], allowed: Sequence[str], problems: list[str]) -> tuple[str, ...]:
    by_fold = {a.casefold(): a for a in allowed}
    out = []
    for value in values:
        if value.strip().casefold() in by_fold:
            out.append(by_fold[value.strip().casefold()])
        else:
            problems.append(f"{param}: {value!r} is not one of {', '.join(allowed)}")
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class ViewState:
    """One map view. `as_of` None means "the newest counted report"; `layers` None means all."""

    as_of: dt.date | None = None
    filters: Filters = field(default_factory=Filters)
    # (deployer, host) of the pair the view is narrowed to.
    pair: tuple[str, str] | None = None
    layers: tuple[str, ...] | None = None

    @classmethod
    def from_params(
        cls, params: Mapping[str, Sequence[str]], layer_ids: Sequence[str] = ()
    ) -> tuple[ViewState, list[str]]:
        """The view a URL asks for and the problems in it ("host: unknown country 'Atlantis'; ...").

        `params` maps each name to all its values (repeated parameters). Unknown names are ignored:
        other pages and Streamlit itself may add their own.
        """
        problems: list[str] = []
        values = _values(params)
        as_of = _date("as_of", values("as_of"), problems)
        filters = _filters(values, problems)
        return cls(
            as_of, filters, _pair(values("pair")[-1:], problems), _layers(values("layers"), layer_ids, problems)
        ), problems

    def to_params(self) -> dict[str, str | list[str]]:
        """Query parameters for this view: codes for countries, defaults left out."""
        out: dict[str, str | list[str]] = {}
        if self.as_of:
            out["as_of"] = self.as_of.isoformat()
        out.update(_filter_params(self.filters))
        if self.pair:
            out["pair"] = "/".join(self.pair)
        if self.layers is not None:
            out["layers"] = ",".join(self.layers) or "none"
        return out

    def with_(self, **changes) -> ViewState:
        return replace(self, **changes)


def _pair(texts: list[str], problems: list[str]) -> tuple[str, str] | None:
    for text in texts:
        parts = text.split("/")
        if len(parts) != 2:
            problems.append(f"pair: {text!r} is not deployer/host, e.g. pair=USA/JPN")
            return None
        deployer, host = (_country("pair", p, problems) for p in parts)
        if deployer and host:
            return deployer, host
    return None


def _layers(texts: list[str], layer_ids: Sequence[str], problems: list[str]) -> tuple[str, ...] | None:
    if not texts:
        return None
    names = [n.strip() for text in texts for n in text.split(",") if n.strip()]
    if names == ["none"]:
        return ()
    return _choices("layers", names, layer_ids, problems) if layer_ids else tuple(names)


def _filters(values: Callable[[str], list[str]], problems: list[str]) -> Filters:
    """The filter parameters a URL carries, shared by the map's and the compare page's views."""
    found = {
        role: tuple(dict.fromkeys(c for v in values(role) if (c := _country(role, v, problems))))
        for role in ("deployer", "host")
    }
    min_troops = None
    for text in values("min_troops")[-1:]:
        if text.strip().isdigit():
            min_troops = int(text) or None
        else:
            problems.append(f"min_troops: {text!r} is not a whole number of troops")
    return Filters(
        deployers=found["deployer"],
        hosts=found["host"],
        regions=_choices("region", values("region"), regions(), problems),
        statuses=_choices("status", values("status"), STATUSES, problems),
        min_troops=min_troops,
        source_text=(values("source")[-1:] or [""])[0].strip(),
    )


def _filter_params(f: Filters) -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for name, many in (("deployer", f.deployers), ("host", f.hosts), ("region", f.regions), ("status", f.statuses)):
        if many:
            out[name] = list(many)
    if f.min_troops:
        out["min_troops"] = str(f.min_troops)
    if f.source_text:
        out["source"] = f.source_text
    return out


def _values(params: Mapping[str, Sequence[str]]) -> Callable[[str], list[str]]:
    return lambda name: [v for v in params.get(name, ()) if v.strip()]


def _date(param: str, texts: list[str], problems: list[str]) -> dt.date | None:
    for text in texts[-1:]:
        try:
            return parse_as_of(text)
        except ValueError as exc:
            problems.append(f"{param}: {exc}")
    return None


@dataclass(frozen=True)
class CompareView:
    """One compare-page view: two dates (None: the page's default), the filters, and the kinds of
    change the table shows (None: the page's default)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    filters: Filters = field(default_factory=Filters)
    kinds: tuple[str, ...] | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str]], kinds: Sequence[str]) -> tuple[CompareView, list[str]]:
        """The view a URL asks for (`from`, `to`, the map's filter parameters, `show`) and its problems."""
        problems: list[str] = []
        values = _values(params)
        shown = [n.strip() for text in values("show") for n in text.split(",") if n.strip()]
        view = cls(
            _date("from", values("from"), problems),
            _date("to", values("to"), problems),
            _filters(values, problems),
            None if not shown else () if shown == ["none"] else _choices("show", shown, kinds, problems),
        )
        return view, problems

    def to_params(self) -> dict[str, str | list[str]]:
        out: dict[str, str | list[str]] = {}
        for name, date in (("from", self.date_from), ("to", self.date_to)):
            if date:
                out[name] = date.isoformat()
        out.update(_filter_params(self.filters))
        if self.kinds is not None:
            out["show"] = ",".join(self.kinds) or "none"
        return out
