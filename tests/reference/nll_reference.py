#!/usr/bin/env python3
"""Independent reference values for the mixture log-density, in 60-digit arithmetic.

Run: python3 tests/reference/nll_reference.py > tests/data/nll_reference.json
Needs mpmath (pip install mpmath). The Rust tests (tests/nll.rs) read the JSON.

Each case gives the raw network outputs of one sample (K logits, K*D means, K*D raw
scales, the layout of src/head.rs), the σ map and floor, a target y, and
ln p(y) = ln Σ_k softmax(logits)_k Π_d N(y_d; μ_kd, σ_kd), computed straight from the
definition: mpmath's exp does not overflow, so no log-sum-exp trick is needed here.
"""
import json
from mpmath import mp, mpf, exp, log, sqrt, pi

mp.dps = 60


def sigma_of(raw, smap, floor):
    raw = mpf(raw)
    if smap == "exp":
        return mpf(floor) + exp(raw)
    return mpf(floor) + log(1 + exp(raw))


def log_p(k, d, smap, floor, raw, y):
    logits = [mpf(v) for v in raw[:k]]
    z = sum(exp(l) for l in logits)
    total = mpf(0)
    for c in range(k):
        pi_c = exp(logits[c]) / z
        dens = mpf(1)
        for j in range(d):
            mu = mpf(raw[k + c * d + j])
            s = sigma_of(raw[k + k * d + c * d + j], smap, floor)
            dens *= exp(-((mpf(y[j]) - mu) ** 2) / (2 * s * s)) / (s * sqrt(2 * pi))
        total += pi_c * dens
    return log(total)


def case(name, k, d, smap, floor, raw, y):
    assert len(raw) == k + 2 * k * d and len(y) == d
    return {
        "name": name, "k": k, "d": d, "sigma_map": smap, "sigma_min": floor,
        "raw": raw, "y": y, "log_p": mp.nstr(log_p(k, d, smap, floor, raw, y), 30),
    }


cases = [
    case("plain K=3", 3, 1, "exp", 0.001, [0.1, -0.4, 0.7, 0.2, 0.5, 0.9, -1.0, -2.0, -0.5], [0.45]),
    case("plain softplus", 3, 1, "softplus", 0.01, [0.3, 0.0, -0.2, -0.5, 0.0, 0.5, 0.3, -1.5, 2.0], [0.1]),
    case("far tail |y-mu|/sigma = 1e3", 1, 1, "exp", 0.0, [0.0, 0.0, 0.0], [1000.0]),
    case("far tail, two components", 2, 1, "exp", 0.0, [0.0, 0.0, 0.0, 1.0, -3.0, -3.0], [50.0]),
    case("sigma at the floor (exp)", 2, 1, "exp", 0.001, [0.0, 0.0, 0.3, 0.6, -60.0, -1.0], [0.3004]),
    case("sigma at the floor (softplus)", 2, 1, "softplus", 0.001, [0.0, 0.0, 0.3, 0.6, -800.0, -1.0], [0.3]),
    case("logits +-1e3", 3, 1, "exp", 0.001, [1000.0, -1000.0, 0.0, 0.2, 0.5, 0.8, -2.0, -2.0, -2.0], [0.5]),
    case("logits +-1e3, y at the suppressed component", 2, 1, "exp", 0.0, [1000.0, -1000.0, 0.0, 1.0, -2.0, -2.0], [1.0]),
    case("pi ~ 1e-300", 2, 1, "exp", 0.0, [0.0, -690.7755278982137, 0.0, 10.0, -2.0, -3.0], [10.0]),
    case("huge scale (softplus of 800)", 2, 1, "softplus", 0.0, [0.0, 0.0, 0.0, 1.0, 800.0, -1.0], [3.0]),
    case("D=2", 2, 2, "exp", 0.001, [0.2, -0.3, 0.1, 0.2, -0.4, 0.5, -1.0, -0.5, -0.2, 0.1], [0.0, 0.3]),
    case("D=3 softplus", 2, 3, "softplus", 0.01, [0.5, 0.1, 0.0, 0.1, 0.2, -0.3, 0.4, 0.1, 0.5, -1.0, 0.2, -0.4, 1.5, 0.0], [0.1, 0.2, 0.3]),
    case("D=3 far tail", 1, 3, "exp", 0.0, [0.0, 0.0, 0.0, 0.0, -5.0, -5.0, -5.0], [1.0, -1.0, 0.5]),
    case("K=5 spread", 5, 1, "exp", 0.001, [0.1, 0.2, 0.3, 0.4, 0.5, -1.0, -0.5, 0.0, 0.5, 1.0, -2.0, -2.5, -3.0, -3.5, -4.0], [0.51]),
]

print(json.dumps(cases, indent=1))
