"""The presence rule: from reports to one figure per (deployer, host) pair as of a date.

This is the one implementation of the rule (README, "How presence as of a date is computed"); the
store's queries, the totals, the map's layers and the exports all call it. It is vectorised with
numpy over reports sorted by scope and evidence order, so all pairs of a million-report store and one
pair's handful of reports go through the same code.

Vocabulary:
- a *node* is a scope of one pair: the pair itself (''), a mission ('m|'), a location ('m|l', or
  '|l' for a location without a mission). Parents: 'm|l' -> 'm|' -> ''; '|l' -> ''.
- a report's *key* orders evidence: date first, then precision (year < month < day), so of two
  reports starting the same day the more precise is the newer.
- a row's *kind*: N (present with a number), U (present without a number), W (withdrawn).
- a node's *figure observation* (F) is its latest key with an N or W report; later U reports are
  its *confirmations*; P is its latest key with an N report before F (what a withdrawn part last had).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from core.validation import parse_partial_date

N, U, W = 0, 1, 2
RANK = {"year": 0, "month": 1, "day": 2}
SHIFT = np.int64(1 << 22)  # keys (ordinal * 4 + rank) stay below 2**22 until the year 2871
EPOCH = dt.date(1970, 1, 1).toordinal()
NONE = np.int64(-1)
# How a node's figure was reached (README rule 6): (a) sum of parts, (b) its own figure,
# (c) newer parts replace it, (d) its own figure less withdrawn parts.
SUM, OWN, REPLACED, LESS = 1, 2, 3, 4
PRESENT, WITHDRAWN = 1, 2
MAX_FIGURES = 12  # sources listed in a conflict's `figures` text; the reports table has them all
ROLES = np.array(["superseded", "counted", "confirmation"], dtype=object)


@lru_cache(maxsize=1)
def _families() -> tuple[tuple[re.Pattern, str], ...]:
    text = resources.files("core").joinpath("data/source_families.csv").read_text(encoding="utf-8")
    return tuple((re.compile(r["pattern"], re.IGNORECASE), r["family"]) for r in csv.DictReader(text.splitlines()))


@lru_cache(maxsize=65_536)
def source_identity(name: str) -> str:
    """One name per source: the family of core/data/source_families.csv that matches, else the name
    with case and spacing folded (so "Reuters" and " reuters " are one source)."""
    text = name if isinstance(name, str) else ""
    for pattern, family in _families():
        if pattern.search(text):
            return family
    return " ".join(text.split()).casefold()


def day_numbers(values) -> np.ndarray:
    """Dates (date objects, ISO strings, Timestamps or datetime64) as proleptic ordinals (int64)."""
    values = np.asarray(values)
    try:
        days = values.astype("datetime64[D]")
    except (TypeError, ValueError):
        days = np.array([v.date() if isinstance(v, dt.datetime) else v for v in values], dtype="datetime64[D]")
    return days.astype(np.int64) + EPOCH


def as_of_key(as_of: dt.date) -> np.int64:
    """The largest key that counts as of a date: every precision of a period starting that day."""
    return np.int64(as_of.toordinal() * 4 + 3)


def _published_ordinal(text) -> int:
    """A source_date (YYYY, YYYY-MM or YYYY-MM-DD) as the ordinal of its first day; -1 if none."""
    if not isinstance(text, str) or not text:
        return -1
    try:
        return parse_partial_date(text)[0].toordinal()
    except ValueError:
        return -1


@dataclass
class Rows:
    """Reports ready for the rule: counted rows sorted by (node, key), their scope tree, announcements.

    Built once (from a store or from any frame of reports) and evaluated at any date.
    """

    # Counted rows (present, withdrawn), sorted by (node, key).
    node: np.ndarray
    key: np.ndarray
    kind: np.ndarray
    low: np.ndarray
    high: np.ndarray
    src: np.ndarray  # source identity code (index into source_names)
    name: np.ndarray  # the source name as written (object)
    row: np.ndarray  # position in the frame the rows were built from
    # Nodes.
    node_pair: np.ndarray
    node_parent: np.ndarray
    node_depth: np.ndarray
    # Pairs and sources.
    deployer: np.ndarray
    host: np.ndarray
    source_names: np.ndarray
    # Announcements.
    ann_pair: np.ndarray
    ann_date: np.ndarray
    ann_known: np.ndarray
    ann_src: np.ndarray
    ann_row: np.ndarray

    def __post_init__(self):
        self.comp = self.node * SHIFT + self.key
        figure = self.kind != U
        self.f_pos = np.flatnonzero(figure)
        self.f_comp = self.comp[self.f_pos]
        self.n_pos = np.flatnonzero(self.kind == N)
        self.n_comp = self.comp[self.n_pos]
        starts = np.arange(len(self.node_pair), dtype=np.int64) * SHIFT
        self.node_start = np.searchsorted(self.comp, starts, "left")
        self.f_start = np.searchsorted(self.f_comp, starts, "left")
        self.n_start = np.searchsorted(self.n_comp, starts, "left")

    @property
    def n_nodes(self) -> int:
        return len(self.node_pair)


def _scope_parent(scope: str) -> str | None:
    if scope == "":
        return None
    mission, _, location = scope.partition("|")
    return f"{mission}|" if mission and location else ""


def _scope_depth(scope: str) -> int:
    if scope == "":
        return 0
    mission, _, location = scope.partition("|")
    return 2 if mission and location else 1


def _column(columns, name: str) -> np.ndarray:
    return np.asarray(columns[name], dtype=object)


def _lookup(values: np.ndarray, table: dict, default) -> np.ndarray:
    """table[value] for each value, through the distinct values (comparing a million objects one by
    one is what makes this slow otherwise)."""
    codes, uniques = _codes(values)
    mapped = np.array([table.get(u, default) for u in uniques] + [default])
    return mapped[codes]  # code -1 (a missing value) takes the default


def _floats(values: np.ndarray) -> np.ndarray:
    return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _nodes(pair: np.ndarray, scopes: np.ndarray) -> tuple[dict, np.ndarray]:
    """The scope tree of the counted rows: one node per (pair, scope), plus the parents that no report
    names. Returns (node arrays pair, parent, depth; the node of each row)."""
    scope_codes, names = _codes(scopes)
    universe = list(dict.fromkeys(["", *names, *(p for n in names if (p := _scope_parent(n)) is not None)]))
    sid = {name: i for i, name in enumerate(universe)}
    width = np.int64(len(universe))
    parent_sid = np.array([sid[p] if (p := _scope_parent(n)) is not None else -1 for n in universe], np.int64)
    row_key = pair * width + np.array([sid[n] for n in names], np.int64)[scope_codes]
    keys = np.unique(row_key)
    for _ in range(2):  # locations -> missions -> the pair
        up = parent_sid[keys % width]
        keys = np.union1d(keys, (keys // width * width + up)[up >= 0])
    node_parent_sid = parent_sid[keys % width]
    parent = np.where(node_parent_sid >= 0, np.searchsorted(keys, keys // width * width + node_parent_sid), -1)
    depth = np.array([_scope_depth(n) for n in universe], np.int8)[keys % width]
    nodes = {"pair": keys // width, "parent": parent.astype(np.int64), "depth": depth}
    return nodes, np.searchsorted(keys, row_key).astype(np.int64)


def _sources(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's source identity code, and per identity the name to show (the family, else the first
    spelling seen)."""
    raw_codes, spellings = _codes(np.where(pd.isna(raw), "", raw).astype(object) if len(raw) else raw)
    identities = [source_identity(name) for name in spellings]
    ident_codes, ident_values = _codes(np.array(identities, dtype=object))
    families = {family for _, family in _families()}
    _, first = np.unique(ident_codes, return_index=True)
    shown = np.array([v if v in families else spellings[first[i]] for i, v in enumerate(ident_values)], dtype=object)
    return (ident_codes[raw_codes] if len(raw_codes) else raw_codes), shown


def build(columns) -> Rows:
    """Rows from reports: a DataFrame or a mapping of column -> array with deployer, host, scope_key,
    date, date_precision, status, troops, troops_max, count_kind, source_name, source_date.

    Only the reports a view may count should be in it (published ones, for everyone); other statuses
    than present, withdrawn and announced are ignored.
    """
    status = _lookup(_column(columns, "status"), {"present": 0, "withdrawn": 1, "announced": 2}, -1)
    d_codes, d_values = _codes(_column(columns, "deployer"))
    h_codes, h_values = _codes(_column(columns, "host"))
    pair_codes, pair_values = _codes(d_codes * max(len(h_values), 1) + h_codes)
    pair_values = pair_values.astype(np.int64)
    src_codes, source_names = _sources(_column(columns, "source_name"))
    counted = np.flatnonzero((status == 0) | (status == 1))
    scopes = _column(columns, "scope_key")[counted]
    scopes = np.where(pd.isna(scopes), "", scopes).astype(object) if len(scopes) else scopes
    nodes, row_node = _nodes(pair_codes[counted], scopes)

    dates = day_numbers(_column(columns, "date"))
    ranks = _lookup(_column(columns, "date_precision"), RANK, 2).astype(np.int64)
    troops = _floats(_column(columns, "troops"))
    top = _floats(_column(columns, "troops_max"))
    is_range = _lookup(_column(columns, "count_kind"), {"range": True}, False).astype(bool) & ~np.isnan(top)
    kind = np.where(status == 1, W, np.where(np.isnan(troops), U, N)).astype(np.int8)
    low = np.where(kind == W, 0.0, troops)
    high = np.where(kind == W, 0.0, np.where(is_range, top, troops))

    key = dates[counted] * 4 + ranks[counted]
    order = np.lexsort((key, row_node))
    rows_c = counted[order]

    announced = np.flatnonzero(status == 2)
    published = np.array([_published_ordinal(t) for t in _column(columns, "source_date")[announced]], np.int64)
    ann_date = dates[announced]
    known = np.where((published >= 0) & (published < ann_date), published, ann_date)
    return Rows(
        node=row_node[order],
        key=key[order],
        kind=kind[rows_c],
        low=low[rows_c],
        high=high[rows_c],
        src=src_codes[rows_c],
        row=rows_c.astype(np.int64),
        name=_column(columns, "source_name")[rows_c],
        node_pair=nodes["pair"],
        node_parent=nodes["parent"],
        node_depth=nodes["depth"],
        deployer=d_values[pair_values // max(len(h_values), 1)] if len(pair_values) else d_values,
        host=h_values[pair_values % max(len(h_values), 1)] if len(pair_values) else h_values,
        source_names=source_names,
        ann_pair=pair_codes[announced],
        ann_date=ann_date,
        ann_known=known,
        ann_src=src_codes[announced],
        ann_row=announced.astype(np.int64),
    )


def _ranges(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All positions of the half-open ranges [starts, ends), and the range each belongs to."""
    lengths = np.maximum(ends - starts, 0)
    group = np.repeat(np.arange(len(starts), dtype=np.int64), lengths)
    if len(group) == 0:
        return group, group
    offsets = np.cumsum(lengths) - lengths
    positions = np.arange(len(group), dtype=np.int64) - offsets[group] + starts[group]
    return positions, group


def _group_median(values: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """The median of `values` per group (NaN for empty groups)."""
    out = np.full(n_groups, np.nan)
    if len(values) == 0:
        return out
    counts = np.bincount(group, minlength=n_groups)
    # Most groups hold one value, its own median: sort only the values of the others.
    single = counts[group] == 1
    out[group[single]] = values[single]
    values, group = values[~single], group[~single]
    order = np.lexsort((values, group))
    v, g = values[order], group[order]
    counts = np.bincount(g, minlength=n_groups)
    offsets = np.cumsum(counts) - counts
    has = counts > 0
    lo = offsets[has] + (counts[has] - 1) // 2
    hi = offsets[has] + counts[has] // 2
    out[has] = (v[lo] + v[hi]) / 2
    return out


@dataclass
class Blocks:
    """Where each node's evidence lies in the sorted rows, as of a date (half-open position ranges)."""

    f_lo: np.ndarray  # figure observation
    f_hi: np.ndarray
    c_lo: np.ndarray  # confirmations after it
    c_hi: np.ndarray
    p_lo: np.ndarray  # positions in rows.n_pos of the last numbers before a withdrawal
    p_hi: np.ndarray
    f_key: np.ndarray  # NONE when the node has no figure observation
    c_key: np.ndarray  # the latest confirmation, NONE when none


def locate(rows: Rows, as_of: dt.date) -> Blocks:
    """Find each node's figure observation, confirmations and last numbers, by binary search."""
    nodes = np.arange(rows.n_nodes, dtype=np.int64) * SHIFT
    limit = nodes + as_of_key(as_of)
    end = np.searchsorted(rows.comp, limit, "right")
    f_end = np.searchsorted(rows.f_comp, limit, "right")
    has_f = f_end > rows.f_start
    f_key = np.where(has_f, rows.key[rows.f_pos[np.maximum(f_end - 1, 0)]] if len(rows.f_pos) else NONE, NONE)
    f_comp = nodes + np.maximum(f_key, 0)
    f_lo = np.where(has_f, np.searchsorted(rows.comp, f_comp, "left"), rows.node_start)
    f_hi = np.where(has_f, np.searchsorted(rows.comp, f_comp, "right"), rows.node_start)
    c_lo = np.where(has_f, f_hi, rows.node_start)
    c_key = np.where(end > c_lo, rows.key[np.maximum(end - 1, 0)] if len(rows.key) else NONE, NONE)
    # The last numbers before the figure observation matter only when it is a withdrawal alone.
    p_end = np.searchsorted(rows.n_comp, f_comp, "left")
    has_p = has_f & (p_end > rows.n_start)
    p_key = np.where(has_p, rows.key[rows.n_pos[np.maximum(p_end - 1, 0)]] if len(rows.n_pos) else NONE, NONE)
    p_lo = np.where(has_p, np.searchsorted(rows.n_comp, nodes + np.maximum(p_key, 0), "left"), 0)
    p_hi = np.where(has_p, p_end, 0)
    return Blocks(f_lo, f_hi, c_lo, end, p_lo, p_hi, f_key, c_key)


@dataclass
class Figures:
    """Per node: low, best, high (NaN unknown), status (0 none, PRESENT, WITHDRAWN), conflict."""

    low: np.ndarray
    best: np.ndarray
    high: np.ndarray
    status: np.ndarray
    conflict: np.ndarray


def own_figures(rows: Rows, blocks: Blocks) -> tuple[Figures, Figures]:
    """Each node's figure from its own figure observation (rule 4), and what it last had before a
    withdrawal (its P block), for the parts a parent takes off."""
    n = rows.n_nodes
    pos, group = _ranges(blocks.f_lo, blocks.f_hi)
    kind = rows.kind[pos]
    count = {k: np.bincount(group[kind == k], minlength=n) for k in (N, U, W)}
    is_n = kind == N
    g, lo, hi = group[is_n], rows.low[pos][is_n], rows.high[pos][is_n]
    min_low, max_low = _group_reduce(lo, g, n, np.minimum, np.inf), _group_reduce(lo, g, n, np.maximum, -np.inf)
    min_high, max_high = _group_reduce(hi, g, n, np.minimum, np.inf), _group_reduce(hi, g, n, np.maximum, -np.inf)
    best = _group_median((lo + hi) / 2, g, n)
    has_n, has_u, has_w = count[N] > 0, count[U] > 0, count[W] > 0
    present = has_n | has_u
    low = np.where(has_n, np.where(has_w, 0.0, min_low), np.where(has_w, 0.0, np.nan))
    high = np.where(has_n, max_high, np.where(has_w & ~has_u, 0.0, np.nan))
    best = np.where(has_n, best, np.where(has_w & ~has_u, 0.0, np.nan))
    status = np.where(present, PRESENT, np.where(has_w, WITHDRAWN, 0)).astype(np.int8)
    conflict = (has_n & ((min_low != max_low) | (min_high != max_high))) | (has_w & present)
    own = Figures(low, best, high, status, conflict)

    ppos, pgroup = _ranges(blocks.p_lo, blocks.p_hi)
    prow = rows.n_pos[ppos]
    plo, phi = rows.low[prow], rows.high[prow]
    had = Figures(
        _group_reduce(plo, pgroup, n, np.minimum, np.nan),
        _group_median((plo + phi) / 2, pgroup, n),
        _group_reduce(phi, pgroup, n, np.maximum, np.nan),
        np.zeros(n, np.int8),
        np.zeros(n, bool),
    )
    return own, had


def _group_reduce(values: np.ndarray, group: np.ndarray, n: int, ufunc, empty: float) -> np.ndarray:
    out = np.full(n, np.inf if ufunc is np.minimum else -np.inf)
    ufunc.at(out, group, values)
    counts = np.bincount(group, minlength=n)
    out[counts == 0] = empty
    return out


@dataclass
class Tree:
    """Per node, after the roll-up: its figure, how it was reached (case), its figure key, whether the
    pair's figure uses it, and whether its parent takes it off as a withdrawn part."""

    fig: Figures
    case: np.ndarray
    fk: np.ndarray
    used: np.ndarray
    taken_off: np.ndarray
    conf: np.ndarray  # the latest report without a number anywhere in the node's subtree
    anchor: np.ndarray  # the figure key of the nearest used node at or above it (NONE: no used one)
    reached: np.ndarray  # used, or below a used node: its reports without a number may confirm


def _parts(rows: Rows, tree: Tree, own_key: np.ndarray, had: Figures, children: np.ndarray) -> dict:
    """Sums over each parent's parts with a figure: all of them, and those newer than its own figure."""
    n, fig = rows.n_nodes, tree.fig
    parent = rows.node_parent[children]
    has = fig.status[children] != 0
    newer = has & (tree.fk[children] > own_key[parent]) & (tree.fk[children] >= 0)
    out = {"newer": newer}
    for name, mask in (("all", has), ("new", newer)):
        c, p = children[mask], parent[mask]
        present = fig.status[c] == PRESENT
        out[name] = {
            "count": np.bincount(p, minlength=n),
            "present": np.bincount(p, weights=present, minlength=n) > 0,
            "low": np.bincount(p, weights=np.nan_to_num(fig.low[c]), minlength=n),
            "low_known": np.bincount(p, weights=~np.isnan(fig.low[c]), minlength=n) > 0,
            "best": np.bincount(p, weights=np.nan_to_num(fig.best[c]), minlength=n),
            "best_unknown": np.bincount(p, weights=present & np.isnan(fig.best[c]), minlength=n) > 0,
            "high": np.bincount(p, weights=np.nan_to_num(fig.high[c]), minlength=n),
            "high_unknown": np.bincount(p, weights=present & np.isnan(fig.high[c]), minlength=n) > 0,
            "conflict": np.bincount(p, weights=fig.conflict[c], minlength=n) > 0,
            "fk": _max_by(tree.fk[c], p, n),
        }
    gone = children[newer & (fig.status[children] == WITHDRAWN)]
    p = rows.node_parent[gone]
    known = (tree.case[gone] == OWN) & ~np.isnan(had.best[gone])
    out["had"] = {
        "low": np.bincount(p, weights=np.where(known, had.low[gone], 0.0), minlength=n),
        "best": np.bincount(p, weights=np.where(known, had.best[gone], 0.0), minlength=n),
        "high": np.bincount(p, weights=np.where(known, had.high[gone], 0.0), minlength=n),
        "unknown": np.bincount(p, weights=~known, minlength=n) > 0,
    }
    return out


def _max_by(values: np.ndarray, group: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, NONE, dtype=np.int64)
    np.maximum.at(out, group, values)
    return out


def _sum_of(parts: dict) -> tuple[np.ndarray, ...]:
    low = np.where(parts["low_known"], parts["low"], np.nan)
    best = np.where(parts["best_unknown"], np.nan, parts["best"])
    high = np.where(parts["high_unknown"], np.nan, parts["high"])
    status = np.where(parts["present"], PRESENT, np.where(parts["count"] > 0, WITHDRAWN, 0))
    return low, best, high, status


def _combine(rows: Rows, blocks: Blocks, own: Figures, had: Figures, tree: Tree, depth: int) -> None:
    """Rule 6 for the nodes at one depth, from their own figures and their parts (one depth below)."""
    sel = np.flatnonzero(rows.node_depth == depth)
    children = np.flatnonzero(rows.node_depth == depth + 1)
    parts = _parts(rows, tree, blocks.f_key, had, children)
    a, c = parts["all"], parts["new"]
    has_own = blocks.f_key[sel] >= 0
    case = np.where(~has_own, SUM, np.where(c["count"][sel] == 0, OWN, np.where(c["present"][sel], REPLACED, LESS)))
    s_low, s_best, s_high, s_status = (v[sel] for v in _sum_of(a))
    r_low, r_best, r_high, _ = (v[sel] for v in _sum_of(c))
    h = {k: v[sel] for k, v in parts["had"].items()}
    o_low, o_best, o_high = own.low[sel], own.best[sel], own.high[sel]
    l_low = np.where(h["unknown"], 0.0, np.maximum(o_low - h["high"], 0.0))
    l_best, l_high = np.maximum(o_best - h["best"], 0.0), np.maximum(o_high - h["low"], 0.0)
    pick = [case == SUM, case == OWN, case == REPLACED, case == LESS]
    fig = tree.fig
    fig.low[sel] = np.select(pick, [s_low, o_low, r_low, l_low])
    fig.best[sel] = np.select(pick, [s_best, o_best, r_best, l_best])
    fig.high[sel] = np.select(pick, [s_high, o_high, r_high, l_high])
    fig.status[sel] = np.select(pick, [s_status, own.status[sel], np.full(len(sel), PRESENT), own.status[sel]])
    own_conflict = own.conflict[sel]
    fig.conflict[sel] = np.select(
        pick, [a["conflict"][sel], own_conflict, c["conflict"][sel], own_conflict | c["conflict"][sel]]
    )
    tree.fk[sel] = np.select(pick, [a["fk"][sel], blocks.f_key[sel], c["fk"][sel], blocks.f_key[sel]])
    tree.case[sel] = case
    # Rule 5: presence confirmed after the figure (or after a withdrawal), in the scope or in a part of
    # it, is presence, number unknown.
    tree.conf[sel] = np.maximum(
        blocks.c_key[sel], _max_by(tree.conf[children], rows.node_parent[children], rows.n_nodes)[sel]
    )
    revived = (tree.conf[sel] > tree.fk[sel]) & (fig.status[sel] != PRESENT)
    for values in (fig.low, fig.best, fig.high):
        values[sel[revived]] = np.nan
    fig.status[sel[revived]] = PRESENT
    tree.taken_off[children] = parts["newer"] & (fig.status[children] == WITHDRAWN)


def roll_up(rows: Rows, blocks: Blocks, own: Figures, had: Figures) -> Tree:
    """Rule 6, bottom-up (locations into missions, missions into the pair), then which nodes the
    pair's figure uses, top-down."""
    n = rows.n_nodes
    fig = Figures(np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan), np.zeros(n, np.int8), np.zeros(n, bool))
    tree = Tree(
        fig,
        np.zeros(n, np.int8),
        np.full(n, NONE),
        np.zeros(n, bool),
        np.zeros(n, bool),
        np.full(n, NONE),
        np.full(n, NONE),
        np.zeros(n, bool),
    )
    for depth in (2, 1, 0):
        _combine(rows, blocks, own, had, tree, depth)
    roots = rows.node_depth == 0
    tree.used[roots] = fig.status[roots] != 0
    for depth in (1, 2):
        nodes = np.flatnonzero(rows.node_depth == depth)
        parent = rows.node_parent[nodes]
        pcase = tree.case[parent]
        newer = (tree.fk[nodes] > blocks.f_key[parent]) & (tree.fk[nodes] >= 0)
        wanted = (pcase == SUM) | (((pcase == REPLACED) | (pcase == LESS)) & newer)
        tree.used[nodes] = tree.used[parent] & (fig.status[nodes] != 0) & wanted
    # Reports without a number confirm what the nearest used scope above them shows, when newer.
    reached = tree.reached
    reached[:] = tree.used
    tree.anchor[roots] = np.where(tree.used[roots], tree.fk[roots], NONE)
    for depth in (1, 2):
        nodes = np.flatnonzero(rows.node_depth == depth)
        parent = rows.node_parent[nodes]
        reached[nodes] = tree.used[nodes] | reached[parent]
        tree.anchor[nodes] = np.where(tree.used[nodes], tree.fk[nodes], tree.anchor[parent])
    return tree


@dataclass
class Evaluation:
    """The rule's answer as of a date: per pair (`pairs`, the PRESENCE_COLUMNS), per counted row its
    role (ROLES codes: 0 superseded, 1 counted, 2 confirmation) and conflict flag, and the node tree."""

    rows: Rows
    blocks: Blocks
    tree: Tree
    own: Figures
    role: np.ndarray
    row_conflict: np.ndarray
    listed: np.ndarray  # positions in the ann_* arrays of the announcements listed
    pairs: pd.DataFrame


PRESENCE_COLUMNS = [
    "deployer",
    "host",
    "troops",
    "troops_low",
    "troops_high",
    "sources",
    "reports",
    "last_report_date",
    "figure_date",
    "days_since_report",
    "status",
    "announced",
    "conflict",
    "figures",
    "source_names",
]


def _roles(rows: Rows, blocks: Blocks, tree: Tree, own: Figures) -> tuple[np.ndarray, np.ndarray]:
    role = np.zeros(len(rows.key), np.int8)
    conflict = np.zeros(len(rows.key), bool)
    used = tree.used
    by_own = used & ((tree.case == OWN) | (tree.case == LESS))
    pos, group = _ranges(blocks.f_lo[by_own], blocks.f_hi[by_own])
    role[pos] = 1
    conflict[pos] = own.conflict[np.flatnonzero(by_own)][group]
    parent = np.maximum(rows.node_parent, 0)
    gone = used & tree.taken_off & (tree.case[parent] == LESS) & (rows.node_depth > 0)
    pos, _ = _ranges(blocks.p_lo[gone], blocks.p_hi[gone])
    role[rows.n_pos[pos]] = 1
    reached = tree.reached
    pos, group = _ranges(blocks.c_lo[reached], blocks.c_hi[reached])
    newer = rows.key[pos] > tree.anchor[np.flatnonzero(reached)][group]
    role[pos[newer]] = 2
    return role, conflict


def _figures_text(rows: Rows, positions: np.ndarray) -> str:
    """What each source gave in a conflict: 'Outlet A: 1,000; Outlet B: withdrawn'."""
    parts = []
    for p in positions:
        kind, low, high = rows.kind[p], rows.low[p], rows.high[p]
        if kind == W:
            given = "withdrawn"
        elif kind == U:
            given = "present, no number"
        else:
            given = f"{int(low):,}" if low == high else f"{int(low):,}–{int(high):,}"
        parts.append(f"{rows.name[p]}: {given}")
    distinct = list(dict.fromkeys(parts))
    if len(distinct) > MAX_FIGURES:
        return "; ".join(distinct[:MAX_FIGURES]) + f"; and {len(distinct) - MAX_FIGURES:,} more"
    return "; ".join(distinct)


def round_half_up(values: np.ndarray) -> pd.array:
    """Figures as whole numbers, half up (950.5 shows as 951), unknown as <NA>."""
    return pd.array(np.where(np.isnan(values), np.nan, np.floor(values + 0.5)), dtype="Int64")


def evaluate(rows: Rows, as_of: dt.date) -> Evaluation:
    """The rule (README rules 1-11) over prepared rows, as of a date."""
    blocks = locate(rows, as_of)
    own, had = own_figures(rows, blocks)
    tree = roll_up(rows, blocks, own, had)
    role, row_conflict = _roles(rows, blocks, tree, own)
    pairs, listed = _pair_frame(rows, tree, role, row_conflict, as_of)
    return Evaluation(rows, blocks, tree, own, role, row_conflict, listed, pairs)


def first_pair(rows: Rows, as_of: dt.date) -> dict | None:
    """The rule for rows of one pair, without building a frame (a pair's history asks it at every
    report date): troops, troops_low, troops_high, sources, status, conflict; None when nothing counts."""
    blocks = locate(rows, as_of)
    own, had = own_figures(rows, blocks)
    tree = roll_up(rows, blocks, own, had)
    role, _ = _roles(rows, blocks, tree, own)
    roots = np.flatnonzero((rows.node_depth == 0) & tree.used)
    if len(roots):
        node, fig = roots[0], tree.fig
        return {
            "troops": _half_up(fig.best[node]),
            "troops_low": _half_up(fig.low[node]),
            "troops_high": _half_up(fig.high[node]),
            "sources": len(np.unique(rows.src[role > 0])),
            "status": "present" if fig.status[node] == PRESENT else "withdrawn",
            "conflict": bool(fig.conflict[node]),
        }
    listed = rows.ann_known <= as_of.toordinal()
    if not listed.any():
        return None
    return {
        "troops": None,
        "troops_low": None,
        "troops_high": None,
        "sources": len(np.unique(rows.ann_src[listed])),
        "status": "announced",
        "conflict": False,
    }


def _half_up(value: float) -> int | None:
    return None if np.isnan(value) else int(np.floor(value + 0.5))


def _pair_frame(rows: Rows, tree: Tree, role: np.ndarray, row_conflict: np.ndarray, as_of: dt.date):
    n_pairs = len(rows.deployer)
    roots = np.flatnonzero((rows.node_depth == 0) & tree.used)
    pair = rows.node_pair[roots]
    used = np.flatnonzero(role > 0)
    used_pair = rows.node_pair[rows.node[used]]
    reports = np.bincount(used_pair, minlength=n_pairs)
    last = _max_by(rows.key[used], used_pair, n_pairs)
    # Announcements known by the date and newer than the pair's newest counted report (rule 9).
    last_day = np.where(last >= 0, last // 4, -1)
    listed = np.flatnonzero((rows.ann_known <= as_of.toordinal()) & (rows.ann_date > last_day[rows.ann_pair]))
    ann_pair = rows.ann_pair[listed]
    announced = np.bincount(ann_pair, minlength=n_pairs)
    only_ann = np.setdiff1d(np.unique(ann_pair), pair)

    src_pair = np.concatenate([used_pair, ann_pair[np.isin(ann_pair, only_ann)]])
    src = np.concatenate([rows.src[used], rows.ann_src[listed][np.isin(ann_pair, only_ann)]])
    source_names, sources = _names_per_pair(rows, src_pair, src, n_pairs)

    fig = tree.fig
    ann_last = _max_by(rows.ann_known[listed], ann_pair, n_pairs)
    all_pairs = np.concatenate([pair, only_ann])
    fk = np.concatenate([tree.fk[roots], np.full(len(only_ann), NONE)])
    last_ord = np.concatenate([last[pair] // 4, ann_last[only_ann]])
    pad = np.full(len(only_ann), np.nan)
    conflict = np.concatenate([fig.conflict[roots], np.zeros(len(only_ann), bool)])
    texts = np.full(len(all_pairs), None, dtype=object)
    in_conflict = used[row_conflict[used]]
    by_pair = in_conflict[np.argsort(rows.node_pair[rows.node[in_conflict]], kind="stable")]
    owners = rows.node_pair[rows.node[by_pair]]
    in_texts = np.flatnonzero(conflict)
    starts = np.searchsorted(owners, all_pairs[in_texts], "left")
    ends = np.searchsorted(owners, all_pairs[in_texts], "right")
    for i, lo, hi in zip(in_texts.tolist(), starts.tolist(), ends.tolist(), strict=True):
        texts[i] = _figures_text(rows, by_pair[lo:hi])
    status = np.concatenate(
        [np.where(fig.status[roots] == PRESENT, "present", "withdrawn"), np.full(len(only_ann), "announced")]
    ).astype(object)
    frame = pd.DataFrame(
        {
            "deployer": rows.deployer[all_pairs],
            "host": rows.host[all_pairs],
            "troops": round_half_up(np.concatenate([fig.best[roots], pad])),
            "troops_low": round_half_up(np.concatenate([fig.low[roots], pad])),
            "troops_high": round_half_up(np.concatenate([fig.high[roots], pad])),
            "sources": sources[all_pairs].astype(np.int64),
            "reports": np.concatenate([reports[pair], announced[only_ann]]).astype(np.int64),
            "last_report_date": _dates(last_ord),
            "figure_date": _dates(np.where(fk >= 0, fk // 4, -1)),
            "days_since_report": (as_of.toordinal() - last_ord).astype(np.int64),
            "status": status,
            "announced": announced[all_pairs].astype(np.int64),
            "conflict": conflict,
            "figures": texts,
            "source_names": source_names[all_pairs],
        },
        columns=PRESENCE_COLUMNS,
    )
    frame = frame.sort_values(
        ["troops", "deployer", "host"], ascending=[False, True, True], na_position="last", kind="stable"
    ).reset_index(drop=True)
    return frame, listed


def _names_per_pair(rows: Rows, pair: np.ndarray, src: np.ndarray, n_pairs: int):
    """(per pair the sorted tuple of its distinct source names, their number)."""
    width = np.int64(len(rows.source_names) + 1)
    # Codes renumbered in name order: the distinct (pair, rank) values come out sorted by pair and,
    # within a pair, by name, so each pair's tuple is a slice (no sort per pair).
    by_name = np.argsort(rows.source_names, kind="stable")
    rank = np.empty(len(by_name), np.int64)
    rank[by_name] = np.arange(len(by_name), dtype=np.int64)
    distinct = np.unique(pair * width + (rank[src] if len(src) else src))
    d_pair = distinct // width
    counts = np.bincount(d_pair, minlength=n_pairs)
    names = rows.source_names[by_name][distinct % width].tolist()
    out = np.empty(n_pairs, dtype=object)
    out[:] = [()] * n_pairs
    if len(distinct):
        starts = np.flatnonzero(np.r_[True, np.diff(d_pair) != 0])
        ends = np.r_[starts[1:], len(distinct)]
        for p, lo, hi in zip(d_pair[starts].tolist(), starts.tolist(), ends.tolist(), strict=True):
            out[p] = tuple(names[lo:hi])
    return out, counts


def _dates(ordinals: np.ndarray) -> np.ndarray:
    """Ordinals as date objects (None for none), converted in numpy: a frame has thousands."""
    ordinals = np.asarray(ordinals, dtype=np.int64)
    dates = (np.maximum(ordinals, 1) - EPOCH).astype("datetime64[D]").astype(object)
    dates[ordinals <= 0] = None
    return dates


def subset(rows: Rows, pair_keep: np.ndarray | None, frame_keep: np.ndarray | None) -> Rows:
    """The same rows for some pairs only and/or some frame positions only (order and codes kept)."""
    keep_node = np.ones(rows.n_nodes, bool) if pair_keep is None else pair_keep[rows.node_pair]
    keep = keep_node[rows.node]
    ann = np.ones(len(rows.ann_pair), bool) if pair_keep is None else pair_keep[rows.ann_pair]
    if frame_keep is not None:
        keep &= frame_keep[rows.row]
        ann &= frame_keep[rows.ann_row]
    new_id = np.cumsum(keep_node) - 1
    parent = rows.node_parent[keep_node]
    return Rows(
        node=new_id[rows.node[keep]],
        key=rows.key[keep],
        kind=rows.kind[keep],
        low=rows.low[keep],
        high=rows.high[keep],
        src=rows.src[keep],
        name=rows.name[keep],
        row=rows.row[keep],
        node_pair=rows.node_pair[keep_node],
        node_parent=np.where(parent >= 0, new_id[np.maximum(parent, 0)], -1),
        node_depth=rows.node_depth[keep_node],
        deployer=rows.deployer,
        host=rows.host,
        source_names=rows.source_names,
        ann_pair=rows.ann_pair[ann],
        ann_date=rows.ann_date[ann],
        ann_known=rows.ann_known[ann],
        ann_src=rows.ann_src[ann],
        ann_row=rows.ann_row[ann],
    )
