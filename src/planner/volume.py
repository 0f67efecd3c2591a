"""Ticket counts per period, channel and queue: the history every forecast starts from.

``aggregate`` works from the ingest's tally (quarter-hour counts and exact handle-time
distributions, ``planner.tally``), so a file of any size aggregates in the memory of its
counts; the rows are never read again.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from planner import tally
from planner.errors import PlannerError
from planner.ingest import IngestReport, IngestResult, Progress, map_join, read_tickets
from planner.normalise import CATEGORIES
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


HISTORY_PARTS = ("counts", "handle_time", "profile", "handle_by_channel", "tiers", "languages")
# The Parquet metadata key of a history file (``write_history``).
HISTORY_KEY = b"support_planner.history"


def series_name(channel: pd.Series, queue: pd.Series) -> pd.Series:
    """The name of a channel and queue series: "chat / Billing" ("chat / (no queue)").

    >>> series_name(pd.Series(["chat", "email"]), pd.Series(["Billing", None])).tolist()
    ['chat / Billing', 'email / (no queue)']
    """
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

    Everything comes from the ingest's tally (``planner.tally``), never from the rows: the
    quarter-hour counts move to ``time_zone`` (every zone's offset is a whole number of
    quarter hours) and sum into periods; handle times come from their exact distribution.

    >>> tickets = pd.DataFrame({
    ...     "ticket_id": ["1", "2", "3"], "channel": ["email", "chat", "email"],
    ...     "created_at": pd.to_datetime(["2024-03-04 09:01", "2024-03-04 09:20",
    ...                                   "2024-03-05 14:00"], utc=True),
    ...     "queue": ["Billing", "Billing", "Billing"], "handle_minutes": [10.0, 4.0, 6.0]})
    >>> history = aggregate(tickets, "D", "UTC")
    >>> history.total_tickets, history.by_channel().loc["2024-03-04"].tolist()
    (3, [1, 1])
    >>> history.handle_by_channel["median_handle_minutes"].tolist()  # chat, email
    [4.0, 8.0]
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
    local = "slot"
    if time_zone != stored:
        local = f"timezone('{sql_text(time_zone)}', timezone('{sql_text(stored)}', slot))"
    kept = f"status = {tally.KEPT}"
    channel, queue = map_join("channel", "g", "mc"), map_join("queue", "g", "mq")
    counts = con.sql(
        f"""SELECT period, mc.value AS channel, mq.value AS queue, sum(n)::BIGINT AS tickets
        FROM (SELECT {BUCKETS[freq].format(t=local)} AS period, channel_raw, queue_raw,
                sum(n) AS n
            FROM tally_slots WHERE {kept} GROUP BY ALL) g {channel} {queue}
        GROUP BY ALL ORDER BY period, channel, queue"""
    ).df()
    profile = con.sql(
        f"""SELECT mc.value AS channel, weekday, hour, minute, sum(n)::BIGINT AS tickets
        FROM (SELECT channel_raw, isodow({local})::INTEGER - 1 AS weekday,
                hour({local})::INTEGER AS hour, minute({local})::INTEGER // 15 * 15 AS minute,
                sum(n) AS n
            FROM tally_slots WHERE {kept} GROUP BY ALL) g {channel}
        GROUP BY ALL ORDER BY channel, weekday, hour, minute"""
    ).df()
    handle = _handle_times(con, channel, queue)
    by_channel = handle["queue"].isna().to_numpy() & handle["all_queues"].to_numpy(dtype=bool)
    handle_by_channel = handle[by_channel].drop(columns=["queue", "all_queues"])
    handle = handle[~by_channel].drop(columns="all_queues").reset_index(drop=True)
    profile["share"] = profile["tickets"] / profile.groupby("channel")["tickets"].transform("sum")
    counts["period"] = pd.to_datetime(counts["period"]).astype("datetime64[us]")
    return VolumeHistory(
        freq, time_zone, counts, handle, profile, handle_by_channel.reset_index(drop=True),
        _counted(con, channel, "tier"), _counted(con, channel, "language"),
    )  # fmt: skip


def weighted_quantiles(
    values: np.ndarray, counts: np.ndarray, quantiles: tuple[float, ...]
) -> list[float]:
    """Quantiles of the values where ``values[i]`` occurs ``counts[i]`` times.

    The continuous quantile q sits at position h = (N - 1) q of the N sorted values and
    interpolates linearly between the values at floor(h) and ceil(h): Hyndman & Fan's
    definition 7 (Am. Stat. 50(4), 1996), which is DuckDB's ``quantile_cont`` and numpy's
    default. NaN when there are no values.

    >>> weighted_quantiles(np.array([3.0, 1.0]), np.array([1, 3]), (0.5, 0.9))
    [1.0, 2.4000000000000004]
    """
    order = np.argsort(values, kind="stable")
    values, counts = np.asarray(values, float)[order], np.asarray(counts)[order]
    total = int(counts.sum())
    if total == 0:
        return [math.nan for _ in quantiles]
    ends = np.cumsum(counts)  # values[i] fills positions ends[i - 1] .. ends[i] - 1
    answers = []
    for q in quantiles:
        h = q * (total - 1)
        low, high = math.floor(h), math.ceil(h)
        at_low = values[np.searchsorted(ends, low, side="right")]
        at_high = values[np.searchsorted(ends, high, side="right")]
        answers.append(float(at_low + (at_high - at_low) * (h - low)))
    return answers


def _handle_times(con: duckdb.DuckDBPyConnection, channel: str, queue: str) -> pd.DataFrame:
    """Tickets, handle-time statistics, the median first reply time and CSAT per channel and
    queue, and per channel (``all_queues``), from the tally's exact distributions."""
    kept = f"g.status = {tally.KEPT}"
    usable = "CASE WHEN {v} >= 0 AND NOT isnan({v}) THEN {v} END"
    handle = con.sql(
        f"""SELECT mc.value AS channel, mq.value AS queue,
            {usable.format(v="handle_minutes")} AS v, sum(n)::BIGINT AS n
        FROM tally_handle g {channel} {queue} WHERE {kept} GROUP BY ALL"""
    ).df()
    reply = con.sql(
        f"""SELECT mc.value AS channel, mq.value AS queue,
            {usable.format(v="first_reply_minutes")} AS v, sum(n)::BIGINT AS n
        FROM tally_reply g {channel} {queue} WHERE {kept} GROUP BY ALL"""
    ).df()
    scores = con.sql(
        f"""SELECT mc.value AS channel, mq.value AS queue, ms.value::DOUBLE AS v,
            sum(n)::BIGINT AS n
        FROM raw_values g {channel} {queue} {map_join("csat", "g", "ms")} GROUP BY ALL"""
    ).df()
    rows = []
    for keys, all_queues in ((["channel", "queue"], False), (["channel"], True)):
        replies = dict(iter(reply.groupby(keys)))
        scored = dict(iter(scores.groupby(keys)))
        for key, times in handle.groupby(keys):
            found = (replies.get(key, reply.iloc[:0]), scored.get(key, scores.iloc[:0]))
            rows.append(_statistics(key, all_queues, times, *found))
    columns = ["channel", "queue", "all_queues", "tickets", "with_handle_time",
               "impossible_handle_time", "mean_handle_minutes", "median_handle_minutes",
               "p90_handle_minutes", "median_first_reply_minutes", "csat"]  # fmt: skip
    table = pd.DataFrame(rows, columns=columns)
    table = table.astype({"tickets": "int64", "with_handle_time": "int64",
                          "impossible_handle_time": "int64"})  # fmt: skip
    return table.sort_values(["channel", "all_queues", "queue"], na_position="last",
                             ignore_index=True)  # fmt: skip


def _statistics(
    key: tuple, all_queues: bool, times: pd.DataFrame, reply: pd.DataFrame, scores: pd.DataFrame
) -> dict:
    """One row of ``_handle_times``: handle times above 0 and at most 8 hours are possible."""
    values, counts = times["v"].to_numpy(float), times["n"].to_numpy()
    possible = (values > 0) & (values <= MAX_HANDLE_MINUTES)
    impossible = ~np.isnan(values) & ~possible
    with_time = int(counts[possible].sum())
    median, p90 = weighted_quantiles(values[possible], counts[possible], (0.5, 0.9))
    answered = reply["v"].notna().to_numpy()
    (first_reply,) = weighted_quantiles(
        reply["v"].to_numpy(float)[answered], reply["n"].to_numpy()[answered], (0.5,)
    )
    scored = scores["v"].notna().to_numpy()
    weight = scores["n"].to_numpy()[scored]
    return {
        "channel": key[0],
        "queue": None if all_queues else key[1],
        "all_queues": all_queues,
        "tickets": int(counts.sum()),
        "with_handle_time": with_time,
        "impossible_handle_time": int(counts[impossible].sum()),
        "mean_handle_minutes": (
            float(values[possible] @ counts[possible] / with_time) if with_time else math.nan
        ),
        "median_handle_minutes": median,
        "p90_handle_minutes": p90,
        "median_first_reply_minutes": first_reply,
        "csat": (
            float((scores["v"].to_numpy()[scored] * weight).sum() / weight.sum())
            if weight.sum() else math.nan
        ),
    }  # fmt: skip


def _counted(con: duckdb.DuckDBPyConnection, channel: str, what: str) -> pd.DataFrame | None:
    """Tickets per channel and text of the category ``what`` (tier, language), for the
    tickets that have one; None when none has one."""
    found = con.sql(
        f"""SELECT mc.value AS channel, mt.value AS {what}, sum(n)::BIGINT AS tickets
        FROM raw_values g {channel} {map_join(what, "g", "mt")}
        WHERE mt.value IS NOT NULL GROUP BY ALL ORDER BY channel, {what}"""
    ).df()
    return found if len(found) else None


def _frame_connection(frame: pd.DataFrame) -> duckdb.DuckDBPyConnection:
    """A DuckDB holding the tally of a tickets DataFrame (every row kept, naive UTC times)
    and identity category maps, in the shape ``aggregate`` reads."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.register("tickets_frame", frame)
    raws = ", ".join(
        f"{name} AS {name}_raw" if name in frame else f"NULL::VARCHAR AS {name}_raw"
        for name in CATEGORIES
    )
    solved = "solved_at::TIMESTAMPTZ" if "solved_at" in frame else "NULL::TIMESTAMPTZ"
    reply = "first_reply_minutes" if "first_reply_minutes" in frame else "NULL::DOUBLE"
    con.execute(
        f"""CREATE TABLE frame_rows AS SELECT ticket_id::VARCHAR AS ticket_id,
            timezone('UTC', created_at::TIMESTAMPTZ) AS created_local,
            timezone('UTC', {solved}) AS solved_local, {raws},
            handle_minutes::DOUBLE AS handle_minutes, {reply}::DOUBLE AS first_reply_minutes
        FROM tickets_frame"""
    )
    tally.tally(con, "frame_rows", str(tally.KEPT))
    con.execute(
        f"""CREATE TABLE raw_values AS SELECT {tally.RAWS}, sum(n)::BIGINT AS n
        FROM tally_values GROUP BY ALL"""
    )
    for name in CATEGORIES:
        con.execute(
            f"CREATE TABLE map_{name} AS SELECT DISTINCT {name}_raw AS raw, {name}_raw AS value "
            "FROM raw_values"
        )
    return con


def write_history(history: VolumeHistory, report: IngestReport, path: str | Path) -> None:
    """Write an aggregated history as one Parquet file: the counts are its table; the other
    parts (each a Parquet table, base64), the settings and the ingest report are in its
    metadata (``HISTORY_KEY``). The app's Ticket history page and ``read_history`` take it
    instead of a ticket export.

    >>> import tempfile
    >>> tickets = pd.DataFrame({"ticket_id": ["1"], "channel": ["chat"], "queue": ["A"],
    ...     "created_at": pd.to_datetime(["2024-03-04 09:01"], utc=True),
    ...     "handle_minutes": [4.0]})
    >>> report = IngestReport("export.csv", "csv", "generic", {}, [], "UTC", tickets=1)
    >>> path = Path(tempfile.mkdtemp()) / "history.parquet"
    >>> write_history(aggregate(tickets), report, path)
    >>> read, history = read_history(path)
    >>> read.source, read.aggregated, history.total_tickets
    ('export.csv', True, 1)
    """
    parts = {
        part: base64.b64encode(getattr(history, part).to_parquet(index=False)).decode()
        for part in HISTORY_PARTS[1:]
        if getattr(history, part) is not None
    }
    meta = {"freq": history.freq, "time_zone": history.time_zone, "parts": parts,
            "report": report.to_json()}  # fmt: skip
    table = pa.Table.from_pandas(history.counts, preserve_index=False)
    table = table.replace_schema_metadata(
        {**(table.schema.metadata or {}), HISTORY_KEY: json.dumps(meta).encode()}
    )
    pq.write_table(table, path)


def read_history(path: str | Path) -> tuple[IngestReport, VolumeHistory] | None:
    """The report (marked ``aggregated``) and history of a file ``write_history`` wrote;
    None for any other file (a ticket export, even one in Parquet).

    >>> import tempfile
    >>> export = Path(tempfile.mkdtemp()) / "tickets.parquet"
    >>> pd.DataFrame({"ticket_id": ["1"], "created_at": ["2024-03-04"]}).to_parquet(export)
    >>> read_history(export) is None
    True
    """
    try:
        with Path(path).open("rb") as handle:
            if handle.read(4) != b"PAR1":
                return None
        meta = (pq.read_schema(path).metadata or {}).get(HISTORY_KEY)
    except (OSError, pa.ArrowException):
        return None
    if meta is None:
        return None
    stored = json.loads(meta)
    parts = {
        part: pd.read_parquet(io.BytesIO(base64.b64decode(text)))
        for part, text in stored["parts"].items()
    }
    counts = pq.read_table(path).to_pandas()
    counts["period"] = counts["period"].astype("datetime64[us]")
    history = VolumeHistory(stored["freq"], stored["time_zone"], counts, **parts)
    report = dataclasses.replace(IngestReport.from_json(stored["report"]), aggregated=True)
    return report, history


def read_daily(
    path: str | Path,
    plan_zone: str,
    progress: Progress | None = None,
    **reading,
) -> tuple[IngestReport, VolumeHistory | None]:
    """The report and daily history (in ``plan_zone``) of a file the app was given: an
    aggregated history file (``write_history``) as it is, else a ticket export read with
    ``read_tickets(path, progress=progress, **reading)`` and counted per day (None when it
    gave no tickets). The staged source is closed once counted.

    >>> import tempfile
    >>> export = Path(tempfile.mkdtemp()) / "tickets.csv"
    >>> _ = export.write_text("ticket_id,created_at,channel\\n1,2024-03-04 09:01,chat\\n")
    >>> report, daily = read_daily(export, "UTC", source_time_zone="UTC")
    >>> report.tickets, daily.freq, daily.channels
    (1, 'D', ['chat'])
    """
    packed = read_history(path)
    if packed is not None:
        return packed
    result = read_tickets(path, progress=progress, **reading)
    try:
        daily = aggregate(result, "D", plan_zone) if result.report.ok else None
    finally:
        result.close()
    return result.report, daily
