"""core.cells: one meaning of a missing cell for every place a frame's values leave Garrison."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from core.cells import missing, native, records


@pytest.mark.parametrize("value", [None, float("nan"), np.float64("nan"), pd.NA, pd.NaT])
def test_every_kind_of_missing_value_is_missing(value):
    assert missing(value) and native(value) is None


@pytest.mark.parametrize("value", [0, 0.0, "", "nan", False, [], [None], (1, 2), dt.date(2019, 1, 1)])
def test_values_that_look_empty_are_not_missing(value):
    assert not missing(value) and native(value) == value


def test_records_are_json_ready():
    frame = pd.DataFrame(
        {
            "troops": pd.array([5, None], dtype="Int64"),
            "lat": [1.5, np.nan],
            "conflict": np.array([True, False]),
            "figures": [["A: 5"], None],
        }
    )
    rows = records(frame)
    assert rows == [
        {"troops": 5, "lat": 1.5, "conflict": True, "figures": ["A: 5"]},
        {"troops": None, "lat": None, "conflict": False, "figures": None},
    ]
    assert all(type(v) in (int, float, bool, list) for v in rows[0].values())
