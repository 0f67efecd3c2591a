"""A help desk's own export, as a director would upload it: semicolon-separated, a German
creation-date header no layout knows ("Eingegangen am"), handle times in minutes, phone and chat
closed at weekends, holidays quiet, a handful of impossible handle times. Written
deterministically, so tests can compute what the app must measure from the file itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

CHANNELS = {  # tickets a weekday, mean handle minutes, open hours
    "Phone": (420, 9.0, (8, 18)),
    "Chat": (290, 15.0, (8, 20)),
    "E-mail": (350, 11.0, (0, 24)),
}


def write_own_export(path: Path, first: str = "2025-06-02", days: int = 500, seed: int = 7) -> Path:
    """Write the export to ``path``; every weekday of ``days`` from ``first``, none on
    Saturdays and Sundays for phone and chat (email arrives on weekends at a tenth)."""
    rng = np.random.default_rng(seed)
    rows = []
    number = 100_000
    for day in pd.date_range(first, periods=days, freq="D"):
        weekend = day.day_of_week >= 5
        for channel, (per_day, minutes, (opens, closes)) in CHANNELS.items():
            if weekend and channel != "E-mail":
                continue
            count = rng.poisson(per_day * (0.1 if weekend else 1.0))
            seconds = rng.integers(opens * 3600, closes * 3600, count)
            handle = np.round(rng.lognormal(np.log(minutes) - 0.18, 0.6, count), 1)
            for second, value in zip(np.sort(seconds), handle, strict=True):
                number += 1
                created = day + pd.Timedelta(seconds=int(second))
                rows.append((number, created, channel, value))
    frame = pd.DataFrame(
        rows, columns=["Ticket ID", "Eingegangen am", "Channel", "Handle time (min)"]
    )
    frame["Priority"] = rng.choice(["Low", "Normal", "High"], len(frame), p=[0.3, 0.6, 0.1])
    # A few timers left running and zero entries: impossible, to be left out and counted.
    frame.loc[frame.index[::5000], "Handle time (min)"] = 0.0
    frame.loc[frame.index[7::9000], "Handle time (min)"] = 900.0
    frame["Eingegangen am"] = frame["Eingegangen am"].dt.strftime("%d.%m.%Y %H:%M")
    frame = frame[["Ticket ID", "Eingegangen am", "Channel", "Priority", "Handle time (min)"]]
    frame.to_csv(path, sep=";", index=False, decimal=",")
    return path


def expected_handle_seconds(path: Path) -> dict[str, float]:
    """What the app must measure, computed from the file by pandas: per channel, the mean of
    the handle times above 0 and at most 8 hours, in seconds."""
    frame = pd.read_csv(path, sep=";", decimal=",")
    possible = frame[(frame["Handle time (min)"] > 0) & (frame["Handle time (min)"] <= 480)]
    means = possible.groupby("Channel")["Handle time (min)"].mean() * 60
    names = {"Phone": "phone", "Chat": "chat", "E-mail": "email"}
    return {names[c]: float(v) for c, v in means.items()}
