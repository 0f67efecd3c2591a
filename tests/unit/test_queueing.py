"""Erlang B/C against published and hand-worked values, a scalar reference and invariants."""

import heapq
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import queueing
from planner.errors import PlannerError


def erlang_c_by_hand(agents: int, load: Fraction) -> Fraction:
    """P(wait) from the textbook sums in exact fractions (Gans, Koole & Mandelbaum 2003)."""
    terms = [load**k / math.factorial(k) for k in range(agents)]
    top = load**agents / math.factorial(agents) * agents / (agents - load)
    return top / (sum(terms) + top)


def reference_agents(calls, aht, interval, sl=None, answer=None, asa=None, occupancy=None):
    """A straightforward scalar solver: add agents one by one with the Erlang B recursion."""
    load = calls * aht / interval
    if load == 0:
        return 0
    blocked, agents = 1.0, 0
    while True:
        agents += 1
        blocked = load * blocked / (agents + load * blocked)
        if agents <= load:
            continue
        wait = agents * blocked / (agents - load * (1 - blocked))
        ok = True
        if sl is not None:
            ok &= 1 - wait * math.exp(-(agents - load) * answer / aht) >= sl
        if asa is not None:
            ok &= wait * aht / (agents - load) <= asa
        if occupancy is not None:
            ok &= load / agents <= occupancy
        if ok:
            return agents


def test_the_staffing_cliff_in_domain_md():
    # shared/DOMAIN.md: 130 Erlangs (1,300 calls in 30 min at 3 min AHT), answer in 20 s.
    levels = queueing.service_level([131, 133, 135, 137, 139], 1300, 180, 1800, 20)
    assert np.round(levels * 100, 1).tolist() == [19.8, 48.8, 67.8, 80.0, 87.8]
    assert queueing.agents_for_target(1300, 180, 1800, service_level=0.8, answer_seconds=20) == 137


def test_the_classic_worked_example_48_erlangs_55_agents():
    # The Erlang-C worked example (Westbay Engineers, "The Erlang-C formula"): 360 calls
    # per half hour, 4 minutes per call, 55 agents, answer within 15 s. Checked here in
    # exact fractions: A = 48, occupancy 87.3%, P(wait) 23.9%, ASA 8.2 s, SL 84.6%.
    wait = float(erlang_c_by_hand(55, Fraction(48)))
    assert queueing.erlang_c(55, 48) == pytest.approx(wait, rel=1e-12)
    assert wait == pytest.approx(0.2387, abs=1e-4)
    assert queueing.occupancy(55, 360, 240, 1800) == pytest.approx(48 / 55)
    assert queueing.asa(55, 360, 240, 1800) == pytest.approx(wait * 240 / 7)
    assert queueing.asa(55, 360, 240, 1800) == pytest.approx(8.18, abs=0.01)
    level = queueing.service_level(55, 360, 240, 1800, 15)
    assert level == pytest.approx(1 - wait * math.exp(-7 * 15 / 240))
    assert level == pytest.approx(0.846, abs=5e-4)


def test_erlang_b_table_values_and_edges():
    # Erlang B tables (e.g. ITU-T E.501 traffic tables): 5 Erlangs on 10 trunks block 1.84%.
    assert queueing.erlang_b(10, 5) == pytest.approx(0.018385, abs=1e-6)
    assert queueing.erlang_b(1, 1) == pytest.approx(0.5)
    assert queueing.erlang_b(0, 4) == pytest.approx(1.0)
    assert queueing.erlang_b(5, 0) == 0.0


def test_unstable_and_empty_intervals():
    assert queueing.service_level(10, 1000, 180, 1800, 20) == 0.0  # 100 Erlangs on 10 agents
    assert queueing.asa(10, 1000, 180, 1800) == np.inf
    assert queueing.service_level(0, 0, 180, 1800, 20) == 1.0
    assert queueing.asa(0, 0, 180, 1800) == 0.0
    assert queueing.occupancy(0, 0, 180, 1800) == 0.0
    assert queueing.agents_for_target([0, 0], 180, 1800, asa_seconds=30).tolist() == [0, 0]


def test_agents_for_target_matches_a_scalar_solver_on_thousands_of_cases():
    rng = np.random.default_rng(7)
    count = 3000
    calls = np.round(rng.uniform(0, 800, count) * (rng.random(count) > 0.05))
    aht = rng.uniform(60, 900, count)
    for targets in (
        {"sl": 0.8, "answer": 20},
        {"sl": 0.9, "answer": 60, "occupancy": 0.85},
        {"asa": 30},
        {"occupancy": 0.8},
        {"sl": 0.7, "answer": 0, "asa": 15},
    ):
        got = queueing.agents_for_target(
            calls,
            aht,
            1800,
            service_level=targets.get("sl"),
            answer_seconds=targets.get("answer"),
            asa_seconds=targets.get("asa"),
            max_occupancy=targets.get("occupancy"),
        )
        expected = [
            reference_agents(c, h, 1800, **targets) for c, h in zip(calls, aht, strict=True)
        ]
        assert got.tolist() == expected, targets


def test_thousands_of_erlangs_stay_exact():
    # 5,000 Erlangs: the scalar recursion walks 5,000 agents; the vector solver agrees.
    calls = 5000 * 1800 / 300
    got = queueing.agents_for_target(calls, 300, 1800, service_level=0.8, answer_seconds=20)
    assert got == reference_agents(calls, 300, 1800, sl=0.8, answer=20)
    assert 5000 < got < 5100


def test_impossible_or_missing_targets_are_refused():
    with pytest.raises(PlannerError, match="Give a target"):
        queueing.agents_for_target(100, 180, 1800)
    with pytest.raises(PlannerError, match="between 0 and 1"):
        queueing.agents_for_target(100, 180, 1800, service_level=80, answer_seconds=20)
    with pytest.raises(PlannerError, match="answer time"):
        queueing.agents_for_target(100, 180, 1800, service_level=0.8)
    with pytest.raises(PlannerError, match="must not be negative"):
        queueing.agents_for_target(-1, 180, 1800, asa_seconds=20)


loads = st.floats(0, 400)


@settings(max_examples=200, deadline=None)
@given(calls=loads, more=st.floats(0, 200), aht=st.floats(30, 900), sl=st.floats(0.5, 0.95))
def test_more_volume_never_needs_fewer_agents(calls, more, aht, sl):
    low, high = queueing.agents_for_target(
        [calls, calls + more], aht, 1800, service_level=sl, answer_seconds=20
    )
    assert high >= low


@settings(max_examples=200, deadline=None)
@given(calls=loads, aht=st.floats(30, 900), sl=st.floats(0.5, 0.9), lift=st.floats(0, 0.09))
def test_a_higher_target_never_needs_fewer_agents(calls, aht, sl, lift):
    base = queueing.agents_for_target(calls, aht, 1800, service_level=sl, answer_seconds=20)
    higher = queueing.agents_for_target(
        calls, aht, 1800, service_level=sl + lift, answer_seconds=20
    )
    faster = queueing.agents_for_target(calls, aht, 1800, service_level=sl, answer_seconds=10)
    assert higher >= base and faster >= base


def simulate_erlang_a(agents, calls_per_second, aht, patience, answer, customers=150_000):
    """A discrete-event simulation of M/M/N+M, first come first served: each arrival takes
    the earliest free agent unless its patience runs out first (then it takes no agent)."""
    rng = np.random.default_rng(11)
    arrivals = np.cumsum(rng.exponential(1 / calls_per_second, customers))
    services = rng.exponential(aht, customers)
    patiences = rng.exponential(patience, customers)
    free = [0.0] * agents
    within = answered = lost = 0
    waited = 0.0
    warm = customers // 20
    for i in range(customers):
        offered_wait = max(0.0, free[0] - arrivals[i])
        gave_up = patiences[i] < offered_wait
        if not gave_up:
            heapq.heapreplace(free, arrivals[i] + offered_wait + services[i])
        if i < warm:
            continue
        within += not gave_up and offered_wait <= answer  # answered within T / offered
        if gave_up:
            lost += 1
        else:
            answered += 1
            waited += offered_wait
    counted = customers - warm
    return within / counted, waited / answered, lost / counted


@pytest.mark.parametrize(
    ("agents", "calls", "patience"),
    [(10, 100, 60.0), (12, 100, 120.0), (45, 500, 30.0)],
)
def test_erlang_a_agrees_with_a_simulation(agents, calls, patience):
    # 30-minute intervals, AHT 180 s; 10 agents at 10 Erlangs is unstable without
    # abandonment, which Erlang A handles. Tolerance: 1.5 points of service level and
    # abandonment, 8% of ASA (150,000 simulated callers, 5% warm-up dropped).
    exact = queueing.erlang_a(agents, calls, 180, 1800, patience, 20)
    level, speed, lost = simulate_erlang_a(agents, calls / 1800, 180, patience, 20)
    assert exact.service_level == pytest.approx(level, abs=0.015)
    assert exact.abandonment == pytest.approx(lost, abs=0.015)
    assert exact.asa == pytest.approx(speed, rel=0.08)


def test_erlang_a_with_endless_patience_is_erlang_c():
    agents = [131, 137, 139]
    endless = queueing.erlang_a(agents, 1300, 180, 1800, 1e9, 20)
    assert endless.service_level == pytest.approx(
        queueing.service_level(agents, 1300, 180, 1800, 20), abs=1e-5
    )
    assert endless.wait_probability == pytest.approx(queueing.erlang_c(agents, 130), abs=1e-5)
    assert endless.asa == pytest.approx(queueing.asa(agents, 1300, 180, 1800), rel=1e-4)
    assert endless.abandonment == pytest.approx(0.0, abs=1e-5)


def test_erlang_a_measures_and_targets():
    assert queueing.abandonment(10, 100, 180, 1800, 60) > queueing.abandonment(
        12, 100, 180, 1800, 60
    )
    busy = queueing.occupancy(10, 100, 180, 1800, patience_seconds=60)
    lost = queueing.abandonment(10, 100, 180, 1800, 60)
    assert busy == pytest.approx(10 * (1 - lost) / 10)
    got = queueing.agents_for_target(
        [0, 100, 1300], 180, 1800, service_level=0.8, answer_seconds=20, patience_seconds=120
    )
    assert got[0] == 0 and got[1] <= 14 and got[2] <= 137
    level = queueing.service_level(got, [0, 100, 1300], 180, 1800, 20, patience_seconds=120)
    assert (level >= 0.8).all()
    fewer = queueing.service_level(got - 1, [1, 100, 1300], 180, 1800, 20, patience_seconds=120)
    assert (fewer[1:] < 0.8).all()
    capped = queueing.agents_for_target(
        100, 180, 1800, service_level=0.8, answer_seconds=20, patience_seconds=10,
        max_abandonment=0.02,
    )  # fmt: skip
    assert queueing.abandonment(capped, 100, 180, 1800, 10) <= 0.02
    assert queueing.abandonment(capped - 1, 100, 180, 1800, 10) > 0.02
    with pytest.raises(PlannerError, match="patience"):
        queueing.agents_for_target(100, 180, 1800, asa_seconds=20, max_abandonment=0.05)
    with pytest.raises(PlannerError, match="more than 0 seconds"):
        queueing.erlang_a(10, 100, 180, 1800, 0)


@settings(max_examples=60, deadline=None)
@given(
    calls=st.floats(1, 600),
    aht=st.floats(60, 600),
    patience=st.floats(10, 600),
    sl=st.floats(0.5, 0.95),
)
def test_erlang_a_never_needs_more_agents_than_erlang_c(calls, aht, patience, sl):
    targets = {"service_level": sl, "answer_seconds": 20}
    erlang_c = queueing.agents_for_target(calls, aht, 1800, **targets)
    erlang_a = queueing.agents_for_target(calls, aht, 1800, patience_seconds=patience, **targets)
    assert erlang_a <= erlang_c
