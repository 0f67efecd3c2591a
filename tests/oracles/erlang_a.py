r"""An exact, scalar reference for the Erlang A queue (M/M/N+M), written from the model alone.

Model
-----
Calls arrive as a Poisson process with rate lambda = calls / interval_seconds. Service times
are exponential with mean AHT (rate mu = 1/AHT). There are N identical agents, one FCFS queue
with unlimited room, and every waiting caller abandons after an exponential patience with mean
theta (rate gamma = 1/theta), independently of everything else. Measures are stationary and
seen by an arriving caller (PASTA): the caller finds n callers in the system with the
stationary probability pi_n.

Number in system
----------------
n is a birth-death process with birth rate lambda and death rate
d_n = min(n, N) mu + max(n - N, 0) gamma, so pi_n is proportional to prod_{j<=n} lambda / d_j.
It is built here term by term in log space (no factorials, no incomplete gamma functions),
then normalised with a log-sum-exp, so 5,000 Erlangs neither overflow nor underflow. d_n
increases with n, so log pi_n is unimodal; the states from N upwards (callers who wait) are
kept until their weight, relative to the largest of them, is below e^-40 after allowing for the
geometric tail beyond (ratio lambda / d_n < 1 and falling). The distribution *given* that the
caller waits is kept in its own scale, so tiny waiting probabilities stay accurate.

The tagged caller
-----------------
A caller who finds n = N + k (k callers waiting ahead) must wait. Call j the number still
ahead of it. Nobody behind it matters (FCFS), and all N agents stay busy while it waits, so
  * j -> j - 1 at rate N mu + j gamma (an agent frees up and takes the head of the queue, or
    one of the j callers ahead abandons); from j = 0 an agent freeing up answers the caller;
  * the tagged caller abandons at rate gamma in every state.
An absorbing CTMC with k + 1 transient states (``tagged_chain_expm`` solves it with expm).

Closed form. Because the callers ahead behave the same whatever the tagged caller does, its
"virtual wait" V (time to reach an agent with infinite patience) is independent of its own
patience tau ~ Exp(gamma); it is answered iff V < tau and then waits V. V is a sum of
independent exponentials with rates a + j gamma, j = 0..k, a = N mu. With p = a / gamma and
q = k + 1, partial fractions of that sum give the density
    f_V(t) = C e^{-a t} (1 - e^{-gamma t})^k,
so U = e^{-gamma V} ~ Beta(p, q). Hence, with x = e^{-gamma T}:
    P(answered | k)             = E[U] = p / (p + q) = N mu / (N mu + (k + 1) gamma)
    P(answered, W <= T | k)     = E[U; U >= x] = p / (p + q) * (1 - I_x(p + 1, q))
    E[W 1{answered} | k]        = E[V U] = p / (p + q) * sum_{i=1..k+1} 1 / (a + i gamma)
    P(abandons, W <= s | k)     = int_0^s gamma e^{-gamma t} P(V > t) dt
                                = q/(p+q) - x_s I_{x_s}(p, q) + p/(p+q) I_{x_s}(p+1, q)
(I is the regularised incomplete beta function; P(V > t) = I_{e^{-gamma t}}(p, q).)
The harmonic sum is accumulated directly (no digamma differences). ``tagged_chain_expm`` and
``erlang_a_decimal`` (100-digit decimals, hypoexponential partial fractions, no scipy) check
this closed form independently; ``simulate_erlang_a`` is a discrete-event simulation.
Little's law gives another check: P(abandon) = gamma E[queue] / lambda.

Outputs (one interval)
----------------------
    wait_probability = P(n >= N)
    abandonment      = sum_k pi_{N+k} (k + 1) gamma / (N mu + (k + 1) gamma)
    service_level(T) = P(n < N) + sum_k pi_{N+k} P(answered, W <= T | k)      (strict)
    asa              = E[W 1{answered}] / P(answered)          (NaN when nobody is answered)
    service_level_excluding(T, s) = service_level(T) / (1 - P(abandons, W <= s))
calls = 0: service level 1, everything else 0. N = 0 with calls: service level 0, abandonment 1.

Sources: A. Mandelbaum & S. Zeltyn, "The Palm/Erlang-A Queue, with Applications to Call
Centers" (2005); O. Garnett, A. Mandelbaum & M. Reiman, "Designing a Call Center with
Impatient Customers", M&SOM 4(3), 2002. Only the model is taken from them: the computation
above (per-state tagged caller, incomplete beta) is derived here and is not their formula.
"""

import heapq
import math
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
from scipy import linalg, special

# Weight, relative to the largest waiting state, below which waiting states are dropped.
_TAIL_LOG = 40.0
_MAX_STATES = 5_000_000


@dataclass(frozen=True)
class Measures:
    service_level: float
    asa: float
    abandonment: float
    wait_probability: float
    service_level_excluding: float = math.nan


def _logsumexp(x: np.ndarray) -> float:
    top = float(np.max(x))
    return top + math.log(float(np.sum(np.exp(x - top))))


def log_weights(agents: int, lam: float, mu: float, gamma: float) -> np.ndarray:
    """Unnormalised log pi_n, n = 0..n_max, of the number in system."""
    peak = agents + max(0, math.floor((lam - agents * mu) / gamma))  # largest waiting state
    extra = 64 + int(12 * math.sqrt(lam / gamma))
    while True:
        top = peak + extra
        if top > _MAX_STATES:
            raise ValueError(f"{top} states: too many for the oracle")
        n = np.arange(1, top + 1, dtype=float)
        death = np.minimum(n, agents) * mu + np.maximum(n - agents, 0) * gamma
        logs = np.concatenate([[0.0], np.cumsum(math.log(lam) - np.log(death))])
        # Tail beyond n is at most pi_n * rho / (1 - rho), rho = lam / d_{n+1} (falling in n).
        rho = lam / (agents * mu + np.maximum(n - agents + 1, 1) * gamma)
        bound = logs[1:] + np.log(rho) - np.log1p(-np.minimum(rho, 0.5))
        ok = (n >= peak) & (rho < 1) & (bound < logs[peak] - _TAIL_LOG)
        if ok.any():
            return logs[: int(n[np.argmax(ok)]) + 1]
        extra *= 2


def erlang_a(
    agents: int,
    calls: float,
    aht: float,
    interval: float,
    patience: float,
    answer: float,
    exclude_within: float | None = None,
) -> Measures:
    """Exact stationary measures of one interval (see the module docstring)."""
    agents = int(agents)
    if agents < 0 or calls < 0 or aht <= 0 or interval <= 0 or patience <= 0 or answer < 0:
        raise ValueError("bad input")
    if calls == 0:
        return Measures(1.0, 0.0, 0.0, 0.0, 1.0)
    lam, mu, gamma = calls / interval, 1.0 / aht, 1.0 / patience
    logs = log_weights(agents, lam, mu, gamma)
    total = _logsumexp(logs)
    queue = logs[agents:]
    log_wait = _logsumexp(queue) - total
    wait = math.exp(log_wait)
    no_wait = math.exp(_logsumexp(logs[:agents]) - total) if agents else 0.0
    ahead = np.arange(queue.size, dtype=float)  # k
    given = np.exp(queue - queue.max())
    given /= given.sum()  # P(k | the caller waits)
    q = ahead + 1
    if agents == 0:
        answered_k = np.zeros_like(q)
        in_time_k = np.zeros_like(q)
        work_k = np.zeros_like(q)
        early_abandon_k = np.full_like(q, -math.expm1(-gamma * (exclude_within or 0.0)))
    else:
        a = agents * mu
        p = a / gamma
        answered_k = p / (p + q)
        in_time_k = answered_k * special.betaincc(p + 1, q, math.exp(-gamma * answer))
        work_k = answered_k * np.cumsum(1.0 / (a + q * gamma))
        xs = math.exp(-gamma * (exclude_within or 0.0))
        early_abandon_k = (
            q / (p + q)
            - xs * special.betainc(p, q, xs)
            + p / (p + q) * special.betainc(p + 1, q, xs)
        )
    abandonment = wait * float(np.sum(given * (1 - answered_k)))
    service_level = no_wait + wait * float(np.sum(given * in_time_k))
    answered = no_wait + wait * float(np.sum(given * answered_k))
    asa = wait * float(np.sum(given * work_k)) / answered if answered > 0 else math.nan
    excluding = math.nan
    if exclude_within is not None:
        early = wait * float(np.sum(given * early_abandon_k))
        excluding = service_level / (1 - early) if early < 1 else math.nan
    return Measures(service_level, asa, abandonment, wait, excluding)


def mean_queue_over_arrivals(agents, calls, aht, interval, patience) -> float:
    """gamma E[queue] / lambda: abandonment by Little's law (a check on ``erlang_a``)."""
    lam, mu, gamma = calls / interval, 1.0 / aht, 1.0 / patience
    logs = log_weights(int(agents), lam, mu, gamma)
    probs = np.exp(logs - _logsumexp(logs))
    n = np.arange(logs.size)
    return gamma * float(np.sum(np.maximum(n - agents, 0) * probs)) / lam


def tagged_chain_expm(agents, aht, patience, ahead, t) -> tuple[float, float]:
    """(P(answered by t), P(abandoned by t)) of a caller with ``ahead`` callers before it,
    from the generator of its absorbing chain: states j = ahead..0, then answered, abandoned."""
    mu, gamma = 1.0 / aht, 1.0 / patience
    size = ahead + 3
    answered, abandoned = ahead + 1, ahead + 2
    gen = np.zeros((size, size))
    for i in range(ahead + 1):  # row i holds j = ahead - i callers ahead
        j = ahead - i
        gen[i, i + 1 if j > 0 else answered] += agents * mu + j * gamma
        gen[i, abandoned] += gamma
        gen[i, i] = -(agents * mu + j * gamma + gamma)
    row = linalg.expm(gen * t)[0]
    return float(row[answered]), float(row[abandoned])


def erlang_b(agents: int, load: float) -> float:
    """Blocking of M/M/N/N by the recursion 1/B_n = 1 + (n / A) / B_{n-1}, in log space."""
    if load == 0:
        return 0.0
    log_inverse = 0.0  # log(1 / B_0)
    for n in range(1, int(agents) + 1):
        log_inverse = float(np.logaddexp(0.0, math.log(n / load) + log_inverse))
    return math.exp(-log_inverse)


def erlang_b_exact(agents: int, load: Fraction | int) -> Fraction:
    """B = A^N / sum_k A^k N!/k!, in exact rational arithmetic (T_n = n T_{n-1} + A^n)."""
    load = Fraction(load)
    total, power = Fraction(1), Fraction(1)
    for n in range(1, agents + 1):
        power *= load
        total = n * total + power
    return power / total


def erlang_a_decimal(agents, calls, aht, interval, patience, answer, digits=100) -> Measures:
    """The same measures in ``digits``-digit decimals for small queues: exact products for
    pi_n and the hypoexponential CDF from partial fractions (no beta functions, no scipy)."""
    with localcontext() as ctx:
        ctx.prec = digits
        lam = Decimal(calls) / Decimal(interval)
        mu, gamma = 1 / Decimal(aht), 1 / Decimal(patience)
        a = agents * mu
        t = Decimal(answer)
        weights, n, w = [Decimal(1)], 0, Decimal(1)
        while True:  # until the remaining tail is below 1e-40 of the mass
            n += 1
            w = w * lam / (min(n, agents) * mu + max(n - agents, 0) * gamma)
            weights.append(w)
            falling = n > agents and lam / (a + (n - agents + 1) * gamma) < Decimal("0.5")
            if falling and w < sum(weights) * Decimal("1e-40"):
                break
        z = sum(weights)
        sl = sum(weights[:agents]) / z
        wait = 1 - sl
        abandon = answered_wait = Decimal(0)
        for k, w in enumerate(weights[agents:]):
            prob = w / z
            rates = [a + i * gamma for i in range(1, k + 2)]
            answered = a / (a + (k + 1) * gamma)
            over = Decimal(0)  # P(sum of Exp(rates) > T)
            for i, r in enumerate(rates):
                coef = Decimal(1)
                for j, s in enumerate(rates):
                    if j != i:
                        coef *= s / (s - r)
                over += coef * (-r * t).exp()
            sl += prob * answered * (1 - over)
            abandon += prob * (1 - answered)
            answered_wait += prob * answered * sum(1 / r for r in rates)
        asa = answered_wait / (1 - abandon)
        return Measures(float(sl), float(asa), float(abandon), float(wait))


@dataclass(frozen=True)
class Simulated:
    service_level: float
    asa: float
    abandonment: float
    wait_probability: float
    service_level_excluding: float


def simulate_erlang_a(
    agents, calls, aht, interval, patience, answer, exclude_within=0.0, customers=200_000, seed=1
) -> Simulated:
    """Discrete-event simulation of M/M/N+M, FCFS, starting empty (first 5% discarded).

    Agents are a heap of the times they next become free. FCFS means a caller takes the agent
    that frees up first after every earlier answered caller has been placed; a caller whose
    patience runs out before then abandons and never takes an agent."""
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(interval / calls, customers)).tolist()
    services = rng.exponential(aht, customers).tolist()
    patiences = rng.exponential(patience, customers).tolist()
    free = [0.0] * agents
    skip = customers // 20
    in_time = waited = abandoned = early = answered = 0
    total_wait = 0.0
    for i in range(customers):
        t = arrivals[i]
        start = free[0]
        if start <= t:
            heapq.heapreplace(free, t + services[i])
            delay, lost = 0.0, False
        elif patiences[i] > start - t:
            heapq.heapreplace(free, start + services[i])
            delay, lost = start - t, False
        else:
            delay, lost = patiences[i], True
        if i < skip:
            continue
        waited += delay > 0
        if lost:
            abandoned += 1
            early += delay <= exclude_within
        else:
            answered += 1
            total_wait += delay
            in_time += delay <= answer
    counted = customers - skip
    return Simulated(
        service_level=in_time / counted,
        asa=total_wait / answered,
        abandonment=abandoned / counted,
        wait_probability=waited / counted,
        service_level_excluding=in_time / (counted - early),
    )
