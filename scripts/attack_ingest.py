"""Run every bad input file of issue 12 (and a few good ones that must be read one certain way) through
the real `garrison import` command, each in its own process, and tally what came of them.

    python scripts/attack_ingest.py [--json FILE] [--keep DIR]

Tally: bad inputs tried / clear messages (exit 2 naming line and field, or for a whole-file problem
naming the file, store unchanged) / tracebacks / silent wrong data (a bad file imported, a failed import
that changed the store, a good file stored differently) / crashes (killed, timed out, exit 1 without a
message). Exit status 0 only when every bad input got a clear message and every good one was stored
as expected. The files are built here (this script's own content), in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEADER = "deployer,host,troops,count_kind,date,source_name,lat,lon,notes,location"
URL_HEADER = "deployer,host,troops,count_kind,date,source_name,source_url"
TIMEOUT_S = 600  # a refusal that takes minutes is itself a failure (issue 12: 166 s for a wide header)


def row(troops="250", date="2021-04", lat="", lon="", notes="", kind="approx", location="Attack test"):
    return f"France,Niger,{troops},{kind},{date},Attack Desk,{lat},{lon},{notes},{location}"


def text(*rows: str, header: str = HEADER, end: str = "\n") -> bytes:
    return end.join([header, *rows, ""]).encode()


@dataclass
class Case:
    name: str
    body: bytes
    kind: str  # "row": refused naming line and field; "file": refused naming the file; "good": stored
    line_field: tuple[int, str] | None = None  # for "row": the line and field the message must name
    expect: dict[str, object] = field(default_factory=dict)  # for "good": column -> stored value


def cases() -> list[Case]:
    r = Case
    return [
        # numbers read two ways, or not numbers at all
        r("thousands point", text(row(troops="1.000")), "row", (2, "troops")),
        r("decimal comma", text(row(troops='"10,00"')), "row", (2, "troops")),
        r("arabic-indic digits", text(row(troops="\u0663\u0660\u0660")), "row", (2, "troops")),
        r("fullwidth digits", text(row(troops="\uff13\uff10\uff10")), "row", (2, "troops")),
        r("exponent troops", text(row(troops="2e3")), "row", (2, "troops")),
        r("negative troops", text(row(troops="-40")), "row", (2, "troops")),
        r("troops with a space", text(row(troops="1 500")), "row", (2, "troops")),
        r("troops too big", text(row(troops="9000000")), "row", (2, "troops")),
        r("lat NaN", text(row(lat="NaN", lon="2.1")), "row", (2, "lat")),
        r("lon -inf", text(row(lat="13.5", lon="-inf")), "row", (2, "lon")),
        r("lat exponent", text(row(lat="1.3e1", lon="2.1")), "row", (2, "lat")),
        r("lat out of range", text(row(lat="95", lon="2.1")), "row", (2, "lat")),
        r("lat without lon", text(row(lat="13.5")), "row", (2, "lon")),
        r("fullwidth lon", text(row(lat="13.5", lon="\uff12")), "row", (2, "lon")),
        # dates
        r("year 0001", text(row(date="0001")), "row", (2, "date")),
        r("year 1799", text(row(date="1799-12")), "row", (2, "date")),
        r("month 13", text(row(date="2021-13")), "row", (2, "date")),
        r("day 31 of april", text(row(date="2021-04-31")), "row", (2, "date")),
        r("arabic-indic year", text(row(date="\u0662\u0660\u0662\u0661")), "row", (2, "date")),
        r("date in words", text(row(date="April 2021")), "row", (2, "date")),
        # countries, kinds, text
        r("unknown host", text("France,Atlantis,250,approx,2021-04,Attack Desk,,,,"), "row", (2, "host")),
        r("a sea as host", text("France,Gulf of Guinea,250,approx,2021-04,Attack Desk,,,,"), "row", (2, "host")),
        r("bad count kind", text(row(kind="roughly")), "row", (2, "count_kind")),
        r("no source", text("France,Niger,250,approx,2021-04,,,,,"), "row", (2, "source_name")),
        r("notes over csv's 131,072", text(row(notes="w" * 150_000)), "row", (2, "notes")),
        r("location with a control char", text(row(location="Niamey\x07")), "row", (2, "location")),
        r(
            "javascript url",
            text("France,Niger,250,approx,2021-04,Attack Desk,javascript:alert(1)", header=URL_HEADER),
            "row",
            (2, "source_url"),
        ),
        r("an error on line 4 only", text(row(), row(), row(troops="x")), "row", (4, "troops")),
        r("too many cells", text(row() + ",extra,cells"), "row", (2, "row")),
        # whole-file problems
        r("troops twice", b"deployer,host,troops,date,source_name,troops\nFRA,NER,1,2021,X,2\n", "file"),
        r("host twice", b"deployer,host,date,source_name,host\nFRA,NER,2021,X,MLI\n", "file"),
        r("missing required column", b"deployer,host,troops\nFRA,NER,1\n", "file"),
        r("unknown column", text(row(), header=HEADER + ",colour")[:-1] + b",red\n", "file"),
        r("empty file", b"", "file"),
        r("utf-16 with bom", text(row()).decode().encode("utf-16"), "file"),
        r("utf-16 without bom", text(row()).decode().encode("utf-16-le"), "file"),
        r(
            "latin-1",
            "deployer,host,date,source_name\nFrance,Niger,2021,Le Monde \u00e9t\u00e9\n".encode("latin-1"),
            "file",
        ),
        r("nul bytes", b"deployer,host,date,source_name\nFRA,NER,2021,a\x00b\n", "file"),
        r("png renamed", b"\x89PNG\r\n\x1a\n" + bytes(range(64)), "file"),
        r("zip renamed", b"PK\x03\x04" + bytes(60), "file"),
        r("100,000-column header", ",".join(f"c{i}" for i in range(100_000)).encode() + b"\n1\n", "file"),
        r("unterminated quote", text(row(notes='"never closed')), "file"),
        # good files that must be read one way only
        r("grouped thousands", text(row(troops='"3,000"', location="g1")), "good", expect={"troops": 3000}),
        r("all-zero decimals", text(row(troops="100.0", location="g2")), "good", expect={"troops": 100}),
        r("cr-only line endings", text(row(location="CR only"), end="\r"), "good", expect={"location": "CR only"}),
        r(
            "crlf and bom",
            b"\xef\xbb\xbf" + text(row(location="CRLF"), end="\r\n"),
            "good",
            expect={"location": "CRLF"},
        ),
        r("negative longitude", text(row(lat="13.5", lon="-2.1", location="g3")), "good", expect={"lon": -2.1}),
        r(
            "multi-line quoted notes",
            text(row(notes='"first\nsecond\rthird"', location="multi")),
            "good",
            expect={"notes": "first\nsecond\rthird"},
        ),
        r(
            "typed formula text",
            text(row(notes="'=already", location="=1+1")),
            "good",
            expect={"notes": "'=already", "location": "=1+1"},
        ),
    ]


@dataclass
class Outcome:
    name: str
    verdict: str  # clear / traceback / silent wrong data / crash / unclear
    detail: str


def _count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM reports").fetchone()[0]


def _newest(db: Path, columns: list[str]) -> dict[str, object]:
    with sqlite3.connect(db) as conn:
        values = conn.execute(f"SELECT {', '.join(columns)} FROM reports ORDER BY id DESC LIMIT 1").fetchone()
    return dict(zip(columns, values, strict=True))


def garrison(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "core", *args], capture_output=True, text=True, env=env, timeout=TIMEOUT_S, cwd=REPO
    )


def judge(case: Case, done: subprocess.CompletedProcess, changed: bool, db: Path) -> Outcome:
    err = done.stderr
    if "Traceback (most recent call last)" in err:
        return Outcome(case.name, "traceback", err.strip().splitlines()[-1])
    if done.returncode < 0 or done.returncode not in (0, 1, 2):
        return Outcome(case.name, "crash", f"exit {done.returncode}")
    if case.kind == "good":
        if done.returncode != 0:
            return Outcome(case.name, "unclear", f"a good file refused (exit {done.returncode}): {err.strip()[:200]}")
        stored = _newest(db, list(case.expect))
        ok = stored == case.expect
        return Outcome(case.name, "clear" if ok else "silent wrong data", f"stored {stored}")
    if done.returncode == 0 or changed:
        return Outcome(case.name, "silent wrong data", f"exit {done.returncode}, store changed: {changed}")
    if done.returncode == 1:
        return Outcome(case.name, "crash", f"exit 1: {err.strip()[:200]}")
    first = err.strip().splitlines()[0] if err.strip() else ""
    if case.kind == "row":
        line, name = case.line_field or (0, "")
        if re.search(rf"line {line}: {re.escape(name)}: ", err):
            return Outcome(case.name, "clear", first[:160])
        return Outcome(case.name, "unclear", f"no 'line {line}: {name}:' in: {err.strip()[:200]}")
    return Outcome(case.name, "clear" if first else "unclear", first[:160] or "no message")


def attack(folder: Path) -> list[Outcome]:
    db = folder / "attack.sqlite"
    url = f"sqlite:///{db}"
    init = garrison("init", "--db", url)
    if init.returncode != 0:
        raise SystemExit(f"garrison init failed: {init.stderr}")
    outcomes = []
    for n, case in enumerate(cases()):
        path = folder / f"{n:02d}-{re.sub(r'[^a-z0-9]+', '-', case.name.lower())}.csv"
        path.write_bytes(case.body)
        before = _count(db)
        try:
            done = garrison("import", str(path), "--db", url)
        except subprocess.TimeoutExpired:
            outcomes.append(Outcome(case.name, "crash", f"no answer in {TIMEOUT_S} s"))
            continue
        after = _count(db)
        changed = after != before if case.kind != "good" else after != before + 1
        outcome = judge(case, done, changed, db)
        if case.kind == "good" and changed:
            outcome = Outcome(case.name, "silent wrong data", f"{after - before} rows stored, expected 1")
        outcomes.append(outcome)
        print(f"{outcome.verdict:>17}  {case.kind:<4}  {case.name}: {outcome.detail}", flush=True)
    return outcomes


def tally(outcomes: list[Outcome]) -> dict[str, int]:
    names = {o.name: o for o in outcomes}
    kinds = {c.name: c.kind for c in cases()}
    bad = [o for o in outcomes if kinds[o.name] != "good"]
    good = [o for o in outcomes if kinds[o.name] == "good"]
    count = {
        v: sum(o.verdict == v for o in bad) for v in ("clear", "traceback", "silent wrong data", "crash", "unclear")
    }
    return {
        "bad inputs tried": len(bad),
        "clear messages": count["clear"],
        "tracebacks": count["traceback"],
        "silent wrong data": count["silent wrong data"],
        "crashes": count["crash"],
        "unclear messages": count["unclear"],
        "good inputs tried": len(good),
        "good inputs stored as expected": sum(o.verdict == "clear" for o in good),
        "cases": len(names),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the tally and every outcome to this file")
    parser.add_argument("--keep", help="build the files and the store in this folder (kept)")
    args = parser.parse_args(argv)
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        outcomes = attack(Path(args.keep))
    else:
        with tempfile.TemporaryDirectory() as folder:
            outcomes = attack(Path(folder))
    summary = tally(outcomes)
    print(" / ".join(f"{k}: {v}" for k, v in summary.items()))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"tally": summary, "outcomes": [vars(o) for o in outcomes]}, indent=1), encoding="utf-8"
        )
    perfect = summary["clear messages"] == summary["bad inputs tried"]
    return 0 if perfect and summary["good inputs stored as expected"] == summary["good inputs tried"] else 1


if __name__ == "__main__":
    sys.exit(main())
