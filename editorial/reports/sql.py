"""The SQL both databases share: percentiles, durations, and running a report statement.

Percentiles are continuous (linear interpolation, PostgreSQL's
`percentile_cont`). PostgreSQL computes them itself, both from one sort; on
SQLite, which has no such aggregate, `sqlite_functions()` registers a small
one with the same definition, so the same set-based SQL runs on both.
"""

import functools
import json
import math

from django.db import connection, transaction


def percentile_cont(values, fraction: float) -> float | None:
    """Continuous percentile, the definition PostgreSQL's percentile_cont uses."""
    ordered = sorted(v for v in values if v is not None)
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class _SQLitePercentile:
    def __init__(self):
        self.values = []
        self.fraction = 0.5

    def step(self, value, fraction):
        if value is not None:
            self.values.append(value)
            self.fraction = fraction

    def finalize(self):
        return percentile_cont(self.values, self.fraction)


def sqlite_functions() -> None:
    connection.ensure_connection()
    connection.connection.create_aggregate("percentile_cont", 2, _SQLitePercentile)


def pct(expression: str, fraction: float) -> str:
    fraction = float(fraction)
    if connection.vendor == "postgresql":
        return f"percentile_cont({fraction}) WITHIN GROUP (ORDER BY {expression})"
    return f"percentile_cont({expression}, {fraction})"


def median_p90(expression: str) -> str:
    """Median and 90th percentile as one column; `pair()` reads it.

    PostgreSQL computes both from one sort with the array form of percentile_cont.
    """
    if connection.vendor == "postgresql":
        return f"percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY {expression})"
    return f"json_array({pct(expression, 0.5)}, {pct(expression, 0.9)})"


def pair(value) -> tuple[float | None, float | None]:
    if value is None:
        return None, None
    if isinstance(value, str):
        value = json.loads(value)
    return value[0], value[1]


def seconds(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(EPOCH FROM ({later} - {earlier})) AS double precision)"
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


def analytic(figure):
    """Run a figure's queries in one transaction with room to sort and hash in memory.

    PostgreSQL's default work_mem (4 MB) sends these aggregates over a
    million-row trail to disk; JIT compiling costs more than it saves on
    sub-second queries. Both settings last only for the transaction.
    """

    @functools.wraps(figure)
    def wrapper(*args, **kwargs):
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL work_mem = '64MB'")
                    cursor.execute("SET LOCAL jit = off")
            return figure(*args, **kwargs)

    return wrapper


def fetch(sql: str, params) -> list[dict]:
    if connection.vendor == "sqlite":
        sqlite_functions()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
