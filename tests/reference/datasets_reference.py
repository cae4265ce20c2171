#!/usr/bin/env python3
"""Independent references for the data sets with a known conditional density.

Run: python3 tests/reference/datasets_reference.py > tests/data/datasets_reference.json
Needs numpy and scipy. tests/native/datasets.rs reads the JSON.

For `ring` and `regimes` the expected negative log-likelihood of the true conditional,
E_x E_{y|x}[-ln p(y|x)] (the Bayes optimum a model can reach on average), by adaptive
quadrature over y and x (not by sampling, as the engine's per-validation-set value is).
For `rain`, the dry-day probability averaged over the humidity, and the mean amount on
wet days.
"""
import json
import numpy as np
from scipy import integrate, stats


def sigmoid(t):
    return 1.0 / (1.0 + np.exp(-t))


def expected_nll(density, x_lo, x_hi, y_lo, y_hi):
    def inner(x):
        f = lambda y: -density(x, y) * np.log(max(density(x, y), 1e-300))
        return integrate.quad(f, y_lo, y_hi, limit=400, points=None)[0]
    return integrate.quad(inner, x_lo, x_hi, limit=200)[0] / (x_hi - x_lo)


def ring(x, y):
    r = np.sqrt(max(0.0, 1 - x * x))
    return 0.5 * stats.norm.pdf(y, r, 0.05) + 0.5 * stats.norm.pdf(y, -r, 0.05)


def regimes(m, y):
    p = sigmoid(1.5 * m)
    return p * stats.norm.pdf(y, 0.6 + 0.2 * m, 0.35) + (1 - p) * stats.norm.pdf(y, -0.9 + 0.1 * m, 0.8)


def ring_inner(x):
    # Split at the two branches so quad sees both peaks.
    r = np.sqrt(max(0.0, 1 - x * x))
    f = lambda y: -ring(x, y) * np.log(max(ring(x, y), 1e-300))
    pts = sorted({-r, r})
    edges = [-1.6] + pts + [1.6]
    return sum(integrate.quad(f, a, b, limit=400)[0] for a, b in zip(edges, edges[1:]))


ring_nll = integrate.quad(ring_inner, -1, 1, limit=400)[0] / 2
regimes_nll = expected_nll(regimes, -2, 2, -8, 7)
dry = integrate.quad(lambda h: 1 - sigmoid(8 * (h - 0.55)), 0, 1)[0]
wet_mass = integrate.quad(lambda h: sigmoid(8 * (h - 0.55)), 0, 1)[0]
wet_mean = integrate.quad(lambda h: sigmoid(8 * (h - 0.55)) * np.exp(-0.3 + 1.8 * h + 0.5 * 0.5 ** 2), 0, 1)[0] / wet_mass

print(json.dumps({
    "ring_bayes_nll": ring_nll,
    "regimes_bayes_nll": regimes_nll,
    "rain_dry_fraction": dry,
    "rain_wet_mean": wet_mean,
}, indent=1))
