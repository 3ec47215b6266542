"""Deterministic synthetic reports for benchmarks and load tests (never shipped as data).

Realistic shape: about 200 countries, about 6,000 (deployer, host) pairs with Zipf-skewed sizes,
30 years of dates, mixed count kinds, statuses and precisions, missions and locations, and some
same-day reports from different sources that disagree.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from typing import IO

from core import countries
from core.domain import CSV_COLUMNS

FIRST_DAY = dt.date(1996, 1, 1)
DAYS = 30 * 365
SOURCES = [f"Synthetic Source {i:02d}" for i in range(40)]
KINDS = ["exact"] * 10 + ["approx"] * 5 + ["at_least"] * 2 + ["at_most"] * 1 + ["range", "unknown"]


def _pairs(rng: random.Random, n_pairs: int) -> list[tuple[str, str, float]]:
    codes = sorted(c.iso3 for c in countries.all_countries() if c.lat is not None)[:200]
    # A few big deployers and hosts carry most troops, as in real data.
    deployers = codes[:]
    rng.shuffle(deployers)
    seen: set[tuple[str, str]] = set()
    pairs: list[tuple[str, str, float]] = []
    while len(pairs) < n_pairs:
        d = deployers[min(int(rng.paretovariate(1.1)) - 1, len(deployers) - 1)]
        h = rng.choice(codes)
        if d == h or (d, h) in seen:
            continue
        seen.add((d, h))
        pairs.append((d, h, 10 ** rng.uniform(1, 4.7)))
    return pairs


def synth_rows(n: int, seed: int = 0, n_pairs: int = 6000) -> Iterator[dict[str, str]]:
    """n canonical CSV rows (strings, as a file would hold them), the same for the same seed."""
    rng = random.Random(seed)
    pairs = _pairs(rng, n_pairs)
    weights = [1 / (i + 1) for i in range(len(pairs))]
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    made = 0
    while made < n:
        deployer, host, size = rng.choices(pairs, cum_weights=cumulative)[0]
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        precision = rng.choices(["day", "month", "year"], weights=[70, 25, 5])[0]
        date = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[precision]
        status = rng.choices(["present", "withdrawn", "announced"], weights=[90, 4, 6])[0]
        kind = rng.choice(KINDS) if status != "withdrawn" else "unknown"
        troops = int(size * rng.uniform(0.5, 1.5))
        scope = rng.random()
        mission = f"Mission {rng.randrange(5)}" if 0.7 <= scope < 0.9 else ""
        location = f"Base {rng.randrange(8)}" if scope >= 0.9 else ""
        row = {
            "deployer": deployer,
            "host": host,
            "troops": "" if kind == "unknown" else str(troops),
            "troops_max": str(int(troops * 1.3)) if kind == "range" else "",
            "count_kind": kind,
            "date": date,
            "date_precision": precision,
            "status": status,
            "mission": mission,
            "location": location,
            "lat": "",
            "lon": "",
            "source_name": rng.choice(SOURCES),
            "source_url": f"https://example.org/synthetic/{seed}/{made}",
            "source_date": "",
            "notes": "",
        }
        yield row
        made += 1
        if made < n and status == "present" and kind != "unknown" and rng.random() < 0.05:
            # A second source reports the same scope on the same day with another figure.
            yield {
                **row,
                "troops": str(int(troops * rng.uniform(0.7, 1.3))),
                "troops_max": str(int(troops * 1.6)) if kind == "range" else "",
                "source_name": rng.choice(SOURCES),
                "source_url": f"https://example.org/synthetic/{seed}/{made}b",
            }
            made += 1


def write_synth_csv(out: IO[str], n: int, seed: int = 0) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in synth_rows(n, seed):
        writer.writerow(row)
        count += 1
    return count
