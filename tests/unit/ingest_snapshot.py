"""What a read of a ticket file gives, as plain data: the report, the normalised tickets and
the aggregates at two frequencies in two zones. ``tests/data/golden`` holds these snapshots
as the row-table reader (before the one-pass ingest) gave them; the one-pass reader must
give the same (``test_ingest_equivalence``).

Generated files with every kind of bad row are written by ``write_generated`` (seeded, so the
same bytes every run).

    python tests/unit/ingest_snapshot.py   # rewrite the snapshots (only on purpose)
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import IngestError
from planner.ingest import read_tickets
from planner.volume import aggregate

DATA = Path(__file__).resolve().parents[1] / "data"
GOLDEN = DATA / "golden"
NOW = dt.datetime(2024, 12, 1, tzinfo=dt.UTC)
ZONE = "America/New_York"
PARTS = ("counts", "profile", "handle_time", "handle_by_channel", "tiers", "languages")
FILES = sorted(
    p.name for p in DATA.iterdir() if p.suffix in (".csv", ".xlsx", ".png") and p.is_file()
)
GENERATED = ("bad_rows.csv", "bad_rows.parquet", "bad_rows.xlsx", "text_ids_events.csv",
             "offsets.csv")  # fmt: skip


def _rounded(value):
    if isinstance(value, float):
        return None if math.isnan(value) else float(f"{value:.9g}")
    if isinstance(value, dict):
        return {str(k): _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return _rounded(float(value))
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _frame(frame: pd.DataFrame | None) -> list | None:
    if frame is None:
        return None
    return _rounded(frame.astype(object).where(frame.notna(), None).to_dict("records"))


def snapshot(path: Path) -> dict:
    """The report, tickets and aggregates of reading ``path`` in New York time."""
    try:
        result = read_tickets(path, source_time_zone=ZONE, now=NOW)
    except IngestError as exc:
        return {"error": str(exc).replace(str(path.parent), "<dir>")}
    report = result.report
    out = {
        "report": _rounded(
            {
                "rows_read": report.rows_read,
                "tickets": report.tickets,
                "excluded": report.excluded,
                "first_created": report.first_created,
                "last_created": report.last_created,
                "tickets_by_channel": report.tickets_by_channel,
                "event_log": report.event_log,
                "problems": [p.as_row() for p in report.problems],
            }
        )
    }
    tickets = result.tickets
    if len(tickets) <= 50:
        out["tickets"] = _frame(tickets)
    else:
        text = tickets.to_csv(index=False, float_format="%.9g")
        out["tickets"] = {"rows": len(tickets), "sha256": hashlib.sha256(text.encode()).hexdigest()}
    if report.ok:
        for freq, zone in (("D", ZONE), ("15min", "Asia/Kolkata")):
            history = aggregate(result, freq, zone)
            out[f"{freq} {zone}"] = {name: _frame(getattr(history, name)) for name in PARTS}
    return out


def write_generated(folder: Path) -> dict[str, Path]:
    """Files with every kind of bad row: ids missing, repeated (numeric and text), dates
    unreadable, in the future or before 1990, merged tickets, negative and unreadable
    handle and first reply times, solved before created or unreadable, DST hours, an event
    log, and times with UTC offsets; as CSV, Parquet and XLSX."""
    rng = np.random.default_rng(22)
    n = 3000
    created = pd.Timestamp("2023-10-28") + pd.to_timedelta(
        np.sort(rng.integers(0, 400 * 86400, n)), unit="s"
    )
    frame = pd.DataFrame(
        {
            "Id": (10_000 + np.arange(n)).astype(str),
            "Created at": created.strftime("%Y-%m-%d %H:%M:%S"),
            "Via": rng.choice(["Mail", "Chat", "Voice", "Web form", "Twitter", ""], n),
            "Group": rng.choice(["Tier 1", "Billing", "Tier 2", ""], n),
            "Priority": rng.choice(["Low", "Normal", "High", ""], n),
            "Satisfaction Score": rng.choice(["Good", "Bad", "Offered", ""], n),
            "Tags": rng.choice(["", "vip", "closed_by_merge"], n, p=[0.9, 0.08, 0.02]),
            "Total time spent (sec)": rng.integers(0, 4000, n).astype(str),
            "First reply time in minutes": rng.integers(0, 600, n).astype(str),
            "Solved at": (created + pd.to_timedelta(rng.integers(60, 86400, n), unit="s")).strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            "Tier": rng.choice(["Tier 1", "Tier 2", "escalated", ""], n),
            "Language": rng.choice(["English", "German", "Japanese", ""], n),
        }
    )
    bad = {
        "Id": {5: "", 6: " ", 40: "10041", 41: "10041", 900: "10900"},
        "Created at": {7: "31/02/2024 10:00", 8: "2031-01-01 00:00:00", 9: "1899-12-30 00:00:00",
                       10: "not a date", 11: ""},
        "Total time spent (sec)": {12: "-300", 13: "n/a", 14: "99999"},
        "First reply time in minutes": {15: "-4", 16: "soon"},
        "Solved at": {17: "2020-01-01 00:00:00", 18: "whenever"},
    }  # fmt: skip
    for column, cells in bad.items():
        for row, value in cells.items():
            frame.loc[row, column] = value
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / name for name in GENERATED}
    frame.to_csv(paths["bad_rows.csv"], index=False)
    frame.to_parquet(paths["bad_rows.parquet"], index=False)
    frame.head(400).to_excel(paths["bad_rows.xlsx"], index=False)
    events = pd.DataFrame(
        {
            "Case": [f"CASE-{i // 3:04d}" for i in range(600)],
            "Activity": ["Open", "Assign", "Close"] * 200,
            "Timestamp": (
                pd.Timestamp("2024-03-01 08:00") + pd.to_timedelta(np.arange(600) * 997, unit="s")
            ).strftime("%Y/%m/%d %H:%M:%S"),
            "Channel": rng.choice(["email", "phone", ""], 600),
        }
    )
    events.to_csv(paths["text_ids_events.csv"], index=False)
    offsets = pd.DataFrame(
        {
            "ticket_id": [f"A{i}" for i in range(200)],
            "created_at": [
                (pd.Timestamp("2024-03-09 20:00", tz="UTC") + pd.Timedelta(minutes=37 * i))
                .tz_convert(["Asia/Kolkata", "America/New_York", "UTC"][i % 3])
                .isoformat()
                for i in range(200)
            ],
            "channel": rng.choice(["chat", "phone"], 200),
            "queue": [["A", "A", "B", "A", "A"][i % 5] for i in range(200)],
            "handle_minutes": rng.integers(1, 30, 200),
        }
    )
    offsets.loc[[20, 21], "ticket_id"] = "A20"
    offsets.to_csv(paths["offsets.csv"], index=False)
    return paths


def golden_path(name: str) -> Path:
    return GOLDEN / f"{name}.json.gz"


def golden(name: str) -> dict:
    return json.loads(gzip.decompress(golden_path(name).read_bytes()))


def main(folder: Path) -> None:
    paths = {name: DATA / name for name in FILES} | write_generated(folder)
    for name, path in paths.items():
        text = json.dumps(snapshot(path), indent=0, sort_keys=True)
        golden_path(name).write_bytes(gzip.compress(text.encode(), mtime=0))
        print("wrote", golden_path(name))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/ingest-generated"))
