"""Queueing formulas for live channels (phone, chat), vectorised over arrays of intervals.

Every function takes numbers or numpy arrays (one value per interval, broadcast together)
and returns arrays; no Python loop runs per interval. Formulas (shared/DOMAIN.md, Queueing;
Gans, Koole & Mandelbaum, "Telephone Call Centers: Tutorial, Review, and Research
Prospects", MSOM 5(2), 2003):

- Offered load A (Erlangs) = calls x AHT / interval length.
- Erlang B: B(0) = 1, B(n) = A B(n-1) / (n + A B(n-1)), always in [0, 1] and so stable for
  thousands of Erlangs. Equivalently B(N) = p(N) / P(N) with p and P the Poisson(A)
  probability and cumulative probability of N, which gives B at any N in one step (SciPy
  evaluates them through log-gamma functions, never factorials).
- Erlang C (M/M/N), N > A: P(wait) = N B / (N - A (1 - B)); service level within t seconds
  SL(t) = 1 - P(wait) exp(-(N - A) t / AHT); ASA = P(wait) AHT / (N - A); occupancy A / N.
  With N <= A the queue grows without bound: P(wait) = 1, SL = 0, ASA infinite.
- Erlang A (M/M/N+M, exponential patience with mean theta; Mandelbaum & Zeltyn, "The
  Palm/Erlang-A Queue, with Applications to Call Centers", 2005), exact from the
  birth-death chain: states n <= N as in Erlang B; above, pi(N + k) = pi(N) prod_{j=1..k}
  lambda / (N mu + j gamma), gamma = 1 / theta. An arrival finding k waiting is answered with
  probability N mu / (N mu + (k + 1) gamma); its offered wait V is the sum of exponentials
  with rates N mu + j gamma, j = k..0. Service level = P(min(V, patience) <= t): answered or
  abandoned within t (short abandons are not failures, as in Mandelbaum & Zeltyn), so it is
  never below Erlang C's; ASA is the mean wait of answered contacts; abandonment the share
  of offered contacts that hang up. The sum-of-exponentials distribution is evaluated by
  uniformisation (Grassmann 1977), over arrays of intervals and queue states.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from planner.errors import PlannerError

MAX_STEPS = 100_000
TAIL = 1e-14  # queue states beyond this share of the stationary mass are left out (Erlang A)
CHUNK = 1024  # intervals evaluated together in Erlang A (memory: CHUNK x queue states)


def offered_load(calls, aht_seconds, interval_seconds) -> np.ndarray:
    """A = calls x AHT / interval length, in Erlangs (busy agents needed on average)."""
    calls, aht, interval = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (calls, aht_seconds, interval_seconds))
    )
    if (calls < 0).any() or (aht < 0).any() or (interval <= 0).any():
        raise PlannerError(
            "Calls and handle times must not be negative and intervals must be longer than zero."
        )
    return calls * aht / interval


def erlang_b(agents, load) -> np.ndarray:
    """Probability that all ``agents`` are busy (Erlang B) at ``load`` Erlangs.

    B(N) = p(N) / P(N), p and P the Poisson(A) probability and cumulative probability of N:
    the closed form of the recursion B(n) = A B(n-1) / (n + A B(n-1)), B(0) = 1.
    """
    agents, load = np.broadcast_arrays(np.asarray(agents, float), np.asarray(load, float))
    with np.errstate(divide="ignore", invalid="ignore"):
        # p(N) = exp(N ln A - A - ln N!), P(N) = Q(N + 1, A) (regularised upper gamma).
        log_p = special.xlogy(agents, load) - load - special.gammaln(agents + 1)
        blocked = np.exp(log_p) / special.gammaincc(agents + 1, load)
    return np.where(load == 0, (agents == 0).astype(float), np.nan_to_num(blocked))


def _wait_probability(agents: np.ndarray, load: np.ndarray, blocked: np.ndarray) -> np.ndarray:
    """Erlang C from Erlang B: P(wait) = N B / (N - A (1 - B)); 1 when N <= A."""
    stable = agents > load
    with np.errstate(divide="ignore", invalid="ignore"):
        waiting = agents * blocked / (agents - load * (1 - blocked))
    return np.where(load == 0, 0.0, np.where(stable, waiting, 1.0))


def erlang_c(agents, load) -> np.ndarray:
    """Probability that a contact waits (Erlang C, M/M/N) with ``agents`` at ``load``."""
    agents, load = np.broadcast_arrays(np.asarray(agents, float), np.asarray(load, float))
    return _wait_probability(agents, load, erlang_b(agents, load))


def _service_level(agents, load, wait, aht, answer) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        level = 1 - wait * np.exp(-(agents - load) * answer / np.where(aht > 0, aht, 1.0))
    return np.where(load == 0, 1.0, np.where(agents > load, level, 0.0))


def _asa(agents, load, wait, aht) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        seconds = wait * aht / (agents - load)
    return np.where(load == 0, 0.0, np.where(agents > load, seconds, np.inf))


def service_level(
    agents, calls, aht_seconds, interval_seconds, answer_seconds, patience_seconds=None
) -> np.ndarray:
    """Share of contacts answered within ``answer_seconds`` (Erlang C):
    SL(t) = 1 - P(wait) exp(-(N - A) t / AHT); 0 when N <= A, 1 when there are no calls.
    With ``patience_seconds``, Erlang A's service level (see ``erlang_a``)."""
    if patience_seconds is not None:
        return erlang_a(
            agents, calls, aht_seconds, interval_seconds, patience_seconds, answer_seconds
        ).service_level
    load = offered_load(calls, aht_seconds, interval_seconds)
    agents, load, aht, answer = np.broadcast_arrays(
        np.asarray(agents, float),
        load,
        np.asarray(aht_seconds, float),
        np.asarray(answer_seconds, float),
    )
    return _service_level(
        agents, load, _wait_probability(agents, load, erlang_b(agents, load)), aht, answer
    )


def asa(agents, calls, aht_seconds, interval_seconds, patience_seconds=None) -> np.ndarray:
    """Average speed of answer in seconds (Erlang C): ASA = P(wait) AHT / (N - A).
    With ``patience_seconds``, Erlang A's mean wait of answered contacts."""
    if patience_seconds is not None:
        return erlang_a(agents, calls, aht_seconds, interval_seconds, patience_seconds).asa
    load = offered_load(calls, aht_seconds, interval_seconds)
    agents, load, aht = np.broadcast_arrays(
        np.asarray(agents, float), load, np.asarray(aht_seconds, float)
    )
    return _asa(agents, load, _wait_probability(agents, load, erlang_b(agents, load)), aht)


@dataclass(frozen=True)
class ErlangA:
    """Erlang A measures per interval: service level within the answer time, ASA of
    answered contacts (seconds), abandonment and waiting probability (shares of offered)."""

    service_level: np.ndarray
    asa: np.ndarray
    abandonment: np.ndarray
    wait_probability: np.ndarray


def erlang_a(agents, calls, aht_seconds, interval_seconds, patience_seconds, answer_seconds=0.0):
    """Erlang A (M/M/N+M) measures, exact from the birth-death chain (see the module notes)."""
    load = offered_load(calls, aht_seconds, interval_seconds)
    agents, load, aht, patience, answer = (
        np.array(v, dtype=float).ravel()
        for v in np.broadcast_arrays(
            np.asarray(agents, float), load, aht_seconds, patience_seconds, answer_seconds
        )
    )
    if (patience <= 0).any():
        raise PlannerError(
            "Patience must be more than 0 seconds (the mean time before hanging up)."
        )
    shape = np.broadcast_shapes(np.shape(calls), np.shape(agents))
    level, speed = np.ones(len(load)), np.zeros(len(load))
    lost, wait = np.zeros(len(load)), np.zeros(len(load))
    busy = load > 0
    level[busy & (agents == 0)], lost[busy & (agents == 0)] = 0.0, 1.0
    wait[busy & (agents == 0)], speed[busy & (agents == 0)] = 1.0, np.nan
    rows = np.flatnonzero(busy & (agents > 0))
    for start in range(0, len(rows), CHUNK):
        part = rows[start : start + CHUNK]
        level[part], speed[part], lost[part], wait[part] = _erlang_a_rows(
            agents[part], load[part], aht[part], patience[part], answer[part]
        )
    return ErlangA(*(v.reshape(shape) for v in (level, speed, lost, wait)))


def _erlang_a_rows(agents, load, aht, patience, answer):
    """Erlang A for intervals with calls and agents; rows x queue states at once."""
    mu, gamma = 1 / aht, 1 / patience
    arrivals, serving = load * mu, agents * mu
    # The queue-length weights peak near (lambda - N mu) / gamma and have a spread of about
    # sqrt(lambda / gamma); well past that their mass is below TAIL.
    peak = np.maximum(arrivals - serving, 0) / gamma
    states = int(np.ceil(np.max(peak + 12 * np.sqrt(arrivals / gamma) + 40)))
    j = np.arange(1, states + 1)
    log_ratio = np.log(arrivals)[:, None] - np.log(serving[:, None] + j * gamma[:, None])
    above = np.exp(np.concatenate([np.zeros((len(load), 1)), np.cumsum(log_ratio, axis=1)], 1))
    above[above < TAIL * above.max(axis=1, keepdims=True)] = 0.0
    states = int(np.flatnonzero(above.any(axis=0))[-1])  # drop states no interval reaches
    above = above[:, : states + 1]
    blocked = erlang_b(agents, load)
    top = 1 / (1 / blocked - 1 + above.sum(axis=1))  # pi(N); 1 / B counts states 0..N
    queue = top[:, None] * above  # pi(N + k), k = 0..states
    below = 1 - queue.sum(axis=1)  # answered at once
    k = np.arange(states + 1)
    answered = serving[:, None] / (serving[:, None] + (k + 1) * gamma[:, None])
    waits = np.cumsum(1 / (serving[:, None] + (k + 1) * gamma[:, None]), axis=1)
    served = below + (queue * answered).sum(axis=1)
    speed = (queue * answered * waits).sum(axis=1) / served
    lost = (queue * (1 - answered)).sum(axis=1)
    # P(V <= t) for arrivals that wait: V is a sum of exponentials with rates N mu + j gamma,
    # j = k..0, evaluated by uniformisation at the largest rate.
    rates = serving[:, None] + k * gamma[:, None]
    fastest = rates[:, -1]
    advance = rates / fastest[:, None]
    horizon = fastest * answer
    steps = int(np.ceil(np.max(horizon + 8 * np.sqrt(horizon) + 10)))  # Poisson tail < 1e-12
    mass, done, within = queue.copy(), np.zeros(len(load)), np.zeros(len(load))
    weight = np.exp(-horizon)  # Poisson(horizon) probability of m events, m = 0
    for m in range(steps + 1):
        within += weight * done
        moved = mass * advance
        done = done + moved[:, 0]
        mass = mass - moved
        mass[:, :-1] += moved[:, 1:]
        weight = weight * horizon / (m + 1)
    waiting = queue.sum(axis=1)
    level = 1 - np.exp(-gamma * answer) * (waiting - within)
    return level, speed, lost, waiting


def abandonment(agents, calls, aht_seconds, interval_seconds, patience_seconds) -> np.ndarray:
    """Share of offered contacts that hang up before an answer (Erlang A)."""
    return erlang_a(agents, calls, aht_seconds, interval_seconds, patience_seconds).abandonment


def occupancy(agents, calls, aht_seconds, interval_seconds, patience_seconds=None) -> np.ndarray:
    """Share of agents' time spent handling contacts: A / N (at most 1; 0 with no agents).
    With ``patience_seconds`` only answered contacts take time: A (1 - abandonment) / N."""
    load = offered_load(calls, aht_seconds, interval_seconds)
    if patience_seconds is not None:
        answered = 1 - abandonment(agents, calls, aht_seconds, interval_seconds, patience_seconds)
        load = load * answered
    agents, load = np.broadcast_arrays(np.asarray(agents, float), load)
    with np.errstate(divide="ignore", invalid="ignore"):
        busy = np.minimum(load / agents, 1.0)
    return np.where(agents > 0, busy, 0.0)


def agents_for_target(
    calls,
    aht_seconds,
    interval_seconds,
    *,
    service_level: float | None = None,
    answer_seconds: float | None = None,
    asa_seconds: float | None = None,
    max_occupancy: float | None = None,
    patience_seconds=None,
    max_abandonment: float | None = None,
) -> np.ndarray:
    """The smallest whole number of agents per interval that meets every target given.

    Targets: ``service_level`` within ``answer_seconds`` (e.g. 0.8 and 20), ``asa_seconds``,
    ``max_occupancy`` (A / N at most this). Intervals without calls need no agents.

    With ``patience_seconds`` the targets are judged by Erlang A, which never needs more
    agents than Erlang C: the Erlang C answer is found first, then agents are taken away
    while Erlang A still meets every target, ``max_abandonment`` (a share of offered
    contacts) included. Erlang A counts contacts that hang up within the answer time as
    within it, so with short patience give an abandonment target too.

    Search: start every interval at the square-root staffing guess N = A + sqrt(A) / 2
    (Borst, Mandelbaum & Reiman 2004), never below the least N that can meet the targets
    (just above A, and A / max_occupancy); evaluate Erlang B there in one step; then walk
    down by B(n - 1) = n B(n) / (A (1 - B(n))) while the targets still hold, or up by
    B(n + 1) = A B(n) / (n + 1 + A B(n)) until they do. A few steps over arrays, never a
    loop per interval.
    """
    if max_abandonment is not None and (patience_seconds is None or not 0 < max_abandonment < 1):
        raise PlannerError(
            "An abandonment target needs the customers' patience in seconds and a share "
            "between 0 and 1 (e.g. 0.05)."
        )
    if patience_seconds is not None:
        return _agents_erlang_a(
            calls,
            aht_seconds,
            interval_seconds,
            patience_seconds,
            {
                "service_level": service_level,
                "answer_seconds": answer_seconds,
                "asa_seconds": asa_seconds,
                "max_occupancy": max_occupancy,
            },
            max_abandonment,
        )
    if service_level is None and asa_seconds is None and max_occupancy is None:
        raise PlannerError("Give a target: a service level, an ASA in seconds or an occupancy cap.")
    if service_level is not None and (answer_seconds is None or not 0 < service_level < 1):
        raise PlannerError(
            "A service level target needs a share between 0 and 1 (e.g. 0.8) and the answer "
            "time in seconds it applies to (e.g. 20)."
        )
    if answer_seconds is not None and answer_seconds < 0:
        raise PlannerError("The answer time must not be negative.")
    if asa_seconds is not None and asa_seconds <= 0:
        raise PlannerError("The ASA target must be more than 0 seconds.")
    if max_occupancy is not None and not 0 < max_occupancy <= 1:
        raise PlannerError("The occupancy cap must be a share above 0 and at most 1 (e.g. 0.85).")
    load = offered_load(calls, aht_seconds, interval_seconds)
    aht = np.broadcast_to(np.asarray(aht_seconds, float), load.shape)
    shape = load.shape
    needed = np.zeros(load.size, dtype=np.int64)
    active = np.flatnonzero(load.ravel() > 0)
    a, h = load.ravel()[active], aht.ravel()[active]
    least = np.floor(a) + 1  # Erlang C needs N > A
    if max_occupancy is not None:  # the least N with A / N <= cap, as the float test decides
        capped = np.ceil(a / max_occupancy)
        with np.errstate(divide="ignore"):
            fewer = (capped > 1) & (a / (capped - 1) <= max_occupancy)
        least = np.maximum(least, np.where(fewer, capped - 1, capped))
    agents = np.maximum(least, np.ceil(a + np.sqrt(a) / 2))
    blocked = erlang_b(agents, a)
    decay = (answer_seconds or 0.0) / h  # SL(t) decays as exp(-(N - A) t / AHT)

    def meets(n, b, load, hold, fade) -> np.ndarray:
        # Every interval here has calls and N > A, so the Erlang C forms apply directly.
        spare = n - load
        wait = n * b / (spare + load * b)
        ok = np.ones(len(n), dtype=bool)
        if service_level is not None:
            ok &= 1 - wait * np.exp(-spare * fade) >= service_level
        if asa_seconds is not None:
            ok &= wait * hold / spare <= asa_seconds
        return ok

    met = meets(agents, blocked, a, h, decay)
    needed[active[met]] = agents[met]
    down = (active[met], agents[met], blocked[met], a[met], h[met], decay[met], least[met])
    up = (active[~met], agents[~met], blocked[~met], a[~met], h[~met], decay[~met])
    index, n, b, load_d, hold, fade, floor = down
    while len(index):  # one agent fewer while the targets still hold
        step = n > floor
        index, n, b, load_d, hold, fade, floor = (
            v[step] for v in (index, n, b, load_d, hold, fade, floor)
        )
        b = n * b / (load_d * (1 - b))
        n = n - 1
        ok = meets(n, b, load_d, hold, fade)
        needed[index[ok]] = n[ok]
        index, n, b, load_d, hold, fade, floor = (
            v[ok] for v in (index, n, b, load_d, hold, fade, floor)
        )
    index, n, b, load_u, hold, fade = up
    for _ in range(MAX_STEPS):  # one agent more until the targets hold
        if not len(index):
            return needed.reshape(shape)
        n = n + 1
        b = load_u * b / (n + load_u * b)
        ok = meets(n, b, load_u, hold, fade)
        needed[index[ok]] = n[ok]
        index, n, b, load_u, hold, fade = (v[~ok] for v in (index, n, b, load_u, hold, fade))
    raise PlannerError("The targets cannot be met with a reasonable number of agents; lower them.")


def _agents_erlang_a(calls, aht_seconds, interval_seconds, patience_seconds, targets, lost_cap):
    """Erlang A staffing: from the Erlang C answer, one agent fewer while Erlang A meets
    every target (service level, ASA, occupancy of answered work, abandonment); where an
    abandonment cap is not met there yet, one agent more until it is."""
    upper = agents_for_target(calls, aht_seconds, interval_seconds, **targets)
    calls, aht, interval, patience = (
        np.array(v, dtype=float).ravel()
        for v in np.broadcast_arrays(calls, aht_seconds, interval_seconds, patience_seconds)
    )
    needed = upper.ravel().astype(np.int64)

    def meets(agents: np.ndarray, rows: np.ndarray) -> np.ndarray:
        measures = erlang_a(
            agents, calls[rows], aht[rows], interval[rows], patience[rows],
            targets["answer_seconds"] or 0.0,
        )  # fmt: skip
        ok = np.ones(len(rows), dtype=bool)
        if targets["service_level"] is not None:
            ok &= measures.service_level >= targets["service_level"]
        if targets["asa_seconds"] is not None:
            ok &= measures.asa <= targets["asa_seconds"]
        if targets["max_occupancy"] is not None:
            load = calls[rows] * aht[rows] / interval[rows] * (1 - measures.abandonment)
            ok &= load / agents <= targets["max_occupancy"]
        if lost_cap is not None:
            ok &= measures.abandonment <= lost_cap
        return ok

    rows = np.flatnonzero(needed > 0)
    short = rows[~meets(needed[rows], rows)] if lost_cap is not None else rows[:0]
    for _ in range(MAX_STEPS):
        if not len(short):
            break
        needed[short] += 1
        short = short[~meets(needed[short], short)]
    else:
        raise PlannerError(
            "The abandonment target cannot be met with a reasonable number of agents."
        )
    rows = np.setdiff1d(rows[needed[rows] > 1], np.flatnonzero(needed > upper.ravel()))
    while len(rows):
        fewer = needed[rows] - 1
        ok = meets(fewer, rows)
        needed[rows[ok]] = fewer[ok]
        rows = rows[ok & (fewer > 1)]
    return needed.reshape(upper.shape)
