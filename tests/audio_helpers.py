"""Measure decoded audio the way a listener would meet it."""

from __future__ import annotations

import numpy as np

THRESHOLD = 0.004  # above the encoders' noise floor, below the quietest speech onset


def onset_ms(audio: np.ndarray, rate: int, expected_ms: int, search_ms: int = 300) -> float | None:
    """First sample above the threshold near `expected_ms`, in ms; None if silent there."""
    lo = max(0, int((expected_ms - search_ms) * rate / 1000))
    hi = int((expected_ms + search_ms) * rate / 1000)
    loud = np.nonzero(np.abs(audio[lo:hi]) > THRESHOLD)[0]
    if loud.size == 0:
        return None
    return (lo + loud[0]) * 1000 / rate
