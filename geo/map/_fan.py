"""Pixel offsets that fan out incidents sharing one point (the same layout as ``assets/atlas/atlas.js``)."""

from __future__ import annotations

import math

import numpy as np


def fan_offsets(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(dx, dy) in pixels (dy downwards) for each point: 0 for a lone point, a ring or spiral for a stack."""
    n = len(xs)
    dx, dy = np.zeros(n), np.zeros(n)
    groups: dict[tuple[float, float], list[int]] = {}
    for i, key in enumerate(zip(np.round(xs, 1), np.round(ys, 1))):
        groups.setdefault(key, []).append(i)
    for members in groups.values():
        count = len(members)
        if count < 2:
            continue
        for k, i in enumerate(members):
            if count <= 8:
                radius = max(18.0, count * 30 / (2 * math.pi))
                angle = -math.pi / 2 + 2 * math.pi * k / count
                dx[i], dy[i] = radius * math.cos(angle), radius * math.sin(angle)
            else:
                t = 1.2 + 0.55 * k
                r = 14 + 5.2 * t
                dx[i], dy[i] = r * math.cos(t * 1.1), r * math.sin(t * 1.1)
    return dx, dy
