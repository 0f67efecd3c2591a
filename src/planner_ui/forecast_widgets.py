"""Widgets of the Volume forecast page: the accuracy tables' columns and the what-if editor.

The editor turns the scenario's demand settings into editable tables (percentages shown as
10 for 10%) and returns what was entered in the scenario's own units; validation stays with
``Scenario.parse``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.forecast import METHODS
from planner.scenario import DemandSettings, ForecastSettings
from planner_ui import state
from planner_ui.editors import settle, steady_editor


def accuracy_columns(level: int, **names: str) -> dict:
    """Column settings of a backtest accuracy table; ``names`` label its other columns."""
    return names | {
        "mase": st.column_config.NumberColumn("MASE", format="%.2f"),
        "wape": st.column_config.NumberColumn("WAPE", format="percent"),
        "bias": st.column_config.NumberColumn("Bias", format="percent"),
        "coverage": st.column_config.NumberColumn(f"{level}% coverage", format="percent"),
        "total_wape": st.column_config.NumberColumn(
            "Monthly totals' WAPE", format="percent", help="Months further ahead than a quarter."
        ),
    }


PERCENT = {"format": "%.0f%%"}
METHOD_NAMES = {
    "auto": "Most accurate in the backtest",
    "seasonal_naive": "Seasonal naive",
    "ets": "Exponential smoothing (ETS)",
    "sarimax": "Regression with ARIMA errors",
    "mstl": "MSTL decomposition",
    "theta": "Theta",
    "combination": "Average of the best three",
}


def method_inputs(settings: ForecastSettings) -> dict:
    """Method, interval level, backtest origins and holiday calendar, as entered."""
    fields = ForecastSettings.model_fields
    a, b, c, d = st.columns(4)
    return {
        "method": a.selectbox(
            "Method",
            ["auto", *METHODS],
            index=["auto", *METHODS].index(settings.method),
            format_func=METHOD_NAMES.get,
            help=fields["method"].description,
        ),
        "interval_level": b.slider(
            "Interval (%)", 50, 99, settings.interval_level, step=5,
            help=fields["interval_level"].description,
        ),
        "backtest_origins": c.slider(
            "Backtest origins", 1, 12, settings.backtest_origins,
            help=fields["backtest_origins"].description,
        ),
        "holiday_country": d.text_input(
            "Holiday calendar (country code)", settings.holiday_country,
            placeholder="from the time zone", help=fields["holiday_country"].description,
        ).strip().upper(),
        "closures": names_in(
            st.text_input(
                "Closed on (dates, YYYY-MM-DD, separated by commas)",
                ", ".join(f"{closed:%Y-%m-%d}" for closed in settings.closures),
                help=fields["closures"].description,
            )
        ),
    }  # fmt: skip


def rows_of(table: pd.DataFrame) -> list[dict]:
    """Edited rows as plain values; rows left wholly blank are ignored."""
    kept = table.dropna(how="all")
    return [
        {k: (None if pd.isna(v) else v) for k, v in row.items()} for row in kept.to_dict("records")
    ]


def names_in(text: object) -> list[str]:
    """The comma-separated names of a cell or a text box, trimmed; none when it is empty."""
    return [part.strip() for part in str(text or "").split(",") if part.strip()]


def day(value) -> object:
    return None if value is None else pd.Timestamp(value).date()


def adjustments_editor(adjust: DemandSettings, channels: list[str]) -> dict:
    """The what-if inputs; returns the demand settings as entered (validated by the caller)."""
    fields = type(adjust).model_fields
    g1, g2, g3, g4 = st.columns(4)
    driver = g1.radio(
        "Growth driver",
        ["trend", "customers"],
        index=["trend", "customers"].index(adjust.growth_driver),
        format_func={"trend": "% a year", "customers": "Customers"}.get,
        help=fields["growth_driver"].description,
    )
    entered: dict = {"growth_driver": driver}
    if driver == "trend":
        growth = g2.number_input(
            "Extra growth (% a year)",
            -90.0,
            500.0,
            adjust.growth_per_year * 100,
            step=1.0,
            key="growth",
            help=fields["growth_per_year"].description,
        )
        entered["growth_per_year"] = growth / 100
    else:
        customers = adjust.customers_now or state.scenario().costs.customers
        entered["customers_now"] = g2.number_input(
            "Customers now", 1, None, customers, help=fields["customers_now"].description
        )
        entered["customers_in_a_year"] = g3.number_input(
            "Customers in a year",
            0,
            None,
            adjust.customers_in_a_year or customers,
            help=fields["customers_in_a_year"].description,
        )
        rate = g4.number_input(
            "Contacts per customer (% a year)",
            -90.0,
            500.0,
            adjust.contacts_per_customer_change * 100,
            step=1.0,
            help=fields["contacts_per_customer_change"].description,
        )
        entered["contacts_per_customer_change"] = rate / 100
    st.caption("Launches and campaigns: % change in the low and high case (10 = +10%).")
    events = steady_editor(
        "events-editor",
        pd.DataFrame(
            [
                e.model_dump()
                | {
                    "low_change": e.low_change * 100,
                    "high_change": e.high_change * 100,
                    "channels": ", ".join(e.channels),
                }
                for e in adjust.events
            ],
            columns=["name", "start", "weeks", "low_change", "high_change", "channels"],
        ).astype({"start": "datetime64[s]"}),
        adjust,
        {"events"},
        num_rows="dynamic",
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn("Event", required=True),
            "start": st.column_config.DateColumn("Starts", required=True),
            "weeks": st.column_config.NumberColumn("Weeks", min_value=1, max_value=52, default=4),
            "low_change": st.column_config.NumberColumn("Low case", default=10.0, **PERCENT),
            "high_change": st.column_config.NumberColumn("High case", default=30.0, **PERCENT),
            "channels": st.column_config.TextColumn(
                "Channels", help=f"Comma-separated; empty means all ({', '.join(channels)})."
            ),
        },
    )
    st.caption("AI deflection: share of a channel's contacts answered without an agent.")
    deflections = steady_editor(
        "deflection-editor",
        pd.DataFrame(
            [
                d.model_dump()
                | {
                    "share": d.share * 100,
                    "aht_uplift": d.aht_uplift * 100,
                    "recontact_share": d.recontact_share * 100,
                }
                for d in adjust.deflection
            ],
            columns=[
                "channel",
                "start",
                "share",
                "ramp_months",
                "aht_uplift",
                "recontact_share",
                "recontact_channel",
            ],
        ).astype({"start": "datetime64[s]"}),
        adjust,
        {"deflection"},
        num_rows="dynamic",
        width="stretch",
        column_config={
            "channel": st.column_config.SelectboxColumn("Channel", options=channels, required=True),
            "start": st.column_config.DateColumn("Go-live", required=True),
            "share": st.column_config.NumberColumn(
                "Share at full adoption", min_value=0.0, max_value=95.0, default=25.0, **PERCENT
            ),
            "ramp_months": st.column_config.NumberColumn(
                "Months to full adoption", min_value=0, max_value=24, default=3
            ),
            "aht_uplift": st.column_config.NumberColumn(
                "AHT rise of the rest",
                min_value=0.0,
                max_value=200.0,
                default=0.0,
                **PERCENT,
                help="The contacts the assistant leaves are harder: their handle time rises.",
            ),
            "recontact_share": st.column_config.NumberColumn(
                "Come back",
                min_value=0.0,
                max_value=100.0,
                default=0.0,
                **PERCENT,
                help="Share of deflected contacts that come back to an agent.",
            ),
            "recontact_channel": st.column_config.SelectboxColumn(
                "Come back in",
                options=channels,
                help="Empty: the same channel.",
            ),
        },
    )
    entered["events"] = [
        row
        | {
            "start": day(row["start"]),
            "low_change": (row["low_change"] or 0) / 100,
            "high_change": (row["high_change"] or 0) / 100,
            "channels": names_in(row["channels"]),
        }
        for row in rows_of(events)
    ]
    entered["deflection"] = [
        row
        | {
            "start": day(row["start"]),
            "share": (row["share"] or 0) / 100,
            "aht_uplift": (row["aht_uplift"] or 0) / 100,
            "recontact_share": (row["recontact_share"] or 0) / 100,
        }
        for row in rows_of(deflections)
    ]
    settle("events-editor", adjust, {"events"}, {"events": entered["events"]})
    settle("deflection-editor", adjust, {"deflection"}, {"deflection": entered["deflection"]})
    return entered | resolution_inputs(adjust)


def resolution_inputs(adjust: DemandSettings) -> dict:
    """First-contact resolution today, its what-if change (points) and the share of repeat
    contacts, as percentages."""
    fields = type(adjust).model_fields
    st.caption(
        "First-contact resolution: contacts not resolved at the first touch escalate to a "
        "tier above (Staffing) or come back as repeat contacts; raising it shrinks both."
    )
    f1, f2, f3 = st.columns(3)
    today = f1.number_input(
        "Resolved at first contact today (%)", 0.0, 99.0,
        adjust.first_contact_resolution * 100, step=1.0, key="fcr-today",
        help=fields["first_contact_resolution"].description,
    )  # fmt: skip
    change = f2.number_input(
        "What-if: first-contact resolution (points)", -90.0, 90.0, adjust.fcr_change * 100,
        step=1.0, key="fcr-change", help=fields["fcr_change"].description,
    )  # fmt: skip
    repeats = f3.number_input(
        "Repeat contacts (% of contacts)", 0.0, 90.0, adjust.repeat_share * 100, step=1.0,
        key="fcr-repeats", help=fields["repeat_share"].description,
    )  # fmt: skip
    return {
        "first_contact_resolution": today / 100,
        "fcr_change": change / 100,
        "repeat_share": repeats / 100,
    }
