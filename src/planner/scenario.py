"""The scenario: every planning assumption in one typed, versioned object.

Each default is realistic for a mid-size SaaS support team (about 60 people, four channels) and
carries a one-line rationale in its field description; the app shows it on hover. Sources for
the figures are in ``shared/DOMAIN.md``. New settings are added with a default so that older
scenario files keep loading.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import math
import re
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from zoneinfo import available_timezones

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from planner.errors import ScenarioError

SCHEMA_VERSION = 2  # 2: fractions lost their "_pct" (RENAMED); a version-1 save opens as 2
# Settings renamed since a scenario could be saved, old name -> new (CONTRIBUTING.md,
# "Names"): a save that uses the old name opens with the new one and the same value, and
# a source recorded for it follows it.
RENAMED = {
    "growth_pct_per_year": "growth_per_year",
    "contacts_per_customer_change_pct": "contacts_per_customer_change",
    "low_pct": "low_change",
    "high_pct": "high_change",
    "aht_uplift_pct": "aht_uplift",
    "merit_increase_pct": "merit_increase",
    "pay_adjustment_pct": "pay_adjustment",
    "arr_growth_pct": "arr_growth",
}
CHANNELS = ("email", "chat", "phone", "web_form")

Share = Annotated[float, Field(ge=0.0, le=0.95)]
AHT_SECONDS = (10, 14_400)  # the handle times a plan accepts: 10 seconds to 4 hours


def _setting(default: Any, rationale: str, **constraints: Any) -> Any:
    """A field with its default and the one-line rationale the app shows on hover."""
    if callable(default):
        return Field(default_factory=default, description=rationale, **constraints)
    return Field(default, description=rationale, **constraints)


CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
MAX_PAY = 1e9  # a year's base pay; ranges of money allow weak currencies (IDR, VND)


def _one_line(value: Any) -> Any:
    """Text (and dict keys) on one line: line breaks, tabs and other control characters
    become a space, so no name can split a row of a CSV or a line of a slide."""
    if isinstance(value, str):
        return CONTROL.sub(" ", value).strip() if CONTROL.search(value) else value
    if isinstance(value, dict):
        return {_one_line(k): _one_line(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_one_line(v) for v in value]
    return value


FIRST_YEAR, LAST_YEAR = 2000, 2100  # dates a plan, an event or a class may have


def _in_window(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"the date {value:%Y-%m-%d} is outside {FIRST_YEAR}-{LAST_YEAR}")
    return value


PlanDate = Annotated[dt.date, AfterValidator(_in_window)]


def name_key(name: str) -> str:
    """A name as compared for uniqueness: case, spaces and punctuation left out
    ('Help desk' and 'helpdesk' are the same tool)."""
    return re.sub(r"[\W_]+", "", name.casefold())


def _unique_names(names: list[str], what: str) -> None:
    """Refuse empty names and names equal but for case and punctuation, all in one message."""
    problems = [f"a {what} has no name" for name in names if not name_key(name)]
    seen: dict[str, str] = {}
    for name in names:
        key = name_key(name)
        if key and key in seen:
            problems.append(f"{what} names '{seen[key]}' and '{name}' are the same name")
        seen.setdefault(key, name)
    if problems:
        raise ValueError("; ".join(problems))


@functools.cache
def _zones() -> dict[str, str]:
    return {zone.casefold(): zone for zone in available_timezones()}


def canonical_zone(value: str) -> str:
    """The IANA name of a time zone typed in any case ('utc' -> 'UTC', 'europe/berlin' ->
    'Europe/Berlin'); else a ValueError that suggests the nearest names."""
    zone = _zones().get(value.strip().casefold())
    if zone is not None:
        return zone
    near = difflib.get_close_matches(value.strip().casefold(), list(_zones()), n=3, cutoff=0.6)
    hint = f" (nearest: {', '.join(_zones()[n] for n in near)})" if near else ""
    offset = (
        "; an offset such as 'UTC+1' is not a zone: pick the city, e.g. 'Europe/Paris'"
        if re.search(r"[+-]\d", value)
        else ""
    )
    raise ValueError(
        f"'{value}' is not a time zone name; use one like 'Europe/Berlin' or 'UTC'{hint}{offset}"
    )


@dataclass(frozen=True)
class NotANumber:
    """Text or a yes/no where a number belongs, kept to be refused with its value."""

    value: object


def _renamed(section: type[BaseModel], data: dict) -> dict:
    """``data`` with each setting saved under an old name (``RENAMED``) under its new one,
    when ``section`` has it and the data does not already; the paths of ``sources``
    likewise. A scenario of an older layout is marked as the current one."""
    fields = section.model_fields
    moved = {}
    for key, value in data.items():
        new = RENAMED.get(key) if isinstance(key, str) else None
        moved[new if new in fields and new not in data else key] = value
    if "sources" in fields and isinstance(moved.get("sources"), dict):
        moved["sources"] = {
            ".".join(RENAMED.get(part, part) for part in path.split("."))
            if isinstance(path, str) else path: source
            for path, source in moved["sources"].items()
        }  # fmt: skip
    version = moved.get("schema_version")
    if "schema_version" in fields and isinstance(version, int) and version < SCHEMA_VERSION:
        moved["schema_version"] = SCHEMA_VERSION
    return moved


def _is_number_field(annotation: Any) -> bool:
    """int or float, optional or not (a list or dict of numbers is checked by its items)."""
    kinds = typing.get_args(annotation) or (annotation,)
    return any(kind in (int, float) for kind in kinds)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _text_on_one_line(cls, data: Any) -> Any:
        """Text on one line, and numbers that are numbers: ``'12'`` or ``True`` where an
        amount, a count or hours belong is refused, not read as 12 or 1."""
        if not isinstance(data, dict):
            return data
        data = _one_line(_renamed(cls, data))
        for name, info in cls.model_fields.items():
            if _is_number_field(info.annotation) and isinstance(data.get(name), bool | str):
                data[name] = NotANumber(data[name])  # refused beside every other problem
        return data


class ForecastSettings(_Section):
    frequency: Literal["D", "W", "M"] = _setting(
        "D", "Daily periods feed interval staffing; weekly or monthly suit long-range budgets."
    )
    method: Literal["auto", "seasonal_naive", "ets", "sarimax", "mstl", "theta", "combination"] = (
        _setting("auto", "Let the rolling-origin backtest pick the model that was most accurate.")
    )
    interval_level: int = _setting(
        80, "An 80% band (P10-P90) is the range finance plans against.", ge=50, le=99
    )
    backtest_origins: int = _setting(
        4, "Four forecast origins show accuracy across seasons without slow refits.", ge=1, le=12
    )
    holiday_country: str = _setting(
        "",
        "Public holidays of the country most customers are in change volume; empty: the "
        "country of the plan's time zone.",
    )
    closures: list[dt.date] = _setting(
        list, "Days the team is closed (a company holiday, an offsite): forecast as 0."
    )
    allow_short_history: bool = _setting(
        False,
        "Under 8 weeks of history no forecast is made unless asked for; its range is then "
        "widened to show how little the data can say.",
    )


class DemandEvent(_Section):
    name: str = Field(min_length=1, description="What happens, e.g. 'Spring product launch'.")
    start: PlanDate = Field(description="First day the event changes volume.")
    weeks: int = Field(4, ge=1, le=52, description="How long the extra volume lasts.")
    low_change: float = Field(0.10, ge=-1.0, le=5.0, description="Low case change, 0.10 = +10%.")
    high_change: float = Field(0.30, ge=-1.0, le=5.0, description="High case change, 0.30 = +30%.")
    channels: list[str] = Field(default_factory=list, description="Empty means every channel.")

    @model_validator(mode="after")
    def _low_not_above_high(self) -> DemandEvent:
        if self.low_change > self.high_change:
            raise ValueError("the low case must not be above the high case; swap the two values")
        return self


class Deflection(_Section):
    channel: str = Field(description="Channel the AI assistant answers, e.g. 'chat'.")
    start: PlanDate = Field(description="Go-live date.")
    share: Share = Field(0.25, description="Share of the channel deflected at full adoption.")
    ramp_months: int = Field(3, ge=0, le=24, description="Months from go-live to full adoption.")
    aht_uplift: float = Field(
        0.0, ge=0, le=2.0, description="The contacts left are harder: their AHT rises this much."
    )
    recontact_share: float = Field(
        0.0, ge=0, le=1.0, description="Share of deflected contacts that come back to an agent."
    )
    recontact_channel: str | None = Field(
        None, description="Where they come back; empty: the same channel."
    )


class DemandSettings(_Section):
    growth_driver: Literal["trend", "customers"] = _setting(
        "trend",
        "trend: a % a year on top of the forecast; customers: customers x contacts per customer.",
    )
    growth_per_year: float = _setting(
        0.0,
        "The forecast already carries the history's trend; add growth only for known changes.",
        ge=-0.9,
        le=5.0,
    )
    customers_now: int | None = _setting(
        None, "Customers when the forecast starts (customers driver).", gt=0, le=1_000_000_000
    )
    customers_in_a_year: int | None = _setting(
        None, "Customers planned a year later; growth in between is linear.", ge=0,
        le=1_000_000_000,
    )  # fmt: skip
    contacts_per_customer_change: float = _setting(
        0.0,
        "Yearly change in contacts per customer, e.g. -0.05 as the product gets easier.",
        ge=-0.9,
        le=5.0,
    )
    events: list[DemandEvent] = _setting(list, "Dated launches or campaigns that add volume.")
    deflection: list[Deflection] = _setting(list, "AI self-service that removes contacts.")
    first_contact_resolution: float = _setting(
        0.70,
        "Share of contacts resolved at the first contact, today: SQM Group's cross-industry "
        "benchmark is about 70%.",
        ge=0.0,
        le=0.99,
    )
    fcr_change: float = _setting(
        0.0,
        "What-if: first-contact resolution this many points higher (0.05 = +5 points); the "
        "unresolved contacts (escalations and repeat contacts) shrink in proportion.",
        ge=-0.9,
        le=0.9,
    )
    repeat_share: float = _setting(
        0.0,
        "Share of contacts that are repeats of unresolved ones (0 when repeats are not "
        "tracked: then first-contact resolution moves escalations alone).",
        ge=0.0,
        le=0.9,
    )

    @model_validator(mode="after")
    def _resolution_stays_a_share(self) -> DemandSettings:
        after = self.first_contact_resolution + self.fcr_change
        if not 0.0 <= after <= 1.0:
            raise ValueError(
                f"first-contact resolution {self.first_contact_resolution:.0%} changed by "
                f"{self.fcr_change * 100:+.0f} points is {after:.0%}: keep it between 0% and "
                "100%"
            )
        return self

    @model_validator(mode="after")
    def _customers_driver_has_its_numbers(self) -> DemandSettings:
        if self.growth_driver == "customers" and (
            self.customers_now is None or self.customers_in_a_year is None
        ):
            raise ValueError(
                "the customers driver needs the customers now and the customers in a year"
            )
        return self


class HoursOfOperation(_Section):
    open_hour: int = Field(8, ge=0, le=23, description="Opening hour, local time.")
    close_hour: int = Field(20, ge=1, le=24, description="Closing hour, local time.")
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        default_factory=lambda: [0, 1, 2, 3, 4], description="0 = Monday ... 6 = Sunday."
    )

    @model_validator(mode="after")
    def _opens_before_it_closes(self) -> HoursOfOperation:
        if self.close_hour <= self.open_hour:
            raise ValueError("the closing hour must be after the opening hour")
        if not self.weekdays or any(d < 0 or d > 6 for d in self.weekdays):
            raise ValueError("open days must be numbers from 0 (Monday) to 6 (Sunday)")
        return self

    def covers(self, weekday: np.ndarray, minute: np.ndarray) -> np.ndarray:
        """Whether intervals starting on ``weekday`` (0 = Monday) at ``minute`` after
        midnight start inside these hours."""
        return (
            np.isin(weekday, self.weekdays)
            & (minute >= self.open_hour * 60)
            & (minute < self.close_hour * 60)
        )


class ChannelService(_Section):
    model: Literal["erlang", "concurrent", "deferred"] = Field(
        description="erlang for phone, concurrent for chat, deferred for email and web forms."
    )
    aht_seconds: float = Field(
        ge=AHT_SECONDS[0], le=AHT_SECONDS[1], description="Average handle time per contact."
    )
    service_level: float | None = Field(
        None, gt=0.0, lt=1.0, description="Share answered within answer_seconds (live channels)."
    )
    answer_seconds: float | None = Field(None, gt=0, le=3_600, description="Answer-time target.")
    asa_seconds: float | None = Field(
        None,
        gt=0,
        le=3_600,
        description="Average speed of answer target (live channels), with or instead of a "
        "service level.",
    )
    response_hours: float | None = Field(
        None, gt=0, le=240, description="Deferred work: answer within this many business hours."
    )
    concurrency: float = Field(1.0, ge=1.0, le=5.0, description="Chats an agent runs at once.")
    patience_seconds: float | None = Field(
        None,
        gt=0,
        le=3_600,
        description="Mean customer patience; set it to use Erlang A (abandonment).",
    )
    max_abandonment: float = Field(
        0.05,
        gt=0,
        lt=1,
        description="With a patience: at most this share of offered contacts hang up (5% is "
        "a common cap); staffing meets it as well as the service level.",
    )
    short_abandon_seconds: float | None = Field(
        None,
        gt=0,
        le=120,
        description="How the service level counts contacts that hang up: empty, answered "
        "within the answer time / offered (a hang-up is a failure); a number of seconds, "
        "those that hang up within it are left out of offered.",
    )
    hours: HoursOfOperation = Field(
        default_factory=HoursOfOperation, description="Hours the channel is staffed."
    )
    outside_hours: Literal["unserved", "next_opening"] = Field(
        "unserved",
        description="Live contacts that arrive while the channel is closed: 'unserved' "
        "(counted and costed apart, left out of cost per handled ticket) or 'next_opening' "
        "(they come back in the first hour the channel is open, and are staffed there).",
    )

    @model_validator(mode="after")
    def _targets_fit_the_model(self) -> ChannelService:
        live = self.model in ("erlang", "concurrent")
        if (self.service_level is None) != (self.answer_seconds is None):
            raise ValueError("a service level needs its answer time in seconds, and back")
        if live and self.service_level is None and self.asa_seconds is None:
            raise ValueError(
                "a live channel needs a service level with an answer time, or an ASA in seconds"
            )
        if self.model == "deferred" and self.response_hours is None:
            raise ValueError("a deferred channel (email, web form) needs a response time in hours")
        if self.model != "concurrent" and self.concurrency != 1.0:
            raise ValueError("concurrency above 1 only applies to the 'concurrent' (chat) model")
        return self


def _default_channels() -> dict[str, ChannelService]:
    return {
        "phone": ChannelService(
            model="erlang", aht_seconds=420, service_level=0.8, answer_seconds=20
        ),
        "chat": ChannelService(
            model="concurrent",
            aht_seconds=720,
            service_level=0.8,
            answer_seconds=60,
            concurrency=2.0,
        ),
        "email": ChannelService(model="deferred", aht_seconds=540, response_hours=24),
        "web_form": ChannelService(model="deferred", aht_seconds=480, response_hours=24),
    }


class TierStep(_Section):
    """A support tier above Tier 1 (the channels): a share of the contacts of the channels
    (or the tier) it takes escalations from reach it ``delay_hours`` later, and it works
    them as deferred work (a queue answered within ``response_hours`` business hours) with
    its own handle time and hours."""

    name: str = Field(min_length=1, max_length=60, description="e.g. 'Tier 2'.")
    escalates_from: list[str] = Field(
        default_factory=list,
        description="The channels (Tier 1) or the earlier tier whose contacts escalate here; "
        "empty means every channel.",
    )
    share: float = Field(
        0.15, ge=0.0, le=1.0,
        description="Share of those contacts escalated here: 10-20% of tier-1 contacts is "
        "typical for a SaaS team (lower with a strong knowledge base, higher for technical "
        "products).",
    )  # fmt: skip
    delay_hours: float = Field(
        4.0, ge=0.0, le=720.0,
        description="Hours from the contact to its escalation (tier-1 work and hand-off).",
    )  # fmt: skip
    aht_seconds: float = Field(
        2_400.0, ge=AHT_SECONDS[0], le=AHT_SECONDS[1],
        description="Handle time of an escalated case here: tier 2 takes 2-4x tier 1.",
    )  # fmt: skip
    response_hours: float = Field(
        16.0, gt=0, le=240, description="Answer escalations within this many business hours."
    )
    hours: HoursOfOperation = Field(
        default_factory=HoursOfOperation, description="Hours the tier works its queue."
    )

    def as_channel(self) -> ChannelService:
        """The tier as deferred work, as staffing plans a channel."""
        return ChannelService(
            model="deferred", aht_seconds=self.aht_seconds, response_hours=self.response_hours,
            hours=self.hours,
        )  # fmt: skip


class LanguageShare(_Section):
    """The share of a channel's contacts in one language, when each language needs agents
    who speak it: the channel is staffed as one queue per language (``channel · language``,
    its contacts x the share, the channel's targets), each on its own, so the languages no
    longer pool their agents (a small language queue needs more agents per contact)."""

    channel: str = Field(min_length=1, max_length=60, description="A channel of the plan.")
    language: str = Field(min_length=1, max_length=40, description="e.g. 'Spanish'.")
    share: float = Field(
        gt=0.0, le=1.0, description="Share of the channel's contacts in this language."
    )

    @property
    def queue(self) -> str:
        """The queue staffing plans for it."""
        return f"{self.channel} · {self.language}"


class Site(_Section):
    """A place (or a vendor's team) that answers some queues in its own hours: while
    several sites serving a queue are open, its contacts are shared among them by
    ``share`` (a weight); an interval of the queue's hours no site covers is unserved."""

    name: str = Field(min_length=1, max_length=60, description="e.g. 'Lisbon'.")
    time_zone: str = Field("UTC", description="The site's IANA time zone, e.g. Europe/Lisbon.")
    hours: HoursOfOperation = Field(
        default_factory=HoursOfOperation, description="The site's working hours, local time."
    )
    serves: list[str] = Field(
        default_factory=list, description="The channels and tiers it answers; empty: all."
    )
    languages: list[str] = Field(
        default_factory=list,
        description="The languages it answers, of the channels split by language; empty: all.",
    )
    share: float = Field(
        1.0, gt=0.0, le=100.0,
        description="Its weight while open together with other sites: 2 takes twice the "
        "contacts of a site weighted 1.",
    )  # fmt: skip
    holiday_country: str = Field(
        "", max_length=2,
        description="The country whose public holidays the site closes on (two letters, "
        "e.g. PH); empty: it works them.",
    )  # fmt: skip
    vendor: bool = Field(
        False,
        description="A vendor's team (a BPO): paid for the contacts it takes, per contact or "
        "per handled hour, not staffed from the roster.",
    )
    currency: str = Field(
        "", max_length=3, description="The currency of its prices; empty: the plan's."
    )
    exchange_rate: float = Field(
        1.0, gt=0.0, le=1e6,
        description="Plan currency for one unit of the site's currency (1.08 for EUR "
        "priced in USD at 1.08).",
    )  # fmt: skip
    price_per_contact: float | None = Field(None, ge=0, le=1e6, description="Vendor price.")
    price_per_hour: float | None = Field(
        None, ge=0, le=1e6, description="Vendor price per handled hour (contacts x AHT)."
    )
    minimum_per_month: float = Field(
        0.0, ge=0, le=1e9, description="The least a vendor bills a month, in its currency."
    )
    cost_per_hour: float | None = Field(
        None, ge=0, le=1e6,
        description="In-house: base pay of a paid hour there, in its currency (a hire there "
        "costs it x paid hours a year); empty: the career ladder's entry band at its location, "
        "else the plan's hire pay.",
    )  # fmt: skip
    location: str = Field(
        "", max_length=60,
        description="In-house: the roster's and career ladder's location its hires are paid "
        "as; empty: the site's name.",
    )  # fmt: skip
    shrinkage: float | None = Field(
        None, ge=0.0, lt=0.9,
        description="In-house: the share of paid time off the queue there (on top of the "
        "shifts); empty: the plan's.",
    )  # fmt: skip

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        return canonical_zone(value)

    @model_validator(mode="after")
    def _priced_if_a_vendor(self) -> Site:
        priced = (self.price_per_contact is not None) + (self.price_per_hour is not None)
        if self.vendor and priced != 1:
            raise ValueError(
                f"price the vendor site '{self.name}' per contact or per handled hour (one)"
            )
        if not self.vendor and (priced or self.minimum_per_month):
            raise ValueError(
                f"'{self.name}' is in-house: its people are paid as the roster says; prices "
                "and a minimum are for a vendor site"
            )
        if self.vendor and (self.cost_per_hour is not None or self.shrinkage is not None):
            raise ValueError(
                f"'{self.name}' is a vendor site: it bills per contact or handled hour; a "
                "cost per hour and a shrinkage are for an in-house site"
            )
        if not self.currency and self.exchange_rate != 1.0:
            raise ValueError(
                f"site '{self.name}' has an exchange rate but no currency: name its currency"
            )
        return self

    def answers(self, queue: str, language: str | None = None) -> bool:
        """Whether it answers ``queue`` (a channel or tier) in ``language`` (None: a queue
        not split by language)."""
        if self.serves and queue not in self.serves:
            return False
        return language is None or not self.languages or language in self.languages

    @property
    def pay_location(self) -> str:
        """The roster's and ladder's location an in-house site's hires are paid as."""
        return self.location or self.name


class ServiceSettings(_Section):
    channels: dict[str, ChannelService] = _setting(
        _default_channels,
        "Phone 80/20 s, chat 80/60 s at 2 concurrent, email and web form within 24 business hours.",
    )
    tiers: list[TierStep] = _setting(
        list,
        "Tiers above Tier 1 and what escalates to them; none means every contact is solved "
        "where it arrives.",
    )

    sites: list[Site] = _setting(
        list,
        "Where contacts are answered, in whose hours; none means the team answers every "
        "queue in its own hours, in the plan's time zone.",
    )
    languages: list[LanguageShare] = _setting(
        list,
        "Channels split by language; none means any agent of a channel answers any of its "
        "contacts (one queue).",
    )
    routing: Literal["share", "cheapest"] = _setting(
        "share",
        "share: the sites open at a time share a queue's contacts by their weights; "
        "cheapest: the open site whose handled hour costs least takes them all (ties by "
        "weight).",
    )

    @field_validator("channels")
    @classmethod
    def _channel_names(cls, channels: dict) -> dict:
        _unique_names(list(channels), "channel")
        return channels

    @model_validator(mode="after")
    def _sites_serve_what_exists(self) -> ServiceSettings:
        _unique_names([site.name for site in self.sites], "site")
        queues = set(self.channels) | {tier.name for tier in self.tiers}
        for site in self.sites:
            unknown = [q for q in site.serves if q not in queues]
            if unknown:
                raise ValueError(
                    f"site '{site.name}' serves {', '.join(map(repr, unknown))}: name "
                    f"channels or tiers of the plan ({', '.join(sorted(queues))})"
                )
        return self

    @model_validator(mode="after")
    def _tiers_escalate_from_what_exists(self) -> ServiceSettings:
        names = [tier.name for tier in self.tiers]
        _unique_names(list(self.channels) + names, "channel or tier")
        known = set(self.channels)
        for tier in self.tiers:
            unknown = [n for n in tier.escalates_from if n not in known]
            if unknown:
                raise ValueError(
                    f"tier '{tier.name}' escalates from {', '.join(map(repr, unknown))}: name "
                    "channels or a tier listed before it"
                )
            known.add(tier.name)
        return self

    @model_validator(mode="after")
    def _languages_split_channels(self) -> ServiceSettings:
        problems = []
        for share in self.languages:
            if share.channel not in self.channels:
                problems.append(
                    f"the language '{share.language}' is of '{share.channel}', which is not a "
                    f"channel of the plan ({', '.join(sorted(self.channels))})"
                )
        for channel, mine in self.split_shares().items():
            try:
                _unique_names([s.language for s in mine], f"{channel} language")
            except ValueError as error:
                problems.append(str(error))
            total = sum(s.share for s in mine)
            if abs(total - 1.0) > 0.005:
                problems.append(
                    f"the languages of '{channel}' add up to {total:.1%}; make them add up to 100%"
                )
        known = {s.language for s in self.languages}
        for site in self.sites:
            unknown = [lang for lang in site.languages if lang not in known]
            if unknown:
                problems.append(
                    f"site '{site.name}' answers {', '.join(map(repr, unknown))}: name "
                    "languages a channel is split into ("
                    + (", ".join(sorted(known)) or "none yet: split a channel by language")
                    + ")"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def staffed(self) -> dict[str, ChannelService]:
        """Every queue staffing plans: the channels, then each tier as deferred work."""
        return self.channels | {tier.name: tier.as_channel() for tier in self.tiers}

    def queues(self) -> dict[str, ChannelService]:
        """``staffed`` with each channel split by language replaced by its language queues
        (``LanguageShare.queue``, the channel's settings)."""
        splits = self.split_shares()
        found = {}
        for name, settings in self.staffed().items():
            for queue in [s.queue for s in splits.get(name, [])] or [name]:
                found[queue] = settings
        return found

    def language_of(self, queue: str) -> tuple[str, str | None]:
        """The channel (or tier) and the language of a queue ``queues`` names (None when it
        is not split by language)."""
        for share in self.languages:
            if share.queue == queue:
                return share.channel, share.language
        return queue, None

    def split_shares(self) -> dict[str, list[LanguageShare]]:
        """Each channel split by language -> its languages, in order."""
        found: dict[str, list[LanguageShare]] = {}
        for share in self.languages:
            found.setdefault(share.channel, []).append(share)
        return found

    max_occupancy: float = _setting(
        0.85, "Above 85-90% occupancy burnout and attrition rise.", gt=0.3, le=1.0
    )
    interval_minutes: Literal[15, 30, 60] = _setting(
        30, "Half-hours are the usual staffing interval; 15 minutes for spiky phone queues."
    )


class Shrinkage(_Section):
    paid_time_off: Share = _setting(0.10, "About 25 days of leave and holidays a year.")
    sickness: Share = _setting(0.03, "Unplanned absence of 3% is typical in support.")
    training_coaching: Share = _setting(0.06, "About 2.5 hours a week of coaching and training.")
    meetings: Share = _setting(0.03, "Team meetings and one-to-ones.")
    breaks: Share = _setting(0.05, "Paid breaks inside scheduled hours.")

    @property
    def total(self) -> float:
        """Total shrinkage s = 1 - Π(1 - s_i) (components combine multiplicatively; DOMAIN.md)."""
        return 1.0 - math.prod(1.0 - s for s in self.model_dump().values())


class ShiftPatterns(_Section):
    model: Literal["shifts", "perfect"] = _setting(
        "shifts",
        "shifts: the typical week is covered by the shifts below (paid hours follow them); "
        "perfect: every interval hour is a paid hour, as if people came and went with "
        "the queue (an optimistic bound).",
    )
    lengths_hours: list[float] = _setting(
        lambda: [8.0, 6.0, 4.0],
        "Shift lengths people work (paid, break included): 8-hour days with 4-6 hour "
        "part-time shifts cover peaks with little idle time; 8 hours alone pays about a "
        "quarter more.",
        min_length=1,
    )
    start_minutes: Literal[15, 30, 60] = _setting(
        30, "Shifts start on the quarter-hour, the half-hour or the hour."
    )
    part_time_share: Share = _setting(0.3, "At most this share of paid hours in part-time shifts.")
    part_time_below_hours: float = _setting(
        6.0, "Shifts shorter than this are part-time.", gt=0, le=12
    )
    days_per_week: int = _setting(
        5, "Days each person works a week, one after another, the days off together.", ge=1,
        le=7,
    )  # fmt: skip
    break_minutes: int = _setting(
        0,
        "A break in the middle of shifts of 6 hours or more, off the queue. 0: breaks are "
        "in the shrinkage; above 0 the shrinkage's breaks are left out (not counted twice).",
        ge=0,
        le=120,
    )

    @field_validator("lengths_hours")
    @classmethod
    def _lengths(cls, lengths: list[float]) -> list[float]:
        if any(not 1 <= hours <= 12 for hours in lengths):
            raise ValueError("shift lengths are between 1 and 12 hours")
        return sorted(set(lengths), reverse=True)


class HiringClass(_Section):
    start: PlanDate = Field(description="First day of the class; training follows.")
    people: int = Field(ge=1, le=500, description="People who start together.")
    note: str = Field("", description="What the class is for, e.g. 'Q2 phone growth'.")


class WorkforceSettings(_Section):
    hours_per_fte_per_week: float = _setting(40.0, "A full-time contract.", gt=0, le=80)
    shrinkage: Shrinkage = _setting(Shrinkage, "Components combine multiplicatively (about 25%).")
    occupancy_target: float = _setting(
        0.80, "Target 75-85% busy time on queue for sustainable work.", gt=0.3, le=1.0
    )
    annual_attrition: float = _setting(
        0.30, "Internal support teams lose 30-45% a year; 15-25% is good.", ge=0, le=1.5
    )
    early_tenure_attrition: float = _setting(
        0.15, "15-25% of a hiring class leaves within its first 90 days.", ge=0, le=0.9
    )
    recruiting_lead_days: int = _setting(34, "About 34 days to fill a seat.", ge=0, le=365)
    training_weeks: int = _setting(6, "About 40 days of training and nesting.", ge=0, le=52)
    ramp_months: int = _setting(
        3, "Routine work reaches full proficiency in 3-6 months.", ge=0, le=24
    )
    ramp_start_productivity: float = _setting(
        0.53, "New agents deliver about 53% in month one.", gt=0, le=1.0
    )
    starting_fte: float | None = _setting(
        None, "Empty: count agents from the roster. Set a number to plan without a roster.", ge=0,
        le=100_000,
    )  # fmt: skip
    hiring_classes: list[HiringClass] = _setting(
        list, "Hiring classes already planned, on top of the roster's open requisitions."
    )
    plan_to: Literal["lower", "mean", "upper"] = _setting(
        "mean",
        "Hire for the expected volume; the high case (P90) when being short costs more than "
        "being over (Whitt 2006).",
    )
    shifts: ShiftPatterns = _setting(
        ShiftPatterns, "The shifts that cover each channel's typical week; paid hours follow them."
    )

    @property
    def scheduled_shrinkage(self) -> float:
        """The shrinkage on top of the scheduled hours: the total, without its breaks when
        the shifts schedule their breaks (they are off the queue already)."""
        if not self.shifts.break_minutes or self.shifts.model == "perfect":
            return self.shrinkage.total
        return 1.0 - (1.0 - self.shrinkage.total) / (1.0 - self.shrinkage.breaks)


class OrgSettings(_Section):
    agents_per_lead: float = _setting(10, "1:10-13 is common; 8-15 the usual range.", ge=2, le=40)
    agents_per_lead_min: float = _setting(
        6, "Below ~6 agents a lead costs more than the coaching gains (technical teams 5-8).", ge=1,
        le=60,
    )  # fmt: skip
    agents_per_lead_max: float = _setting(
        15, "Above 15 agents coaching falls under ~17 minutes an agent a month.", le=60
    )
    leads_per_manager: float = _setting(7, "6-8 team leads per manager.", ge=2, le=20)
    leads_per_manager_min: float = _setting(
        3, "A manager of one or two leads is a layer that adds little.", ge=1, le=30
    )
    leads_per_manager_max: float = _setting(10, "More than ~10 leads stretches a manager.", le=30)
    managers_per_director: float = _setting(7, "6-8 managers per director.", ge=2, le=20)
    managers_per_director_min: float = _setting(
        2, "A director of one manager duplicates the manager.", ge=1, le=30
    )
    managers_per_director_max: float = _setting(
        10, "More than ~10 managers stretches a director.", le=30
    )
    agents_per_qa_analyst: float = _setting(
        25, "One QA analyst reviews ~25 agents.", ge=5, le=1_000
    )
    agents_per_trainer: float = _setting(40, "One trainer per ~40 agents.", ge=5, le=1_000)
    agents_per_wfm_analyst: float = _setting(60, "One WFM analyst per ~60 agents.", ge=5, le=1_000)
    agents_per_knowledge_manager: float = _setting(
        75, "One knowledge manager per ~75.", ge=5, le=1_000
    )
    budget_span_roles: bool = _setting(
        True,
        "Budget the leads, managers and support roles the span rules call for as the team "
        "grows (beyond the people on the roster).",
    )
    budget_promotions: bool = _setting(
        True, "Budget the pay rises of promotions along the career ladder."
    )

    @model_validator(mode="after")
    def _ranges(self) -> OrgSettings:
        for name, words in (
            ("agents_per_lead", "agents per team lead"),
            ("leads_per_manager", "team leads per manager"),
            ("managers_per_director", "managers per director"),
        ):
            low, target, high = (getattr(self, f"{name}{end}") for end in ("_min", "", "_max"))
            if not low <= target <= high:
                raise ValueError(
                    f"{words}: the rule {target:g} must lie between the minimum {low:g} and "
                    f"the maximum {high:g}"
                )
        return self


class Vendor(_Section):
    name: str = Field(min_length=1, description="Who answers, e.g. 'Tier-1 BPO'.")
    channel: str = Field(description="The channel whose contacts the vendor takes.")
    share: float = Field(ge=0.0, le=1.0, description="Share of the channel's contacts it takes.")
    price_per_ticket: float | None = Field(None, ge=0, le=1e6, description="Price per contact.")
    price_per_hour: float | None = Field(None, ge=0, le=1e6, description="Price per handled hour.")

    @model_validator(mode="after")
    def _one_price(self) -> Vendor:
        if (self.price_per_ticket is None) == (self.price_per_hour is None):
            raise ValueError("give a vendor either a price per ticket or a price per hour")
        return self


def _default_tooling() -> dict[str, float]:
    return {"helpdesk": 115.0, "wfm": 30.0, "qa": 25.0, "telephony": 45.0, "knowledge_base": 15.0}


class CostSettings(_Section):
    loaded_cost_factor: float = _setting(
        1.35, "Loaded cost is 1.3-1.6x base pay (benefits 38.3% of compensation, BLS).", ge=1, le=3
    )
    merit_increase: float = _setting(0.03, "A 3% merit round.", ge=0, le=0.5)
    merit_month: int = _setting(4, "Merit increases take effect in April.", ge=1, le=12)
    replacement_cost_share: float = _setting(
        0.20, "Replacing an agent costs about 20% of salary.", ge=0, le=2
    )
    tooling_per_seat_per_month: dict[str, Annotated[float, Field(ge=0, le=1e6)]] = _setting(
        _default_tooling, "Helpdesk, WFM, QA, telephony and knowledge-base seats, list prices."
    )
    agent_base_pay: float = _setting(
        52_000.0, "Average agent base pay a year when no roster is loaded (US tier 1-2).", ge=0,
        le=MAX_PAY,
    )  # fmt: skip
    pay_adjustment: float = _setting(
        0.0, "A change to every base pay on top of the roster, e.g. 0.05 for a market rise.",
        ge=-0.5, le=2.0,
    )  # fmt: skip
    new_hire_base_pay: float | None = _setting(
        None,
        "Empty: the entry level's pay where new hires sit (the ladder's band midpoint, else "
        "the roster's average there; the agent pay above without a roster).",
        ge=0,
        le=MAX_PAY,
    )
    hire_location: str = _setting(
        "",
        "Where recommended and planned hires sit, priced at that site's entry level; empty: "
        "the site with the most agents on the roster.",
    )
    vendors: list[Vendor] = _setting(list, "Outsourcing: a share of a channel's contacts.")
    overhead_per_month: float = _setting(
        8_000.0, "Facilities, travel and team events.", ge=0, le=1e12
    )
    annual_recurring_revenue: float = _setting(
        60_000_000.0, "ARR of the company the team supports.", ge=0, le=1e16
    )
    arr_growth: float = _setting(0.25, "Expected ARR growth over the plan year.", ge=-1, le=10)
    customers: int = _setting(
        4_000, "Paying customers at the start of the plan.", ge=0, le=1_000_000_000
    )
    ai_platform_fee_per_month: float = _setting(
        0.0, "No AI platform until one is planned.", ge=0, le=1e10
    )
    ai_price_per_resolution: float = _setting(
        0.99, "A typical per-automated-resolution price.", ge=0, le=1e6
    )

    @field_validator("tooling_per_seat_per_month")
    @classmethod
    def _tool_names(cls, tooling: dict) -> dict:
        _unique_names(list(tooling), "tool")
        return tooling

    @field_validator("vendors")
    @classmethod
    def _vendor_names(cls, vendors: list) -> list:
        _unique_names([f"{v.name} ({v.channel})" for v in vendors], "vendor")
        return vendors


SourceKind = Literal["measured", "uploaded", "typed", "default", "sample"]
SOURCE_LABELS = {
    "measured": "measured from your history",
    "uploaded": "uploaded",
    "typed": "typed",
    "default": "default",
    "sample": "sample company",
}
# Plan inputs that are not one setting: the ticket history, the channels planned, the
# roster and the ladder.
INPUTS = ("tickets", "channels", "roster", "ladder")


class Source(_Section):
    """Where one plan input came from, in words a director can check."""

    kind: SourceKind = Field(description="measured, uploaded, typed, default or sample.")
    detail: str = Field("", max_length=400, description="e.g. 'mean of 12,345 tickets'.")
    chosen: bool = Field(
        False, description="The director chose to keep it (e.g. the sample roster as a template)."
    )

    @property
    def label(self) -> str:
        """'measured from your history: mean of 12,345 tickets'."""
        text = SOURCE_LABELS[self.kind]
        return f"{text}: {self.detail}" if self.detail else text


DEFAULT_SOURCE = Source(kind="default")


def _next_month_start() -> dt.date:
    today = dt.date.today()
    return dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)


class Scenario(_Section):
    """Every assumption of one plan. ``Scenario()`` is a complete, sensible plan."""

    schema_version: int = Field(SCHEMA_VERSION, description="Version of this file's layout.")
    name: str = _setting("Base plan", "A name finance will recognise.", min_length=1)
    start_month: dt.date = Field(
        default_factory=_next_month_start, description="First month of the plan."
    )
    horizon_months: int = _setting(12, "One budget year.", ge=1, le=60)
    currency: str = _setting("USD", "Currency of every amount.", min_length=3, max_length=3)
    time_zone: str = _setting(
        "America/New_York", "The zone the team works in; intraday work uses it."
    )
    forecast: ForecastSettings = _setting(ForecastSettings, "How volume is forecast.")
    demand: DemandSettings = _setting(DemandSettings, "What-if changes to forecast volume.")
    service: ServiceSettings = _setting(ServiceSettings, "Service targets per channel.")
    workforce: WorkforceSettings = _setting(WorkforceSettings, "Hours, shrinkage, attrition.")
    org: OrgSettings = _setting(OrgSettings, "Spans of control and support-role ratios.")
    costs: CostSettings = _setting(CostSettings, "Pay, tooling, overhead, revenue.")
    sources: dict[str, Source] = _setting(
        dict,
        "Where each input came from (a setting's path, or tickets, roster, ladder); a setting "
        "not listed is the default.",
    )

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        return canonical_zone(value)

    @field_validator("start_month")
    @classmethod
    def _first_of_month(cls, value: dt.date) -> dt.date:
        return _in_window(value).replace(day=1)

    @model_validator(mode="after")
    def _site_currencies_convert_once(self) -> Scenario:
        for site in self.service.sites:
            if site.currency.upper() == self.currency.upper() and site.exchange_rate != 1.0:
                raise ValueError(
                    f"site '{site.name}' prices in {self.currency}, the plan's currency: its "
                    "exchange rate is 1"
                )
        return self

    @model_validator(mode="after")
    def _vendors_take_channels_not_tiers(self) -> Scenario:
        tiers = {tier.name for tier in self.service.tiers}
        taken = sorted({v.channel for v in self.costs.vendors} & tiers)
        if taken:
            raise ValueError(
                f"a vendor takes a share of a channel's contacts, and {', '.join(taken)} is a "
                "tier: give the vendor the channel whose contacts it answers (its "
                "escalations still reach the tier)"
            )
        return self

    @property
    def end_month(self) -> dt.date:
        """The first day after the plan: ``start_month`` plus ``horizon_months``."""
        months = self.start_month.month - 1 + self.horizon_months
        return dt.date(self.start_month.year + months // 12, months % 12 + 1, 1)

    @property
    def period_label(self) -> str:
        """The plan's months in words: 'Jan-Dec 2027', 'Jul 2027-Jun 2028'."""
        last = dt.date(self.end_month.year, self.end_month.month, 1) - dt.timedelta(days=1)
        if last.year == self.start_month.year:
            return (
                f"{self.start_month:%b}–{last:%b %Y}"
                if last.month != self.start_month.month
                else f"{last:%b %Y}"
            )
        return f"{self.start_month:%b %Y}–{last:%b %Y}"

    @property
    def organisation_unchosen(self) -> bool:
        """Uploaded tickets still planned with the sample company's people, which nobody
        chose to keep: the budget then says so on every page."""
        roster = self.source_of("roster")
        return (
            self.source_of("tickets").kind not in ("sample", "default")
            and roster.kind == "sample"
            and not roster.chosen
        )

    def source_of(self, path: str) -> Source:
        """Where the setting at ``path`` (e.g. ``service.channels.phone.aht_seconds``) or the
        input ``tickets``, ``roster`` or ``ladder`` came from: the entry for the longest
        listed prefix of the path, else the default."""
        parts = path.split(".")
        for end in range(len(parts), 0, -1):
            found = self.sources.get(".".join(parts[:end]))
            if found is not None:
                return found
        return DEFAULT_SOURCE

    def with_sources(self, changed: dict[str, Source]) -> Scenario:
        """This scenario with ``changed`` sources; entries below a changed path (a typed
        opening hour under measured hours) give way to it."""
        kept = {
            path: source
            for path, source in self.sources.items()
            if not any(path.startswith(prefix + ".") for prefix in changed)
        }
        return self.model_copy(update={"sources": kept | changed})

    def same_settings(self, other: Scenario) -> bool:
        """Whether both plan with the same settings (names and sources aside)."""
        ignore = {"name", "sources"}
        return self.model_dump(exclude=ignore) == other.model_dump(exclude=ignore)

    @classmethod
    def from_history(cls, history: Any, base: Scenario | None = None) -> Scenario:
        """``base`` (the defaults when None) with what ``history`` (a VolumeHistory) can
        tell: handle times, hours and open days, the channels; see ``planner.measure``."""
        from planner.measure import apply, measure

        base = base or cls()
        return apply(base, measure(history, base))

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> Scenario:
        """Load a scenario; raise ScenarioError listing every setting to fix."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ScenarioError(
                [f"The file is not valid JSON (line {exc.lineno}, column {exc.colno})."]
            ) from None
        except RecursionError:
            raise ScenarioError(
                ["The file nests lists or objects thousands deep; a scenario is a few levels."]
            ) from None
        return cls.parse(data)

    @classmethod
    def parse(cls, data: Any) -> Scenario:
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ScenarioError([describe_problem(e) for e in exc.errors()]) from None


def setting_leaves(scenario: Scenario) -> dict[str, tuple[object, str]]:
    """path -> (value as JSON data, rationale) for every setting of ``scenario``: nested
    settings are walked, a dictionary of settings (the channels) by key, anything else is
    one leaf (a list of hiring classes is one). Sources are not settings."""
    data = scenario.model_dump(mode="json", exclude={"sources"})
    return _leaves(data, type(scenario), "")


def mark_typed(before: Scenario, after: Scenario) -> Scenario:
    """``after`` with every setting that differs from ``before`` marked as typed."""
    old, new = setting_leaves(before), setting_leaves(after)
    changed = {
        path: Source(kind="typed")
        for path, (value, _) in new.items()
        if old.get(path, (None,))[0] != value
    }
    return after.with_sources(changed) if changed else after


def _leaves(data: dict, model: Any, prefix: str) -> dict[str, tuple[object, str]]:
    found: dict[str, tuple[object, str]] = {}
    fields = getattr(model, "model_fields", {})
    for key, value in data.items():
        path = f"{prefix}{key}"
        info = fields.get(key)
        annotation = info.annotation if info is not None else None
        rationale = (info.description or "") if info is not None else ""
        if isinstance(value, dict) and typing.get_origin(annotation) is dict:
            inner = _model_of(typing.get_args(annotation)[1])
            if inner is not None:
                for name, item in value.items():
                    found.update(_leaves(item, inner, f"{path}.{name}."))
                continue
        inner = _model_of(annotation)
        if isinstance(value, dict) and inner is not None:
            found.update(_leaves(value, inner, f"{path}."))
        else:
            found[path] = (value, rationale)
    return found


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The settings model in ``annotation`` (``X`` or ``X | None``), else None."""
    candidates = [annotation, *typing.get_args(annotation)]
    return next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)


_MESSAGES = {
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be at most {le}",
    "less_than": "must be less than {lt}",
    "missing": "is required",
    "extra_forbidden": "is not a setting Support Planner knows; check the spelling or remove it",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "date_from_datetime_parsing": "must be a date written YYYY-MM-DD",
    "date_parsing": "must be a date written YYYY-MM-DD",
    "date_type": "must be a date written YYYY-MM-DD",
    "literal_error": "must be one of {expected}",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long (at most {max_length} characters)",
}


def describe_problem(error: Any) -> str:
    """Turn one pydantic error into a sentence naming the setting, the value and the fix."""
    where = " › ".join(
        f"row {part + 1}" if isinstance(part, int) else str(part).replace("_", " ")
        for part in error["loc"]
    )
    where = where or "Scenario"
    template = _MESSAGES.get(error["type"])
    ctx = error.get("ctx") or {}
    if template is None:
        reason = str(ctx.get("error") or error["msg"]).removeprefix("Value error, ")
        return f"{where.capitalize()}: {reason}."
    reason = template.format(**ctx)
    shown = error.get("input")
    shown = shown.value if isinstance(shown, NotANumber) else shown
    if error["type"] != "missing" and isinstance(shown, str | int | float) and len(str(shown)) < 60:
        return f"{where.capitalize()}: {shown!r} {reason}."
    return f"{where.capitalize()}: {reason}."
