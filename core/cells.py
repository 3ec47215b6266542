"""Cell values as DataFrames hold them: None, NaN, pd.NA and NaT all mean "no value".

One definition for every boundary where a frame's cells leave Garrison (CSV and JSON exports, the
CLI's JSON, validation of rows read from a frame), so that each writes a missing value the same way.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def missing(value: object) -> bool:
    """True for None, NaN (float or numpy), pd.NA and NaT; False for anything else, lists included."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value  # numpy.float64 is a float too


def native(value: object) -> Any:
    """JSON-ready: None for a missing value, Python numbers and bools instead of numpy scalars."""
    if missing(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as dicts of native values (None where a cell is missing)."""
    columns = list(frame.columns)
    return [
        {c: native(v) for c, v in zip(columns, row, strict=True)} for row in frame.itertuples(index=False, name=None)
    ]
