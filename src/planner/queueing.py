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
  lambda / (N mu + j gamma), gamma = 1 / theta. An arrival finding k waiting ahead has an
  offered wait V_k, the sum of exponentials with rates N mu + j gamma, j = k..0, and its
  own patience tau; it is answered when V_k < tau, with probability
  N mu / (N mu + (k + 1) gamma). Answered within t: E[exp(-gamma V_k); V_k <= t], which is
  that probability times P(S_k <= t) for S_k a sum of exponentials with rates
  N mu + i gamma, i = 1..k + 1; and such a sum is -log(U) / gamma with U ~ Beta(1 + N mu /
  gamma, k + 1) (their Laplace transforms are the same ratio of gamma functions), so
  P(S_k <= t) = 1 - I_{exp(-gamma t)}(1 + N mu / gamma, k + 1), a regularised incomplete beta
  function: exact, one evaluation per queue state, no time stepping.
  Summed over k with the weights pi(N + k), those Beta densities collapse: an arrival's
  U = exp(-gamma V) has density pi(N) a u^(a - 1) exp(y (1 - u)) on (0, 1), a = N mu / gamma,
  y = lambda / gamma. Its integrals are regularised incomplete gamma functions P(s, z):
  P(wait) = S / (S + 1 / B - 1), S = Gamma(a + 1) exp(y) y^-a P(a, y) (Mandelbaum &
  Zeltyn's A(a, y), the sum of pi(N + k) / pi(N));
  P(answered | wait) = (a / y) P(a + 1, y) / P(a, y), their 1 - P(abandon | wait);
  P(answered within t | wait) = (a / y) (P(a + 1, y) - P(a + 1, y x)) / P(a, y),
  x = exp(-gamma t);
  P(hang up within s | wait) = 1 - (a / y) (P(a + 1, y) - P(a + 1, y x)) / P(a, y)
  - x P(a, y x) / P(a, y), x = exp(-gamma s). A handful of special-function calls per
  interval; the state sums are kept for the ASA and where P(a, y) is below what floats hold
  (agents far above the load, where hardly anyone waits).
  Service level, stated as in Mandelbaum & Zeltyn: answered within t / offered (the
  default: a contact that hangs up is a failure), or answered within t / (offered minus
  those that hang up within a short threshold s), where P(abandon within s | k) =
  integral over [exp(-gamma s), 1] of I_x(N mu / gamma, k + 1) dx, in closed form. "Answered or
  abandoned within t" is not a service level (with short patience it rewards
  understaffing) and is not offered. ASA is the mean wait of answered contacts;
  abandonment the share of offered contacts that hang up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from planner.errors import PlannerError

MAX_STEPS = 100_000
TAIL = 1e-14  # queue states beyond this share of the stationary mass are left out (Erlang A)
CHUNK = 1024  # intervals evaluated together in Erlang A (memory: CHUNK x queue states)
# Queue states an Erlang A interval can reach: its queue weights are about normal around
# (lambda - N mu) / gamma with variance lambda / gamma, so 9 deviations past the peak leave
# less than 1e-18 of the mass out.
SPREAD = 9
# The first Erlang A secant pair spans this many times sqrt(agents) (see _agents_erlang_a).
SECANT_SPAN = 1.0


def offered_load(calls, aht_seconds, interval_seconds) -> np.ndarray:
    """A = calls x AHT / interval length, in Erlangs (busy agents needed on average).

    Example:
    >>> float(offered_load(100, 180, 1800))  # 100 calls of 3 minutes in half an hour
    10.0
    """
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
    the closed form of the recursion B(n) = A B(n-1) / (n + A B(n-1)), B(0) = 1. See
    ``log_erlang_b`` for heavy overload, where P(N) is below what floats hold.

    Example:
    >>> round(float(erlang_b(3, 2)), 4)  # by hand: (2^3/3!) / (1 + 2 + 2 + 2^3/3!) = 4/19
    0.2105
    """
    agents, load = np.broadcast_arrays(np.asarray(agents, float), np.asarray(load, float))
    return np.where(load == 0, (agents == 0).astype(float), np.exp(log_erlang_b(agents, load)))


def log_erlang_b(agents, load) -> np.ndarray:
    """log B(N) for ``agents`` N at ``load`` A > 0, without underflow.

    log B = log p(N) - log P(N). Where P(N) (the regularised upper gamma function Q(N + 1,
    A)) is too small for floats (A far above N), 1 / B is summed instead:
    1 / B(N) = P(N) / p(N) = sum_{k=0..N} N! / ((N - k)! A^k), terms falling by at least
    N / A each, so a few dozen terms reach machine precision.

    Example:
    >>> round(float(np.exp(log_erlang_b(3, 2))), 4)  # 4/19, as ``erlang_b``
    0.2105
    """
    agents, load = np.broadcast_arrays(np.asarray(agents, float), np.asarray(load, float))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p = special.xlogy(agents, load) - load - special.gammaln(agents + 1)
        upper = np.atleast_1d(special.gammaincc(agents + 1, load))
        result = np.atleast_1d(log_p - np.log(upper))
    tiny = (upper < 1e-280) & np.atleast_1d(load > 0)
    if tiny.any():
        n, a = np.atleast_1d(agents)[tiny], np.atleast_1d(load)[tiny]
        total, term = np.ones(len(n)), np.ones(len(n))
        for k in range(int(min(n.max(), 5_000))):
            term = term * np.maximum(n - k, 0) / a
            total += term
            if (term < 1e-17 * total).all():
                break
        result = result.copy()
        result[tiny] = -np.log(total)
    result = result.reshape(np.shape(load))
    return np.where(load > 0, result, np.where(agents == 0, 0.0, -np.inf))


def _wait_probability(agents: np.ndarray, load: np.ndarray, blocked: np.ndarray) -> np.ndarray:
    """Erlang C from Erlang B: P(wait) = N B / (N - A (1 - B)); 1 when N <= A."""
    stable = agents > load
    with np.errstate(divide="ignore", invalid="ignore"):
        waiting = agents * blocked / (agents - load * (1 - blocked))
    return np.where(load == 0, 0.0, np.where(stable, waiting, 1.0))


def erlang_c(agents, load) -> np.ndarray:
    """Probability that a contact waits (Erlang C, M/M/N) with ``agents`` at ``load``.

    Example:
    >>> round(float(erlang_c(3, 2)), 4)  # N B / (N - A (1 - B)) = 4/9
    0.4444
    """
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
    agents,
    calls,
    aht_seconds,
    interval_seconds,
    answer_seconds,
    patience_seconds=None,
    short_abandon_seconds=None,
) -> np.ndarray:
    """Share of contacts answered within ``answer_seconds`` (Erlang C):
    SL(t) = 1 - P(wait) exp(-(N - A) t / AHT); 0 when N <= A, 1 when there are no calls.
    With ``patience_seconds``, Erlang A's service level (see ``erlang_a``).

    Example:
    >>> service_level([131, 137], 1300, 180, 1800, 20).round(3).tolist()  # 130 Erlangs
    [0.198, 0.8]
    """
    if patience_seconds is not None:
        return _erlang_a(
            agents, calls, aht_seconds, interval_seconds, patience_seconds, answer_seconds,
            short_abandon_seconds, with_asa=False,
        ).service_level  # fmt: skip
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
    With ``patience_seconds``, Erlang A's mean wait of answered contacts.

    Example:
    >>> float(asa(3, 20, 180, 1800))  # A = 2: ASA = (4/9) x 180 / (3 - 2) = 80 s
    80.0
    """
    if patience_seconds is not None:
        return erlang_a(agents, calls, aht_seconds, interval_seconds, patience_seconds).asa
    load = offered_load(calls, aht_seconds, interval_seconds)
    agents, load, aht = np.broadcast_arrays(
        np.asarray(agents, float), load, np.asarray(aht_seconds, float)
    )
    return _asa(agents, load, _wait_probability(agents, load, erlang_b(agents, load)), aht)


@dataclass(frozen=True)
class ErlangA:
    """Erlang A measures per interval: service level within the answer time (as defined
    by ``short_abandon_seconds``: see ``erlang_a``), ASA of answered contacts (seconds),
    abandonment and waiting probability (shares of offered contacts)."""

    service_level: np.ndarray
    asa: np.ndarray
    abandonment: np.ndarray
    wait_probability: np.ndarray


def erlang_a(
    agents,
    calls,
    aht_seconds,
    interval_seconds,
    patience_seconds,
    answer_seconds=0.0,
    short_abandon_seconds=None,
):
    """Erlang A (M/M/N+M) measures, exact from the birth-death chain (see the module notes).

    The service level is answered within ``answer_seconds`` / offered (a contact that hangs
    up is a failure); with ``short_abandon_seconds`` s, answered within the answer time /
    (offered - those that hang up within s). Each interval is computed on its own: its
    result never depends on the others evaluated with it.

    Example (130 Erlangs, 137 agents: Erlang C's 80.0% in 20 s when nobody hangs up):
    >>> endless = erlang_a(137, 1300, 180, 1800, patience_seconds=10**7, answer_seconds=20)
    >>> round(float(endless.service_level[0]), 3)
    0.8
    >>> two_minutes = erlang_a(137, 1300, 180, 1800, patience_seconds=120, answer_seconds=20)
    >>> round(float(two_minutes.abandonment[0]), 3)  # 1.7% hang up; the rest wait less
    0.017
    """
    return _erlang_a(
        agents, calls, aht_seconds, interval_seconds, patience_seconds, answer_seconds,
        short_abandon_seconds, with_asa=True,
    )  # fmt: skip


def _erlang_a(
    agents, calls, aht_seconds, interval_seconds, patience_seconds, answer_seconds,
    short_abandon_seconds, *, with_asa: bool,
) -> ErlangA:  # fmt: skip
    """``erlang_a``; without ``with_asa`` the ASA is left NaN and only the closed forms run
    (the agent search needs no ASA unless it is a target)."""
    load = offered_load(calls, aht_seconds, interval_seconds)
    short = 0.0 if short_abandon_seconds is None else short_abandon_seconds
    agents, load, aht, patience, answer, short = (
        np.array(v, dtype=float).ravel()
        for v in np.broadcast_arrays(
            np.asarray(agents, float), load, aht_seconds, patience_seconds, answer_seconds, short
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
    nobody = busy & (agents == 0)
    level[nobody], lost[nobody], wait[nobody], speed[nobody] = 0.0, 1.0, 1.0, np.nan
    rows = np.flatnonzero(busy & (agents > 0))
    part = (agents[rows], load[rows], aht[rows], patience[rows], answer[rows], short[rows])
    level[rows], lost[rows], wait[rows], closed = _erlang_a_closed(*part)
    speed[rows] = np.nan
    if not with_asa:
        rows = rows[~closed]
    _erlang_a_states(rows, agents, load, aht, patience, answer, short, (level, speed, lost, wait))
    return ErlangA(*(v.reshape(shape) for v in (level, speed, lost, wait)))


def _erlang_a_closed(agents, load, aht, patience, answer, short):
    """Service level, abandonment and P(wait) by the incomplete gamma forms (module notes),
    for intervals with calls and agents; the last array marks the rows where they hold
    (P(a, y) within what floats carry)."""
    a, y = agents * patience / aht, load * patience / aht  # N mu / gamma, lambda / gamma
    log_blocked = log_erlang_b(agents, load)
    base = special.gammainc(a, y)
    closed = np.isfinite(base) & (base > 1e-280)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_sum = special.gammaln(a + 1) + y - special.xlogy(a, y) + np.log(base)
        below = np.log(-np.expm1(log_blocked)) - log_blocked  # log(1 / B - 1)
        wait = special.expit(log_sum - below)
        top = special.gammainc(a + 1, y)
        scale = a / y / base

        def answered_after(seconds):  # P(answered | wait) - P(answered within s | wait)
            return scale * special.gammainc(a + 1, y * np.exp(-seconds / patience))

        lost = wait * (1 - scale * top)
        level = 1 - wait + wait * (scale * top - answered_after(answer))
        counted = short > 0
        if counted.any():
            x = np.exp(-short / patience)
            early = 1 - scale * top + answered_after(short) - x * special.gammainc(a, y * x) / base
            level = np.where(counted, level / (1 - wait * early), level)
    level, lost, wait = (np.where(closed, v, np.nan) for v in (level, lost, wait))
    return np.clip(level, 0.0, 1.0), np.clip(lost, 0.0, 1.0), np.clip(wait, 0.0, 1.0), closed


def _erlang_a_states(rows, agents, load, aht, patience, answer, short, out) -> None:
    """Erlang A by the state sums for ``rows`` (ASA included), written into ``out``
    (level, speed, lost, wait)."""
    mu, gamma = 1 / aht[rows], 1 / patience[rows]
    arrivals = load[rows] * mu
    reach = np.maximum(arrivals - agents[rows] * mu, 0) / gamma
    needed = np.ceil(reach + SPREAD * np.sqrt(arrivals / gamma) + 10).astype(np.int64)
    order = rows[np.argsort(needed, kind="stable")]
    # Rows of similar reach together, so none is padded with many empty states.
    for start in range(0, len(order), CHUNK):
        part = order[start : start + CHUNK]
        measures = _erlang_a_rows(
            agents[part], load[part], aht[part], patience[part], answer[part], short[part]
        )
        for target, values in zip(out, measures, strict=True):
            target[part] = values


def _erlang_a_rows(agents, load, aht, patience, answer, short):
    """Erlang A for intervals with calls and agents; rows x queue states at once."""
    mu, gamma = 1 / aht, 1 / patience
    arrivals, serving = load * mu, agents * mu
    reach = np.maximum(arrivals - serving, 0) / gamma
    states = int(np.ceil(np.max(reach + SPREAD * np.sqrt(arrivals / gamma) + 10)))
    j = np.arange(1, states + 1)
    log_ratio = np.log(arrivals)[:, None] - np.log(serving[:, None] + j * gamma[:, None])
    log_above = np.concatenate([np.zeros((len(load), 1)), np.cumsum(log_ratio, axis=1)], 1)
    # pi(N) = 1 / (1 / B - 1 + sum_k pi(N + k) / pi(N)), in logs: loads of thousands of
    # Erlangs overflow the plain sums.
    log_blocked = log_erlang_b(agents, load)
    below = np.log(-np.expm1(log_blocked)) - log_blocked  # log(1 / B - 1)
    log_top = -np.logaddexp(below, special.logsumexp(log_above, axis=1))
    queue = np.exp(log_top[:, None] + log_above)  # pi(N + k), k = 0..states
    queue[queue < TAIL * queue.max(axis=1, keepdims=True)] = 0.0
    k = np.arange(states + 1)
    answered = serving[:, None] / (serving[:, None] + (k + 1) * gamma[:, None])
    waiting = queue.sum(axis=1)
    lost = (queue * (1 - answered)).sum(axis=1)
    served = 1 - lost
    waits = np.cumsum(1 / (serving[:, None] + (k + 1) * gamma[:, None]), axis=1)
    speed = (queue * answered * waits).sum(axis=1) / served
    log_fade = (-gamma * answer)[:, None]
    within = -np.expm1(_log_beta_cdf((1 + serving / gamma)[:, None], log_fade, states + 1))
    level = (1 - waiting) + (queue * answered * within).sum(axis=1)
    counted = short > 0
    if counted.any():
        level = level / (1 - _short_abandons(queue, serving, gamma, short, k, counted))
    return np.clip(level, 0.0, 1.0), speed, lost, waiting


def _log_beta_cdf(a: np.ndarray, log_x: np.ndarray, count: int) -> np.ndarray:
    """log I_x(a, b) for b = 1..``count`` (columns), per row: the regularised incomplete
    beta function by its recurrence in b (DLMF 8.17.21, I_x(a, b + 1) = I_x(a, b) +
    x^a (1 - x)^b / (b B(a, b))), from I_x(a, 1) = x^a: one multiply-add a queue state, in
    logs so that x^a of a busy queue (thousands of agents) does not underflow."""
    j = np.arange(1, count)
    log_rest = np.log(-np.expm1(np.minimum(log_x, -1e-300)))  # log(1 - x); x < 1
    steps = np.log((a + j - 1) / j) + np.where(log_x < 0, log_rest, -np.inf)
    first = a * log_x
    terms = np.concatenate([first * np.ones((len(a), 1)), first + np.cumsum(steps, axis=1)], 1)
    # Partial sums scaled by each row's largest term: terms more than ~700 below it vanish,
    # which changes a sum of at most 1 by less than 1e-300.
    top = terms.max(axis=1, keepdims=True)
    with np.errstate(divide="ignore"):
        return top + np.log(np.cumsum(np.exp(terms - top), axis=1))


def _short_abandons(queue, serving, gamma, short, k, counted) -> np.ndarray:
    """P(hang up within ``short`` seconds) for the ``counted`` rows (0 elsewhere): for an
    arrival finding k ahead, the integral of P(V_k > u) gamma exp(-gamma u) over [0, s],
    with V_k = -log(U) / gamma, U ~ Beta(a, k + 1), a = N mu / gamma; substituting
    x = exp(-gamma u) it is the integral of I_x(a, k + 1) over [y, 1], y = exp(-gamma s), and
    integral_0^y I_x(a, b) dx = y I_y(a, b) - a / (a + b) I_y(a + 1, b)."""
    a = (serving / gamma)[:, None]
    b = (k + 1)[None, :].astype(float)
    log_y = (-gamma * np.where(counted, short, 0.0))[:, None]
    whole = b / (a + b)  # integral over [0, 1]: 1 - a / (a + b)
    first = np.exp(log_y + _log_beta_cdf(a, log_y, len(k)))
    second = a / (a + b) * np.exp(_log_beta_cdf(a + 1, log_y, len(k)))
    return np.where(counted, (queue * (whole - first + second)).sum(axis=1), 0.0)


def abandonment(agents, calls, aht_seconds, interval_seconds, patience_seconds) -> np.ndarray:
    """Share of offered contacts that hang up before an answer (Erlang A).

    Example:
    >>> abandonment([131, 137], 1300, 180, 1800, 120).round(3).tolist()  # 2 minutes' patience
    [0.035, 0.017]
    """
    return _erlang_a(
        agents, calls, aht_seconds, interval_seconds, patience_seconds, 0.0, None, with_asa=False
    ).abandonment


def occupancy(agents, calls, aht_seconds, interval_seconds, patience_seconds=None) -> np.ndarray:
    """Share of agents' time spent handling contacts: A / N (at most 1; 0 with no agents).
    With ``patience_seconds`` only answered contacts take time: A (1 - abandonment) / N.

    Example:
    >>> round(float(occupancy(3, 20, 180, 1800)), 4)  # A / N = 2 / 3
    0.6667
    """
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
    short_abandon_seconds: float | None = None,
) -> np.ndarray:
    """The smallest whole number of agents per interval that meets every target given.

    Targets: ``service_level`` within ``answer_seconds`` (e.g. 0.8 and 20), ``asa_seconds``,
    ``max_occupancy`` (A / N at most this). Intervals without calls need no agents.

    With ``patience_seconds`` the targets are judged by Erlang A (``max_abandonment``, a
    share of offered contacts, included; the service level counts a contact that hangs up
    as a failure, or leaves those that hang up within ``short_abandon_seconds`` out):
    the Erlang C answer is the first guess, then agents are added or taken away while
    Erlang A decides.

    Search: start every interval at the square-root staffing guess N = A + sqrt(A) / 2
    (Borst, Mandelbaum & Reiman 2004), never below the least N that can meet the targets
    (just above A, and A / max_occupancy); evaluate Erlang B there in one step; then walk
    down by B(n - 1) = n B(n) / (A (1 - B(n))) while the targets still hold, or up by
    B(n + 1) = A B(n) / (n + 1 + A B(n)) until they do. A few steps over arrays, never a
    loop per interval.

    Example:
    >>> int(agents_for_target(1300, 180, 1800, service_level=0.8, answer_seconds=20))
    137
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
            short_abandon_seconds,
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


def _agents_erlang_a(
    calls, aht_seconds, interval_seconds, patience_seconds, targets, lost_cap, short
):
    """Erlang A staffing: the least agents meeting every target (service level as
    ``erlang_a`` defines it, ASA, occupancy of answered work, abandonment). Erlang A can
    need more agents than Erlang C (contacts that hang up are failures) or fewer (the
    queue is shorter), so the Erlang C answer for the same targets is only the first
    guess n. Each round evaluates n and n - 1 together, which narrows a bracket (lo fails,
    hi meets: every measure is monotone in the agents) and gives each target's margin a
    slope; the next n is where the straight line through the two margins crosses zero,
    for the target that needs most (a secant step: a round or two for most intervals),
    kept inside the bracket, by halving or doubling where the line says nothing or where
    two rounds running did not halve the bracket (margins can bend like a cliff, where
    lines from either side keep landing near the ends). The bracket, not the line,
    decides the answer: the least n that meets every target."""
    guess = agents_for_target(calls, aht_seconds, interval_seconds, **targets)
    calls, aht, interval, patience = (
        np.array(v, dtype=float).ravel()
        for v in np.broadcast_arrays(calls, aht_seconds, interval_seconds, patience_seconds)
    )
    needed = guess.ravel().astype(np.int64)

    def margins(agents: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Per target (rows of the result), log(limit / measure) for the measure that must
        stay under its limit (missed service, ASA, occupancy, abandonment): >= 0 where met,
        and nearly straight in the agents (each falls about geometrically), so a secant
        through two neighbours lands close to the least agents."""
        measures = _erlang_a(
            agents, calls[rows], aht[rows], interval[rows], patience[rows],
            targets["answer_seconds"] or 0.0, short, with_asa=targets["asa_seconds"] is not None,
        )  # fmt: skip
        limits, values = [], []
        if targets["service_level"] is not None:
            limits.append(1 - targets["service_level"])
            values.append(1 - measures.service_level)
        if targets["asa_seconds"] is not None:
            limits.append(targets["asa_seconds"])
            values.append(measures.asa)
        if targets["max_occupancy"] is not None:
            load = calls[rows] * aht[rows] / interval[rows] * (1 - measures.abandonment)
            limits.append(targets["max_occupancy"])
            with np.errstate(divide="ignore", invalid="ignore"):
                values.append(load / agents)
        if lost_cap is not None:
            limits.append(lost_cap)
            values.append(measures.abandonment)
        with np.errstate(divide="ignore", invalid="ignore"):
            inside = np.log(np.array(limits))[:, None] - np.log(np.array(values))
        return np.nan_to_num(inside, nan=-np.inf, posinf=np.inf, neginf=-np.inf)

    rows = np.flatnonzero(calls > 0)
    lo, hi = np.zeros(len(rows)), np.full(len(rows), np.inf)  # 0 agents fail any calls
    n, pending = needed[rows].astype(float), np.arange(len(rows))
    apart = np.maximum(np.floor(np.sqrt(n) * SECANT_SPAN), 1)  # the first pair: n, n - apart
    stalled = np.zeros(len(rows), dtype=int)  # rounds in a row that did not halve the bracket
    for _ in range(128):
        if not len(pending):
            needed[rows] = hi
            return needed.reshape(guess.shape)
        other = np.maximum(n - apart, lo[pending])
        both = margins(np.concatenate([n, other]), rows[np.concatenate([pending, pending])])
        upper, lower = both[:, : len(n)], both[:, len(n) :]
        up_ok, low_ok = (upper >= 0).all(axis=0), (lower >= 0).all(axis=0)
        width = hi[pending] - lo[pending]
        hi[pending] = np.minimum(hi[pending], np.where(low_ok, other, np.where(up_ok, n, np.inf)))
        lo[pending] = np.maximum(lo[pending], np.where(up_ok, np.where(low_ok, 0, other), n))
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = (upper - lower) / (n - other)
            root = np.where(slope > 0, n - upper / slope, np.nan)
        aim = np.ceil(np.nanmax(np.where(np.isfinite(root), root, np.nan), axis=0, initial=-1))
        low, high = lo[pending], hi[pending]
        stalled[pending] = np.where(high - low > width / 2, stalled[pending] + 1, 0)
        blind = ~np.isfinite(aim) | (aim < 0) | (stalled[pending] >= 2)
        with np.errstate(invalid="ignore"):
            middle = np.where(np.isinf(high), 2 * n, np.floor((low + high) / 2))
        aim = np.where(blind, middle, aim)
        aim = np.minimum(aim, np.maximum(2 * n, n + 2))  # at most doubling upwards
        n = np.minimum(np.maximum(aim, low + 2), high - 1)
        keep = high - low > 1
        pending, n, apart = pending[keep], n[keep], np.ones(keep.sum())
    raise PlannerError("The targets cannot be met with a reasonable number of agents.")
