"""Student's t distribution: the cumulative probability and its inverse, in plain Python.

Progress needs one quantile per comparison; importing scipy for it cost more than everything
else a command does. The distribution function is the regularized incomplete beta function
(continued fraction, Numerical Recipes 6.4), inverted by bisection to full double precision."""

from __future__ import annotations

import math

_EPS = 1e-15
_TINY = 1e-300


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        step = d * c
        h *= step
        if abs(step - 1.0) < _EPS:
            break
    return h


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b) for 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    front = math.exp(log_front)
    # The fraction converges fast on this side of the mean; use the symmetry on the other.
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with `df` degrees of freedom (df > 0)."""
    tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def pdf(t: float, df: float) -> float:
    log_c = (math.lgamma((df + 1.0) / 2.0) - math.lgamma(df / 2.0)
             - 0.5 * math.log(df * math.pi))
    return math.exp(log_c - (df + 1.0) / 2.0 * math.log1p(t * t / df))


def quantile(p: float, df: float) -> float:
    """The t with P(T <= t) = p, for 0 < p < 1 and df > 0."""
    if not 0.0 < p < 1.0 or not df > 0.0:
        raise ValueError(f"quantile needs 0 < p < 1 and df > 0, got p={p}, df={df}")
    if p < 0.5:
        return -quantile(1.0 - p, df)
    if p == 0.5:
        return 0.0
    low, high = 0.0, 2.0
    while cdf(high, df) < p:  # t(0.975, 1) is 12.7: a few doublings find any bracket
        low, high = high, high * 2.0
    # Newton's method, kept inside the bracket by bisection when a step would leave it.
    t = (low + high) / 2.0
    for _ in range(200):
        error = cdf(t, df) - p
        if error < 0:
            low = t
        else:
            high = t
        step = error / pdf(t, df)
        nxt = t - step
        if not low < nxt < high:
            nxt = (low + high) / 2.0
        if abs(nxt - t) <= 1e-14 * abs(t) or nxt in (low, high):
            return nxt
        t = nxt
    return t
