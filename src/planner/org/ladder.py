"""The ladder projection: how the agents' track of the career ladder moves month by month.

A Markov chain by month, per level l of a track, bottom to top: leavers_l = n_l x m,
promoted_l = n_l x (1 - m) x p_l, n_l' = n_l - leavers_l - promoted_l + promoted_(l-1);
hires join the entry level to keep the track at its headcount. m = 1 - (1 - a)^(1/12) from
the annual attrition a; p_l = 1 - (1 - r_l)^(1/12) from the annual promotion rate r_l (the
top of a track is not promoted within it). Each promotion opens a seat below: a backfill.
The cost effect is the pay of the projected mix minus that of the same projection without
promotions, at each level's band midpoint.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.capacity import monthly_attrition
from planner.roles import roles


@dataclass(frozen=True)
class LadderProjection:
    """Level mix of one track by month. ``levels``: month, level, title, people,
    promotions (out of the level: each leaves a seat at this level to backfill), leavers,
    hires (at the entry level). ``cost_effect``: per month, the base pay the
    promotions add (band midpoints, before merit and burden). ``pay``: level -> annual pay
    used."""

    levels: pd.DataFrame
    cost_effect: np.ndarray
    pay: dict[str, float]
    track: str

    def summary(self) -> pd.DataFrame:
        """Per level: title, people now and at the end, and over the plan promotions out
        (each one a seat to backfill), leavers and hires."""
        first, last = self.levels["month"].min(), self.levels["month"].max()
        table = self.levels.groupby(["level", "title"], sort=False, as_index=False).agg(
            promotions=("promotions", "sum"), leavers=("leavers", "sum"), hires=("hires", "sum")
        )
        at = self.levels.set_index(["month", "level"])["people"]
        table.insert(2, "now", [at[(first, lv)] for lv in table["level"]])
        table.insert(3, "end", [at[(last, lv)] for lv in table["level"]])
        return table

    def average_pay(self) -> pd.Series:
        """Average annual pay of the track's mix by month (band midpoints)."""
        pay = self.levels["level"].map(self.pay) * self.levels["people"]
        frame = self.levels.assign(paid=pay)
        sums = frame.groupby("month")[["paid", "people"]].sum()
        return sums["paid"] / sums["people"].replace(0, np.nan)

    def takeaway(self, currency: str) -> str:
        pay = self.average_pay()
        months = len(pay)
        total = self.levels["promotions"].sum()
        return (
            f"Over {months} months about {total:.0f} promotions open as many seats to "
            f"backfill; the average pay of the mix moves from {pay.iloc[0]:,.0f} to "
            f"{pay.iloc[-1]:,.0f} {currency}, and promotions add "
            f"{self.cost_effect.sum():,.0f} {currency} of base pay over the plan."
        )


@dataclass(frozen=True)
class Track:
    """One track of the ladder as today's people stand on it: its ``levels`` (bottom
    up) and their titles, the monthly promotion probability out of each level
    (``step_up``; none at the top), the filled people of the role on each level
    (``start``) and each level's annual pay (``pay``)."""

    name: str
    levels: list[str]
    titles: list[str]
    step_up: np.ndarray
    start: np.ndarray
    pay: dict[str, float]


def ladder_track(
    ladder: pd.DataFrame, people: pd.DataFrame, track: str = "IC", role: str = "agent"
) -> Track | None:
    """The ``track`` of the ladder with the filled people of ``role`` on its levels;
    None when the ladder has no such track."""
    rungs = ladder[ladder["track"] == track]
    levels = list(dict.fromkeys(rungs["level"]))
    if not levels:
        return None
    rate = rungs.groupby("level")["promotion_rate_per_year"].mean().reindex(levels)
    rate = rate.fillna(0.0).to_numpy(dtype=float, copy=True)
    rate[-1] = 0.0  # the top of a track is promoted out of it, which this does not follow
    step_up = 1 - (1 - np.clip(rate, 0.0, 0.999)) ** (1 / 12)
    on_track = people[
        roles(people).eq(role).to_numpy()
        & people["status"].eq("filled").to_numpy()
        & people["level"].isin(levels).to_numpy()
    ]
    start = on_track["level"].value_counts().reindex(levels, fill_value=0).to_numpy(float)
    titles = rungs.drop_duplicates("level").set_index("level")["title"]
    return Track(track, levels, [titles[lv] for lv in levels], step_up, start,
                 _level_pay(rungs, on_track, levels))  # fmt: skip


def project_ladder(
    ladder: pd.DataFrame,
    people: pd.DataFrame,
    months: pd.DatetimeIndex,
    annual_attrition: float,
    total: np.ndarray | None = None,
    track: str = "IC",
    role: str = "agent",
) -> LadderProjection | None:
    """The Markov projection of one track (see the module notes): the filled people of
    ``role`` on the track's levels at the first month, then promotions, leavers and hires
    at the entry level that keep the track at ``total`` people each month (its starting
    headcount when None). None when nobody is on the track."""
    return project_track(ladder_track(ladder, people, track, role), months, annual_attrition,
                         total)  # fmt: skip


def project_track(
    track: Track | None,
    months: pd.DatetimeIndex,
    annual_attrition: float,
    total: np.ndarray | None = None,
) -> LadderProjection | None:
    """``project_ladder`` from a ``ladder_track``."""
    if track is None or not len(months):
        return None
    start, levels = track.start, track.levels
    if start.sum() == 0 and (total is None or not np.any(total)):
        return None
    leave = monthly_attrition(annual_attrition)
    headcount = np.full(len(months), start.sum()) if total is None else np.asarray(total, float)
    promoted_mix, promoted_flows = _markov(start, track.step_up, leave, headcount)
    still_mix, _ = _markov(start, np.zeros_like(track.step_up), leave, headcount)
    pay_vector = np.array([track.pay[level] for level in levels])
    cost_effect = (promoted_mix - still_mix) @ pay_vector / 12
    count = len(levels)
    frame = pd.DataFrame(
        {
            "month": np.repeat(months.to_numpy(), count),
            "level": np.tile(levels, len(months)),
            "title": np.tile(track.titles, len(months)),
            "people": promoted_mix.ravel(),
            **{name: flow.ravel() for name, flow in promoted_flows.items()},
        }
    )
    return LadderProjection(frame, cost_effect, track.pay, track.name)


def _markov(
    start: np.ndarray, step_up: np.ndarray, leave: float, headcount: np.ndarray
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """People per month x level, and the flows (promotions out, leavers, hires)."""
    months, count = len(headcount), len(start)
    mix = np.zeros((months, count))
    flows = {name: np.zeros((months, count)) for name in ("promotions", "leavers", "hires")}
    people = start.astype(float).copy()
    for t in range(months):
        if t:
            leavers = people * leave
            promoted = (people - leavers) * step_up
            people = people - leavers - promoted
            people[1:] += promoted[:-1]
            flows["leavers"][t], flows["promotions"][t] = leavers, promoted
        hires = max(headcount[t] - people.sum(), 0.0)
        people[0] += hires
        flows["hires"][t, 0] = hires
        mix[t] = people
    return mix, flows


def _level_pay(rungs: pd.DataFrame, on_track: pd.DataFrame, levels: list[str]) -> dict:
    """Each level's band midpoint, weighted by where the level's people are."""
    pay = {}
    for level in levels:
        bands = rungs[rungs["level"] == level].set_index("location")["band_mid"].dropna()
        where = on_track.loc[on_track["level"] == level, "location"].value_counts()
        weights = where.reindex(bands.index, fill_value=0)
        if weights.sum():
            pay[level] = float((bands * weights).sum() / weights.sum())
        else:
            pay[level] = float(bands.mean()) if len(bands) else 0.0
    return pay
