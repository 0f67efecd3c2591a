"""Tiers: the contacts that escalate from Tier 1 (the channels) to the tiers above it.

A tier (``scenario.service.tiers``, in order) takes a share s of the contacts of the
channels it escalates from (every channel when it names none) or of an earlier tier, d
hours after they arrive, and works them as deferred work (``TierStep.as_channel``). Per
period p of the demand (days, weeks or months of P hours: 24, 168, or the average month's
730.5), with the delay d = (k + f) periods (k whole, 0 <= f < 1):

    escalated(p) = s x [(1 - f) x contacts(p - k) + f x contacts(p - k - 1)]

with s x ``demand.unresolved_change`` (at most 1) for contacts of the channels when
first-contact resolution is moved (fewer unresolved contacts, fewer escalations).

the linear share of a period's contacts that reaches the next one; before the demand's
first period its first period's contacts stand in (the plan usually starts after it).
Contacts are all of the source's contacts (a vendor's share too: a BPO's tier-1 contacts
escalate to the tier above it), at each demand case (low, expected, high). Escalations
are the same tickets again, not new ones: they add work, not contacts (the budget's
contacts and cost per ticket leave them out).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.demand import BOUNDS, channel_of, frequency_of
from planner.scenario import ServiceSettings

HOURS_A_PERIOD = {"D": 24.0, "W": 168.0, "M": 730.5}


def with_escalations(
    frame: pd.DataFrame, service: ServiceSettings, unresolved: float = 1.0
) -> pd.DataFrame:
    """``frame`` (a demand frame: series, period, mean, lower, upper; channels or
    "channel / queue" series) with one series per tier of ``service`` appended: its
    escalated contacts per period (other columns 0). ``unresolved`` scales the share a
    tier takes from the channels (``demand.unresolved_change``: first-contact resolution
    moved; a tier above another is not). ``frame`` itself when there are no tiers."""
    if not service.tiers or frame.empty:
        return frame
    periods = np.unique(pd.to_datetime(frame["period"]).to_numpy())
    at = np.searchsorted(periods, pd.to_datetime(frame["period"]).to_numpy())
    channel = channel_of(frame).to_numpy(str)
    per_period = HOURS_A_PERIOD[frequency_of(periods)]
    contacts: dict[str, np.ndarray] = {}  # source -> periods x cases
    for name in np.unique(channel):
        rows = channel == name
        contacts[name] = np.stack(
            [np.bincount(at[rows], frame[c].to_numpy(float)[rows], len(periods)) for c in BOUNDS],
            axis=1,
        )
    added = []
    for tier in service.tiers:
        sources = tier.escalates_from or list(service.channels)
        escalated = np.zeros((len(periods), len(BOUNDS)))
        for source in sources:
            if source in contacts:
                moved = unresolved if source in service.channels else 1.0
                escalated += min(tier.share * moved, 1.0) * contacts[source]
        contacts[tier.name] = delayed(escalated, tier.delay_hours / per_period)
        table = {"series": tier.name, "period": periods}
        table |= {c: contacts[tier.name][:, i] for i, c in enumerate(BOUNDS)}
        added.append(pd.DataFrame(table))
    tiers = pd.concat(added, ignore_index=True)
    tiers["period"] = tiers["period"].astype(frame["period"].dtype)
    for column in frame.columns.difference(tiers.columns):
        if column == "channel":
            tiers[column] = tiers["series"]
        elif not pd.api.types.is_numeric_dtype(frame[column]):
            tiers[column] = ""
        elif column.startswith("base_") and column[5:] in BOUNDS:
            tiers[column] = tiers[column[5:]]
        else:
            tiers[column] = 0.0
    return pd.concat([frame, tiers[frame.columns]], ignore_index=True)


def delayed(values: np.ndarray, periods: float) -> np.ndarray:
    """``values`` (periods first) moved ``periods`` later, a fraction split linearly
    between two periods; the first period stands in for those before it.

    Example:
    >>> delayed(np.array([0.0, 10.0, 0.0, 0.0]), 1.5).tolist()  # half a period late, then more
    [0.0, 0.0, 5.0, 5.0]
    """
    whole, part = int(periods), periods - int(periods)
    padded = np.concatenate([np.repeat(values[:1], whole + 1, axis=0), values])
    end = len(padded)
    later = padded[1 : end - whole]
    earlier = padded[: end - whole - 1]
    return (1 - part) * later + part * earlier
