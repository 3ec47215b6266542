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
    predicted: dict[str, list] = {}
    for name in files:
        predicted[name] = extract((folder / name).read_text(encoding="utf-8"), published[name])

    gold_pairs = {(r["file"], r["deployer"], r["host"]) for r in gold}
    pred_pairs = {(f, d.deployer, d.host) for f, drafts in predicted.items() for d in drafts}
    unscorable = set()
    for p in pred_pairs - gold_pairs:
        for s in skipped:
            if s["file"] == p[0] and (p[1] in s["deployers"] or p[2] in s["hosts"]):
                unscorable.add(p)
    tp = len(gold_pairs & pred_pairs)
    fp_strict = len(pred_pairs - gold_pairs)
    fp = fp_strict - len(unscorable)
    fn = len(gold_pairs - pred_pairs)

    def prf(tp, fp, fn):
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    precision, recall, f1 = prf(tp, fp, fn)
    strict_p, _, strict_f1 = prf(tp, fp_strict, fn)

    by_pair: dict[tuple, list] = defaultdict(list)
    for f, drafts in predicted.items():
        for d in drafts:
            by_pair[(f, d.deployer, d.host)].append(d)
    gold_counts: dict[tuple, set] = defaultdict(set)
    for r in gold:
        if r["troops"] is not None:
            gold_counts[(r["file"], r["deployer"], r["host"])].add(r["troops"])

    count_ok = count_n = kind_ok = kind_n = date_ok = date_n = 0
    misses = []
    for r in gold:
        key = (r["file"], r["deployer"], r["host"])
        event_date = r["row"]["event_date"].strip()
        if event_date and key in pred_pairs:
            date_n += 1
            candidates = [d for d in by_pair[key] if r["troops"] is None or d.troops == r["troops"]]
            if any(d.date == event_date for d in candidates or by_pair[key]):
                date_ok += 1
            else:
                misses.append(
                    f"{r['file']}: {key[1]}->{key[2]} date {event_date}, drafted "
                    f"{sorted({str(d.date) for d in candidates or by_pair[key]})}"
                )
        if key not in pred_pairs:
            misses.append(f"{r['file']}: missed pair {r['deployer']}->{r['host']} ({r['troops'] or 'no count'})")
            continue
        drafts = by_pair[key]
        count_n += 1
        if r["troops"] is None:
            numbers = {d.troops for d in drafts if d.troops is not None}
            if any(d.troops is None for d in drafts) or numbers <= gold_counts[key]:
                count_ok += 1
            else:
                misses.append(f"{r['file']}: {key[1]}->{key[2]} labelled without a count, drafted {sorted(numbers)}")
            continue
        match = [d for d in drafts if d.troops == r["troops"]]
        if not match:
            misses.append(
                f"{r['file']}: {key[1]}->{key[2]} count {r['troops']} not drafted "
                f"(drafted {sorted({d.troops for d in drafts if d.troops is not None})})"
            )
            continue
        count_ok += 1
        kind_n += 1
        if any(d.count_kind == r["kind"] for d in match):
            kind_ok += 1
        else:
            misses.append(
                f"{r['file']}: {key[1]}->{key[2]} {r['troops']} qualifier {r['kind']}, drafted "
                f"{sorted({d.count_kind for d in match})}"
            )
    spurious = []
    for key, drafts in by_pair.items():
        if key in gold_pairs:
            for d in drafts:
                if d.troops is not None and d.troops not in gold_counts[key]:
                    spurious.append(f"{key[0]}: {key[1]}->{key[2]} drafted {d.troops} ({d.count_kind}), not labelled")
    for p in sorted(pred_pairs - gold_pairs - unscorable):
        misses.append(f"{p[0]}: extra pair {p[1]}->{p[2]}")

    corpus = " ".join((folder / f).read_text(encoding="utf-8") for f in files)
    words = corpus.split()
    article = []
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

    return {
        "files": len(files),
        "gold_rows": len(gold),
        "skipped_rows": [s["why"] + f" ({s['file']})" for s in skipped],
        "pairs": {
            "gold": len(gold_pairs),
            "predicted": len(pred_pairs),
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "unscorable": sorted(f"{p[0]}: {p[1]}->{p[2]}" for p in unscorable),
        },
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "strict_precision": round(strict_p, 3),
        "strict_f1": round(strict_f1, 3),
        "count_accuracy": round(count_ok / count_n, 3) if count_n else None,
        "count_rows": count_n,
        "qualifier_accuracy": round(kind_ok / kind_n, 3) if kind_n else None,
        "qualifier_rows": kind_n,
        "date_accuracy": round(date_ok / date_n, 3) if date_n else None,
        "date_rows": date_n,
        "spurious_counts": spurious,
        "misses": misses,
        "ms_5000_words": round(statistics.median(runs), 1),
        "cpu_ms_5000_words": round(min(cpu), 1),
    }


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
