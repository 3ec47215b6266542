"""Score core.extract on a labelled folder (labels.csv as in ../shared/articles-dev).

    python scripts/score_extractor.py [FOLDER] [--json]

Pairs: precision / recall / F1 over distinct (file, deployer, host). Gold rows whose deployer or host is
not a country (a multinational body such as CSTO or SADC, a region such as "other NATO countries") are
skipped; "A; B" lists are split into one row per country. Predicted pairs that such a skipped row may
stand for (same file and the same country on the side that is known) are listed as unscorable and left
out of the lenient precision; the strict precision counts them as false positives.

Counts, on gold rows whose pair was found: a row with a number is right when a draft of that pair has
the number (a range row: its low end); a row without one is right when the pair has a count-less draft
or every number drafted for the pair is a gold number of that pair. Qualifiers: on rows with a number
found, the draft's count_kind equals the label (min -> at_least, max -> at_most, none -> unknown).
Dates (extra): on rows with an event_date, a draft of the pair (with the row's number) has that date.
Spurious counts are drafted numbers, on found pairs, that no gold row of the pair has.

Timing: extraction of a ~5,000-word article made of the folder's texts, repeated.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import countries  # noqa: E402
from core.extract import extract  # noqa: E402
from core.extraction.gazetteer import gazetteer  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "articles-dev"
KIND = {
    "exact": "exact",
    "approx": "approx",
    "min": "at_least",
    "max": "at_most",
    "range": "range",
    "none": "unknown",
    "": "unknown",
}


# A label naming more than one country or a region ("Persian Gulf region", "Iraq and surrounding countries")
# is not a country, whatever a fuzzy resolver makes of it.
_NOT_ONE_COUNTRY = re.compile(r"\b(?:region|countries|nations|other|and)\b", re.IGNORECASE)


def _iso(name: str) -> str | None:
    name = name.strip()
    entry = gazetteer().lookup(name.split())
    if _NOT_ONE_COUNTRY.search(name) or (entry is not None and entry.iso3 is None):
        return None  # a multinational body ("AU" is the African Union here, not Australia's code) or a region
    try:
        return countries.resolve(name).iso3
    except countries.UnknownCountry:
        return None


def load_gold(folder: Path) -> tuple[list[dict], list[dict]]:
    rows, skipped = [], []
    with (folder / "labels.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            deps = [_iso(x) for x in row["deployer_country"].split(";")]
            hosts = [_iso(x) for x in row["host_country"].split(";")]
            count = int(row["troop_count"].replace(",", "")) if row["troop_count"].strip() else None
            base = {
                "file": row["file"],
                "troops": count,
                "kind": KIND[row["count_kind"].strip()],
                "published": row["publication_date"] or None,
                "row": row,
            }
            if None in deps or None in hosts:
                skipped.append(
                    {
                        **base,
                        "deployers": [d for d in deps if d],
                        "hosts": [h for h in hosts if h],
                        "why": f"{row['deployer_country']} -> {row['host_country']}: not a country",
                    }
                )
                continue
            for d in deps:
                for h in hosts:
                    rows.append({**base, "deployer": d, "host": h})
    return rows, skipped


def score(folder: Path) -> dict:
    gold, skipped = load_gold(folder)
    files = sorted({r["file"] for r in gold} | {r["file"] for r in skipped})
    published = {r["file"]: r["published"] for r in gold + skipped}
    predicted = {name: extract((folder / name).read_text(encoding="utf-8"), published[name]) for name in files}
    pairs = _pair_scores(gold, skipped, predicted)
    rows = _row_scores(gold, predicted)
    rows["misses"] += [f"{f}: extra pair {d}->{h}" for f, d, h in pairs.pop("extra_pairs")]
    wall, cpu = _timing(folder, files)
    return {
        "files": len(files),
        "gold_rows": len(gold),
        "skipped_rows": [s["why"] + f" ({s['file']})" for s in skipped],
        **pairs,
        **rows,
        "ms_5000_words": wall,
        "cpu_ms_5000_words": cpu,
    }


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _pair_scores(gold: list[dict], skipped: list[dict], predicted: dict[str, list]) -> dict:
    """Precision, recall and F1 over distinct (file, deployer, host), lenient and strict on unscorable pairs."""
    gold_pairs = {(r["file"], r["deployer"], r["host"]) for r in gold}
    pred_pairs = {(f, d.deployer, d.host) for f, drafts in predicted.items() for d in drafts}
    unscorable = {
        p
        for p in pred_pairs - gold_pairs
        if any(s["file"] == p[0] and (p[1] in s["deployers"] or p[2] in s["hosts"]) for s in skipped)
    }
    tp = len(gold_pairs & pred_pairs)
    fp_strict = len(pred_pairs - gold_pairs)
    fn = len(gold_pairs - pred_pairs)
    precision, recall, f1 = _prf(tp, fp_strict - len(unscorable), fn)
    strict_p, _, strict_f1 = _prf(tp, fp_strict, fn)
    return {
        "pairs": {
            "gold": len(gold_pairs),
            "predicted": len(pred_pairs),
            "tp": tp,
            "fp": fp_strict - len(unscorable),
            "fn": fn,
            "unscorable": sorted(f"{p[0]}: {p[1]}->{p[2]}" for p in unscorable),
        },
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "strict_precision": round(strict_p, 3),
        "strict_f1": round(strict_f1, 3),
        "extra_pairs": sorted(pred_pairs - gold_pairs - unscorable),
    }


class _Tally:
    """Right / scored for one measure."""

    def __init__(self) -> None:
        self.ok = self.n = 0

    def add(self, right: bool) -> bool:
        self.n += 1
        self.ok += right
        return right

    def accuracy(self) -> float | None:
        return round(self.ok / self.n, 3) if self.n else None


def _row_scores(gold: list[dict], predicted: dict[str, list]) -> dict:
    """Counts, qualifiers and dates on the gold rows whose pair was found; the misses; spurious counts."""
    by_pair: dict[tuple, list] = defaultdict(list)
    for f, drafts in predicted.items():
        for d in drafts:
            by_pair[(f, d.deployer, d.host)].append(d)
    gold_counts: dict[tuple, set] = defaultdict(set)
    for r in gold:
        if r["troops"] is not None:
            gold_counts[(r["file"], r["deployer"], r["host"])].add(r["troops"])
    gold_pairs = {(r["file"], r["deployer"], r["host"]) for r in gold}
    counts, kinds, dates = _Tally(), _Tally(), _Tally()
    misses: list[str] = []
    for r in gold:
        key = (r["file"], r["deployer"], r["host"])
        if key not in by_pair:
            misses.append(f"{r['file']}: missed pair {r['deployer']}->{r['host']} ({r['troops'] or 'no count'})")
            continue
        _date_row(r, key, by_pair[key], dates, misses)
        _count_row(r, key, by_pair[key], gold_counts[key], (counts, kinds), misses)
    spurious = [
        f"{key[0]}: {key[1]}->{key[2]} drafted {d.troops} ({d.count_kind}), not labelled"
        for key, drafts in by_pair.items()
        if key in gold_pairs
        for d in drafts
        if d.troops is not None and d.troops not in gold_counts[key]
    ]
    return {
        "count_accuracy": counts.accuracy(),
        "count_rows": counts.n,
        "qualifier_accuracy": kinds.accuracy(),
        "qualifier_rows": kinds.n,
        "date_accuracy": dates.accuracy(),
        "date_rows": dates.n,
        "spurious_counts": spurious,
        "misses": misses,
    }


def _date_row(r: dict, key: tuple, drafts: list, dates: _Tally, misses: list[str]) -> None:
    """A row with an event_date: a draft of the pair (with the row's number, if any has it) has that date."""
    event_date = r["row"]["event_date"].strip()
    if not event_date:
        return
    candidates = [d for d in drafts if r["troops"] is None or d.troops == r["troops"]] or drafts
    if not dates.add(any(d.date == event_date for d in candidates)):
        misses.append(
            f"{r['file']}: {key[1]}->{key[2]} date {event_date}, drafted {sorted({str(d.date) for d in candidates})}"
        )


def _count_row(r: dict, key: tuple, drafts: list, numbers_of_pair: set, tallies: tuple, misses: list[str]) -> None:
    """The count of a row of a found pair and, when the number was drafted, its qualifier."""
    counts, kinds = tallies
    pair = f"{r['file']}: {key[1]}->{key[2]}"
    if r["troops"] is None:
        numbers = {d.troops for d in drafts if d.troops is not None}
        if not counts.add(any(d.troops is None for d in drafts) or numbers <= numbers_of_pair):
            misses.append(f"{pair} labelled without a count, drafted {sorted(numbers)}")
        return
    match = [d for d in drafts if d.troops == r["troops"]]
    if not counts.add(bool(match)):
        drafted = sorted({d.troops for d in drafts if d.troops is not None})
        misses.append(f"{pair} count {r['troops']} not drafted (drafted {drafted})")
        return
    if not kinds.add(any(d.count_kind == r["kind"] for d in match)):
        misses.append(f"{pair} {r['troops']} qualifier {r['kind']}, drafted {sorted({d.count_kind for d in match})}")


def _timing(folder: Path, files: list[str]) -> tuple[float, float]:
    """(median wall ms, best CPU ms) of extracting a ~5,000-word article made of the folder's texts."""
    corpus = " ".join((folder / f).read_text(encoding="utf-8") for f in files)
    words = corpus.split()
    article: list[str] = []
    while len(article) < 5000:
        article.extend(words)
    text = " ".join(article[:5000])
    extract(text, "2020-01-01")  # warm: the gazetteer and dateparser load once per process
    runs, cpu = [], []
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.process_time()
        extract(text, "2020-01-01")
        runs.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return round(statistics.median(runs), 1), round(min(cpu), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    if not (args.folder / "labels.csv").exists():
        print(f"{args.folder}: no labels.csv", file=sys.stderr)
        return 2
    result = score(args.folder)
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    p = result["pairs"]
    print(
        f"{result['files']} files, {result['gold_rows']} scorable gold rows, "
        f"{len(result['skipped_rows'])} skipped (not countries):"
    )
    for s in result["skipped_rows"]:
        print(f"  skipped: {s}")
    print(
        f"pairs: gold {p['gold']}, drafted {p['predicted']}, tp {p['tp']}, fp {p['fp']}, fn {p['fn']}, "
        f"unscorable {len(p['unscorable'])}"
    )
    for u in p["unscorable"]:
        print(f"  unscorable (may be a skipped row): {u}")
    print(
        f"pair precision {result['precision']:.3f}  recall {result['recall']:.3f}  F1 {result['f1']:.3f}  "
        f"(strict, unscorable as false: P {result['strict_precision']:.3f} F1 {result['strict_f1']:.3f})"
    )
    print(
        f"count accuracy {result['count_accuracy']} on {result['count_rows']} rows of found pairs; "
        f"qualifier accuracy {result['qualifier_accuracy']} on {result['qualifier_rows']} counted rows"
    )
    print(f"date accuracy {result['date_accuracy']} on {result['date_rows']} dated rows of found pairs")
    print(f"spurious counts on found pairs: {len(result['spurious_counts'])}")
    for s in result["spurious_counts"]:
        print(f"  {s}")
    print("misses:" if result["misses"] else "misses: none")
    for m in result["misses"]:
        print(f"  {m}")

    print(
        f"5,000-word article: {result['ms_5000_words']} ms wall (median of 5, warm), "
        f"{result['cpu_ms_5000_words']} ms CPU (best of 5)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
