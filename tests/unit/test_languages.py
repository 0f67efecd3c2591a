"""Languages measured from an export's language column: each channel's split by hand, the
minor languages grouped, through a real CSV, the ingest and the store."""

import pandas as pd
import pytest

from planner import measure
from planner.scenario import Scenario, Source
from planner.volume import aggregate
from tests.unit.exported import stored, through_csv


def language_tickets() -> pd.DataFrame:
    """Chat: 200 tickets, 120 "en-US", 30 "en-GB", 40 "es", 6 "fr", 4 "de" (fr and de are
    under 5% each); phone: 100 tickets, 97 "English", 3 "Spanish"; email: 20 tickets in
    Spanish; 10 more chat tickets without a language."""
    languages = ["en-US"] * 120 + ["en-GB"] * 30 + ["es"] * 40 + ["fr"] * 6 + ["de"] * 4
    languages += [None] * 10 + ["English"] * 97 + ["Spanish"] * 3 + ["Spanish"] * 20
    channels = ["chat"] * 210 + ["phone"] * 100 + ["email"] * 20
    return pd.DataFrame(
        {
            "ticket_id": [str(i) for i in range(len(channels))],
            "created_at": pd.date_range("2026-01-05", periods=len(channels), freq="2h", tz="UTC"),
            "channel": channels,
            "queue": "all",
            "csat": None,
            "handle_minutes": 6.0,
            "first_reply_minutes": None,
            "language": languages,
        }
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [("en-US", "en"), ("en_gb", "en"), ("ES", "es"), ("zh-Hant-TW", "zh"), ("Spanish", "Spanish"),
     (" Português ", "Português"), ("fil", "fil")],
)  # fmt: skip
def test_the_language_a_ticket_names(text, name):
    assert measure.language_name(text) == name


def test_each_channels_split_is_measured_and_minor_languages_are_one_queue():
    # By hand. Chat, 200 with a language: en = 150 / 200 = 75%, es = 40 / 200 = 20%, fr and
    # de (3% and 2%, under 5% each) are "Other" = 5%. Phone: English 97% is one queue (no
    # split). Email: 20 tickets, under the 30 a split needs.
    history = aggregate(language_tickets(), "D", "UTC")
    row = next(r for r in measure.measure(history, Scenario()).rows
               if r.path == "service.languages")  # fmt: skip
    split = {(s.channel, s.language): s.share for s in row.measured}
    assert split == pytest.approx({("chat", "en"): 0.75, ("chat", "es"): 0.20,
                                   ("chat", "Other"): 0.05})  # fmt: skip
    assert row.tickets == 320
    assert "phone: English 97%, one queue" in row.note
    assert "email: only 20 tickets name a language" in row.note
    planned = measure.apply(Scenario(), measure.measure(history, Scenario()))
    assert [s.queue for s in planned.service.languages] == ["chat · en", "chat · es",
                                                           "chat · Other"]  # fmt: skip
    assert planned.source_of("service.languages").kind == "measured"
    assert measure.forget(planned).service.languages == []


def test_more_languages_than_queues_keep_the_largest_and_the_rest_is_other():
    # Eight languages of 12.5% each: the six largest (ties in name order) keep a queue,
    # the last two are "Other" at 25%.
    names = ["ar", "de", "en", "es", "fr", "it", "ja", "ko"]
    frame = language_tickets().iloc[:0]
    tickets = pd.DataFrame(
        {
            "ticket_id": [str(i) for i in range(80)],
            "created_at": pd.date_range("2026-01-05", periods=80, freq="h", tz="UTC"),
            "channel": "chat",
            "queue": "all",
            "csat": None,
            "handle_minutes": 6.0,
            "first_reply_minutes": None,
            "language": [names[i % 8] for i in range(80)],
        }
    )
    history = aggregate(pd.concat([frame, tickets]), "D", "UTC")
    row = next(r for r in measure.measure(history, Scenario()).rows
               if r.path == "service.languages")  # fmt: skip
    shares = {s.language: s.share for s in row.measured}
    assert list(shares) == ["ar", "de", "en", "es", "fr", "it", "Other"]
    assert shares["Other"] == pytest.approx(0.25)
    assert sum(shares.values()) == pytest.approx(1.0)


def test_a_site_keeps_only_languages_a_remeasured_history_still_has():
    # A scenario whose chat was split en/es, a site answering es: a history with only en
    # and fr chat leaves the site answering no language in particular (all of them).
    data = Scenario().model_dump()
    data["service"]["languages"] = [
        {"channel": "chat", "language": name, "share": 0.5} for name in ("en", "es")
    ]
    data["service"]["sites"] = [{"name": "Bogota", "languages": ["es"]}]
    measured = Source(kind="measured", detail="an earlier history")
    base = Scenario.parse(data).with_sources({"service.languages": measured})
    tickets = (
        language_tickets().iloc[:150].assign(language=["en"] * 100 + ["fr"] * 50, channel="chat")
    )
    history = aggregate(tickets, "D", "UTC")
    planned = measure.apply(base, measure.measure(history, base))
    assert {s.language for s in planned.service.languages} == {"en", "fr"}
    assert planned.service.sites[0].languages == []


def test_an_export_without_a_language_column_measures_none():
    history = aggregate(language_tickets().drop(columns="language"), "D", "UTC")
    assert history.languages is None
    row = next(r for r in measure.measure(history, Scenario()).rows
               if r.path == "service.languages")  # fmt: skip
    assert row.measured is None and "no language column" in row.note


def test_a_csv_with_a_language_column_keeps_it_through_ingest_and_the_store(tmp_path):
    history = through_csv(language_tickets(), "language", "Language", tmp_path)
    counted = history.languages.set_index(["channel", "language"])["tickets"]
    assert counted[("chat", "en-US")] == 120 and counted[("phone", "Spanish")] == 3
    assert counted.sum() == 320
    assert stored(history, tmp_path).languages.equals(history.languages)
