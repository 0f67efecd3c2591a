"""Ticket counts per period, channel and queue: the history every forecast starts from.

``aggregate`` runs in DuckDB over the normalised tickets, so a file path of any size works
(DuckDB streams it); only the aggregates come back to Python.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from planner.errors import PlannerError
from planner.ingest import IngestResult, map_join, read_tickets
from planner.scenario import canonical_zone
from planner.sql import sql_text

BUCKETS = {
    "15min": "time_bucket(INTERVAL 15 MINUTE, {t})",
    "30min": "time_bucket(INTERVAL 30 MINUTE, {t})",
    "60min": "date_trunc('hour', {t})",
    "D": "date_trunc('day', {t})",
    "W": "date_trunc('week', {t})",
    "M": "date_trunc('month', {t})",
}
MAX_CASE_ROWS = 64  # a CASE over more values than this is slower than a join
# Handle times of zero or above 8 hours are not time spent on one contact (timers left
# running, merged tickets): they are counted, and left out of the means and medians.
MAX_HANDLE_MINUTES = 480
PANDAS_FREQ = {"15min": "15min", "30min": "30min", "60min": "h", "D": "D", "W": "W-MON", "M": "MS"}
FREQ_LABELS = {
    "15min": "15 minutes",
    "30min": "30 minutes",
    "60min": "hour",
    "D": "day",
    "W": "week (from Monday)",
    "M": "month",
}


def series_name(channel: pd.Series, queue: pd.Series) -> pd.Series:
    """The name of a channel and queue series: "chat / Billing" ("chat / (no queue)")."""
    return channel.astype(str) + " / " + queue.fillna("(no queue)").astype(str)


@dataclass(frozen=True)
class VolumeHistory:
    """Counts per period x channel x queue, with handle times and the intraday profile.

    ``counts`` has columns period (local period start, no time zone), channel, queue, tickets;
    empty combinations are absent (``series`` fills them with zeros). ``profile`` gives the
    tickets and the share of each channel's tickets by weekday (0 = Monday), local hour and
    quarter-hour (``minute`` 0, 15, 30 or 45): the intraday shape staffing splits days by.
    ``handle_time`` (per channel and queue) and ``handle_by_channel`` give tickets,
    ``with_handle_time`` (a handle time above 0 and at most 8 hours), the other values
    (``impossible_handle_time``), and the mean, median and 90th percentile of the possible
    ones in minutes; ``handle_by_channel`` is None for histories saved before it existed.
    ``tiers``: channel, tier (the export's text, e.g. "Tier 2" or "escalated"), tickets,
    for the tickets that carry one; None when the export has no tier column.
    ``languages``: channel, language (the export's text), tickets, likewise.
    """

    freq: str
    time_zone: str
    counts: pd.DataFrame
    handle_time: pd.DataFrame
    profile: pd.DataFrame
    handle_by_channel: pd.DataFrame | None = None
    tiers: pd.DataFrame | None = None
    languages: pd.DataFrame | None = None

    @property
    def total_tickets(self) -> int:
        return int(self.counts["tickets"].sum())

    @property
    def channels(self) -> list[str]:
        return sorted(self.counts["channel"].unique())

    @cached_property
    def fingerprint(self) -> str:
        """Stable hash of the counts: the cache key of everything computed from them."""
        data = pd.util.hash_pandas_object(self.counts, index=False).to_numpy().tobytes()
        return hashlib.sha256(data + self.freq.encode() + self.time_zone.encode()).hexdigest()[:16]

    @cached_property
    def profile_fingerprint(self) -> str:
        """Stable hash of the weekday x interval profile (the intraday shape staffing uses)."""
        data = pd.util.hash_pandas_object(self.profile, index=False).to_numpy().tobytes()
        return hashlib.sha256(data).hexdigest()[:16]

    def by_channel(self, freq: str | None = None) -> pd.DataFrame:
        """Periods x channels, zeros where a channel had no tickets (see ``table``)."""
        return self.table("channel", freq)

    def last_period(self, freq: str | None = None) -> pd.Timestamp:
        """The last period of ``table(freq=freq)``, the history's last whole day, week or
        month (worked out once per frequency)."""
        if freq not in self._last_periods:
            self._last_periods[freq] = self.table("channel", freq).index[-1]
        return self._last_periods[freq]

    @cached_property
    def _last_periods(self) -> dict[str | None, pd.Timestamp]:
        return {}

    def table(self, by: str = "channel", freq: str | None = None) -> pd.DataFrame:
        """Periods x series, zeros where a series had no tickets.

        ``by`` is "channel" or "queue" (one series per channel and queue, named
        "channel / queue"). ``freq`` ("W" or "M") sums into coarser periods; only whole
        periods are kept, so a partial first or last week does not look like a dip.
        """
        if by not in ("channel", "queue"):
            raise PlannerError(f"Series are per 'channel' or per 'queue', not '{by}'.")
        rows = self.counts
        if by == "queue":
            rows = rows.assign(series=series_name(rows["channel"], rows["queue"]))
        wide = rows.pivot_table(
            index="period",
            columns="series" if by == "queue" else "channel",
            values="tickets",
            aggfunc="sum",
            fill_value=0,
        ).rename_axis(columns=by)
        wide = wide.reindex(self._index(), fill_value=0)
        if freq is None or freq == self.freq:
            return wide
        grouped = wide.resample(PANDAS_FREQ[freq], closed="left", label="left")
        summed, size = grouped.sum(), grouped.size()
        return summed[size == size.max()].rename_axis("period")

    def series(self, channel: str | None = None, queue: str | None = None) -> pd.Series:
        """One regular series (zeros filled), optionally for a channel and/or queue."""
        rows = self.counts
        if channel is not None:
            rows = rows[rows["channel"] == channel]
        if queue is not None:
            rows = rows[rows["queue"] == queue]
        summed = rows.groupby("period")["tickets"].sum()
        return summed.reindex(self._index(), fill_value=0).rename("tickets")

    def recent_rate(self, days: int = 28) -> tuple[int, float, float | None]:
        """Mean tickets per period over the last ``days`` periods, and the change against the
        same periods a year (365 periods) earlier, when the history reaches back that far.

        Returns (periods used, recent mean, relative change or None).
        """
        totals = self.series()
        window = min(days, len(totals))
        recent = float(totals.tail(window).mean()) if window else 0.0
        if len(totals) < 365 + window:
            return window, recent, None
        year_ago = float(totals.iloc[-365 - window : -365].mean())
        return window, recent, (recent / year_ago - 1) if year_ago else None

    def busiest_hour(self, channel: str | None = None) -> tuple[int, int]:
        """(weekday 0 = Monday, local hour) with the most tickets, for one channel or all."""
        profile = self.profile if channel is None else self.profile.query("channel == @channel")
        return profile.groupby(["weekday", "hour"])["tickets"].sum().idxmax()

    def intraday_shares(self, channel: str | None = None, minutes: int = 30) -> pd.DataFrame:
        """Share of a weekday's tickets in each interval of ``minutes`` (15, 30 or 60).

        Rows are weekdays 0-6, columns the interval start in minutes after local midnight;
        each row sums to 1. A weekday the channel never had tickets on takes the channel's
        shape over all days, and a channel with no tickets a flat day, so any day's
        forecast can be split.
        """
        if minutes not in (15, 30, 60):
            raise PlannerError(f"Intervals of {minutes} minutes are not offered; use 15, 30 or 60.")
        profile = self.profile
        keep = slice(None) if channel is None else profile["channel"].to_numpy() == channel
        slots = 24 * 60 // minutes
        cell = (
            profile["weekday"].to_numpy()[keep] * slots
            + (profile["hour"].to_numpy()[keep] * 60 + profile["minute"].to_numpy()[keep])
            // minutes
        )
        tickets = profile["tickets"].to_numpy(float)[keep]
        grid = np.bincount(cell, weights=tickets, minlength=7 * slots)
        grid = grid.reshape(7, slots)
        overall = grid.sum(axis=0)
        if overall.sum() == 0:
            overall[:] = 1.0
        grid[grid.sum(axis=1) == 0] = overall
        return pd.DataFrame(
            grid / grid.sum(axis=1, keepdims=True),
            index=pd.RangeIndex(7, name="weekday"),
            columns=pd.Index(range(0, 24 * 60, minutes), name="minute"),
        )

    def _index(self) -> pd.DatetimeIndex:
        if self.counts.empty:
            return pd.DatetimeIndex([], name="period")
        first, last = self.counts["period"].min(), self.counts["period"].max()
        return pd.date_range(first, last, freq=PANDAS_FREQ[self.freq], name="period")


def aggregate(
    tickets: IngestResult | pd.DataFrame | str | Path, freq: str = "D", time_zone: str = "UTC"
) -> VolumeHistory:
    """Aggregate tickets into periods of ``freq`` in the local ``time_zone``.

    ``freq`` is one of 15min, 30min, 60min, D, W (weeks start Monday) or M. A path is read
    with ``read_tickets`` (timestamps without offset taken as ``time_zone``). A DataFrame
    needs the ``tickets`` columns, with ``created_at`` in UTC.

    Rows are grouped by their raw channel and queue text first and the few groups are then
    mapped to channel names, so the per-row work is one pass with no string handling.
    """
    try:
        time_zone = canonical_zone(time_zone)
    except ValueError as exc:
        raise PlannerError(f"{exc}.") from None
    if freq not in BUCKETS:
        raise PlannerError(f"'{freq}' is not a period; use one of {', '.join(BUCKETS)}.")
    if isinstance(tickets, str | Path):
        tickets = read_tickets(tickets, source_time_zone=time_zone)
    if isinstance(tickets, IngestResult):
        con, stored = tickets.connection, tickets.stored_zone
    else:
        con, stored = _frame_connection(tickets), "UTC"
    local = "created_local"
    if time_zone != stored:
        local = f"timezone('{sql_text(time_zone)}', timezone('{sql_text(stored)}', {local}))"
    channel, queue = map_join("channel", "g", "mc"), map_join("queue", "g", "mq")
    counts = con.sql(
        f"""SELECT period, mc.value AS channel, mq.value AS queue, sum(n)::BIGINT AS tickets
        FROM (SELECT {BUCKETS[freq].format(t=local)} AS period, channel_raw, queue_raw,
                count(*) AS n
            FROM kept_tickets GROUP BY ALL) g {channel} {queue}
        GROUP BY ALL ORDER BY period, channel, queue"""
    ).df()
    profile = con.sql(
        f"""SELECT mc.value AS channel, weekday, hour, minute, sum(n)::BIGINT AS tickets
        FROM (SELECT channel_raw, isodow({local})::INTEGER - 1 AS weekday,
                hour({local})::INTEGER AS hour, minute({local})::INTEGER // 15 * 15 AS minute,
                count(*) AS n
            FROM kept_tickets GROUP BY ALL) g {channel}
        GROUP BY ALL ORDER BY channel, weekday, hour, minute"""
    ).df()
    # Medians cannot be summed from raw groups, so handle times map each row: by a CASE
    # over the map's few rows where it is small (far cheaper than a join), else a join.
    mapped = {name: _row_mapping(con, name) for name in ("channel", "queue", "csat")}
    joins = " ".join(join for _, join in mapped.values())
    valid = f"handle_minutes > 0 AND handle_minutes <= {MAX_HANDLE_MINUTES}"
    handle = con.sql(
        f"""SELECT channel, queue, all_queues, tickets,
            with_handle_time, impossible_handle_time, mean_handle_minutes,
            q[1] AS median_handle_minutes, q[2] AS p90_handle_minutes,
            median_first_reply_minutes, csat
        FROM (SELECT {mapped["channel"][0]} AS channel, {mapped["queue"][0]} AS queue,
                grouping(queue) = 1 AS all_queues, count(*)::BIGINT AS tickets,
                count(handle_minutes) FILTER (WHERE {valid})::BIGINT AS with_handle_time,
                count(handle_minutes) FILTER (WHERE NOT ({valid}))::BIGINT
                    AS impossible_handle_time,
                avg(handle_minutes) FILTER (WHERE {valid}) AS mean_handle_minutes,
                quantile_cont(handle_minutes, [0.5, 0.9]) FILTER (WHERE {valid}) AS q,
                median(first_reply_minutes) AS median_first_reply_minutes,
                avg({mapped["csat"][0]}) AS csat
            FROM kept_tickets g {joins} GROUP BY GROUPING SETS ((channel, queue), (channel)))
        ORDER BY channel, all_queues, queue"""
    ).df()
    by_channel = handle["all_queues"].to_numpy(dtype=bool)
    handle_by_channel = handle[by_channel].drop(columns=["queue", "all_queues"])
    handle = handle[~by_channel].drop(columns="all_queues").reset_index(drop=True)
    profile["share"] = profile["tickets"] / profile.groupby("channel")["tickets"].transform("sum")
    counts["period"] = pd.to_datetime(counts["period"]).astype("datetime64[us]")
    return VolumeHistory(
        freq, time_zone, counts, handle, profile, handle_by_channel.reset_index(drop=True),
        _tally(con, channel, "tier"), _tally(con, channel, "language"),
    )  # fmt: skip


def _tally(con: duckdb.DuckDBPyConnection, channel: str, what: str) -> pd.DataFrame | None:
    """Tickets per channel and text of the category ``what`` (tier, language), for the
    tickets that have one (from the few rows of ``raw_values`` when the ingest made it);
    None when none has one."""
    tables = {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    raw = f"{what}_raw"
    if f"map_{what}" not in tables or raw not in con.sql("FROM kept_tickets LIMIT 0").columns:
        return None
    rows, count = ("kept_tickets", "count(*)")
    if "raw_values" in tables:
        rows, count = "raw_values", "sum(n)"
    found = con.sql(
        f"""SELECT mc.value AS channel, mt.value AS {what}, {count}::BIGINT AS tickets
        FROM {rows} g {channel} {map_join(what, "g", "mt")}
        WHERE mt.value IS NOT NULL GROUP BY ALL ORDER BY channel, {what}"""
    ).df()
    return found if len(found) else None


def _frame_connection(frame: pd.DataFrame) -> duckdb.DuckDBPyConnection:
    """A DuckDB holding a tickets DataFrame in the shape ``aggregate`` reads: the rows as
    ``kept_tickets`` (naive UTC times) and identity category maps."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.register("tickets_frame", frame)
    names = ("channel", "queue", "csat", *(c for c in ("tier", "language") if c in frame))
    con.execute(
        f"""CREATE VIEW kept_tickets AS SELECT
            timezone('UTC', created_at::TIMESTAMPTZ) AS created_local,
            {", ".join(f"{name} AS {name}_raw" for name in names)},
            handle_minutes, first_reply_minutes
        FROM tickets_frame"""
    )
    for name in names:
        con.execute(
            f"CREATE TABLE map_{name} AS SELECT DISTINCT {name}_raw AS raw, {name}_raw AS value "
            "FROM kept_tickets"
        )
    return con


def _row_mapping(con: duckdb.DuckDBPyConnection, name: str) -> tuple[str, str]:
    """(expression, join) giving the mapped value of ``<name>_raw`` on each row of ``g``."""
    rows = con.execute(f"SELECT raw, value FROM map_{name}").fetchall()
    if len(rows) > MAX_CASE_ROWS:
        return f"m_{name}.value", map_join(name, "g", f"m_{name}")
    whens = " ".join(
        f"WHEN g.{name}_raw {'IS NULL' if raw is None else '= ' + _literal(raw)} "
        f"THEN {_literal(value)}"
        for raw, value in rows
    )
    return (f"CASE {whens} END" if whens else "NULL"), ""


def _literal(value: object) -> str:
    """A value as SQL: text quoted, a number as a DOUBLE; a score that is not a finite
    number ('NaN', 'inf' in a CSAT column) is no score (NULL)."""
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return f"'{sql_text(value)}'"
    number = float(value)
    return repr(number) if math.isfinite(number) else "NULL"
