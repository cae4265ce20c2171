#!/usr/bin/env python3
"""Independent references for forecasts that are not a plain density on the line
(src/forecast/mod.rs): the hurdle's HPD regions on its mixed measure, circular outcomes
outside [0, 2π), and the CRPS of heavy-tailed Student-t mixtures.

Run: python3 tests/reference/mixed_regions_reference.py > tests/data/mixed_regions_reference.json
Needs numpy, scipy and mpmath. tests/native/forecast.rs reads the JSON.

- The hurdle: P(y = 0) = p0 and, above 0, the density (1 − p0) Σ π_k LogNormal(y; μ_k, σ_k).
  On the mixed measure (counting at 0, length above) the "density" at 0 is p0, so the
  HPD region of mass m is {0 if p0 ≥ c} ∪ {y > 0 : f(y) ≥ c} with the largest level c
  whose region holds at least m. Here c is found by bisection on ln c (120 halvings), the
  level set's ends by brentq on a log-spaced grid of 20,001 points, the masses by the
  log-normal CDF (scipy). HPD ranks of outcomes (the mass of the region at the outcome's
  own level) and log scores (ln p0 at 0, ln f(y) above) are given too.
- Von Mises: the CDF of an angle measured from 0, for outcomes given outside [0, 2π)
  (read as the same angle modulo 2π), from scipy's vonmises.cdf.
- Student-t: the CRPS ∫ (F(z) − 1{z ≥ y})² dz by mpmath's adaptive quadrature over the
  whole line (finite for ν = 1 too: (1 − F)² falls as z⁻²ν).
"""
import json
import math

import mpmath as mp
import numpy as np
from scipy import optimize, stats

TWO_PI = 2 * math.pi


def hurdle_parts(case):
    p0 = case["p_zero"]
    pi, mu, sigma = (np.array(case[k], dtype=float) for k in ("pi", "mu", "sigma"))

    def f(y):
        y = np.asarray(y, dtype=float)
        out = np.zeros_like(y)
        for p, m, s in zip(pi, mu, sigma):
            out += p * stats.lognorm.pdf(y, s, scale=math.exp(m))
        return (1 - p0) * out

    def F(y):
        return (1 - p0) * sum(p * stats.lognorm.cdf(y, s, scale=math.exp(m)) for p, m, s in zip(pi, mu, sigma))

    lo = math.exp(min(mu - 12 * sigma))
    hi = math.exp(max(mu + 12 * sigma))
    grid = np.exp(np.linspace(math.log(lo), math.log(hi), 20001))
    return p0, f, F, grid


def level_set(f, grid, c):
    vals = f(grid) - c
    inside = vals >= 0
    out = []
    start = None
    for i in range(len(grid)):
        if inside[i] and start is None:
            start = grid[0] if i == 0 else optimize.brentq(lambda y: f(y) - c, grid[i - 1], grid[i], xtol=1e-15, rtol=1e-15)
        elif not inside[i] and start is not None:
            end = optimize.brentq(lambda y: f(y) - c, grid[i - 1], grid[i], xtol=1e-15, rtol=1e-15)
            out.append([float(start), float(end)])
            start = None
    if start is not None:
        out.append([float(start), float(grid[-1])])
    return out


def region_mass(p0, F, intervals, c):
    cont = sum(F(b) - F(a) for a, b in intervals)
    return float(cont + (p0 if p0 >= c else 0.0))


def hpd(p0, f, F, grid, mass):
    top = max(float(f(grid).max()), p0)
    lo, hi = math.log(top) - 60, math.log(top)
    for _ in range(120):
        mid = 0.5 * (lo + hi)
        c = math.exp(mid)
        if region_mass(p0, F, level_set(f, grid, c), c) >= mass:
            lo = mid
        else:
            hi = mid
    c = math.exp(lo)
    iv = level_set(f, grid, c)
    return {"mass": mass, "level": c, "atom": p0 >= c, "intervals": iv, "region_mass": region_mass(p0, F, iv, c)}


HURDLES = [
    {"name": "mostly dry, one wet shape", "p_zero": 0.61, "pi": [1.0], "mu": [0.3], "sigma": [0.8]},
    {"name": "mostly wet, two shapes", "p_zero": 0.12, "pi": [0.3, 0.7], "mu": [-1.0, 1.2], "sigma": [0.4, 0.5]},
    {"name": "dry at one in three", "p_zero": 0.33, "pi": [0.5, 0.5], "mu": [0.0, 0.9], "sigma": [0.3, 0.3]},
    {"name": "nearly always dry", "p_zero": 0.97, "pi": [1.0], "mu": [0.5], "sigma": [1.0]},
]


def hurdle_cases():
    out = []
    for case in HURDLES:
        p0, f, F, grid = hurdle_parts(case)
        regions = [hpd(p0, f, F, grid, m) for m in (0.5, 0.8, 0.9, 0.95)]
        outcomes = []
        for y in [0.0, 0.05, 0.5, 1.0, 2.5, 6.0]:
            g = p0 if y == 0.0 else float(f(y))
            at_least = region_mass(p0, F, level_set(f, grid, g), g)
            # Strictly above the outcome's level: the point mass ties with a dry outcome.
            g_up = g * (1 + 1e-9)
            above = region_mass(p0, F, level_set(f, grid, g_up), g_up)
            outcomes.append({"y": y, "log_score": math.log(g), "at_least": at_least, "above": above})
        out.append({**case, "regions": regions, "outcomes": outcomes})
    return out


def von_mises_cases():
    cases = [
        {"name": "two either side of 0", "pi": [0.5, 0.5], "mu": [6.0, 0.4], "sigma": [0.5, 0.8]},
        {"name": "one broad", "pi": [1.0], "mu": [3.0], "sigma": [1.5]},
    ]
    for c in cases:
        ys = [-2.5, -0.3, 0.7, 6.5, 9.0, -7.0]
        outs = []
        for y in ys:
            a = y % TWO_PI
            # vonmises.cdf with loc: the mass from loc − π; the angle's from 0 is the
            # difference of two such values, wrapped into [0, 1].
            cdf = 0.0
            for p, m, s in zip(c["pi"], c["mu"], c["sigma"]):
                k = 1 / (s * s)
                d = stats.vonmises.cdf(a, k, loc=m) - stats.vonmises.cdf(0.0, k, loc=m)
                cdf += p * (d % 1.0 if d < 0 else d)
            outs.append({"y": y, "angle": a, "cdf": float(cdf)})
        c["outcomes"] = outs
    return cases


def student_crps_cases():
    mp.mp.dps = 30
    cases = [
        {"name": "Cauchy", "nu": 1.0, "pi": [1.0], "mu": [0.0], "sigma": [1.0], "ys": [0.0, 1.0, 5.0, -30.0]},
        {"name": "two Cauchy at the floor", "nu": 1.0, "pi": [0.6, 0.4], "mu": [0.2, 0.8], "sigma": [0.01, 0.05], "ys": [0.21, 0.5, 3.0]},
        {"name": "nu 1.5", "nu": 1.5, "pi": [1.0], "mu": [1.0], "sigma": [0.3], "ys": [1.0, 2.0]},
        {"name": "nu 4", "nu": 4.0, "pi": [0.5, 0.5], "mu": [-1.0, 1.0], "sigma": [0.5, 0.5], "ys": [0.0, 1.5]},
    ]
    for c in cases:
        nu = mp.mpf(c["nu"])

        def F(z):
            total = mp.mpf(0)
            for p, m, s in zip(c["pi"], c["mu"], c["sigma"]):
                t = (z - m) / mp.mpf(s)
                # Student-t CDF through the regularised incomplete beta function.
                x = nu / (nu + t * t)
                tail = mp.betainc(nu / 2, mp.mpf(1) / 2, 0, x, regularized=True) / 2
                total += p * (1 - tail if t > 0 else tail)
            return total

        out = []
        for y in c["ys"]:
            pts = sorted(set([-mp.inf, mp.mpf(y)] + [mp.mpf(m) for m in c["mu"]] + [mp.inf]))
            crps = mp.quad(lambda z: (F(z) - (1 if z >= y else 0)) ** 2, pts)
            out.append({"y": y, "crps": float(crps)})
        c["outcomes"] = out
        del c["ys"]
    return cases


if __name__ == "__main__":
    print(json.dumps({"hurdle": hurdle_cases(), "von_mises": von_mises_cases(), "student": student_crps_cases()}, indent=1))
