"""The reference answers: presence as of a date computed by DuckDB in one SQL statement.

The same rule as core.presence.evaluate (see its docstring), written independently in SQL, so the
benchmark can check that both give identical answers while timing them side by side.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Report

COLUMNS = ["id", "deployer", "host", "scope_key", "date", "status", "troops", "troops_max", "count_kind",
           "source_name", "source_date", "review_state"]

PRESENCE_SQL = """
WITH pub AS (
    SELECT * FROM reports WHERE review_state = 'published' {host_filter}
),
latest AS (
    SELECT *,
        CASE WHEN status = 'withdrawn' THEN 0 ELSE troops END::DOUBLE AS low,
        CASE WHEN status = 'withdrawn' THEN 0
             WHEN count_kind = 'range' AND troops_max IS NOT NULL THEN troops_max
             ELSE troops END::DOUBLE AS high
    FROM pub
    WHERE status IN ('present', 'withdrawn') AND date <= $as_of
    QUALIFY date = max(date) OVER (PARTITION BY deployer, host, scope_key)
),
scopes AS (
    SELECT deployer, host, scope_key, max(date) AS date, min(low) AS low, max(high) AS high,
        median((low + high) / 2) AS best, bool_and(status = 'withdrawn') AS wd
    FROM latest GROUP BY ALL
),
totals AS (SELECT * FROM scopes WHERE scope_key = ''),
live_scoped AS (
    SELECT s.* FROM scopes s LEFT JOIN totals t ON s.deployer = t.deployer AND s.host = t.host
    WHERE s.scope_key <> '' AND (t.date IS NULL OR s.date > t.date)
),
sums AS (
    SELECT deployer, host, sum(low) AS low, sum(high) AS high, sum(best) AS best, max(date) AS date,
        bool_and(wd) AS wd
    FROM live_scoped GROUP BY ALL
),
pairs AS (
    SELECT coalesce(s.deployer, t.deployer) AS deployer, coalesce(s.host, t.host) AS host,
        CASE WHEN s.deployer IS NULL THEN t.low ELSE s.low END AS low,
        CASE WHEN s.deployer IS NULL THEN t.high ELSE s.high END AS high,
        CASE WHEN s.deployer IS NULL THEN t.best ELSE s.best END AS best,
        CASE WHEN s.deployer IS NULL THEN t.date ELSE s.date END AS date,
        CASE WHEN s.deployer IS NULL THEN t.wd ELSE s.wd END AS wd
    FROM sums s FULL OUTER JOIN totals t ON s.deployer = t.deployer AND s.host = t.host
),
live_keys AS (
    SELECT deployer, host, scope_key FROM live_scoped
    UNION ALL
    SELECT t.deployer, t.host, '' FROM totals t
    WHERE NOT EXISTS (SELECT 1 FROM sums s WHERE s.deployer = t.deployer AND s.host = t.host)
),
per_pair AS (
    SELECT l.deployer, l.host, count(DISTINCT l.source_name) AS sources, count(*) AS reports
    FROM latest l JOIN live_keys k USING (deployer, host, scope_key) GROUP BY ALL
),
present AS (
    SELECT p.deployer, p.host,
        floor(p.best + 0.5)::BIGINT AS troops, floor(p.low + 0.5)::BIGINT AS troops_low,
        floor(p.high + 0.5)::BIGINT AS troops_high, c.sources, c.reports, p.date AS last_report_date,
        CASE WHEN p.wd THEN 'withdrawn' ELSE 'present' END AS status
    FROM pairs p JOIN per_pair c USING (deployer, host)
),
announced AS (
    SELECT *, CASE WHEN published IS NOT NULL AND published < date THEN published ELSE date END AS known
    FROM (
        SELECT *, CASE length(source_date)
            WHEN 4 THEN make_date(source_date::INT, 1, 1)
            WHEN 7 THEN make_date(left(source_date, 4)::INT, right(source_date, 2)::INT, 1)
            WHEN 10 THEN try_cast(source_date AS DATE) END AS published
        FROM pub WHERE status = 'announced'
    )
),
pending AS (
    SELECT a.* FROM announced a LEFT JOIN present p USING (deployer, host)
    WHERE a.known <= $as_of AND (p.last_report_date IS NULL OR a.date > p.last_report_date)
),
counts AS (
    SELECT deployer, host, count(*) AS announced, count(DISTINCT source_name) AS a_sources,
        max(known) AS a_date
    FROM pending GROUP BY ALL
)
SELECT coalesce(p.deployer, a.deployer) AS deployer, coalesce(p.host, a.host) AS host,
    p.troops, p.troops_low, p.troops_high,
    coalesce(p.sources, a.a_sources) AS sources, coalesce(p.reports, a.announced) AS reports,
    coalesce(p.last_report_date, a.a_date) AS last_report_date,
    date_diff('day', coalesce(p.last_report_date, a.a_date), $as_of) AS days_since_report,
    coalesce(p.status, 'announced') AS status, coalesce(a.announced, 0) AS announced
FROM present p FULL OUTER JOIN counts a ON p.deployer = a.deployer AND p.host = a.host
ORDER BY troops DESC NULLS LAST, deployer, host
"""


def load(session: Session) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding the store's reports (the same rows Garrison answers from)."""
    rows = session.execute(select(*[getattr(Report, c) for c in COLUMNS])).all()
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    for column in ("troops", "troops_max"):
        frame[column] = frame[column].astype("Int64")
    con = duckdb.connect()
    con.register("frame", frame)
    con.execute("CREATE TABLE reports AS SELECT * REPLACE (date::DATE AS date) FROM frame")
    con.unregister("frame")
    return con


def presence(con: duckdb.DuckDBPyConnection, as_of: dt.date, host: str | None = None) -> pd.DataFrame:
    sql = PRESENCE_SQL.format(host_filter="AND host = $host" if host else "")
    params = {"as_of": as_of, **({"host": host} if host else {})}
    return con.execute(sql, params).df()


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Both answers in one shape, sorted by pair, for an exact comparison."""
    out = frame.copy()
    for column in ("troops", "troops_low", "troops_high"):
        out[column] = out[column].astype("Int64")
    for column in ("sources", "reports", "days_since_report", "announced"):
        out[column] = out[column].astype("int64")
    out["last_report_date"] = pd.to_datetime(out["last_report_date"]).dt.date
    out["status"] = out["status"].astype(str)
    out["deployer"] = out["deployer"].astype(str)
    out["host"] = out["host"].astype(str)
    columns = ["deployer", "host", "troops", "troops_low", "troops_high", "sources", "reports",
               "last_report_date", "days_since_report", "status", "announced"]
    return out[columns].sort_values(["deployer", "host"]).reset_index(drop=True)
