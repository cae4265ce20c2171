"""References for the pen head (src/strokes/pen.rs): ln p(d, end) of Graves' bivariate
mixture with an end-of-stroke Bernoulli, straight from the definition with mpmath at 50
digits (Sigma built from sigma and rho, its determinant and inverse by mpmath's matrix
routines), cross-checked against scipy.stats.multivariate_normal where scipy is exact
enough. Cases include rho near +-1 (rho-hat at its bound, 5), sigma at its floor, far
offsets and extreme end-of-stroke logits.

Run: python3 tests/reference/strokes_reference.py > tests/data/strokes_reference.json
"""
import json
import random

import mpmath as mp
import numpy as np
from scipy.stats import multivariate_normal

mp.mp.dps = 50
SIGMA_MIN = 1e-3


def head(raw, m):
    """pi, mu, sigma, rho, e from the raw outputs, as the engine reads them (bias 0)."""
    e_raw = mp.mpf(raw[0])
    logits = [mp.mpf(v) for v in raw[1:1 + m]]
    mu = [(mp.mpf(raw[1 + m + k]), mp.mpf(raw[1 + 2 * m + k])) for k in range(m)]
    floor = mp.log(SIGMA_MIN)
    sig = [(mp.exp(max(mp.mpf(raw[1 + 3 * m + k]), floor)), mp.exp(max(mp.mpf(raw[1 + 4 * m + k]), floor))) for k in range(m)]
    rho = [mp.tanh(min(max(mp.mpf(raw[1 + 5 * m + k]), -5), 5)) for k in range(m)]
    z = sum(mp.exp(a) for a in logits)
    pi = [mp.exp(a) / z for a in logits]
    e = 1 / (1 + mp.exp(-e_raw))
    return pi, mu, sig, rho, e


def log_prob(raw, m, d, end):
    pi, mu, sig, rho, e = head(raw, m)
    x = mp.matrix([mp.mpf(d[0]), mp.mpf(d[1])])
    total = mp.mpf(0)
    for k in range(m):
        s = mp.matrix([[sig[k][0] ** 2, rho[k] * sig[k][0] * sig[k][1]], [rho[k] * sig[k][0] * sig[k][1], sig[k][1] ** 2]])
        v = x - mp.matrix([mu[k][0], mu[k][1]])
        q = (v.T * mp.inverse(s) * v)[0]
        dens = mp.exp(-q / 2) / (2 * mp.pi * mp.sqrt(mp.det(s)))
        total += pi[k] * dens
    return mp.log(total) + mp.log(e if end else 1 - e)


def scipy_log_prob(raw, m, d, end):
    pi, mu, sig, rho, e = head(raw, m)
    terms = []
    for k in range(m):
        sx, sy, r = float(sig[k][0]), float(sig[k][1]), float(rho[k])
        cov = [[sx * sx, r * sx * sy], [r * sx * sy, sy * sy]]
        terms.append(np.log(float(pi[k])) + multivariate_normal(mean=[float(mu[k][0]), float(mu[k][1])], cov=cov).logpdf(d))
    top = max(terms)
    return top + np.log(sum(np.exp(t - top) for t in terms)) + np.log(float(e if end else 1 - e))


def main():
    rng = random.Random(16)
    cases = []
    for i in range(40):
        m = 1 + i % 4
        raw = [rng.uniform(-4, 4) for _ in range(1 + 6 * m)]
        d = [rng.uniform(-3, 3), rng.uniform(-3, 3)]
        if i % 5 == 1:  # rho at its bound, both signs
            for k in range(m):
                raw[1 + 5 * m + k] = rng.choice([-7.0, 7.0, 4.99])
        if i % 5 == 2:  # sigma at its floor, the offset a few floors away
            raw[1 + 3 * m] = raw[1 + 4 * m] = -9.0
            d = [raw[1 + m] + 0.003, raw[1 + 2 * m] - 0.002]
        if i % 5 == 3:  # far off: |z| in the hundreds
            d = [rng.choice([-1, 1]) * 400.0, rng.uniform(-3, 3)]
        if i % 5 == 4:  # the end-of-stroke logit far out
            raw[0] = rng.choice([-40.0, 40.0])
        end = rng.random() < 0.5
        ref = log_prob(raw, m, d, end)
        sp = scipy_log_prob(raw, m, d, end)
        if np.isfinite(sp):
            assert abs(float(ref) - sp) <= 1e-7 * max(1.0, abs(sp)), (i, float(ref), sp)
        cases.append({"m": m, "raw": raw, "d": d, "end": end, "log_prob": mp.nstr(ref, 25)})
    print(json.dumps(cases, indent=1))


if __name__ == "__main__":
    main()
