"""The reference answers: presence as of a date computed by DuckDB in one SQL statement.

The rule of core/rule.py (README, "How presence as of a date is computed"), written independently in
SQL, so the benchmark can check that both give identical answers while timing them side by side.

How the SQL reads:
- `counted` gives every row a kind (N number, U presence without number, W withdrawn) and one integer
  key, days * 3 + precision rank, so "newer evidence" is a plain integer comparison.
- `keys` finds per scope its figure key (latest N or W) and its latest number key; `cand` keeps only
  the rows the rule can ever use (figure block, last numbers, later confirmations), and `own` sums
  them up per scope.
- The tree has three fixed levels (location 'm|l' -> mission 'm|' -> pair ''; '|l' under the pair),
  so one node step is written once (`PARTS_SQL`, `NODE_SQL`) and applied bottom-up, level 2, 1, 0; which rows a
  pair rests on is then followed top-down (`walk0..2`), with each node's anchor: the figure key of the
  nearest used node at or above it, which a report without a number must be newer than to confirm.
- A node revives (present, size unknown) on the latest report without a number anywhere in its subtree
  (`conf`, carried up like the figure key), when that is newer than its figure key.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Report

COLUMNS = [
    "id",
    "deployer",
    "host",
    "scope_key",
    "date",
    "date_precision",
    "status",
    "troops",
    "troops_max",
    "count_kind",
    "source_name",
    "source_date",
    "review_state",
]
TYPES = {
    "id": "BIGINT",
    "deployer": "VARCHAR",
    "host": "VARCHAR",
    "scope_key": "VARCHAR",
    "date": "DATE",
    "date_precision": "VARCHAR",
    "status": "VARCHAR",
    "troops": "BIGINT",
    "troops_max": "BIGINT",
    "count_kind": "VARCHAR",
    "source_name": "VARCHAR",
    "source_date": "VARCHAR",
    "review_state": "VARCHAR",
}
OUTPUT = [
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
]
FAMILIES = Path(__file__).resolve().parent.parent / "core" / "data" / "source_families.csv"
# What Python's str.split() splits on (RE2's \s alone misses \v, \x1c-\x1f, \x85 and Unicode spaces).
SPACES = r"[\s\x0b\x1c-\x1f\x85\p{Z}]+"
EPOCH = "DATE '0001-01-01'"  # keys count days from here, so they are never negative

# Results of a node from its own figure (t.*) and the aggregate of its parts (p.*); rule a/b/c/d as in
# the precise rule. {d} is the level; part aggregates are absent (NULL) at level 2.
NODE_SQL = """
res{d} AS (
    SELECT *,
        conf IS NOT NULL AND (fk IS NULL OR conf > fk)
            AND coalesce(raw_status, 'withdrawn') = 'withdrawn' AS revive
    FROM (
        SELECT j.deployer, j.host, j.scope_key, j.parent, j.ko, j.kn,
            greatest(j.conf_key, j.a_conf) AS conf,
            j.lh_low, j.lh_best, j.lh_high, j.rule,
            CASE j.rule WHEN 'a' THEN j.a_low WHEN 'b' THEN j.o_low WHEN 'c' THEN j.n_low
                ELSE CASE WHEN j.w_missing THEN 0 ELSE greatest(j.o_low - coalesce(j.w_high, 0), 0) END
            END AS raw_low,
            CASE j.rule WHEN 'a' THEN j.a_best WHEN 'b' THEN j.o_best WHEN 'c' THEN j.n_best
                ELSE CASE WHEN j.o_best IS NOT NULL THEN greatest(j.o_best - coalesce(j.w_best, 0), 0) END
            END AS raw_best,
            CASE j.rule WHEN 'a' THEN j.a_high WHEN 'b' THEN j.o_high WHEN 'c' THEN j.n_high
                ELSE CASE WHEN j.o_high IS NOT NULL THEN greatest(j.o_high - coalesce(j.w_low, 0), 0) END
            END AS raw_high,
            CASE j.rule WHEN 'a' THEN CASE WHEN j.a_present THEN 'present' WHEN NOT j.a_present THEN 'withdrawn' END
                WHEN 'c' THEN 'present' ELSE j.o_status END AS raw_status,
            CASE j.rule WHEN 'a' THEN j.a_fk WHEN 'c' THEN j.n_fk ELSE j.ko END AS fk,
            CASE j.rule WHEN 'a' THEN coalesce(j.a_conflict, false) WHEN 'b' THEN j.o_conflict
                WHEN 'c' THEN coalesce(j.n_conflict, false) ELSE j.o_conflict OR coalesce(j.n_conflict, false)
            END AS conflict
        FROM (
            SELECT t.*, p.* EXCLUDE (deployer, host, scope_key),
                CASE WHEN t.ko IS NULL THEN 'a' WHEN coalesce(p.n_count, 0) = 0 THEN 'b'
                     WHEN p.n_present THEN 'c' ELSE 'd' END AS rule
            FROM tree t {parts_join}
            WHERE t.depth = {d}
        ) j
    )
),
node{d} AS (
    SELECT deployer, host, scope_key, parent, ko, kn, rule, fk, conf, conflict, lh_low, lh_best, lh_high,
        CASE WHEN revive THEN 'present' ELSE raw_status END AS status,
        CASE WHEN NOT revive THEN raw_low END AS low,
        CASE WHEN NOT revive THEN raw_best END AS best,
        CASE WHEN NOT revive THEN raw_high END AS high
    FROM res{d}
)"""

# The parts of each node at level {d}, as its rule needs them: all parts (a), parts newer than the
# node's own figure key (c, d) and what the newer (withdrawn) parts last had (d).
PARTS_SQL = """
parts{d} AS (
    SELECT t.deployer, t.host, t.scope_key,
        max(r.fk) AS a_fk, max(r.conf) AS a_conf, sum(r.low) AS a_low,
        CASE WHEN bool_or(r.status = 'present' AND r.best IS NULL) THEN NULL ELSE sum(r.best) END AS a_best,
        CASE WHEN bool_or(r.status = 'present' AND r.high IS NULL) THEN NULL ELSE sum(r.high) END AS a_high,
        bool_or(r.status = 'present') AS a_present, bool_or(r.conflict) AS a_conflict,
        count(*) FILTER (WHERE r.fk > t.ko) AS n_count, max(r.fk) FILTER (WHERE r.fk > t.ko) AS n_fk,
        sum(r.low) FILTER (WHERE r.fk > t.ko) AS n_low,
        CASE WHEN bool_or(r.status = 'present' AND r.best IS NULL) FILTER (WHERE r.fk > t.ko) THEN NULL
             ELSE sum(r.best) FILTER (WHERE r.fk > t.ko) END AS n_best,
        CASE WHEN bool_or(r.status = 'present' AND r.high IS NULL) FILTER (WHERE r.fk > t.ko) THEN NULL
             ELSE sum(r.high) FILTER (WHERE r.fk > t.ko) END AS n_high,
        bool_or(r.status = 'present') FILTER (WHERE r.fk > t.ko) AS n_present,
        bool_or(r.conflict) FILTER (WHERE r.fk > t.ko) AS n_conflict,
        sum(r.lh_low) FILTER (WHERE r.fk > t.ko) AS w_low, sum(r.lh_best) FILTER (WHERE r.fk > t.ko) AS w_best,
        sum(r.lh_high) FILTER (WHERE r.fk > t.ko) AS w_high,
        bool_or(r.lh_low IS NULL) FILTER (WHERE r.fk > t.ko) AS w_missing
    FROM node{child} r
    JOIN tree t ON t.deployer = r.deployer AND t.host = r.host AND t.scope_key = r.parent
    GROUP BY t.deployer, t.host, t.scope_key
)"""

PARTS_JOIN = "LEFT JOIN parts{d} p ON p.deployer = t.deployer AND p.host = t.host AND p.scope_key = t.scope_key"
NO_PARTS = (
    "CROSS JOIN (SELECT NULL AS deployer, NULL AS host, NULL AS scope_key, "
    "NULL::BIGINT AS a_fk, NULL::BIGINT AS a_conf, NULL::DOUBLE AS a_low, NULL::DOUBLE AS a_best, "
    "NULL::DOUBLE AS a_high, NULL::BOOLEAN AS a_present, NULL::BOOLEAN AS a_conflict, "
    "NULL::BIGINT AS n_count, NULL::BIGINT AS n_fk, NULL::DOUBLE AS n_low, NULL::DOUBLE AS n_best, "
    "NULL::DOUBLE AS n_high, NULL::BOOLEAN AS n_present, NULL::BOOLEAN AS n_conflict, "
    "NULL::DOUBLE AS w_low, NULL::DOUBLE AS w_best, NULL::DOUBLE AS w_high, "
    "NULL::BOOLEAN AS w_missing) p"
)

# Top-down over every node: is it used (by a used parent's rule a, all parts, or c/d, parts newer than
# the parent's figure), does it lend its last number (with_p: a withdrawn part under rule d), and its
# anchor, the figure key of the nearest used node at or above it, which its confirmations must be newer than.
WALK_SQL = """
walk{d} AS (
    SELECT deployer, host, scope_key, rule, ko, used, used AND parent_rule = 'd' AS with_p,
        CASE WHEN used THEN fk ELSE parent_anchor END AS anchor
    FROM (
        SELECT r.deployer, r.host, r.scope_key, r.rule, r.ko, r.fk, u.rule AS parent_rule, u.anchor AS parent_anchor,
            coalesce(u.used AND (u.rule = 'a' OR (u.rule IN ('c', 'd') AND r.fk > u.ko)), false) AS used
        FROM node{d} r
        JOIN walk{parent} u ON u.deployer = r.deployer AND u.host = r.host AND u.scope_key = r.parent
    )
)"""

HEAD_SQL = """
WITH pub AS {pub_mode} (
    SELECT * FROM reports WHERE review_state = 'published' {host_filter}
),
names AS (SELECT DISTINCT source_name FROM pub),
families AS (
    SELECT n.source_name, arg_min(f.family, f.ord) AS family
    FROM names n JOIN source_families f ON regexp_matches(n.source_name, f.pattern, 'i')
    GROUP BY n.source_name
),
idents AS (
    SELECT n.source_name,
        coalesce(f.family, lower(trim(regexp_replace(n.source_name, '{spaces}', ' ', 'g')))) AS src
    FROM names n LEFT JOIN families f USING (source_name)
),
counted AS (
    SELECT deployer, host, scope_key, date, source_name,
        date_diff('day', {epoch}, date) * 3
            + CASE date_precision WHEN 'year' THEN 0 WHEN 'month' THEN 1 ELSE 2 END AS k,
        CASE WHEN status = 'withdrawn' THEN 'W' WHEN troops IS NULL THEN 'U' ELSE 'N' END AS kind,
        troops::DOUBLE AS low,
        CASE WHEN count_kind = 'range' AND troops_max IS NOT NULL THEN troops_max ELSE troops END::DOUBLE AS high
    FROM pub
    WHERE status IN ('present', 'withdrawn') AND date <= $as_of
),
keys AS (
    SELECT deployer, host, scope_key,
        max(k) FILTER (WHERE kind <> 'U') AS ko, max(k) FILTER (WHERE kind = 'N') AS kn
    FROM counted GROUP BY deployer, host, scope_key
),
cand AS (
    SELECT c.*, s.ko, s.kn,
        c.k = s.ko AS in_f, s.ko IS NULL OR c.k > s.ko AS is_conf, c.kind = 'N' AND c.k = s.kn AND s.kn < s.ko AS in_p
    FROM counted c JOIN keys s USING (deployer, host, scope_key)
    WHERE c.k = s.ko OR c.k = s.kn OR s.ko IS NULL OR c.k > s.ko
),
own AS (
    SELECT deployer, host, scope_key, any_value(ko) AS ko, any_value(kn) AS kn,
        count(*) FILTER (WHERE in_f AND kind = 'N') AS f_n,
        coalesce(bool_or(kind = 'W') FILTER (WHERE in_f), false) AS f_w,
        coalesce(bool_or(kind = 'U') FILTER (WHERE in_f), false) AS f_u,
        min(low) FILTER (WHERE in_f AND kind = 'N') AS f_minlow,
        max(low) FILTER (WHERE in_f AND kind = 'N') AS f_maxlow,
        min(high) FILTER (WHERE in_f AND kind = 'N') AS f_minhigh,
        max(high) FILTER (WHERE in_f AND kind = 'N') AS f_maxhigh,
        median((low + high) / 2) FILTER (WHERE in_f AND kind = 'N') AS f_best,
        max(k) FILTER (WHERE is_conf) AS conf_key,
        min(low) FILTER (WHERE in_p) AS lh_low, max(high) FILTER (WHERE in_p) AS lh_high,
        median((low + high) / 2) FILTER (WHERE in_p) AS lh_best
    FROM cand GROUP BY deployer, host, scope_key
),
figures AS (
    SELECT *,
        CASE WHEN ko IS NULL THEN NULL WHEN f_w THEN 0 ELSE f_minlow END AS o_low,
        CASE WHEN ko IS NULL THEN NULL WHEN f_n > 0 THEN f_best WHEN f_u THEN NULL ELSE 0 END AS o_best,
        CASE WHEN ko IS NULL THEN NULL WHEN f_n > 0 THEN f_maxhigh WHEN f_u THEN NULL ELSE 0 END AS o_high,
        CASE WHEN ko IS NULL THEN NULL WHEN f_n > 0 OR f_u THEN 'present' ELSE 'withdrawn' END AS o_status,
        coalesce(f_minlow <> f_maxlow OR f_minhigh <> f_maxhigh, false) OR (f_w AND (f_n > 0 OR f_u)) AS o_conflict
    FROM own
),
nodes AS (
    SELECT deployer, host, scope_key FROM own
    UNION
    SELECT deployer, host, split_part(scope_key, '|', 1) || '|' FROM own
    WHERE scope_key <> '' AND NOT starts_with(scope_key, '|') AND NOT ends_with(scope_key, '|')
    UNION
    SELECT deployer, host, '' FROM own
),
tree AS (
    SELECT n.deployer, n.host, n.scope_key,
        CASE WHEN n.scope_key = '' THEN 0
             WHEN starts_with(n.scope_key, '|') OR ends_with(n.scope_key, '|') THEN 1 ELSE 2 END AS depth,
        CASE WHEN n.scope_key = '' THEN NULL
             WHEN starts_with(n.scope_key, '|') OR ends_with(n.scope_key, '|') THEN ''
             ELSE split_part(n.scope_key, '|', 1) || '|' END AS parent,
        f.* EXCLUDE (deployer, host, scope_key)
    FROM nodes n LEFT JOIN figures f USING (deployer, host, scope_key)
),"""

TAIL_SQL = """
walk0 AS (SELECT deployer, host, scope_key, rule, ko, true AS used, false AS with_p, fk AS anchor FROM node0),
{walk},
walk AS (SELECT * FROM walk0 UNION ALL SELECT * FROM walk1 UNION ALL SELECT * FROM walk2),
rested AS (
    SELECT c.deployer, c.host, count(*) AS reports, count(DISTINCT i.src) AS sources, max(c.date) AS last_date
    FROM cand c
    JOIN walk u USING (deployer, host, scope_key)
    JOIN idents i USING (source_name)
    -- The pair node is always used, so every node has an anchor; none (no figure) means any key is newer.
    WHERE (c.is_conf AND (u.anchor IS NULL OR c.k > u.anchor))
        OR (u.used AND ((c.in_f AND u.rule IN ('b', 'd')) OR (c.in_p AND u.with_p)))
    GROUP BY c.deployer, c.host
),
present AS (
    SELECT n.deployer, n.host,
        floor(n.best + 0.5)::BIGINT AS troops, floor(n.low + 0.5)::BIGINT AS troops_low,
        floor(n.high + 0.5)::BIGINT AS troops_high, r.sources, r.reports, r.last_date AS last_report_date,
        CASE WHEN n.fk IS NOT NULL THEN {epoch} + (n.fk // 3)::INTEGER END AS figure_date,
        n.status, n.conflict
    FROM node0 n JOIN rested r USING (deployer, host)
),
announced AS (
    SELECT *, CASE WHEN published IS NOT NULL AND published < date THEN published ELSE date END AS known
    FROM (
        SELECT *, CASE length(source_date)
            WHEN 4 THEN make_date(try_cast(source_date AS INT), 1, 1)
            WHEN 7 THEN make_date(try_cast(left(source_date, 4) AS INT), try_cast(right(source_date, 2) AS INT), 1)
            WHEN 10 THEN try_cast(source_date AS DATE) END AS published
        FROM pub WHERE status = 'announced'
    )
),
pending AS (
    SELECT a.* FROM announced a LEFT JOIN present p USING (deployer, host)
    WHERE a.known <= $as_of AND (p.last_report_date IS NULL OR a.date > p.last_report_date)
),
counts AS (
    SELECT a.deployer, a.host, count(*) AS announced, count(DISTINCT i.src) AS a_sources, max(a.known) AS a_date
    FROM pending a JOIN idents i USING (source_name) GROUP BY a.deployer, a.host
)
SELECT coalesce(p.deployer, a.deployer) AS deployer, coalesce(p.host, a.host) AS host,
    p.troops, p.troops_low, p.troops_high,
    coalesce(p.sources, a.a_sources) AS sources, coalesce(p.reports, a.announced) AS reports,
    coalesce(p.last_report_date, a.a_date) AS last_report_date, p.figure_date,
    date_diff('day', coalesce(p.last_report_date, a.a_date), $as_of) AS days_since_report,
    coalesce(p.status, 'announced') AS status, coalesce(a.announced, 0) AS announced,
    coalesce(p.conflict, false) AS conflict
FROM present p FULL OUTER JOIN counts a ON p.deployer = a.deployer AND p.host = a.host
ORDER BY troops DESC NULLS LAST, deployer, host
"""


def _presence_sql(host_filter: str) -> str:
    levels = [NODE_SQL.format(d=2, parts_join=NO_PARTS)]
    for d in (1, 0):
        levels.append(PARTS_SQL.format(d=d, child=d + 1))
        levels.append(NODE_SQL.format(d=d, parts_join=PARTS_JOIN.format(d=d)))
    walk = ",".join(WALK_SQL.format(d=d, parent=d - 1) for d in (1, 2))
    # Keeping all rows costs more than reading the table again; one host's rows are cheap to keep.
    pub_mode = "MATERIALIZED" if host_filter else "NOT MATERIALIZED"
    head = HEAD_SQL.format(host_filter=host_filter, pub_mode=pub_mode, spaces=SPACES, epoch=EPOCH)
    return head + ",".join(levels) + "," + TAIL_SQL.format(walk=walk, epoch=EPOCH)


PRESENCE_SQL = {False: _presence_sql(""), True: _presence_sql("AND host = $host")}


def load_frame(frame: pd.DataFrame) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding `frame` (columns COLUMNS) as table reports, and the source families."""
    frame = frame[COLUMNS].copy()
    frame["date"] = pd.to_datetime(frame["date"])
    for column in ("troops", "troops_max"):
        frame[column] = frame[column].astype("Int64")
    con = duckdb.connect()
    con.execute("CREATE TABLE reports (" + ", ".join(f"{c} {t}" for c, t in TYPES.items()) + ")")
    con.register("frame", frame)
    con.execute("INSERT INTO reports SELECT " + ", ".join(f"{c}::{t}" for c, t in TYPES.items()) + " FROM frame")
    con.unregister("frame")
    with FAMILIES.open(encoding="utf-8", newline="") as f:
        families = [(i, r["pattern"], r["family"]) for i, r in enumerate(csv.DictReader(f))]
    con.execute("CREATE TABLE source_families (ord INTEGER, pattern VARCHAR, family VARCHAR)")
    if families:
        con.executemany("INSERT INTO source_families VALUES (?, ?, ?)", families)
    return con


def load(session: Session) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding the store's reports (the same rows Garrison answers from)."""
    rows = session.execute(select(*[getattr(Report, c) for c in COLUMNS])).all()
    return load_frame(pd.DataFrame(rows, columns=COLUMNS))


def presence(con: duckdb.DuckDBPyConnection, as_of: dt.date, host: str | None = None) -> pd.DataFrame:
    """Columns OUTPUT, one row per pair, sorted by troops (desc, nulls last), deployer, host."""
    params = {"as_of": as_of, **({"host": host} if host else {})}
    return con.execute(PRESENCE_SQL[bool(host)], params).df()


def _date_or_none(values: pd.Series) -> list:
    return [None if pd.isna(v) else pd.Timestamp(v).date() for v in values]


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Both answers in one shape (columns OUTPUT), sorted by pair, for an exact comparison."""
    out = frame.copy()
    for column in ("troops", "troops_low", "troops_high"):
        out[column] = out[column].astype("Int64")
    for column in ("sources", "reports", "days_since_report", "announced"):
        out[column] = out[column].astype("int64")
    for column in ("last_report_date", "figure_date"):
        out[column] = pd.Series(_date_or_none(out[column]), index=out.index, dtype=object)
    out["conflict"] = out["conflict"].fillna(False).astype(bool)
    for column in ("status", "deployer", "host"):
        out[column] = out[column].astype(str)
    return out[OUTPUT].sort_values(["deployer", "host"]).reset_index(drop=True)
