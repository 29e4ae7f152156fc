"""The t quantile used for confidence intervals, against published table values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontspan.core.student_t import cdf, quantile

# (p, degrees of freedom, t) from standard tables, to the digits they print.
TABLE = [
    (0.975, 1, 12.706204736), (0.975, 2, 4.302652730), (0.975, 5, 2.570581836),
    (0.975, 10, 2.228138852), (0.975, 30, 2.042272456), (0.975, 100, 1.983971519),
    (0.975, 1e6, 1.959966357), (0.995, 3, 5.840909310), (0.9, 1, 3.077683537),
    (0.95, 20, 1.724718243),
    # Welch's degrees of freedom are rarely whole numbers.
    (0.975, 7.3, 2.345066737), (0.975, 2.5, 3.574654842), (0.975, 3.295143213, 3.027110651),
]


@pytest.mark.parametrize(("p", "df", "expected"), TABLE)
def test_quantile_matches_the_tables(p: float, df: float, expected: float) -> None:
    assert quantile(p, df) == pytest.approx(expected, rel=1e-8)
    assert quantile(1 - p, df) == pytest.approx(-expected, rel=1e-8)


def test_distribution_function_and_edges() -> None:
    assert cdf(2.0, 4) == pytest.approx(0.9419417382, rel=1e-9)
    assert cdf(0.0, 3) == 0.5 and quantile(0.5, 3) == 0.0
    for bad in ((0.0, 3.0), (1.0, 3.0), (0.975, 0.0)):
        with pytest.raises(ValueError):
            quantile(*bad)


@given(st.floats(0.51, 0.9999), st.floats(0.5, 1e4))
def test_quantile_inverts_the_distribution_function(p: float, df: float) -> None:
    assert cdf(quantile(p, df), df) == pytest.approx(p, abs=1e-10)
    assert quantile(p, df) > quantile(p, df * 2), "fewer degrees of freedom, wider interval"
