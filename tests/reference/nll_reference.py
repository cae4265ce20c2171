#!/usr/bin/env python3
"""Independent reference values for the mixture log-density, in 60-digit arithmetic.

Run: python3 tests/reference/nll_reference.py > tests/data/nll_reference.json
Needs mpmath (pip install mpmath). The Rust tests (tests/native/nll.rs) read the JSON.

Each case gives the raw network outputs of one sample (K logits, K*D means, K*D raw
scales, the layout of src/mdn/head.rs), the σ map and floor, a target y, and
ln p(y) = ln Σ_k softmax(logits)_k Π_d N(y_d; μ_kd, σ_kd), computed straight from the
definition: mpmath's exp does not overflow, so no log-sum-exp trick is needed here.

Full-covariance cases (cov = "full": per component D raw diagonal entries of a Cholesky
factor L, then the strictly lower ones row by row, each scaled by its row's diagonal) are computed from Σ = L Lᵀ with
mpmath's determinant and inverse — not by the triangular solve the Rust code uses — and
cross-checked against scipy.stats.multivariate_normal in float64 where Σ is well
conditioned enough for float64 to agree.
"""
import json
import math
import struct
from mpmath import mp, mpf, exp, log, sqrt, pi, matrix, det, inverse

try:
    import numpy as np
    from scipy.stats import multivariate_normal
    from scipy.special import logsumexp
except ImportError:  # the mpmath values stand on their own
    np = None

mp.dps = 60


def sigma_of(raw, smap, floor):
    raw = mpf(raw)
    if smap == "exp":
        return mpf(floor) + exp(raw)
    return mpf(floor) + log(1 + exp(raw))


def log_p(k, d, smap, floor, raw, y, eps=0):
    logits = [mpf(v) for v in raw[:k]]
    z = sum(exp(l) for l in logits)
    total = mpf(0)
    for c in range(k):
        # The π floor: π = (1 - ε) softmax + ε/K.
        pi_c = (1 - mpf(eps)) * exp(logits[c]) / z + mpf(eps) / k
        dens = mpf(1)
        for j in range(d):
            mu = mpf(raw[k + c * d + j])
            s = sigma_of(raw[k + k * d + c * d + j], smap, floor)
            dens *= exp(-((mpf(y[j]) - mu) ** 2) / (2 * s * s)) / (s * sqrt(2 * pi))
        total += pi_c * dens
    return log(total)


def f32(v):
    """v rounded to the nearest float32 (what the f32 training path sees)."""
    return struct.unpack("f", struct.pack("f", v))[0]


def at_f32(fn, k, d, smap, floor, raw, y):
    """The reference at the inputs rounded to float32: on an ill-conditioned case the
    rounding of the inputs alone moves ln p more than f32 arithmetic does."""
    return fn(k, d, smap, f32(floor), [f32(v) for v in raw], [f32(v) for v in y])


def full_log_p(k, d, smap, floor, raw, y):
    t = d * (d + 1) // 2
    logits = [mpf(v) for v in raw[:k]]
    z = sum(exp(l) for l in logits)
    total = mpf(0)
    params = []
    for c in range(k):
        base = k + k * d + c * t
        L = matrix(d, d)
        for a in range(d):
            L[a, a] = sigma_of(raw[base + a], smap, floor)
        i = d
        for a in range(1, d):
            for b in range(a):
                L[a, b] = L[a, a] * mpf(raw[base + i])  # L = diag(s)(I + N), src/mdn/head.rs
                i += 1
        S = L * L.T
        e = matrix([mpf(v) for v in y]) - matrix([mpf(raw[k + c * d + a]) for a in range(d)])
        q = (e.T * inverse(S) * e)[0, 0]
        dens = exp(-q / 2) / sqrt((2 * pi) ** d * det(S))
        total += exp(logits[c]) / z * dens
        params.append((S, [raw[k + c * d + a] for a in range(d)]))
    return log(total), params


def scipy_check(name, k, raw, y, params, want):
    """float64 scipy value, where Σ is conditioned well enough for it to be meaningful."""
    if np is None:
        return
    conds = [np.linalg.cond(np.array(S.tolist(), dtype=float)) for S, _ in params]
    if max(conds) > 1e8:
        print(f"# {name}: scipy check skipped (cond(Σ) = {max(conds):.1e})", file=__import__("sys").stderr)
        return
    logits = np.array(raw[:k], dtype=float)
    log_pi = logits - logsumexp(logits)
    terms = [log_pi[c] + multivariate_normal(mean=np.array(mu, dtype=float),
                                              cov=np.array(S.tolist(), dtype=float)).logpdf(y)
             for c, (S, mu) in enumerate(params)]
    got = logsumexp(terms)
    assert abs(got - float(want)) <= 1e-7 * max(1.0, abs(float(want))), (name, got, want)


def rounding_bound(fn, k, d, smap, floor, raw, y, lp):
    """First-order bound on how far ln p moves when each input moves by its own f64
    rounding (2^-53 relative): Σ |∂ ln p/∂v| |v| 2^-53 over raw and y. No f64 code can
    promise better than this on an ill-conditioned case."""
    eps = mpf(2) ** -53
    total = mpf(0)
    vals = list(raw) + list(y)
    for i, v in enumerate(vals):
        if v == 0:
            continue
        h = abs(mpf(v)) * mpf(10) ** -20
        def at(x):
            vv = [mpf(u) for u in vals]
            vv[i] = x
            return fn(k, d, smap, floor, vv[:len(raw)], vv[len(raw):])
        der = (at(mpf(v) + h) - at(mpf(v) - h)) / (2 * h)
        total += abs(der) * abs(mpf(v)) * eps
    return total


def full_case(name, k, d, smap, floor, raw, y):
    assert len(raw) == k + k * d + k * d * (d + 1) // 2 and len(y) == d
    lp, params = full_log_p(k, d, smap, floor, raw, y)
    scipy_check(name, k, raw, y, params, lp)
    bound = rounding_bound(lambda *a: full_log_p(*a)[0], k, d, smap, floor, raw, y, lp)
    # The tests accept 1e-14 relative, or 8x the input-rounding bound where that is larger.
    tol = max(mpf(10) ** -14, 8 * bound / max(1, abs(lp)))
    return {
        "rel_tol": float(tol),
        "name": name, "k": k, "d": d, "sigma_map": smap, "sigma_min": floor, "cov": "full",
        "raw": raw, "y": y, "log_p": mp.nstr(lp, 30),
        "log_p_f32_inputs": mp.nstr(at_f32(lambda *a: full_log_p(*a)[0], k, d, smap, floor, raw, y), 30),
    }


def case(name, k, d, smap, floor, raw, y):
    assert len(raw) == k + 2 * k * d and len(y) == d
    return {
        "name": name, "k": k, "d": d, "sigma_map": smap, "sigma_min": floor,
        "raw": raw, "y": y, "log_p": mp.nstr(log_p(k, d, smap, floor, raw, y), 30),
        "log_p_f32_inputs": mp.nstr(at_f32(log_p, k, d, smap, floor, raw, y), 30),
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

def floor_case(name, k, d, smap, floor, eps, raw, y):
    c = case(name, k, d, smap, floor, raw, y)
    lp = log_p(k, d, smap, floor, raw, y, eps)
    c.update({"pi_floor": eps, "log_p": mp.nstr(lp, 30),
              "log_p_f32_inputs": mp.nstr(at_f32(lambda *a: log_p(*a, eps=eps), k, d, smap, floor, raw, y), 30)})
    return c


cases += [
    # The π floor lifts a suppressed component (π ≈ 1e-300 → ε/K) that sits on y.
    floor_case("pi floor 0.05, y at the suppressed component", 2, 1, "exp", 0.0, 0.05,
               [0.0, -690.7755278982137, 0.0, 10.0, -2.0, -3.0], [10.0]),
    floor_case("pi floor 0.5, D=2", 2, 2, "softplus", 0.01, 0.5,
               [0.2, -0.3, 0.1, 0.2, -0.4, 0.5, -1.0, -0.5, -0.2, 0.1], [0.0, 0.3]),
]

cases += [
    # D=2, two components, moderate correlation: logits, means, then per component
    # (raw L00, raw L11, L10).
    full_case("full D=2", 2, 2, "exp", 0.001,
              [0.3, -0.2, 0.1, 0.2, -0.3, 0.4, -1.0, -0.7, 0.5, -0.5, -1.2, -0.8], [0.0, 0.3]),
    # ρ ≈ 0.999999: N10 = 742 (L10 = 5) against L11 = e^-5.
    full_case("full D=2 strongly correlated", 1, 2, "exp", 0.0,
              [0.0, 0.0, 0.0, 0.0, -5.0, 742.0657955128], [0.1, 0.52]),
    # Two components correlated in opposite directions, y near the second.
    full_case("full D=2 opposite correlations", 2, 2, "softplus", 0.01,
              [0.0, 0.5, 0.0, 0.0, 0.0, 0.0, -3.0, -3.0, 40.0, -3.0, -3.0, -40.0], [0.4, -0.35]),
    # Nearly singular Σ: L11 = 1e-4 + e^-60 under L10 = 0.8, y on the degenerate line
    # and off it.
    full_case("full D=2 nearly singular, on the line", 1, 2, "exp", 1e-4,
              [0.0, 0.2, 0.3, 0.0, -60.0, 8000.0], [0.7, 0.7]),
    full_case("full D=2 nearly singular, off the line", 1, 2, "exp", 1e-4,
              [0.0, 0.2, 0.3, 0.0, -60.0, 8000.0], [0.7, 0.75]),
    full_case("full D=3 softplus", 2, 3, "softplus", 0.01,
              [0.2, -0.1, 0.0, 0.1, 0.2, -0.2, 0.3, 0.1,
               -0.5, 0.0, 0.5, 0.3, -0.4, 0.6,
               0.2, -1.0, -0.2, -0.7, 0.9, 0.1], [0.1, 0.2, -0.1]),
    full_case("full D=3 strongly correlated", 1, 3, "exp", 0.0,
              [0.0, 0.0, 0.0, 0.0, 0.0, -4.0, -4.0, 160.0, 110.0, -136.0], [0.2, 0.75, -0.3]),
    full_case("full D=3 far tail, logits +-1e3", 2, 3, "exp", 0.001,
              [1000.0, -1000.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0,
               -2.0, -2.0, -2.0, 0.5, 0.5, 0.5, -2.0, -2.0, -2.0, -0.5, 0.2, 0.1], [30.0, -20.0, 5.0]),
]

print(json.dumps(cases, indent=1))
